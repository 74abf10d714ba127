import Foundation
import GRDB

/// Why the index database could not be used.
public enum StoreError: Error, CustomStringConvertible, Equatable {
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
    /// The disk (or the user's quota) filled up while writing `path`.
    case diskFull(path: String, freeBytes: Int64?)
    /// The file is not an SQLite database at all (another kind of file, or overwritten).
    case notADatabase(path: String)
    /// SQLite found the database damaged.
    case corrupt(path: String, detail: String)
    /// An SQLite database that is not a picseek index.
    case foreignDatabase(path: String, tables: [String])
    /// The index has no schema yet or an older one, and cannot be written to create it.
    case cannotMigrate(path: String, found: Int, supported: Int, reason: String)
    /// The database cannot be written: a read-only file or file system, or no permission.
    case readOnly(path: String, reason: String)

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
            return
                "model \(name) is registered with \(stored) but the loaded weights are \(given); "
                + "give this model another name or forget its vectors"
        case .unknownModel(let name):
            return "no vectors for model \(name) in the index"
        case .wrongDimension(let model, let expected, let found):
            return "model \(model) makes \(expected)-d vectors, got \(found) values"
        case .diskFull(let path, let free):
            let left = free.map { " (\(Self.megabytes($0)) free)" } ?? ""
            return "disk full at \(path)\(left): free some space and run the command again; "
                + "everything written before is kept"
        case .notADatabase(let path):
            return "\(path) is not a picseek index (not an SQLite database): give another --db, "
                + "or run `picseek doctor --repair` to move it aside and start a new index"
        case .corrupt(let path, let detail):
            return "\(path) is damaged (\(detail)): `picseek doctor` checks it; "
                + "`picseek doctor --repair` moves it aside (nothing is deleted) and starts a new "
                + "index, which the next `picseek index` fills again"
        case .foreignDatabase(let path, let tables):
            let names = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
            return "\(path) is an SQLite database but not a picseek index (tables: \(names)); "
                + "give another --db"
        case .cannotMigrate(let path, let found, let supported, let reason):
            let what =
                found == 0
                ? "has no tables yet (its first run stopped before creating them)"
                : "has schema version \(found) and needs upgrading to \(supported)"
            return "\(path) \(what), which needs writing, but \(reason); "
                + "free some space or make it writable, then run the command again"
        case .readOnly(let path, let reason):
            return "\(path) cannot be written (\(reason)); read-only commands still work"
        }
    }

    /// Whether this is a disk-full error.
    public var isDiskFull: Bool {
        if case .diskFull = self { return true }
        return false
    }

    static func megabytes(_ bytes: Int64) -> String {
        bytes < 10_000_000
            ? String(format: "%.1f MB", Double(bytes) / 1_000_000)
            : "\(bytes / 1_000_000) MB"
    }

    /// Wraps a GRDB error with the database path; a full disk, a file that is no database, a
    /// damaged one and a read-only one get their own cases.
    static func wrap(_ error: Error, path: String) -> Error {
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_FULL:
                return StoreError.diskFull(path: path, freeBytes: FreeSpace.available(near: path))
            case .SQLITE_NOTADB:
                return StoreError.notADatabase(path: path)
            case .SQLITE_CORRUPT:
                return StoreError.corrupt(path: path, detail: db.message ?? "damaged")
            case .SQLITE_READONLY:
                return StoreError.readOnly(path: path, reason: db.message ?? "read-only")
            case .SQLITE_IOERR where FreeSpace.available(near: path) == 0:
                return StoreError.diskFull(path: path, freeBytes: 0)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
                if let problem = IndexStore.writeProblem(at: path) {
                    return StoreError.readOnly(path: path, reason: problem)
                }
            default:
                break
            }
            return StoreError.sqlite(
                code: db.extendedResultCode.rawValue, message: db.message ?? "unknown error",
                sql: db.sql, path: path)
        }
        return error
    }
}
