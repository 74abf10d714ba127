import ArgumentParser
import Benchmarks
import Cells
import Explorer
import ExplorerRuntime

/// `picseek bench render`: how long the explorer takes to draw (measured by `RenderBench`,
/// with the runtime's `ImageOverlay` for the pixel modes).
struct BenchRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract:
            "Median time to render and flush an explorer frame (24 half-block thumbnails, or "
            + "40 pictures in a pixel mode)."
    )

    @Option(help: "Repetitions per measurement.")
    var runs = 50

    @Option(
        help: ArgumentHelp(
            "Thumbnail mode: truecolor, 256, mono, ascii, or a pixel mode (sixel, kitty, "
                + "iterm2: 40 tiles, first encode and redraw from cache).")
    )
    var graphics: String = "256"

    @Option(help: "Terminal type for the pseudo-terminal.")
    var term: String = "xterm-256color"

    func run() throws {
        guard let mode = GraphicsMode(rawValue: graphics) else {
            throw ValidationError(
                "--graphics must be truecolor, 256, mono, ascii, sixel, kitty or iterm2")
        }
        var bench = RenderBench { mode, cell in
            let method: ImageOverlay.Method =
                mode == .sixel
                ? .sixel(colorRegisters: 256) : mode == .kitty ? .kittyDirect : .iterm2
            return ImageOverlay(method: method, cell: cell)
        }
        bench.runs = runs
        bench.mode = mode
        bench.term = term
        try BenchCommand.reporting { try bench.run() }
    }
}

extension ImageOverlay: RenderBenchOverlay {}
