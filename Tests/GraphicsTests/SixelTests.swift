import Dispatch
import Testing

@testable import Benchmarks
@testable import Graphics

/// Test images, made from a fixed seed.
enum Images {
    /// `count` distinct colours in blocks of random length, `width` x `height`.
    static func fewColours(width: Int, height: Int, count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix(state: seed)
        let colours = (0..<count).map { _ in
            [UInt8](
                arrayLiteral: UInt8(truncatingIfNeeded: random.next()),
                UInt8(truncatingIfNeeded: random.next()),
                UInt8(truncatingIfNeeded: random.next()))
        }
        var pixels: [UInt8] = []
        var i = 0
        while pixels.count < width * height * 3 {
            let colour = colours[i % count]
            for _ in 0..<(1 + Int(random.next() % 5)) where pixels.count < width * height * 3 {
                pixels += colour
            }
            i += 1
        }
        return pixels
    }

    /// Uniform noise: as many colours as pixels, the worst case for a palette.
    static func noise(width: Int, height: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix(state: seed)
        return (0..<(width * height * 3)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    /// A smooth diagonal gradient of many thousand colours, like a sky.
    static func gradient(width: Int, height: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let p = 3 * (y * width + x)
                pixels[p] = UInt8(40 + x * 150 / width)
                pixels[p + 1] = UInt8(80 + y * 120 / height)
                pixels[p + 2] = UInt8(200 + (x + y) * 50 / (width + height))
            }
        }
        return pixels
    }

    static func distinctColours(_ pixels: [UInt8]) -> Int {
        var seen = Set<UInt32>()
        for i in stride(from: 0, to: pixels.count, by: 3) {
            seen.insert(
                UInt32(pixels[i]) << 16 | UInt32(pixels[i + 1]) << 8 | UInt32(pixels[i + 2]))
        }
        return seen.count
    }

