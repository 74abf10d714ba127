import Foundation
import Imaging
import PicseekCore
import PicseekTestSupport
import Store
import Testing

@testable import Library

/// A recognizer that "reads" a fixed text per image width and counts its calls.
private final class FakeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int] = []
    let texts: [Int: String]

    init(_ texts: [Int: String]) { self.texts = texts }

    var calls: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }

    func read(_ image: GreyImage) throws -> RecognizedText {
        lock.lock()
        seen.append(image.width)
        lock.unlock()
        guard let text = texts[image.width] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let words = text.split(separator: " ").enumerated().map { i, word in
            RecognizedWord(
                text: String(word), confidence: 90, x: i * 10, y: 2, width: 8, height: 6, line: 0)
        }
        return RecognizedText(words: words, languages: "fake")
    }
}

/// A real JPEG `width` pixels wide, so each photo has its own content and width.
private func jpeg(width: Int) throws -> [UInt8] {
    let pixels = [UInt8](repeating: UInt8(width % 251), count: width * 8 * 3)
    return try JPEGFixture.encode(RGBImage(width: width, height: 8, pixels: pixels))
}

private func paths(_ hits: [TextHit]) -> [String] {
    hits.map { String(decoding: RawPath.baseName($0.path), as: UTF8.self) }
}

@Suite("Text pass")
struct TextPassTests {
    @Test("reads only photos whose vectors are stored, once per content, and makes them findable")
    func readsAfterVectors() throws {
        let f = try IndexFixture()
        f.tree.write(Array("sign.jpg".utf8), try jpeg(width: 16))
        f.tree.write(Array("copy.jpg".utf8), try jpeg(width: 16))
        f.tree.write(Array("menu.jpg".utf8), try jpeg(width: 24))
        _ = try f.index()
        // Written after the embedding pass: no vector, so the text pass leaves it alone.
        f.tree.write(Array("later.jpg".utf8), try jpeg(width: 32))
        let reader = FakeReader([16: "营业时间 9:00", 24: "Coffee menu", 32: "later"])
        let pass = TextPass(store: f.store, pipeline: ImagePipeline()) { try reader.read($0) }
        var seen: [TextProgress] = []
        let report = try pass.run { counts, _ in seen.append(counts) }
        #expect(reader.calls.sorted() == [16, 24])
        #expect(report.read == 2 && report.withText == 2 && report.failed == 0)
        #expect(seen.first == TextProgress(done: 0, pending: 2))
        #expect(seen.last == TextProgress(done: 2, pending: 0))
        #expect(Set(paths(try f.store.searchText("营业时间"))) == ["sign.jpg", "copy.jpg"])
        #expect(paths(try f.store.searchText("COFFEE")) == ["menu.jpg"])
        #expect(try f.store.searchText("later").isEmpty)
        // A second pass has nothing to do.
        #expect(try pass.run().read == 0)
        #expect(reader.calls.count == 2)
    }

    @Test("a photo the recognizer fails on is recorded and not retried")
    func failureRecorded() throws {
        let f = try IndexFixture()
        f.tree.write(Array("odd.jpg".utf8), try jpeg(width: 40))
        _ = try f.index()
        let reader = FakeReader([:])
        let pass = TextPass(store: f.store, pipeline: ImagePipeline()) { try reader.read($0) }
        #expect(try pass.run().failed == 1)
        #expect(try pass.run().failed == 0)
        #expect(reader.calls == [40])
        #expect(try f.store.textProgress() == TextProgress(done: 1, pending: 0))
    }

    @Test("a cancelled pass stops before the next photo and a later one continues")
    func cancel() throws {
        let f = try IndexFixture()
        f.tree.write(Array("a.jpg".utf8), try jpeg(width: 16))
        f.tree.write(Array("b.jpg".utf8), try jpeg(width: 24))
        _ = try f.index()
        let reader = FakeReader([16: "alpha", 24: "bravo"])
        let control = IndexControl()
        control.cancel()
        let pass = TextPass(store: f.store, pipeline: ImagePipeline()) { try reader.read($0) }
        #expect(try pass.run(control: control).cancelled)
        #expect(reader.calls.isEmpty)
        #expect(try pass.run().read == 2)
    }

