import CHeif
import PicseekCore

/// Header facts of a HEIC/HEIF or AVIF file's primary image.
public struct HEIFInfo: Equatable, Sendable {
    /// Width in pixels, after the container's transforms.
    public var width: Int
    /// Height in pixels, after the container's transforms.
    public var height: Int
    /// The primary image has an alpha plane (it is dropped when decoding to RGB).
    public var hasAlpha: Bool
    /// Luma bits per sample: 8, 10 or 12 (reduced to 8 when decoding).
    public var bitDepth: Int
    /// The file's main brand is `avif` or `avis` (AV1-coded).
    public var isAVIF: Bool
    /// Number of top-level images; only the primary one is decoded.
    public var images: Int
    /// The nclx profile's matrix coefficients, nil without an nclx profile.
    public var matrixCoefficients: Int?
    /// The nclx profile's full-range flag, nil without an nclx profile.
    public var fullRange: Bool?
}

/// HEIC/HEIF and AVIF decoding through libheif.
///
/// Pixels come out the way `Image.open(f).convert("RGB")` gives them with
/// pillow-heif registered: the primary image, grids assembled, libheif's
/// default transforms (`clap`, `irot`, `imir`) applied, 10/12-bit samples
/// reduced to 8 bits, alpha dropped. The EXIF orientation is not applied
/// (the transforms already turned the image; pillow-heif resets the tag to 1).
public enum HEIF {
    /// Reads the container and the primary image's properties.
    /// The corresponding C function is `cheif_read_info`.
    public static func info(_ data: [UInt8]) throws(HEIFError) -> HEIFInfo {
        var raw = cheif_info()
        var msg = [CChar](repeating: 0, count: Int(CHEIF_MSG_LEN))
        let code = data.withUnsafeBufferPointer { buf in
            cheif_read_info(buf.baseAddress, buf.count, &raw, &msg)
        }
        guard code == CHEIF_OK else {
            throw HEIFError(
                code: code, message: msg, width: raw.width, height: raw.height, limit: 0)
        }
        return HEIFInfo(raw)
    }

    /// The result of decoding: RGB pixels, the header facts and the EXIF payload.
    public struct Decoded: Sendable {
        /// The primary image, transforms applied, 8-bit RGB.
        public var image: RGBImage
        /// The primary image's facts.
        public var info: HEIFInfo
        /// The `Exif` item's TIFF bytes, if the image has one.
        public var exif: [UInt8]?
    }

    /// The HEVC decoder libheif runs for HEIC images (AVIF's: `AV1Decoder`).
    public enum HEVCDecoder: Sendable, CaseIterable {
        /// libavcodec's, through picseek's libheif decoder plugin: the default.
        case libavcodec
        /// libheif's own libde265 plugin: the same pixels, more CPU time on Debian 12.
        case libde265
    }

    /// The AV1 decoder libheif runs for AVIF images.
    public enum AV1Decoder: Sendable, CaseIterable {
        /// libdav1d, through picseek's libheif decoder plugin: the default. The stored
        /// planes reach picseek's conversion, exact with libavif in every profile.
        case dav1dPlugin
        /// libheif's own dav1d/aom plugin, whose planes come back only after a trip through
        /// RGB (exact for BT.601 full range only).
        case libheif
    }

    /// Decodes the primary image to 8-bit RGB. `maxPixels` is checked against the
    /// image size from the headers before any pixel memory is allocated.
    /// `hevcDecoder` picks the HEVC decoder (both give the same pixels), `av1Decoder` the AV1
    /// one. The corresponding C functions are `cheif_decode_rgb_using` and
    /// `cheif_use_av1_decoder`.
    public static func decode(
        _ data: [UInt8], maxPixels: Int = 100_000_000, hevcDecoder: HEVCDecoder = .libavcodec,
        av1Decoder: AV1Decoder = .dav1dPlugin
    ) throws(HEIFError) -> Decoded {
        let hevc = hevcDecoder == .libavcodec ? CHEIF_HEVC_LIBAVCODEC : CHEIF_HEVC_LIBDE265
        // The choice holds for the calling thread, where the decode below runs.
        cheif_use_av1_decoder(av1Decoder == .dav1dPlugin ? CHEIF_AV1_DAV1D : CHEIF_AV1_LIBHEIF)
        defer { cheif_use_av1_decoder(CHEIF_AV1_DAV1D) }
        var raw = cheif_info()
        let (image, exif) = try CResult.decodeRGB(
            HEIFFormat.self, data, info: &raw, limit: maxPixels, ok: CHEIF_OK,
            messageLength: CHEIF_MSG_LEN, free: cheif_free,
            size: { ($0.width, $0.height) }
        ) { buf, out, info in
            cheif_decode_rgb_using(
                buf.baseAddress, buf.count, Int64(maxPixels), hevc, &out.rgb, &out.width,
                &out.height, &info, &out.exif, &out.exifSize, &out.message)
        }
        return Decoded(image: image, info: HEIFInfo(raw), exif: exif)
    }
}

