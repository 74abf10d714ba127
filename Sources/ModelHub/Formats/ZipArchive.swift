import ModelFiles

/// A reader for the uncompressed ("stored") zip archives that `torch.save` writes.
///
/// Reads the central directory (with zip64 sizes and offsets) and gives each
/// entry's bytes as a view into the memory-mapped file, without copying.
/// Compressed entries are reported as unsupported: `torch.save` never writes them.
public struct ZipArchive {
    /// One file inside the archive.
    public struct Entry: Sendable {
        /// Path inside the archive, e.g. "archive/data/0".
        public var name: String
        /// Offset of the entry's bytes in the archive file.
        public var dataOffset: Int
        /// Size of the entry in bytes.
        public var size: Int
    }

    /// The archive file.
    public let file: MappedFile
    /// Entries by name.
    public private(set) var entries: [String: Entry] = [:]
    /// Entry names in central-directory order.
    public private(set) var names: [String] = []

    /// True when the file starts with a zip local-file-header signature.
    public static func looksLikeZip(_ file: MappedFile) -> Bool {
        guard file.count >= 4, let sig = try? file.littleEndian(at: 0, size: 4) else {
            return false
        }
        return sig == 0x0403_4b50
    }

    /// Opens the archive in `file`.
    public init(_ file: MappedFile) throws {
        func read(at offset: Int, size: Int) throws -> UInt64 {
            try ModelHubError.mappingFileErrors { try file.littleEndian(at: offset, size: size) }
        }
        func slice(_ range: Range<Int>) throws -> UnsafeRawBufferPointer {
            try ModelHubError.mappingFileErrors { try file.bytes(range) }
        }
        self.file = file
        let path = file.path
        func fail(_ why: String) -> ModelHubError {
            .badCheckpoint(file: path, reason: "zip: " + why)
        }
        // End of central directory: 22 bytes + comment (at most 65535).
        let searchStart = max(0, file.count - 22 - 65535)
        var eocd = -1
        var i = file.count - 22
        while i >= searchStart {
            if try read(at: i, size: 4) == 0x0605_4b50 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw fail("no end-of-central-directory record (file truncated?)") }
        var count = Int(try read(at: eocd + 10, size: 2))
        var cdSize = Int(try read(at: eocd + 12, size: 4))
        var cdOffset = Int(try read(at: eocd + 16, size: 4))
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            let locator = eocd - 20
            guard locator >= 0, try read(at: locator, size: 4) == 0x0706_4b50 else {
                throw fail("zip64 locator missing")
            }
            let z64 = Int(try read(at: locator + 8, size: 8))
            guard z64 >= 0, z64 + 56 <= file.count,
                try read(at: z64, size: 4) == 0x0606_4b50
            else { throw fail("zip64 end record missing") }
            count = Int(try read(at: z64 + 32, size: 8))
            cdSize = Int(try read(at: z64 + 40, size: 8))
            cdOffset = Int(try read(at: z64 + 48, size: 8))
        }
        guard cdOffset >= 0, cdSize >= 0, cdOffset + cdSize <= file.count else {
            throw fail("central directory lies outside the file")
        }
        var p = cdOffset
        for _ in 0..<count {
            guard try read(at: p, size: 4) == 0x0201_4b50 else {
                throw fail("bad central directory entry at offset \(p)")
            }
            let method = Int(try read(at: p + 10, size: 2))
            var compressed = UInt64(try read(at: p + 20, size: 4))
            var size = UInt64(try read(at: p + 24, size: 4))
            let nameLength = Int(try read(at: p + 28, size: 2))
            let extraLength = Int(try read(at: p + 30, size: 2))
            let commentLength = Int(try read(at: p + 32, size: 2))
            var localOffset = UInt64(try read(at: p + 42, size: 4))
            let nameBytes = try slice(p + 46..<p + 46 + nameLength)
            let name = String(decoding: nameBytes, as: UTF8.self)
            // zip64 extended information: only the fields that were 0xFFFFFFFF, in order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let tag = try read(at: e, size: 2)
                let length = Int(try read(at: e + 2, size: 2))
                if tag == 1 {
                    var q = e + 4
                    if size == 0xFFFF_FFFF { size = try read(at: q, size: 8); q += 8 }
                    if compressed == 0xFFFF_FFFF {
                        compressed = try read(at: q, size: 8); q += 8
                    }
                    if localOffset == 0xFFFF_FFFF { localOffset = try read(at: q, size: 8) }
                }
                e += 4 + length
            }
            guard method == 0 else {
                throw fail(
                    "entry \(name) is compressed (method \(method)); torch.save writes "
                        + "stored entries only")
            }
            let local = Int(localOffset)
            guard local >= 0, try read(at: local, size: 4) == 0x0403_4b50 else {
                throw fail("bad local header for entry \(name)")
            }
            let localName = Int(try read(at: local + 26, size: 2))
            let localExtra = Int(try read(at: local + 28, size: 2))
            let dataOffset = local + 30 + localName + localExtra
            guard size == compressed, Int(size) >= 0, dataOffset + Int(size) <= file.count else {
                throw fail("entry \(name) lies outside the file")
            }
            entries[name] = Entry(name: name, dataOffset: dataOffset, size: Int(size))
            names.append(name)
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The bytes of an entry, as a view into the mapped file.
    public func bytes(of entry: Entry) throws -> UnsafeRawBufferPointer {
        try ModelHubError.mappingFileErrors {
            try file.bytes(entry.dataOffset..<entry.dataOffset + entry.size)
        }
    }
}
