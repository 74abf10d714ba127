import Cells
import PicseekCore

/// The grid pane: one tile per hit (thumbnail, then score and short name),
/// or a message when there is nothing to show.
func drawGrid(
    _ state: AppState, _ layout: Layout, into buffer: inout CellBuffer,
    images: inout [ImagePlacement]
) {
    let grid = layout.grid
    if state.hits.isEmpty {
        drawGridMessage(state, grid, into: &buffer)
        return
    }
    let scores = state.hits.map(\.score)
    let high = scores.max() ?? 0
    let low = scores.min() ?? 0
    let midpoint = (high + low) / 2
    let first = state.gridTopRow * layout.tilesPerRow
    let end = min(state.hits.count, first + layout.visibleTiles)
    guard first < end else { return }
    for index in first..<end {
        guard let rect = layout.tileRect(index: index, topRow: state.gridTopRow) else { continue }
        let hit = state.hits[index]
        let selected = index == state.selection
        let thumbRect = Rect(
            row: rect.row, column: rect.column, rows: layout.tile.thumbRows, columns: rect.columns)
        if state.graphics == .kitty, state.kittyPlaceholders, let id = state.kittyIDs[hit.photoID] {
            Thumbnail.drawKitty(id: id, into: &buffer, rect: thumbRect)
        } else if let image = state.thumbnail(for: hit) {
            if state.graphics.drawsPixels {
                // The terminal draws the pixels over blank cells.
                buffer.fill(thumbRect, style: state.theme[.text])
            } else {
                Thumbnail.draw(
                    image, into: &buffer, rect: thumbRect, mode: state.graphics,
                    background: state.theme[.text])
            }
            images.append(ImagePlacement(photoID: hit.photoID, kind: .thumbnail, rect: thumbRect))
        } else {
            let loaded = state.thumbnails[hit.photoID] != nil
            buffer.fill(thumbRect, loaded ? " " : "░", style: state.theme[.placeholder])
            if loaded {
                buffer.put(
                    "no image", row: thumbRect.row + thumbRect.rows / 2,
                    column: thumbRect.column + max(0, (thumbRect.columns - 8) / 2),
                    style: state.theme[.placeholder], maxColumns: thumbRect.columns)
            }
        }
        let labelRow = rect.row + layout.tile.thumbRows
        let labelStyle = selected ? state.theme[.selection] : state.theme[.text]
        buffer.fill(
            Rect(row: labelRow, column: rect.column, rows: 1, columns: rect.columns),
            style: labelStyle)
        let isMarked = state.marked.contains { $0.photoID == hit.photoID }
        // Word search ranks by how well the words match, not by a similarity: no score.
        let scoreText = hit.snippet == nil ? Format.score(hit.score) : ""
        let score = (isMarked ? "✓" : "") + scoreText
        let scoreStyle =
            selected
            ? labelStyle
            : (hit.score >= midpoint ? state.theme[.scoreHigh] : state.theme[.scoreLow])
        let used = buffer.put(
            score, row: labelRow, column: rect.column, style: scoreStyle, maxColumns: rect.columns)
        if let snippet = hit.snippet {
            // Word search: the matched words instead of the name (the status line has it).
            let gap = used > 0 ? 1 : 0
            let room = rect.columns - used - gap
            WordsView.putMarked(
                WordsView.tileSnippet(TerminalSafe.escape(snippet), columns: room),
                row: labelRow, column: rect.column + used + gap, columns: room, style: labelStyle,
                marked: WordsView.highlight(state.theme, over: labelStyle), into: &buffer)
        } else {
            buffer.put(
                tileLabel(TerminalSafe.escape(hit.fileName), columns: rect.columns - used - 1),
                row: labelRow, column: rect.column + used + 1, style: labelStyle,
                maxColumns: rect.columns - used - 1)
        }
        if selected {
            let marker = state.focus == .grid ? "▌" : "▏"
            for r in rect.row..<(rect.row + rect.rows) {
                buffer.set(
                    row: r, column: rect.column - 1,
                    Cell(Character(marker), style: state.theme[.selection].markerStyle))
            }
        }
    }
    // Scroll position on the right edge when results overflow.
    let totalRows = (state.hits.count + layout.tilesPerRow - 1) / layout.tilesPerRow
    if totalRows > layout.visibleTileRows {
        let text =
            "\(state.gridTopRow + 1)-\(min(totalRows, state.gridTopRow + layout.visibleTileRows))/\(totalRows)"
        buffer.put(
            text, row: grid.bottom - 1, column: grid.right - DisplayWidth.of(text) - 1,
            style: state.theme[.hint])
    }
}

extension Style {
    /// The selection marker: the selection's background as a foreground.
    var markerStyle: Style {
        if background == .default { return self }
        return Style(foreground: background, attributes: attributes.subtracting(.reverse))
    }
}

private func drawGridMessage(_ state: AppState, _ grid: Rect, into buffer: inout CellBuffer) {
    var lines: [(String, StyleRole)] = []
    if let summary = state.summary, summary.photos == 0, !state.reindexing {
        lines = [
            ("The index is empty.", .title),
            ("", .text),
            ("Add a folder of photos with", .text),
            ("    picseek index DIR", .prompt),
            ("or run the explorer on folders, then press r:", .text),
            ("    picseek explore DIR", .prompt),
        ]
        if !summary.roots.isEmpty {
            lines.append(("", .text))
            lines.append(
                (
                    "Folders: " + summary.roots.map(TerminalSafe.escape).joined(separator: ", "),
                    .hint
                ))
        }
    } else if state.searching {
        lines = [("searching…", .hint)]
    } else if state.query.text.trimmingSpaces.isEmpty, state.source == .text {
        if state.reindexing {
            lines = [
                ("indexing in the background; type a query to search what is indexed so far", .hint)
            ]
        } else {
            lines = [("Type what you look for: a red bicycle, 海边的日落…", .hint)]
        }
    } else if state.latestSeq > 0 {
        lines = [("no matches", .hint)]
    }
    for (i, (text, role)) in lines.enumerated() {
        let row = grid.row + 1 + i
        guard row < grid.bottom else { break }
        buffer.put(
            text, row: row, column: grid.column + 2, style: state.theme[role],
            maxColumns: grid.columns - 3)
    }
}

/// A file name shortened for a tile label: cut in the middle so the end that
/// tells photos apart stays, with the extension when there is room for it and
/// at least three characters before it.
func tileLabel(_ name: String, columns: Int) -> String {
    guard DisplayWidth.of(name) > columns else { return name }
    if let dot = name.lastIndex(of: "."), dot > name.startIndex {
        let extensionWidth = DisplayWidth.of(String(name[dot...]))
        if columns < extensionWidth + 4 {
            return DisplayWidth.truncateMiddle(String(name[..<dot]), to: columns)
        }
    }
    return DisplayWidth.truncateMiddle(name, to: columns)
}
