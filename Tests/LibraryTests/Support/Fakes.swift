import Foundation
import Imaging
import Library
import PicseekCore
import PicseekTestSupport

/// The real image pieces the Library tests use beside the shared fakes.
extension Fakes {
    /// The real thumbnail encoder, as the executable passes it: Imaging's JPEG encoder.
    static let encodeThumbnail: ThumbnailEncoder = JPEG.thumbnailEncoder

    /// A photo file's bytes to a 16×16 thumbnail through libjpeg (the doctor's repairs).
    static let thumbnailFromBytes: ([UInt8]) throws -> RGBImage = { bytes in
        boxResize(try JPEG.decode(bytes).image, width: 16, height: 16)
    }

    /// A real processor for tests: libjpeg decode, box resize to the spec's
    /// size, channel-planar normalised input, 16-pixel thumbnail.
    static let jpegProcessor: PhotoProcessor = { bytes, spec in
        let decoded = try JPEG.decode(bytes)
        let image = decoded.image
        let size = spec.size
        let small = boxResize(image, width: size, height: size)
        var input = [Float](repeating: 0, count: 3 * size * size)
        for c in 0..<3 {
            for p in 0..<(size * size) {
                let v = Float(small.pixels[p * 3 + c]) / 255
                input[c * size * size + p] = (v - spec.mean[c]) / spec.std[c]
            }
        }
        return ProcessedPhoto(
            input: input, thumbnail: boxResize(image, width: 16, height: 16),
            metadata: PhotoMetadata(width: image.width, height: image.height))
    }

    static func boxResize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let y0 = y * image.height / height, y1 = max(y0 + 1, (y + 1) * image.height / height)
            for x in 0..<width {
                let x0 = x * image.width / width, x1 = max(x0 + 1, (x + 1) * image.width / width)
                for c in 0..<3 {
                    var sum = 0
                    for yy in y0..<y1 {
                        for xx in x0..<x1 {
                            sum += Int(image.pixels[(yy * image.width + xx) * 3 + c])
                        }
                    }
                    out[(y * width + x) * 3 + c] = UInt8(sum / ((y1 - y0) * (x1 - x0)))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}
