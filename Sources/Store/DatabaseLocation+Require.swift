import Foundation
import PicseekCore

extension DatabaseLocation {
    /// `resolve`, or the error saying how to give a location when there is none.
    public static func require(
        explicit: String?, environment: [String: String]
    ) throws(DatabaseLocationError) -> String {
        guard let path = resolve(explicit: explicit, environment: environment) else {
            throw .noLocation
        }
        return path
    }

    /// `path` when an index exists there, else the error saying how to make one (read-only
    /// commands do not create an index). A PostgreSQL URL is returned as it is: the server
    /// says whether the index exists.
    public static func existing(_ path: String) throws(DatabaseLocationError) -> String {
        if IndexOpening.isPostgres(path) { return path }
        guard FileManager.default.fileExists(atPath: path) else { throw .noIndex(path) }
        return path
    }
}

/// No index database to open.
public enum DatabaseLocationError: Error, Equatable, CustomStringConvertible {
    /// Neither `--db`, `PICSEEK_DB`, `XDG_DATA_HOME` nor `HOME` is set.
    case noLocation
    /// Nothing at this path.
    case noIndex(String)

    /// The message, with the path escaped for the terminal.
    public var description: String {
        switch self {
        case .noLocation: "no database location: set --db, PICSEEK_DB or HOME"
        case .noIndex(let path):
            "no index at \(TerminalSafe.escape(path)); run picseek index PATH first"
        }
    }
}
