import CJPEG
import PicseekCore

/// Header facts of a JPEG file, read without decoding pixels.
public struct JPEGInfo: Equatable, Sendable {
    /// The file's colour model.
    public enum ColorSpace: Sendable { case gray, rgb, yCbCr, cmyk, ycck, other }
    public var width: Int
    public var height: Int
    public var components: Int
    public var colorSpace: ColorSpace
    public var isProgressive: Bool
    public var hasAdobeMarker: Bool
}

/// JPEG decoding and encoding through libjpeg-turbo.
///
/// All libjpeg error handling happens in C (`cjpeg.c`); this type only sees
/// return codes and messages, so corrupt data surfaces as a `JPEGError`.
public enum JPEG {
    /// Reads the header: size, components and colour space.
    /// The corresponding C function is `cjpeg_read_info`.
    public static func info(_ data: [UInt8]) throws(JPEGError) -> JPEGInfo {
        var raw = cjpeg_info()
        var msg = [CChar](repeating: 0, count: Int(CJPEG_MSG_LEN))
        let code = data.withUnsafeBufferPointer { buf in
            cjpeg_read_info(buf.baseAddress, buf.count, &raw, &msg)
        }
        guard code == CJPEG_OK else {
            throw JPEGError(
                code: code, message: msg, width: raw.width, height: raw.height,
                limit: 0)
        }
        return JPEGInfo(raw)
    }

    /// Reads the header and the raw EXIF payload (TIFF bytes after "Exif\0\0"),
    /// without decoding pixels.
    /// The corresponding C function is `cjpeg_read_header`.
    public static func header(_ data: [UInt8]) throws(JPEGError) -> (info: JPEGInfo, exif: [UInt8]?)
    {
        var raw = cjpeg_info()
        var msg = [CChar](repeating: 0, count: Int(CJPEG_MSG_LEN))
        var exif: UnsafeMutablePointer<UInt8>?
        var exifSize = 0
        let code = data.withUnsafeBufferPointer { buf in
            cjpeg_read_header(buf.baseAddress, buf.count, &raw, &exif, &exifSize, &msg)
        }
        defer { cjpeg_free(exif) }
        guard code == CJPEG_OK else {
            throw JPEGError(
                code: code, message: msg, width: raw.width, height: raw.height,
                limit: 0)
        }
        let bytes = exif.map { CResult.bytes($0, count: exifSize) }
        return (JPEGInfo(raw), bytes)
    }

    /// The result of decoding: pixels at the requested scale, the full-size
    /// header facts and the raw EXIF payload (TIFF bytes after "Exif\0\0").
    public struct Decoded: Sendable {
        public var image: RGBImage
        public var info: JPEGInfo
        public var exif: [UInt8]?
    }

    /// Decodes to RGB at 1/`scale` of the full size (1, 2, 4 or 8), using
    /// libjpeg's DCT-domain scaling. `maxPixels` is checked against the
    /// header before any pixel memory is allocated.
    /// The corresponding C function is `cjpeg_decode_rgb`.
    public static func decode(
        _ data: [UInt8], scale: Int = 1, maxPixels: Int = 100_000_000
    ) throws(JPEGError) -> Decoded {
        var raw = cjpeg_info()
        var msg = [CChar](repeating: 0, count: Int(CJPEG_MSG_LEN))
        var out: UnsafeMutablePointer<UInt8>?
        var exif: UnsafeMutablePointer<UInt8>?
        var exifSize = 0
        var w: Int32 = 0
        var h: Int32 = 0
        let code = data.withUnsafeBufferPointer { buf in
            cjpeg_decode_rgb(
                buf.baseAddress, buf.count, Int32(scale), Int64(maxPixels),
                &out, &w, &h, &raw, &exif, &exifSize, &msg)
        }
        defer {
            cjpeg_free(out)
            cjpeg_free(exif)
        }
        guard code == CJPEG_OK, let out else {
            throw JPEGError(
                code: code, message: msg, width: raw.width, height: raw.height,
                limit: maxPixels)
        }
        let count = Int(w) * Int(h) * 3
        let pixels = CResult.bytes(out, count: count)
        let exifBytes = exif.map { CResult.bytes($0, count: exifSize) }
        return Decoded(
            image: RGBImage(width: Int(w), height: Int(h), pixels: pixels),
            info: JPEGInfo(raw), exif: exifBytes)
    }

