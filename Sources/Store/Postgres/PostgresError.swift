import Foundation
import PicseekCore

/// Why a PostgreSQL index could not be used. Every message names the database (its URL
/// without the password) and says what to do; text from the server is escaped.
public enum PostgresError: Error, CustomStringConvertible, Equatable {
    /// No server answered: none running at that host, port or socket, or the network is cut.
    case unreachable(location: String, detail: String)
    /// The server refused the user or its password.
    case authenticationFailed(location: String, detail: String)
    /// The database named in the URL does not exist on the server.
    case noDatabase(location: String, detail: String)
    /// pgvector's `vector` extension is not in the database and could not be created.
    case missingVectorExtension(location: String, detail: String)
    /// The connection broke in the middle of a command (server restarted, network cut);
    /// the transaction in flight was rolled back by the server.
    case connectionLost(location: String, detail: String)
    /// The server rejected a statement.
    case statement(location: String, sqlState: String, message: String, sql: String)
    /// No picseek index in this database yet (read-only commands do not create one).
    case noIndex(location: String)
    /// The database holds tables picseek did not make.
    case foreignDatabase(location: String, tables: [String])

    public var description: String {
        switch self {
        case .unreachable(let location, let detail):
            return "cannot reach the postgresql server for \(TerminalSafe.escape(location)) "
                + "(\(Self.oneLine(detail))); is PostgreSQL running there, and is the host, port "
                + "or socket folder right?"
        case .authenticationFailed(let location, let detail):
            return "postgresql refused the login for \(TerminalSafe.escape(location)) "
                + "(\(Self.oneLine(detail))); check the user and the password "
                + "(PGPASSWORD or ~/.pgpass)"
        case .noDatabase(let location, let detail):
            return "postgresql database of \(TerminalSafe.escape(location)) does not exist "
                + "(\(Self.oneLine(detail))); create it first, e.g. `createdb NAME`"
        case .missingVectorExtension(let location, let detail):
            return "postgresql database \(TerminalSafe.escape(location)) lacks the pgvector "
                + "extension (\(Self.oneLine(detail))); install pgvector on the server and run "
                + "`CREATE EXTENSION vector;` in that database as a superuser"
        case .connectionLost(let location, let detail):
            return "lost the connection to postgresql at \(TerminalSafe.escape(location)) "
                + "(\(Self.oneLine(detail))); what was in flight was rolled back, everything "
                + "committed before is kept: run the command again"
        case .statement(let location, let state, let message, _):
            return "postgresql error \(TerminalSafe.escape(state)) in "
                + "\(TerminalSafe.escape(location)): \(Self.oneLine(message))"
        case .noIndex(let location):
            return "no picseek index in \(TerminalSafe.escape(location)); "
                + "run picseek index --db URL PATH first"
        case .foreignDatabase(let location, let tables):
            let names = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
            return "postgresql database \(TerminalSafe.escape(location)) holds tables that are "
                + "not a picseek index (\(TerminalSafe.escape(names))); give another database"
        }
    }

    /// The server's or libpq's text on one line, escaped.
    static func oneLine(_ text: String) -> String {
        let joined = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
        return TerminalSafe.escape(joined)
    }

    /// The error a failed connection attempt means, from libpq's message.
    static func classifyConnect(_ message: String, location: String) -> PostgresError {
        let lower = message.lowercased()
        if lower.contains("password authentication failed")
            || lower.contains("no password supplied")
            || lower.contains("authentication failed") || lower.contains("pg_hba.conf")
            || (lower.contains("role \"") && lower.contains("does not exist"))
        {
            return .authenticationFailed(location: location, detail: message)
        }
        if lower.contains("database \"") && lower.contains("does not exist") {
            return .noDatabase(location: location, detail: message)
        }
        if lower.contains("the database system is starting up")
            || lower.contains("the database system is shutting down")
            || lower.contains("server closed the connection")
        {
            return .connectionLost(location: location, detail: message)
        }
        return .unreachable(location: location, detail: message)
    }
}
