import Cells
import Foundation
import PicseekCore
import Testing

@testable import Explorer

@Suite("themes")
struct ThemeTests {
    @Test("theme files set roles, ignore unknown keys and warn about bad values")
    func parse() {
        let text = """
            # a comment
            selection_fg = #ff0000
            selection_bg = "blue"
            selection_attrs = bold, underline
            sparkle_fg = #00ff00
            border_fg = #12345
            error_attrs = blinking
            title_fg = 208
            not a line
            """
        let (theme, warnings) = ThemeParser.parse(text, name: "t")
        #expect(
            theme[.selection]
                == Style(
                    foreground: .rgb(255, 0, 0), background: .indexed(4),
                    attributes: [.bold, .underline]))
        #expect(theme[.border] == Theme.defaultDark[.border])
        #expect(theme[.error] == Theme.defaultDark[.error])
        #expect(theme[.title].foreground == .indexed(208))
        #expect(
            warnings == [
                "theme t line 6: border_fg: bad colour '#12345', using default",
                "theme t line 7: error_attrs: bad attributes 'blinking', using default",
                "theme t line 9: expected key = value",
            ])
    }

    @Test("NO_COLOR strips colours but keeps attributes")
    func noColor() {
        let theme = Theme.defaultDark.withoutColor
        #expect(theme[.selection] == Style(attributes: .bold))
        #expect(theme[.status].background == .default)
    }

    @Test("automatic graphics follows NO_COLOR, COLORTERM and the colour count")
    func graphicsChoice() {
        #expect(
            GraphicsMode.automatic(
                environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"], screenColors: 256)
                == .ascii)
        #expect(
            GraphicsMode.automatic(environment: ["COLORTERM": "truecolor"], screenColors: 1 << 24)
                == .truecolor)
        // COLORTERM alone is enough: the runtime writes 24-bit colours itself
        // when the terminfo entry has 256.
        #expect(
            GraphicsMode.automatic(environment: ["COLORTERM": "24bit"], screenColors: 256)
                == .truecolor)
        #expect(GraphicsMode.automatic(environment: [:], screenColors: 256) == .color256)
        #expect(GraphicsMode.automatic(environment: [:], screenColors: 8) == .ascii)
    }

    @Test("automatic graphics picks the best protocol the terminal answered")
    func protocolChoice() {
        var kitty = TerminalCapabilities()
        kitty.kittyGraphics = true
        kitty.deviceAttributes = [62, 4]
        kitty.cellPixels = PixelSize(width: 10, height: 20)
        let env = ["TERM": "xterm-kitty", "COLORTERM": "truecolor"]
        #expect(
            GraphicsMode.automatic(capabilities: kitty, environment: env, screenColors: 256).mode
                == .kitty)
        var sixel = TerminalCapabilities()
        sixel.deviceAttributes = [63, 1, 4]
        sixel.cellPixels = PixelSize(width: 6, height: 13)
        #expect(
            GraphicsMode.automatic(
                capabilities: sixel, environment: ["TERM": "xterm"], screenColors: 8
            ).mode == .sixel)
        // Without the cell size a sixel picture cannot be sized: half blocks.
        var noCell = sixel
        noCell.cellPixels = nil
        #expect(
            GraphicsMode.automatic(
                capabilities: noCell, environment: ["TERM": "xterm"], screenColors: 256
            ).mode == .color256)
        // GNU screen passes no pictures through.
        var screen = sixel
        screen.insideScreen = true
        #expect(
            GraphicsMode.automatic(
                capabilities: screen, environment: ["TERM": "screen"], screenColors: 256
            ).mode == .color256)
        // WezTerm and iTerm2 get iTerm2 images, even when they also answer kitty.
        #expect(
            GraphicsMode.automatic(
                capabilities: kitty, environment: ["TERM_PROGRAM": "WezTerm"], screenColors: 256
            ).mode == .iterm2)
        #expect(
            GraphicsMode.automatic(
                capabilities: TerminalCapabilities(), environment: ["TERM_PROGRAM": "iTerm.app"],
                screenColors: 256
            ).mode == .iterm2)
        // The first position in DA1 is the terminal class, not an attribute.
        var class4 = TerminalCapabilities()
        class4.deviceAttributes = [4, 1]
        class4.cellPixels = PixelSize(width: 6, height: 13)
        #expect(
            GraphicsMode.automatic(capabilities: class4, environment: [:], screenColors: 256).mode
                == .color256)
        #expect(
            GraphicsMode.automatic(
                capabilities: sixel, environment: ["NO_COLOR": "1"], screenColors: 256
            ).mode == .ascii)
        // Plain xterm: TERM=xterm has 8 colours, but XTerm shows 24-bit colour.
        var xterm = TerminalCapabilities()
        xterm.version = "XTerm(379)"
        xterm.deviceAttributes = [65, 1, 9]
        #expect(
            GraphicsMode.automatic(
                capabilities: xterm, environment: ["TERM": "xterm"], screenColors: 8
            ).mode == .truecolor)
        var tmux = TerminalCapabilities()
        tmux.version = "tmux 3.3a"
        tmux.insideTmux = true
        #expect(
            GraphicsMode.automatic(
                capabilities: tmux, environment: ["TERM": "tmux-256color"], screenColors: 256
            ).mode == .color256)
    }

    @Test("kitty placeholders only where supported: kitty 0.28+, Ghostty, inside tmux")
    func kittyPlaceholders() {
        func caps(_ version: String?, tmux: Bool = false) -> TerminalCapabilities {
            var c = TerminalCapabilities()
            c.version = version
            c.insideTmux = tmux
            return c
        }
        #expect(!GraphicsMode.kittyUsesPlaceholders(capabilities: caps("kitty(0.26.5)")))
        #expect(GraphicsMode.kittyUsesPlaceholders(capabilities: caps("kitty(0.28.0)")))
        #expect(GraphicsMode.kittyUsesPlaceholders(capabilities: caps("kitty(1.0.0)")))
        #expect(GraphicsMode.kittyUsesPlaceholders(capabilities: caps("ghostty 1.1.0")))
        #expect(GraphicsMode.kittyUsesPlaceholders(capabilities: caps(nil, tmux: true)))
        #expect(!GraphicsMode.kittyUsesPlaceholders(capabilities: caps(nil)))
    }

    @Test("prompt language: auto resolves by the query's characters, t cycles three settings")
    func promptLanguage() {
        #expect(PromptLanguage.auto.resolved(for: "夜晚的海") == .chinese)
        #expect(PromptLanguage.auto.resolved(for: "boats at night") == .english)
        #expect(PromptLanguage.english.resolved(for: "夜晚的海") == .english)
        #expect(PromptLanguage.auto.label(for: "夜晚的海") == "auto 中文")
        #expect(PromptLanguage.auto.label(for: "boats") == "auto EN")
        #expect(PromptLanguage.chinese.label(for: "boats") == "中文")
        #expect(PromptLanguage.auto.toggled == .english)
        #expect(PromptLanguage.english.toggled == .chinese)
        #expect(PromptLanguage.chinese.toggled == .auto)
    }
}

