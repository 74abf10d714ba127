import PicseekCore

/// Why a photo could not be turned into a model input and thumbnail.
///
/// Every case names the file (when the pipeline was given a path) and the reason,
/// so an indexer can record it and go on with the next photo.
public enum ImageError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (permissions, a directory, a device...).
    case unreadable(path: String, reason: String)
    /// The file or buffer has no bytes.
    case empty(path: String?)
    /// The bytes do not start like any image format.
    case notAnImage(path: String?)
    /// The bytes are an image format picseek does not decode (GIF, WebP, HEIC...).
    case unsupportedFormat(path: String?, format: String)
    /// The header announces more pixels than the configured cap allows.
    case tooLarge(path: String?, width: Int, height: Int, limit: Int)
    /// The decoder rejected the data (bad Huffman table, bad CRC, bad chunk...).
    case corrupt(path: String?, format: String, message: String)
    /// The data ended before the image was complete.
    case truncated(path: String?, format: String, message: String)
    /// Memory for the pixels could not be allocated.
    case outOfMemory(path: String?, format: String)

    /// The file this error is about, if known.
    public var path: String? {
        switch self {
        case .unreadable(let p, _): return p
        case .empty(let p), .notAnImage(let p): return p
        case .unsupportedFormat(let p, _): return p
        case .tooLarge(let p, _, _, _): return p
        case .corrupt(let p, _, _), .truncated(let p, _, _): return p
        case .outOfMemory(let p, _): return p
        }
    }

    /// The same error, naming `path` as the file it is about.
    public func at(path: String) -> ImageError {
        switch self {
        case .unreadable(_, let r): return .unreadable(path: path, reason: r)
        case .empty: return .empty(path: path)
        case .notAnImage: return .notAnImage(path: path)
        case .unsupportedFormat(_, let f): return .unsupportedFormat(path: path, format: f)
        case .tooLarge(_, let w, let h, let l):
            return .tooLarge(path: path, width: w, height: h, limit: l)
        case .corrupt(_, let f, let m): return .corrupt(path: path, format: f, message: m)
        case .truncated(_, let f, let m): return .truncated(path: path, format: f, message: m)
        case .outOfMemory(_, let f): return .outOfMemory(path: path, format: f)
        }
    }

    /// The same error with its format named `format` (a decoder that reads several formats,
    /// such as libheif for HEIC and AVIF, names the one the file is).
    public func naming(format: String) -> ImageError {
        switch self {
        case .corrupt(let p, _, let m): return .corrupt(path: p, format: format, message: m)
        case .truncated(let p, _, let m): return .truncated(path: p, format: format, message: m)
        case .outOfMemory(let p, _): return .outOfMemory(path: p, format: format)
        default: return self
        }
    }

    /// The reason without the path, lowercase, e.g. "truncated jpeg: premature end of data".
    public var reason: String {
        switch self {
        case .unreadable(_, let r): return "cannot read file: \(r)"
        case .empty: return "empty file"
        case .notAnImage: return "not an image (no known image signature)"
        case .unsupportedFormat(_, let f): return "unsupported image format \(f)"
        case .tooLarge(_, let w, let h, let l):
            return "image is \(w)x\(h) pixels, above the limit of \(l)"
        case .corrupt(_, let f, let m): return "corrupt \(f): \(m)"
        case .truncated(_, let f, let m): return "truncated \(f): \(m)"
        case .outOfMemory(_, let f): return "out of memory decoding \(f)"
        }
    }

    /// "path: reason", with the path and message escaped for the terminal.
    public var description: String {
        let text = TerminalSafe.escape(reason)
        guard let path else { return text }
        return TerminalSafe.escape(path) + ": " + text
    }
}

extension ImageError {
    /// The photo-reading form of a `FileReadError`: the reason alone, as the C library
    /// words it, beside the path.
    init(reading error: FileReadError, path: String) {
        switch error {
        case .system(_, _, let code):
            self = .unreadable(path: path, reason: FileRead.errorText(code))
        case .notRegular(_, .directory):
            self = .unreadable(path: path, reason: "is a directory")
        case .notRegular:
            self = .unreadable(path: path, reason: "not a regular file")
        case .tooLarge(_, let size, let limit):
            self = .unreadable(
                path: path, reason: "file is \(size) bytes, above the limit of \(limit)")
        }
    }
}
