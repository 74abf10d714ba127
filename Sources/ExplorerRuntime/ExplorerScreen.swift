import Cells
import Terminal

/// What the explorer runtime draws on and reads keys from: the ncurses
/// `Screen` of `Terminal`, or a fake screen in tests.
///
/// The runtime calls it from its UI thread only.
public protocol ExplorerScreen: AnyObject {
    /// The screen's size in cells.
    var size: (rows: Int, columns: Int) { get }
    /// How many colours the terminal has (terminfo's count).
    var colorCount: Int { get }
    /// How colours are drawn.
    var colorDepth: ColorDepth { get }
    /// Whether the last `draw` rewrote every cell.
    var repaintedAll: Bool { get }
    /// A descriptor that becomes readable when keys are waiting.
    var inputDescriptor: Int32 { get }

    /// Turns on mouse reports.
    func enableMouse()
    /// Puts keys typed before the screen started (UTF-8) in front of the input.
    func pushInput(_ bytes: [UInt8])
    /// The next key, waiting at most `timeoutMs` milliseconds; nil when none came.
    func readKey(timeoutMs: Int32) -> Key?
    /// Draws `buffer`, writing only what changed since the last frame.
    ///
    /// Returns the number of cells written.
    @discardableResult
    func draw(_ buffer: CellBuffer) throws -> Int
    /// Forgets what is on screen, so the next `draw` repaints everything.
    func invalidate()
    /// Writes `text` straight to the terminal after the last frame.
    func writeRaw(_ text: String)
    /// Writes `bytes` straight to the terminal with the cursor saved and restored.
    func writeRawKeepingCursor(_ bytes: [UInt8])
    /// Restores the terminal. Safe to call more than once.
    func end()
}

/// The ncurses screen is what `ExplorerRuntime.run(input:output:)` draws on.
extension Screen: ExplorerScreen {}
