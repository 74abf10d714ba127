import Cells
import PicseekCore

/// The detail pane: a larger preview and the facts about the selected photo.
func drawDetail(
    _ state: AppState, _ rect: Rect, into buffer: inout CellBuffer, images: inout [ImagePlacement]
) {
    let border = state.focus == .detail ? state.theme[.prompt] : state.theme[.border]
    buffer.fill(rect, style: state.theme[.text])
    for r in rect.row..<rect.bottom {
        buffer.set(row: r, column: rect.column, Cell("│", style: border))
    }
    let inner = Rect(
        row: rect.row, column: rect.column + 2, rows: rect.rows, columns: rect.columns - 3)
    guard let hit = state.selectedHit, inner.columns > 4 else { return }
    let detail = state.details[hit.photoID]
    // A word search ranks by how well the words match, not by a similarity: no score.
    var facts: [(String, String)] = hit.snippet == nil ? [("score", Format.score(hit.score))] : []
    if let detail {
        if let meta = detail.metadata {
            facts.append(("pixels", "\(meta.width)×\(meta.height)"))
        }
        if let size = detail.fileSize { facts.append(("file", Format.bytes(size))) }
        if let date = detail.metadata?.takenAt {
            facts.append(("taken", TerminalSafe.escape(date)))
        }
        if let camera = detail.metadata?.camera {
            facts.append(("camera", TerminalSafe.escape(camera)))
        }
    } else {
        facts.append(("", "loading details…"))
    }
    let path = TerminalSafe.escape(detail?.path ?? hit.path)
    let folder = TerminalSafe.escape(hit.folder)
    facts.append(("folder", folder.isEmpty ? "." : folder))
    let pathLines = wrap(path, width: inner.columns)
    // The words read in the photo, the query's words highlighted.
    let wordLines =
        detail?.words.map {
            WordsView.detailLines($0, terms: state.highlightedWords, width: inner.columns)
        } ?? []
    // Text below the preview: name, facts, "path" label and the wrapped path, then the words.
    let nameLines = wrap(TerminalSafe.escape(hit.fileName), width: inner.columns).count
    let wordRows = wordLines.isEmpty ? 0 : 1 + wordLines.count
    let textRows = nameLines + facts.count + 1 + pathLines.count + wordRows
    let previewRows = min(max(0, inner.rows - textRows - 1), inner.columns / 2 + 1)
    var row = inner.row
    if previewRows >= 3 {
        let previewRect = Rect(
            row: row, column: inner.column, rows: previewRows, columns: inner.columns)
        if let image = detail?.preview ?? state.thumbnail(for: hit) {
            // Kitty placeholders cover the grid only: the preview stays in half blocks there.
            let placed =
                state.graphics.drawsPixels && !(state.graphics == .kitty && state.kittyPlaceholders)
            if placed {
                buffer.fill(previewRect, style: state.theme[.text])
            } else {
                let mode: GraphicsMode = state.graphics == .kitty ? .color256 : state.graphics
                Thumbnail.draw(
                    image, into: &buffer, rect: previewRect, mode: mode,
                    background: state.theme[.text])
            }
            if placed || state.graphics == .truecolor {
                // Pixel modes draw the matched words' boxes on the preview.
                var marks = 0
                if placed, let detail, let preview = detail.preview {
                    marks = WordsView.marksKey(
                        WordsView.boxes(detail, terms: state.highlightedWords, in: preview))
                }
                images.append(
                    ImagePlacement(
                        photoID: hit.photoID, kind: .preview, rect: previewRect, marks: marks))
            }
        } else {
            buffer.fill(previewRect, "░", style: state.theme[.placeholder])
        }
        row += previewRows + 1
    }
    func line(_ text: String, _ style: Style) {
        guard row < inner.bottom else { return }
        buffer.put(text, row: row, column: inner.column, style: style, maxColumns: inner.columns)
        row += 1
    }
    // The whole name, wrapped: the grid's labels shorten it.
    for part in wrap(TerminalSafe.escape(hit.fileName), width: inner.columns) {
        line(part, state.theme[.title])
    }
    for (label, value) in facts {
        guard row < inner.bottom else { break }
        let used =
            label.isEmpty
            ? 0
            : buffer.put(
                DisplayWidth.pad(label, to: 7), row: row, column: inner.column,
                style: state.theme[.hint])
        buffer.put(
            DisplayWidth.truncateLeading(value, to: inner.columns - used), row: row,
            column: inner.column + used, style: state.theme[.text])
        row += 1
    }
    line("path", state.theme[.hint])
    for part in pathLines { line(part, state.theme[.text]) }
    guard !wordLines.isEmpty else { return }
    line("words", state.theme[.hint])
    let marked = WordsView.highlight(state.theme, over: state.theme[.text])
    for part in wordLines where row < inner.bottom {
        WordsView.putLine(
            part, row: row, column: inner.column, columns: inner.columns,
            style: state.theme[.text], marked: marked, into: &buffer)
        row += 1
    }
}

/// `text` broken into lines of at most `width` columns (by display width).
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    var used = 0
    for character in text {
        let w = DisplayWidth.of(character)
        if used + w > width {
            lines.append(current)
            current = ""
            used = 0
        }
        current.append(character)
        used += w
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
}
