import Cells

/// A tiny VT100/xterm screen model: feeds on the bytes a program writes and
/// keeps the text of each row, like `tmux capture-pane`. Handles what ncurses
/// emits for xterm-256color (cursor moves, erases, repeats, SGR ignored,
/// alternate screen, OSC strings) and UTF-8 with wide characters.
struct VTScreen {
    let rows: Int
    let columns: Int
    private(set) var grid: [[Character]]
    private var row = 0
    private var column = 0
    private var pendingWrap = false
    private var last: Character = " "
    private var state: ParseState = .ground
    private var parameters = ""
    private var utf8: [UInt8] = []
    private var savedCursor = (0, 0)
    private var top = 0
    private var bottom: Int
    /// Every OSC string seen (e.g. "52;c;…").
    private(set) var oscStrings: [String] = []
    private var osc: [UInt8] = []

    private enum ParseState {
        case ground, escape, csi, osc, oscEscape, charset, string, stringEscape
    }

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        grid = Array(repeating: Array(repeating: " ", count: columns), count: rows)
        bottom = rows - 1
    }

    /// The rows as strings, wide characters once, trailing spaces trimmed.
    var lines: [String] {
        grid.map { row in
            var s = String(row.filter { $0 != "\u{0}" })
            while s.last == " " { s.removeLast() }
            return s
        }
    }

    /// All rows joined with newlines.
    var text: String { lines.joined(separator: "\n") }

    mutating func feed(_ bytes: [UInt8]) {
        for byte in bytes { feed(byte) }
    }

    private mutating func feed(_ byte: UInt8) {
        switch state {
        case .ground: ground(byte)
        case .escape: escape(byte)
        case .charset: state = .ground
        case .csi:
            if (0x40...0x7E).contains(byte) {
                csi(final: byte)
                state = .ground
            } else {
                parameters.append(Character(Unicode.Scalar(byte)))
            }
        case .osc:
            if byte == 0x07 {
                oscStrings.append(String(decoding: osc, as: UTF8.self))
                state = .ground
            } else if byte == 0x1B {
                state = .oscEscape
            } else {
                osc.append(byte)
            }
        case .oscEscape:
            oscStrings.append(String(decoding: osc, as: UTF8.self))
            state = .ground
        case .string:
            // APC (kitty graphics) and DCS: ignored up to the string terminator.
            if byte == 0x1B { state = .stringEscape }
        case .stringEscape:
            state = byte == UInt8(ascii: "\\") ? .ground : .string
        }
    }

    private mutating func ground(_ byte: UInt8) {
        if !utf8.isEmpty || byte >= 0x80 {
            utf8.append(byte)
            let expected = utf8[0] >= 0xF0 ? 4 : utf8[0] >= 0xE0 ? 3 : utf8[0] >= 0xC0 ? 2 : 1
            if utf8.count >= expected {
                let text = String(decoding: utf8, as: UTF8.self)
                utf8.removeAll()
                for character in text { put(character) }
            }
            return
        }
        switch byte {
        case 0x1B: state = .escape
        case 0x0D:
            column = 0
            pendingWrap = false
        case 0x0A: lineFeed()
        case 0x08:
            column = max(0, column - 1)
            pendingWrap = false
        case 0x09: column = min(columns - 1, (column / 8 + 1) * 8)
        case 0x00..<0x20, 0x7F: break
        default: put(Character(Unicode.Scalar(byte)))
        }
    }

    private mutating func escape(_ byte: UInt8) {
        state = .ground
        switch byte {
        case UInt8(ascii: "["):
            parameters = ""
            state = .csi
        case UInt8(ascii: "]"):
            osc = []
            state = .osc
        case UInt8(ascii: "("), UInt8(ascii: ")"): state = .charset
        case UInt8(ascii: "_"), UInt8(ascii: "P"): state = .string
        case UInt8(ascii: "7"): savedCursor = (row, column)
        case UInt8(ascii: "8"): (row, column) = savedCursor
        case UInt8(ascii: "M"):
            if row == top { scrollDown(1) } else { row = max(0, row - 1) }
        case UInt8(ascii: "D"): lineFeed()
        case UInt8(ascii: "E"):
            column = 0
            lineFeed()
        default: break
        }
    }

    private mutating func put(_ character: Character) {
        let width = DisplayWidth.of(character)
        if width == 0 {
            if column > 0 {
                let joined = String(grid[row][column - 1]) + String(character)
                if let merged = joined.first, joined.count == 1 { grid[row][column - 1] = merged }
            }
            return
        }
        if pendingWrap {
            column = 0
            lineFeed()
            pendingWrap = false
        }
        if width == 2, column + 1 >= columns { return }
        grid[row][column] = character
        if width == 2 { grid[row][column + 1] = "\u{0}" }
        last = character
        if column + width >= columns {
            column = columns - 1
            pendingWrap = true
        } else {
            column += width
        }
    }

    private mutating func lineFeed() {
        if row == bottom {
            scrollUp(1)
        } else if row < rows - 1 {
            row += 1
        }
    }

    private var blankRow: [Character] { Array(repeating: " ", count: columns) }

    /// Scrolls the region between the margins up by `n` (text moves up).
    private mutating func scrollUp(_ n: Int) {
        for _ in 0..<min(n, bottom - top + 1) {
            grid.remove(at: top)
            grid.insert(blankRow, at: bottom)
        }
    }

    /// Scrolls the region between the margins down by `n` (text moves down).
    private mutating func scrollDown(_ n: Int) {
        for _ in 0..<min(n, bottom - top + 1) {
            grid.remove(at: bottom)
            grid.insert(blankRow, at: top)
        }
    }

    private mutating func csi(final: UInt8) {
        let isPrivate = parameters.hasPrefix("?")
        let numbers = parameters.drop(while: { $0 == "?" || $0 == ">" }).split(
            separator: ";", omittingEmptySubsequences: false
        )
        .map { Int($0) ?? 0 }
        func p(_ i: Int, _ fallback: Int) -> Int {
            i < numbers.count && numbers[i] > 0 ? numbers[i] : fallback
        }
        pendingWrap = false
        switch final {
        case UInt8(ascii: "H"), UInt8(ascii: "f"):
            row = min(rows - 1, p(0, 1) - 1)
            column = min(columns - 1, p(1, 1) - 1)
        case UInt8(ascii: "A"): row = max(0, row - p(0, 1))
        case UInt8(ascii: "B"): row = min(rows - 1, row + p(0, 1))
        case UInt8(ascii: "C"): column = min(columns - 1, column + p(0, 1))
        case UInt8(ascii: "D"): column = max(0, column - p(0, 1))
        case UInt8(ascii: "G"): column = min(columns - 1, p(0, 1) - 1)
        case UInt8(ascii: "d"): row = min(rows - 1, p(0, 1) - 1)
        case UInt8(ascii: "J"):
            let mode = numbers.first ?? 0
            if mode == 2 || mode == 3 {
                clear(fromRow: 0, column: 0, toRow: rows - 1, column: columns - 1)
            } else if mode == 0 {
                clear(fromRow: row, column: column, toRow: rows - 1, column: columns - 1)
            } else {
                clear(fromRow: 0, column: 0, toRow: row, column: column)
            }
        case UInt8(ascii: "K"):
            let mode = numbers.first ?? 0
            let from = mode == 0 ? column : 0
            let to = mode == 1 ? column : columns - 1
            for c in from...to { grid[row][c] = " " }
        case UInt8(ascii: "X"):
            for c in column..<min(columns, column + p(0, 1)) { grid[row][c] = " " }
        case UInt8(ascii: "b"):
            for _ in 0..<p(0, 1) { put(last) }
        case UInt8(ascii: "P"):
            let n = min(p(0, 1), columns - column)
            grid[row].removeSubrange(column..<(column + n))
            grid[row] += Array(repeating: " ", count: n)
        case UInt8(ascii: "@"):
            let n = min(p(0, 1), columns - column)
            grid[row].insert(contentsOf: Array(repeating: " ", count: n), at: column)
            grid[row].removeLast(n)
        case UInt8(ascii: "r"):
            top = min(rows - 1, p(0, 1) - 1)
            bottom = min(rows - 1, p(1, rows) - 1)
            if top >= bottom {
                top = 0
                bottom = rows - 1
            }
            row = 0
            column = 0
        case UInt8(ascii: "S"): scrollUp(p(0, 1))
        case UInt8(ascii: "T"): scrollDown(p(0, 1))
        case UInt8(ascii: "L"):
            if row >= top, row <= bottom {
                for _ in 0..<min(p(0, 1), bottom - row + 1) {
                    grid.remove(at: bottom)
                    grid.insert(blankRow, at: row)
                }
            }
        case UInt8(ascii: "M"):
            if row >= top, row <= bottom {
                for _ in 0..<min(p(0, 1), bottom - row + 1) {
                    grid.remove(at: row)
                    grid.insert(blankRow, at: bottom)
                }
            }
        case UInt8(ascii: "h"), UInt8(ascii: "l"):
            if isPrivate, numbers.contains(1049) {
                clear(fromRow: 0, column: 0, toRow: rows - 1, column: columns - 1)
            }
        default:
            break // SGR, scroll regions, modes: no effect on the text
        }
    }

    private mutating func clear(fromRow r0: Int, column c0: Int, toRow r1: Int, column c1: Int) {
        guard r0 <= r1 else { return }
        for r in r0...r1 {
            let start = r == r0 ? c0 : 0
            let end = r == r1 ? c1 : columns - 1
            guard start <= end else { continue }
            for c in start...end { grid[r][c] = " " }
        }
    }
}
