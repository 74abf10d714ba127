/// Standard base64 (RFC 4648, alphabet `A–Z a–z 0–9 + /`, `=` padding, no line breaks), as
/// bytes ready to write to a terminal.
public enum Base64 {
    /// The base64 encoding of `bytes`.
    ///
    /// The output is `4 * ceil(n / 3)` ASCII bytes, padded with `=`.
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        let count = bytes.count
        if count == 0 { return [] }
        let outCount = (count + 2) / 3 * 4
        return [UInt8](unsafeUninitializedCapacity: outCount) { out, initialized in
            bytes.withUnsafeBufferPointer { input in
                alphabet.withUnsafeBufferPointer { table in
                    var o = 0
                    var i = 0
                    while i + 3 <= count {
                        let word =
                            UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                            | UInt32(input[i + 2])
                        out[o] = table[Int(word >> 18)]
                        out[o + 1] = table[Int(word >> 12 & 63)]
                        out[o + 2] = table[Int(word >> 6 & 63)]
                        out[o + 3] = table[Int(word & 63)]
                        i += 3
                        o += 4
                    }
                    let rest = count - i
                    if rest > 0 {
                        var word = UInt32(input[i]) << 16
                        if rest == 2 { word |= UInt32(input[i + 1]) << 8 }
                        out[o] = table[Int(word >> 18)]
                        out[o + 1] = table[Int(word >> 12 & 63)]
                        out[o + 2] = rest == 2 ? table[Int(word >> 6 & 63)] : UInt8(ascii: "=")
                        out[o + 3] = UInt8(ascii: "=")
                        o += 4
                    }
                    initialized = o
                }
            }
        }
    }

    /// The 64 digits in order.
    static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
}
