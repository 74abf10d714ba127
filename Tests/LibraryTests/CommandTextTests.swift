import Foundation
import PicseekCore
import PicseekTestSupport
import Store
import Testing

@testable import Library

#if canImport(Glibc)
    import Glibc
#endif

/// The text the commands print, produced by the library: watch events, index summaries,
/// progress lines, the systemd unit, duplicate groups, retrieval reports.
@Suite("command text")
struct CommandTextTests {
    @Test("unit file words are quoted so systemd passes them unchanged")
    func quoting() {
        #expect(ServiceUnit.quote("/photos/a b") == "\"/photos/a b\"")
        let awkward = ServiceUnit.quote("100% \"best\" $HOME \\x")
        #expect(awkward == "\"100%% \\\"best\\\" $$HOME \\\\x\"")
    }

    @Test("the unit goes under XDG_CONFIG_HOME when it is absolute, else under HOME")
    func unitFolder() {
        #expect(
            ServiceUnit.folder(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/h"])
                == "/cfg/systemd/user")
        #expect(
            ServiceUnit.folder(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"])
                == "/h/.config/systemd/user")
        #expect(ServiceUnit.folder(environment: [:]) == nil)
        let text = ServiceUnit.text(arguments: ["/bin/picseek", "watch"])
        #expect(text.contains("ExecStart=\"/bin/picseek\" \"watch\"\n"))
    }

    @Test("watch events go to the right stream with singular and plural counts")
    func watchEvents() {
        let watching = WatchEventText.lines(.watching(roots: 1, folders: 3))
        #expect(watching.map(\.text) == ["watching 3 folders under 1 root (Ctrl-C to stop)"])
        #expect(watching.map(\.stream) == [.output])
        var report = IndexReport()
        report.scanned = 4
        report.seconds = 0.25
        let quiet = WatchEventText.lines(.updated(report, full: false))
        #expect(quiet.isEmpty)
        let full = WatchEventText.lines(.updated(report, full: true))
        #expect(full.map(\.text) == ["rescanned: 4 photos, no changes (0.2 s)"])
        report.added = 1
        report.duplicates = 1
        report.removed = 3
        let changed = WatchEventText.lines(.updated(report, full: false))
        #expect(changed.map(\.text) == ["2 added, 3 removed (0.2 s)"])
        let gone = WatchEventText.lines(.rootGone(Array("/mnt/\u{1b}x".utf8)))
        #expect(gone.map(\.stream) == [.error])
        #expect(gone.first?.text.hasPrefix("/mnt/\\e") == true)
        let failed = WatchEventText.lines(.failed("bad \u{1b}[2J"))
        #expect(failed.map(\.text) == ["error: bad \\e[2J"])
    }

