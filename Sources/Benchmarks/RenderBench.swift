import Cells
import Explorer
import ExplorerRuntime
import PicseekCore
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// What `RenderBench` needs of the explorer's picture overlay (the runtime's `ImageOverlay`,
/// which the executable hands in): encode a frame's pictures, and the bytes that draw them.
public protocol RenderBenchOverlay: AnyObject {
    /// Encodes what `placements` need that is not cached yet; the number of images encoded.
    @discardableResult
    func prepare(_ placements: [ImagePlacement], state: AppState) -> Int

    /// The bytes that bring the terminal from the pictures shown last to `placements`.
    func paint(
        _ placements: [ImagePlacement], state: AppState, previous: CellBuffer?, current: CellBuffer,
        repaintedAll: Bool
    ) -> [UInt8]
}

/// `picseek bench render`: how long the explorer takes to draw.
///
/// Prints medians of: rendering a full frame with 24 thumbnails into the cell
/// buffer (`view`), flushing a full frame through ncurses to a
/// pseudo-terminal, and a keypress-to-frame step (update, view, diff flush)
/// that needs no embedding. Goals: full frame < 10 ms, keypress < 16 ms.
/// In a pixel mode (sixel, kitty, iTerm2), a page of 40 pictures instead.
public struct RenderBench {
    /// Repetitions per measurement.
    public var runs = 50
    /// Thumbnail mode.
    public var mode: GraphicsMode = .color256
    /// Terminal type for the pseudo-terminal.
    public var term = "xterm-256color"
    /// Makes the picture overlay for a pixel mode and a cell size in pixels.
    public var makeOverlay: (GraphicsMode, PixelSize) -> any RenderBenchOverlay
    /// Where the report's lines go, one call per line.
    public var output: (String) -> Void = { print($0) }

    /// A benchmark with the default settings; `makeOverlay` makes pixel-mode overlays.
    public init(makeOverlay: @escaping (GraphicsMode, PixelSize) -> any RenderBenchOverlay) {
        self.makeOverlay = makeOverlay
    }

    /// Runs the measurements and prints their lines through `output`.
    public func run() throws {
        if mode.drawsPixels { return try pixelPage(mode) }
        // 24 visible tiles: 6 per row at 12 columns each, 4 rows of 7 lines.
        let rows = 32
        let columns = 86
        var state = AppState(rows: rows, columns: columns, theme: .defaultDark, graphics: mode)
        state.summary = IndexSummary(
            photos: 10_000, errors: 0, modelName: "bench", roots: ["/photos"])
        state.focus = .grid
        state.hits = (0..<200).map { i in
            Hit(
                photoID: Int64(i), path: "/photos/2024/IMG_\(1000 + i).jpg",
                score: 0.35 - Float(i) * 0.001, thumbnail: Self.image(seed: i))
        }
        let layout = state.layout
        output(
            "frame \(columns)x\(rows), \(layout.visibleTiles) thumbnails visible, "
                + "mode \(mode.rawValue)"
        )

        let viewTimes = (0..<runs).map { i -> Double in
            state.selection = i % 24
            let start = Self.now()
            let buffer = view(state)
            let elapsed = Self.now() - start
            precondition(buffer.rows == rows)
            return elapsed
        }
        output(
            "view, full frame into the cell buffer: median "
                + "\(Self.ms(Samples(viewTimes).upperMedian)) ms"
        )

        let pty = try PseudoTerminal(rows: rows, columns: columns)
        pty.startCapture()
        defer { pty.stopCapture() }
        let screen = try Screen.open(
            term: term, output: pty.slave, input: pty.slave, wantTruecolor: mode == .truecolor,
            useColor: true)
        defer { screen.end() }
        // Two different pages of thumbnails, so every flush rewrites every tile.
        var other = state
        other.gridTopRow = 4
        let frames = [view(state), view(other)]
        var cellsWritten = 0
        let flushTimes = (0..<runs).map { i -> Double in
            let start = Self.now()
            cellsWritten = (try? screen.draw(frames[i % 2])) ?? 0
            return Self.now() - start
        }
        _ = pty.drain(timeoutMs: 20)
        output(
            "flush, full frame through ncurses to a pty (\(cellsWritten) cells changed): median "
                + "\(Self.ms(Samples(flushTimes).upperMedian)) ms"
        )
        // The goal's measure: render a full frame into the cell buffer and flush it.
        let states = [state, other]
        let totalTimes = (0..<runs).map { i -> Double in
            let start = Self.now()
            _ = try? screen.draw(view(states[i % 2]))
            return Self.now() - start
        }
        _ = pty.drain(timeoutMs: 20)
        output(
            "render + flush, full frame: median "
                + "\(Self.ms(Samples(totalTimes).upperMedian)) ms (goal < 10 ms)"
        )

        // Keypress to frame: move the selection, update, view, flush the diff.
        var keyState = state
        try screen.draw(view(keyState))
        let keys: [Key] = [.right, .right, .down, .left, .up]
        let keyTimes = (0..<runs).map { i -> Double in
            let start = Self.now()
            _ = update(&keyState, .keyPressed(keys[i % keys.count]))
            _ = try? screen.draw(view(keyState))
            return Self.now() - start
        }
        output(
            "keypress to frame (no embedding): median "
                + "\(Self.ms(Samples(keyTimes).upperMedian)) ms (goal < 16 ms)"
        )
    }

