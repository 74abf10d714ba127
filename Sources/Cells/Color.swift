/// A terminal colour as the view asks for it; the terminal layer maps it to
/// what the screen can show (direct colour, 256, 8 or none).
public enum Color: Equatable, Hashable, Sendable {
    /// The terminal's own foreground or background.
    case `default`
    /// One of the 256 palette entries (0-15 are the themable ANSI colours).
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    /// The nearest entry of the xterm 256-colour palette, avoiding 0-15 whose
    /// values depend on the user's terminal theme.
    ///
    /// Compares the nearest 6x6x6 cube colour with the nearest of the 24 greys.
    public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let levels = [0, 95, 135, 175, 215, 255]
        func cubeIndex(_ v: Int) -> Int {
            if v < 48 { return 0 }
            if v < 115 { return 1 }
            return (v - 35) / 40
        }
        let (ri, gi, bi) = (cubeIndex(Int(r)), cubeIndex(Int(g)), cubeIndex(Int(b)))
        let cube = (levels[ri], levels[gi], levels[bi])
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let grey = 8 + 10 * greyIndex
        func distance(_ c: (Int, Int, Int)) -> Int {
            let dr = c.0 - Int(r)
            let dg = c.1 - Int(g)
            let db = c.2 - Int(b)
            return dr * dr + dg * dg + db * db
        }
        if distance((grey, grey, grey)) < distance(cube) {
            return UInt8(232 + greyIndex)
        }
        return UInt8(16 + 36 * ri + 6 * gi + bi)
    }

    /// The red, green and blue values of a 256-palette entry (xterm defaults).
    public static func rgbOf256(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
        let i = Int(index)
        let base: [(UInt8, UInt8, UInt8)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
            (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
            (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if i < 16 { return base[i] }
        if i >= 232 {
            let v = UInt8(8 + 10 * (i - 232))
            return (v, v, v)
        }
        let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
        let c = i - 16
        return (levels[c / 36], levels[(c / 6) % 6], levels[c % 6])
    }

    /// The nearest of the 8 basic ANSI colours (0-7), for 8/16-colour terminals,
    /// or nil for a mid grey, which none of them shows well (the caller uses the
    /// terminal's default colour instead). Greys go to black or white by
    /// brightness, pale colours to white, dark ones to their strongest channel
    /// (so a dark blue meant for a white background stays blue, not cyan), and
    /// the rest keep each channel above the colour's own middle (`#198fb5` is
    /// cyan, `#4a86e8` blue).
    public static func nearest8(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8? {
        let high = Int(max(r, g, b))
        let low = Int(min(r, g, b))
        let brightness = luma(r, g, b)
        if high - low < 48 {
            if brightness < 72 { return 0 }
            if brightness > 176 { return 7 }
            return nil
        }
        if brightness > 176 { return 7 }
        let threshold = brightness < 100 ? high : (high + low + 1) / 2
        let bits =
            (Int(r) >= threshold ? 1 : 0) | (Int(g) >= threshold ? 2 : 0)
            | (Int(b) >= threshold ? 4 : 0)
        return UInt8(bits)
    }

    /// Perceived brightness 0...255 (Rec. 601 luma).
    public static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        (299 * Int(r) + 587 * Int(g) + 114 * Int(b)) / 1000
    }
}
