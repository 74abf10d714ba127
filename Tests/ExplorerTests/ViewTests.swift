import Cells
import PicseekCore
import Testing

@testable import Explorer

/// The view compared with expected text grids (trailing spaces trimmed).
@Suite("explorer view as text")
struct ViewTests {
    @Test("an empty index explains how to add folders instead of showing an empty grid")
    func emptyIndex() {
        var state = Fixtures.state(rows: 12, columns: 60)
        state.summary = IndexSummary(photos: 0, errors: 0, modelName: "test-clip", roots: [])
        #expect(
            view(state).text == """
                 picseek ❯ type to search your photos, in English or 中文
                ────────────────────────────────────────────────────────────

                  The index is empty.

                  Add a folder of photos with
                      picseek index DIR
                  or run the explorer on folders, then press r:
                      picseek explore DIR


                 test-clip · EN · 0 photos   F1 help  Esc grid  Ctrl-C quit
                """)
    }

    @Test("results show thumbnails, scores and short names in a grid")
    func resultsGrid() {
        var state = Fixtures.state(rows: 16, columns: 60)
        Fixtures.send(&state, .keyPressed(.character("c")), .keyPressed(.escape))
        Fixtures.send(
            &state,
            .searchResults(
                seq: state.latestSeq, hits: Fixtures.hits(9, thumbnail: Fixtures.whiteOverBlack)))
        #expect(
            view(state).text == """
                 picseek ❯ c
                ── 9 results · 1/9 ─────────────────────────────────────────
                ▌@@@@@@@@  @@@@@@@@  @@@@@@@@  @@@@@@@@  @@@@@@@@
                ▌@@@@@@@@  @@@@@@@@  @@@@@@@@  @@@@@@@@  @@@@@@@@
                ▌
                ▌
                ▌0.40 …00  0.39 …01  0.38 …02  0.37 …03  0.36 …04
                 @@@@@@@@  @@@@@@@@  @@@@@@@@  @@@@@@@@
                 @@@@@@@@  @@@@@@@@  @@@@@@@@  @@@@@@@@


                 0.35 …05  0.34 …06  0.33 …07  0.32 …08



                 test-clip · img_00.jpg · EN · 120 photos · 2 errors
                """)
    }

    @Test("the selected photo's detail pane shows path, sizes, date, camera and score")
    func detailPane() {
        var state = Fixtures.state(rows: 20, columns: 90)
        Fixtures.send(&state, .keyPressed(.escape))
        Fixtures.send(
            &state,
            .searchResults(seq: 0, hits: Fixtures.hits(9, thumbnail: Fixtures.whiteOverBlack)))
        let effects = Fixtures.send(&state, .keyPressed(.enter))
        #expect(effects == [.loadDetail(photoID: 1)])
        Fixtures.send(
            &state,
            .detailLoaded(
                PhotoDetail(
                    photoID: 1, path: "/photos/img_00.jpg",
                    metadata: PhotoMetadata(
                        width: 4032, height: 3024, takenAt: "2021-05-03 10:11:12",
                        camera: "Canon EOS 5D"),
                    fileSize: 2_500_000)))
        #expect(
            view(state).text == """
                 picseek ❯ press / to search
                ── 9 results · 1/9 ───────────────────────────────────────────────────────────────────────
                ▌@@@@@@@@@@@@  @@@@@@@@@@@@  @@@@@@@@@@@@             │          @@@@@@@@@@@@@@
                ▌@@@@@@@@@@@@  @@@@@@@@@@@@  @@@@@@@@@@@@             │          @@@@@@@@@@@@@@
                ▌@@@@@@@@@@@@  @@@@@@@@@@@@  @@@@@@@@@@@@             │          @@@@@@@@@@@@@@
                ▌                                                     │          ==============
                ▌                                                     │
                ▌                                                     │
                ▌0.40 img_00   0.39 img_01   0.38 img_02              │
                 @@@@@@@@@@@@  @@@@@@@@@@@@  @@@@@@@@@@@@             │
                 @@@@@@@@@@@@  @@@@@@@@@@@@  @@@@@@@@@@@@             │ img_00.jpg
                 @@@@@@@@@@@@  @@@@@@@@@@@@  @@@@@@@@@@@@             │ score  0.40
                                                                      │ pixels 4032×3024
                                                                      │ file   2.4 MB
                                                                      │ taken  2021-05-03 10:11:12
                 0.37 img_03   0.36 img_04   0.35 img_05              │ camera Canon EOS 5D
                                                                      │ folder /photos
                                                                      │ path
                                                                1-2/3 │ /photos/img_00.jpg
                 test-clip · img_00.jpg · EN · 120 photos · 2 errors             ? help  / search  q quit
                """)
    }

    @Test("toggling the language shows 中文 in the status line and searches again")
    func languageToggle() {
        var state = Fixtures.state(rows: 12, columns: 80)
        Fixtures.send(&state, .keyPressed(.character("d")), .keyPressed(.character("o")))
        Fixtures.send(&state, .keyPressed(.character("g")))
        let effects = Fixtures.send(&state, .keyPressed(.control("t")))
        #expect(state.language == .chinese)
        #expect(effects == [.search(seq: 4, query: "dog", language: .chinese)])
        let lines = view(state).lines
        #expect(lines[11].hasPrefix(" test-clip · 中文 · 120 photos · 2 errors "))
        #expect(lines[11].hasSuffix("prompt language: 中文 "))
        Fixtures.send(&state, .keyPressed(.escape))
        Fixtures.send(&state, .keyPressed(.character("t")))
        // The third setting: chosen per query, and the status line says what "dog" uses.
        #expect(state.language == .auto)
        #expect(view(state).lines[11].contains(" auto EN · 120 photos"))
        Fixtures.send(&state, .keyPressed(.character("t")))
        #expect(state.language == .english)
        #expect(view(state).lines[11].contains(" EN · 120 photos"))
    }

    @Test("the help overlay lists every key binding")
    func helpOverlay() {
        var state = Fixtures.state(rows: 24, columns: 70)
        Fixtures.send(&state, .keyPressed(.escape), .keyPressed(.character("?")))
        let text = view(state).text
        #expect(
            text == """
                 picseek ❯ press / to search
                   ┌ keys ────────────────────────────────────────────────────────┐
                   │ / Esc          focus the query line / leave it               │
                   │ Enter          query: search, go to grid; grid: detail pane  │
                   │ Tab S-Tab      cycle focus: query, grid, detail              │
                   │ ←↓↑→ hjkl      move the selection; mouse: click, wheel       │
                   │ PgUp PgDn      a page; Home End (g G): first, last           │
                   │ s              more like this photo                          │
                   │ d              order: best first / newest / oldest first     │
                   │ Space          mark / unmark; marked paths print on quit     │
                   │ o              open in the system viewer                     │
                   │ y              copy the path (OSC 52)                        │
                   │ r              reindex the folders in the background         │
                   │ t Ctrl-T       prompt language: auto / English / 中文        │
                   │ w Ctrl-F       search the words in photos (OCR) / by meaning │
                   │ m              next model with vectors in this index         │
                   │ ↑ ↓            query history (in the query line)             │
                   │ Ctrl-W Ctrl-U  delete word / to line start; Ctrl-K: to end   │
                   │ Ctrl-A Ctrl-E  line start / end; Alt-B Alt-F: word           │
                   │ ? F1           this help                                     │
                   │ q Esc Ctrl-C   quit (Esc from the grid; Ctrl-C prints none)  │
                   │ any key closes this help                                     │
                   └──────────────────────────────────────────────────────────────┘
                 test-clip · EN · 120 photos · 2 errors      ? help  / search  q quit
                """)
        for binding in KeyMap.bindings { #expect(text.contains(binding.keys)) }
        Fixtures.send(&state, .keyPressed(.character("x")))
        #expect(!state.helpVisible)
    }

    @Test("a terminal below the minimum size shows a message, and q quits from it")
    func tinyTerminal() {
        var state = Fixtures.state(rows: 6, columns: 30)
        #expect(
            view(state).text == """

                      terminal too small
                    need 40x10, have 30x6
                enlarge it, or press q to quit


                """)
        #expect(Fixtures.send(&state, .keyPressed(.character("q"))) == [.quit])
        Fixtures.send(&state, .resized(rows: 12, columns: 48))
        #expect(!state.layout.tooSmall)
        #expect(view(state).lines[0].hasPrefix(" picseek ❯"))
    }

    @Test("a CJK query and CJK file names are aligned by display width")
    func cjkAlignment() {
        var state = Fixtures.state(rows: 12, columns: 48)
        Fixtures.send(&state, msgs: Fixtures.typing("海边的日落"))
        Fixtures.send(
            &state,
            .searchResults(
                seq: state.latestSeq,
                hits: [
                    Hit(
                        photoID: 1, path: "/相册/海边.jpg", score: 0.345,
                        thumbnail: Fixtures.whiteOverBlack),
                    Hit(
                        photoID: 2, path: "/相册/日落时分的海滩.jpg", score: 0.301,
                        thumbnail: Fixtures.whiteOverBlack),
                    Hit(
                        photoID: 3, path: "/相册/cat.jpg", score: 0.2,
                        thumbnail: Fixtures.whiteOverBlack),
                ]))
        let buffer = view(state)
        #expect(
            buffer.text == """
                 picseek ❯ 海边的日落
                ── 3 results · 1/3 ─────────────────────────────
                ▏@@@@@@@@  @@@@@@@@  @@@@@@@@
                ▏@@@@@@@@  @@@@@@@@  @@@@@@@@
                ▏
                ▏
                ▏0.34 …边  0.30 …滩  0.20 cat




                 test-clip · EN · 120 photos · 2 errors
                """)
        // The cursor sits after the five double-width characters.
        #expect(buffer.cursor == Position(row: 0, column: 11 + 10))
        // Each label starts at its tile's column.
        #expect(buffer[6, 11].character == "0" && buffer[6, 21].character == "0")
    }

    @Test("a file name with escape sequences and controls is shown escaped")
    func hostileFileName() {
        var state = Fixtures.state(rows: 12, columns: 48)
        Fixtures.send(&state, .keyPressed(.escape))
        Fixtures.send(
            &state,
            .searchResults(
                seq: 0,
                hits: [
                    Hit(
                        photoID: 7, path: "/photos/\u{1B}[2Jevil\nname\u{202E}gpj.exe", score: 0.3,
                        thumbnail: Fixtures.whiteOverBlack)
                ]))
        Fixtures.send(&state, .keyPressed(.enter))
        let buffer = view(state)
        #expect(
            buffer.text == """
                 picseek ❯ press / to search
                ── 1 result · 1/1 ──────────────────────────────
                │ \\e[2Jevil\\nname\\u{202E}gpj.exe
                │ score  0.30
                │ loading details…
                │ folder /photos
                │ path
                │ /photos/\\e[2Jevil\\nname\\u{202E}gpj.exe
                │
                │
                │
                 \\e[2Jevil\\nname\\u{202E}gpj.exe · EN · 120 photo
                """)
        for cell in buffer.cells {
            #expect(
                !cell.character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
        }
    }

    @Test("a long query scrolls horizontally so the cursor stays visible")
    func queryScrolls() {
        var state = Fixtures.state(rows: 12, columns: 40)
        Fixtures.send(&state, msgs: Fixtures.typing("a red bicycle by the canal 在运河边的红色自行车"))
        var buffer = view(state)
        // Text starts at column 11 with 28 columns for it; the text is 47
        // columns wide, so its first 20 columns scroll out of view.
        #expect(buffer.text.split(separator: "\n")[0] == " picseek ❯  canal 在运河边的红色自行车")
        #expect(buffer.cursor == Position(row: 0, column: 38))
        Fixtures.send(&state, .keyPressed(.home))
        buffer = view(state)
        // "在" would straddle the edge, so the line ends before it.
        #expect(buffer.text.split(separator: "\n")[0] == " picseek ❯ a red bicycle by the canal")
        #expect(buffer.cursor == Position(row: 0, column: 11))
    }
}
