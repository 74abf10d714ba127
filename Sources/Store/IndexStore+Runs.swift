import Foundation
import GRDB

extension IndexStore {
    /// Records `path` (raw bytes) as an indexed root, if it is not one yet.
    public func addRoot(_ path: [UInt8]) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO roots(path, added_at) VALUES (?, ?)",
                arguments: [Data(path), Date().timeIntervalSince1970])
        }
    }

    /// Named roots are kept by PostgreSQL indexes only: throws `RootNameError.unsupported`
    /// (after checking the name).
    public func addRoot(_ path: [UInt8], name: String) throws {
        try RootPaths.validate(name: name)
        throw RootNameError.unsupported(location: self.path)
    }

    /// Named roots are kept by PostgreSQL indexes only: throws `RootNameError.unsupported`.
    public func recordMount(root name: String, host: String, path: [UInt8]) throws {
        throw RootNameError.unsupported(location: self.path)
    }

    /// Notes that `path` was fully scanned now.
    public func markScanned(root path: [UInt8]) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE roots SET last_scan_at = ? WHERE path = ?",
                arguments: [Date().timeIntervalSince1970, Data(path)])
        }
    }

    /// Every indexed root, by path.
    public func roots() throws -> [RootRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM roots ORDER BY path").map {
                RootRecord(
                    id: $0["id"], path: [UInt8]($0["path"] as Data), addedAt: $0["added_at"],
                    lastScanAt: $0["last_scan_at"],
                    readsWords: ($0["reads_words"] as Int64?).map { $0 != 0 } ?? true)
            }
        }
    }

    /// Turns reading the words in photos under the root `path` on or off (remembered).
    public func setReadsWords(_ on: Bool, root path: [UInt8]) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE roots SET reads_words = ? WHERE path = ?",
                arguments: [on ? 1 : 0, Data(path)])
        }
    }

    /// Starts a run record; returns its id.
    public func beginRun(model: ModelRecord?) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: "INSERT INTO runs(started_at, model_id) VALUES (?, ?)",
                arguments: [Date().timeIntervalSince1970, model?.id])
            return db.lastInsertedRowID
        }
    }

    /// Ends a run record with its outcome and counts.
    public func finishRun(_ id: Int64, outcome: String, counts: RunCounts) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE runs SET finished_at = ?, outcome = ?, added = ?, updated = ?,
                        removed = ?, moved = ?, failed = ?
                    WHERE id = ?
                    """,
                arguments: [
                    Date().timeIntervalSince1970, outcome, counts.added, counts.updated,
                    counts.removed, counts.moved, counts.failed, id,
                ])
        }
    }

    /// Runs, newest first.
    public func runs(limit: Int = 10) throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.*, m.name AS model_name FROM runs r
                    LEFT JOIN models m ON m.id = r.model_id
                    ORDER BY r.id DESC LIMIT ?
                    """, arguments: [limit]
            ).map {
                RunRecord(
                    id: $0["id"], startedAt: $0["started_at"], finishedAt: $0["finished_at"],
                    outcome: $0["outcome"], modelName: $0["model_name"], added: $0["added"],
                    updated: $0["updated"], removed: $0["removed"], moved: $0["moved"],
                    failed: $0["failed"])
            }
        }
    }

    /// Counts for `picseek status`.
    public func summary() throws -> StoreSummary {
        let models = try self.models()
        let roots = try self.roots()
        let lastRun = try runs(limit: 1).first
        return try read { db in
            let photos = try Int.fetchOne(db, sql: "SELECT count(*) FROM photos") ?? 0
            let failed =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM photos WHERE error IS NOT NULL") ?? 0
            var perModel: [(model: ModelRecord, vectors: Int)] = []
            for model in models {
                let n =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM embeddings WHERE model_id = ?",
                        arguments: [model.id]) ?? 0
                perModel.append((model, n))
            }
            return StoreSummary(
                photos: photos, failed: failed, models: perModel, roots: roots, lastRun: lastRun)
        }
    }
}
