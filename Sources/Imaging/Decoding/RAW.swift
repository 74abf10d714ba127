/// Why a camera RAW file's embedded preview could not be read.
public enum RAWError: Error, Equatable, CustomStringConvertible {
    /// The container's structure is broken: a directory loop, a count or a box size that
    /// lies, nesting past the limits, a preview that is not a JPEG.
    case corrupt(message: String)
    /// An offset or a length points past the end of the file.
    case truncated(message: String)
    /// The file is well formed but holds no embedded JPEG preview picseek can read.
    case noPreview(message: String)

    /// The reason, lowercase, e.g. "truncated raw: preview at offset 900 runs past ...".
    public var description: String {
        switch self {
        case .corrupt(let m): return "corrupt raw: \(m)"
        case .truncated(let m): return "truncated raw: \(m)"
        case .noPreview(let m): return "raw without a readable preview: \(m)"
        }
    }
}

/// The camera RAW containers whose embedded preview picseek reads.
public enum RAWContainer: String, Equatable, Sendable {
    /// A TIFF whose directories describe a raw sensor image (a CFA or linear-raw
    /// photometric, or a DNGVersion tag): DNG, NEF, ARW, PEF, SRW and the like.
    case tiff = "tiff-based raw"
    /// Canon CR2: a TIFF with "CR" after the header.
    case cr2
    /// Olympus ORF: a TIFF with the "IIRO", "IIRS" or "MMOR" magic.
    case orf
    /// Panasonic RW2: a TIFF with the "IIU" magic.
    case rw2
    /// Fujifilm RAF: its own header with the JPEG's offset and length.
    case raf
    /// Canon CR3: ISO base media boxes with a `PRVW` preview box and a full-size JPEG track.
    case cr3
}

/// Where a RAW file's preview JPEG lies and what the RAW's own directories say.
public struct RAWPreview: Equatable, Sendable {
    /// The container it was found in.
    public var container: RAWContainer
    /// Byte offset of the preview JPEG in the file.
    public var offset: Int
    /// Byte length of the preview JPEG.
    public var length: Int
    /// The preview's stored width, from its frame header.
    public var width: Int
    /// The preview's stored height, from its frame header.
    public var height: Int
    /// Orientation, make, model and date from the RAW's own directories (IFD0 and its
    /// EXIF directory, CR3's `CMT1`/`CMT2`); nil when the container has none (RAF).
    public var exif: EXIFData?
    /// The raw sensor image's stored width and height, where the container says it.
    public var sensorWidth: Int?
    /// See `sensorWidth`.
    public var sensorHeight: Int?

    /// The preview's byte range in the file.
    public var range: Range<Int> { offset..<(offset + length) }
}

/// Camera RAW files read through their embedded preview JPEG, in pure Swift.
///
/// Every offset and length is checked against the file; directories are visited at most
/// once (a loop is reported), nesting, directory, entry and box counts are capped. A
/// problem on one branch does not hide a good preview on another: only when no readable
/// preview is found is the first problem met reported.
public enum RAW {
    /// Most image directories read from one file.
    public static let maxIFDs = 64
    /// Deepest SubIFD nesting followed (IFD0 is depth 0).
    public static let maxDepth = 4
    /// Most entries one directory may declare.
    public static let maxEntries = 1024
    /// Most SubIFD offsets followed from one directory.
    public static let maxSubIFDs = 32
    /// Most ISO BMFF boxes read from a CR3.
    public static let maxBoxes = 4096
    /// Deepest ISO BMFF box nesting followed.
    public static let maxBoxDepth = 8

