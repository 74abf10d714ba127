import CNCurses
import Cells

/// How many colours the screen can show, and how the view's colours map onto them.
public enum ColorDepth: Equatable, Sendable {
    /// No colours (a monochrome terminal, or `NO_COLOR`): attributes only.
    case none
    /// The 8 (or 16) ANSI colours.
    case ansi
    /// The 256-colour palette.
    case palette256
    /// 24-bit colour through a direct-colour terminfo entry (`xterm-direct`).
    case direct
}

/// Colour pairs allocated on demand with `alloc_pair`, cached by style.
///
/// Pair numbers go through `setcchar`'s `opts` argument, so more than 256
/// pairs work (with `COLOR_PAIR(n)` they would wrap at 256). When the
/// terminal's pairs run out, every pair is reset and the caller redraws.
final class ColorRegistry {
    let depth: ColorDepth
    private let maxPairs: Int
    private var pairs: [PairKey: Int32] = [:]

    struct PairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    init(depth: ColorDepth, maxPairs: Int) {
        self.depth = depth
        self.maxPairs = maxPairs
    }

    /// The pair for a style's colours; 0 (terminal defaults) when colour is off.
    /// Sets `exhausted` when ncurses had to recycle pairs.
    func pair(for style: Style, exhausted: inout Bool) -> Int32 {
        guard depth != .none else { return 0 }
        let key = PairKey(
            foreground: number(style.foreground), background: number(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        if pairs.count >= maxPairs - 2 {
            reset_color_pairs()
            pairs.removeAll(keepingCapacity: true)
            exhausted = true
        }
        let pair = alloc_pair(key.foreground, key.background)
        guard pair > 0 else { return 0 }
        pairs[key] = pair
        return pair
    }

    /// Forgets cached pairs (after `reset_color_pairs`).
    func clear() { pairs.removeAll(keepingCapacity: true) }

    /// The ncurses colour number for `color` at this depth; -1 is the default.
    func number(_ color: Color) -> Int32 {
        switch (color, depth) {
        case (.default, _), (_, .none):
            return -1
        case (.indexed(let i), .palette256):
            return Int32(i)
        case (.indexed(let i), .ansi):
            if i < 16 { return Int32(i % 8) }
            let (r, g, b) = Color.rgbOf256(i)
            return Color.nearest8(r, g, b).map(Int32.init) ?? -1
        case (.indexed(let i), .direct):
            if i < 8 { return Int32(i) }
            let (r, g, b) = Color.rgbOf256(i)
            return Self.direct(r, g, b)
        case (.rgb(let r, let g, let b), .palette256):
            return Int32(Color.nearest256(r, g, b))
        case (.rgb(let r, let g, let b), .ansi):
            return Color.nearest8(r, g, b).map(Int32.init) ?? -1
        case (.rgb(let r, let g, let b), .direct):
            return Self.direct(r, g, b)
        }
    }

    /// A direct-colour number. Values 0-7 mean the ANSI colours in direct
    /// terminfo entries, so near-black blues are nudged to 8.
    static func direct(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int32 {
        let value = Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        return value < 8 ? 8 : value
    }
}
