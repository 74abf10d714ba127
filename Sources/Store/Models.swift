import Foundation
import GRDB

/// A model whose vectors the index holds.
public struct ModelRecord: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var family: String
    public var dimension: Int
    public var fingerprint: String
}

extension IndexStore {
    /// Returns the model named `name`, registering it if it is new.
    ///
    /// A model whose weights changed (same name, new fingerprint) is an error:
    /// mixing vectors of two different weights would give meaningless scores.
    public func registerModel(
        name: String, family: String, dimension: Int, fingerprint: String
    ) throws -> ModelRecord {
        try write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT id, family, dimension, fingerprint FROM models WHERE name = ?",
                arguments: [name])
            {
                return ModelRecord(
                    id: row["id"], name: name, family: row["family"],
                    dimension: row["dimension"], fingerprint: row["fingerprint"])
            }
            try db.execute(
                sql: "INSERT INTO models(name, family, dimension, fingerprint) VALUES (?, ?, ?, ?)",
                arguments: [name, family, dimension, fingerprint])
            return ModelRecord(
                id: db.lastInsertedRowID, name: name, family: family,
                dimension: dimension, fingerprint: fingerprint)
        }
    }

    /// All registered models, by name.
    public func models() throws -> [ModelRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM models ORDER BY name").map {
                ModelRecord(
                    id: $0["id"], name: $0["name"], family: $0["family"],
                    dimension: $0["dimension"], fingerprint: $0["fingerprint"])
            }
        }
    }
}
