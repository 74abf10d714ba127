import Cells
import PicseekCore

/// Draws `state` into a new cell buffer of the state's size. Pure.
public func view(_ state: AppState) -> CellBuffer {
    var buffer = CellBuffer(rows: state.rows, columns: state.columns, style: state.theme[.text])
    render(state, into: &buffer)
    return buffer
}

/// Draws `state` as cells and the pictures the terminal draws over them. Pure.
public func viewFrame(_ state: AppState) -> Frame {
    var buffer = CellBuffer(rows: state.rows, columns: state.columns, style: state.theme[.text])
    let images = render(state, into: &buffer)
    return Frame(buffer: buffer, images: images)
}

/// Draws `state` into `buffer` (which must be the state's size) and returns
/// the pictures to draw over it (none unless the graphics mode places them).
@discardableResult
public func render(_ state: AppState, into buffer: inout CellBuffer) -> [ImagePlacement] {
    let layout = state.layout
    buffer.cursor = nil
    if layout.tooSmall {
        drawTooSmall(state, into: &buffer)
        return []
    }
    var images: [ImagePlacement] = []
    drawQuery(state, layout, into: &buffer)
    drawRule(state, layout, into: &buffer)
    if !layout.grid.isEmpty { drawGrid(state, layout, into: &buffer, images: &images) }
    if let detail = layout.detail { drawDetail(state, detail, into: &buffer, images: &images) }
    drawStatus(state, layout, into: &buffer)
    if state.helpVisible {
        drawHelp(state, into: &buffer)
        buffer.cursor = nil
        return []
    }
    return state.placesImages ? images : []
}

private func drawTooSmall(_ state: AppState, into buffer: inout CellBuffer) {
    let lines = [
        "terminal too small",
        "need \(Layout.minimumColumns)x\(Layout.minimumRows), have \(state.columns)x\(state.rows)",
        "enlarge it, or press q to quit",
    ]
    let top = max(0, (state.rows - lines.count) / 2)
    for (i, line) in lines.enumerated() {
        let text = DisplayWidth.truncate(line, to: state.columns)
        let left = max(0, (state.columns - DisplayWidth.of(text)) / 2)
        buffer.put(
            text, row: top + i, column: left,
            style: i == 0 ? state.theme[.error] : state.theme[.text])
    }
}

private func drawQuery(_ state: AppState, _ layout: Layout, into buffer: inout CellBuffer) {
    let row = layout.query.row
    var column = buffer.put("picseek", row: row, column: 1, style: state.theme[.title]) + 2
    column += buffer.put(
        state.wordSearch ? "words ❯ " : "❯ ", row: row, column: column, style: state.theme[.prompt])
    let width = max(1, layout.query.columns - column - 1)
    let focused = state.focus == .query
    let text = state.query.text
    if text.isEmpty {
        let hint: String
        if case .similar(_, let name) = state.source {
            hint = "more like " + TerminalSafe.escape(name)
        } else if !focused {
            hint = "press / to search"
        } else if state.wordSearch {
            hint = "type words written in your photos (OCR), in English or 中文"
        } else {
            hint = "type to search your photos, in English or 中文"
        }
        buffer.put(
            hint, row: row, column: column, style: state.theme[.placeholder], maxColumns: width)
        if focused { buffer.cursor = Position(row: row, column: column) }
        return
    }
    // Horizontal scrolling: keep the cursor inside the visible window.
    let shown = TerminalSafe.escape(text)
    let cursorColumn = DisplayWidth.of(TerminalSafe.escape(String(text.prefix(state.query.cursor))))
    var skip = 0
    if cursorColumn >= width { skip = cursorColumn - width + 1 }
    var visible = Substring(shown)
    var skipped = 0
    while skipped < skip, let first = visible.first {
        skipped += DisplayWidth.of(first)
        visible = visible.dropFirst()
    }
    buffer.put(
        String(visible), row: row, column: column, style: state.theme[.query], maxColumns: width)
    if focused {
        buffer.cursor = Position(row: row, column: column + cursorColumn - skipped)
    }
}

private func drawRule(_ state: AppState, _ layout: Layout, into buffer: inout CellBuffer) {
    let style = state.theme[.border]
    buffer.fill(layout.rule, "─", style: style)
    var label: String
    let spinner = Array("⠋⠙⠹⠸⠼⠴⠦⠧")[state.spinner % 8]
    if state.searching {
        label = "searching \(spinner)"
    } else if state.hits.isEmpty {
        label = ""
    } else {
        label = "\(Format.count(state.hits.count)) result\(state.hits.count == 1 ? "" : "s")"
        if state.wordSearch, state.source == .text { label += " in words" }
        if case .similar(_, let name) = state.source {
            label += " like " + TerminalSafe.escape(name)
        }
        label += " · \(state.selection + 1)/\(state.hits.count)"
        if state.order != .score { label += " · " + state.order.label }
        if !state.marked.isEmpty { label += " · \(state.marked.count) marked" }
    }
    if !label.isEmpty {
        buffer.put(
            " \(label) ", row: layout.rule.row, column: 2, style: style,
            maxColumns: layout.rule.columns - 4)
    }
}

