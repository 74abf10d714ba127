import CGIF
import PicseekCore

/// Facts about a GIF's first frame.
public struct GIFInfo: Equatable, Sendable {
    /// Canvas width: the logical screen, grown to hold the first frame.
    public var width: Int
    /// Canvas height.
    public var height: Int
    /// The first frame has a transparent index (ignored when decoding to RGB).
    public var hasTransparency: Bool
    /// The first frame is interlaced.
    public var isInterlaced: Bool
    /// Entries in the colour table used, 0 if the file has none.
    public var colors: Int
}

/// GIF decoding through giflib: the first frame, as Pillow's
/// `Image.open(f).convert("RGB")` gives it (palette applied, transparency ignored).
public enum GIF {
    /// The result of decoding: RGB pixels and the first frame's facts.
    public struct Decoded: Sendable {
        public var image: RGBImage
        public var info: GIFInfo
    }

    /// Decodes the first frame to 8-bit RGB. `maxPixels` is checked against the
    /// screen and frame sizes before any pixel memory is allocated.
    /// The corresponding C function is `cgif_decode_rgb`.
    public static func decode(
        _ data: [UInt8], maxPixels: Int = 100_000_000
    ) throws(GIFError) -> Decoded {
        var raw = cgif_info()
        let (image, _) = try CResult.decodeRGB(
            GIFFormat.self, data, info: &raw, limit: maxPixels, ok: CGIF_OK,
            messageLength: CGIF_MSG_LEN, free: cgif_free,
            size: { ($0.width, $0.height) }
        ) { buf, out, info in
            cgif_decode_rgb(
                buf.baseAddress, buf.count, Int64(maxPixels), &out.rgb, &out.width, &out.height,
                &info, &out.message)
        }
        let info = GIFInfo(
            width: Int(raw.width), height: Int(raw.height),
            hasTransparency: raw.has_transparency != 0, isInterlaced: raw.interlaced != 0,
            colors: Int(raw.colors))
        return Decoded(image: image, info: info)
    }
}