extension HEIF {
    /// HEVC pictures libavcodec has decoded for libheif in this process (a grid's tiles count
    /// one each). The corresponding C function is `cheif_hevc_avcodec_pictures`.
    public static var libavcodecPictures: Int { Int(cheif_hevc_avcodec_pictures()) }

    /// AV1 pictures picseek's plugin has decoded for libheif in this process (a grid's tiles
    /// count one each). The corresponding C function is `cheif_av1_pictures`.
    public static var av1PluginPictures: Int { Int(cheif_av1_pictures()) }

    /// 8-bit YCbCr planes (chroma `sx`/`sy` halved where 1) to R, G and B planes with the
    /// HEVC plugin's conversion (`naive`: its plain twin); nil for a matrix other than 1, 2,
    /// 5, 6 or 9. For the tests. The corresponding C function is `cheif_ycbcr_to_rgb`.
    static func convertYCbCr(
        y: [UInt8], cb: [UInt8], cr: [UInt8], width: Int, height: Int, sx: Int, sy: Int,
        matrix: Int, fullRange: Bool, naive: Bool
    ) -> [UInt8]? {
        guard [1, 2, 5, 6, 9].contains(matrix) else { return nil }
        let cw = (width + sx) >> sx, ch = (height + sy) >> sy
        precondition(y.count == width * height && cb.count == cw * ch && cr.count == cw * ch)
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let n = width * height
        out.withUnsafeMutableBufferPointer { o in
            guard let base = o.baseAddress else { return }
            cheif_ycbcr_to_rgb(
                y, Int32(width), cb, Int32(cw), cr, Int32(cw), Int32(width), Int32(height),
                Int32(sx), Int32(sy), Int32(matrix), fullRange ? 1 : 0, naive ? 1 : 0, base,
                Int32(width), base + n, Int32(width), base + 2 * n, Int32(width))
        }
        return out
    }

    /// `decode(data, hevcDecoder: decoder)` with every conversion and transform left to
    /// libheif 1.15, whichever decoder decodes: two decoders compared by their pixels. For
    /// the tests. The corresponding C function is `cheif_test_libheif_converts`.
    static func decodeConvertedByLibheif(_ data: [UInt8], hevcDecoder: HEVCDecoder)
        throws(HEIFError) -> Decoded
    {
        cheif_test_libheif_converts(1)
        defer { cheif_test_libheif_converts(0) }
        return try decode(data, hevcDecoder: hevcDecoder)
    }

    /// Decodes a HEIC of one coded picture twice with that picture replaced by random planes
    /// from `seed`: converted by libheif 1.15, then by the plugin; the largest difference
    /// between their samples, nil if a decode failed. The corresponding C function is
    /// `cheif_test_conversion`.
    static func conversionDifferences(_ data: [UInt8], seed: UInt64) -> Int? {
        let n = data.withUnsafeBufferPointer {
            cheif_test_conversion($0.baseAddress, $0.count, seed)
        }
        return n < 0 ? nil : Int(n)
    }
}

extension HEIFInfo {
    init(_ raw: cheif_info) {
        self.init(
            width: Int(raw.width), height: Int(raw.height), hasAlpha: raw.has_alpha != 0,
            bitDepth: Int(raw.bit_depth), isAVIF: raw.avif != 0, images: Int(raw.images),
            matrixCoefficients: raw.matrix >= 0 ? Int(raw.matrix) : nil,
            fullRange: raw.full_range >= 0 ? raw.full_range != 0 : nil)
    }
}