private func drawStatus(_ state: AppState, _ layout: Layout, into buffer: inout CellBuffer) {
    let style = state.theme[.status]
    let row = layout.status.row
    buffer.fill(layout.status, style: style)
    var parts: [String] = [state.language.label(for: state.query.text)]
    if let summary = state.summary {
        parts.append("\(Format.count(summary.photos)) photos")
        let errors = summary.errors + (state.progress?.failed ?? 0)
        if errors > 0 { parts.append("\(Format.count(errors)) errors") }
        if summary.readOnlyReason != nil { parts.append("read-only index") }
    }
    if state.reindexing, let progress = state.progress {
        var text = "indexing \(progress.done)"
        if progress.total > 0 { text += "/\(progress.total)" }
        if progress.rate > 0 { text += " " + Format.fixed(progress.rate, decimals: 1) + "/s" }
        if let eta = progress.eta { text += " ETA " + Format.duration(eta) }
        parts.append(text)
    }
    if let words = wordsProgressText(state) { parts.append(words) }
    // The selected photo's whole name: grid labels shorten it.
    if state.focus == .grid, let hit = state.selectedHit {
        parts.insert(TerminalSafe.escape(hit.fileName), at: 0)
    }
    var left = " " + parts.joined(separator: " · ")
    // The model name goes first when it fits beside the rest.
    if let summary = state.summary {
        let withModel = " " + TerminalSafe.escape(summary.modelName) + " ·" + left
        if DisplayWidth.of(withModel) <= layout.status.columns { left = withModel }
    }
    if let message = state.message {
        // A message wins over the counts: it gets the room it needs, the
        // counts what is left (none when less than a useful minimum).
        let messageWidth = min(DisplayWidth.of(message.text) + 1, layout.status.columns - 1)
        let text = DisplayWidth.truncateLeading(message.text + " ", to: messageWidth)
        let messageStyle = message.isError ? mergedStatus(state.theme[.error], style) : style
        buffer.put(
            text, row: row, column: layout.status.columns - DisplayWidth.of(text),
            style: messageStyle)
        let room = layout.status.columns - DisplayWidth.of(text) - 2
        if room >= 12 {
            buffer.put(DisplayWidth.truncate(left, to: room), row: row, column: 0, style: style)
        }
        return
    }
    let written = buffer.put(
        left, row: row, column: 0, style: style, maxColumns: layout.status.columns)
    let room = layout.status.columns - written - 2
    // Key hints, dropping the least important ones that do not fit.
    var hints =
        state.focus == .query
        ? ["Ctrl-C quit", "Esc grid", "F1 help"] : ["q quit", "/ search", "? help"]
    while !hints.isEmpty {
        let text = hints.reversed().joined(separator: "  ") + " "
        if DisplayWidth.of(text) <= room {
            buffer.put(
                text, row: row, column: layout.status.columns - DisplayWidth.of(text),
                style: mergedStatus(state.theme[.hint], style))
            return
        }
        hints.removeFirst()
    }
}

/// "reading words 12/340" while words in photos are still being read (by the explorer or by
/// another process, as the summary tells), else nil.
func wordsProgressText(_ state: AppState) -> String? {
    if state.readingWords, let progress = state.wordsProgress, progress.pending > 0 {
        return "reading words \(progress.done)/\(progress.done + progress.pending)"
    }
    if let summary = state.summary, summary.wordsPending > 0 {
        let total = summary.wordsRead + summary.wordsPending
        let label = state.readingWords ? "reading words" : "words read"
        return "\(label) \(summary.wordsRead)/\(total)"
    }
    return nil
}

/// `role`'s foreground over the status line's background.
private func mergedStatus(_ role: Style, _ status: Style) -> Style {
    Style(
        foreground: role.foreground == .default ? status.foreground : role.foreground,
        background: status.background, attributes: role.attributes.union(status.attributes))
}

private func drawHelp(_ state: AppState, into buffer: inout CellBuffer) {
    let bindings = KeyMap.bindings
    let width = min(state.columns - 2, 64)
    let height = min(state.rows - 2, bindings.count + 3)
    let rect = Rect(
        row: (state.rows - height) / 2, column: (state.columns - width) / 2, rows: height,
        columns: width)
    let style = state.theme[.help]
    // Clear what is behind the overlay so nothing peeks out around the box.
    buffer.fill(
        Rect(row: 1, column: 0, rows: state.rows - 2, columns: state.columns),
        style: state.theme[.text])
    buffer.fill(rect, style: style)
    buffer.box(rect, style: style, title: "keys")
    let keyWidth = 15
    for (i, binding) in bindings.enumerated() {
        let row = rect.row + 1 + i
        guard row < rect.bottom - 2 else {
            buffer.put(
                "… enlarge the terminal to see every key", row: rect.bottom - 2,
                column: rect.column + 2, style: mergedStatus(state.theme[.hint], style),
                maxColumns: rect.columns - 4)
            return
        }
        buffer.put(
            binding.keys, row: row, column: rect.column + 2,
            style: mergedStatus(state.theme[.prompt], style), maxColumns: keyWidth)
        buffer.put(
            binding.summary, row: row, column: rect.column + 2 + keyWidth, style: style,
            maxColumns: rect.columns - keyWidth - 4)
    }
    buffer.put(
        "any key closes this help", row: rect.bottom - 2, column: rect.column + 2,
        style: mergedStatus(state.theme[.hint], style), maxColumns: rect.columns - 4)
}
