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
        (
            "v1-initial",
            """
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
            """
        ),
        // Text read from photos (OCR), keyed by content hash like thumbnails: a moved or
        // duplicated photo shares its text, a changed photo (new hash) gets read again, and
        // text no photo refers to any more is pruned after each OCR pass.
        //
        // `ocr_fts` indexes the confident words with FTS5's `trigram` tokenizer (SQLite
        // 3.34+; Debian 12 has 3.40): Chinese is written without spaces, so a word
        // tokenizer (unicode61) would make each whole line one token and "营业时间" would
        // never match inside "营业时间9:00-21:00"; trigrams match any substring of three
        // or more characters in every script, with no dictionary. Shorter queries (two
        // Chinese characters) fall back to a substring scan (`IndexStore.searchText`).
        // Its rowid is `ocr_texts.id`; the body is normalised (`OCRText.normalize`).
        (
            "v2-ocr-text",
            """
            CREATE TABLE ocr_texts (
                id INTEGER PRIMARY KEY,
                content_hash BLOB NOT NULL UNIQUE,  -- the photo content the text was read from
                languages TEXT NOT NULL,            -- tesseract languages, "chi_sim+eng"
                text TEXT NOT NULL,                 -- every word read, one line per text line
                words TEXT NOT NULL,                -- JSON: [{text, confidence, x, y, width, …}]
                timed_out INTEGER NOT NULL DEFAULT 0,
                error TEXT,                         -- why it could not be read; NULL when fine
                recognized_at REAL NOT NULL
            );
            CREATE VIRTUAL TABLE ocr_fts USING fts5(body, tokenize = 'trigram');
            """
        ),
        // Whether the words in photos under a root are read (`picseek index DIR --no-ocr`
        // turns it off for DIR, `--ocr` back on).
        (
            "v3-root-ocr",
            """
            ALTER TABLE roots ADD COLUMN reads_words INTEGER NOT NULL DEFAULT 1;
            """
        ),
    ]

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (identifier, sql) in all {
            migrator.registerMigration(identifier) { db in try db.execute(sql: sql) }
        }
        return migrator
    }
}
