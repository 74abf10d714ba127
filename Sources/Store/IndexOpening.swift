import Foundation

/// How commands open their index, whichever database holds it: an SQLite file (`IndexStore`)
/// or, for a `postgresql://` or `postgres://` URL, a PostgreSQL database (`PostgresStore`).
public enum IndexOpening {
    /// What a command does with the index it opens.
    public enum Purpose: Sendable {
        /// Creates the index if needed and writes (`index`, `watch DIR`).
        case write
        /// Writes an index that must exist already (`forget`, `watch` without folders).
        case writeExisting
        /// Only reads an index that must exist (`search`, `status`, `errors`, `duplicates`).
        case read
        /// Writes when it can, else reads (`explore`).
        case preferWrite
    }

    /// Whether `location` names a PostgreSQL database rather than a file.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Opens the index at `location` (a file path or a PostgreSQL URL) for `purpose`.
    ///
    /// - Throws: `DatabaseLocationError.noIndex` when a file must exist and does not; the
    ///   database's own errors (`StoreError`, `PostgresError`) otherwise.
    public static func open(_ location: String, for purpose: Purpose) throws -> any PhotoIndex {
        if isPostgres(location) {
            return try PostgresStore.open(url: location, purpose: purpose)
        }
        switch purpose {
        case .write:
            return try IndexStore.open(path: location)
        case .writeExisting:
            return try IndexStore.open(path: DatabaseLocation.existing(location))
        case .read:
            return try IndexStore.openForReading(path: DatabaseLocation.existing(location))
        case .preferWrite:
            return try IndexStore.openPreferringWrite(path: location)
        }
    }
}