    /// The RAW container `bytes` hold, or nil when they are not a camera RAW (a plain
    /// TIFF is not: only one whose directories describe a raw sensor image is).
    public static func container(_ bytes: [UInt8]) -> RAWContainer? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            guard bytes.count >= offset + prefix.count else { return false }
            for (i, b) in prefix.enumerated() where bytes[offset + i] != b { return false }
            return true
        }
        if starts(Array("FUJIFILMCCD-RAW".utf8)) { return .raf }
        if starts(Array("ftypcrx ".utf8), at: 4) { return .cr3 }
        if starts(Array("IIRO".utf8)) || starts(Array("IIRS".utf8)) || starts(Array("MMOR".utf8)) {
            return .orf
        }
        if starts([0x49, 0x49, 0x55, 0x00]) { return .rw2 }
        let le = starts([0x49, 0x49, 0x2A, 0x00])
        guard le || starts([0x4D, 0x4D, 0x00, 0x2A]) else { return nil }
        if le && starts(Array("CR".utf8), at: 8) { return .cr2 }
        var walker = IFDWalker(TIFFReader(bytes: bytes, bigEndian: !le))
        walker.walkChain()
        let raw = walker.ifds.contains { $0.dngVersion || $0.isRawImage }
        return raw ? .tiff : nil
    }

    /// Finds the largest embedded preview JPEG and the RAW's own metadata.
    public static func preview(_ bytes: [UInt8]) throws(RAWError) -> RAWPreview {
        guard let container = container(bytes) else {
            throw .noPreview(message: "not a camera raw file")
        }
        switch container {
        case .raf: return try raf(bytes)
        case .cr3: return try cr3(bytes)
        default: return try tiff(bytes, container: container)
        }
    }

    // MARK: TIFF-structured containers

    static func tiff(_ bytes: [UInt8], container: RAWContainer) throws(RAWError) -> RAWPreview {
        let bigEndian = bytes.count > 0 && bytes[0] == 0x4D
        var walker = IFDWalker(TIFFReader(bytes: bytes, bigEndian: bigEndian))
        walker.walkChain()
        var problems = walker.problems
        var candidates: [Candidate] = []
        for ifd in walker.ifds {
            for (offset, length) in ifd.previewRanges {
                switch Candidate.check(bytes, offset: offset, length: length) {
                case .success(let c?): candidates.append(c)
                case .success(nil): break
                case .failure(let e): problems.append(e)
                }
            }
        }
        let ifd0 = walker.ifds.first { $0.depth == 0 }
        if container == .orf, let note = ifd0?.makerNote,
            let (offset, length) = olympusPreview(bytes, makerNote: note)
        {
            switch Candidate.check(bytes, offset: offset, length: length) {
            case .success(let c?): candidates.append(c)
            case .success(nil): break
            case .failure(let e): problems.append(e)
            }
        }
        guard let best = Candidate.largest(candidates) else {
            throw problems.first ?? .noPreview(message: "no embedded jpeg preview found")
        }
        var exif = EXIFData()
        exif.orientation = ifd0?.orientation
        exif.make = ifd0?.make
        exif.model = ifd0?.model
        exif.dateTimeOriginal =
            walker.ifds.lazy.compactMap(\.dateTimeOriginal).first ?? ifd0?.dateTime
        var sensor = walker.ifds.filter(\.isRawImage).compactMap(\.size).max {
            $0.0 * $0.1 < $1.0 * $1.1
        }
        if container == .rw2, let s = ifd0?.panasonicSensor { sensor = s }
        if container == .orf, sensor == nil, let ifd0, ifd0.previewRanges.isEmpty {
            sensor = ifd0.size
        }
        return RAWPreview(
            container: container, offset: best.offset, length: best.length, width: best.width,
            height: best.height, exif: exif, sensorWidth: sensor?.0, sensorHeight: sensor?.1)
    }

    /// Olympus keeps its large preview in the maker note: "OLYMPUS\0" and a byte order
    /// mark, a directory at 12 whose tag 0x2020 (CameraSettings) points to a directory with
    /// PreviewImageStart (0x101) and PreviewImageLength (0x102), all offsets from the maker
    /// note's start. Returns the preview's file offset and length, unchecked.
    static func olympusPreview(_ bytes: [UInt8], makerNote: (Int, Int)) -> (Int, Int)? {
        let (start, count) = makerNote
        guard count >= 16, start >= 0, start <= bytes.count, count <= bytes.count - start
        else { return nil }
        let note = Array(bytes[start..<(start + count)])
        guard note.starts(with: Array("OLYMPUS".utf8) + [0]) else { return nil }
        let reader = TIFFReader(bytes: note, bigEndian: note[8] == 0x4D)
        var visited = Set<Int>()
        guard
            let settings = reader.entries(at: 12, visited: &visited)
                .first(where: { $0.tag == 0x2020 && $0.count == 1 })
                .flatMap({ reader.u32(at: $0.fieldOffset) })
        else { return nil }
        var offset: Int?
        var length: Int?
        for e in reader.entries(at: settings, visited: &visited) where e.count == 1 {
            if e.tag == 0x0101 { offset = reader.integer(e) }
            if e.tag == 0x0102 { length = reader.integer(e) }
        }
        guard let offset, let length, offset > 0 else { return nil }
        return (start + offset, length)
    }

    // MARK: Fujifilm RAF

    /// RAF: "FUJIFILMCCD-RAW " header; big-endian JPEG offset and length at 84 and 88,
    /// the CFA header's offset and length at 92 and 96 (its record 0x100 holds the raw
    /// height and width).
    static func raf(_ bytes: [UInt8]) throws(RAWError) -> RAWPreview {
        guard bytes.count >= 100 else {
            throw .truncated(message: "raf header ends at byte \(bytes.count) of 100")
        }
        let offset = be32(bytes, 84), length = be32(bytes, 88)
        let found: Candidate
        switch Candidate.check(bytes, offset: offset, length: length) {
        case .success(let c?): found = c
        case .success(nil):
            throw .noPreview(message: "the raf preview at offset \(offset) is not a baseline jpeg")
        case .failure(let e): throw e
        }
        var sensor: (Int, Int)?
        let cfa = be32(bytes, 92), cfaLength = be32(bytes, 96)
        if cfa > 0, cfa <= bytes.count - 4, cfaLength <= bytes.count - cfa {
            let end = cfa + cfaLength
            let records = min(be32(bytes, cfa), 256)
            var at = cfa + 4
            for _ in 0..<records {
                guard at + 4 <= end else { break }
                let tag = be16(bytes, at), size = be16(bytes, at + 2)
                guard at + 4 + size <= end else { break }
                if tag == 0x100, size >= 4 {
                    let h = be16(bytes, at + 4), w = be16(bytes, at + 6)
                    if w > 0 && h > 0 { sensor = (w, h) }
                }
                at += 4 + size
            }
        }
        return RAWPreview(
            container: .raf, offset: found.offset, length: found.length, width: found.width,
            height: found.height, exif: nil, sensorWidth: sensor?.0, sensorHeight: sensor?.1)
    }

    // MARK: Canon CR3

    /// The `uuid` of CR3's preview box (top level; holds a `PRVW` box).
    static let previewUUID: [UInt8] = [
        0xEA, 0xF4, 0x2B, 0x5E, 0x1C, 0x98, 0x4B, 0x88, 0xB9, 0xFB, 0xB7, 0xDC, 0x40, 0x6E, 0x4D,
        0x16,
    ]
    /// The `uuid` of Canon's metadata box inside `moov` (holds `CMT1`...`CMT4`).
    static let canonUUID: [UInt8] = [
        0x85, 0xC0, 0xB6, 0x87, 0x82, 0x0F, 0x11, 0xE0, 0x81, 0x11, 0xF4, 0xCE, 0x46, 0x2B, 0x6A,
        0x48,
    ]

    static func cr3(_ bytes: [UInt8]) throws(RAWError) -> RAWPreview {
        var reader = BoxReader(bytes: bytes)
        let (top, cut) = reader.leadingBoxes(in: 0..<bytes.count, depth: 0)
        var candidates: [Candidate] = []
        var problems: [RAWError] = cut.map { [$0] } ?? []
        var exif: EXIFData?
        for box in top {
            do {
                if box.type == "moov" {
                    exif =
                        try cr3Movie(
                            &reader, box, candidates: &candidates, problems: &problems) ?? exif
                } else if box.type == "uuid", reader.uuid(box) == previewUUID {
                    try cr3PreviewBox(&reader, box, candidates: &candidates, problems: &problems)
                }
            } catch {
                problems.append(error)
            }
        }
        guard let best = Candidate.largest(candidates) else {
            throw problems.first ?? .noPreview(message: "no PRVW preview box in the cr3")
        }
        // CMT2's PixelXDimension and PixelYDimension: the full-size image's.
        let size = exif.flatMap { e in e.pixelWidth.flatMap { w in e.pixelHeight.map { (w, $0) } } }
        return RAWPreview(
            container: .cr3, offset: best.offset, length: best.length, width: best.width,
            height: best.height, exif: exif, sensorWidth: size?.0, sensorHeight: size?.1)
    }

    /// `moov`: Canon's metadata box (returned) and the tracks' first samples (candidates).
    static func cr3Movie(
        _ reader: inout BoxReader, _ box: BoxReader.Box, candidates: inout [Candidate],
        problems: inout [RAWError]
    ) throws(RAWError) -> EXIFData? {
        let bytes = reader.bytes
        var exif: EXIFData?
        for inner in try reader.boxes(in: box.payload, depth: 1) {
            do {
                if inner.type == "uuid" && reader.uuid(inner) == canonUUID {
                    let start = inner.payload.lowerBound + 16
                    exif = cr3Metadata(
                        bytes, try reader.boxes(in: start..<inner.payload.upperBound, depth: 2))
                } else if inner.type == "trak",
                    let (offset, length) = try trackSample(&reader, inner)
                {
                    // The full-size JPEG track; the raw (CRX) tracks do not start like a
                    // JPEG and are passed over.
                    let jpeg =
                        offset >= 0 && offset <= bytes.count - 3
                        && bytes[offset] == 0xFF && bytes[offset + 1] == 0xD8
                        && bytes[offset + 2] == 0xFF
                    guard jpeg || offset > bytes.count - 3 else { continue }
                    switch Candidate.check(bytes, offset: offset, length: length) {
                    case .success(let c?): candidates.append(c)
                    case .success(nil): break
                    case .failure(let e): problems.append(e)
                    }
                }
            } catch {
                // One broken box costs only what it holds.
                problems.append(error)
            }
        }
        return exif
    }

    /// The preview `uuid` box: 16 bytes of uuid and 8 more, then the `PRVW` box.
    static func cr3PreviewBox(
        _ reader: inout BoxReader, _ box: BoxReader.Box, candidates: inout [Candidate],
        problems: inout [RAWError]
    ) throws(RAWError) {
        let bytes = reader.bytes
        let start = box.payload.lowerBound + 24
        guard start <= box.payload.upperBound else {
            throw .truncated(message: "cr3 preview box at offset \(box.offset) is empty")
        }
        for prvw in try reader.boxes(in: start..<box.payload.upperBound, depth: 1)
        where prvw.type == "PRVW" {
            // u32, u16, width u16, height u16, u16, jpeg length u32, jpeg.
            let p = prvw.payload
            guard p.count >= 16 else {
                problems.append(
                    .truncated(message: "cr3 PRVW box at offset \(prvw.offset) is cut short"))
                continue
            }
            let length = be32(bytes, p.lowerBound + 12)
            guard length <= p.count - 16 else {
                problems.append(
                    .truncated(
                        message: "cr3 preview of \(length) bytes overruns its PRVW box "
                            + "at offset \(prvw.offset)"))
                continue
            }
            switch Candidate.check(bytes, offset: p.lowerBound + 16, length: length) {
            case .success(let c?): candidates.append(c)
            case .success(nil): break
            case .failure(let e): problems.append(e)
            }
        }
    }

    /// The first sample of a track (`trak` > `mdia` > `minf` > `stbl`): its offset from
    /// `co64` or `stco` and its size from `stsz`; nil when the track has no such tables.
    static func trackSample(
        _ reader: inout BoxReader, _ trak: BoxReader.Box
    ) throws(RAWError) -> (Int, Int)? {
        let b = reader.bytes
        var parent = trak
        for (name, depth) in [("mdia", 2), ("minf", 3), ("stbl", 4)] {
            guard
                let next = try reader.boxes(in: parent.payload, depth: depth).first(where: {
                    $0.type == name
                })
            else { return nil }
            parent = next
        }
        let table = try reader.boxes(in: parent.payload, depth: 5)
        // stsz: version and flags, sample size (0: sizes listed), count, sizes.
        guard let stsz = table.first(where: { $0.type == "stsz" })?.payload, stsz.count >= 12
        else { return nil }
        var size = be32(b, stsz.lowerBound + 4)
        if size == 0 {
            guard stsz.count >= 16 else { return nil }
            size = be32(b, stsz.lowerBound + 12)
        }
        // co64 or stco: version and flags, count, offsets (64 or 32 bits).
        if let co64 = table.first(where: { $0.type == "co64" })?.payload, co64.count >= 16 {
            let high = be32(b, co64.lowerBound + 8), low = be32(b, co64.lowerBound + 12)
            guard high < 1 << 20 else { return (Int.max, size) }
            return (high << 32 | low, size)
        }
        if let stco = table.first(where: { $0.type == "stco" })?.payload, stco.count >= 12 {
            return (be32(b, stco.lowerBound + 8), size)
        }
        return nil
    }

    /// CMT1 is a TIFF stream holding IFD0 (orientation, make, model); CMT2 one whose first
    /// directory is the EXIF directory (DateTimeOriginal, PixelXDimension, PixelYDimension).
    static func cr3Metadata(_ bytes: [UInt8], _ boxes: [BoxReader.Box]) -> EXIFData? {
        var exif: EXIFData?
        for box in boxes where box.type == "CMT1" {
            exif = EXIFData.parse(Array(bytes[box.payload]))
        }
        for box in boxes where box.type == "CMT2" {
            guard let r = TIFFReader(Array(bytes[box.payload])), let first = r.firstIFDOffset
            else { continue }
            var visited = Set<Int>()
            var data = exif ?? EXIFData()
            for e in r.entries(at: first, visited: &visited) {
                switch e.tag {
                case 0x9003: data.dateTimeOriginal = r.ascii(e).flatMap(EXIFData.normalizedDate)
                case 0xA002: data.pixelWidth = r.integer(e).flatMap { $0 > 0 ? $0 : nil }
                case 0xA003: data.pixelHeight = r.integer(e).flatMap { $0 > 0 ? $0 : nil }
                default: break
                }
            }
            exif = data
        }
        return exif
    }

    // MARK: Helpers

    static func be16(_ b: [UInt8], _ o: Int) -> Int {
        guard o >= 0, o <= b.count - 2 else { return 0 }
        return Int(b[o]) << 8 | Int(b[o + 1])
    }

    static func be32(_ b: [UInt8], _ o: Int) -> Int {
        guard o >= 0, o <= b.count - 4 else { return 0 }
        return Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
    }
}

