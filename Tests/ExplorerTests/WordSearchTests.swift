import Cells
import PicseekCore
import Testing

@testable import Explorer

/// Hits of a word search: each with the snippet of the words it matched.
private func wordHits() -> [Hit] {
    [
        Hit(
            photoID: 1, path: "/photos/station.jpg", score: 2.5,
            snippet: "北京站 / [营业时间] 9:00-21:00"),
        Hit(
            photoID: 2, path: "/photos/receipt.png", score: 1.5,
            snippet: "…Starbucks Coffee / [营业时间] 7:00…"),
    ]
}

/// Words read in the station sign, one line per text line.
private let stationWords = RecognizedText(
    words: [
        RecognizedWord(text: "北京站", confidence: 95, x: 10, y: 10, width: 90, height: 30, line: 0),
        RecognizedWord(text: "营业时间", confidence: 90, x: 10, y: 50, width: 80, height: 20, line: 1),
        RecognizedWord(text: "9:00", confidence: 88, x: 95, y: 50, width: 30, height: 20, line: 1),
        RecognizedWord(text: "smudge", confidence: 20, x: 0, y: 90, width: 30, height: 9, line: 2),
    ], languages: "chi_sim+eng")

@Suite("explorer word search")
struct WordSearchTests {
    @Test("w in the grid and Ctrl-F anywhere toggle word search, which searches the words")
    func toggle() {
        var state = Fixtures.state(rows: 16, columns: 60)
        Fixtures.send(&state, msgs: Fixtures.typing("营业"))
        var effects = Fixtures.send(&state, .keyPressed(.control("f")))
        #expect(state.wordSearch)
        #expect(effects == [.searchWords(seq: state.latestSeq, query: "营业")])
        // Typing in the query line goes on searching the words.
        effects = Fixtures.send(&state, .keyPressed(.character("时")))
        #expect(effects == [.searchWords(seq: state.latestSeq, query: "营业时")])
        Fixtures.send(&state, .keyPressed(.escape))
        effects = Fixtures.send(&state, .keyPressed(.character("w")))
        #expect(!state.wordSearch)
        #expect(effects == [.search(seq: state.latestSeq, query: "营业时", language: .english)])
        #expect(state.message?.text == "searching by meaning")
        #expect(KeyMap.bindings.contains { $0.keys == "w Ctrl-F" })
    }

