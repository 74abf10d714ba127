import Foundation
import PicseekTestSupport
import Testing

/// The commands through the real binary on a PostgreSQL index: index, search, status, errors,
/// forget, and `db copy` to SQLite and back, which then answers the same searches.
@Suite("Commands on a PostgreSQL index", .serialized)
struct PostgresCommandTests {
    typealias Sandbox = IndexedExploreTests.Sandbox

    @Test(
        "index, search, status, forget and db copy both ways through the binary",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    func commands() throws {
        guard BinaryTests.binary != nil else {
            Issue.record("the picseek binary was not built")
            return
        }
        let sandbox = try Sandbox()
        let url = try PostgresTestServer.freshDatabase()
        let model = IndexedExploreTests.tinyModel
        func picseek(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let result = try IndexedExploreTests.run(arguments, in: sandbox)
            #expect(result.status == 0, "\(arguments): \(result.errors)")
            return (result.status, result.output)
        }
        let indexed = try picseek(["index", "--db", url, "--model", model, sandbox.gallery])
        #expect(indexed.output.contains("12 photos found, 12 added"), "\(indexed.output)")
        let search = ["search", "--model", model, "--top", "3", "red"]
        let onPostgres = try picseek(search + ["--db", url]).output
        #expect(onPostgres.split(separator: "\n").count == 3, "\(onPostgres)")
        let status = try picseek(["status", "--db", url]).output
        #expect(status.contains("photos: 12 (0 failed"), "\(status)")
        #expect(status.contains(", completed;"), "\(status)")
        #expect(try picseek(["errors", "--db", url]).output.isEmpty)

        let copy = sandbox.root + "/copy.sqlite"
        let copied = try picseek(["db", "copy", "--from", url, "--to", copy]).output
        #expect(copied.contains("copied 12 vectors of 1 model"), "\(copied)")
        #expect(try picseek(search + ["--db", copy]).output == onPostgres)
        let back = try PostgresTestServer.freshDatabase()
        _ = try picseek(["db", "copy", "--from", copy, "--to", back])
        #expect(try picseek(search + ["--db", back]).output == onPostgres)

        let forgot = try picseek(["forget", "--db", url, sandbox.gallery + "/red.jpg"]).output
        #expect(forgot.contains("forgot 1 photo"), "\(forgot)")
        #expect(try picseek(["status", "--db", url]).output.contains("photos: 11"))
    }
}
