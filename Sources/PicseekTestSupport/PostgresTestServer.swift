import Foundation
import Store

/// The PostgreSQL server (with pgvector) the tests run against: `PICSEEK_TEST_POSTGRES_URL`,
/// which `scripts/pg-test-server start DIR` prints and `.ci/run` exports.
///
/// Without it the tests that need it are skipped with a reason, except in CI (`CI=true`),
/// where a missing server fails them.
public enum PostgresTestServer {
    /// The server's URL, or nil when unset.
    public static var url: String? {
        let value = ProcessInfo.processInfo.environment["PICSEEK_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }

    /// Whether the tests that need the server run: it is given, or this is CI.
    public static var enabled: Bool {
        url != nil || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// Why those tests are skipped when they are.
    public static let skipReason =
        "PICSEEK_TEST_POSTGRES_URL is not set (scripts/pg-test-server start DIR prints one)"

    /// A new, empty database on the test server, as a URL.
    public static func freshDatabase() throws -> String {
        guard let server = url else { throw MissingServer() }
        let name =
            "picseek_t_"
            + UUID().uuidString.lowercased().replacingOccurrences(
                of: "-", with: "")
        return try PostgresStore.createDatabase(serverURL: server, name: name)
    }
}

/// CI runs without the PostgreSQL test server.
public struct MissingServer: Error, CustomStringConvertible {
    public init() {}
    public var description: String {
        "CI=true but PICSEEK_TEST_POSTGRES_URL is not set: .ci/run starts the test server"
    }
}