/// A checked preview: a baseline or progressive JPEG lying wholly inside the file.
struct Candidate {
    var offset: Int
    var length: Int
    var width: Int
    var height: Int

    /// The largest by pixels, then by bytes.
    static func largest(_ all: [Candidate]) -> Candidate? {
        all.max { ($0.width * $0.height, $0.length) < ($1.width * $1.height, $1.length) }
    }

    /// The candidate at `offset`, nil when the bytes are a JPEG but not one libjpeg reads
    /// as a picture (a lossless raw stream, as CR2 stores its sensor data), or the problem.
    static func check(_ b: [UInt8], offset: Int, length: Int) -> Result<Candidate?, RAWError> {
        guard length > 0 else {
            return .failure(.corrupt(message: "preview at offset \(offset) has no bytes"))
        }
        guard offset >= 0, offset <= b.count, length <= b.count - offset else {
            return .failure(
                .truncated(
                    message: "preview at offset \(offset) (\(length) bytes) runs past the end "
                        + "of the file (\(b.count) bytes)"))
        }
        let end = offset + length
        guard length >= 4, b[offset] == 0xFF, b[offset + 1] == 0xD8, b[offset + 2] == 0xFF else {
            return .failure(.corrupt(message: "preview at offset \(offset) is not a jpeg"))
        }
        var i = offset + 2
        while i + 4 <= end {
            guard b[i] == 0xFF else { break }
            let marker = b[i + 1]
            if marker == 0xFF {
                i += 1
                continue
            }
            if marker == 0x01 || (0xD0...0xD8).contains(marker) {
                i += 2
                continue
            }
            let size = RAW.be16(b, i + 2)
            guard size >= 2 else { break }
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard i + 9 <= end else { break }
                let h = RAW.be16(b, i + 5), w = RAW.be16(b, i + 7)
                guard w > 0, h > 0 else {
                    return .failure(
                        .corrupt(message: "preview at offset \(offset) has a frame of no pixels"))
                }
                return .success(Candidate(offset: offset, length: length, width: w, height: h))
            case 0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF: return .success(nil)
            case 0xDA, 0xD9: break
            default:
                i += 2 + size
                continue
            }
            break
        }
        return .failure(.corrupt(message: "preview at offset \(offset) has no jpeg frame header"))
    }
}

