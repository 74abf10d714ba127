/// iTerm2's inline image protocol (also understood by WezTerm, mintty and Konsole): an OSC 1337
/// `File=` sequence carrying a base64 PNG that the terminal scales into a block of cells.
public enum ITerm2Image {
    /// The OSC 1337 sequence that shows packed RGB `pixels` (`width` x `height`) over
    /// `columns` x `rows` cells.
    ///
    /// The form is `ESC ] 1337 ; File=inline=1;size=N;width=C;height=R;preserveAspectRatio=1 :`
    /// followed by the PNG (from `PNGEncoder`) in base64 and a BEL; `N` is the PNG's byte count.
    /// Zero-size images give an empty array. The cursor is left where the terminal puts it after
    /// an inline image (usually below it); callers position it before and after.
    public static func sequence(
        pixels: [UInt8], width: Int, height: Int, columns: Int, rows: Int
    ) -> [UInt8] {
        precondition(width >= 0 && height >= 0, "image size must not be negative")
        precondition(
            pixels.count == width * height * 3, "pixel buffer must hold width*height*3 bytes")
        precondition(columns >= 0 && rows >= 0, "cell size must not be negative")
        if width == 0 || height == 0 { return [] }
        let png = PNGEncoder.encode(pixels: pixels, width: width, height: height)
        let header =
            "\u{1B}]1337;File=inline=1;size=\(png.count);width=\(columns);"
            + "height=\(rows);preserveAspectRatio=1:"
        var out = Array(header.utf8)
        out += Base64.encode(png)
        out.append(0x07)
        return out
    }
}
