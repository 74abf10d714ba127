import CTIFF
import PicseekCore

/// Facts from a TIFF's first directory.
public struct TIFFInfo: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var bitsPerSample: Int
    public var samplesPerPixel: Int
    /// The PhotometricInterpretation tag (1 grey, 2 RGB, 3 palette, 5 CMYK, 6 YCbCr...).
    public var photometric: Int
    /// The page is stored in tiles rather than strips.
    public var isTiled: Bool
    /// The Orientation tag (1...8), not applied by `TIFF.decode`.
    public var orientation: Int
    /// Number of pages (directories); only the first is decoded.
    public var pages: Int
}

/// TIFF decoding through libtiff: the first page as Pillow's
/// `Image.open(f).convert("RGB")` gives it, in stored orientation.
public enum TIFF {
    /// The result of decoding: RGB pixels (stored orientation) and the first directory's facts.
    public struct Decoded: Sendable {
        public var image: RGBImage
        public var info: TIFFInfo
    }

    /// Decodes the first page to 8-bit RGB. `maxPixels` is checked against the
    /// directory before any pixel memory is allocated.
    /// The corresponding C function is `ctiff_decode_rgb`.
    public static func decode(
        _ data: [UInt8], maxPixels: Int = 100_000_000
    ) throws(TIFFError) -> Decoded {
        var raw = ctiff_info()
        let (image, _) = try CResult.decodeRGB(
            TIFFFormat.self, data, info: &raw, limit: maxPixels, ok: CTIFF_OK,
            messageLength: CTIFF_MSG_LEN, free: ctiff_free,
            size: { ($0.width, $0.height) }
        ) { buf, out, info in
            ctiff_decode_rgb(
                buf.baseAddress, buf.count, Int64(maxPixels), &out.rgb, &out.width, &out.height,
                &info, &out.message)
        }
        let info = TIFFInfo(
            width: Int(raw.width), height: Int(raw.height), bitsPerSample: Int(raw.bits_per_sample),
            samplesPerPixel: Int(raw.samples_per_pixel), photometric: Int(raw.photometric),
            isTiled: raw.tiled != 0, orientation: Int(raw.orientation), pages: Int(raw.pages))
        return Decoded(image: image, info: info)
    }
}
