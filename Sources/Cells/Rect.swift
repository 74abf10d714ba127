/// A rectangle of terminal cells: top-left corner and size.
public struct Rect: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Top row, 0-based.
    public var row: Int
    /// Left column, 0-based.
    public var column: Int
    /// Height in rows.
    public var rows: Int
    /// Width in columns.
    public var columns: Int

    /// Creates a rectangle; negative sizes are clamped to zero.
    public init(row: Int, column: Int, rows: Int, columns: Int) {
        self.row = row
        self.column = column
        self.rows = max(0, rows)
        self.columns = max(0, columns)
    }

    /// The empty rectangle at the origin.
    public static let zero = Rect(row: 0, column: 0, rows: 0, columns: 0)

    /// Whether the rectangle has no cells.
    public var isEmpty: Bool { rows == 0 || columns == 0 }
    /// One past the last row.
    public var bottom: Int { row + rows }
    /// One past the last column.
    public var right: Int { column + columns }

    /// Whether the cell at (`row`, `column`) lies inside.
    public func contains(row r: Int, column c: Int) -> Bool {
        r >= row && r < bottom && c >= column && c < right
    }

    /// The rectangle shrunk by `by` cells on every side.
    public func inset(by n: Int) -> Rect {
        Rect(row: row + n, column: column + n, rows: rows - 2 * n, columns: columns - 2 * n)
    }

    public var description: String { "\(rows)x\(columns)@\(row),\(column)" }
}

/// A cell position: row and column, 0-based.
public struct Position: Equatable, Hashable, Sendable {
    /// Row, 0-based.
    public var row: Int
    /// Column, 0-based.
    public var column: Int

    /// Creates a position.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}