    @Test("word search results show the matched words on the tiles, the match in brackets")
    func gridSnippets() {
        var state = Fixtures.state(rows: 12, columns: 60)
        Fixtures.send(&state, .keyPressed(.control("f")))
        Fixtures.send(&state, msgs: Fixtures.typing("营业时间"))
        Fixtures.send(&state, .keyPressed(.enter))
        Fixtures.send(
            &state, .searchResults(seq: state.latestSeq, hits: wordHits()),
            .thumbnailLoaded(photoID: 1, image: Fixtures.whiteOverBlack),
            .thumbnailLoaded(photoID: 2, image: Fixtures.whiteOverBlack))
        let buffer = view(state)
        #expect(
            buffer.text == """
                 picseek words ❯ 营业时间
                ── 2 results in words · 1/2 ────────────────────────────────
                ▌@@@@@@@@  @@@@@@@@
                ▌@@@@@@@@  @@@@@@@@
                ▌
                ▌
                ▌营业时间  营业时间




                 test-clip · station.jpg · EN · 120 photos · 2 errors
                """)
    }

    @Test("a wide tile keeps the match in sight and marks it in the highlight colour")
    func wideTileSnippet() {
        #expect(WordsView.tileSnippet("北京站 / [营业时间] 9:00", columns: 40) == "北京站 / [营业时间] 9:00")
        #expect(
            WordsView.tileSnippet("…Starbucks Coffee / [营业时间] 7:00…", columns: 16)
                == "…/ [营业时间] 7…")
        #expect(WordsView.tileSnippet("…Coffee / [营业时间] 7:00…", columns: 11) == "[营业时间]…")
        #expect(WordsView.tileSnippet("…Coffee / [营业时间] 7:00…", columns: 9) == "营业时间")
        #expect(WordsView.tileSnippet("…Coffee / [营业时间] 7:00…", columns: 5) == "营业…")
        var buffer = CellBuffer(rows: 1, columns: 20)
        let theme = Theme.defaultDark
        let marked = WordsView.highlight(theme, over: theme[.text])
        WordsView.putMarked(
            "a [bc] d", row: 0, column: 0, columns: 20, style: theme[.text], marked: marked,
            into: &buffer)
        #expect(buffer[0, 0].style == theme[.text])
        #expect(buffer[0, 3].style == marked)
        #expect(buffer[0, 7].style == theme[.text])
        #expect(marked.attributes.contains(.bold))
    }

    @Test("the detail pane shows the words read, the query's words highlighted")
    func detailWords() {
        var state = Fixtures.state(rows: 22, columns: 90)
        Fixtures.send(&state, .keyPressed(.control("f")))
        Fixtures.send(&state, msgs: Fixtures.typing("营业时间"))
        Fixtures.send(&state, .keyPressed(.enter))
        Fixtures.send(&state, .searchResults(seq: state.latestSeq, hits: wordHits()))
        let effects = Fixtures.send(&state, .keyPressed(.enter))
        #expect(effects.contains(.loadDetail(photoID: 1)))
        Fixtures.send(
            &state,
            .detailLoaded(
                PhotoDetail(photoID: 1, path: "/photos/station.jpg", words: stationWords)))
        let buffer = view(state)
        #expect(
            buffer.text == """
                 picseek words ❯ 营业时间
                ── 2 results in words · 1/2 ──────────────────────────────────────────────────────────────
                ▌░░░░░░░░░░░░  ░░░░░░░░░░░░                           │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                ▌░░░░░░░░░░░░  ░░░░░░░░░░░░                           │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                ▌░░░░░░░░░░░░  ░░░░░░░░░░░░                           │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                ▌░░░░░░░░░░░░  ░░░░░░░░░░░░                           │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                ▌░░░░░░░░░░░░  ░░░░░░░░░░░░                           │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                ▌░░░░░░░░░░░░  ░░░░░░░░░░░░                           │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                ▌[营业时间] …  [营业时间] …                           │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                                                                      │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                                                                      │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                                                                      │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                                                                      │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                                                                      │
                                                                      │ station.jpg
                                                                      │ folder /photos
                                                                      │ path
                                                                      │ /photos/station.jpg
                                                                      │ words
                                                                      │ 北京站
                                                                      │ 营业时间 9:00
                 test-clip · station.jpg · EN · 120 photos · 2 errors            ? help  / search  q quit
                """)

        // The match is drawn in the highlight style; the rest of the line is not.
        let lines = buffer.lines
        guard let row = lines.firstIndex(where: { $0.contains("营业时间 9:00") }) else {
            Issue.record("no line with the words")
            return
        }
        guard let column = (0..<buffer.columns).first(where: { buffer[row, $0].character == "营" })
        else {
            Issue.record("no 营 on the line")
            return
        }
        let marked = WordsView.highlight(state.theme, over: state.theme[.text])
        #expect(buffer[row, column].style == marked)
        #expect(buffer[row, column + 6].style == marked)
        #expect(buffer[row, column + 9].style == state.theme[.text])
        // The low-confidence word is not shown.
        #expect(!buffer.text.contains("smudge"))
    }

    @Test("in a pixel mode the matched words' boxes are drawn on the detail pane's picture")
    func wordBoxes() throws {
        var state = AppState(rows: 22, columns: 90, theme: .monochrome, graphics: .sixel)
        state.summary = Fixtures.summary
        Fixtures.send(&state, .keyPressed(.control("f")))
        Fixtures.send(&state, msgs: Fixtures.typing("营业时间"))
        Fixtures.send(&state, .keyPressed(.enter))
        Fixtures.send(&state, .searchResults(seq: state.latestSeq, hits: wordHits()))
        Fixtures.send(&state, .keyPressed(.enter))
        // The photo is 400x200; its preview 200x100, white.
        let white = RGBImage(
            width: 200, height: 100, pixels: [UInt8](repeating: 255, count: 200 * 100 * 3))
        Fixtures.send(
            &state,
            .detailLoaded(
                PhotoDetail(
                    photoID: 1, path: "/photos/station.jpg",
                    metadata: PhotoMetadata(width: 400, height: 200), preview: white,
                    words: stationWords)))
        let placement = try #require(viewFrame(state).images.first { $0.kind == .preview })
        #expect(placement.marks != 0)
        let image = try #require(state.image(for: placement))
        func pixel(_ x: Int, _ y: Int) -> [UInt8] {
            Array(image.pixels[(y * image.width + x) * 3..<(y * image.width + x) * 3 + 3])
        }
        // 营业时间 is at 10,50 80x20 in the photo: 5,25 40x10 in the preview.
        #expect(pixel(3, 30) == WordsView.boxColor)
        #expect(pixel(20, 23) == WordsView.boxColor)
        #expect(pixel(20, 30) == [255, 255, 255])
        #expect(pixel(150, 80) == [255, 255, 255])
        // 北京站 did not match: no box around it (10,10 in the photo: 5,5 here).
        #expect(pixel(20, 3) == [255, 255, 255])
        // Back to a search by meaning: no words to mark, the picture as it is.
        Fixtures.send(&state, .keyPressed(.character("w")))
        let plain = try #require(viewFrame(state).images.first { $0.kind == .preview })
        #expect(plain.marks == 0)
        #expect(state.image(for: plain) == white)
    }

    @Test("a text: term typed in a search by meaning is highlighted in the detail pane")
    func textTermHighlight() {
        #expect(SearchWords.terms("receipt text:星巴克", wordSearch: false) == ["星巴克"])
        #expect(
            SearchWords.terms("sign text:\"Opening Hours\"", wordSearch: false)
                == ["opening hours"])
        #expect(
            SearchWords.terms("sign text:\"Opening Hours\"", wordSearch: true) == [
                "sign", "text:opening hours",
            ])
        #expect(
            SearchWords.matches(in: "Opening hours 9-5, opening", terms: ["opening"]) == [
                0..<7, 19..<26,
            ])
        var state = Fixtures.state(rows: 22, columns: 90)
        Fixtures.send(&state, msgs: Fixtures.typing("sign text:营业"))
        #expect(state.highlightedWords == ["营业"])
        let lines = WordsView.detailLines(stationWords, terms: state.highlightedWords, width: 10)
        #expect(lines.map(\.text) == ["北京站", "营业时间 9", ":00"])
        #expect(lines[1].marks == [0..<2])
    }

    @Test("a text: term in a search by meaning: tiles show the matched words, detail highlights")
    func textTermGrid() {
        var state = Fixtures.state(rows: 14, columns: 90)
        Fixtures.send(&state, msgs: Fixtures.typing("sign text:营业"))
        Fixtures.send(&state, .keyPressed(.enter))
        #expect(state.latestSeq > 0)
        var hits = wordHits()
        hits[0].snippet = "北京站 / [营业]时间 9:00-21:00"
        hits[1].snippet = "…Coffee / [营业]时间 7:00…"
        Fixtures.send(&state, .searchResults(seq: state.latestSeq, hits: hits))
        Fixtures.send(&state, .keyPressed(.enter))
        Fixtures.send(
            &state,
            .detailLoaded(
                PhotoDetail(photoID: 1, path: "/photos/station.jpg", words: stationWords)))
        let buffer = view(state)
        #expect(
            buffer.text == """
                 picseek ❯ sign text:营业
                ── 2 results · 1/2 ───────────────────────────────────────────────────────────────────────
                ▌░░░░░░░░  ░░░░░░░░                                   │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                ▌░░░░░░░░  ░░░░░░░░                                   │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                ▌░░░░░░░░  ░░░░░░░░                                   │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
                ▌░░░░░░░░  ░░░░░░░░                                   │
                ▌[营业]…   [营业]…                                    │ station.jpg
                                                                      │ folder /photos
                                                                      │ path
                                                                      │ /photos/station.jpg
                                                                      │ words
                                                                      │ 北京站
                                                                      │ 营业时间 9:00
                 test-clip · station.jpg · EN · 120 photos · 2 errors            ? help  / search  q quit
                """)
        // Only 营业 is highlighted on the line, not 时间.
        let row = 12
        guard let column = (0..<buffer.columns).first(where: { buffer[row, $0].character == "营" })
        else {
            Issue.record("no 营 on the words line")
            return
        }
        let marked = WordsView.highlight(state.theme, over: state.theme[.text])
        #expect(buffer[row, column].style == marked)
        #expect(buffer[row, column + 2].style == marked)
        #expect(buffer[row, column + 4].style == state.theme[.text])
    }

    @Test("after a reindex the words are read; the status line shows how far")
    func readingProgress() {
        var state = Fixtures.state(rows: 12, columns: 80)
        Fixtures.send(&state, .keyPressed(.escape))
        Fixtures.send(&state, .keyPressed(.character("r")))
        let effects = Fixtures.send(&state, .indexFinished(Fixtures.summary))
        #expect(effects == [.readWords])
        Fixtures.send(&state, .wordsProgress(WordsProgress(done: 3, pending: 7)))
        // A key clears the "reindex finished" message.
        Fixtures.send(&state, .keyPressed(.character("j")))
        #expect(
            view(state).lines[11].hasPrefix(
                " test-clip · EN · 120 photos · 2 errors · reading words 3/10 "))
        var summary = Fixtures.summary
        summary.wordsRead = 10
        Fixtures.send(&state, .wordsFinished(summary))
        #expect(!state.readingWords)
        #expect(!view(state).lines[11].contains("words"))
    }

    @Test("words another process is still reading show in the status line")
    func pendingFromSummary() {
        var state = Fixtures.state(rows: 12, columns: 80)
        var summary = Fixtures.summary
        summary.wordsRead = 40
        summary.wordsPending = 2
        Fixtures.send(&state, .keyPressed(.escape), .summaryLoaded(summary))
        #expect(
            view(state).lines[11].hasPrefix(
                " test-clip · EN · 120 photos · 2 errors · words read 40/42 "))
    }

    @Test("a backend without words says so when reading or searching them")
    func failure() {
        var state = Fixtures.state(rows: 12, columns: 80)
        Fixtures.send(&state, .wordsFailed("no tesseract"))
        #expect(
            state.message == StatusMessage("words in photos not read: no tesseract", isError: true))
        #expect(!state.readingWords)
    }
}
