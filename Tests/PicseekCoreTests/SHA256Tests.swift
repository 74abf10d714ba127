import Testing

@testable import PicseekCore

@Suite("SHA-256")
struct SHA256Tests {
    @Test("matches the FIPS 180-4 example digests")
    func fipsVectors() {
        #expect(
            SHA256.hex(of: Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(of: [UInt8]())
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let long =
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(
            SHA256.hex(of: Array(long.utf8))
                == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test("hashes a million 'a' fed in uneven pieces like one message")
    func millionA() {
        var h = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 999)
        var left = 1_000_000
        while left > 0 {
            let n = min(left, chunk.count - (left % 7))
            h.update(Array(chunk.prefix(n)))
            left -= n
        }
        #expect(
            h.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("gives the same digest for every split point around block boundaries")
    func splits() {
        let message = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hex(of: message)
        for cut in [0, 1, 55, 56, 63, 64, 65, 127, 128, 199, 200] {
            var h = SHA256()
            h.update(Array(message.prefix(cut)))
            h.update(Array(message.dropFirst(cut)))
            #expect(h.finalizeHex() == whole, "split at \(cut)")
        }
    }

    @Test("recognises 64-digit hex digests only")
    func hexDigest() {
        #expect(SHA256.isHexDigest(String(repeating: "a", count: 64)))
        #expect(!SHA256.isHexDigest(String(repeating: "a", count: 40)))
        #expect(!SHA256.isHexDigest(String(repeating: "g", count: 64)))
    }
}
