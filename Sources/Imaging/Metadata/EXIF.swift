/// The EXIF facts picseek uses, read from a TIFF stream (JPEG APP1 or PNG eXIf).
///
/// Parsing never throws and never trusts the data: offsets are bounds-checked,
/// each IFD is visited at most once (so offset loops end), counts are checked
/// against the stream length before use, and a tag of the wrong type is
/// ignored. Anything malformed simply yields no value for that tag.
public struct EXIFData: Equatable, Sendable {
    /// Orientation tag (0x0112), 1...8; nil when absent or out of range.
    public var orientation: Int?
    /// DateTimeOriginal (0x9003) as "YYYY-MM-DD HH:MM:SS", when well formed.
    public var dateTimeOriginal: String?
    /// Make (0x010F), trimmed.
    public var make: String?
    /// Model (0x0110), trimmed.
    public var model: String?
    /// PixelXDimension (0xA002).
    public var pixelWidth: Int?
    /// PixelYDimension (0xA003).
    public var pixelHeight: Int?

    public init(
        orientation: Int? = nil, dateTimeOriginal: String? = nil, make: String? = nil,
        model: String? = nil, pixelWidth: Int? = nil, pixelHeight: Int? = nil
    ) {
        self.orientation = orientation
        self.dateTimeOriginal = dateTimeOriginal
        self.make = make
        self.model = model
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
    }

    /// Make and Model joined for display ("Canon EOS 5D"); Model alone when it
    /// already starts with Make.
    public var camera: String? {
        switch (make, model) {
        case (nil, nil): return nil
        case (let m?, nil): return m
        case (nil, let m?): return m
        case (let make?, let model?):
            return model.lowercased().hasPrefix(make.lowercased()) ? model : make + " " + model
        }
    }

    /// Parses a TIFF stream ("II*\0" or "MM\0*" header). Returns empty data on
    /// anything it cannot read.
    public static func parse(_ tiff: [UInt8]) -> EXIFData {
        var result = EXIFData()
        guard let reader = TIFFReader(tiff), let ifd0 = reader.firstIFDOffset else { return result }
        var visited = Set<Int>()
        var exifIFD: Int?
        for entry in reader.entries(at: ifd0, visited: &visited) {
            switch entry.tag {
            case 0x0112:
                if let v = reader.integer(entry), (1...8).contains(v) { result.orientation = v }
            case 0x010F: result.make = reader.ascii(entry)
            case 0x0110: result.model = reader.ascii(entry)
            case 0x8769: exifIFD = reader.integer(entry)
            default: break
            }
        }
        if let exifIFD {
            for entry in reader.entries(at: exifIFD, visited: &visited) {
                switch entry.tag {
                case 0x9003: result.dateTimeOriginal = reader.ascii(entry).flatMap(normalizedDate)
                case 0xA002: result.pixelWidth = reader.integer(entry)
                case 0xA003: result.pixelHeight = reader.integer(entry)
                default: break
                }
            }
        }
        return result
    }

    /// "YYYY:MM:DD HH:MM:SS" → "YYYY-MM-DD HH:MM:SS", or nil if not a real date.
    static func normalizedDate(_ text: String) -> String? {
        let b = Array(text.utf8)
        guard b.count >= 19 else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            b[4] == b[7], b[4] == UInt8(ascii: ":") || b[4] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            year >= 1800, (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) "
            + "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }
}

/// Bounds-checked reading of a TIFF stream's IFD entries.
struct TIFFReader {
    struct Entry {
        var tag: Int
        var type: Int
        var count: Int
        /// Offset of the entry's 4-byte value/offset field.
        var fieldOffset: Int
    }

    /// At most this many entries are read from one IFD.
    static let maxEntries = 512
    /// Longest string value kept.
    static let maxString = 256

    let bytes: [UInt8]
    let bigEndian: Bool

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 8 else { return nil }
        if bytes[0] == 0x49, bytes[1] == 0x49, bytes[2] == 0x2A, bytes[3] == 0 {
            bigEndian = false
        } else if bytes[0] == 0x4D, bytes[1] == 0x4D, bytes[2] == 0, bytes[3] == 0x2A {
            bigEndian = true
        } else {
            return nil
        }
        self.bytes = bytes
    }

    var firstIFDOffset: Int? { u32(at: 4) }

    func u16(at o: Int) -> Int? {
        guard o >= 0, o <= bytes.count - 2 else { return nil }
        let a = Int(bytes[o]), b = Int(bytes[o + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    func u32(at o: Int) -> Int? {
        guard o >= 0, o <= bytes.count - 4 else { return nil }
        let v = (0..<4).reduce(0) { acc, i in
            let byte = Int(bytes[o + (bigEndian ? i : 3 - i)])
            return acc << 8 | byte
        }
        return v
    }

    /// The entries of the IFD at `offset`; empty if the offset is out of range
    /// or was already visited.
    func entries(at offset: Int, visited: inout Set<Int>) -> [Entry] {
        guard offset >= 8, !visited.contains(offset), let n = u16(at: offset) else { return [] }
        visited.insert(offset)
        let count = min(n, Self.maxEntries)
        var out: [Entry] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let e = offset + 2 + 12 * i
            guard let tag = u16(at: e), let type = u16(at: e + 2), let n = u32(at: e + 4),
                e + 12 <= bytes.count
            else { break }
            out.append(Entry(tag: tag, type: type, count: n, fieldOffset: e + 8))
        }
        return out
    }

    /// Size in bytes of one value of a TIFF type, nil for unknown types.
    static func typeSize(_ type: Int) -> Int? {
        switch type {
        case 1, 2, 6, 7: return 1
        case 3, 8: return 2
        case 4, 9, 11: return 4
        case 5, 10, 12: return 8
        default: return nil
        }
    }

    /// Where the entry's value bytes start, if they lie inside the stream.
    func valueOffset(_ e: Entry) -> Int? {
        guard let size = Self.typeSize(e.type), e.count > 0 else { return nil }
        let (total, overflow) = size.multipliedReportingOverflow(by: e.count)
        guard !overflow else { return nil }
        if total <= 4 { return e.fieldOffset }
        guard let o = u32(at: e.fieldOffset), o <= bytes.count, total <= bytes.count - o
        else { return nil }
        return o
    }

    /// The first value of a SHORT or LONG entry.
    func integer(_ e: Entry) -> Int? {
        guard let o = valueOffset(e) else { return nil }
        switch e.type {
        case 3: return u16(at: o)
        case 4: return u32(at: o)
        default: return nil
        }
    }

    /// An ASCII entry up to its first NUL, trimmed; nil if empty or not ASCII type.
    func ascii(_ e: Entry) -> String? {
        guard e.type == 2, let o = valueOffset(e) else { return nil }
        let end = o + min(e.count, Self.maxString)
        var raw = bytes[o..<end]
        if let nul = raw.firstIndex(of: 0) { raw = raw[o..<nul] }
        let text = String(decoding: raw, as: UTF8.self)
            .trimmingCharacters(in: " \t\r\n")
        return text.isEmpty ? nil : text
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let drop = Set(set.unicodeScalars)
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop.contains($0) }),
            let last = scalars.lastIndex(where: { !drop.contains($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
