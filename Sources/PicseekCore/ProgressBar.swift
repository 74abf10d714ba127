/// The text progress bar drawn on a terminal by `picseek index`, `watch` and `model fetch`.
///
/// `[#####...............]`: `width` cells between brackets, `#` for the part done and `.` for
/// the rest. Cells are counted in integers (`done × width / total`, rounded down), so a bar is
/// full only when the work is.
public enum ProgressBar {
    /// The bar for `done` of `total` units in `width` cells.
    ///
    /// `done` beyond `total` draws a full bar; a `total` of 0 or less draws an empty one.
    public static func render(done: Int64, total: Int64, width: Int) -> String {
        let cells = max(0, width)
        let filled = total > 0 ? min(Int64(cells), max(0, done) * Int64(cells) / total) : 0
        return "[" + String(repeating: "#", count: Int(filled))
            + String(repeating: ".", count: cells - Int(filled)) + "]"
    }
}