/// One image directory's tags that matter for previews and metadata.
struct RawIFD {
    var offset: Int
    var depth: Int
    var width: Int?
    var height: Int?
    var compression: Int?
    var photometric: Int?
    var stripOffsets: [Int] = []
    var stripByteCounts: [Int] = []
    var jpegOffset: Int?
    var jpegLength: Int?
    /// Panasonic's JpgFromRaw (tag 0x2E, UNDEFINED bytes): offset and length.
    var panasonicJPEG: (Int, Int)?
    var panasonicSensor: (Int, Int)?
    /// The EXIF directory's MakerNote (0x927C): offset and length.
    var makerNote: (Int, Int)?
    var sensorWidthTag: Int?
    var orientation: Int?
    var make: String?
    var model: String?
    var dateTime: String?
    var dateTimeOriginal: String?
    var dngVersion = false
    /// CR2's raw slice tag: the strips are the lossless sensor data.
    var canonSlices = false

    var size: (Int, Int)? {
        guard let width, let height, width > 0, height > 0 else { return nil }
        return (width, height)
    }

    /// A colour filter array or linear raw image: the sensor data itself.
    var isRawImage: Bool { photometric == 32803 || photometric == 34892 }

    /// The byte ranges that may hold a preview JPEG.
    var previewRanges: [(Int, Int)] {
        var out: [(Int, Int)] = []
        if let jpegOffset, let jpegLength { out.append((jpegOffset, jpegLength)) }
        if let panasonicJPEG { out.append(panasonicJPEG) }
        let jpegCompressed = compression == 6 || compression == 7
        if jpegCompressed, !isRawImage, !canonSlices, let first = stripOffsets.first,
            stripOffsets.count == stripByteCounts.count
        {
            // One strip, or strips that follow each other: one JPEG stream.
            var end = first
            var contiguous = true
            for (o, n) in zip(stripOffsets, stripByteCounts) {
                if o != end { contiguous = false }
                let (sum, overflow) = o.addingReportingOverflow(n)
                end = overflow ? Int.max : sum
            }
            if contiguous { out.append((first, end - first)) }
        }
        return out
    }
}

