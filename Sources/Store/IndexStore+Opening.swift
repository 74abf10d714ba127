import Foundation

/// The ways commands open an index that may be read-only, full or of an older schema.
extension IndexStore {
    /// Opens the existing index at `path` without writing to it (`search`, `status`,
    /// `errors`, `duplicates`), so these work on a full disk, a read-only mount or file,
    /// and another user's index.
    ///
    /// An index whose schema is missing or older is migrated first when it can be written;
    /// when it cannot, the migration error says why.
    public static func openForReading(path: String) throws -> IndexStore {
        do {
            return try IndexStore.open(path: path, mode: .readOnly)
        } catch let error as StoreError {
            guard case .cannotMigrate = error, IndexStore.writeProblem(at: path) == nil else {
                throw error
            }
            do {
                return try IndexStore.open(path: path)
            } catch let writing as StoreError {
                switch writing {
                case .diskFull, .readOnly, .cannotMigrate: throw error
                default: throw writing
                }
            }
        }
    }

    /// Opens the index at `path` for the explorer: for writing (creating it if needed) when
    /// it can be written, else read-only (the explorer then says "read-only index" and does
    /// not reindex).
    public static func openPreferringWrite(path: String) throws -> IndexStore {
        let exists = FileManager.default.fileExists(atPath: path)
        if exists, IndexStore.writeProblem(at: path) != nil {
            return try IndexStore.open(path: path, mode: .readOnly)
        }
        do {
            return try IndexStore.open(path: path)
        } catch let error as StoreError {
            switch error {
            case .diskFull, .readOnly, .cannotMigrate:
                guard exists else { throw error }
                return try IndexStore.open(path: path, mode: .readOnly)
            default:
                throw error
            }
        }
    }
}
