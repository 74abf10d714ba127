import PicseekCore

/// A format read through one of the C decoder wrappers; its name is what messages say.
public protocol DecoderFormat: Sendable {
    /// The format's name in messages: "jpeg", "png", "webp", "gif", "tiff", "heif".
    static var name: String { get }
}

/// JPEG through libjpeg-turbo (`CJPEG`).
public enum JPEGFormat: DecoderFormat { public static let name = "jpeg" }
/// PNG through libpng (`CPNG`).
public enum PNGFormat: DecoderFormat { public static let name = "png" }
/// WebP through libwebp (`CWebP`).
public enum WebPFormat: DecoderFormat { public static let name = "webp" }
/// GIF through giflib (`CGIF`).
public enum GIFFormat: DecoderFormat { public static let name = "gif" }
/// TIFF through libtiff (`CTIFF`).
public enum TIFFFormat: DecoderFormat { public static let name = "tiff" }
/// HEIC/HEIF and AVIF through libheif (`CHeif`).
public enum HEIFFormat: DecoderFormat { public static let name = "heif" }

/// Why a JPEG file could not be read or written.
public typealias JPEGError = DecoderError<JPEGFormat>
/// Why a PNG file could not be read.
public typealias PNGError = DecoderError<PNGFormat>
/// Why a WebP file could not be read.
public typealias WebPError = DecoderError<WebPFormat>
/// Why a GIF file could not be read.
public typealias GIFError = DecoderError<GIFFormat>
/// Why a TIFF file could not be read.
public typealias TIFFError = DecoderError<TIFFFormat>
/// Why a HEIC/HEIF or AVIF file could not be read.
public typealias HEIFError = DecoderError<HEIFFormat>

/// Why a decoder wrapper failed: the same five cases for every format.
public enum DecoderError<Format: DecoderFormat>: Error, Equatable, CustomStringConvertible {
    /// The library rejected the data; `message` is its text.
    case decode(message: String)
    /// The data ended before the image was complete.
    case truncated(message: String)
    /// The image is larger than the configured pixel cap allows (checked from the headers,
    /// before any pixel memory is allocated).
    case tooLarge(width: Int, height: Int, limit: Int)
    /// The input was empty or an argument was invalid.
    case invalidInput(message: String)
    /// A pixel buffer could not be allocated.
    case outOfMemory

    /// The error for a wrapper's status `code`. Every wrapper numbers its results the same
    /// way (`C*_OK` 0, `_ERR_DECODE` 1, `_ERR_TOO_LARGE` 2, `_ERR_NO_MEMORY` 3,
    /// `_ERR_TRUNCATED` 4, `_ERR_ARGUMENT` 5) and writes its text into `message`.
    init(code: Int32, message: [CChar], width: Int32, height: Int32, limit: Int) {
        let text = CResult.message(message)
        switch code {
        case 2: self = .tooLarge(width: Int(width), height: Int(height), limit: limit)
        case 3: self = .outOfMemory
        case 4: self = .truncated(message: text)
        case 5: self = .invalidInput(message: text)
        default: self = .decode(message: text)
        }
    }

    public var description: String {
        let name = Format.name
        switch self {
        case .decode(let m): return "corrupt \(name): \(m)"
        case .truncated(let m): return "truncated \(name): \(m)"
        case .tooLarge(let w, let h, let limit):
            return "\(name) is \(w)x\(h) pixels, above the limit of \(limit)"
        case .invalidInput(let m): return "invalid \(name) input: \(m)"
        case .outOfMemory: return "out of memory decoding \(name)"
        }
    }

    /// The same failure as the image pipeline reports it (no path yet).
    var imageError: ImageError {
        let name = Format.name
        switch self {
        case .decode(let m), .invalidInput(let m):
            return .corrupt(path: nil, format: name, message: m)
        case .truncated(let m): return .truncated(path: nil, format: name, message: m)
        case .tooLarge(let w, let h, let l):
            return .tooLarge(path: nil, width: w, height: h, limit: l)
        case .outOfMemory: return .outOfMemory(path: nil, format: name)
        }
    }
}
