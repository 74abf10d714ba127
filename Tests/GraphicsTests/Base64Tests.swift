import Testing

@testable import Graphics

@Suite("Base64")
struct Base64Tests {
    @Test("encodes the RFC 4648 test vectors")
    func vectors() {
        let cases: [(String, String)] = [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
        ]
        for (plain, encoded) in cases {
            #expect(Base64.encode(Array(plain.utf8)) == Array(encoded.utf8))
        }
    }

    @Test("round-trips every byte value through the test decoder")
    func allBytes() throws {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 256) }
        let decoded = try #require(TestBase64.decode(Base64.encode(bytes)))
        #expect(decoded == bytes)
    }
}

/// A strict base64 decoder for the tests.
enum TestBase64 {
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        if text.count % 4 != 0 { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < text.count {
            var word: UInt32 = 0
            var pad = 0
            for j in 0..<4 {
                let c = text[i + j]
                var v: UInt32
                switch c {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c) - 65
                case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c) - 97 + 26
                case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c) - 48 + 52
                case UInt8(ascii: "+"): v = 62
                case UInt8(ascii: "/"): v = 63
                case UInt8(ascii: "="):
                    // Padding only at the end of the last quad.
                    if i + 4 != text.count || j < 2 { return nil }
                    v = 0
                    pad += 1
                default: return nil
                }
                if pad > 0 && c != UInt8(ascii: "=") { return nil }
                word = word << 6 | v
            }
            out.append(UInt8(word >> 16))
            if pad < 2 { out.append(UInt8(word >> 8 & 0xFF)) }
            if pad < 1 { out.append(UInt8(word & 0xFF)) }
            i += 4
        }
        return out
    }
}