    /// The indexer's thumbnail encoder: baseline JPEG at the quality it asks for.
    public static let thumbnailEncoder: ThumbnailEncoder = { image, quality in
        try encode(image, quality: quality)
    }

    /// Encodes an RGB image (or a greyscale one given as `gray`) as JPEG.
    /// The corresponding C function is `cjpeg_encode`.
    public static func encode(
        _ image: RGBImage, quality: Int = 90, progressive: Bool = false
    ) throws(JPEGError) -> [UInt8] {
        try encode(
            pixels: image.pixels, width: image.width, height: image.height,
            components: 3, quality: quality, progressive: progressive)
    }

    /// Encodes packed 8-bit pixels with 1 (grey) or 3 (RGB) components.
    public static func encode(
        pixels: [UInt8], width: Int, height: Int, components: Int,
        quality: Int = 90, progressive: Bool = false
    ) throws(JPEGError) -> [UInt8] {
        guard pixels.count == width * height * components else {
            throw .invalidInput(
                message: "pixel buffer does not match \(width)x\(height)x\(components)")
        }
        var msg = [CChar](repeating: 0, count: Int(CJPEG_MSG_LEN))
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        let code = pixels.withUnsafeBufferPointer { buf in
            cjpeg_encode(
                buf.baseAddress, Int32(width), Int32(height),
                components == 1 ? CJPEG_CS_GRAY : components == 3 ? CJPEG_CS_RGB : 0,
                Int32(quality), progressive ? 1 : 0, &out, &size, &msg)
        }
        defer { cjpeg_free(out) }
        guard code == CJPEG_OK, let out else {
            throw JPEGError(code: code, message: msg, width: 0, height: 0, limit: 0)
        }
        return CResult.bytes(out, count: size)
    }

    /// Encodes packed CMYK samples (4 per pixel, stored as given) as a CMYK or
    /// YCCK JPEG with an Adobe marker. Used by tests and tools.
    /// The corresponding C function is `cjpeg_encode`.
    public static func encodeCMYK(
        _ samples: [UInt8], width: Int, height: Int, quality: Int = 95, ycck: Bool = false
    ) throws(JPEGError) -> [UInt8] {
        guard samples.count == width * height * 4 else {
            throw .invalidInput(message: "sample buffer does not match \(width)x\(height)x4")
        }
        var msg = [CChar](repeating: 0, count: Int(CJPEG_MSG_LEN))
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        let code = samples.withUnsafeBufferPointer { buf in
            cjpeg_encode(
                buf.baseAddress, Int32(width), Int32(height),
                ycck ? CJPEG_CS_YCCK : CJPEG_CS_CMYK, Int32(quality), 0, &out, &size, &msg)
        }
        defer { cjpeg_free(out) }
        guard code == CJPEG_OK, let out else {
            throw JPEGError(code: code, message: msg, width: 0, height: 0, limit: 0)
        }
        return CResult.bytes(out, count: size)
    }

}

extension JPEGInfo {
    init(_ raw: cjpeg_info) {
        let space: ColorSpace
        switch raw.colorspace {
        case CJPEG_CS_GRAY: space = .gray
        case CJPEG_CS_RGB: space = .rgb
        case CJPEG_CS_YCBCR: space = .yCbCr
        case CJPEG_CS_CMYK: space = .cmyk
        case CJPEG_CS_YCCK: space = .ycck
        default: space = .other
        }
        self.init(
            width: Int(raw.width), height: Int(raw.height), components: Int(raw.components),
            colorSpace: space, isProgressive: raw.progressive != 0,
            hasAdobeMarker: raw.adobe_marker != 0)
    }
}
