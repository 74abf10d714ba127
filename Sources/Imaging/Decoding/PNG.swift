import CPNG
import PicseekCore

/// Header facts of a PNG file (from IHDR and tRNS).
public struct PNGInfo: Equatable, Sendable {
    /// The IHDR colour type.
    public enum ColorType: Sendable { case gray, rgb, palette, grayAlpha, rgba, other }
    public var width: Int
    public var height: Int
    /// Bits per sample: 1, 2, 4, 8 or 16.
    public var bitDepth: Int
    public var colorType: ColorType
    /// Adam7 interlacing.
    public var isInterlaced: Bool
    /// An alpha channel or a tRNS chunk is present (it is ignored when decoding to RGB).
    public var hasAlpha: Bool
}

/// PNG decoding through libpng.
///
/// All libpng error handling happens in C (`cpng.c`); this type only sees
/// return codes and messages, so corrupt data surfaces as a `PNGError`.
/// Pixels come out the way PIL's `convert("RGB")` gives them: 16-bit samples
/// keep their high byte, alpha and tRNS are ignored (see the README's
/// "Image pipeline" section).
public enum PNG {
    /// Reads the signature and IHDR.
    /// The corresponding C function is `cpng_read_info`.
    public static func info(_ data: [UInt8]) throws(PNGError) -> PNGInfo {
        var raw = cpng_info()
        var msg = [CChar](repeating: 0, count: Int(CPNG_MSG_LEN))
        let code = data.withUnsafeBufferPointer { buf in
            cpng_read_info(buf.baseAddress, buf.count, &raw, &msg)
        }
        guard code == CPNG_OK else {
            throw PNGError(
                code: code, message: msg, width: raw.width, height: raw.height,
                limit: 0)
        }
        return PNGInfo(raw)
    }

    /// The result of decoding: RGB pixels, the header facts and the eXIf payload.
    public struct Decoded: Sendable {
        public var image: RGBImage
        public var info: PNGInfo
        /// The eXIf chunk's TIFF bytes, if the file has one.
        public var exif: [UInt8]?
    }

    /// Decodes to 8-bit RGB. `maxPixels` is checked against IHDR before any
    /// pixel memory is allocated.
    /// The corresponding C function is `cpng_decode_rgb`.
    public static func decode(_ data: [UInt8], maxPixels: Int = 100_000_000) throws(PNGError)
        -> Decoded
    {
        var raw = cpng_info()
        let (image, exif) = try CResult.decodeRGB(
            PNGFormat.self, data, info: &raw, limit: maxPixels, ok: CPNG_OK,
            messageLength: CPNG_MSG_LEN, free: cpng_free,
            size: { ($0.width, $0.height) }
        ) { buf, out, info in
            cpng_decode_rgb(
                buf.baseAddress, buf.count, Int64(maxPixels), &out.rgb, &out.width, &out.height,
                &info,
                &out.exif, &out.exifSize, &out.message)
        }
        return Decoded(image: image, info: PNGInfo(raw), exif: exif)
    }

}

extension PNGInfo {
    init(_ raw: cpng_info) {
        let type: ColorType
        switch raw.color_type {
        case CPNG_COLOR_GRAY: type = .gray
        case CPNG_COLOR_RGB: type = .rgb
        case CPNG_COLOR_PALETTE: type = .palette
        case CPNG_COLOR_GRAY_ALPHA: type = .grayAlpha
        case CPNG_COLOR_RGBA: type = .rgba
        default: type = .other
        }
        self.init(
            width: Int(raw.width), height: Int(raw.height), bitDepth: Int(raw.bit_depth),
            colorType: type, isInterlaced: raw.interlaced != 0, hasAlpha: raw.has_alpha != 0)
    }
}