/// Walks IFD0's chain, SubIFDs and the EXIF directory with limits, recording problems.
struct IFDWalker {
    let r: TIFFReader
    var ifds: [RawIFD] = []
    var problems: [RAWError] = []
    var visited = Set<Int>()

    init(_ reader: TIFFReader) { r = reader }

    mutating func walkChain() {
        guard let first = r.u32(at: 4) else {
            problems.append(.truncated(message: "tiff header ends at byte \(r.bytes.count)"))
            return
        }
        var pending: [(offset: Int, depth: Int, exif: Bool)] = [(first, 0, false)]
        while let next = pending.popLast() {
            guard visited.count < RAW.maxIFDs else {
                problems.append(.corrupt(message: "more than \(RAW.maxIFDs) image directories"))
                return
            }
            guard next.depth <= RAW.maxDepth else {
                problems.append(
                    .corrupt(message: "sub-directories nested deeper than \(RAW.maxDepth) levels"))
                continue
            }
            guard let read = directory(at: next.offset, depth: next.depth) else { continue }
            if next.exif {
                if let i = ifds.firstIndex(where: { $0.depth == 0 }) {
                    ifds[i].dateTimeOriginal = ifds[i].dateTimeOriginal ?? read.ifd.dateTimeOriginal
                    ifds[i].makerNote = ifds[i].makerNote ?? read.ifd.makerNote
                }
                continue
            }
            ifds.append(read.ifd)
            // Pushed in reverse so that the chain is read before sub-directories.
            for sub in read.subIFDs.reversed() { pending.append((sub, next.depth + 1, false)) }
            if let e = read.exifIFD { pending.append((e, next.depth + 1, true)) }
            if let n = read.next, n != 0 { pending.append((n, next.depth, false)) }
        }
    }

