import Cells
import PicseekCore

/// Draws pixels into cells: Unicode upper half blocks `▀` whose foreground is
/// the top pixel and background the bottom one, so one cell shows two
/// vertically stacked pixels (roughly square on a 1:2 cell).
public enum Thumbnail {
    /// Brightness ramp for ASCII mode, dark to light.
    static let ramp: [Character] = Array(" .:-=+*#%@")

    /// Draws `image` fitted (aspect kept, centred) into `rect` in `mode`.
    ///
    /// Uses area averaging when shrinking, nearest pixel when enlarging.
    public static func draw(
        _ image: RGBImage, into buffer: inout CellBuffer, rect: Rect, mode: GraphicsMode,
        background: Style = .plain
    ) {
        guard !rect.isEmpty, image.width > 0, image.height > 0 else { return }
        let boxWidth = rect.columns
        let boxHeight = rect.rows * 2
        // Fit keeping aspect ratio.
        var width = boxWidth
        var height = max(1, (image.height * boxWidth + image.width / 2) / image.width)
        if height > boxHeight {
            height = boxHeight
            width = max(1, (image.width * boxHeight + image.height / 2) / image.height)
        }
        let pixels = resample(image, width: width, height: height)
        let left = rect.column + (boxWidth - width) / 2
        // Start on an even pixel row so every cell gets a top and a bottom pixel.
        let topPixel = ((boxHeight - height) / 2) & ~1
        buffer.fill(rect, style: background)
        let cellRows = (height + 1) / 2
        let firstRow = rect.row + topPixel / 2
        for cr in 0..<cellRows {
            let y0 = cr * 2
            let y1 = y0 + 1
            for x in 0..<width {
                let t = pixel(pixels, width, x, y0)
                let b: (UInt8, UInt8, UInt8)? = y1 < height ? pixel(pixels, width, x, y1) : nil
                let (character, style) = cell(top: t, bottom: b, mode: mode, background: background)
                buffer.setNarrow(row: firstRow + cr, column: left + x, character, style)
            }
        }
    }

    /// The character and style of one cell for a top and an optional bottom pixel.
    @inline(__always)
    static func cell(
        top: (UInt8, UInt8, UInt8), bottom: (UInt8, UInt8, UInt8)?, mode: GraphicsMode,
        background: Style
    ) -> (Character, Style) {
        switch mode {
        case .truecolor:
            let bg: Color = bottom.map { .rgb($0.0, $0.1, $0.2) } ?? background.background
            return ("▀", Style(foreground: .rgb(top.0, top.1, top.2), background: bg))
        case .color256:
            let bg: Color =
                bottom.map { .indexed(Color.nearest256($0.0, $0.1, $0.2)) } ?? background.background
            return (
                "▀",
                Style(foreground: .indexed(Color.nearest256(top.0, top.1, top.2)), background: bg)
            )
        case .mono:
            let bg: Color = bottom.map { .indexed(grey($0)) } ?? background.background
            return ("▀", Style(foreground: .indexed(grey(top)), background: bg))
        case .kitty, .sixel, .iterm2:
            // Images without a transmitted placement fall back to the palette.
            return cell(top: top, bottom: bottom, mode: .color256, background: background)
        case .ascii:
            let lt = Color.luma(top.0, top.1, top.2)
            let l = bottom.map { (lt + Color.luma($0.0, $0.1, $0.2)) / 2 } ?? lt
            return (ramp[min(ramp.count - 1, l * ramp.count / 256)], background)
        }
    }

    /// Fills `rect` with kitty placeholders for image `id` (1...255, carried
    /// in the 256-colour foreground), one cell per placement cell.
    public static func drawKitty(id: Int, into buffer: inout CellBuffer, rect: Rect) {
        let style = Style(foreground: .indexed(UInt8(clamping: id)))
        for r in 0..<min(rect.rows, KittyGraphics.maximumCells) {
            for c in 0..<min(rect.columns, KittyGraphics.maximumCells) {
                guard let character = KittyGraphics.cell(row: r, column: c) else { continue }
                buffer.setNarrow(row: rect.row + r, column: rect.column + c, character, style)
            }
        }
    }

    /// The palette grey (232...255) nearest to a pixel's brightness.
    static func grey(_ p: (UInt8, UInt8, UInt8)) -> UInt8 {
        let l = Color.luma(p.0, p.1, p.2)
        return UInt8(232 + min(23, max(0, (l - 3) / 10)))
    }

    @inline(__always)
    static func pixel(_ pixels: [UInt8], _ width: Int, _ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8)
    {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// `image` shrunk (aspect kept) so neither side exceeds `maxSide`; smaller
    /// images are returned as they are. Keeps per-frame drawing cheap when a
    /// backend hands over a large picture.
    public static func limited(_ image: RGBImage, maxSide: Int) -> RGBImage {
        let longest = max(image.width, image.height)
        guard longest > maxSide, maxSide > 0 else { return image }
        let width = max(1, image.width * maxSide / longest)
        let height = max(1, image.height * maxSide / longest)
        return RGBImage(
            width: width, height: height, pixels: resample(image, width: width, height: height))
    }

    /// `image` resized to `width` x `height`: box filter when shrinking,
    /// nearest neighbour when enlarging.
    public static func resample(_ image: RGBImage, width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let src = image.pixels
        let sw = image.width
        let sh = image.height
        for y in 0..<height {
            let y0 = y * sh / height
            let y1 = max(y0 + 1, (y + 1) * sh / height)
            for x in 0..<width {
                let x0 = x * sw / width
                let x1 = max(x0 + 1, (x + 1) * sw / width)
                var r = 0
                var g = 0
                var b = 0
                for sy in y0..<y1 {
                    var i = (sy * sw + x0) * 3
                    for _ in x0..<x1 {
                        r += Int(src[i])
                        g += Int(src[i + 1])
                        b += Int(src[i + 2])
                        i += 3
                    }
                }
                let n = (y1 - y0) * (x1 - x0)
                let o = (y * width + x) * 3
                out[o] = UInt8(r / n)
                out[o + 1] = UInt8(g / n)
                out[o + 2] = UInt8(b / n)
            }
        }
        return out
    }
}
