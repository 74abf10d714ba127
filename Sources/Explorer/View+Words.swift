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

    /// A box in a picture's pixels.
    struct PixelBox: Equatable, Hashable {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
    }

    /// The confident words of `detail` that belong to a match of `terms` (the word is in a
    /// term, or a term is in the word), as boxes in the pixels of `preview` (boxes are stored
    /// in the upright photo's pixels, the preview is that photo shrunk).
    static func boxes(_ detail: PhotoDetail, terms: [String], in preview: RGBImage) -> [PixelBox] {
        guard !terms.isEmpty, let words = detail.words, let meta = detail.metadata,
            meta.width > 0, meta.height > 0, preview.width > 0, preview.height > 0
        else { return [] }
        let sx = Double(preview.width) / Double(meta.width)
        let sy = Double(preview.height) / Double(meta.height)
        var out: [PixelBox] = []
        for word in words.words where word.confidence >= confidentWords {
            let text = word.text.lowercased()
            guard !text.isEmpty,
                terms.contains(where: { $0.contains(text) || text.contains($0) })
            else { continue }
            let box = PixelBox(
                x: Int((Double(word.x) * sx).rounded(.down)),
                y: Int((Double(word.y) * sy).rounded(.down)),
                width: max(1, Int((Double(word.width) * sx).rounded(.up))),
                height: max(1, Int((Double(word.height) * sy).rounded(.up))))
            if box.x < preview.width, box.y < preview.height { out.append(box) }
        }
        return out
    }

    /// A number for `boxes` that is 0 only when there are none (FNV-1a over the edges).
    static func marksKey(_ boxes: [PixelBox]) -> Int {
        guard !boxes.isEmpty else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for box in boxes {
            for value in [box.x, box.y, box.width, box.height] {
                hash = (hash ^ UInt64(truncatingIfNeeded: value)) &* 0x100_0000_01b3
            }
        }
        let key = Int(truncatingIfNeeded: hash >> 1)
        return key == 0 ? 1 : key
    }

    /// The colour of the boxes drawn around matched words: a bright yellow.
    static let boxColor: [UInt8] = [255, 214, 0]

    /// `image` with a two-pixel frame in `boxColor` around each of `boxes` (clipped).
    static func drawBoxes(on image: RGBImage, _ boxes: [PixelBox]) -> RGBImage {
        guard !boxes.isEmpty else { return image }
        var pixels = image.pixels
        func set(_ x: Int, _ y: Int) {
            guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
            let i = (y * image.width + x) * 3
            pixels[i] = boxColor[0]
            pixels[i + 1] = boxColor[1]
            pixels[i + 2] = boxColor[2]
        }
        for box in boxes {
            let left = box.x - 2, top = box.y - 2
            let right = box.x + box.width + 1, bottom = box.y + box.height + 1
            for x in left...right {
                for t in 0..<2 {
                    set(x, top + t)
                    set(x, bottom - t)
                }
            }
            for y in top...bottom {
                for t in 0..<2 {
                    set(left + t, y)
                    set(right - t, y)
                }
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }
}
