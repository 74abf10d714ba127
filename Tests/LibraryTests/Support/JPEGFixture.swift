import Imaging
import PicseekCore

enum JPEGFixture {
    static func encode(_ image: RGBImage) throws -> [UInt8] { try JPEG.encode(image, quality: 90) }
}
