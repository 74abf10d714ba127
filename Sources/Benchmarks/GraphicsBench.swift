import Graphics

/// Timings of the terminal image encoders (`Graphics`) on synthetic photo-like images.
///
/// The images are made here from a fixed seed (a sky gradient, a textured ground, a few soft
/// discs and sensor-like noise), so runs are comparable across machines without any files.
public enum GraphicsBench {
    /// One image to time: packed RGB pixels and their size.
    public struct Image: Sendable {
        /// Packed RGB, row-major, 3 bytes a pixel.
        public var pixels: [UInt8]
        /// Width in pixels.
        public var width: Int
        /// Height in pixels.
        public var height: Int

        /// An image from packed RGB `pixels` of `width` x `height`.
        public init(pixels: [UInt8], width: Int, height: Int) {
            precondition(
                pixels.count == width * height * 3, "pixel buffer must hold width*height*3 bytes")
            self.pixels = pixels
            self.width = width
            self.height = height
        }
    }

    /// Runs every timing on a page of 40 synthetic tiles of 160 x 96 and one 800 x 500 detail
    /// image, and returns a report with medians (one line per measurement).
    public static func run() -> String {
        let tiles = (0..<40).map { synthetic(width: 160, height: 96, seed: UInt64($0)) }
        let detail = synthetic(width: 800, height: 500, seed: 1000)
        return run(tiles: tiles, detail: detail)
    }

    /// Runs every timing on the given `tiles` (a page) and `detail` image.
    ///
    /// Each figure is the median over `repeats` runs; per-tile figures are a page's total divided
    /// by its tile count. One thread, through the public calls (`Sixel.encode` borrows pooled
    /// scratch memory, so only the first call allocates it).
    public static func run(tiles: [Image], detail: Image, repeats: Int = 7) -> String {
        var lines: [String] = []
        let tileCount = max(1, tiles.count)
        let side = tiles.first.map { "\($0.width)x\($0.height)" } ?? "none"
        func page(_ body: (Image) -> Int) -> (ms: Double, bytes: Int) {
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<repeats {
                bytes = 0
                let start = ContinuousClock.now
                for tile in tiles { bytes += body(tile) }
                times.append(milliseconds(ContinuousClock.now - start))
            }
            return (Samples(times).median, bytes)
        }
        func single(_ body: () -> Int) -> (ms: Double, bytes: Int) {
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<repeats {
                let start = ContinuousClock.now
                bytes = body()
                times.append(milliseconds(ContinuousClock.now - start))
            }
            return (Samples(times).median, bytes)
        }
        for colors in [256, 64] {
            let result = page {
                Sixel.encode(
                    pixels: $0.pixels, width: $0.width, height: $0.height,
                    colors: colors
                ).count
            }
            lines.append(
                "sixel \(colors) colours, page of \(tiles.count) tiles \(side): "
                    + "\(format(result.ms)) ms, \(format(result.ms / Double(tileCount))) ms/tile, "
                    + "\(result.bytes / tileCount / 1024) KiB/tile")
        }
        let png = page {
            PNGEncoder.encode(pixels: $0.pixels, width: $0.width, height: $0.height).count
        }
        lines.append(
            "png, page of \(tiles.count) tiles: \(format(png.ms)) ms, "
                + "\(format(png.ms / Double(tileCount))) ms/tile, "
                + "\(png.bytes / tileCount / 1024) KiB/tile")
        let iterm = page {
            ITerm2Image.sequence(
                pixels: $0.pixels, width: $0.width, height: $0.height,
                columns: 20, rows: 6
            ).count
        }
        lines.append(
            "iterm2, page of \(tiles.count) tiles: \(format(iterm.ms)) ms, "
                + "\(format(iterm.ms / Double(tileCount))) ms/tile, "
                + "\(iterm.bytes / tileCount / 1024) KiB/tile")
        let size = "\(detail.width)x\(detail.height)"
        let sixelDetail = single {
            Sixel.encode(pixels: detail.pixels, width: detail.width, height: detail.height).count
        }
        lines.append(
            "sixel 256 colours, detail \(size): \(format(sixelDetail.ms)) ms, "
                + "\(sixelDetail.bytes / 1024) KiB")
        let itermDetail = single {
            ITerm2Image.sequence(
                pixels: detail.pixels, width: detail.width, height: detail.height,
                columns: 100, rows: 31
            ).count
        }
        lines.append(
            "iterm2, detail \(size): \(format(itermDetail.ms)) ms, \(itermDetail.bytes / 1024) KiB")
        return lines.joined(separator: "\n")
    }

    /// A deterministic photo-like test image.
    public static func synthetic(width: Int, height: Int, seed: UInt64) -> Image {
        var random = SplitMix(state: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let horizon = Double(height) * (0.45 + 0.2 * random.unit())
        let hue = random.unit()
        var discs: [(x: Double, y: Double, r: Double, c: (Double, Double, Double))] = []
        for _ in 0..<4 {
            discs.append(
                (
                    x: random.unit() * Double(width), y: random.unit() * Double(height),
                    r: (0.05 + 0.2 * random.unit()) * Double(min(width, height)),
                    c: (255 * random.unit(), 255 * random.unit(), 255 * random.unit())
                ))
        }
        for y in 0..<height {
            for x in 0..<width {
                let fy = Double(y) / Double(max(1, height - 1))
                var r: Double, g: Double, b: Double
                if Double(y) < horizon {
                    // Sky: a smooth vertical gradient.
                    r = 60 + 150 * fy
                    g = 110 + 110 * fy
                    b = 200 + 50 * fy * hue
                } else {
                    // Ground: texture from two sines and noise.
                    let t = sin(Double(x) * 0.21 + Double(y) * 0.05) * sin(Double(y) * 0.17)
                    r = 90 + 40 * t + 20 * random.unit()
                    g = 120 + 50 * t + 20 * random.unit()
                    b = 50 + 20 * t + 20 * random.unit()
                }
                for d in discs {
                    let dx = Double(x) - d.x, dy = Double(y) - d.y
                    let q = (dx * dx + dy * dy) / (d.r * d.r)
                    if q < 1 {
                        let a = 1 - q * q
                        r = r * (1 - a) + d.c.0 * a
                        g = g * (1 - a) + d.c.1 * a
                        b = b * (1 - a) + d.c.2 * a
                    }
                }
                let noise = 6 * (random.unit() - 0.5)
                let p = 3 * (y * width + x)
                pixels[p] = UInt8(min(max(r + noise, 0), 255))
                pixels[p + 1] = UInt8(min(max(g + noise, 0), 255))
                pixels[p + 2] = UInt8(min(max(b + noise, 0), 255))
            }
        }
        return Image(pixels: pixels, width: width, height: height)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }

    static func format(_ value: Double) -> String {
        let hundredths = Int(value * 100 + 0.5)
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Sine without Foundation, so the images stay bit-identical to those the `Graphics`
    /// measurements in docs/graphics.md were made with.
    static func sin(_ x: Double) -> Double {
        // Reduce to [-pi, pi], then a Taylor series good to about 1e-7 there.
        let twoPi = 6.283185307179586
        let turns = x / twoPi
        var t = x - twoPi * Double(Int(turns < 0 ? turns - 0.5 : turns + 0.5))
        if t > 3.141592653589793 { t -= twoPi }
        let t2 = t * t
        var term = t
        var sum = t
        for n in stride(from: 2, through: 22, by: 2) {
            term *= -t2 / Double(n * (n + 1))
            sum += term
        }
        return sum
    }
}

/// SplitMix64, a small deterministic generator for synthetic images.
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
