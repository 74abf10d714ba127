import Cells

/// A one-line text editor: the query pane's model.
///
/// The cursor counts graphemes, so CJK, emoji and combining marks move as one
/// unit; a combining mark typed after a letter merges into it. History holds
/// submitted queries, newest last.
public struct LineEditor: Equatable, Sendable {
    /// The text being edited.
    public private(set) var text: String = ""
    /// Cursor position in graphemes, 0...text.count.
    public private(set) var cursor: Int = 0
    /// Submitted lines, oldest first.
    public private(set) var history: [String] = []
    /// Index into `history` while browsing it; nil when editing a fresh line.
    public private(set) var historyIndex: Int?
    /// The fresh line saved while browsing history.
    private var draft: String = ""

    /// How many entries history keeps.
    public static let historyLimit = 100

    /// Creates an editor holding `text` with the cursor at its end.
    public init(text: String = "", history: [String] = []) {
        self.text = text
        self.cursor = text.count
        self.history = history
    }

    /// Inserts `string` at the cursor.
    public mutating func insert(_ string: String) {
        let prefix = String(text.prefix(cursor)) + string
        text = prefix + String(text.dropFirst(cursor))
        // Recount: a combining mark may have merged into the grapheme before it.
        cursor = prefix.count
        historyIndex = nil
    }

    /// Deletes the grapheme before the cursor.
    public mutating func backspace() {
        guard cursor > 0 else { return }
        text = String(text.prefix(cursor - 1)) + String(text.dropFirst(cursor))
        cursor -= 1
    }

    /// Deletes the grapheme under the cursor.
    public mutating func deleteForward() {
        guard cursor < text.count else { return }
        text = String(text.prefix(cursor)) + String(text.dropFirst(cursor + 1))
    }

    /// Deletes the word before the cursor (Ctrl-W): trailing spaces, then
    /// everything back to the previous space.
    public mutating func deleteWordBackward() {
        let chars = Array(text)
        var start = cursor
        while start > 0, chars[start - 1].isWhitespace { start -= 1 }
        while start > 0, !chars[start - 1].isWhitespace { start -= 1 }
        text = String(chars[0..<start]) + String(chars[cursor...])
        cursor = start
    }

    /// Deletes everything before the cursor (Ctrl-U).
    public mutating func deleteToStart() {
        text = String(text.dropFirst(cursor))
        cursor = 0
    }

    /// Deletes everything from the cursor on (Ctrl-K).
    public mutating func deleteToEnd() {
        text = String(text.prefix(cursor))
    }

    /// Moves the cursor by `delta` graphemes, clamped.
    public mutating func move(by delta: Int) {
        cursor = min(max(0, cursor + delta), text.count)
    }

    /// Moves the cursor to the start of the previous word.
    public mutating func moveWordBackward() {
        let chars = Array(text)
        var c = cursor
        while c > 0, chars[c - 1].isWhitespace { c -= 1 }
        while c > 0, !chars[c - 1].isWhitespace { c -= 1 }
        cursor = c
    }

    /// Moves the cursor past the end of the next word.
    public mutating func moveWordForward() {
        let chars = Array(text)
        var c = cursor
        while c < chars.count, chars[c].isWhitespace { c += 1 }
        while c < chars.count, !chars[c].isWhitespace { c += 1 }
        cursor = c
    }

    /// Moves the cursor to the start.
    public mutating func moveToStart() { cursor = 0 }

    /// Moves the cursor to the end.
    public mutating func moveToEnd() { cursor = text.count }

    /// Replaces the whole text, cursor at the end.
    public mutating func setText(_ newText: String) {
        text = newText
        cursor = newText.count
    }

    /// Records the current text in history (skipping blanks and repeats).
    public mutating func commit() {
        historyIndex = nil
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, history.last != text else { return }
        history.append(text)
        if history.count > Self.historyLimit {
            history.removeFirst(history.count - Self.historyLimit)
        }
    }

    /// Shows the previous history entry; returns whether the text changed.
    @discardableResult
    public mutating func historyBack() -> Bool {
        guard !history.isEmpty else { return false }
        let next: Int
        if let historyIndex {
            guard historyIndex > 0 else { return false }
            next = historyIndex - 1
        } else {
            draft = text
            next = history.count - 1
        }
        historyIndex = next
        setText(history[next])
        return true
    }

    /// Shows the next history entry, or the saved draft after the newest;
    /// returns whether the text changed.
    @discardableResult
    public mutating func historyForward() -> Bool {
        guard let historyIndex else { return false }
        if historyIndex + 1 < history.count {
            self.historyIndex = historyIndex + 1
            setText(history[historyIndex + 1])
        } else {
            self.historyIndex = nil
            setText(draft)
        }
        return true
    }

    /// Display columns before the cursor.
    public var cursorColumn: Int { DisplayWidth.of(String(text.prefix(cursor))) }
}

extension String {
    /// The string without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
