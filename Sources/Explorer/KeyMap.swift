import Cells

/// Commands a key can trigger outside text editing.
public enum Action: Equatable, Sendable {
    case quit, focusQuery, leaveQuery, cycleFocus, cycleFocusBack
    case moveLeft, moveRight, moveUp, moveDown, pageUp, pageDown, first, last
    case toggleDetail, closeDetail, moreLikeThis, openInViewer, copyPath, reindex
    case toggleLanguage, toggleHelp, switchModel, cycleOrder, toggleMark, abort
    case toggleWordSearch
}

/// Which key does what, per focus. The help overlay is drawn from `bindings`,
/// so it lists every key the map knows.
public enum KeyMap {
    /// One line of the help overlay.
    public struct Binding: Equatable, Sendable {
        /// The keys, as shown, e.g. "q Esc Ctrl-C".
        public var keys: String
        /// What they do.
        public var summary: String
    }

    /// Every key, in help-overlay order.
    public static let bindings: [Binding] = [
        Binding(keys: "/ Esc", summary: "focus the query line / leave it"),
        Binding(keys: "Enter", summary: "query: search, go to grid; grid: detail pane"),
        Binding(keys: "Tab S-Tab", summary: "cycle focus: query, grid, detail"),
        Binding(keys: "←↓↑→ hjkl", summary: "move the selection; mouse: click, wheel"),
        Binding(keys: "PgUp PgDn", summary: "a page; Home End (g G): first, last"),
        Binding(keys: "s", summary: "more like this photo"),
        Binding(keys: "d", summary: "order: best first / newest / oldest first"),
        Binding(keys: "Space", summary: "mark / unmark; marked paths print on quit"),
        Binding(keys: "o", summary: "open in the system viewer"),
        Binding(keys: "y", summary: "copy the path (OSC 52)"),
        Binding(keys: "r", summary: "reindex the folders in the background"),
        Binding(keys: "t Ctrl-T", summary: "prompt language: auto / English / 中文"),
        Binding(keys: "w Ctrl-F", summary: "search the words in photos (OCR) / by meaning"),
        Binding(keys: "m", summary: "next model with vectors in this index"),
        Binding(keys: "↑ ↓", summary: "query history (in the query line)"),
        Binding(keys: "Ctrl-W Ctrl-U", summary: "delete word / to line start; Ctrl-K: to end"),
        Binding(keys: "Ctrl-A Ctrl-E", summary: "line start / end; Alt-B Alt-F: word"),
        Binding(keys: "? F1", summary: "this help"),
        Binding(keys: "q Esc Ctrl-C", summary: "quit (Esc from the grid; Ctrl-C prints none)"),
    ]

    /// The command for `key` with `focus`, or nil when the key is text input
    /// (query focused) or unbound.
    public static func action(for key: Key, focus: Focus) -> Action? {
        switch key {
        case .control("c"): return .abort
        case .control("t"): return .toggleLanguage
        case .control("f"): return .toggleWordSearch
        case .function(1): return .toggleHelp
        case .tab: return .cycleFocus
        case .backTab: return .cycleFocusBack
        case .pageUp: return .pageUp
        case .pageDown: return .pageDown
        default: break
        }
        if focus == .query {
            switch key {
            case .escape: return .leaveQuery
            default: return nil
            }
        }
        switch key {
        case .escape: return focus == .detail ? .closeDetail : .quit
        case .character("q"): return .quit
        case .character("/"): return .focusQuery
        case .character("?"): return .toggleHelp
        case .left, .character("h"): return .moveLeft
        case .right, .character("l"): return .moveRight
        case .up, .character("k"): return .moveUp
        case .down, .character("j"): return .moveDown
        case .home, .character("g"): return .first
        case .end, .character("G"): return .last
        case .enter: return .toggleDetail
        case .character("s"): return .moreLikeThis
        case .character("o"): return .openInViewer
        case .character("y"): return .copyPath
        case .character("r"): return .reindex
        case .character("t"): return .toggleLanguage
        case .character("w"): return .toggleWordSearch
        case .character("m"): return .switchModel
        case .character("d"): return .cycleOrder
        case .character(" "): return .toggleMark
        default: return nil
        }
    }
}
