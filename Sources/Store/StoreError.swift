import GRDB

/// Why the index database could not be used.
public enum StoreError: Error, CustomStringConvertible {
    /// SQLite reported an error; `sql` is the statement, when known.
    case sqlite(code: Int32, message: String, sql: String?, path: String)
    /// The database was written by a newer picseek.
    case newerSchema(found: Int, supported: Int, path: String)
    /// A stored vector does not have the dimension its model declares.
    case corruptVector(photo: Int64, expectedBytes: Int, foundBytes: Int)

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
