/// DEC sixel graphics: an image as a DCS string of six-pixel-high bands, each band painted once
/// per colour register it uses. Understood by xterm (`-ti vt340`), mlterm, foot, WezTerm,
/// Konsole, contour, iTerm2, Windows Terminal and tmux 3.4+ (built with sixel).
///
/// The palette is chosen for each image: when it has at most `colors` distinct colours they are
/// the palette and every pixel is exact; otherwise Wu's quantizer picks the palette (or, when
/// the image's colours fill too few of Wu's 32³ histogram cells to use every register, as a
/// smooth sky does, the same greedy splitting over the exact colours), one k-means round refines
/// it, and serpentine Floyd–Steinberg error diffusion spreads the difference, so gradients do
/// not band.
///
/// Registers are defined as `#n;2;r;g;b` with r, g, b in percent (0...100). Percent is coarser
/// than 8 bits: the encoder writes the nearest percent, `round(v * 100 / 255)`, and dithers
/// against what a terminal decodes from it, `round(p * 255 / 100)`, which is within 1 of the
/// original value (a terminal that truncates instead of rounding may land 2 away).
public enum Sixel {
    /// The sixel DCS sequence for packed RGB `pixels` (`width` x `height`, row-major, 3 bytes a
    /// pixel) with at most `colors` (2...256) colour registers.
    ///
    /// The sequence is `ESC P 0;1;0 q "1;1;W;H`, the register definitions, the bands, and
    /// `ESC \`. Pixel aspect is 1:1 and the raster attributes give the exact size, so a terminal
    /// covers `width` x `height` pixels. Zero-size images give an empty array. A buffer of the
    /// wrong size or `colors` outside 2...256 is a programming error (precondition).
    ///
    /// Safe to call from several threads at once; each call borrows its own scratch memory.
    public static func encode(pixels: [UInt8], width: Int, height: Int, colors: Int = 256)
        -> [UInt8]
    {
        var encoder = EncoderPool.shared.take()
        defer { EncoderPool.shared.give(encoder) }
        return encoder.encode(pixels: pixels, width: width, height: height, colors: colors)
    }

    /// The percent (0...100) written for the 8-bit channel value `value`.
    @inline(__always)
    public static func percent(_ value: Int) -> Int { (value * 100 + 127) / 255 }

    /// The 8-bit value a (rounding) terminal shows for the percent `percent`.
    @inline(__always)
    public static func decoded(_ percent: Int) -> Int { (percent * 255 + 50) / 100 }
}

/// A sixel encoder that keeps its scratch memory between images, for a thread that encodes many
/// (one encoder per thread; it is a value type holding buffers, not shared state).
///
/// The scratch memory is about 2 MB (Wu's moment tables, a nearest-register cache) plus a byte a
/// pixel. `Sixel.encode` takes one from a small shared pool of idle encoders (thread-safe), so
/// callers rarely need their own.
public struct SixelEncoder {
    var quantizer: WuQuantizer?
    var indices: [UInt8] = []
    var lookup: [UInt16] = []
    var touched: [Int32] = []
    var exactKeys: [UInt32] = []
    var exactValues: [UInt8] = []

    /// An encoder with no scratch memory yet.
    public init() {}

    /// The same as `Sixel.encode(pixels:width:height:colors:)`.
    public mutating func encode(pixels: [UInt8], width: Int, height: Int, colors: Int = 256)
        -> [UInt8]
    {
        encode(pixels: pixels, width: width, height: height, colors: colors, covered: nil)
    }

