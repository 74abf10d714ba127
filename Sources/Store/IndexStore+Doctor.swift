import Foundation
import GRDB

extension IndexStore {
    /// Vectors whose photo or model row is gone (none unless foreign keys were off when
    /// something deleted rows).
    public func orphanVectorCount() throws -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM embeddings e
                    WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.id = e.photo_id)
                       OR NOT EXISTS (SELECT 1 FROM models m WHERE m.id = e.model_id)
                    """) ?? 0
        }
    }

    /// Deletes the vectors `orphanVectorCount` counts; returns how many went.
    public func deleteOrphanVectors() throws -> Int {
        try write { db in
            try db.execute(
                sql: """
                    DELETE FROM embeddings
                    WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.id = embeddings.photo_id)
                       OR NOT EXISTS (SELECT 1 FROM models m WHERE m.id = embeddings.model_id)
                    """)
            if db.changesCount > 0 { try bumpGeneration(db) }
            return db.changesCount
        }
    }

    /// Moves the database at `path` and its `-wal` and `-shm` files aside, to
    /// `path.corrupt-YYYYMMDD-HHMMSS` (and a number when that exists), deleting nothing.
    /// Returns the new name of the main file.
    public static func moveAside(path: String, now: Date = Date()) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stem = path + ".corrupt-" + formatter.string(from: now)
        let fm = FileManager.default
        var target = stem
        var number = 2
        while fm.fileExists(atPath: target) || fm.fileExists(atPath: target + "-wal") {
            target = stem + "-\(number)"
            number += 1
        }
        do {
            for suffix in ["-wal", "-shm"] where fm.fileExists(atPath: path + suffix) {
                try fm.moveItem(atPath: path + suffix, toPath: target + suffix)
            }
            if fm.fileExists(atPath: path) { try fm.moveItem(atPath: path, toPath: target) }
        } catch {
            throw StoreError.readOnly(
                path: path, reason: "cannot move it aside: \(error.localizedDescription)")
        }
        return target
    }
}

extension ThumbnailStore {
    /// The content hashes of every stored thumbnail.
    public func hashes() throws -> Set<[UInt8]> {
        do {
            return try writer.read { db in
                Set(
                    try Data.fetchAll(db, sql: "SELECT content_hash FROM thumbnails").map {
                        [UInt8]($0)
                    })
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Runs `PRAGMA integrity_check` on the thumbnail file ("ok" when sound).
    public func integrityCheck() throws -> [String] {
        do {
            return try writer.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }
}
