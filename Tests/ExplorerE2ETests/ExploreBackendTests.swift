import Foundation
import Tensor
import Testing

/// The index-backed explorer backend, through `picseek explore` in tmux over a
/// generated gallery and the random-weight fixture model (assertions on structure,
/// not ranking).
@Suite("explore backend over a real index", .serialized)
struct ExploreBackendTests {
    /// Starts `picseek explore` on the sandbox's gallery, not indexed yet.
    static func explore(
        _ binary: String, _ sandbox: IndexedExploreTests.Sandbox, _ extra: [String] = []
    ) throws -> TmuxSession {
        let script =
            "\"$0\" explore --db \"$1\" --model \"$2\" --graphics ascii \"$3\" "
            + extra.map { "'\($0)'" }.joined(separator: " ")
            + "; echo \"exit=$?\"; echo done-marker"
        return try TmuxSession(
            command: [
                "sh", "-c", script, binary, sandbox.database, IndexedExploreTests.tinyModel,
                sandbox.gallery,
            ],
            rows: 40, columns: 120, environment: sandbox.environment)
    }

    /// The photo names under the tiles, in grid order (row by row, left to right).
    static func rankedNames(_ screen: String) -> [String] {
        let names = Set(IndexedExploreTests.colours.map(\.0))
        var found: [String] = []
        for line in screen.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(separator: " ").map(String.init)
            // A tile's label: its score ("0.48", "-0.13"), then its name (the extension
            // only where the tile is wide enough).
            for (score, word) in zip(words, words.dropFirst()) {
                // The selected tile's label follows the selection bar ("▌0.57").
                let number = score.drop { !"-0123456789".contains($0) }
                let digits = number.hasPrefix("-") ? String(number.dropFirst()) : String(number)
                let name = word.hasSuffix(".jpg") ? String(word.dropLast(4)) : word
                guard names.contains(name), digits.count == 4, Double(digits) != nil else {
                    continue
                }
                found.append(name)
            }
        }
        return found
    }

    /// Waits until the query line shows `query` and its results are listed.
    static func results(
        of query: String, _ count: Int, in session: TmuxSession
    ) throws -> (found: Bool, screen: String) {
        var (found, screen) = try session.waitFor("❯ " + query, seconds: 30)
        guard found else { return (false, screen) }
        let deadline = Date().addingTimeInterval(60)
        repeat {
            screen = try session.capture()
            // The grid's tiles too, not only the status line's count.
            found =
                screen.contains("\(count) results") && !screen.contains("searching")
                && !rankedNames(screen).isEmpty
            if found { break }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        return (found, screen)
    }

    @Test("a new folder is indexed at open; a search typed meanwhile finds all; s and Enter follow")
    func reindexWhileSearching() throws {
        guard let binary = IndexedExploreTests.ready() else { return }
        let sandbox = try IndexedExploreTests.Sandbox()
        let session = try Self.explore(binary, sandbox)
        defer { session.kill() }
        // The folder is not indexed: indexing starts at once; search while it runs.
        try session.send(text: "sunset")
        var (found, screen) = try session.waitFor("reindex finished: 12 photos", seconds: 120)
        #expect(found, "screen was:\n\(screen)")
        // The search runs again when the reindex ends and finds every photo.
        (found, screen) = try Self.results(of: "sunset", 12, in: session)
        #expect(found, "screen was:\n\(screen)")
        #expect(screen.contains("tiny224"), "the answering model is named:\n\(screen)")

        try session.send(keys: ["C-u"])
        try session.send(text: "red + sky - 2:grass")
        (found, screen) = try Self.results(of: "red + sky - 2:grass", 12, in: session)
        #expect(found, "screen was:\n\(screen)")
        let ranked = Self.rankedNames(screen)
        #expect(ranked.count >= 6, "scored tiles expected:\n\(screen)")
        #expect(Set(ranked).count == ranked.count, "each photo once:\n\(screen)")

        // More like the selected photo: every other photo, not the photo itself.
        try IndexedExploreTests.press(session, "Escape", "s")
        (found, screen) = try session.waitFor("11 results like", seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        let like = try #require(
            screen.components(separatedBy: "11 results like ").dropFirst().first?
                .split(separator: " ").first.map { String($0.dropLast(4)) })
        #expect(IndexedExploreTests.colours.contains { $0.0 == like }, "\(like):\n\(screen)")
        #expect(!Self.rankedNames(screen).contains(like), "\(like) is not like itself:\n\(screen)")

        // Details of the photo now selected: its pixel size (72 high) and its path.
        try IndexedExploreTests.press(session, "Enter")
        (found, screen) = try session.waitFor("×72", seconds: 30)
        #expect(found, "detail pane with the pixel size expected:\n\(screen)")
        #expect(screen.contains("gallery/"), "the photo's path is shown:\n\(screen)")

        try IndexedExploreTests.press(session, "Enter", "q")
        (found, screen) = try session.waitFor("done-marker", history: true, seconds: 60)
        #expect(found && screen.contains("exit=0"), "screen was:\n\(screen)")
    }

    @Test(
        "a bfloat16 image tower indexes beside searches and ranks as a float32 one does",
        .enabled(if: Kernels.bf16Supported, "this CPU has no AVX512_BF16"))
    func bf16ReindexWhileSearching() throws {
        guard let binary = IndexedExploreTests.ready() else { return }
        var rankings: [[String]] = []
        for precision in ["fp32", "bf16"] {
            let sandbox = try IndexedExploreTests.Sandbox()
            let session = try Self.explore(binary, sandbox, ["--image-precision", precision])
            defer { session.kill() }
            try session.send(text: "a red photo")
            var (found, screen) = try session.waitFor("reindex finished: 12 photos", seconds: 120)
            #expect(found, "\(precision): screen was:\n\(screen)")
            (found, screen) = try Self.results(of: "a red photo", 12, in: session)
            #expect(found, "\(precision): screen was:\n\(screen)")
            rankings.append(Self.rankedNames(screen))
            try session.send(keys: ["C-c"])
            (found, screen) = try session.waitFor("done-marker", history: true, seconds: 60)
            #expect(found && screen.contains("exit=130"), "\(precision): screen was:\n\(screen)")
        }
        #expect(rankings[0].count == 12)
        #expect(rankings[0] == rankings[1])
    }
}