    /// A page of 40 tiles (8 a row, 5 rows, cells of 10x20 pixels) in a pixel
    /// mode: the first encode of the page, and a full redraw from the cache
    /// (every picture sent again, as after a clear), written to a pty.
    private func pixelPage(_ mode: GraphicsMode) throws {
        let rows = 38
        let columns = 114
        let cell = PixelSize(width: 10, height: 20)
        var state = AppState(rows: rows, columns: columns, theme: .defaultDark, graphics: mode)
        state.kittyPlaceholders = false
        state.summary = IndexSummary(
            photos: 10_000, errors: 0, modelName: "bench", roots: ["/photos"])
        state.focus = .grid
        // Thumbnails as the index backend hands them over: 128 pixels on the long side.
        state.hits = (0..<200).map { i in
            Hit(
                photoID: Int64(i), path: "/photos/2024/IMG_\(1000 + i).jpg",
                score: 0.35 - Float(i) * 0.001,
                thumbnail: Self.image(seed: i, width: 128, height: 96))
        }
        let frame = viewFrame(state)
        output(
            "frame \(columns)x\(rows), \(frame.images.count) thumbnails of "
                + "\(state.layout.tile.thumbColumns)x\(state.layout.tile.thumbRows) cells "
                + "(\(cell.width)x\(cell.height) px), mode \(mode.rawValue)"
        )
        let encodeRuns = max(3, runs / 5)
        var images = 0
        let firstTimes = (0..<encodeRuns).map { _ -> Double in
            let overlay = makeOverlay(mode, cell)
            let start = Self.now()
            images = overlay.prepare(frame.images, state: state)
            return Self.now() - start
        }
        output(
            "first encode of the page (\(images) images): median "
                + "\(Self.ms(Samples(firstTimes).upperMedian)) ms "
                + "(goal < 150 ms)")
        let pty = try PseudoTerminal(rows: rows, columns: columns)
        pty.startCapture()
        defer { pty.stopCapture() }
        let screen = try Screen(term: term, output: pty.slave, input: pty.slave)
        defer { screen.end() }
        let overlay = makeOverlay(mode, cell)
        overlay.prepare(frame.images, state: state)
        try screen.draw(frame.buffer)
        var bytes = 0
        let cachedTimes = (0..<runs).map { _ -> Double in
            let start = Self.now()
            let out = overlay.paint(
                frame.images, state: state, previous: nil, current: frame.buffer, repaintedAll: true
            )
            screen.writeRawKeepingCursor(out)
            bytes = out.count
            return Self.now() - start
        }
        _ = pty.drain(timeoutMs: 20)
        let what = mode == .kitty ? "placements only, the pixels stay in the terminal; " : ""
        output(
            "full grid from the cache (\(what)\(bytes / 1024) KiB written to a pty): median "
                + "\(Self.ms(Samples(cachedTimes).upperMedian)) ms (goal < 30 ms)")
    }

    /// A 96x96 test image with gradients and a per-photo hue, so every
    /// thumbnail differs.
    static func image(seed: Int) -> RGBImage { image(seed: seed, width: 96, height: 96) }

    /// A test image of `width` x `height` with gradients and a per-photo hue.
    static func image(seed: Int, width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                pixels[i] = UInt8((x * 255 / width + seed * 37) % 256)
                pixels[i + 1] = UInt8((y * 255 / height + seed * 53) % 256)
                pixels[i + 2] = UInt8(((x + y) * 127 / (width + height) * 2 + seed * 11) % 256)
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static func now() -> Double { BenchClock.monotonicSeconds() }

    static func ms(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10_000).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