    /// Reads the directory at `offset`; nil (with a problem recorded) when it cannot.
    mutating func directory(
        at offset: Int, depth: Int
    ) -> (ifd: RawIFD, subIFDs: [Int], exifIFD: Int?, next: Int?)? {
        let size = r.bytes.count
        guard offset >= 8, offset <= size - 2, let n = r.u16(at: offset) else {
            problems.append(
                .truncated(
                    message: "image directory at offset \(offset) lies past the end of the file "
                        + "(\(size) bytes)"))
            return nil
        }
        guard !visited.contains(offset) else {
            problems.append(
                .corrupt(message: "directory loop: the directory at offset \(offset) comes back"))
            return nil
        }
        visited.insert(offset)
        guard n <= RAW.maxEntries else {
            problems.append(
                .corrupt(
                    message: "image directory at offset \(offset) declares \(n) entries "
                        + "(at most \(RAW.maxEntries))"))
            return nil
        }
        guard 12 * n <= size - offset - 2 else {
            problems.append(
                .truncated(
                    message: "image directory at offset \(offset) with \(n) entries runs past "
                        + "the end of the file"))
            return nil
        }
        var ifd = RawIFD(offset: offset, depth: depth)
        var subIFDs: [Int] = []
        var exifIFD: Int?
        for i in 0..<n {
            let at = offset + 2 + 12 * i
            guard let tag = r.u16(at: at), let type = r.u16(at: at + 2),
                let count = r.u32(at: at + 4)
            else { break }
            let e = TIFFReader.Entry(tag: tag, type: type, count: count, fieldOffset: at + 8)
            switch tag {
            case 0x0100: ifd.width = value(e)
            case 0x0101: ifd.height = value(e)
            case 0x0103: ifd.compression = value(e)
            case 0x0106: ifd.photometric = value(e)
            case 0x0111: ifd.stripOffsets = values(e, limit: 256)
            case 0x0117: ifd.stripByteCounts = values(e, limit: 256)
            case 0x0201: ifd.jpegOffset = value(e)
            case 0x0202: ifd.jpegLength = value(e)
            case 0x0112:
                if let v = value(e), (1...8).contains(v) { ifd.orientation = v }
            case 0x010F: ifd.make = r.ascii(e)
            case 0x0110: ifd.model = r.ascii(e)
            case 0x0132: ifd.dateTime = r.ascii(e).flatMap(EXIFData.normalizedDate)
            case 0x9003: ifd.dateTimeOriginal = r.ascii(e).flatMap(EXIFData.normalizedDate)
            case 0xC612: ifd.dngVersion = true
            case 0xC640: ifd.canonSlices = true
            case 0x8769: exifIFD = value(e)
            case 0x927C where type == 7 && count > 4:
                if let o = r.u32(at: at + 8) { ifd.makerNote = (o, count) }
            case 0x014A:
                let all = values(e, limit: RAW.maxSubIFDs + 1)
                if all.count > RAW.maxSubIFDs {
                    problems.append(
                        .corrupt(
                            message: "image directory at offset \(offset) lists more than "
                                + "\(RAW.maxSubIFDs) sub-directories"))
                }
                subIFDs = Array(all.prefix(RAW.maxSubIFDs))
            case 0x0002 where r.bytes[2] == 0x55: ifd.sensorWidthTag = value(e)
            case 0x0003 where r.bytes[2] == 0x55:
                if let w = ifd.sensorWidthTag, let h = value(e), w > 0, h > 0 {
                    ifd.panasonicSensor = (w, h)
                }
            case 0x002E where r.bytes[2] == 0x55 && type == 7:
                if count <= 4 { break }
                ifd.panasonicJPEG = (r.u32(at: at + 8) ?? 0, count)
            default: break
            }
        }
        let next = r.u32(at: offset + 2 + 12 * n)
        return (ifd, subIFDs, exifIFD, next)
    }