    @Test("a limit stops the pass after that many photos; the next run goes on")
    func limit() throws {
        let f = try IndexFixture()
        f.tree.write(Array("a.jpg".utf8), try jpeg(width: 16))
        f.tree.write(Array("b.jpg".utf8), try jpeg(width: 24))
        _ = try f.index()
        let reader = FakeReader([16: "alpha", 24: "bravo"])
        let pass = TextPass(store: f.store, pipeline: ImagePipeline()) { try reader.read($0) }
        let first = try pass.run(limit: 1)
        #expect(first.read == 1 && first.stoppedAtLimit)
        let second = try pass.run(limit: 1)
        #expect(second.read == 1)
        let third = try pass.run(limit: 1)
        #expect(third.read == 0 && !third.stoppedAtLimit)
        #expect(reader.calls.sorted() == [16, 24])
    }

    @Test("a root with words turned off is skipped, left out of the counts, and shown in status")
    func rootSwitch() throws {
        let f = try IndexFixture()
        f.tree.write(Array("in/a.jpg".utf8), try jpeg(width: 16))
        f.tree.write(Array("out/b.jpg".utf8), try jpeg(width: 24))
        f.tree.write(Array("out2/c.jpg".utf8), try jpeg(width: 32))
        let inside = f.stored("in")
        let off = f.stored("out")
        let indexer = Indexer(
            store: f.store, embedder: f.embedder, processor: Fakes.processor,
            encodeThumbnail: Fakes.encodeThumbnail)
        _ = try indexer.run(roots: [inside, off, f.stored("out2")])
        try f.store.setReadsWords(false, root: off)
        #expect(try f.store.roots().map(\.readsWords) == [true, false, true])
        // "out2" shares the prefix "out" but is another folder: it is still read.
        #expect(try f.store.textProgress() == TextProgress(done: 0, pending: 2))
        let reader = FakeReader([16: "alpha", 24: "bravo", 32: "charlie"])
        let pass = TextPass(store: f.store, pipeline: ImagePipeline()) { try reader.read($0) }
        #expect(try pass.run().read == 2)
        #expect(reader.calls.sorted() == [16, 32])
        let lines = try StatusReport.indexLines(store: f.store)
        #expect(
            lines.contains {
                $0.hasPrefix("  " + RawPath.display(off) + "  (")
                    && $0.hasSuffix(", words in photos not read (--no-ocr))")
            })
        #expect(lines.filter { $0.contains("words in photos not read") }.count == 1)
        #expect(lines.contains("words in photos: 2 of 2 photo contents read"))
        // Turned back on, its photo is read by the next pass.
        try f.store.setReadsWords(true, root: off)
        #expect(try pass.run().read == 1)
    }

    @Test("remembering a switch adds the folders not indexed yet and sets each one")
    func rememberSwitch() throws {
        let f = try IndexFixture()
        let known = f.stored("known")
        let fresh = f.stored("new")
        try f.store.addRoot(known)
        try TextPass.remember(readsWords: false, roots: [known, fresh], store: f.store)
        #expect(try f.store.roots().map(\.path) == [known, fresh])
        #expect(try f.store.roots().map(\.readsWords) == [false, false])
        try TextPass.remember(readsWords: true, roots: [fresh], store: f.store)
        #expect(try f.store.roots().map(\.readsWords) == [false, true])
    }
}

@Suite("text: query terms")
struct TextQueryTests {
    @Test("text: terms are split from the query, quotes keep spaces")
    func split() {
        #expect(TextQuery.split("receipt text:星巴克") == ("receipt", ["星巴克"]))
        #expect(
            TextQuery.split("text:\"opening hours\" sign  board") == (
                "sign board", ["opening hours"]
            ))
        #expect(TextQuery.split("Text:EXIT") == ("", ["EXIT"]))
        #expect(TextQuery.split("context:x dog") == ("context:x dog", []))
        #expect(TextQuery.split("sunset + beach") == ("sunset + beach", []))
    }
}