@Suite("half-block thumbnails")
struct ThumbnailTests {
    @Test("each cell is an upper half block with the top pixel in front and the bottom behind")
    func halfBlocks() {
        var buffer = CellBuffer(rows: 2, columns: 4)
        Thumbnail.draw(
            Fixtures.whiteOverBlack, into: &buffer, rect: buffer.bounds, mode: .truecolor)
        #expect(buffer.text == "▀▀▀▀\n▀▀▀▀")
        #expect(
            buffer[0, 0].style
                == Style(foreground: .rgb(255, 255, 255), background: .rgb(255, 255, 255)))
        #expect(buffer[1, 3].style == Style(foreground: .rgb(0, 0, 0), background: .rgb(0, 0, 0)))
        var mixed = CellBuffer(rows: 1, columns: 4)
        Thumbnail.draw(
            Fixtures.whiteOverBlack, into: &mixed,
            rect: Rect(row: 0, column: 0, rows: 1, columns: 2), mode: .truecolor)
        #expect(
            mixed[0, 0].style == Style(foreground: .rgb(255, 255, 255), background: .rgb(0, 0, 0)))
    }

    @Test("256, mono and ASCII modes quantise the same pixels")
    func otherModes() {
        var buffer = CellBuffer(rows: 1, columns: 2)
        Thumbnail.draw(Fixtures.whiteOverBlack, into: &buffer, rect: buffer.bounds, mode: .color256)
        #expect(buffer[0, 0].style == Style(foreground: .indexed(231), background: .indexed(16)))
        Thumbnail.draw(Fixtures.whiteOverBlack, into: &buffer, rect: buffer.bounds, mode: .mono)
        #expect(buffer[0, 0].style == Style(foreground: .indexed(255), background: .indexed(232)))
        var ascii = CellBuffer(rows: 2, columns: 10)
        Thumbnail.draw(
            Fixtures.gradient(width: 10, height: 4), into: &ascii, rect: ascii.bounds, mode: .ascii)
        #expect(ascii.line(0) == " .:-=+*#%@")
    }

    @Test("large thumbnails are shrunk once on arrival, keeping the aspect ratio")
    func limitedOnArrival() {
        var state = Fixtures.state()
        Fixtures.send(&state, .searchResults(seq: 0, hits: Fixtures.hits(1)))
        Fixtures.send(
            &state, .thumbnailLoaded(photoID: 1, image: Fixtures.gradient(width: 800, height: 400)))
        let stored = state.thumbnails[1] ?? nil
        #expect(stored?.width == 192 && stored?.height == 96)
        let small = Fixtures.gradient(width: 64, height: 48)
        #expect(Thumbnail.limited(small, maxSide: 192) == small)
    }

    @Test("a wide image keeps its aspect ratio, centred")
    func aspect() {
        var buffer = CellBuffer(rows: 4, columns: 8)
        Thumbnail.draw(
            Fixtures.gradient(width: 16, height: 4), into: &buffer, rect: buffer.bounds,
            mode: .ascii)
        // 16x4 pixels fit as 8x2 pixels: one cell row, centred vertically;
        // pairs of columns average to 8, 42, 76, 110, 144, 178, 212, 246.
        #expect(buffer.text == "\n .:=+*%@\n\n")
    }
}

