import CPostgres
import Foundation
import PicseekCore

/// A value bound to a `$n` parameter of a statement; values always travel apart from the SQL.
enum PGValue {
    case null
    case text(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    /// `bytea`, sent in binary.
    case bytes([UInt8])
    /// A pgvector `vector`, sent as its text form `[x,y,…]`.
    case vector([Float])

    static func int(_ value: Int) -> PGValue { .int(Int64(value)) }
    static func optional(_ value: String?) -> PGValue { value.map { .text($0) } ?? .null }
    static func optional(_ value: Int?) -> PGValue { value.map { .int(Int64($0)) } ?? .null }
    static func optional(_ value: [UInt8]?) -> PGValue { value.map { .bytes($0) } ?? .null }
}

/// The rows of one statement, read in PostgreSQL's binary format; cleared when released.
final class PGResult {
    private let result: OpaquePointer
    /// Number of rows.
    let count: Int
    /// Rows the statement changed (`UPDATE`, `DELETE`, `INSERT`).
    let changed: Int

    init(_ result: OpaquePointer) {
        self.result = result
        self.count = Int(PQntuples(result))
        self.changed = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    deinit { PQclear(result) }

    func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) != 0
    }

    private func raw(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer? {
        guard !isNull(row, column) else { return nil }
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard let value = PQgetvalue(result, Int32(row), Int32(column)) else { return nil }
        return UnsafeRawBufferPointer(start: UnsafeRawPointer(value), count: length)
    }

    /// An integer column (int2, int4, int8; a bool as 0 or 1); nil when NULL.
    func int(_ row: Int, _ column: Int) -> Int64? {
        guard let bytes = raw(row, column) else { return nil }
        switch bytes.count {
        case 8: return Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
        case 4: return Int64(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self)))
        case 2: return Int64(Int16(bigEndian: bytes.loadUnaligned(as: Int16.self)))
        case 1: return Int64(bytes[0])
        default: return nil
        }
    }

    /// A float8 column; nil when NULL.
    func double(_ row: Int, _ column: Int) -> Double? {
        guard let bytes = raw(row, column), bytes.count == 8 else { return nil }
        return Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)))
    }

    /// A bool column; nil when NULL.
    func bool(_ row: Int, _ column: Int) -> Bool? {
        int(row, column).map { $0 != 0 }
    }

    /// A text column (invalid UTF-8 repaired); nil when NULL.
    func text(_ row: Int, _ column: Int) -> String? {
        raw(row, column).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A bytea column; nil when NULL.
    func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        raw(row, column).map { [UInt8]($0) }
    }

    /// Appends a pgvector column's floats (binary: int16 dimension, int16 unused, float4
    /// big-endian each) to `out`; returns how many there were (nil when NULL or malformed).
    func appendVector(_ row: Int, _ column: Int, to out: inout [Float]) -> Int? {
        guard let bytes = raw(row, column), bytes.count >= 4 else { return nil }
        let dimension = Int(UInt16(bigEndian: bytes.loadUnaligned(as: UInt16.self)))
        guard bytes.count == 4 + 4 * dimension else { return nil }
        for i in 0..<dimension {
            let bits = UInt32(
                bigEndian: bytes.loadUnaligned(fromByteOffset: 4 + 4 * i, as: UInt32.self))
            out.append(Float(bitPattern: bits))
        }
        return dimension
    }
}

/// One libpq connection, used by one thread at a time (callers hold `PostgresStore`'s lock).
///
/// Every statement goes through `PQexecParams` with its values as parameters and asks for
/// binary results. A connection that broke (server restarted, network cut) is reset before
/// the next statement; the statement that found it broken throws `PostgresError.connectionLost`.
final class PostgresConnection {
    private var connection: OpaquePointer?
    /// The URL with its password removed, for messages.
    let location: String

