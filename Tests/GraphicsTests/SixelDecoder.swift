/// A sixel decoder for the tests: parses exactly what a terminal would from the DCS string
/// (introducer and parameters, raster attributes, `#n;2;r;g;b` definitions, `#n` selection,
/// sixel characters, `!count` repeats, `$` and `-`) and paints an RGB canvas.
struct SixelImage {
    var width: Int
    var height: Int
    /// Packed RGB of `width` x `height`; pixels never painted stay at `unpainted`.
    var pixels: [UInt8]
    /// Whether each pixel was painted at least once.
    var painted: [Bool]
    /// Registers defined, by number, as decoded 8-bit colours.
    var registers: [Int: (r: Int, g: Int, b: Int)]
    /// How many times a register was defined (a register defined twice is suspicious).
    var definitions: Int
    /// Pixels painted more than once (each pixel should get exactly one colour).
    var overpainted: Int
}

enum SixelDecodeError: Error, Equatable {
    case malformed(String)
}

enum SixelDecoder {
    /// Decodes `bytes`, which must be one complete `ESC P ... q ... ESC \` sequence.
    static func decode(_ bytes: [UInt8]) throws -> SixelImage {
        var i = 0
        func fail(_ why: String) -> SixelDecodeError { .malformed("\(why) at byte \(i)") }
        guard bytes.count >= 4, bytes[0] == 0x1B, bytes[1] == UInt8(ascii: "P") else {
            throw SixelDecodeError.malformed("no DCS introducer")
        }
        guard bytes[bytes.count - 2] == 0x1B, bytes[bytes.count - 1] == UInt8(ascii: "\\") else {
            throw SixelDecodeError.malformed("no string terminator")
        }
        let end = bytes.count - 2
        i = 2
        // DCS parameters up to 'q'.
        var dcsParameters = ""
        while i < end && bytes[i] != UInt8(ascii: "q") {
            dcsParameters.append(Character(Unicode.Scalar(bytes[i])))
            i += 1
        }
        guard i < end else { throw fail("no q") }
        guard dcsParameters == "0;1;0" else { throw fail("parameters \(dcsParameters)") }
        i += 1

        func number() throws -> Int {
            var value = 0
            var digits = 0
            while i < end, bytes[i] >= 48, bytes[i] <= 57 {
                value = value * 10 + Int(bytes[i] - 48)
                digits += 1
                i += 1
            }
            if digits == 0 { throw fail("expected a number") }
            return value
        }
        func numbers() throws -> [Int] {
            var list = [try number()]
            while i < end && bytes[i] == UInt8(ascii: ";") {
                i += 1
                list.append(try number())
            }
            return list
        }

        guard i < end, bytes[i] == UInt8(ascii: "\"") else { throw fail("no raster attributes") }
        i += 1
        let raster = try numbers()
        guard raster.count == 4, raster[0] == 1, raster[1] == 1 else {
            throw fail("raster attributes \(raster)")
        }
        let width = raster[2]
        let height = raster[3]
        var image = SixelImage(
            width: width, height: height,
            pixels: [UInt8](repeating: 0, count: width * height * 3),
            painted: [Bool](repeating: false, count: width * height),
            registers: [:], definitions: 0, overpainted: 0)
        var current: Int? = nil
        var x = 0
        var band = 0
        while i < end {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "#"):
                i += 1
                let list = try numbers()
                if list.count == 1 {
                    guard image.registers[list[0]] != nil else { throw fail("undefined register") }
                    current = list[0]
                } else if list.count == 5 {
                    guard list[1] == 2 else { throw fail("colour space \(list[1])") }
                    guard list[2...4].allSatisfy({ (0...100).contains($0) }) else {
                        throw fail("percent out of range")
                    }
                    // A rounding terminal: p * 255 / 100 to the nearest integer.
                    image.registers[list[0]] = (
                        (list[2] * 255 + 50) / 100, (list[3] * 255 + 50) / 100,
                        (list[4] * 255 + 50) / 100
                    )
                    image.definitions += 1
                    current = list[0]
                } else {
                    throw fail("register command with \(list.count) numbers")
                }
            case UInt8(ascii: "$"):
                x = 0
                i += 1
            case UInt8(ascii: "-"):
                x = 0
                band += 1
                i += 1
            case UInt8(ascii: "!"):
                i += 1
                let count = try number()
                guard i < end, bytes[i] >= 63, bytes[i] <= 126 else { throw fail("repeat target") }
                try paint(
                    &image, bits: Int(bytes[i] - 63), x: x, count: count, band: band,
                    register: current)
                x += count
                i += 1
            case 63...126:
                try paint(&image, bits: Int(c - 63), x: x, count: 1, band: band, register: current)
                x += 1
                i += 1
            default:
                throw fail("unexpected byte \(c)")
            }
        }
        return image
    }

    static func paint(
        _ image: inout SixelImage, bits: Int, x: Int, count: Int, band: Int, register: Int?
    ) throws {
        if bits == 0 { return }
        guard let register, let colour = image.registers[register] else {
            throw SixelDecodeError.malformed("paint without a register")
        }
        for row in 0..<6 where bits & (1 << row) != 0 {
            let y = band * 6 + row
            guard y < image.height else {
                throw SixelDecodeError.malformed("paint below the raster height")
            }
            for px in x..<(x + count) {
                guard px < image.width else {
                    throw SixelDecodeError.malformed("paint beyond the raster width")
                }
                let p = y * image.width + px
                if image.painted[p] { image.overpainted += 1 }
                image.painted[p] = true
                image.pixels[3 * p] = UInt8(colour.r)
                image.pixels[3 * p + 1] = UInt8(colour.g)
                image.pixels[3 * p + 2] = UInt8(colour.b)
            }
        }
    }
}
