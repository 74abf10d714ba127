import Testing

@testable import Cells

@Suite("colour mapping for 8-colour terminals")
struct AnsiColorTests {
    @Test("greys become black, white or the terminal's default, never a hue")
    func greys() {
        #expect(Color.nearest8(0x10, 0x10, 0x14) == 0)
        #expect(Color.nearest8(0xdc, 0xdf, 0xe4) == 7)
        #expect(Color.nearest8(0x6f, 0x77, 0x82) == nil)
        #expect(Color.nearest8(0x8a, 0x8a, 0x8a) == nil)
    }

    @Test("colours keep their hue: mid tones, dark tones for light themes, pale tones")
    func hues() {
        #expect(Color.nearest8(0xd6, 0x40, 0x3a) == 1) // red
        #expect(Color.nearest8(0x3f, 0x8f, 0x3a) == 2) // green
        #expect(Color.nearest8(0x4a, 0x86, 0xe8) == 4) // blue
        #expect(Color.nearest8(0x19, 0x8f, 0xb5) == 6) // cyan
        // Dark colours meant for a white background keep their strongest channel.
        #expect(Color.nearest8(0x00, 0x70, 0x8a) == 4)
        #expect(Color.nearest8(0x26, 0x4f, 0x78) == 4)
        #expect(Color.nearest8(0xb8, 0xd4, 0xf5) == 7)
    }

    @Test("the 256-colour palette's grey ramp maps like the greys it shows")
    func paletteGreys() {
        for index in UInt8(232)...UInt8(255) {
            let (r, g, b) = Color.rgbOf256(index)
            let mapped = Color.nearest8(r, g, b)
            #expect(mapped == nil || mapped == 0 || mapped == 7, "palette \(index)")
        }
    }
}