    /// Connects to `url` (a `postgresql://` or `postgres://` URL; libpq also reads
    /// `PGPASSWORD`, `~/.pgpass`, `PGHOST` and the other `PG*` variables).
    init(url: String) throws {
        self.location = PostgresURL.redacted(url)
        // Later keywords win: the URL's own settings override these defaults.
        let keys = ["fallback_application_name", "connect_timeout", "dbname"]
        let values = ["picseek", "10", url]
        let conn = withCStrings(keys) { keyPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keyPointers, valuePointers, 1)
            }
        }
        guard let conn else {
            throw PostgresError.unreachable(location: location, detail: "out of memory")
        }
        if PQstatus(conn) != CONNECTION_OK {
            let message = String(cString: PQerrorMessage(conn))
            PQfinish(conn)
            throw PostgresError.classifyConnect(message, location: location)
        }
        connection = conn
        // Notices (such as "relation already exists, skipping") are not for the user.
        try execute("SET client_min_messages = warning")
    }

    deinit { close() }

    /// Closes the connection (idempotent).
    func close() {
        if let connection { PQfinish(connection) }
        connection = nil
    }

    /// The server process serving this connection.
    var backendPID: Int32 {
        connection.map { PQbackendPID($0) } ?? 0
    }

    /// Reconnects when the connection broke since the last statement.
    private func ensureOpen() throws -> OpaquePointer {
        guard let connection else {
            throw PostgresError.connectionLost(location: location, detail: "connection closed")
        }
        if PQstatus(connection) != CONNECTION_OK {
            PQreset(connection)
            if PQstatus(connection) != CONNECTION_OK {
                let message = String(cString: PQerrorMessage(connection))
                // The server was there a moment ago (stopped or restarting, network cut): say
                // that the connection was lost, and that what was in flight was rolled back.
                switch PostgresError.classifyConnect(message, location: location) {
                case .unreachable:
                    throw PostgresError.connectionLost(location: location, detail: message)
                case let other: throw other
                }
            }
            _ = try? run("SET client_min_messages = warning", [], connection)
        }
        return connection
    }

    /// Runs one statement with `parameters` bound to `$1`, `$2`, …; returns its rows.
    @discardableResult
    func execute(_ sql: String, _ parameters: [PGValue] = []) throws -> PGResult {
        try run(sql, parameters, ensureOpen())
    }

    private func run(
        _ sql: String, _ parameters: [PGValue], _ connection: OpaquePointer
    ) throws -> PGResult {
        var buffers: [UnsafeMutableRawPointer?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        defer { for buffer in buffers { free(buffer) } }
        for value in parameters {
            let (bytes, binary): ([UInt8]?, Bool) =
                switch value {
                case .null: (nil, false)
                // PostgreSQL text holds no NUL byte (an EXIF field may).
                case .text(let text): (text.utf8.filter { $0 != 0 }, false)
                case .int(let number): (Array(String(number).utf8), false)
                case .double(let number): (Array("\(number)".utf8), false)
                case .bool(let flag): (Array((flag ? "t" : "f").utf8), false)
                case .bytes(let data): (data, true)
                case .vector(let vector): (Array(Self.vectorText(vector).utf8), false)
                }
            guard let bytes else {
                buffers.append(nil)
                lengths.append(0)
                formats.append(0)
                continue
            }
            // Text parameters end with a NUL; binary ones are counted by their length.
            let buffer = malloc(max(bytes.count + 1, 1))
            if let buffer {
                bytes.withUnsafeBytes { source in
                    if let base = source.baseAddress {
                        buffer.copyMemory(from: base, byteCount: bytes.count)
                    }
                }
                buffer.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
            }
            buffers.append(buffer)
            lengths.append(Int32(bytes.count))
            formats.append(binary ? 1 : 0)
        }
        let pointers = buffers.map {
            $0.map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) }
        }
        let result = pointers.withUnsafeBufferPointer { values in
            lengths.withUnsafeBufferPointer { lengthBuffer in
                formats.withUnsafeBufferPointer { formatBuffer in
                    PQexecParams(
                        connection, sql, Int32(parameters.count), nil, values.baseAddress,
                        lengthBuffer.baseAddress, formatBuffer.baseAddress, 1)
                }
            }
        }
        guard let result else {
            throw PostgresError.connectionLost(
                location: location, detail: String(cString: PQerrorMessage(connection)))
        }
        let status = PQresultStatus(result)
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK {
            return PGResult(result)
        }
        let message = String(cString: PQresultErrorMessage(result))
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        PQclear(result)
        if PQstatus(connection) != CONNECTION_OK || state?.hasPrefix("08") == true
            || state == "57P01" || state == "57P02" || state == "57P03"
        {
            throw PostgresError.connectionLost(location: location, detail: message)
        }
        throw PostgresError.statement(
            location: location, sqlState: state ?? "", message: message, sql: sql)
    }

    /// Runs `sql`, a `COPY … FROM STDIN`, sending what `next` returns until it returns nil
    /// (the data in the format the statement names); returns the rows copied.
    @discardableResult
    func copyIn(_ sql: String, _ next: () throws -> [UInt8]?) throws -> Int {
        let connection = try ensureOpen()
        guard let started = PQexec(connection, sql) else {
            throw PostgresError.connectionLost(
                location: location, detail: String(cString: PQerrorMessage(connection)))
        }
        let status = PQresultStatus(started)
        PQclear(started)
        guard status == PGRES_COPY_IN else {
            // Not in copy mode: run it again the ordinary way for its typed error.
            try execute(sql)
            return 0
        }
        var failure: Error?
        do {
            while let chunk = try next() {
                let sent = chunk.withUnsafeBytes { bytes in
                    PQputCopyData(
                        connection, bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                        Int32(bytes.count))
                }
                if sent != 1 { break }
            }
        } catch {
            failure = error
        }
        PQputCopyEnd(connection, failure == nil ? nil : "picseek stopped the copy")
        var copied = 0
        var message: String?
        var state: String?
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                copied = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if message == nil {
                message = String(cString: PQresultErrorMessage(result))
                state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map {
                    String(cString: $0)
                }
            }
            PQclear(result)
        }
        if let failure { throw failure }
        if let message {
            if PQstatus(connection) != CONNECTION_OK || state?.hasPrefix("08") == true {
                throw PostgresError.connectionLost(location: location, detail: message)
            }
            throw PostgresError.statement(
                location: location, sqlState: state ?? "", message: message, sql: sql)
        }
        return copied
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(readOnly: Bool = false, _ body: () throws -> T) throws -> T {
        try execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if let connection, PQstatus(connection) == CONNECTION_OK {
                _ = try? execute("ROLLBACK")
            }
            throw error
        }
    }

    /// pgvector's text form of `vector`: `[x,y,…]`, each float written to round-trip.
    static func vectorText(_ vector: [Float]) -> String {
        var text = "["
        text.reserveCapacity(vector.count * 12 + 2)
        for (i, value) in vector.enumerated() {
            if i > 0 { text += "," }
            text += value.description
        }
        return text + "]"
    }
}

