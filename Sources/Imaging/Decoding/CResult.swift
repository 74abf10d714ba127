import PicseekCore

/// What the C decoder wrappers hand back, read the same way for every format.
enum CResult {
    /// The NUL-terminated message a wrapper wrote into `buffer`, as UTF-8
    /// (invalid bytes become U+FFFD).
    static func message(_ buffer: [CChar]) -> String {
        String(
            decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self
        )
    }

    /// A copy of the `count` bytes a wrapper allocated at `pointer` (the
    /// wrapper's own free function releases them).
    static func bytes(_ pointer: UnsafeMutablePointer<UInt8>, count: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// The out-parameters every wrapper's `*_decode_rgb` fills: the RGB buffer and its size,
    /// the EXIF payload (for the wrappers that return one) and the message.
    struct DecodeOutputs {
        var rgb: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var exif: UnsafeMutablePointer<UInt8>?
        var exifSize = 0
        var message: [CChar]
    }

    /// Runs a wrapper's `*_decode_rgb` through `call` (which passes `DecodeOutputs`' fields
    /// and `info` on), frees what it allocated with `free`, and returns the pixels and the
    /// EXIF bytes; a status other than `ok` becomes the format's `DecoderError`, with the
    /// size the header declared and the pixel `limit`.
    static func decodeRGB<Format: DecoderFormat, Info>(
        _ format: Format.Type, _ data: [UInt8], info: inout Info, limit: Int, ok: Int32,
        messageLength: Int32,
        free: (UnsafeMutableRawPointer?) -> Void,
        size: (Info) -> (width: Int32, height: Int32),
        call: (UnsafeBufferPointer<UInt8>, inout DecodeOutputs, inout Info) -> Int32
    ) throws(DecoderError<Format>) -> (image: RGBImage, exif: [UInt8]?) {
        var out = DecodeOutputs(message: [CChar](repeating: 0, count: Int(messageLength)))
        let code = data.withUnsafeBufferPointer { call($0, &out, &info) }
        defer {
            free(out.rgb)
            free(out.exif)
        }
        guard code == ok, let rgb = out.rgb else {
            let (width, height) = size(info)
            throw DecoderError(
                code: code, message: out.message, width: width, height: height, limit: limit)
        }
        let (w, h) = (Int(out.width), Int(out.height))
        let image = RGBImage(width: w, height: h, pixels: bytes(rgb, count: w * h * 3))
        return (image, out.exif.map { bytes($0, count: out.exifSize) })
    }
}
