#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Cells
import Explorer
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
        abstract: "Median time to render and flush an explorer frame with 24 thumbnails.")

    @Option(help: "Repetitions per measurement.")
    var runs = 50

    @Option(help: "Thumbnail mode: truecolor, 256, mono or ascii.")
    var graphics: String = "256"

    @Option(help: "Terminal type for the pseudo-terminal.")
    var term: String = "xterm-256color"

    func run() throws {
        guard let mode = GraphicsMode(rawValue: graphics), mode != .kitty else {
            throw ValidationError("--graphics must be truecolor, 256, mono or ascii")
        }
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

    /// A 96x96 test image with gradients and a per-photo hue, so every
    /// thumbnail differs.
    static func image(seed: Int) -> RGBImage {
        let size = 96
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        for y in 0..<size {
            for x in 0..<size {
                let i = (y * size + x) * 3
                pixels[i] = UInt8((x * 255 / size + seed * 37) % 256)
                pixels[i + 1] = UInt8((y * 255 / size + seed * 53) % 256)
                pixels[i + 2] = UInt8(((x + y) * 127 / size + seed * 11) % 256)
            }
        }
        return RGBImage(width: size, height: size, pixels: pixels)
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
