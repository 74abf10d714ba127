/// A key press or terminal event, decoded by the terminal layer.
public enum Key: Equatable, Hashable, Sendable {
    /// A printable character (any script; an input method's commit arrives as
    /// several of these in a row).
    case character(Character)
    /// Ctrl plus a letter, given in lower case: Ctrl-W is `.control("w")`.
    case control(Character)
    /// Alt (Meta) plus a character.
    case alt(Character)
    case enter, tab, backTab, backspace, delete, insert, escape
    case up, down, left, right, home, end, pageUp, pageDown
    /// F1...F12.
    case function(Int)
    /// A mouse event at a cell.
    case mouse(MouseEvent)
    /// The terminal changed size.
    case resize
    /// A key code the decoder does not know.
    case unknown(Int32)
}

/// A mouse event: where and what.
public struct MouseEvent: Equatable, Hashable, Sendable {
    /// What happened.
    public enum Kind: Equatable, Hashable, Sendable {
        case press, release, scrollUp, scrollDown
    }
    /// Row of the cell, 0-based.
    public var row: Int
    /// Column of the cell, 0-based.
    public var column: Int
    /// What happened.
    public var kind: Kind

    /// Creates an event.
    public init(row: Int, column: Int, kind: Kind) {
        self.row = row
        self.column = column
        self.kind = kind
    }
}
