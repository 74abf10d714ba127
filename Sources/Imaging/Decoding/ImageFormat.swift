/// An image container recognised by its first bytes, never by its file name.
///
/// `raw` is a camera RAW read through its embedded preview (`RAW`); a TIFF-structured file
/// is one when its directories describe a raw sensor image, otherwise it is a `tiff`.
public enum ImageFormat: String, Equatable, Sendable {
    case jpeg, png
    case gif, webp, bmp, tiff, heif, avif, jpegXL = "jpeg xl"
    case raw = "camera raw"

    /// Whether picseek decodes this format.
    public var isSupported: Bool {
        switch self {
        case .jpeg, .png, .webp, .gif, .tiff, .raw: return true
        default: return false
        }
    }

    /// The format whose signature starts `bytes`, or nil if none is known.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            guard bytes.count >= offset + prefix.count else { return false }
            for (i, b) in prefix.enumerated() where bytes[offset + i] != b { return false }
            return true
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF8".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("BM".utf8)) && bytes.count >= 26 { return .bmp }
        if RAW.container(bytes) != nil { return .raw }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts(Array("ftyp".utf8), at: 4) {
            if starts(Array("avif".utf8), at: 8) || starts(Array("avis".utf8), at: 8) {
                return .avif
            }
            for brand in ["heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"]
            where starts(Array(brand.utf8), at: 8) {
                return .heif
            }
        }
        if starts([0xFF, 0x0A]) || starts([0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20]) {
            return .jpegXL
        }
        return nil
    }
}