    static func maxAbsoluteError(_ a: [UInt8], _ b: [UInt8]) -> Int {
        zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    static func meanAbsoluteError(_ a: [UInt8], _ b: [UInt8]) -> Double {
        Double(zip(a, b).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(max(1, a.count))
    }

    /// The mean and the worst absolute difference between 8 x 8 block averages, per channel:
    /// what the eye compares from a little distance, so banding shows here.
    static func blockErrors(_ a: [UInt8], _ b: [UInt8], width: Int, height: Int)
        -> (mean: Double, worst: Double)
    {
        var sum = 0.0, worst = 0.0, blocks = 0
        for by in 0..<(height / 8) {
            for bx in 0..<(width / 8) {
                for c in 0..<3 {
                    var d = 0
                    for y in 0..<8 {
                        for x in 0..<8 {
                            let p = 3 * ((by * 8 + y) * width + bx * 8 + x) + c
                            d += Int(a[p]) - Int(b[p])
                        }
                    }
                    let e = abs(Double(d) / 64)
                    sum += e
                    worst = max(worst, e)
                    blocks += 1
                }
            }
        }
        return (sum / Double(max(1, blocks)), worst)
    }
}

@Suite("Sixel")
struct SixelTests {
    @Test("every 8-bit value survives the percent register round trip within 1")
    func percentRoundTrip() {
        var worst = 0
        for v in 0...255 {
            let p = Sixel.percent(v)
            #expect((0...100).contains(p))
            worst = max(worst, abs(Sixel.decoded(p) - v))
        }
        #expect(worst == 1)
    }

    @Test("an image of at most 256 colours decodes back within the percent rounding")
    func fewColoursExact() throws {
        for (count, colors) in [(256, 256), (200, 256), (16, 16), (2, 2), (1, 2)] {
            let pixels = Images.fewColours(width: 53, height: 29, count: count, seed: UInt64(count))
            let distinct = Images.distinctColours(pixels)
            let image = try SixelDecoder.decode(
                Sixel.encode(pixels: pixels, width: 53, height: 29, colors: colors))
            #expect(image.width == 53 && image.height == 29)
            #expect(image.registers.count == distinct)
            #expect(image.painted.allSatisfy { $0 })
            #expect(image.overpainted == 0)
            // Exact up to percent rounding: each channel within 1 of the original.
            #expect(Images.maxAbsoluteError(pixels, image.pixels) <= 1)
            // And no dithering: equal pixels stay equal.
            var shown: [UInt32: UInt32] = [:]
            for i in stride(from: 0, to: pixels.count, by: 3) {
                let key =
                    UInt32(pixels[i]) << 16 | UInt32(pixels[i + 1]) << 8
                    | UInt32(pixels[i + 2])
                let got =
                    UInt32(image.pixels[i]) << 16 | UInt32(image.pixels[i + 1]) << 8
                    | UInt32(image.pixels[i + 2])
                if let previous = shown[key] { #expect(previous == got) }
                shown[key] = got
            }
        }
    }

    @Test("a smooth gradient decodes with small error and no banding")
    func gradient() throws {
        let (w, h) = (300, 200)
        let pixels = Images.gradient(width: w, height: h)
        #expect(Images.distinctColours(pixels) > 256)
        // Measured: mean error 2.32, block errors mean 0.35 and worst 3.25 (a corner of the
        // gradient lies outside the palette's hull, so dithering cannot reach it exactly).
        let image = try SixelDecoder.decode(Sixel.encode(pixels: pixels, width: w, height: h))
        #expect(image.registers.count <= 256)
        #expect(image.painted.allSatisfy { $0 } && image.overpainted == 0)
        #expect(Images.meanAbsoluteError(pixels, image.pixels) < 2.6)
        let blocks = Images.blockErrors(pixels, image.pixels, width: w, height: h)
        #expect(blocks.mean < 0.45)
        #expect(blocks.worst < 4)
        // With 16 registers the pixels are far off but the 8 x 8 averages still follow the
        // gradient (measured: block errors mean 2.0; without dithering they would be ~5).
        let coarse = try SixelDecoder.decode(
            Sixel.encode(pixels: pixels, width: w, height: h, colors: 16))
        #expect(coarse.registers.count <= 16)
        #expect(Images.blockErrors(pixels, coarse.pixels, width: w, height: h).mean < 2.3)
    }

    @Test("a sky in a narrow range of colours still gets every register")
    func narrowSky() throws {
        // 552 distinct colours inside about twenty of Wu's histogram cells.
        let (w, h) = (320, 200)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let p = 3 * (y * w + x)
                pixels[p] = UInt8(100 + x * 12 / w + y * 3 / h)
                pixels[p + 1] = UInt8(150 + y * 14 / h)
                pixels[p + 2] = UInt8(200 + y * 30 / h + x * 5 / w)
            }
        }
        #expect(Images.distinctColours(pixels) == 552)
        let image = try SixelDecoder.decode(Sixel.encode(pixels: pixels, width: w, height: h))
        #expect(image.registers.count == 256)
        // Measured 0.84 (Wu alone: 20 registers and 1.66).
        #expect(Images.meanAbsoluteError(pixels, image.pixels) < 0.95)
        let blocks = Images.blockErrors(pixels, image.pixels, width: w, height: h)
        // Measured: 8 x 8 block errors mean 0.16, worst 1.75.
        #expect(blocks.mean < 0.25)
        #expect(blocks.worst < 2)
    }

    @Test("the exact quantizer keeps few colours as they are and never exceeds the count")
    func exactQuantizer() {
        let pixels = Images.fewColours(width: 30, height: 10, count: 12, seed: 6)
        let cells = pixels.withUnsafeBufferPointer { ExactQuantizer.distinct($0, count: 300) }
        #expect(cells.count == 4 * 12)
        var total: Int64 = 0
        for i in stride(from: 0, to: cells.count, by: 4) { total += cells[i] }
        #expect(total == 300)
        let all = ExactQuantizer.palette(cells: cells, count: 64)
        #expect(all.count == 12)
        var original = Set<Int>()
        for i in stride(from: 0, to: pixels.count, by: 3) {
            let r = Int(pixels[i]), g = Int(pixels[i + 1]), b = Int(pixels[i + 2])
            original.insert(r << 16 | g << 8 | b)
        }
        var made = Set<Int>()
        for c in all { made.insert(c.r << 16 | c.g << 8 | c.b) }
        #expect(made == original)
        #expect(ExactQuantizer.palette(cells: cells, count: 5).count == 5)
    }

    @Test("a photo-like image decodes with small error")
    func photoLike() throws {
        let image = GraphicsBench.synthetic(width: 160, height: 96, seed: 3)
        let decoded = try SixelDecoder.decode(
            Sixel.encode(pixels: image.pixels, width: 160, height: 96))
        // Measured: 2.06 on seeds 1 and 2.
        #expect(Images.meanAbsoluteError(image.pixels, decoded.pixels) < 2.4)
        #expect(decoded.painted.allSatisfy { $0 } && decoded.overpainted == 0)
    }

    @Test("sizes that are not multiples of six, and 1 x 1, paint exactly the raster")
    func oddSizes() throws {
        for (w, h) in [(1, 1), (1, 7), (7, 1), (7, 5), (13, 7), (5, 12), (100, 13), (61, 31)] {
            for pixels in [
                Images.fewColours(width: w, height: h, count: 3, seed: 1),
                Images.noise(width: w, height: h, seed: UInt64(w * h)),
            ] {
                let image = try SixelDecoder.decode(
                    Sixel.encode(pixels: pixels, width: w, height: h, colors: 8))
                #expect(image.width == w && image.height == h)
                #expect(image.painted.allSatisfy { $0 }, "\(w)x\(h): unpainted pixels")
                #expect(image.overpainted == 0, "\(w)x\(h): pixels painted twice")
                #expect(image.registers.count <= 8)
                if Images.distinctColours(pixels) <= 8 {
                    #expect(Images.maxAbsoluteError(pixels, image.pixels) <= 1)
                }
            }
        }
    }

    @Test("a large single-colour image is a few repeat commands")
    func singleColourRuns() throws {
        let (w, h) = (1000, 12)
        let pixels = [UInt8]([10, 200, 30]).repeated(w * h)
        let bytes = Sixel.encode(pixels: pixels, width: w, height: h)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "\u{1B}P0;1;0q\"1;1;1000;12#0;2;4;78;12#0!1000~-#0!1000~\u{1B}\\")
        let image = try SixelDecoder.decode(bytes)
        #expect(Images.maxAbsoluteError(pixels, image.pixels) <= 1)
    }

