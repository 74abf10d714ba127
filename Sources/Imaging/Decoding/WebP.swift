import CWebP
import PicseekCore

/// Header facts of a WebP file.
public struct WebPInfo: Equatable, Sendable {
    /// Canvas width in pixels.
    public var width: Int
    /// Canvas height in pixels.
    public var height: Int
    /// The file declares an alpha channel (it is dropped when decoding to RGB).
    public var hasAlpha: Bool
    /// The file is animated; only its first frame is decoded.
    public var isAnimated: Bool
    /// The (first) image is VP8L lossless.
    public var isLossless: Bool
    /// Number of frames (1 for still images; from the headers only after `decode`).
    public var frames: Int
}

/// WebP decoding through libwebp and libwebpdemux.
///
/// Pixels come out the way Pillow's `Image.open(f).convert("RGB")` gives them:
/// the first frame drawn on a canvas cleared to transparent black, alpha
/// dropped (each pixel keeps its stored colour).
public enum WebP {
    /// Reads the container and bitstream headers.
    /// The corresponding C function is `cwebp_read_info`.
    public static func info(_ data: [UInt8]) throws(WebPError) -> WebPInfo {
        var raw = cwebp_info()
        var msg = [CChar](repeating: 0, count: Int(CWEBP_MSG_LEN))
        let code = data.withUnsafeBufferPointer { buf in
            cwebp_read_info(buf.baseAddress, buf.count, &raw, &msg)
        }
        guard code == CWEBP_OK else {
            throw WebPError(
                code: code, message: msg, width: raw.width, height: raw.height,
                limit: 0)
        }
        return WebPInfo(raw)
    }

    /// The result of decoding: RGB pixels, the header facts and the EXIF payload.
    public struct Decoded: Sendable {
        public var image: RGBImage
        public var info: WebPInfo
        /// The EXIF chunk's TIFF bytes, if the file has one.
        public var exif: [UInt8]?
    }

    /// Decodes the first frame to 8-bit RGB. `maxPixels` is checked against the
    /// canvas size before any pixel memory is allocated.
    /// The corresponding C function is `cwebp_decode_rgb`.
    public static func decode(
        _ data: [UInt8], maxPixels: Int = 100_000_000
    ) throws(WebPError) -> Decoded {
        var raw = cwebp_info()
        let (image, exif) = try CResult.decodeRGB(
            WebPFormat.self, data, info: &raw, limit: maxPixels, ok: CWEBP_OK,
            messageLength: CWEBP_MSG_LEN, free: cwebp_free,
            size: { ($0.width, $0.height) }
        ) { buf, out, info in
            cwebp_decode_rgb(
                buf.baseAddress, buf.count, Int64(maxPixels), &out.rgb, &out.width, &out.height,
                &info,
                &out.exif, &out.exifSize, &out.message)
        }
        return Decoded(image: image, info: WebPInfo(raw), exif: exif)
    }

}

extension WebPInfo {
    init(_ raw: cwebp_info) {
        self.init(
            width: Int(raw.width), height: Int(raw.height), hasAlpha: raw.has_alpha != 0,
            isAnimated: raw.animated != 0, isLossless: raw.lossless != 0, frames: Int(raw.frames))
    }
}
