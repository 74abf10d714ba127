import Cells
import PicseekCore
import Testing

@testable import Explorer

/// Message replays through `update`.
@Suite("explorer update")
struct UpdateTests {
    @Test("typing searches as you type with rising sequence numbers")
    func searchAsYouType() {
        var state = Fixtures.state()
        let effects = Fixtures.send(&state, msgs: Fixtures.typing("cat"))
        #expect(
            effects == [
                .search(seq: 1, query: "c", language: .english),
                .search(seq: 2, query: "ca", language: .english),
                .search(seq: 3, query: "cat", language: .english),
            ])
        #expect(state.searching)
    }

    @Test("stale results are dropped, the latest are shown")
    func staleResultsDropped() {
        var state = Fixtures.state()
        Fixtures.send(&state, msgs: Fixtures.typing("cat"))
        Fixtures.send(&state, .searchResults(seq: 1, hits: Fixtures.hits(3)))
        #expect(state.hits.isEmpty)
        #expect(state.searching)
        Fixtures.send(&state, .searchResults(seq: 3, hits: Fixtures.hits(5)))
        #expect(state.hits.count == 5)
        #expect(!state.searching)
        Fixtures.send(&state, .searchResults(seq: 2, hits: Fixtures.hits(2)))
        #expect(state.hits.count == 5)
        Fixtures.send(&state, .searchFailed(seq: 2, message: "late"))
        #expect(state.message == nil)
    }

    @Test("results ask for the thumbnails of visible tiles once")
    func thumbnailRequests() {
        var state = Fixtures.state(rows: 16, columns: 60) // 5 tiles per row, 2 rows
        Fixtures.send(&state, .keyPressed(.character("x")))
        let effects = Fixtures.send(&state, .searchResults(seq: 1, hits: Fixtures.hits(30)))
        #expect(effects == (1...10).map { .loadThumbnail(photoID: Int64($0)) })
        Fixtures.send(&state, .keyPressed(.escape))
        // Moving within the visible page asks for nothing new.
        #expect(Fixtures.send(&state, .keyPressed(.character("l"))) == [])
        // Paging down reveals ten new tiles.
        let paged = Fixtures.send(&state, .keyPressed(.pageDown))
        #expect(paged == (11...20).map { .loadThumbnail(photoID: Int64($0)) })
        Fixtures.send(&state, .thumbnailLoaded(photoID: 11, image: Fixtures.whiteOverBlack))
        #expect(state.thumbnail(for: state.hits[10]) == Fixtures.whiteOverBlack)
        #expect(!state.pendingThumbnails.contains(11))
    }

    @Test("selection moves by cell, row and page, and the grid scrolls with it")
    func selectionAndPaging() {
        var state = Fixtures.state(rows: 16, columns: 60) // 5 per row, 2 visible rows
        Fixtures.send(
            &state, .keyPressed(.escape), .searchResults(seq: 0, hits: Fixtures.hits(200)))
        Fixtures.send(&state, .keyPressed(.right), .keyPressed(.character("l")))
        #expect(state.selection == 2)
        Fixtures.send(&state, .keyPressed(.down))
        #expect(state.selection == 7)
        Fixtures.send(&state, .keyPressed(.character("j")))
        #expect(state.selection == 12)
        #expect(state.gridTopRow == 1)
        Fixtures.send(&state, .keyPressed(.pageDown))
        #expect(state.selection == 22)
        #expect(state.gridTopRow == 3)
        Fixtures.send(&state, .keyPressed(.end))
        #expect(state.selection == 199)
        #expect(state.gridTopRow == 38)
        Fixtures.send(&state, .keyPressed(.pageUp), .keyPressed(.character("k")))
        #expect(state.selection == 184)
        Fixtures.send(&state, .keyPressed(.home), .keyPressed(.left), .keyPressed(.up))
        #expect(state.selection == 0)
        #expect(state.gridTopRow == 0)
    }

    @Test("letters type into the focused query, and are commands in the grid")
    func focusDecidesLetters() {
        var state = Fixtures.state()
        Fixtures.send(&state, msgs: Fixtures.typing("qs"))
        #expect(state.query.text == "qs")
        Fixtures.send(&state, .keyPressed(.escape))
        #expect(state.focus == .grid)
        #expect(Fixtures.send(&state, .keyPressed(.character("q"))) == [.quit])
        Fixtures.send(&state, .keyPressed(.character("/")))
        #expect(state.focus == .query)
        #expect(Fixtures.send(&state, .keyPressed(.control("c"))) == [.quit])
    }

    @Test("Tab cycles query, grid and the detail pane when it is open")
    func tabCycles() {
        var state = Fixtures.state(rows: 20, columns: 90)
        Fixtures.send(&state, .searchResults(seq: 0, hits: Fixtures.hits(3)))
        Fixtures.send(&state, .keyPressed(.tab))
        #expect(state.focus == .grid)
        Fixtures.send(&state, .keyPressed(.tab))
        #expect(state.focus == .query)
        Fixtures.send(&state, .keyPressed(.tab), .keyPressed(.enter), .keyPressed(.tab))
        #expect(state.detailOpen)
        #expect(state.focus == .detail)
        Fixtures.send(&state, .keyPressed(.backTab))
        #expect(state.focus == .grid)
    }

    @Test("query history walks back and forward and restores the draft")
    func history() {
        var state = Fixtures.state()
        Fixtures.send(&state, msgs: Fixtures.typing("dog"))
        Fixtures.send(
            &state, .keyPressed(.enter), .keyPressed(.character("/")), .keyPressed(.control("u")))
        Fixtures.send(&state, msgs: Fixtures.typing("sea"))
        Fixtures.send(
            &state, .keyPressed(.enter), .keyPressed(.character("/")), .keyPressed(.control("u")))
        Fixtures.send(&state, msgs: Fixtures.typing("dra"))
        let effects = Fixtures.send(&state, .keyPressed(.up))
        #expect(state.query.text == "sea")
        #expect(effects == [.search(seq: state.latestSeq, query: "sea", language: .english)])
        Fixtures.send(&state, .keyPressed(.up))
        #expect(state.query.text == "dog")
        Fixtures.send(&state, .keyPressed(.up))
        #expect(state.query.text == "dog")
        Fixtures.send(&state, .keyPressed(.down), .keyPressed(.down))
        #expect(state.query.text == "dra")
        #expect(state.query.history == ["dog", "sea"])
    }

    @Test("Ctrl-W deletes a word, Ctrl-U the line start, cursor keys move by grapheme")
    func editing() {
        var state = Fixtures.state()
        Fixtures.send(&state, msgs: Fixtures.typing("red bike  "))
        Fixtures.send(&state, .keyPressed(.control("w")))
        #expect(state.query.text == "red ")
        Fixtures.send(&state, msgs: Fixtures.typing("海边"))
        Fixtures.send(&state, .keyPressed(.left), .keyPressed(.backspace))
        #expect(state.query.text == "red 边")
        #expect(state.query.cursor == 4)
        Fixtures.send(&state, .keyPressed(.control("u")))
        #expect(state.query.text == "边")
        Fixtures.send(
            &state, .keyPressed(.end), .keyPressed(.delete), .keyPressed(.home),
            .keyPressed(.delete))
        #expect(state.query.text == "")
        // An empty query clears results instead of searching.
        #expect(state.hits.isEmpty && !state.searching)
    }

    @Test("an input method commit of several characters and a late combining mark edit as text")
    func inputMethodCommit() {
        var state = Fixtures.state()
        Fixtures.send(&state, msgs: Fixtures.typing("日落"))
        Fixtures.send(&state, .keyPressed(.character("e")), .keyPressed(.character("\u{301}")))
        #expect(state.query.text == "日落é")
        #expect(state.query.cursor == 3)
        #expect(state.query.cursorColumn == 5)
        Fixtures.send(&state, .keyPressed(.backspace))
        #expect(state.query.text == "日落")
    }

    @Test("more like this, open and copy act on the selected photo")
    func actions() {
        var state = Fixtures.state()
        Fixtures.send(&state, .keyPressed(.escape), .searchResults(seq: 0, hits: Fixtures.hits(3)))
        Fixtures.send(&state, .keyPressed(.right))
        #expect(
            Fixtures.send(&state, .keyPressed(.character("s"))) == [
                .moreLikeThis(seq: 1, photoID: 2)
            ])
        #expect(state.source == .similar(photoID: 2, name: "img_01.jpg"))
        Fixtures.send(&state, .searchResults(seq: 1, hits: Fixtures.hits(4)))
        #expect(state.selection == 0)
        #expect(
            Fixtures.send(&state, .keyPressed(.character("o"))) == [
                .open(path: Array("/photos/img_00.jpg".utf8))
            ])
        #expect(
            Fixtures.send(&state, .keyPressed(.character("y")))
                == [.copyToClipboard(bytes: Array("/photos/img_00.jpg".utf8))])
    }

    @Test("open and copy pass a path that is not UTF-8 byte for byte; the grid shows it escaped")
    func rawPathBytes() {
        var state = Fixtures.state()
        let raw: [UInt8] =
            Array("/photos/".utf8) + [
                0x62, 0xFF, 0xFE, 0x1B, 0x5B, 0x32, 0x4A, 0x2E, 0x6A, 0x70, 0x67,
            ]
        let hit = Hit(photoID: 7, pathBytes: raw, score: 0.5)
        Fixtures.send(&state, .keyPressed(.escape), .searchResults(seq: 0, hits: [hit]))
        #expect(Fixtures.send(&state, .keyPressed(.character("o"))) == [.open(path: raw)])
        #expect(
            Fixtures.send(&state, .keyPressed(.character("y"))) == [.copyToClipboard(bytes: raw)])
        #expect(hit.fileName == "b\u{FFFD}\u{FFFD}\u{1B}[2J.jpg")
        Fixtures.send(&state, .keyPressed(.enter))
        let screen = view(state).lines.joined(separator: "\n")
        #expect(!screen.contains("\u{1B}"))
        #expect(screen.contains("[2J.jpg"))
    }

    @Test(
        "d orders the results newest first, oldest first, then best first again, keeping the selection"
    )
    func resultOrder() {
        var state = Fixtures.state()
        let hits = [
            Hit(photoID: 1, path: "/p/a.jpg", score: 0.9, date: "2019-05-01 10:00:00"),
            Hit(photoID: 2, path: "/p/b.jpg", score: 0.8, date: "2023-07-02 09:00:00"),
            Hit(photoID: 3, path: "/p/c.jpg", score: 0.7, date: nil),
            Hit(photoID: 4, path: "/p/d.jpg", score: 0.6, date: "2023-07-02 09:00:00"),
        ]
        Fixtures.send(&state, .keyPressed(.escape), .searchResults(seq: 0, hits: hits))
        Fixtures.send(&state, .keyPressed(.right)) // select b
        Fixtures.send(&state, .keyPressed(.character("d")))
        #expect(state.order == .newest)
        #expect(state.hits.map(\.photoID) == [2, 4, 1, 3]) // equal dates by score, no date last
        #expect(state.selectedHit?.photoID == 2)
        #expect(view(state).lines[1].contains("newest first"))
        #expect(state.message?.text == "order: newest first")

        Fixtures.send(&state, .keyPressed(.character("d")))
        #expect(state.hits.map(\.photoID) == [1, 2, 4, 3])
        #expect(state.selectedHit?.photoID == 2)

        // New results arrive in the chosen order.
        Fixtures.send(&state, .keyPressed(.character("/")))
        let effects = Fixtures.send(&state, msgs: Fixtures.typing("x"))
        guard case .search(let seq, _, _)? = effects.last else {
            Issue.record("typing did not search: \(effects)")
            return
        }
        Fixtures.send(&state, .searchResults(seq: seq, hits: hits))
        #expect(state.hits.map(\.photoID) == [1, 2, 4, 3])

        Fixtures.send(&state, .keyPressed(.escape), .keyPressed(.character("d")))
        #expect(state.order == .score)
        #expect(state.hits.map(\.photoID) == [1, 2, 3, 4])
        #expect(!view(state).lines[1].contains("first"))
    }

    @Test("Space marks and unmarks the selected photo; Ctrl-C aborts, q does not")
    func marking() {
        var state = Fixtures.state()
        Fixtures.send(&state, .keyPressed(.escape), .searchResults(seq: 0, hits: Fixtures.hits(3)))
        Fixtures.send(
            &state, .keyPressed(.character(" ")), .keyPressed(.right), .keyPressed(.character(" ")))
        #expect(state.marked.map(\.photoID) == [1, 2])
        #expect(state.marked[1].pathBytes == Array("/photos/img_01.jpg".utf8))
        let screen = view(state).lines
        #expect(screen[1].contains("2 marked"))
        #expect(screen.joined().contains("✓0.40") && screen.joined().contains("✓0.39"))
        #expect(!screen.joined().contains("✓0.38"))
        Fixtures.send(&state, .keyPressed(.left), .keyPressed(.character(" ")))
        #expect(state.marked.map(\.photoID) == [2])
        // Marks survive a new search.
        Fixtures.send(&state, .searchResults(seq: 0, hits: Fixtures.hits(1)))
        #expect(state.marked.map(\.photoID) == [2])

        #expect(Fixtures.send(&state, .keyPressed(.character("q"))) == [.quit])
        #expect(!state.aborted)
        #expect(Fixtures.send(&state, .keyPressed(.control("c"))) == [.quit])
        #expect(state.aborted)
    }

    @Test("reindex runs once at a time and its progress and end reach the state")
    func reindex() {
        var state = Fixtures.state()
        Fixtures.send(&state, .keyPressed(.escape))
        #expect(Fixtures.send(&state, .keyPressed(.character("r"))) == [.reindex])
        Fixtures.send(&state, .indexProgress(IndexProgress(done: 5, total: 20, rate: 2.5, eta: 6)))
        #expect(view(state).lines[15].contains("indexing 5/20 2.5/s ETA 0:06"))
        #expect(Fixtures.send(&state, .keyPressed(.character("r"))) == [])
        #expect(state.message?.text == "a reindex is already running")
        Fixtures.send(&state, .keyPressed(.character("/")))
        let effects = Fixtures.send(&state, msgs: Fixtures.typing("x"))
        #expect(effects == [.search(seq: 1, query: "x", language: .english)])
        let finished = Fixtures.send(
            &state, .indexFinished(IndexSummary(photos: 140, errors: 2, modelName: "m", roots: [])))
        #expect(!state.reindexing)
        #expect(state.summary?.photos == 140)
        #expect(finished == [.search(seq: 2, query: "x", language: .english), .readWords])
        #expect(state.message?.text == "reindex finished: 140 photos, 2 errors")
        var withSkipped = IndexSummary(photos: 140, errors: 2, modelName: "m", roots: [])
        withSkipped.skipped = 3
        Fixtures.send(
            &state, .keyPressed(.escape), .keyPressed(.character("r")), .indexFinished(withSkipped))
        #expect(
            state.message?.text
                == "reindex finished: 140 photos, 2 errors, 3 skipped (formats picseek does not read)"
        )
    }

    @Test("a failed reindex ends the run, so r can start another")
    func reindexFailure() {
        var state = Fixtures.state()
        Fixtures.send(&state, .keyPressed(.escape), .keyPressed(.character("r")))
        Fixtures.send(&state, .indexFailed("disk full"))
        #expect(!state.reindexing && state.progress == nil)
        #expect(state.message == StatusMessage("reindex failed: disk full", isError: true))
        #expect(Fixtures.send(&state, .keyPressed(.character("r"))) == [.reindex])
        // Other errors do not end a running reindex.
        Fixtures.send(&state, .error("cannot read photo details"))
        #expect(state.reindexing)
    }

    @Test("a mouse click selects the tile under it")
    func mouseSelects() {
        var state = Fixtures.state(rows: 16, columns: 60)
        Fixtures.send(&state, .searchResults(seq: 0, hits: Fixtures.hits(9)))
        Fixtures.send(&state, .keyPressed(.mouse(MouseEvent(row: 8, column: 23, kind: .press))))
        #expect(state.selection == 7)
        #expect(state.focus == .grid)
        Fixtures.send(&state, .keyPressed(.mouse(MouseEvent(row: 8, column: 29, kind: .press))))
        #expect(state.selection == 7) // the gap between tiles
        Fixtures.send(&state, .keyPressed(.mouse(MouseEvent(row: 0, column: 20, kind: .press))))
        #expect(state.focus == .query)
    }

    @Test("errors count up and show escaped in the status line")
    func errors() {
        var state = Fixtures.state()
        Fixtures.send(&state, .error("cannot open /x/\u{1B}]0;evil\u{07}.jpg"))
        #expect(state.errorCount == 1)
        #expect(state.message == StatusMessage("cannot open /x/\\e]0;evil\\x07.jpg", isError: true))
    }

    @Test("a resize re-lays out and keeps the selection visible")
    func resize() {
        var state = Fixtures.state(rows: 40, columns: 120)
        Fixtures.send(
            &state, .keyPressed(.escape), .searchResults(seq: 0, hits: Fixtures.hits(100)))
        Fixtures.send(&state, .keyPressed(.end))
        Fixtures.send(&state, .resized(rows: 16, columns: 60))
        let layout = state.layout
        #expect(layout.tilesPerRow == 5)
        #expect(layout.tileRect(index: state.selection, topRow: state.gridTopRow) != nil)
    }
}
