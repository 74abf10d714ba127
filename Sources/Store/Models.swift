import Foundation
import GRDB

/// A model whose vectors the index holds.
public struct ModelRecord: Equatable, Sendable {
    /// Row id, used as the key of the model's embeddings.
    public var id: Int64
    /// Short unique name, e.g. "chinese-clip-vit-base-patch16".
    public var name: String
    /// Architecture family, e.g. "chinese-clip".
    public var family: String
    /// Length of every vector.
    public var dimension: Int
    /// Identifies the exact weights.
    public var fingerprint: String

    /// Creates a record (the store assigns `id` to the models it registers).
    public init(id: Int64, name: String, family: String, dimension: Int, fingerprint: String) {
        self.id = id
        self.name = name
        self.family = family
        self.dimension = dimension
        self.fingerprint = fingerprint
    }
}

extension IndexStore {
    /// Returns the model named `name`, registering it if it is new.
    ///
    /// A model whose weights changed (same name, new fingerprint or
    /// dimension) is an error: mixing vectors of two different weights would
    /// give meaningless scores.
    public func registerModel(
        name: String, family: String, dimension: Int, fingerprint: String
    ) throws -> ModelRecord {
        try write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT id, family, dimension, fingerprint FROM models WHERE name = ?",
                arguments: [name])
            {
                let stored = ModelRecord(
                    id: row["id"], name: name, family: row["family"],
                    dimension: row["dimension"], fingerprint: row["fingerprint"])
                if stored.fingerprint != fingerprint || stored.dimension != dimension {
                    throw StoreError.modelMismatch(
                        name: name,
                        stored: "\(stored.dimension)-d weights \(stored.fingerprint)",
                        given: "\(dimension)-d weights \(fingerprint)")
                }
                return stored
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
            try Row.fetchAll(db, sql: "SELECT * FROM models ORDER BY name").map(Self.model)
        }
    }

    /// The model named `name`, if registered.
    public func model(named name: String) throws -> ModelRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM models WHERE name = ?", arguments: [name])
                .map(Self.model)
        }
    }

    static func model(_ row: Row) -> ModelRecord {
        ModelRecord(
            id: row["id"], name: row["name"], family: row["family"],
            dimension: row["dimension"], fingerprint: row["fingerprint"])
    }
}
