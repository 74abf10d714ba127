import Foundation

/// A set of extra queries ranked against a captions file's images: a JSONL file with one
/// query per line and no image of its own.
///
/// Each line is an object with a query per language (`"en"`, `"zh"`, …; strings) and
/// `matches`, the images of the captions file (spelled as its `image` fields) that count as
/// hits for that line. Other keys are ignored. Blank lines are skipped. The demo model's
/// paraphrase set, `models/picseek-demo/eval/paraphrases.jsonl`, is one.
public struct QuerySet: Sendable {
    /// One query line.
    public struct Line: Sendable, Equatable {
        /// Queries by language key; only string values are kept.
        public var queries: [String: String]
        /// The images that are hits for this line, as written.
        public var matches: [String]
        /// 1-based line number in the file.
        public var lineNumber: Int
    }

    /// The file's name, for messages.
    public var file: String
    /// The lines, in file order.
    public var lines: [Line]

    /// Parses JSONL `data`; `file` names the file in errors.
    public init(data: Data, file: String) throws(CaptionsFileError) {
        self.file = file
        var lines: [Line] = []
        let rows = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (offset, row) in rows.enumerated() {
            let number = offset + 1
            let text = Data(row)
            if text.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            let parsed = try? JSONSerialization.jsonObject(with: text)
            guard let object = parsed as? [String: Any] else {
                throw .badLine(file: file, line: number, reason: "not a JSON object")
            }
            guard let matches = object["matches"] as? [String] else {
                throw .badLine(file: file, line: number, reason: "no \"matches\" list of strings")
            }
            var queries: [String: String] = [:]
            for (key, value) in object {
                if let s = value as? String { queries[key] = s }
            }
            lines.append(Line(queries: queries, matches: matches, lineNumber: number))
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

    /// For each line, the indices (into `gallery.lines`) of its matching images.
    ///
    /// A match naming an image that no line of `gallery` has is an error.
    public func matchIndices(in gallery: CaptionsFile) throws(CaptionsFileError) -> [[Int]] {
        let index = Dictionary(
            gallery.lines.enumerated().map { ($1.image, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [[Int]] = []
        for line in lines {
            var row: [Int] = []
            for m in line.matches {
                guard let i = index[m] else {
                    throw .unknownGalleryImage(
                        file: file, line: line.lineNumber, image: m, gallery: gallery.file)
                }
                row.append(i)
            }
            result.append(row)
        }
        return result
    }

    /// The queries of `language` in line order, or the line number of the first line
    /// without one.
    public func queries(_ language: String) -> Result<[String], CaptionsFileError> {
        var texts: [String] = []
        for line in lines {
            guard let t = line.queries[language] else {
                return .failure(
                    .missingCaption(file: file, line: line.lineNumber, language: language))
            }
            texts.append(t)
        }
        return .success(texts)
    }
}
