import CGIF
import PicseekCore

/// Why a GIF file could not be read.
public enum GIFError: Error, Equatable, CustomStringConvertible {
    /// giflib rejected the data (bad LZW code, no image); `message` is its text.
    case decode(message: String)
    /// The data ended before the first frame was complete.
    case truncated(message: String)
    /// The logical screen or first frame is larger than the configured cap allows.
    case tooLarge(width: Int, height: Int, limit: Int)
    /// The input was empty or an argument was invalid.
    case invalidInput(message: String)
    /// A pixel buffer could not be allocated.
    case outOfMemory

    public var description: String {
        switch self {
        case .decode(let m): return "corrupt gif: \(m)"
        case .truncated(let m): return "truncated gif: \(m)"
        case .tooLarge(let w, let h, let limit):
            return "gif is \(w)x\(h) pixels, above the limit of \(limit)"
        case .invalidInput(let m): return "invalid gif input: \(m)"
        case .outOfMemory: return "out of memory decoding gif"
        }
    }
}

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
        var msg = [CChar](repeating: 0, count: Int(CGIF_MSG_LEN))
        var out: UnsafeMutablePointer<UInt8>?
        var w: Int32 = 0
        var h: Int32 = 0
        let code = data.withUnsafeBufferPointer { buf in
            cgif_decode_rgb(buf.baseAddress, buf.count, Int64(maxPixels), &out, &w, &h, &raw, &msg)
        }
        defer { cgif_free(out) }
        guard code == CGIF_OK, let out else {
            let text = CResult.message(msg)
            switch code {
            case CGIF_ERR_TOO_LARGE:
                throw .tooLarge(width: Int(raw.width), height: Int(raw.height), limit: maxPixels)
            case CGIF_ERR_TRUNCATED: throw .truncated(message: text)
            case CGIF_ERR_NO_MEMORY: throw .outOfMemory
            case CGIF_ERR_ARGUMENT: throw .invalidInput(message: text)
            default: throw .decode(message: text)
            }
        }
        let pixels = CResult.bytes(out, count: Int(w) * Int(h) * 3)
        let info = GIFInfo(
            width: Int(raw.width), height: Int(raw.height),
            hasTransparency: raw.has_transparency != 0, isInterlaced: raw.interlaced != 0, colors: Int(raw.colors))
        return Decoded(image: RGBImage(width: Int(w), height: Int(h), pixels: pixels), info: info)
    }
}