    /// The first value of a SHORT, LONG or IFD entry.
    func value(_ e: TIFFReader.Entry) -> Int? {
        values(e, limit: 1).first
    }

    /// Up to `limit` values of a SHORT, LONG or IFD entry whose data lies in the file.
    func values(_ e: TIFFReader.Entry, limit: Int) -> [Int] {
        let size: Int
        switch e.type {
        case 3: size = 2
        case 4, 13: size = 4
        default: return []
        }
        guard e.count > 0, e.count <= r.bytes.count else { return [] }
        let total = size * e.count
        let start: Int
        if total <= 4 {
            start = e.fieldOffset
        } else {
            guard let o = r.u32(at: e.fieldOffset), o <= r.bytes.count, total <= r.bytes.count - o
            else { return [] }
            start = o
        }
        var out: [Int] = []
        for i in 0..<min(e.count, limit) {
            let v = size == 2 ? r.u16(at: start + 2 * i) : r.u32(at: start + 4 * i)
            guard let v else { break }
            out.append(v)
        }
        return out
    }
}

extension TIFFReader {
    /// A reader over a TIFF-structured stream whose magic is not the standard one
    /// (ORF's "IIRO", RW2's "IIU"): the byte order is given.
    init(bytes: [UInt8], bigEndian: Bool) {
        self.bytes = bytes
        self.bigEndian = bigEndian
    }
}

