import GRDB

/// Versioned schema changes, applied in order and never edited once released.
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
                error TEXT,                         -- last decode error; NULL when fine
                indexed_at REAL NOT NULL
            );
            CREATE INDEX photos_by_hash ON photos(content_hash);
            CREATE TABLE models (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                family TEXT NOT NULL,               -- "chinese-clip", "openclip-xlmr"
                dimension INTEGER NOT NULL,
                fingerprint TEXT NOT NULL           -- identifies the weights
            );
            CREATE TABLE embeddings (
                photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
                model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                vector BLOB NOT NULL,               -- little-endian float32, L2-normalised
                PRIMARY KEY (photo_id, model_id)
            ) WITHOUT ROWID;
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                started_at REAL NOT NULL,
                finished_at REAL,
                added INTEGER NOT NULL DEFAULT 0,
                updated INTEGER NOT NULL DEFAULT 0,
                removed INTEGER NOT NULL DEFAULT 0,
                moved INTEGER NOT NULL DEFAULT 0,
                failed INTEGER NOT NULL DEFAULT 0
            );
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