    /// `encode`, leaving the pixels whose `covered` entry is false transparent
    /// (at most 255 registers then, one being kept for them).
    mutating func encode(
        pixels: [UInt8], width: Int, height: Int, colors: Int, covered: [Bool]?
    ) -> [UInt8] {
        precondition(width >= 0 && height >= 0, "image size must not be negative")
        precondition(
            pixels.count == width * height * 3, "pixel buffer must hold width*height*3 bytes")
        precondition((2...256).contains(colors), "sixel colors must be in 2...256")
        if width == 0 || height == 0 { return [] }
        let count = width * height
        if indices.count < count { indices = [UInt8](repeating: 0, count: count) }

        var palette = Palette()
        let exact: Bool = pixels.withUnsafeBufferPointer { src in
            indices.withUnsafeMutableBufferPointer { idx in
                Self.exactPalette(src, count: count, limit: colors, palette: &palette, into: idx)
            }
        }
        if !exact {
            if quantizer == nil { quantizer = WuQuantizer() }
            pixels.withUnsafeBufferPointer { src in
                quantizer?.build(pixels: src, count: count)
            }
            var colours = quantizer?.palette(count: colors) ?? []
            var cells = quantizer?.occupied ?? []
            let fine = colours.count < colors
            if fine {
                // Wu ran out of histogram cells before registers (a smooth, narrow range of
                // colours): quantize the exact colours instead.
                cells = pixels.withUnsafeBufferPointer { ExactQuantizer.distinct($0, count: count) }
                colours = ExactQuantizer.palette(cells: cells, count: colors)
            }
            colours = KMeans.refine(palette: colours, cells: cells, rounds: Self.kMeansRounds)
            palette = Palette()
            for c in colours { palette.append(r: c.r, g: c.g, b: c.b) }
            // Photos: the grid cache (measured 4 % more error than exact search, half the
            // time). Fine palettes have registers closer than the grid's cells: exact.
            let exactNearest = fine
            if !exactNearest && lookup.count < Self.lookupCells {
                lookup = [UInt16](repeating: Self.unknown, count: Self.lookupCells)
            }
            if exactNearest && exactKeys.count < Self.exactSlots {
                exactKeys = [UInt32](repeating: 0, count: Self.exactSlots)
                exactValues = [UInt8](repeating: 0, count: Self.exactSlots)
            }
            var touched = self.touched
            pixels.withUnsafeBufferPointer { src in
                indices.withUnsafeMutableBufferPointer { idx in
                    lookup.withUnsafeMutableBufferPointer { table in
                        exactKeys.withUnsafeMutableBufferPointer { keys in
                            exactValues.withUnsafeMutableBufferPointer { values in
                                Self.dither(
                                    src, width: width, height: height, palette: palette,
                                    exact: exactNearest,
                                    cache: Cache(cells: table, keys: keys, values: values),
                                    touched: &touched,
                                    into: idx)
                            }
                        }
                    }
                }
            }
            self.touched = touched
        }
        if let covered {
            // Uncovered pixels take the register past the palette: never emitted.
            precondition(covered.count == count && palette.count < 256)
            for i in 0..<count where !covered[i] { indices[i] = UInt8(palette.count) }
            return indices.withUnsafeBufferPointer { idx in
                Self.emit(
                    idx, width: width, height: height, palette: palette, transparent: palette.count)
            }
        }
        return indices.withUnsafeBufferPointer { idx in
            Self.emit(idx, width: width, height: height, palette: palette)
        }
    }

    // MARK: Palette

    /// Colour registers: the percent triples written out and the 8-bit colours they decode to.
    struct Palette {
        var percent: [Int32] = []
        var shown: [Int32] = []
        var count: Int { shown.count / 3 }

        mutating func append(r: Int, g: Int, b: Int) {
            for v in [r, g, b] {
                let p = Sixel.percent(v)
                percent.append(Int32(p))
                shown.append(Int32(Sixel.decoded(p)))
            }
        }
    }

