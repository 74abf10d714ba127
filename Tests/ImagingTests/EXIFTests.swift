import Testing

@testable import Imaging

@Suite("EXIF reader")
struct EXIFTests {
    typealias E = TestSupport.TIFFEntry

    @Test(
        "reads orientation, make, model, date and pixel size, little- and big-endian",
        arguments: [false, true])
    func reads(bigEndian: Bool) {
        let tiff = TestSupport.tiff(
            [
                TestSupport.short(0x0112, 6, bigEndian: bigEndian),
                TestSupport.ascii(0x010F, "Canon"),
                TestSupport.ascii(0x0110, "Canon EOS 5D Mark II"),
            ],
            exif: [
                TestSupport.ascii(0x9003, "2019:12:31 23:59:58"),
                TestSupport.short(0xA002, 4000, bigEndian: bigEndian),
                TestSupport.short(0xA003, 3000, bigEndian: bigEndian),
            ],
            bigEndian: bigEndian)
        let exif = EXIFData.parse(tiff)
        #expect(exif.orientation == 6)
        #expect(exif.make == "Canon")
        #expect(exif.model == "Canon EOS 5D Mark II")
        #expect(exif.camera == "Canon EOS 5D Mark II")
        #expect(exif.dateTimeOriginal == "2019-12-31 23:59:58")
        #expect(exif.pixelWidth == 4000 && exif.pixelHeight == 3000)
    }

    @Test("camera joins make and model when the model does not repeat the make")
    func camera() {
        #expect(
            EXIFData(make: "NIKON CORPORATION", model: "NIKON D750").camera
                == "NIKON CORPORATION NIKON D750")
        #expect(EXIFData(make: "Apple", model: "iPhone 12").camera == "Apple iPhone 12")
        #expect(EXIFData(make: "Canon", model: "canon eos r").camera == "canon eos r")
        #expect(EXIFData(model: "X100V").camera == "X100V")
        #expect(EXIFData().camera == nil)
    }

    @Test("dates that are not real dates are dropped")
    func badDates() {
        #expect(EXIFData.normalizedDate("0000:00:00 00:00:00") == nil)
        #expect(EXIFData.normalizedDate("2020:13:01 00:00:00") == nil)
        #expect(EXIFData.normalizedDate("2020:01:01 25:00:00") == nil)
        #expect(EXIFData.normalizedDate("    :  :     :  :  ") == nil)
        #expect(EXIFData.normalizedDate("2020:01:01") == nil)
        #expect(EXIFData.normalizedDate("2020:02:29 10:11:12") == "2020-02-29 10:11:12")
    }

    @Test("an orientation outside 1...8 or of a wrong type is ignored")
    func badOrientation() {
        #expect(EXIFData.parse(TestSupport.tiff([TestSupport.short(0x0112, 9)])).orientation == nil)
        #expect(EXIFData.parse(TestSupport.tiff([TestSupport.short(0x0112, 0)])).orientation == nil)
        let asText = TestSupport.tiff([E(tag: 0x0112, type: 2, count: 2, value: [0x36, 0])])
        #expect(EXIFData.parse(asText).orientation == nil)
        let unknownType = TestSupport.tiff([E(tag: 0x0112, type: 99, count: 1, value: [6, 0])])
        #expect(EXIFData.parse(unknownType).orientation == nil)
    }

    @Test("an Exif IFD pointing back at IFD0 (an offset loop) ends and keeps IFD0's values")
    func offsetLoop() {
        // IFD0 at 8 whose Exif pointer is 8 again.
        let tiff = TestSupport.tiff([
            TestSupport.short(0x0112, 3), E(tag: 0x8769, type: 4, count: 1, value: [8, 0, 0, 0]),
        ])
        let exif = EXIFData.parse(tiff)
        #expect(exif.orientation == 3)
        #expect(exif.dateTimeOriginal == nil)
    }

    @Test("out-of-range offsets and huge counts give no value, not a crash")
    func outOfRange() {
        let farString = E(tag: 0x010F, type: 2, count: 100, value: []) // placeholder, patched below
        var tiff = TestSupport.tiff([TestSupport.short(0x0112, 2), farString])
        // Patch the Make entry's offset field to point far past the end.
        let makeField = 8 + 2 + 12 + 8
        tiff.replaceSubrange(makeField..<makeField + 4, with: [0xF0, 0xFF, 0xFF, 0x7F])
        var exif = EXIFData.parse(tiff)
        #expect(exif.orientation == 2)
        #expect(exif.make == nil)
        // A count so large that count * size overflows 32 bits.
        tiff.replaceSubrange(8 + 2 + 12 + 4..<8 + 2 + 12 + 8, with: [0xFF, 0xFF, 0xFF, 0xFF])
        exif = EXIFData.parse(tiff)
        #expect(exif.make == nil)
        // IFD0 offset past the end; an IFD claiming 65535 entries in 30 bytes.
        #expect(EXIFData.parse([0x49, 0x49, 0x2A, 0, 0xFF, 0xFF, 0, 0]) == EXIFData())
        let many: [UInt8] =
            [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 20)
        #expect(EXIFData.parse(many) == EXIFData())
    }

    @Test("garbage and short inputs give empty data")
    func garbage() {
        #expect(EXIFData.parse([]) == EXIFData())
        #expect(EXIFData.parse([0x4D, 0x4D, 0, 0x2A]) == EXIFData())
        #expect(EXIFData.parse(Array("not a tiff header at all".utf8)) == EXIFData())
        var state: UInt64 = 1
        for _ in 0..<2000 {
            var bytes: [UInt8] = [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0]
            for _ in 0..<64 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(UInt8(truncatingIfNeeded: state >> 40))
            }
            let exif = EXIFData.parse(bytes)
            if let o = exif.orientation { #expect((1...8).contains(o)) }
        }
    }

    @Test("strings are cut at NUL and trimmed")
    func strings() {
        let tiff = TestSupport.tiff([
            E(tag: 0x0110, type: 2, count: 12, value: Array("  EOS R5 \0xx".utf8))
        ])
        #expect(EXIFData.parse(tiff).model == "EOS R5")
    }
}
