import Cells
import PicseekCore

/// The words read in photos, as the grid and the detail pane draw them.
enum WordsView {
    /// Most lines of recognised text the detail pane shows.
    static let maxDetailLines = 8

    /// The style of matched words: the prompt's colour, bold, over `base`'s background.
    static func highlight(_ theme: Theme, over base: Style) -> Style {
        let accent = theme[.prompt]
        return Style(
            foreground: accent.foreground == .default ? base.foreground : accent.foreground,
            background: base.background,
            attributes: base.attributes.union(.bold).subtracting(.dim))
    }

    /// A snippet (`…before [match] after…`, already escaped) shortened to `columns` so that
    /// the match stays in sight: the text before it goes first (down to two characters after
    /// an ellipsis, then none at all), then the end; when even the bracketed match is too wide, the
    /// match alone, cut at its end.
    static func tileSnippet(_ snippet: String, columns: Int) -> String {
        guard columns > 0 else { return "" }
        if DisplayWidth.of(snippet) <= columns { return snippet }
        let chars = Array(snippet)
        guard let open = chars.firstIndex(of: "["),
            let close = chars[open...].firstIndex(of: "]")
        else { return DisplayWidth.truncate(snippet, to: columns) }
        let match = String(chars[open...close])
        let more = close + 1 < chars.count ? 1 : 0
        for keep in stride(from: min(2, open), through: 0, by: -1) {
            let head =
                (keep > 0 && open - keep > 0 ? "…" : "") + String(chars[(open - keep)..<open])
            if DisplayWidth.of(head + match) + more <= columns {
                return DisplayWidth.truncate(head + String(chars[open...]), to: columns)
            }
        }
        return DisplayWidth.truncate(String(chars[(open + 1)..<close]), to: columns)
    }

    /// Draws `text` at `row`, `column`, at most `columns` wide, in `style`, with the parts
    /// in brackets (and the brackets) in `marked`; returns the columns used.
    @discardableResult
    static func putMarked(
        _ text: String, row: Int, column: Int, columns: Int, style: Style, marked: Style,
        into buffer: inout CellBuffer
    ) -> Int {
        var used = 0
        var inside = false
        for character in text {
            if character == "[" { inside = true }
            let width = DisplayWidth.of(character)
            guard used + width <= columns else { break }
            used += buffer.put(
                String(character), row: row, column: column + used,
                style: inside ? marked : style)
            if character == "]" { inside = false }
        }
        return used
    }

    /// The recognised text of `words` (confident words, one line per text line, escaped)
    /// wrapped to `width`, each line with the character ranges where `terms` occur; at most
    /// `maxLines` lines, the last one saying how many more there are.
    static func detailLines(
        _ words: RecognizedText, terms: [String], width: Int, maxLines: Int = maxDetailLines
    ) -> [(text: String, marks: [Range<Int>])] {
        guard width > 0, maxLines > 0 else { return [] }
        let lines = words.text(minimumConfidence: confidentWords).split(
            separator: "\n", omittingEmptySubsequences: true)
        var out: [(text: String, marks: [Range<Int>])] = []
        for line in lines {
            let shown = TerminalSafe.escape(String(line))
            let marks = SearchWords.matches(in: shown, terms: terms)
            var start = 0
            for part in wrap(shown, width: width) {
                let end = start + part.count
                let local = marks.compactMap { range -> Range<Int>? in
                    let low = max(range.lowerBound, start)
                    let high = min(range.upperBound, end)
                    return low < high ? (low - start)..<(high - start) : nil
                }
                out.append((part, local))
                start = end
            }
        }
        if out.count > maxLines {
            let more = out.count - (maxLines - 1)
            out = Array(out.prefix(maxLines - 1))
            out.append(("… \(more) more lines", []))
        }
        return out
    }

    /// Words read with less confidence are kept out of matching (as the index does).
    static let confidentWords: Float = 50

    /// Draws one line from `detailLines`, its marks in `marked`.
    static func putLine(
        _ line: (text: String, marks: [Range<Int>]), row: Int, column: Int, columns: Int,
        style: Style, marked: Style, into buffer: inout CellBuffer
    ) {
        var used = 0
        for (i, character) in line.text.enumerated() {
            let width = DisplayWidth.of(character)
            guard used + width <= columns else { break }
            let isMarked = line.marks.contains { $0.contains(i) }
            used += buffer.put(
                String(character), row: row, column: column + used,
                style: isMarked ? marked : style)
        }
    }
}