    /// When the image has at most `limit` distinct colours: fills `palette` with them (in order
    /// of first appearance), writes each pixel's register to `into` and returns true.
    static func exactPalette(
        _ src: UnsafeBufferPointer<UInt8>, count: Int, limit: Int, palette: inout Palette,
        into idx: UnsafeMutableBufferPointer<UInt8>
    ) -> Bool {
        // Open addressing, at most a quarter full; keys are 0xRRGGBB, empty is UInt32.max.
        let bits = 10
        let mask = (1 << bits) - 1
        var keys = [UInt32](repeating: .max, count: 1 << bits)
        var values = [UInt8](repeating: 0, count: 1 << bits)
        var colours: [UInt32] = []
        colours.reserveCapacity(limit)
        let ok: Bool = keys.withUnsafeMutableBufferPointer { keys in
            values.withUnsafeMutableBufferPointer { values in
                var lastKey = UInt32.max
                var lastValue: UInt8 = 0
                for i in 0..<count {
                    let key =
                        UInt32(src[3 * i]) << 16 | UInt32(src[3 * i + 1]) << 8
                        | UInt32(src[3 * i + 2])
                    if key != lastKey {
                        var slot = Int((key &* 0x9E37_79B1) >> UInt32(32 - bits))
                        while true {
                            let k = keys[slot]
                            if k == key {
                                lastValue = values[slot]
                                break
                            }
                            if k == .max {
                                if colours.count == limit { return false }
                                keys[slot] = key
                                lastValue = UInt8(colours.count)
                                values[slot] = lastValue
                                colours.append(key)
                                break
                            }
                            slot = (slot + 1) & mask
                        }
                        lastKey = key
                    }
                    idx[i] = lastValue
                }
                return true
            }
        }
        if !ok { return false }
        palette = Palette()
        for c in colours {
            palette.append(r: Int(c >> 16), g: Int(c >> 8 & 0xFF), b: Int(c & 0xFF))
        }
        return true
    }

    /// Rounds of k-means after Wu's quantizer.
    ///
    /// Measured on photo-like tiles: one round lowers the mean error after dithering by about
    /// 2 % (2.06 to 2.02 per channel), more rounds add less than 0.2 % each.
    static let kMeansRounds = 1

    // MARK: Dithering

    /// Bits per channel of the nearest-register cache.
    static let lookupBits = 6
    static let lookupCells = 1 << (3 * lookupBits)
    static let unknown: UInt16 = .max
    /// Slots of the exact nearest-register cache (direct-mapped on the whole colour).
    static let exactSlots = 1 << 16

    /// The two nearest-register caches: per cell of the 64³ grid (`unknown` when empty), and
    /// direct-mapped on the exact colour (key `0xRRGGBB + 1`, 0 when empty).
    struct Cache {
        var cells: UnsafeMutableBufferPointer<UInt16>
        var keys: UnsafeMutableBufferPointer<UInt32>
        var values: UnsafeMutableBufferPointer<UInt8>
    }