/// Bounds-checked ISO BMFF box reading for CR3, with box-count and depth caps.
struct BoxReader {
    struct Box {
        var type: String
        var offset: Int
        var payload: Range<Int>
    }

    let bytes: [UInt8]
    var count = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The 16-byte user type of a `uuid` box, or empty when the box is too short.
    func uuid(_ box: Box) -> [UInt8] {
        guard box.payload.count >= 16 else { return [] }
        return Array(bytes[box.payload.lowerBound..<(box.payload.lowerBound + 16)])
    }

    /// The boxes laid end to end in `range`; a size that lies is an error.
    mutating func boxes(in range: Range<Int>, depth: Int) throws(RAWError) -> [Box] {
        var out: [Box] = []
        try read(range, depth: depth, into: &out)
        return out
    }

    /// The boxes before the first one whose size lies, and the problem with that one (a
    /// file cut short keeps the boxes it still holds whole).
    mutating func leadingBoxes(in range: Range<Int>, depth: Int) -> ([Box], RAWError?) {
        var out: [Box] = []
        do { try read(range, depth: depth, into: &out) } catch { return (out, error) }
        return (out, nil)
    }

    private mutating func read(
        _ range: Range<Int>, depth: Int, into out: inout [Box]
    ) throws(RAWError) {
        guard depth <= RAW.maxBoxDepth else {
            throw .corrupt(message: "boxes nested deeper than \(RAW.maxBoxDepth) levels")
        }
        var at = range.lowerBound
        while at < range.upperBound {
            count += 1
            guard count <= RAW.maxBoxes else {
                throw .corrupt(message: "more than \(RAW.maxBoxes) boxes")
            }
            guard range.upperBound - at >= 8 else {
                throw .truncated(message: "box header at offset \(at) is cut short")
            }
            let type = Self.name(bytes[(at + 4)..<(at + 8)])
            var size = RAW.be32(bytes, at)
            var header = 8
            if size == 1 {
                guard range.upperBound - at >= 16 else {
                    throw .truncated(message: "box '\(type)' at offset \(at) is cut short")
                }
                let high = RAW.be32(bytes, at + 8), low = RAW.be32(bytes, at + 12)
                guard high < 1 << 20 else {
                    throw .truncated(
                        message: "box '\(type)' at offset \(at) claims more bytes than the file has"
                    )
                }
                size = high << 32 | low
                header = 16
            } else if size == 0 {
                size = range.upperBound - at
            }
            guard size >= header else {
                throw .corrupt(message: "box '\(type)' at offset \(at) has size \(size)")
            }
            guard size <= range.upperBound - at else {
                throw .truncated(
                    message: "box '\(type)' at offset \(at) claims \(size) bytes, past the end "
                        + "of its container")
            }
            out.append(Box(type: type, offset: at, payload: (at + header)..<(at + size)))
            at += size
        }
    }

    /// A box type as text: printable ASCII kept, anything else as "?".
    static func name(_ raw: ArraySlice<UInt8>) -> String {
        String(decoding: raw.map { (0x20...0x7E).contains($0) ? $0 : 0x3F }, as: UTF8.self)
    }
}