    @Test("short runs are written out, runs from four on are repeat commands")
    func runLengths() {
        // One row: 3 red, 4 green, 1 red; two colours, so the band has a `$`.
        var pixels: [UInt8] = []
        for c in [0, 0, 0, 1, 1, 1, 1, 0] { pixels += c == 0 ? [255, 0, 0] : [0, 255, 0] }
        let bytes = Sixel.encode(pixels: pixels, width: 8, height: 1)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("#0@@@!4?@$#1???!4@\u{1B}\\"))
    }

    @Test("the register count never exceeds colors")
    func registerLimit() throws {
        let pixels = Images.noise(width: 64, height: 40, seed: 9)
        for colors in [2, 3, 7, 16, 100, 255, 256] {
            let image = try SixelDecoder.decode(
                Sixel.encode(pixels: pixels, width: 64, height: 40, colors: colors))
            #expect(image.registers.count <= colors)
            #expect(image.definitions <= colors)
            #expect(image.registers.keys.allSatisfy { (0..<colors).contains($0) })
            #expect(image.painted.allSatisfy { $0 })
        }
    }

    @Test("each band selects only the registers it paints")
    func perBandColours() {
        // Band 0 red and green; band 1 blue only; band 2 (two rows) green only.
        let (w, h) = (10, 14)
        var pixels: [UInt8] = []
        for y in 0..<h {
            for x in 0..<w {
                if y < 6 {
                    pixels += x < 5 ? [255, 0, 0] : [0, 255, 0]
                } else if y < 12 {
                    pixels += [0, 0, 255]
                } else {
                    pixels += [0, 255, 0]
                }
            }
        }
        let bytes = Sixel.encode(pixels: pixels, width: w, height: h)
        let text = String(decoding: bytes, as: UTF8.self)
        guard let bandStart = text.firstIndex(where: { $0 == "#" }) else {
            Issue.record("no registers")
            return
        }
        // Skip the three definitions (`#n;2;r;g;b`), then split the body into bands.
        let afterDefinitions = text[bandStart...]
            .split(separator: "#", omittingEmptySubsequences: true)
            .drop(while: { $0.contains(";") })
            .map { "#" + $0 }.joined()
        let bands = afterDefinitions.split(separator: "-").map { band in
            band.split(separator: "#").map { $0.prefix(while: { $0.isNumber }) }
        }
        #expect(bands.count == 3)
        #expect(bands.map { Set($0) } == [["0", "1"], ["2"], ["1"]])
    }

    @Test("the sequence starts with the DCS introducer and raster attributes")
    func header() {
        let pixels = Images.noise(width: 17, height: 9, seed: 2)
        let bytes = Sixel.encode(pixels: pixels, width: 17, height: 9)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("\u{1B}P0;1;0q\"1;1;17;9#0;2;"))
        #expect(text.hasSuffix("\u{1B}\\"))
        // Nothing but printable ASCII between the introducer and the terminator.
        let body = Array(text.utf8).dropFirst(2).dropLast(2)
        #expect(body.allSatisfy { (0x20...0x7E).contains($0) })
    }

    @Test("zero-size images give empty output")
    func zeroSize() {
        #expect(Sixel.encode(pixels: [], width: 0, height: 5).isEmpty)
        #expect(Sixel.encode(pixels: [], width: 5, height: 0).isEmpty)
        #expect(Sixel.encode(pixels: [], width: 0, height: 0).isEmpty)
    }

    @Test("an encoder reused across images gives the same bytes as a fresh one")
    func reuse() {
        let a = GraphicsBench.synthetic(width: 40, height: 30, seed: 1)
        let b = GraphicsBench.synthetic(width: 90, height: 20, seed: 2)
        let c = Images.fewColours(width: 20, height: 20, count: 5, seed: 3)
        var encoder = SixelEncoder()
        let first = encoder.encode(pixels: a.pixels, width: 40, height: 30)
        _ = encoder.encode(pixels: b.pixels, width: 90, height: 20)
        _ = encoder.encode(pixels: c, width: 20, height: 20)
        #expect(encoder.encode(pixels: a.pixels, width: 40, height: 30) == first)
        #expect(Sixel.encode(pixels: a.pixels, width: 40, height: 30) == first)
    }

    @Test("encoding on several threads at once gives the same bytes as one at a time")
    func concurrent() {
        let images = (0..<12).map { GraphicsBench.synthetic(width: 48, height: 30, seed: $0) }
        let expected = images.map { Sixel.encode(pixels: $0.pixels, width: 48, height: 30) }
        let n = images.count * 4
        let results = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: n)
        results.initialize(repeating: [])
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let slots = Slots(results)
        // Each slot is written by one iteration only.
        DispatchQueue.concurrentPerform(iterations: n) { i in
            let image = images[i % images.count]
            slots.buffer[i] = Sixel.encode(pixels: image.pixels, width: 48, height: 30)
        }
        for i in 0..<n { #expect(results[i] == expected[i % images.count]) }
    }

    /// Result slots shared by the threads of `concurrent`, one per iteration.
    struct Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<[UInt8]>
        init(_ buffer: UnsafeMutableBufferPointer<[UInt8]>) { self.buffer = buffer }
    }

    @Test("the sorted nearest-colour search finds the same distance as trying every colour")
    func nearestMatchesNaive() {
        var random = SplitMix(state: 77)
        for k in [1, 2, 5, 64, 256] {
            var shown: [Int32] = []
            for _ in 0..<(3 * k) { shown.append(Int32(random.next() % 256)) }
            let search = NearestSearch(shown: shown)
            for _ in 0..<2000 {
                let r = Int32(random.next() % 256)
                let g = Int32(random.next() % 256)
                let b = Int32(random.next() % 256)
                let fast = search.sorted.withUnsafeBufferPointer { sorted in
                    search.start.withUnsafeBufferPointer { start in
                        NearestSearch.nearest(r, g, b, sorted, start, k)
                    }
                }
                let naive = shown.withUnsafeBufferPointer {
                    SixelEncoder.nearestNaive(r, g, b, $0, k)
                }
                func distance(_ i: Int) -> Int32 {
                    let dr = r - shown[3 * i], dg = g - shown[3 * i + 1], db = b - shown[3 * i + 2]
                    return dr * dr + dg * dg + db * db
                }
                #expect(distance(fast) == distance(naive))
            }
        }
    }
}

extension Array {
    fileprivate func repeated(_ times: Int) -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(count * times)
        for _ in 0..<times { out += self }
        return out
    }
}
