import Foundation
import PicseekCore

/// Text-to-image retrieval over a captions file, as `picseek eval` runs it: every image
/// embedded in file order, every caption embedded as written (no prompt template), images
/// ranked by cosine similarity, Recall@K per language.
public struct RetrievalEvaluation {
    /// The caption languages evaluated, in output order.
    public static let languages = ["en", "zh"]
    /// The K of each Recall@K.
    public static let ks = [1, 5]

    /// Recall@K of one language's captions.
    public struct LanguageResult: Sendable, Equatable {
        /// The caption language (`en`, `zh`).
        public var language: String
        /// Recall at each K of `ks`, from 0 to 1.
        public var recall: [Int: Double]

        /// A result of `language`.
        public init(language: String, recall: [Int: Double]) {
            self.language = language
            self.recall = recall
        }
    }

    /// A query set ranked against the captions file's images, with its matches
    /// (`QuerySet.matchIndices(in:)`).
    public struct ExtraQueries: Sendable {
        /// The name the report gives the set (its file name).
        public var name: String
        /// The queries.
        public var set: QuerySet
        /// For each line, the indices of its matching images in the captions file.
        public var matches: [[Int]]

        /// The set `set`, called `name`, with `matches`.
        public init(name: String, set: QuerySet, matches: [[Int]]) {
            self.name = name
            self.set = set
            self.matches = matches
        }
    }

    /// Recall@K of one query set, per language.
    public struct QuerySetResult: Sendable, Equatable {
        /// The set's name (its file name).
        public var name: String
        /// Queries per language.
        public var queries: Int
        /// One result per language with a query on every line.
        public var results: [LanguageResult]

        /// The result of the set `name` with `queries` queries per language.
        public init(name: String, queries: Int, results: [LanguageResult]) {
            self.name = name
            self.queries = queries
            self.results = results
        }
    }

    /// The captions file.
    public let set: CaptionsFile
    /// Its path as given (images are relative to its folder); named in messages.
    public let path: String

    /// An evaluation of `set`, read from `path`.
    public init(set: CaptionsFile, path: String) {
        self.set = set
        self.path = path
    }

    /// The languages with a caption on every line, with their captions in file order.
    /// Throws naming the first language's problem when no language has one everywhere.
    public func queries() throws(EvaluationError) -> [(language: String, texts: [String])] {
        var queries: [(language: String, texts: [String])] = []
        for language in Self.languages {
            if case .success(let texts) = set.captions(language) {
                queries.append((language, texts))
            }
        }
        if queries.isEmpty, case .failure(let error) = set.captions(Self.languages[0]) {
            throw EvaluationError("no language has a caption on every line (\(error))")
        }
        return queries
    }

    /// The languages with a query on every line of `extra`, with their queries in file
    /// order. Throws naming the first language's problem when no language has one everywhere.
    public static func queries(of extra: QuerySet) throws(EvaluationError)
        -> [(language: String, texts: [String])]
    {
        var queries: [(language: String, texts: [String])] = []
        for language in languages {
            if case .success(let texts) = extra.queries(language) {
                queries.append((language, texts))
            }
        }
        if queries.isEmpty, case .failure(let error) = extra.queries(languages[0]) {
            throw EvaluationError("no language has a query on every line (\(error))")
        }
        return queries
    }

    /// The whole evaluation as its report (`jsonText` or `plainText`): the captions and the
    /// `extra` query sets are checked first, then `loadEmbedder` gives the model, every image
    /// is embedded (`process` as in `embedImages`) and each language's captions, then each
    /// extra set's queries, ranked against them.
    public func report(
        matches: [[Int]], json: Bool, extra: [ExtraQueries] = [],
        loadEmbedder: () throws -> any Embedder,
        process: (String, PreprocessSpec) throws -> ProcessedPhoto
    ) throws -> String {
        let queries = try queries()
        let extraQueries = try extra.map { try Self.queries(of: $0.set) }
        let embedder = try loadEmbedder()
        let images = try embedImages(with: embedder, process: process)
        let results = try recall(
            queries: queries, matches: matches, images: images, embedder: embedder)
        var sets: [QuerySetResult] = []
        for (one, texts) in zip(extra, extraQueries) {
            var setResults: [LanguageResult] = []
            for (language, queryTexts) in texts {
                setResults.append(
                    try rank(
                        language: language, texts: queryTexts,
                        lineNumbers: one.set.lines.map(\.lineNumber), file: one.set.file,
                        matches: one.matches, images: images, embedder: embedder))
            }
            sets.append(
                QuerySetResult(name: one.name, queries: one.set.lines.count, results: setResults))
        }
        let name = embedder.model.name
        return json
            ? Self.jsonText(model: name, queries: set.lines.count, results: results, sets: sets)
            : Self.plainText(model: name, images: set.lines.count, results: results, sets: sets)
    }

