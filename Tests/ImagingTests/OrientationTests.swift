import PicseekCore
import Testing

@testable import Imaging

@Suite("EXIF orientation")
struct OrientationTests {
    /// A 3x2 image whose pixel at (x, y) has red = 10 * y + x.
    static let image: RGBImage = {
        var p: [UInt8] = []
        for y in 0..<2 { for x in 0..<3 { p += [UInt8(10 * y + x), 0, 0] } }
        return RGBImage(width: 3, height: 2, pixels: p)
    }()

    static func reds(_ img: RGBImage) -> [[Int]] {
        (0..<img.height).map { y in
            (0..<img.width).map { x in Int(img.pixels[(y * img.width + x) * 3]) }
        }
    }

    @Test("each of the 8 values gives PIL's exif_transpose layout", arguments: 1...8)
    func layout(value: Int) {
        // Source:  0  1  2
        //         10 11 12
        let expected: [Int: [[Int]]] = [
            1: [[0, 1, 2], [10, 11, 12]],
            2: [[2, 1, 0], [12, 11, 10]],
            3: [[12, 11, 10], [2, 1, 0]],
            4: [[10, 11, 12], [0, 1, 2]],
            5: [[0, 10], [1, 11], [2, 12]],
            6: [[10, 0], [11, 1], [12, 2]],
            7: [[12, 2], [11, 1], [10, 0]],
            8: [[2, 12], [1, 11], [0, 10]],
        ]
        let out = Orientation.apply(value, to: Self.image)
        #expect(Self.reds(out) == expected[value])
    }

    @Test("values outside 1...8 leave the image alone")
    func invalid() {
        #expect(Orientation.apply(0, to: Self.image) == Self.image)
        #expect(Orientation.apply(42, to: Self.image) == Self.image)
    }
}
