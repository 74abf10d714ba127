#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Cells
import Explorer
import ExplorerRuntime
import PicseekCore
import Terminal

/// `picseek bench render`: how long the explorer takes to draw.
///
/// Prints medians of: rendering a full frame with 24 thumbnails into the cell
/// buffer (`view`), flushing a full frame through ncurses to a
/// pseudo-terminal, and a keypress-to-frame step (update, view, diff flush)
/// that needs no embedding. Goals: full frame < 10 ms, keypress < 16 ms.
struct BenchRender: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Median time to render and flush an explorer frame (24 half-block thumbnails, or 40 pictures in a pixel mode).")

    @Option(help: "Repetitions per measurement.")
    var runs = 50

    @Option(help: "Thumbnail mode: truecolor, 256, mono, ascii, or a pixel mode (sixel, kitty, iterm2: 40 tiles, first encode and redraw from cache).")
    var graphics: String = "256"

    @Option(help: "Terminal type for the pseudo-terminal.")
    var term: String = "xterm-256color"

    func run() throws {
        guard let mode = GraphicsMode(rawValue: graphics) else {
            throw ValidationError("--graphics must be truecolor, 256, mono, ascii, sixel, kitty or iterm2")
        }
        if mode.drawsPixels { return try pixelPage(mode) }
        // 24 visible tiles: 6 per row at 12 columns each, 4 rows of 7 lines.
        let rows = 32
        let columns = 86
        var state = AppState(rows: rows, columns: columns, theme: .defaultDark, graphics: mode)
        state.summary = IndexSummary(photos: 10_000, errors: 0, modelName: "bench", roots: ["/photos"])
        state.focus = .grid
        state.hits = (0..<200).map { i in
            Hit(
                photoID: Int64(i), path: "/photos/2024/IMG_\(1000 + i).jpg",
                score: 0.35 - Float(i) * 0.001, thumbnail: Self.image(seed: i))
        }
        let layout = state.layout
        print("frame \(columns)x\(rows), \(layout.visibleTiles) thumbnails visible, mode \(mode.rawValue)")

        let viewTimes = (0..<runs).map { i -> Double in
            state.selection = i % 24
            let start = Self.now()
            let buffer = view(state)
            let elapsed = Self.now() - start
            precondition(buffer.rows == rows)
            return elapsed
        }
        print("view, full frame into the cell buffer: median \(Self.ms(Self.median(viewTimes))) ms")

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
        print(
            "flush, full frame through ncurses to a pty (\(cellsWritten) cells changed): median \(Self.ms(Self.median(flushTimes))) ms"
        )
        // The goal's measure: render a full frame into the cell buffer and flush it.
        let states = [state, other]
        let totalTimes = (0..<runs).map { i -> Double in
            let start = Self.now()
            _ = try? screen.draw(view(states[i % 2]))
            return Self.now() - start
        }
        _ = pty.drain(timeoutMs: 20)
        print("render + flush, full frame: median \(Self.ms(Self.median(totalTimes))) ms (goal < 10 ms)")

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
        print("keypress to frame (no embedding): median \(Self.ms(Self.median(keyTimes))) ms (goal < 16 ms)")
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
        state.summary = IndexSummary(photos: 10_000, errors: 0, modelName: "bench", roots: ["/photos"])
        state.focus = .grid
        // Thumbnails as the index backend hands them over: 128 pixels on the long side.
        state.hits = (0..<200).map { i in
            Hit(
                photoID: Int64(i), path: "/photos/2024/IMG_\(1000 + i).jpg",
                score: 0.35 - Float(i) * 0.001, thumbnail: Self.image(seed: i, width: 128, height: 96))
        }
        let frame = viewFrame(state)
        let method: ImageOverlay.Method =
            mode == .sixel ? .sixel(colorRegisters: 256) : mode == .kitty ? .kittyDirect : .iterm2
        print(
            "frame \(columns)x\(rows), \(frame.images.count) thumbnails of \(state.layout.tile.thumbColumns)x"
                + "\(state.layout.tile.thumbRows) cells (\(cell.width)x\(cell.height) px), mode \(mode.rawValue)")
        let encodeRuns = max(3, runs / 5)
        var images = 0
        let firstTimes = (0..<encodeRuns).map { _ -> Double in
            let overlay = ImageOverlay(method: method, cell: cell)
            let start = Self.now()
            images = overlay.prepare(frame.images, state: state)
            return Self.now() - start
        }
        print(
            "first encode of the page (\(images) images): median \(Self.ms(Self.median(firstTimes))) ms "
                + "(goal < 150 ms)")
        let pty = try PseudoTerminal(rows: rows, columns: columns)
        pty.startCapture()
        defer { pty.stopCapture() }
        let screen = try Screen(term: term, output: pty.slave, input: pty.slave)
        defer { screen.end() }
        let overlay = ImageOverlay(method: method, cell: cell)
        overlay.prepare(frame.images, state: state)
        try screen.draw(frame.buffer)
        var bytes = 0
        let cachedTimes = (0..<runs).map { _ -> Double in
            let start = Self.now()
            let out = overlay.paint(
                frame.images, state: state, previous: nil, current: frame.buffer, repaintedAll: true)
            screen.writeRawKeepingCursor(out)
            bytes = out.count
            return Self.now() - start
        }
        _ = pty.drain(timeoutMs: 20)
        let what = mode == .kitty ? "placements only, the pixels stay in the terminal; " : ""
        print(
            "full grid from the cache (\(what)\(bytes / 1024) KiB written to a pty): median "
                + "\(Self.ms(Self.median(cachedTimes))) ms (goal < 30 ms)")
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

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[sorted.count / 2]
    }

    static func ms(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10_000).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