@Suite("kitty mode")
struct KittyModeTests {
    @Test("a loaded thumbnail is transmitted once and drawn as placeholders with its id")
    func transmitsAndDraws() throws {
        var state = AppState(rows: 16, columns: 60, theme: .monochrome, graphics: .kitty)
        Fixtures.send(&state, .keyPressed(.escape), .searchResults(seq: 0, hits: Fixtures.hits(3)))
        let effects = Fixtures.send(
            &state, .thumbnailLoaded(photoID: 2, image: Fixtures.whiteOverBlack))
        #expect(
            effects == [.transmitImage(id: 1, image: Fixtures.whiteOverBlack, columns: 8, rows: 4)])
        #expect(Fixtures.send(&state, .keyPressed(.right)) == [])
        let buffer = view(state)
        let rect = try #require(state.layout.tileRect(index: 1, topRow: 0))
        let cell = buffer[rect.row + 1, rect.column + 2]
        #expect(cell.character == KittyGraphics.cell(row: 1, column: 2))
        #expect(cell.style.foreground == .indexed(1))
    }

    @Test("image numbers are reused in turn and the old owner is sent again when visible")
    func reuse() {
        var state = AppState(rows: 16, columns: 60, theme: .monochrome, graphics: .kitty)
        Fixtures.send(&state, .keyPressed(.escape), .searchResults(seq: 0, hits: Fixtures.hits(3)))
        state.nextKittyID = 255
        Fixtures.send(&state, .thumbnailLoaded(photoID: 1, image: Fixtures.whiteOverBlack))
        #expect(state.kittyIDs[1] == 255 && state.nextKittyID == 1)
        state.kittyOwners[1] = 99 // pretend number 1 shows another photo
        state.kittyIDs[99] = 1
        Fixtures.send(&state, .thumbnailLoaded(photoID: 2, image: Fixtures.whiteOverBlack))
        #expect(state.kittyIDs[2] == 1 && state.kittyIDs[99] == nil)
    }
}