    /// Serpentine Floyd–Steinberg error diffusion onto `palette`, writing registers to `into`.
    ///
    /// The error is measured against the colours the terminal shows (`palette.shown`). Nearest
    /// registers are cached per cell of a 64³ grid (the register nearest the cell's centre).
    static func dither(
        _ src: UnsafeBufferPointer<UInt8>, width: Int, height: Int, palette: Palette,
        exact: Bool, cache: Cache, touched: inout [Int32],
        into idx: UnsafeMutableBufferPointer<UInt8>
    ) {
        // The caches come empty and are left so: the entries filled are listed in `touched` and
        // reset at the end, cheaper than clearing them for every image.
        touched.removeAll(keepingCapacity: true)
        defer {
            if exact {
                for slot in touched { cache.keys[Int(slot)] = 0 }
            } else {
                for cell in touched { cache.cells[Int(cell)] = unknown }
            }
        }
        let lookup = cache.cells
        let k = palette.count
        let shift = 8 - lookupBits
        let half = Int32((1 << shift) >> 1)
        // Errors in sixteenths, one row ahead and the current row, with a pixel of margin on
        // each side so the borders need no tests.
        let rowLength = (width + 2) * 3
        var errors = [Int32](repeating: 0, count: 2 * rowLength)
        let search = NearestSearch(shown: palette.shown)
        palette.shown.withUnsafeBufferPointer { shown in
            search.sorted.withUnsafeBufferPointer { sorted in
                search.start.withUnsafeBufferPointer { start in
                    errors.withUnsafeMutableBufferPointer { errorBuffer in
                        guard let errorBase = errorBuffer.baseAddress else { return }
                        var current = errorBase
                        var next = errorBase + rowLength
                        for y in 0..<height {
                            let forward = y & 1 == 0
                            next.update(repeating: 0, count: rowLength)
                            let step = forward ? 1 : -1
                            var x = forward ? 0 : width - 1
                            for _ in 0..<width {
                                let p = 3 * (y * width + x)
                                let e = 3 * (x + 1)
                                var r = Int32(src[p]) + ((current[e] + 8) >> 4)
                                var g = Int32(src[p + 1]) + ((current[e + 1] + 8) >> 4)
                                var b = Int32(src[p + 2]) + ((current[e + 2] + 8) >> 4)
                                r = min(max(r, 0), 255)
                                g = min(max(g, 0), 255)
                                b = min(max(b, 0), 255)
                                var best: Int
                                if exact {
                                    let key = (UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)) + 1
                                    let slot = Int((key &* 0x9E37_79B1) >> 16)
                                    if cache.keys[slot] == key {
                                        best = Int(cache.values[slot])
                                    } else {
                                        best = NearestSearch.nearest(r, g, b, sorted, start, k)
                                        if cache.keys[slot] == 0 { touched.append(Int32(slot)) }
                                        cache.keys[slot] = key
                                        cache.values[slot] = UInt8(truncatingIfNeeded: best)
                                    }
                                } else {
                                    let cell =
                                        Int(r >> Int32(shift)) << (2 * lookupBits)
                                        | Int(g >> Int32(shift)) << lookupBits
                                        | Int(b >> Int32(shift))
                                    best = Int(lookup[cell])
                                    if best == Int(unknown) {
                                        let cr = (r >> Int32(shift)) << Int32(shift) + half
                                        let cg = (g >> Int32(shift)) << Int32(shift) + half
                                        let cb = (b >> Int32(shift)) << Int32(shift) + half
                                        best = NearestSearch.nearest(cr, cg, cb, sorted, start, k)
                                        lookup[cell] = UInt16(best)
                                        touched.append(Int32(cell))
                                    }
                                }
                                idx[y * width + x] = UInt8(truncatingIfNeeded: best)
                                let er = r - shown[3 * best]
                                let eg = g - shown[3 * best + 1]
                                let eb = b - shown[3 * best + 2]
                                let ahead = e + 3 * step
                                let behind = e - 3 * step
                                current[ahead] += er * 7
                                current[ahead + 1] += eg * 7
                                current[ahead + 2] += eb * 7
                                next[behind] += er * 3
                                next[behind + 1] += eg * 3
                                next[behind + 2] += eb * 3
                                next[e] += er * 5
                                next[e + 1] += eg * 5
                                next[e + 2] += eb * 5
                                next[ahead] += er
                                next[ahead + 1] += eg
                                next[ahead + 2] += eb
                                x += step
                            }
                            swap(&current, &next)
                        }
                    }
                }
            }
        }
    }

    /// The register whose shown colour is nearest (squared RGB distance) to r, g, b, by trying
    /// every register; the reference for `NearestSearch`.
    static func nearestNaive(
        _ r: Int32, _ g: Int32, _ b: Int32, _ shown: UnsafeBufferPointer<Int32>, _ k: Int
    ) -> Int {
        var best = 0
        var bestDistance = Int32.max
        for i in 0..<k {
            let dr = r - shown[3 * i]
            let dg = g - shown[3 * i + 1]
            let db = b - shown[3 * i + 2]
            let d = dr * dr + dg * dg + db * db
            if d < bestDistance {
                bestDistance = d
                best = i
            }
        }
        return best
    }

    // MARK: Output

    /// The DCS string for registers `idx` (one per pixel) and `palette`.
    static func emit(
        _ idx: UnsafeBufferPointer<UInt8>, width: Int, height: Int, palette: Palette,
        transparent: Int = -1
    ) -> [UInt8] {
        var out = ByteWriter(capacity: width * height / 2 + palette.count * 20 + 64)
        out.append(0x1B)
        out.append("P0;1;0q\"1;1;")
        out.append(number: width)
        out.append(0x3B)
        out.append(number: height)
        for i in 0..<palette.count {
            out.append(0x23) // #
            out.append(number: i)
            out.append(";2;")
            out.append(number: Int(palette.percent[3 * i]))
            out.append(0x3B)
            out.append(number: Int(palette.percent[3 * i + 1]))
            out.append(0x3B)
            out.append(number: Int(palette.percent[3 * i + 2]))
        }

        let k = palette.count + (transparent >= 0 ? 1 : 0)
        var bits = [UInt8](repeating: 0, count: k * width)
        var first = [Int](repeating: 0, count: k)
        var last = [Int](repeating: -1, count: k)
        var used: [Int] = []
        used.reserveCapacity(k)
        bits.withUnsafeMutableBufferPointer { bits in
            first.withUnsafeMutableBufferPointer { first in
                last.withUnsafeMutableBufferPointer { last in
                    var top = 0
                    while top < height {
                        let rows = min(6, height - top)
                        for row in 0..<rows {
                            let bit = UInt8(1 << row)
                            let base = (top + row) * width
                            for x in 0..<width {
                                let c = Int(idx[base + x])
                                if c == transparent { continue }
                                bits[c * width + x] |= bit
                                if last[c] < 0 {
                                    used.append(c)
                                    first[c] = x
                                    last[c] = x
                                } else {
                                    if x < first[c] { first[c] = x }
                                    if x > last[c] { last[c] = x }
                                }
                            }
                        }
                        for (n, c) in used.enumerated() {
                            if n > 0 { out.append(0x24) } // $ back to the band's start
                            out.append(0x23)
                            out.append(number: c)
                            let line = c * width
                            if first[c] > 0 { out.append(run: 0x3F, count: first[c]) }
                            var x = first[c]
                            let end = last[c]
                            while x <= end {
                                let value = bits[line + x]
                                var length = 1
                                while x + length <= end && bits[line + x + length] == value {
                                    length += 1
                                }
                                out.append(run: 0x3F + value, count: length)
                                x += length
                            }
                            for i in first[c]...end { bits[line + i] = 0 }
                            last[c] = -1
                        }
                        used.removeAll(keepingCapacity: true)
                        top += 6
                        if top < height { out.append(0x2D) } // - next band
                    }
                }
            }
        }
        out.append(0x1B)
        out.append(0x5C)
        return out.bytes
    }
}

/// An append-only byte buffer with the few writes the sixel output needs.
struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Decimal digits of a non-negative number.
    @inline(__always)
    mutating func append(number: Int) {
        if number < 10 {
            bytes.append(UInt8(48 + number))
        } else if number < 100 {
            bytes.append(UInt8(48 + number / 10))
            bytes.append(UInt8(48 + number % 10))
        } else if number < 1000 {
            bytes.append(UInt8(48 + number / 100))
            bytes.append(UInt8(48 + number / 10 % 10))
            bytes.append(UInt8(48 + number % 10))
        } else {
            var divisor = 1000
            while divisor * 10 <= number { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(48 + number / divisor % 10))
                divisor /= 10
            }
        }
    }

    /// `count` copies of a sixel character: `!count c` from four on, else the character itself.
    @inline(__always)
    mutating func append(run character: UInt8, count: Int) {
        if count >= 4 {
            bytes.append(0x21) // !
            append(number: count)
            bytes.append(character)
        } else {
            for _ in 0..<count { bytes.append(character) }
        }
    }
}
