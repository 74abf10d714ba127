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
        case .jpeg, .png, .webp, .gif, .tiff, .heif, .avif, .raw: return true
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
        if starts(Array("ftyp".utf8), at: 4) { return heifBrand(bytes) }
        if starts([0xFF, 0x0A]) || starts([0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20]) {
            return .jpegXL
        }
        return nil
    }

    /// HEIF-family files by their `ftyp` brands: the main brand, or for the generic
    /// `mif1`/`msf1`/`miaf` main brands the first AVIF or HEVC compatible brand.
    static func heifBrand(_ bytes: [UInt8]) -> ImageFormat? {
        guard bytes.count >= 12 else { return nil }
        let declared =
            Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8
            | Int(bytes[3])
        let end = min(bytes.count, max(16, declared))
        func brand(at offset: Int) -> String {
            String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
        }
        let avif: Set = ["avif", "avis"]
        let hevc: Set = ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"]
        let generic: Set = ["mif1", "msf1", "miaf", "mif2"]
        let main = brand(at: 8)
        if avif.contains(main) { return .avif }
        if hevc.contains(main) { return .heif }
        guard generic.contains(main) else { return nil }
        var offset = 16
        while offset + 4 <= end {
            let b = brand(at: offset)
            if avif.contains(b) { return .avif }
            if hevc.contains(b) { return .heif }
            offset += 4
        }
        return .heif
    }
}
