/// Text attributes independent of colour.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bold or bright text.
    public static let bold = Attributes(rawValue: 1)
    /// Dim text.
    public static let dim = Attributes(rawValue: 2)
    /// Foreground and background swapped.
    public static let reverse = Attributes(rawValue: 4)
    /// Underlined text.
    public static let underline = Attributes(rawValue: 8)
    /// Italic text.
    public static let italic = Attributes(rawValue: 16)
}

/// How one cell looks: colours and attributes.
public struct Style: Equatable, Hashable, Sendable {
    /// Foreground colour.
    public var foreground: Color
    /// Background colour.
    public var background: Color
    /// Attributes such as bold or reverse.
    public var attributes: Attributes

    /// Creates a style; everything defaults to the terminal's defaults.
    public init(
        foreground: Color = .default, background: Color = .default, attributes: Attributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default colours, no attributes.
    public static let plain = Style()

    /// The same style with colours removed (for `NO_COLOR` and monochrome themes).
    public var withoutColor: Style { Style(attributes: attributes) }
}
