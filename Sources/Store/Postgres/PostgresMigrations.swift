/// Versioned schema changes of the PostgreSQL index, applied in order and never edited once
/// released; each is a list of statements run in one transaction.
///
/// Everything lives in the schema `picseek`, so the index can share a database with other
/// programs. Layout, as in the SQLite index: paths are raw file-system bytes (`bytea`), content
/// hashes are SHA-256 bytes. Differences:
/// - each model's vectors get their own table, `embeddings_m<model id>`, with a pgvector
///   `vector(d)` column of the model's dimension (made by `registerModel`);
/// - thumbnails are a table of the index (`thumbnails`), so clients on other machines see them;
/// - recognised text keeps its normalised body in `ocr_texts.body`, matched by substring;
/// - runs record the host and process that ran them, for `picseek status`;
/// - roots may have a name (`v2-named-roots`): their photos are stored relative to the root
///   (`RootPaths`) and each machine's mount point is a row of `root_mounts`.
enum PostgresMigrations {
    /// Each entry is one schema version: (identifier, statements).
    static let all: [(String, [String])] = [
        (
            "v1-initial",
            [
                """
                CREATE TABLE picseek.roots (
                    id bigserial PRIMARY KEY,
                    path bytea NOT NULL UNIQUE,
                    added_at float8 NOT NULL,
                    last_scan_at float8,
                    reads_words boolean NOT NULL DEFAULT true
                )
                """,
                """
                CREATE TABLE picseek.photos (
                    id bigserial PRIMARY KEY,
                    path bytea NOT NULL UNIQUE,
                    size int8 NOT NULL,
                    mtime_ns int8 NOT NULL,
                    content_hash bytea,
                    width int4,
                    height int4,
                    taken_at text,
                    camera text,
                    error text,
                    indexed_at float8 NOT NULL
                )
                """,
                "CREATE INDEX photos_by_hash ON picseek.photos (content_hash, size)",
                """
                CREATE TABLE picseek.models (
                    id bigserial PRIMARY KEY,
                    name text NOT NULL UNIQUE,
                    family text NOT NULL,
                    dimension int4 NOT NULL,
                    fingerprint text NOT NULL
                )
                """,
                """
                CREATE TABLE picseek.runs (
                    id bigserial PRIMARY KEY,
                    started_at float8 NOT NULL,
                    finished_at float8,
                    model_id int8 REFERENCES picseek.models (id) ON DELETE SET NULL,
                    outcome text,
                    added int4 NOT NULL DEFAULT 0,
                    updated int4 NOT NULL DEFAULT 0,
                    removed int4 NOT NULL DEFAULT 0,
                    moved int4 NOT NULL DEFAULT 0,
                    failed int4 NOT NULL DEFAULT 0,
                    host text,
                    pid int4,
                    lock_pid int4               -- server process holding its writer lock
                )
                """,
                """
                CREATE TABLE picseek.generation (
                    id int4 PRIMARY KEY CHECK (id = 1),
                    value int8 NOT NULL
                )
                """,
                "INSERT INTO picseek.generation (id, value) VALUES (1, 0)",
                """
                CREATE TABLE picseek.thumbnails (
                    content_hash bytea PRIMARY KEY,
                    width int4 NOT NULL,
                    height int4 NOT NULL,
                    jpeg bytea NOT NULL
                )
                """,
                """
                CREATE TABLE picseek.ocr_texts (
                    id bigserial PRIMARY KEY,
                    content_hash bytea NOT NULL UNIQUE,
                    languages text NOT NULL,
                    text text NOT NULL,
                    words text NOT NULL,
                    timed_out boolean NOT NULL DEFAULT false,
                    error text,
                    body text NOT NULL DEFAULT '',
                    recognized_at float8 NOT NULL
                )
                """,
            ]
        ),
        (
            "v2-named-roots",
            [
                // A named root's stored path is `name:`; its photos' are `name:relative`.
                "ALTER TABLE picseek.roots ADD COLUMN name text UNIQUE",
                """
                CREATE TABLE picseek.root_mounts (
                    root_id int8 NOT NULL REFERENCES picseek.roots (id) ON DELETE CASCADE,
                    host text NOT NULL,
                    path bytea NOT NULL,
                    PRIMARY KEY (root_id, host),
                    UNIQUE (host, path)
                )
                """,
            ]
        ),
    ]

    /// The table of one model's vectors (the id is the store's own integer, never user text).
    static func embeddingsTable(_ modelID: Int64) -> String {
        "picseek.embeddings_m\(modelID)"
    }

    /// Creates the vector table of a model of `dimension` (idempotent).
    static func createEmbeddings(modelID: Int64, dimension: Int) -> String {
        """
        CREATE TABLE IF NOT EXISTS \(embeddingsTable(modelID)) (
            photo_id int8 PRIMARY KEY REFERENCES picseek.photos (id) ON DELETE CASCADE,
            vector vector(\(dimension)) NOT NULL
        )
        """
    }
}