    @Test("an index summary counts duplicates as added and says when it was interrupted")
    func indexSummary() {
        var report = IndexReport()
        report.scanned = 10
        report.added = 2
        report.duplicates = 1
        report.unchanged = 7
        report.seconds = 1.25
        #expect(
            report.summaryLine
                == "10 photos found, 3 added, 0 updated, 0 moved, 0 removed, 0 failed, "
                + "7 unchanged (1.2 s)")
        #expect(report.skippedLine == nil)
        report.cancelled = true
        report.skipped = [".jxl": 1, ".raw": 2, ".bmp": 1]
        #expect(report.summaryLine.hasSuffix("interrupted; rerun to continue (1.2 s)"))
        #expect(
            report.skippedLine
                == "skipped 4 files in formats picseek does not read (only JPEG, PNG, WebP, GIF, "
                + "TIFF, HEIC/HEIF, AVIF and camera RAW): .raw 2, .bmp 1, .jxl 1")
    }

    @Test("progress lines show counts, rate, time left and a bar cut to the width")
    func progressLines() {
        var p = IndexProgress(
            phase: .indexing, scanned: 10, done: 5, total: 10, failed: 1, reused: 0, rate: 2.5,
            eta: 125, current: Array("/p/IMG_1.jpg".utf8), lastError: nil)
        #expect(ProgressRenderer.plainLine(p) == "indexing: 5/10, 1 failed, 2.5/s, eta 2m05s")
        #expect(
            ProgressRenderer.barLine(p, width: 200)
                == "[############............] 5/10 2.5/s eta 2m05s 1 failed  IMG_1.jpg")
        #expect(ProgressRenderer.barLine(p, width: 20).count == 19)
        #expect(ProgressRenderer.duration(3_900) == "1h05m")
        #expect(ProgressRenderer.duration(42) == "42s")
        p.phase = .scanning
        #expect(ProgressRenderer.barLine(p, width: 80) == "scanning: 10 photos found")
    }

    @Test("the first signal is announced by name, Ctrl-C with how to quit at once")
    func announcements() {
        #expect(
            InterruptHandler.announcement(for: SIGINT)
                == "interrupted: finishing the current batch (Ctrl-C again to quit now)")
        #expect(
            InterruptHandler.announcement(for: SIGTERM)
                == "terminated: finishing the current batch")
        #expect(
            InterruptHandler.announcement(for: SIGHUP) == "hung up: finishing the current batch")
        let caught = CaughtSignal()
        #expect(caught.value == nil)
        caught.set(SIGTERM)
        caught.set(SIGINT)
        #expect(caught.value == SIGTERM)
    }

    @Test("the OCR pass names only the counts that are not zero")
    func textPassLines() {
        var report = TextPass.Report()
        report.read = 3
        report.withText = 1
        report.seconds = 2
        #expect(report.summaryLine == "words read in 3 photos, 1 with text (2.0 s)")
        report.timedOut = 1
        report.cancelled = true
        #expect(
            report.summaryLine
                == "words read in 3 photos, 1 with text, 1 over the time budget, "
                + "interrupted; rerun to continue (2.0 s)")
        let counts = TextProgress(done: 2, pending: 3)
        #expect(
            TextPassProgress.line(counts, current: Array("/a/b.png".utf8))
                == "reading words: 2/5  b.png")
        #expect(TextSearch.phrases(["a b", "c"]) == "\"a b\" \"c\"")
    }

    @Test("retrieval reports print four decimals per K, as text and as JSON")
    func retrievalReports() {
        let results = [
            RetrievalEvaluation.LanguageResult(language: "en", recall: [1: 0.5, 5: 1]),
            RetrievalEvaluation.LanguageResult(language: "zh", recall: [1: 0.25, 5: 0.75]),
        ]
        #expect(
            RetrievalEvaluation.plainText(model: "demo", images: 4, results: results)
                == "model demo, 4 images, 4 captions per language\n"
                + "language  R@1     R@5\n"
                + "en        0.5000  1.0000\n"
                + "zh        0.2500  0.7500")
        #expect(
            RetrievalEvaluation.jsonText(model: "demo", queries: 4, results: results)
                == "{\"model\":\"demo\",\"queries\":4,\"en\":{\"R@1\":0.5000,\"R@5\":1.0000},"
                + "\"zh\":{\"R@1\":0.2500,\"R@5\":0.7500}}")
    }

    @Test("a file typed where a folder is needed is an error naming its folder")
    func typedFolder() throws {
        let tree = TempTree()
        let file = tree.write("photos/a.jpg", "not a folder")
        let typed = String(decoding: file, as: UTF8.self)
        let error = #expect(throws: TypedPathError.self) { try RawPath.typedFolder(typed) }
        let message = error?.description ?? ""
        #expect(message.hasPrefix(TerminalSafe.escape(typed) + " is a file, "), "\(message)")
        #expect(message.hasSuffix("/photos) instead"), "\(message)")
        let folder = try RawPath.typedFolder(tree.rootString + "/photos")
        #expect(RawPath.display(folder).hasSuffix("/photos"))
        #expect(throws: TypedPathError.self) {
            try RawPath.typed(tree.rootString + "/missing", mustExist: true)
        }
        let missing = try RawPath.typed("/no/such/place", mustExist: false)
        #expect(missing == Array("/no/such/place".utf8))
    }

    @Test("embed inputs keep the command line's order, texts first when it is unclear")
    func embedInputs() {
        let ordered = EmbedInput.ordered(
            texts: ["cat", "dog"], images: ["a.jpg"],
            arguments: ["picseek", "embed", "--text", "cat", "--image=a.jpg", "--text", "dog"])
        #expect(ordered == [.text("cat"), .image("a.jpg"), .text("dog")])
        let unclear = EmbedInput.ordered(
            texts: ["cat"], images: ["a.jpg"], arguments: ["picseek", "embed"])
        #expect(unclear == [.text("cat"), .image("a.jpg")])
        #expect(
            EmbeddingText.plain(key: "text", value: "c\u{1b}", vector: [0.5, -0.25])
                == "text c\\e: 2 dims [0.5000 -0.2500 ...]")
        #expect(
            EmbeddingText.json(key: "image", value: "a\"b", vector: [1, 0.5])
                == "{\"image\":\"a\\\"b\",\"embedding\":[1.0,0.5]}")
    }
}