    /// Every line's image through the image pipeline (`process`: a photo file's path to the
    /// model's input) and the image tower, in file order, 32 at a time.
    public func embedImages(
        with embedder: any Embedder, process: (String, PreprocessSpec) throws -> ProcessedPhoto
    ) throws(EvaluationError) -> [[Float]] {
        let base = (path as NSString).deletingLastPathComponent
        var vectors: [[Float]] = []
        vectors.reserveCapacity(set.lines.count)
        var start = 0
        while start < set.lines.count {
            let chunk = set.lines[start..<min(start + 32, set.lines.count)]
            var inputs: [[Float]] = []
            for line in chunk {
                let image =
                    line.image.hasPrefix("/")
                    ? line.image : (base as NSString).appendingPathComponent(line.image)
                do {
                    let photo = try process(image, embedder.preprocess)
                    inputs.append(photo.input)
                } catch {
                    throw EvaluationError(
                        "\(TerminalSafe.escape(path)) line \(line.lineNumber): "
                            + TerminalSafe.escape("\(error)"))
                }
            }
            do {
                vectors += try embedder.embedImages(inputs)
            } catch {
                throw EvaluationError("embedding images: \(TerminalSafe.escape("\(error)"))")
            }
            start += chunk.count
        }
        return vectors
    }

    /// Recall@K of each language's `texts` against `images`, a hit at K when one of the
    /// line's `matches` (`CaptionsFile.matchIndices`) is among the first K.
    public func recall(
        queries: [(language: String, texts: [String])], matches: [[Int]], images: [[Float]],
        embedder: any Embedder
    ) throws(EvaluationError) -> [LanguageResult] {
        var results: [LanguageResult] = []
        for (language, texts) in queries {
            results.append(
                try rank(
                    language: language, texts: texts, lineNumbers: set.lines.map(\.lineNumber),
                    file: path, matches: matches, images: images, embedder: embedder))
        }
        return results
    }

    /// Recall@K of `texts` (one per line, `lineNumbers` of `file` for messages) against
    /// `images`.
    private func rank(
        language: String, texts: [String], lineNumbers: [Int], file: String, matches: [[Int]],
        images: [[Float]], embedder: any Embedder
    ) throws(EvaluationError) -> LanguageResult {
        var scores: [[Float]] = []
        scores.reserveCapacity(texts.count)
        for (number, text) in zip(lineNumbers, texts) {
            let q: [Float]
            do {
                q = try embedder.embedText(text)
            } catch {
                throw EvaluationError(
                    "\(TerminalSafe.escape(file)) line \(number): "
                        + "cannot embed the \(language) caption: "
                        + TerminalSafe.escape("\(error)"))
            }
            scores.append(images.map { Self.dot(q, $0) })
        }
        return LanguageResult(
            language: language,
            recall: RetrievalRecall.recall(scores: scores, matches: matches, ks: Self.ks))
    }

    /// The plain report: the model and counts, then one row of Recall@K per language; then
    /// for each query set of `sets` its name and count and its rows.
    public static func plainText(
        model: String, images: Int, results: [LanguageResult], sets: [QuerySetResult] = []
    ) -> String {
        var out =
            "model \(TerminalSafe.escape(model)), \(images) images, "
            + "\(images) captions per language\n"
        let header = ks.map { "R@\($0)".padding(toLength: 6, withPad: " ", startingAt: 0) }
        out +=
            "language  " + header.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            + "\n"
        for result in results {
            out += TerminalSafe.escape(result.language)
                .padding(toLength: 10, withPad: " ", startingAt: 0)
            out += ks.map { String(format: "%.4f", result.recall[$0] ?? 0) }
                .joined(separator: "  ")
            out += "\n"
        }
        for one in sets {
            out += "\(TerminalSafe.escape(one.name)), \(one.queries) queries per language\n"
            for result in one.results {
                out += TerminalSafe.escape(result.language)
                    .padding(toLength: 10, withPad: " ", startingAt: 0)
                out += ks.map { String(format: "%.4f", result.recall[$0] ?? 0) }
                    .joined(separator: "  ")
                out += "\n"
            }
        }
        return String(out.dropLast())
    }

    /// The report as one JSON object: `{"model", "queries", "en": {"R@1", "R@5"}, ...}`,
    /// and when `sets` has any, `"query_sets": [{"file", "queries", "en": {...}, ...}]`.
    public static func jsonText(
        model: String, queries: Int, results: [LanguageResult], sets: [QuerySetResult] = []
    ) -> String {
        var fields = ["\"model\":\(JSONText.quote(model))", "\"queries\":\(queries)"]
        fields += results.map(languageField)
        if !sets.isEmpty {
            let objects = sets.map { one in
                let inner =
                    ["\"file\":\(JSONText.quote(one.name))", "\"queries\":\(one.queries)"]
                    + one.results.map(languageField)
                return "{" + inner.joined(separator: ",") + "}"
            }
            fields.append("\"query_sets\":[" + objects.joined(separator: ",") + "]")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    private static func languageField(_ result: LanguageResult) -> String {
        let inner = ks.map { "\"R@\($0)\":" + String(format: "%.4f", result.recall[$0] ?? 0) }
        return "\(JSONText.quote(result.language)):{\(inner.joined(separator: ","))}"
    }

    private static func dot(_ a: [Float], _ b: [Float]) -> Float {
        var s: Float = 0
        for i in 0..<min(a.count, b.count) { s += a[i] * b[i] }
        return s
    }
}

/// A failure of `picseek eval`: the captions file's line and what went wrong, already
/// escaped for a terminal.
public struct EvaluationError: Error, Equatable, CustomStringConvertible {
    /// The message.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
