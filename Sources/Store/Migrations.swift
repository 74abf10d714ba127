import GRDB

/// Versioned schema changes, applied in order and never edited once released.
///
/// Layout choices (see `docs/index-store.md`):
/// - paths are raw file-system bytes (BLOB), never decoded text, so names that
///   are not valid UTF-8 keep every byte;
/// - `embeddings` is an ordinary rowid table: a 2 KiB vector then sits inline in
///   its leaf cell (a WITHOUT ROWID table would spill it to overflow pages), and
///   rows of one model load in insertion order;
/// - thumbnails live in a separate database file (`ThumbnailStore`), so this
///   file stays close to the size of the vectors it holds.
enum Migrations {
    /// Each entry is one schema version: (identifier, statements).
    static let all: [(String, String)] = [
        ("v1-initial", """
            CREATE TABLE roots (
                id INTEGER PRIMARY KEY,
                path BLOB NOT NULL UNIQUE,          -- raw file-system bytes
                added_at REAL NOT NULL,
                last_scan_at REAL
            );
            CREATE TABLE photos (
                id INTEGER PRIMARY KEY,
                path BLOB NOT NULL UNIQUE,          -- raw file-system bytes, may be invalid UTF-8
                size INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                content_hash BLOB,                  -- SHA-256 of the file, for move detection
                width INTEGER,
                height INTEGER,
                taken_at TEXT,                      -- EXIF DateTimeOriginal, "YYYY-MM-DD HH:MM:SS"
                camera TEXT,                        -- EXIF make and model
                error TEXT,                         -- why the file could not be indexed; NULL when fine
                indexed_at REAL NOT NULL
            );
            CREATE INDEX photos_by_hash ON photos(content_hash, size);
            CREATE TABLE models (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                family TEXT NOT NULL,               -- "chinese-clip", "openclip-xlmr"
                dimension INTEGER NOT NULL,
                fingerprint TEXT NOT NULL           -- identifies the weights
            );
            CREATE TABLE embeddings (
                id INTEGER PRIMARY KEY,
                photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
                model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                vector BLOB NOT NULL,               -- little-endian float32, L2-normalised
                UNIQUE (photo_id, model_id)
            );
            CREATE INDEX embeddings_by_model ON embeddings(model_id);
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                started_at REAL NOT NULL,
                finished_at REAL,
                model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
                outcome TEXT,                       -- "completed", "cancelled", "failed: …"; NULL while running or after a crash
                added INTEGER NOT NULL DEFAULT 0,
                updated INTEGER NOT NULL DEFAULT 0,
                removed INTEGER NOT NULL DEFAULT 0,
                moved INTEGER NOT NULL DEFAULT 0,
                failed INTEGER NOT NULL DEFAULT 0
            );
            -- Bumped by every transaction that changes photos or embeddings, so a
            -- search engine holding vectors in memory knows when to reload them.
            CREATE TABLE generation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                value INTEGER NOT NULL
            );
            INSERT INTO generation(id, value) VALUES (1, 0);
            """)
    ]

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (identifier, sql) in all {
            migrator.registerMigration(identifier) { db in try db.execute(sql: sql) }
        }
        return migrator
    }
}
