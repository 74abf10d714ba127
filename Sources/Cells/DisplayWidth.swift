/// How many terminal columns text occupies, computed from Unicode data in
/// this file and the standard library's scalar properties (not libc
/// `wcwidth`, whose answer depends on the locale and the C library version).
///
/// Rules, following Unicode Standard Annex #11 and what terminals do:
/// - East Asian Wide (W) and Fullwidth (F) characters and emoji with default
///   emoji presentation take 2 columns;
/// - combining marks (Mn, Me), format characters (Cf, e.g. zero-width joiner),
///   Hangul medial vowels and final consonants take 0;
/// - a grapheme takes the width of its first non-zero-width scalar, or 2 when it
///   carries the emoji variation selector U+FE0F;
/// - control characters take 0 (they must be escaped before display anyway).
public enum DisplayWidth {
    /// Columns taken by one scalar on its own: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 { return 0 }
        if v == 0x00AD { return 1 }
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }
        if v == 0x200B { return 0 }
        // Box drawing, block elements (the half blocks) and braille: narrow, common in frames.
        if (0x2500...0x25FC).contains(v) || (0x2800...0x28FF).contains(v) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control, .surrogate:
            return 0
        default:
            break
        }
        if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Columns taken by one grapheme (user-perceived character).
    public static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        var width = 0
        for scalar in character.unicodeScalars {
            if scalar.value == 0xFE0F { return 2 }
            if width == 0 { width = of(scalar) }
        }
        return width
    }

    /// Columns taken by a string.
    public static func of(_ text: String) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The longest prefix of `text` that fits in `columns`, and its width.
    public static func prefix(_ text: String, fitting columns: Int) -> (text: String, width: Int) {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let w = of(text[index])
            if used + w > columns { break }
            used += w
            end = text.index(after: index)
        }
        return (String(text[..<end]), used)
    }

    /// `text` cut to `columns`, ending in "…" when it had to be cut.
    public static func truncate(_ text: String, to columns: Int) -> String {
        if columns <= 0 { return "" }
        if of(text) <= columns { return text }
        return prefix(text, fitting: columns - 1).text + "…"
    }

    /// `text` cut from the left to `columns`, starting with "…" when cut
    /// (keeps the end of a long path visible).
    public static func truncateLeading(_ text: String, to columns: Int) -> String {
        if columns <= 0 { return "" }
        if of(text) <= columns { return text }
        var used = 1
        var start = text.endIndex
        while start > text.startIndex {
            let before = text.index(before: start)
            let w = of(text[before])
            if used + w > columns { break }
            used += w
            start = before
        }
        return "…" + String(text[start...])
    }

    /// `text` cut in the middle to `columns`, with "…" where it was cut: the
    /// end (the extension and the characters before it, which tell
    /// `IMG_4521.HEIC` from `IMG_4522.HEIC`) is kept first, the start gets at
    /// most a third of the room, and none when the room is under 9 columns.
    public static func truncateMiddle(_ text: String, to columns: Int) -> String {
        if columns <= 0 { return "" }
        if of(text) <= columns { return text }
        if columns == 1 { return "…" }
        let room = columns - 1
        let headRoom = room >= 8 ? room / 3 : 0
        let head = prefix(text, fitting: headRoom)
        let tail = truncateLeading(text, to: room - head.width + 1).dropFirst()
        return head.text + "…" + tail
    }

    /// `text` padded with spaces on the right to exactly `columns` (cut if longer).
    public static func pad(_ text: String, to columns: Int) -> String {
        let cut = truncate(text, to: columns)
        return cut + String(repeating: " ", count: max(0, columns - of(cut)))
    }

    /// East Asian Wide and Fullwidth ranges (Unicode 15 EastAsianWidth.txt,
    /// merged; emoji are handled by the emoji-presentation property).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x16FF0...0x16FF1,
        0x17000...0x18CD5, 0x18D00...0x18D08, 0x1AFF0...0x1B2FB, 0x1F200...0x1F202,
        0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideRanges[mid]
            if v < range.lowerBound {
                high = mid - 1
            } else if v > range.upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
