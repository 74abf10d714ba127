import Testing

@testable import Cells

@Suite("cell buffer")
struct CellBufferTests {
    @Test("wide characters take two cells and lines show them once")
    func wideCharacters() {
        var buffer = CellBuffer(rows: 1, columns: 8)
        let used = buffer.put("a海b", row: 0, column: 0)
        #expect(used == 4)
        #expect(buffer[0, 1].character == "海")
        #expect(buffer[0, 2].isContinuation)
        #expect(buffer.line(0) == "a海b    ")
    }

    @Test("a wide character that does not fit at the edge becomes a space")
    func clipsWide() {
        var buffer = CellBuffer(rows: 1, columns: 4)
        buffer.put("abc海", row: 0, column: 0)
        #expect(buffer.line(0) == "abc ")
        var limited = CellBuffer(rows: 1, columns: 10)
        limited.put("海海海", row: 0, column: 0, maxColumns: 5)
        #expect(limited.text == "海海")
        #expect(!limited[0, 5].isContinuation)
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwriteHalf() {
        var buffer = CellBuffer(rows: 1, columns: 4)
        buffer.put("海", row: 0, column: 0)
        buffer.set(row: 0, column: 1, Cell("x"))
        #expect(buffer.line(0) == " x  ")
        buffer.put("海", row: 0, column: 2)
        buffer.set(row: 0, column: 2, Cell("y"))
        #expect(buffer.line(0) == " xy ")
    }

    @Test("control characters never reach the buffer")
    func controlCharacters() {
        var buffer = CellBuffer(rows: 1, columns: 6)
        buffer.put("a\u{1B}[2J", row: 0, column: 0)
        #expect(buffer.line(0) == "a\u{FFFD}[2J ")
    }

    @Test("a combining mark written alone joins the cell before it")
    func combiningJoins() {
        var buffer = CellBuffer(rows: 1, columns: 3)
        buffer.put("e", row: 0, column: 0)
        buffer.put("x\u{301}", row: 0, column: 1)
        #expect(buffer[0, 1].character == "x\u{301}")
        #expect(buffer.line(0) == "ex\u{301} ")
    }

    @Test("changed positions lists only cells that differ")
    func diff() {
        var a = CellBuffer(rows: 2, columns: 3)
        a.put("abc", row: 0, column: 0)
        var b = a
        b.put("X", row: 1, column: 2)
        b.set(row: 0, column: 0, Cell("a", style: Style(attributes: .bold)))
        #expect(
            b.changedPositions(since: a) == [
                Position(row: 0, column: 0), Position(row: 1, column: 2),
            ])
        #expect(b.changedPositions(since: nil).count == 6)
        #expect(b.changedPositions(since: CellBuffer(rows: 1, columns: 3)).count == 6)
    }

    @Test("a box has corners, edges and a title")
    func box() {
        var buffer = CellBuffer(rows: 3, columns: 10)
        buffer.box(buffer.bounds, title: "ok")
        #expect(buffer.text == "┌ ok ────┐\n│        │\n└────────┘")
    }
}

@Suite("colours")
struct ColorTests {
    @Test("nearest 256 colour picks cube corners and greys")
    func nearest() {
        #expect(Color.nearest256(255, 0, 0) == 196)
        #expect(Color.nearest256(0, 0, 0) == 16)
        #expect(Color.nearest256(255, 255, 255) == 231)
        #expect(Color.nearest256(128, 128, 128) == 244)
        #expect(Color.nearest256(0, 95, 135) == 24)
    }

    @Test("the 256 palette round-trips through its own values")
    func roundTrip() {
        for index in 16...255 {
            let (r, g, b) = Color.rgbOf256(UInt8(index))
            let back = Color.nearest256(r, g, b)
            #expect(Color.rgbOf256(back) == (r, g, b) || back == UInt8(index), "index \(index)")
        }
    }

    @Test("OSC 52 carries base64 of the UTF-8 text")
    func osc52() {
        #expect(OSC52.sequence(copying: "hi") == "\u{1B}]52;c;aGk=\u{07}")
        #expect(OSC52.base64(Array("海.jpg".utf8)) == "5rW3LmpwZw==")
        #expect(OSC52.base64([]) == "")
    }
}
