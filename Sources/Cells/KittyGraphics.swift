/// The kitty graphics protocol with Unicode placeholders: an image is sent
/// once as a virtual placement, then shown by ordinary cells holding U+10EEEE
/// plus two combining marks that name the cell's row and column in the image,
/// with the image number in the foreground colour. Because the cells are
/// text, ncurses and tmux move and redraw them like any other character.
public enum KittyGraphics {
    /// The placeholder character.
    public static let placeholder: Unicode.Scalar = "\u{10EEEE}"

    /// Row and column marks, from kitty's `rowcolumn-diacritics.txt` (the
    /// first 64 of 297, enough for placements up to 64 cells on a side).
    public static let diacritics: [UInt32] = [
        0x0305, 0x030D, 0x030E, 0x0310, 0x0312, 0x033D, 0x033E, 0x033F, 0x0346, 0x034A,
        0x034B, 0x034C, 0x0350, 0x0351, 0x0352, 0x0357, 0x035B, 0x0363, 0x0364, 0x0365,
        0x0366, 0x0367, 0x0368, 0x0369, 0x036A, 0x036B, 0x036C, 0x036D, 0x036E, 0x036F,
        0x0483, 0x0484, 0x0485, 0x0486, 0x0487, 0x0592, 0x0593, 0x0594, 0x0595, 0x0597,
        0x0598, 0x0599, 0x059C, 0x059D, 0x059E, 0x059F, 0x05A0, 0x05A1, 0x05A8, 0x05A9,
        0x05AB, 0x05AC, 0x05AF, 0x05C4, 0x0610, 0x0611, 0x0612, 0x0613, 0x0614, 0x0615,
        0x0616, 0x0617, 0x0657, 0x0658,
    ]

    /// The largest placement side, in cells.
    public static var maximumCells: Int { diacritics.count }

    /// The placeholder grapheme for cell (`row`, `column`) of an image, or nil
    /// when either is beyond the table.
    public static func cell(row: Int, column: Int) -> Character? {
        guard row >= 0, column >= 0, row < diacritics.count, column < diacritics.count,
            let r = Unicode.Scalar(diacritics[row]), let c = Unicode.Scalar(diacritics[column])
        else { return nil }
        var text = String.UnicodeScalarView()
        text.append(placeholder)
        text.append(r)
        text.append(c)
        return Character(String(text))
    }

    /// The escape sequences that transmit packed RGB `pixels` of
    /// `width` x `height` as image `id` with a virtual placement of
    /// `columns` x `rows` cells (`a=T,U=1`), quietly (`q=2`: no replies that
    /// would land in the input), in chunks of at most 4096 base64 bytes.
    /// Inside tmux each chunk is wrapped for passthrough.
    public static func transmit(
        id: Int, pixels: [UInt8], width: Int, height: Int, columns: Int, rows: Int, tmux: Bool
    ) -> String {
        let payload = OSC52.base64(pixels)
        var chunks: [Substring] = []
        var start = payload.startIndex
        while start < payload.endIndex {
            let end =
                payload.index(start, offsetBy: 4096, limitedBy: payload.endIndex)
                ?? payload.endIndex
            chunks.append(payload[start..<end])
            start = end
        }
        if chunks.isEmpty { chunks = [""] }
        var out = ""
        for (i, chunk) in chunks.enumerated() {
            let more = i < chunks.count - 1 ? 1 : 0
            let keys =
                i == 0
                ? "a=T,U=1,i=\(id),f=24,s=\(width),v=\(height),c=\(columns),r=\(rows),q=2,m=\(more)"
                : "m=\(more)"
            let command = "\u{1B}_G\(keys);\(chunk)\u{1B}\\"
            out += tmux ? wrapForTmux(command) : command
        }
        return out
    }

    /// The escape sequences that send packed RGB `pixels` of `width` x
    /// `height` as image `id` without showing it (`a=t`, quietly), for direct
    /// placements with `place`, in chunks of at most 4096 base64 bytes.
    public static func transmitOnly(id: Int, pixels: [UInt8], width: Int, height: Int) -> String {
        chunked(pixels, first: "a=t,i=\(id),f=24,s=\(width),v=\(height),q=2", tmux: false)
    }

    /// Shows image `id` at the cursor as placement `placement`, without moving
    /// the cursor (`C=1`), quietly.
    public static func place(id: Int, placement: Int) -> String {
        "\u{1B}_Ga=p,i=\(id),p=\(placement),C=1,q=2\u{1B}\\"
    }

    /// Removes placement `placement` of image `id` from the screen; the image
    /// data stays for the next `place` (`d=i`), or goes too when `free` (`d=I`).
    public static func delete(id: Int, placement: Int?, free: Bool = false) -> String {
        let which = placement.map { ",p=\($0)" } ?? ""
        return "\u{1B}_Ga=d,d=\(free ? "I" : "i"),i=\(id)\(which),q=2\u{1B}\\"
    }

    /// Removes every placement and frees every image (on leaving the explorer).
    public static let deleteAll = "\u{1B}_Ga=d,d=A,q=2\u{1B}\\"

    private static func chunked(_ pixels: [UInt8], first keys: String, tmux: Bool) -> String {
        let payload = OSC52.base64(pixels)
        var out = ""
        var start = payload.startIndex
        repeat {
            let end =
                payload.index(start, offsetBy: 4096, limitedBy: payload.endIndex)
                ?? payload.endIndex
            let more = end < payload.endIndex ? 1 : 0
            let head = start == payload.startIndex ? keys + ",m=\(more)" : "m=\(more)"
            let command = "\u{1B}_G\(head);\(payload[start..<end])\u{1B}\\"
            out += tmux ? wrapForTmux(command) : command
            start = end
        } while start < payload.endIndex
        return out
    }

    /// `sequence` inside a tmux passthrough (`ESC P tmux; … ESC \`, with
    /// every ESC inside doubled); needs `allow-passthrough on` in tmux.
    public static func wrapForTmux(_ sequence: String) -> String {
        "\u{1B}Ptmux;" + sequence.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}")
            + "\u{1B}\\"
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        var out = ""
        for character in self {
            if String(character) == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
