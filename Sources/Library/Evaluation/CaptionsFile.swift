import Foundation

/// A retrieval evaluation set: a JSONL file with one image and its captions per line.
///
/// Each line is an object with `image` (a path, relative to the file's folder
/// unless absolute), a caption per language (`"en"`, `"zh"`, …; strings) and
/// `matches`, the images (spelled as in `image`) that count as hits for that
/// line's captions. Other keys are ignored. Blank lines are skipped.
public struct CaptionsFile: Sendable {
    /// One evaluation line.
    public struct Line: Sendable, Equatable {
        /// The image as written in the file.
        public var image: String
        /// Captions by language key; only string values are kept.
        public var captions: [String: String]
        /// The images that are hits for this line's captions, as written.
        public var matches: [String]
        /// 1-based line number in the file.
        public var lineNumber: Int
    }

    /// The file's name, for messages.
    public var file: String
    /// The lines, in file order (this order breaks score ties).
    public var lines: [Line]

    /// Parses JSONL `data`; `file` names the file in errors.
    public init(data: Data, file: String) throws(CaptionsFileError) {
        self.file = file
        var lines: [Line] = []
        var seen: [String: Int] = [:]
        let rows = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (offset, row) in rows.enumerated() {
            let number = offset + 1
            let text = Data(row)
            if text.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            let object: [String: Any]
            do {
                guard let o = try JSONSerialization.jsonObject(with: text) as? [String: Any] else {
                    throw CaptionsFileError.badLine(
                        file: file, line: number, reason: "not a JSON object")
                }
                object = o
            } catch let error as CaptionsFileError {
                throw error
            } catch {
                throw .badLine(file: file, line: number, reason: "not valid JSON")
            }
            guard let image = object["image"] as? String, !image.isEmpty else {
                throw .badLine(file: file, line: number, reason: "no \"image\" string")
            }
            guard let matches = object["matches"] as? [String] else {
                throw .badLine(file: file, line: number, reason: "no \"matches\" list of strings")
            }
            if let first = seen[image] {
                throw .badLine(
                    file: file, line: number,
                    reason: "image \(image) already appears on line \(first)")
            }
            seen[image] = number
            var captions: [String: String] = [:]
            for (key, value) in object {
                if let s = value as? String, key != "image" { captions[key] = s }
            }
            lines.append(
                Line(image: image, captions: captions, matches: matches, lineNumber: number))
        }
        guard !lines.isEmpty else { throw .empty(file: file) }
        self.lines = lines
    }

    /// Reads and parses the file at `path`.
    public init(path: String) throws(CaptionsFileError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path)
        }
        try self.init(data: data, file: path)
    }

    /// For each line, the indices (into `lines`) of its matching images.
    ///
    /// A match naming an image that no line has is an error.
    public func matchIndices() throws(CaptionsFileError) -> [[Int]] {
        let index = Dictionary(uniqueKeysWithValues: lines.enumerated().map { ($1.image, $0) })
        var result: [[Int]] = []
        for line in lines {
            var row: [Int] = []
            for m in line.matches {
                guard let i = index[m] else {
                    throw .unknownMatch(file: file, line: line.lineNumber, image: m)
                }
                row.append(i)
            }
            result.append(row)
        }
        return result
    }

    /// The captions of `language` in line order, or the line number of the first
    /// line without one.
    public func captions(_ language: String) -> Result<[String], CaptionsFileError> {
        var texts: [String] = []
        for line in lines {
            guard let t = line.captions[language] else {
                return .failure(
                    .missingCaption(file: file, line: line.lineNumber, language: language))
            }
            texts.append(t)
        }
        return .success(texts)
    }
}

/// Why a captions file cannot be used.
public enum CaptionsFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String)
    case empty(file: String)
    case badLine(file: String, line: Int, reason: String)
    case unknownMatch(file: String, line: Int, image: String)
    /// A query set's match that is not an image of the captions file ranked.
    case unknownGalleryImage(file: String, line: Int, image: String, gallery: String)
    case missingCaption(file: String, line: Int, language: String)

    public var description: String {
        switch self {
        case .unreadable(let f): return "cannot read captions file \(f)"
        case .empty(let f): return "captions file \(f) has no lines"
        case .badLine(let f, let n, let reason): return "\(f) line \(n): \(reason)"
        case .unknownMatch(let f, let n, let image):
            return "\(f) line \(n): match \(image) is not the image of any line"
        case .unknownGalleryImage(let f, let n, let image, let gallery):
            return "\(f) line \(n): match \(image) is not an image of \(gallery)"
        case .missingCaption(let f, let n, let language):
            return "\(f) line \(n): no \"\(language)\" caption"
        }
    }
}
