import Cells
import Explorer
import PicseekCore
import Testing

@testable import ExplorerRuntime

/// The runtime's picture overlay: what it sends after a frame, and when.
@Suite("image overlay")
struct ImageOverlayTests {
    static func state(_ mode: GraphicsMode, hits: Int) -> AppState {
        var state = AppState(rows: 24, columns: 90, graphics: mode)
        state.kittyPlaceholders = false
        state.focus = .grid
        state.hits = (0..<hits).map { i in
            let pixels = [UInt8](repeating: UInt8((40 + i * 10) % 256), count: 32 * 24 * 3)
            return Hit(
                photoID: Int64(i), path: "/p/\(i).jpg", score: 0.5,
                thumbnail: RGBImage(width: 32, height: 24, pixels: pixels))
        }
        return state
    }

    static func count(_ needle: String, in bytes: [UInt8]) -> Int {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: needle).count - 1
    }

    @Test(
        "sixel: one image per row of tiles, nothing resent for an unchanged frame, a clear when tiles go"
    )
    func sixelRows() {
        var state = Self.state(.sixel, hits: 9)
        let frame = viewFrame(state)
        #expect(frame.images.count == 9)
        let overlay = ImageOverlay(
            method: .sixel(colorRegisters: 256), cell: PixelSize(width: 8, height: 16))
        #expect(!overlay.needsClear(for: frame.images))
        let first = overlay.paint(
            frame.images, state: state, previous: nil, current: frame.buffer, repaintedAll: true)
        // 6 tiles fit a row at 90 columns: two rows, two sixel images.
        #expect(Self.count("\u{1B}P0;1;0q", in: first) == 2)
        let again = overlay.paint(
            frame.images, state: state, previous: frame.buffer, current: frame.buffer,
            repaintedAll: false)
        #expect(again.isEmpty)
        // Fewer results: a picture on screen goes away, only a clear removes sixel pixels.
        state.hits.removeLast(4)
        let smaller = viewFrame(state)
        #expect(overlay.needsClear(for: smaller.images))
        let redrawn = overlay.paint(
            smaller.images, state: state, previous: nil, current: smaller.buffer, repaintedAll: true
        )
        #expect(Self.count("\u{1B}P0;1;0q", in: redrawn) == 1)
        #expect(overlay.cachedCount == 3)
    }

    @Test(
        "kitty: pixels sent once, placements deleted when tiles scroll away, all deleted on leaving"
    )
    func kittyPlacements() {
        var state = Self.state(.kitty, hits: 60)
        let overlay = ImageOverlay(method: .kittyDirect, cell: PixelSize(width: 8, height: 16))
        let frame = viewFrame(state)
        let first = overlay.paint(
            frame.images, state: state, previous: nil, current: frame.buffer, repaintedAll: true)
        #expect(Self.count("a=t,", in: first) == frame.images.count)
        #expect(Self.count("a=p,", in: first) == frame.images.count)
        // Scroll one row: the first row's placements go, the new row's pixels are sent.
        state.gridTopRow = 1
        let scrolled = viewFrame(state)
        let bytes = overlay.paint(
            scrolled.images, state: state, previous: frame.buffer, current: scrolled.buffer,
            repaintedAll: false)
        #expect(Self.count("a=d,d=i,", in: bytes) > 0)
        #expect(Self.count("a=t,", in: bytes) == state.layout.tilesPerRow)
        #expect(!overlay.needsClear(for: scrolled.images))
        #expect(String(decoding: overlay.finish(), as: UTF8.self) == KittyGraphics.deleteAll)
    }

    /// The width and height of every sixel image in `bytes` (its raster attributes).
    static func sixelSizes(_ bytes: [UInt8]) -> [PixelSize] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "q\"1;1;").dropFirst()
            .compactMap { rest in
                let numbers = rest.prefix { $0.isNumber || $0 == ";" }.split(separator: ";")
                guard numbers.count >= 2, let w = Int(numbers[0]), let h = Int(numbers[1])
                else { return nil }
                return PixelSize(width: w, height: h)
            }
    }

    @Test("sixel: a row wider than the terminal's largest image is sent as several, each within it")
    func sixelMaximum() {
        let state = Self.state(.sixel, hits: 9)
        let frame = viewFrame(state)
        let cell = PixelSize(width: 8, height: 16)
        let unlimited = ImageOverlay(method: .sixel(colorRegisters: 256), cell: cell)
        let whole = Self.sixelSizes(
            unlimited.paint(
                frame.images, state: state, previous: nil, current: frame.buffer,
                repaintedAll: true))
        #expect(whole.count == 2)
        let widest = whole.map(\.width).max() ?? 0
        // A limit below the widest row: that row is cut into more images, none over the limit,
        // and every thumbnail is still drawn.
        let limit = PixelSize(width: widest / 2, height: 1000)
        let limited = ImageOverlay(
            method: .sixel(colorRegisters: 256), cell: cell, sixelMaximum: limit)
        let sizes = Self.sixelSizes(
            limited.paint(
                frame.images, state: state, previous: nil, current: frame.buffer,
                repaintedAll: true))
        #expect(sizes.count > whole.count)
        #expect(sizes.allSatisfy { $0.width <= limit.width && $0.height <= limit.height })
        #expect(limited.cachedCount == sizes.count)
        // The detail pane's picture is fitted within the limit too.
        var detail = state
        detail.detailOpen = true
        let pane = viewFrame(detail)
        let small = PixelSize(width: 40, height: 32)
        let tight = ImageOverlay(
            method: .sixel(colorRegisters: 256), cell: cell, sixelMaximum: small)
        let paneSizes = Self.sixelSizes(
            tight.paint(
                pane.images, state: detail, previous: nil, current: pane.buffer,
                repaintedAll: true))
        #expect(!paneSizes.isEmpty)
        #expect(paneSizes.allSatisfy { $0.width <= small.width && $0.height <= small.height })
    }

    @Test("the help overlay and the detail pane change what is placed")
    func helpAndDetail() {
        var state = Self.state(.sixel, hits: 3)
        #expect(viewFrame(state).images.count == 3)
        state.helpVisible = true
        #expect(viewFrame(state).images.isEmpty)
        state.helpVisible = false
        state.detailOpen = true
        let images = viewFrame(state).images
        #expect(images.contains { $0.kind == .preview && $0.photoID == 0 })
        // Half blocks in the palette need no overlay at all.
        #expect(viewFrame(Self.state(.color256, hits: 3)).images.isEmpty)
    }
}