@Suite("layout")
struct LayoutTests {
    @Test("panes tile the screen and the detail pane splits only when wide")
    func panes() {
        let wide = Layout(rows: 40, columns: 120, detailOpen: true)
        #expect(wide.query == Rect(row: 0, column: 0, rows: 1, columns: 120))
        #expect(wide.status == Rect(row: 39, column: 0, rows: 1, columns: 120))
        #expect(wide.grid == Rect(row: 2, column: 0, rows: 37, columns: 72))
        #expect(wide.detail == Rect(row: 2, column: 72, rows: 37, columns: 48))
        #expect(wide.tilesPerRow == 5 && wide.visibleTileRows == 5)
        let narrow = Layout(rows: 20, columns: 60, detailOpen: true)
        #expect(
            narrow.grid.isEmpty && narrow.detail == Rect(row: 2, column: 0, rows: 17, columns: 60))
        #expect(Layout(rows: 9, columns: 80, detailOpen: false).tooSmall)
        #expect(Layout(rows: 24, columns: 39, detailOpen: false).tooSmall)
    }

    @Test("tile hit-testing inverts tile placement")
    func hitTesting() {
        let layout = Layout(rows: 40, columns: 120, detailOpen: false)
        for index in 0..<layout.visibleTiles {
            guard let rect = layout.tileRect(index: index + 8, topRow: 1) else {
                Issue.record("tile \(index + 8) not visible")
                continue
            }
            #expect(layout.tileIndex(atRow: rect.row, column: rect.column, topRow: 1) == index + 8)
            #expect(
                layout.tileIndex(atRow: rect.bottom - 1, column: rect.right - 1, topRow: 1) == index
                    + 8)
        }
    }
}

@Suite("formatting")
struct FormatTests {
    @Test("numbers, sizes and durations read naturally")
    func formats() {
        #expect(
            Format.fixed(0.345, decimals: 2) == "0.35" || Format.fixed(0.345, decimals: 2) == "0.34"
        )
        #expect(Format.fixed(2.5, decimals: 1) == "2.5")
        #expect(
            Format.fixed(-0.04, decimals: 1) == "-0.0" || Format.fixed(-0.04, decimals: 1) == "0.0")
        #expect(Format.bytes(812) == "812 B")
        #expect(Format.bytes(2_500_000) == "2.4 MB")
        #expect(Format.duration(6) == "0:06")
        #expect(Format.duration(3725) == "1:02:05")
        #expect(Format.count(1234567) == "1,234,567")
    }
}

@Suite("shipped themes")
struct ShippedThemeTests {
    /// The repository's `themes/` folder, found from this source file.
    static let folder: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // ExplorerTests/PartsTests.swift, Tests
        return parts.joined(separator: "/") + "/themes"
    }()

    @Test(
        "default, light and mono themes parse without warnings and differ",
        arguments: ["default", "light", "mono"])
    func shipped(name: String) throws {
        let text = try String(contentsOfFile: Self.folder + "/\(name).theme", encoding: .utf8)
        let (theme, warnings) = ThemeParser.parse(text, name: name)
        #expect(warnings.isEmpty)
        if name == "mono" {
            for role in StyleRole.allCases {
                #expect(theme[role].foreground == .default && theme[role].background == .default)
            }
            #expect(theme[.selection].attributes.contains(.reverse))
        } else {
            #expect(theme[.selection].background != .default)
        }
        if name == "default" { #expect(theme == Theme.defaultDark) }
    }
}
