import Explorer
import ExplorerBackends
import Foundation
import Imaging
import Library
import PicseekCore
import PicseekTestSupport
import Store
import Testing

/// Words "read" in a photo: one line of space-separated words, all confident.
private func words(_ line: String) -> RecognizedText {
    RecognizedText(
        words: line.split(separator: " ").enumerated().map { i, word in
            RecognizedWord(
                text: String(word), confidence: 90, x: i * 10, y: 2, width: 8, height: 6, line: 0)
        }, languages: "fake")
}

/// An index of three photos (real JPEGs of different widths) and a backend over it.
private final class WordsFixture {
    let tree = TempTree()
    let dbTree: TempTree
    let store: IndexStore
    let root: [UInt8]
    /// The widths of the images the fake recognizer was given, in order.
    let seen = Locked<[Int]>([])

    init() throws {
        let dbPath: String
        (dbTree, dbPath) = TempTree.databasePath()
        store = try IndexStore.open(path: dbPath)
        for (name, width) in [("sign", 16), ("menu", 24), ("sea", 32)] {
            let pixels = [UInt8](repeating: UInt8(width * 5), count: width * 8 * 3)
            tree.write(
                Array("\(name).jpg".utf8),
                try JPEG.encode(RGBImage(width: width, height: 8, pixels: pixels), quality: 90))
        }
        guard case .success(let root) = RawPath.canonical(tree.root) else {
            throw BackendFixtureError()
        }
        self.root = root
    }

    struct BackendFixtureError: Error {}

    /// A backend that reads "营业时间 9:00" in 16-pixel-wide photos, "Coffee menu" in 24-pixel
    /// ones and nothing in others; no reader at all when `reads` is false.
    func backend(reads: Bool = true) -> LibraryBackend {
        let seen = self.seen
        return LibraryBackend(
            store: store, roots: [root], embedder: FakeEmbedder(name: "fake", dimension: 16),
            processor: Fakes.processor, folders: [:],
            load: { _, name in (FakeEmbedder(name: name, dimension: 16), Fakes.processor) },
            words: reads
                ? {
                    { image in
                        seen.update { $0.append(image.width) }
                        switch image.width {
                        case 16: return words("营业时间 9:00")
                        case 24: return words("Coffee menu")
                        default: return RecognizedText(words: [], languages: "fake")
                        }
                    }
                } : nil)
    }
}

/// A value behind a lock, for closures called from other threads.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    var current: Value { lock.withLock { value } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&value) } }
}

@Suite("library backend: words in photos")
struct LibraryBackendWordsTests {
    @Test("after a reindex the words are read, with progress, and then found with snippets")
    func readThenSearch() throws {
        let f = try WordsFixture()
        let backend = f.backend()
        let indexed = try backend.reindex { _ in }
        #expect(indexed.photos == 3 && indexed.wordsPending == 3 && indexed.wordsRead == 0)
        #expect(try f.store.roots().map(\.readsWords) == [true])
        let progress = Locked<[WordsProgress]>([])
        let summary = try backend.readWords { step in progress.update { $0.append(step) } }
        #expect(f.seen.current.sorted() == [16, 24, 32])
        #expect(
            progress.current == [
                WordsProgress(done: 0, pending: 3), WordsProgress(done: 1, pending: 2),
                WordsProgress(done: 2, pending: 1), WordsProgress(done: 3, pending: 0),
            ])
        #expect(summary.wordsRead == 3 && summary.wordsPending == 0)
        let hits = try backend.searchWords("营业时间", limit: 10)
        #expect(hits.map(\.fileName) == ["sign.jpg"])
        #expect(hits.first?.snippet == "[营业时间] 9:00")
        #expect(try backend.searchWords("COFFEE", limit: 10).map(\.fileName) == ["menu.jpg"])
        // The detail record carries the words with their boxes.
        let detail = try backend.detail(photoID: hits[0].photoID)
        #expect(detail.words?.words.map(\.text) == ["营业时间", "9:00"])
        #expect(detail.words?.words.last?.x == 10)
    }

    @Test("a text: term typed in the explorer works as in picseek search")
    func textTerms() throws {
        let f = try WordsFixture()
        let backend = f.backend()
        _ = try backend.reindex { _ in }
        _ = try backend.readWords { _ in }
        // Only text: terms: a word search.
        let only = try backend.search(text: "text:menu", language: .english, limit: 10)
        #expect(only.map(\.fileName) == ["menu.jpg"])
        #expect(only.first?.snippet == "coffee [menu]")
        // With other words: ordered by meaning, kept to photos with the words.
        let mixed = try backend.search(
            text: "sign text:\"营业时间 9:00\"", language: .english, limit: 10)
        #expect(mixed.map(\.fileName) == ["sign.jpg"])
        #expect(mixed.first?.snippet == "[营业时间 9:00]")
        #expect(try backend.search(text: "sea text:nowhere", language: .english, limit: 10).isEmpty)
        // Without text: terms, a search by meaning has no snippets.
        let meaning = try backend.search(text: "sea", language: .english, limit: 10)
        #expect(meaning.count == 3 && meaning.allSatisfy { $0.snippet == nil })
    }

    @Test("reading words gives way to a reindex: started while one runs, it reads nothing")
    func givesWayToReindex() throws {
        let f = try WordsFixture()
        let backend = f.backend()
        let returned = DispatchSemaphore(value: 0)
        let started = Locked(false)
        _ = try backend.reindex { _ in
            guard !started.current else { return }
            started.update { $0 = true }
            // Without giving way it would wait for the reindex's lock: this wait would fail.
            Thread {
                _ = try? backend.readWords { _ in }
                returned.signal()
            }.start()
            #expect(returned.wait(timeout: .now() + 20) == .success)
        }
        #expect(started.current)
        #expect(f.seen.current.isEmpty)
        // Once the reindex is done, the words are read.
        #expect(try backend.readWords { _ in }.wordsRead == 3)
    }

    @Test("with reading words off, nothing is read and the summary has nothing pending")
    func readingOff() throws {
        let f = try WordsFixture()
        let backend = f.backend(reads: false)
        _ = try backend.reindex { _ in }
        let summary = try backend.readWords { _ in Issue.record("no progress expected") }
        #expect(summary.wordsRead == 0 && summary.wordsPending == 0)
        #expect(f.seen.current.isEmpty)
        #expect(try backend.searchWords("营业时间", limit: 10).isEmpty)
    }

    @Test("a folder whose words are turned off is not read and not counted as pending")
    func rootSwitchedOff() throws {
        let f = try WordsFixture()
        let backend = f.backend()
        _ = try backend.reindex { _ in }
        try f.store.setReadsWords(false, root: f.root)
        #expect(try f.store.roots().map(\.readsWords) == [false])
        let summary = try backend.readWords { _ in }
        #expect(f.seen.current.isEmpty)
        #expect(summary.wordsRead == 0 && summary.wordsPending == 0)
        try f.store.setReadsWords(true, root: f.root)
        #expect(try backend.readWords { _ in }.wordsRead == 3)
    }
}
