import Cells

/// Size of one tile in the result grid.
public struct TileGeometry: Equatable, Sendable {
    /// Thumbnail width in cells.
    public var thumbColumns: Int
    /// Thumbnail height in cells (twice as many pixel rows).
    public var thumbRows: Int
    /// Tile width including the gap to the next tile.
    public var width: Int { thumbColumns + 2 }
    /// Tile height: thumbnail plus one label line.
    public var height: Int { thumbRows + 1 }
}

/// Where each pane goes for a terminal size. Pure, so tests can check it.
///
/// Row 0 is the query line, row 1 a rule with the result count, the last row
/// the status line; the grid fills the rest, sharing it with the detail pane
/// when that is open (side by side from 80 columns, otherwise the detail
/// pane replaces the grid).
public struct Layout: Equatable, Sendable {
    /// Smallest usable terminal.
    public static let minimumRows = 10
    /// Smallest usable terminal.
    public static let minimumColumns = 40

    /// Whether the terminal is below the minimum size.
    public var tooSmall: Bool
    /// The query line.
    public var query: Rect
    /// The rule under the query line.
    public var rule: Rect
    /// The result grid (empty when the detail pane takes the whole area).
    public var grid: Rect
    /// The detail pane, when open.
    public var detail: Rect?
    /// The status line.
    public var status: Rect
    /// Tile size in the grid.
    public var tile: TileGeometry
    /// Tiles per grid row (at least 1 when the grid is shown).
    public var tilesPerRow: Int
    /// Whole tile rows visible at once.
    public var visibleTileRows: Int

    /// Computes the layout.
    public init(rows: Int, columns: Int, detailOpen: Bool) {
        tooSmall = rows < Self.minimumRows || columns < Self.minimumColumns
        query = Rect(row: 0, column: 0, rows: 1, columns: columns)
        rule = Rect(row: 1, column: 0, rows: 1, columns: columns)
        status = Rect(row: max(0, rows - 1), column: 0, rows: 1, columns: columns)
        let body = Rect(row: 2, column: 0, rows: rows - 3, columns: columns)
        if detailOpen {
            if columns >= 80 {
                let detailWidth = min(60, max(32, columns * 2 / 5))
                grid = Rect(
                    row: body.row, column: 0, rows: body.rows, columns: columns - detailWidth)
                detail = Rect(
                    row: body.row, column: columns - detailWidth, rows: body.rows,
                    columns: detailWidth)
            } else {
                grid = Rect(row: body.row, column: 0, rows: 0, columns: 0)
                detail = body
            }
        } else {
            grid = body
            detail = nil
        }
        tile =
            grid.rows >= 14 && grid.columns >= 28
            ? TileGeometry(thumbColumns: 12, thumbRows: 6)
            : TileGeometry(thumbColumns: 8, thumbRows: 4)
        tilesPerRow = grid.isEmpty ? 0 : max(1, (grid.columns - 1) / tile.width)
        visibleTileRows = grid.isEmpty ? 0 : max(1, grid.rows / tile.height)
    }

    /// Tiles visible at once.
    public var visibleTiles: Int { tilesPerRow * visibleTileRows }

    /// The rectangle of the tile at `index` when the grid starts at tile row
    /// `topRow`, or nil when it is not visible.
    public func tileRect(index: Int, topRow: Int) -> Rect? {
        guard tilesPerRow > 0 else { return nil }
        let tileRow = index / tilesPerRow - topRow
        guard tileRow >= 0, tileRow < visibleTileRows else { return nil }
        let column = grid.column + 1 + (index % tilesPerRow) * tile.width
        return Rect(
            row: grid.row + tileRow * tile.height, column: column, rows: tile.height,
            columns: tile.thumbColumns)
    }

    /// The hit index under a cell, given the first visible tile row.
    public func tileIndex(atRow row: Int, column: Int, topRow: Int) -> Int? {
        guard tilesPerRow > 0, grid.contains(row: row, column: column) else { return nil }
        let x = column - grid.column - 1
        guard x >= 0 else { return nil }
        let slot = x / tile.width
        guard slot < tilesPerRow, x % tile.width < tile.thumbColumns else { return nil }
        let tileRow = (row - grid.row) / tile.height
        guard tileRow < visibleTileRows else { return nil }
        return (topRow + tileRow) * tilesPerRow + slot
    }
}
