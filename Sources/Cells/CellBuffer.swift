/// A grid of cells the view draws into and the terminal layer flushes.
///
/// Pure value: no terminal involved, so tests compare `lines` with expected
/// text. Writing text handles wide graphemes (two cells), zero-width marks
/// (joined to the cell before) and clipping at the buffer or a given limit.
public struct CellBuffer: Equatable, Sendable {
    /// Height in rows.
    public let rows: Int
    /// Width in columns.
    public let columns: Int
    /// Cells row by row.
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown, or nil to hide it.
    public var cursor: Position?

    /// A buffer of blank cells in `style`.
    public init(rows: Int, columns: Int, style: Style = .plain) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        cells = Array(repeating: Cell(" ", style: style), count: self.rows * self.columns)
    }

    /// The whole buffer as a rectangle.
    public var bounds: Rect { Rect(row: 0, column: 0, rows: rows, columns: columns) }

    /// The cell at (`row`, `column`); out-of-range reads give a blank cell.
    public subscript(row: Int, column: Int) -> Cell {
        guard row >= 0, row < rows, column >= 0, column < columns else { return .blank }
        return cells[row * columns + column]
    }

    /// Sets one narrow cell, repairing any wide grapheme it overlaps.
    public mutating func set(row: Int, column: Int, _ cell: Cell) {
        guard row >= 0, row < rows, column >= 0, column < columns else { return }
        breakWide(row: row, column: column)
        cells[row * columns + column] = cell
    }

    /// Sets a cell without the wide-grapheme bookkeeping; for bulk art (half
    /// blocks) that is known to be one column per cell.
    @inline(__always)
    public mutating func setNarrow(row: Int, column: Int, _ character: Character, _ style: Style) {
        guard row >= 0, row < rows, column >= 0, column < columns else { return }
        let index = row * columns + column
        // A wide grapheme is always followed by its continuation cell.
        if cells[index].isContinuation || (column + 1 < columns && cells[index + 1].isContinuation)
        {
            breakWide(row: row, column: column)
        }
        cells[index] = Cell(character, style: style)
    }

    /// Fills `rect` (clipped to the buffer) with `character` in `style`.
    public mutating func fill(_ rect: Rect, _ character: Character = " ", style: Style = .plain) {
        let top = max(0, rect.row)
        let bottom = min(rows, rect.bottom)
        let left = max(0, rect.column)
        let right = min(columns, rect.right)
        guard top < bottom, left < right else { return }
        for r in top..<bottom {
            breakWide(row: r, column: left)
            breakWide(row: r, column: right - 1)
            for c in left..<right { cells[r * columns + c] = Cell(character, style: style) }
        }
    }

    /// Writes `text` from (`row`, `column`) in `style`, clipped at
    /// `maxColumns` columns (and at the buffer's edge). Control characters are
    /// shown as U+FFFD: callers escape untrusted text first, this is the last
    /// guard. Returns the number of columns written.
    @discardableResult
    public mutating func put(
        _ text: String, row: Int, column: Int, style: Style = .plain, maxColumns: Int? = nil
    ) -> Int {
        guard row >= 0, row < rows else { return 0 }
        let limit = min(columns, column + (maxColumns ?? columns))
        var c = column
        for character in text {
            var shown = character
            var width = DisplayWidth.of(character)
            if character.unicodeScalars.contains(where: {
                $0.value < 0x20 || (0x7F..<0xA0).contains($0.value)
            }) {
                shown = "\u{FFFD}"
                width = 1
            }
            if width == 0 {
                // A mark on its own: join it to the grapheme to the left.
                if c > column, c - 1 < columns, c - 1 >= 0 {
                    var lead = c - 1
                    if cells[row * columns + lead].isContinuation { lead -= 1 }
                    if lead >= 0 {
                        let joined =
                            String(cells[row * columns + lead].character) + String(character)
                        if joined.count == 1, let merged = joined.first {
                            cells[row * columns + lead].character = merged
                        }
                    }
                }
                continue
            }
            if c + width > limit {
                if width == 2, c < limit, c >= 0 {
                    set(row: row, column: c, Cell(" ", style: style))
                    c += 1
                }
                break
            }
            if c >= 0 {
                set(row: row, column: c, Cell(shown, style: style))
                if width == 2 {
                    set(row: row, column: c + 1, Cell(" ", style: style, isContinuation: true))
                }
            }
            c += width
        }
        return max(0, c - column)
    }

    /// Restyles the cells of `rect` (keeping their characters).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        for r in max(0, rect.row)..<min(rows, rect.bottom) {
            for c in max(0, rect.column)..<max(max(0, rect.column), min(columns, rect.right)) {
                cells[r * columns + c].style = transform(cells[r * columns + c].style)
            }
        }
    }

    /// Draws a box outline with single-line box characters around `rect`.
    public mutating func box(_ rect: Rect, style: Style = .plain, title: String? = nil) {
        guard rect.rows >= 2, rect.columns >= 2 else { return }
        let top = rect.row
        let bottom = rect.bottom - 1
        let left = rect.column
        let right = rect.right - 1
        for c in (left + 1)..<right {
            set(row: top, column: c, Cell("─", style: style))
            set(row: bottom, column: c, Cell("─", style: style))
        }
        for r in (top + 1)..<bottom {
            set(row: r, column: left, Cell("│", style: style))
            set(row: r, column: right, Cell("│", style: style))
        }
        set(row: top, column: left, Cell("┌", style: style))
        set(row: top, column: right, Cell("┐", style: style))
        set(row: bottom, column: left, Cell("└", style: style))
        set(row: bottom, column: right, Cell("┘", style: style))
        if let title, rect.columns > 4 {
            put(
                " \(title) ", row: top, column: left + 1, style: style, maxColumns: rect.columns - 2
            )
        }
    }

    /// The text of each row, wide graphemes once, trailing spaces kept.
    public var lines: [String] {
        (0..<rows).map { line($0) }
    }

    /// The text of one row, wide graphemes once.
    public func line(_ row: Int) -> String {
        var out = ""
        for c in 0..<columns where !cells[row * columns + c].isContinuation {
            out.append(cells[row * columns + c].character)
        }
        return out
    }

    /// All rows joined with newlines, trailing spaces removed: the form tests compare.
    public var text: String {
        lines.map { line in
            var l = Substring(line)
            while l.last == " " { l = l.dropLast() }
            return String(l)
        }.joined(separator: "\n")
    }

    /// Positions whose cells differ from `previous` (all positions when the
    /// sizes differ), row-major.
    public func changedPositions(since previous: CellBuffer?) -> [Position] {
        guard let previous, previous.rows == rows, previous.columns == columns else {
            var all: [Position] = []
            all.reserveCapacity(rows * columns)
            for r in 0..<rows { for c in 0..<columns { all.append(Position(row: r, column: c)) } }
            return all
        }
        var out: [Position] = []
        for index in cells.indices where cells[index] != previous.cells[index] {
            out.append(Position(row: index / columns, column: index % columns))
        }
        return out
    }

    /// Blanks the other half of a wide grapheme that (`row`, `column`) is part of.
    private mutating func breakWide(row: Int, column: Int) {
        let index = row * columns + column
        let cell = cells[index]
        if cell.isContinuation, column > 0 {
            cells[index - 1] = Cell(" ", style: cells[index - 1].style)
            cells[index].isContinuation = false
        } else if DisplayWidth.of(cell.character) == 2, column + 1 < columns,
            cells[index + 1].isContinuation
        {
            cells[index + 1] = Cell(" ", style: cells[index + 1].style)
        }
    }

    public static func == (a: CellBuffer, b: CellBuffer) -> Bool {
        a.rows == b.rows && a.columns == b.columns && a.cells == b.cells
            && a.cursor == b.cursor
    }
}