/// Runs `body` with `strings` as an array of C strings ending with a null pointer.
private func withCStrings<T>(
    _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T
) -> T {
    let copies = strings.map { strdup($0) }
    defer { for copy in copies { free(copy) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// PostgreSQL URLs as picseek shows them.
public enum PostgresURL {
    /// `url` without its password (`user:secret@host` → `user@host`, `password=` dropped from
    /// the query), for messages and `picseek status`.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        var rest = String(url[scheme.upperBound...])
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@"),
            let colon = rest[..<at].firstIndex(of: ":")
        {
            rest.removeSubrange(colon..<at)
        }
        if let question = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: question)...].split(separator: "&")
                .filter { !$0.lowercased().hasPrefix("password=") }
            rest =
                String(rest[..<question])
                + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }
        return String(url[..<scheme.upperBound]) + rest
    }
}

extension PostgresURL {
    /// `url` naming the database `name` instead of its own (`postgresql://host/old?x` →
    /// `postgresql://host/name?x`).
    public static func withDatabase(_ url: String, _ name: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        let authorityEnd = rest[..<queryStart].firstIndex(of: "/") ?? queryStart
        return String(url[..<scheme.upperBound]) + rest[..<authorityEnd] + "/" + name
            + rest[queryStart...]
    }
}

extension PostgresStore {
    /// Creates an empty database `name` (letters, digits and `_` only) on the server of
    /// `serverURL` and returns its URL, for tests and first setups.
    ///
    /// - Throws: `PostgresError` when the server refuses; a name with other characters is
    ///   `PostgresError.statement` with SQL state 42602 (invalid name), before any SQL runs.
    public static func createDatabase(serverURL: String, name: String) throws -> String {
        let allowed = name.utf8.allSatisfy {
            ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95
        }
        let connection = try PostgresConnection(url: serverURL)
        guard allowed, !name.isEmpty else {
            throw PostgresError.statement(
                location: connection.location, sqlState: "42602",
                message: "database name must be lowercase letters, digits and _",
                sql: "CREATE DATABASE")
        }
        // CREATE DATABASE takes no parameters; the name was checked above.
        try connection.execute("CREATE DATABASE \(name)")
        connection.close()
        return PostgresURL.withDatabase(serverURL, name)
    }
}
