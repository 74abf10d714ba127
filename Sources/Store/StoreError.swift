import GRDB

/// Why the index database could not be used.
public enum StoreError: Error, CustomStringConvertible {
    /// SQLite reported an error; `sql` is the statement, when known.
    case sqlite(code: Int32, message: String, sql: String?, path: String)
    /// The database was written by a newer picseek.
    case newerSchema(found: Int, supported: Int, path: String)
    /// A stored vector does not have the dimension its model declares.
    case corruptVector(photo: Int64, expectedBytes: Int, foundBytes: Int)
    /// Another process is indexing into the same database.
    case busy(lockPath: String, holderPID: Int32?)
    /// The writer lock file could not be opened or locked.
    case lockFile(path: String, reason: String)
    /// A model of this name is registered with different weights or dimension.
    case modelMismatch(name: String, stored: String, given: String)
    /// No model of this name has vectors in the index.
    case unknownModel(name: String)
    /// A vector's length differs from its model's dimension.
    case wrongDimension(model: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .sqlite(let code, let message, let sql, let path):
            var text = "sqlite error \(code) in \(path): \(message)"
            if let sql { text += " - while executing `\(sql)`" }
            return text
        case .newerSchema(let found, let supported, let path):
            return "\(path) has schema version \(found); this picseek supports up to \(supported)"
        case .corruptVector(let photo, let expected, let found):
            return "vector of photo \(photo) has \(found) bytes, expected \(expected)"
        case .busy(let lockPath, let pid):
            let who = pid.map { "process \($0)" } ?? "another process"
            return "another indexer (\(who)) is writing this index (lock \(lockPath)); "
                + "wait for it to finish or stop it"
        case .lockFile(let path, let reason):
            return "cannot lock \(path): \(reason)"
        case .modelMismatch(let name, let stored, let given):
            return "model \(name) is registered with \(stored) but the loaded weights are \(given); "
                + "give this model another name or forget its vectors"
        case .unknownModel(let name):
            return "no vectors for model \(name) in the index"
        case .wrongDimension(let model, let expected, let found):
            return "model \(model) makes \(expected)-d vectors, got \(found) values"
        }
    }

    /// Wraps a GRDB error with the database path.
    static func wrap(_ error: Error, path: String) -> Error {
        if let db = error as? DatabaseError {
            return StoreError.sqlite(
                code: db.extendedResultCode.rawValue, message: db.message ?? "unknown error",
                sql: db.sql, path: path)
        }
        return error
    }
}
