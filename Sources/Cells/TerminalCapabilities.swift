/// A size in pixels.
public struct PixelSize: Equatable, Hashable, Sendable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// What a terminal said it can do when asked (and what its environment says):
/// the input for choosing how to draw photos. Filled by `Terminal.TerminalProbe`;
/// pure data, so the choice is tested without a terminal.
public struct TerminalCapabilities: Equatable, Sendable {
    /// The terminal answered the closing primary device attributes query, so
    /// every answer it meant to give has arrived.
    public var answered = false
    /// Primary device attributes (DA1) parameters, e.g. `[63, 1, 2, 4, 6]`.
    public var deviceAttributes: [Int] = []
    /// The answer to XTVERSION, e.g. "XTerm(379)" or "kitty(0.26.5)".
    public var version: String?
    /// The kitty graphics protocol answered its query action (`a=q`) with OK.
    public var kittyGraphics = false
    /// Sixel colour registers (XTSMGRAPHICS), when the terminal said.
    public var sixelColorRegisters: Int?
    /// The largest sixel image (XTSMGRAPHICS), when the terminal said.
    public var sixelMaximum: PixelSize?
    /// One cell in pixels (`TIOCGWINSZ` pixel fields, else `CSI 16 t`).
    public var cellPixels: PixelSize?
    /// The terminal's background colour (OSC 11), 8 bits per channel.
    public var background: (red: UInt8, green: UInt8, blue: UInt8)? {
        get { backgroundRGB.map { ($0[0], $0[1], $0[2]) } }
        set { backgroundRGB = newValue.map { [$0.red, $0.green, $0.blue] } }
    }
    private var backgroundRGB: [UInt8]?
    /// Running inside tmux (`TMUX` set).
    public var insideTmux = false
    /// Running inside GNU screen (`STY` set or `TERM=screen…` without tmux).
    public var insideScreen = false
    /// Keys typed while the terminal was being asked, to be read as input.
    public var typedAhead: [UInt8] = []
    /// Whether the terminal was asked at all (not for `dumb`, the Linux console,
    /// GNU screen, or without a terminal).
    public var probed = false

    /// Creates an empty record: nothing known.
    public init() {}

    /// Sixel graphics: attribute 4 in DA1.
    public var sixel: Bool { deviceAttributes.dropFirst().contains(4) }

    /// Whether the background is light (relative luminance above one half),
    /// from OSC 11, else from `COLORFGBG` in `environment`; nil when unknown.
    public func lightBackground(environment: [String: String]) -> Bool? {
        if let bg = background {
            let luma =
                0.2126 * Double(bg.red) + 0.7152 * Double(bg.green) + 0.0722 * Double(bg.blue)
            return luma > 127.5
        }
        // COLORFGBG="15;0" or "0;default;15": the last field is the background.
        if let value = environment["COLORFGBG"], let last = value.split(separator: ";").last,
            let index = Int(last)
        {
            return index == 7 || (index >= 9 && index <= 15)
        }
        return nil
    }

    /// The terminal's name and version from XTVERSION, split: ("kitty", [0, 26, 5]).
    public var versionParts: (name: String, numbers: [Int])? {
        guard let version else { return nil }
        var name = ""
        var rest = Substring(version)
        while let c = rest.first, c.isLetter || c == "-" || c == "_" {
            name.append(c)
            rest = rest.dropFirst()
        }
        let numbers = rest.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return name.isEmpty ? nil : (name.lowercased(), numbers)
    }
}
