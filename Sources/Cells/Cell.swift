/// One terminal cell: a grapheme and its style.
///
/// A wide grapheme (CJK, most emoji) occupies two cells: the first holds the
/// grapheme, the second is a continuation cell that the terminal layer skips.
public struct Cell: Equatable, Hashable, Sendable {
    /// What the cell shows; a space for blank cells.
    public var character: Character
    /// Colours and attributes.
    public var style: Style
    /// Whether this is the right half of a wide grapheme to its left.
    public var isContinuation: Bool

    /// Creates a cell.
    public init(_ character: Character = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    /// A blank cell with default colours.
    public static let blank = Cell()
}
