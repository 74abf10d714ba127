import Foundation
import GRDB
import PicseekCore

/// A photo whose content has no recognised text yet.
public struct PendingText: Equatable, Sendable {
    /// Photo row id (one of the photos with this content).
    public var photoID: Int64
    /// Raw path of that photo.
    public var path: [UInt8]
    /// SHA-256 of the content.
    public var contentHash: [UInt8]
}

/// A photo whose recognised text matched a query.
public struct TextHit: Equatable, Sendable {
    /// Photo row id.
    public var photoID: Int64
    /// Raw path.
    public var path: [UInt8]
    /// The matched text around the match, the match in [brackets].
    public var snippet: String
    /// Higher is better: -bm25 for full-text matches, the number of term matches otherwise.
    public var score: Double
}

/// How far the OCR pass has come.
public struct TextProgress: Equatable, Sendable {
    /// Distinct photo contents with vectors whose text has been read (or failed).
    public var done: Int
    /// Distinct photo contents with vectors still waiting to be read.
    public var pending: Int

    /// Creates counts.
    public init(done: Int, pending: Int) {
        self.done = done
        self.pending = pending
    }
}

extension IndexStore {
    /// Photos with at least one vector and no recognised text for their content, one per
    /// content, oldest rows first, at most `limit`.
    public func photosNeedingText(limit: Int) throws -> [PendingText] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT min(p.id) AS id, p.path, p.content_hash FROM photos p
                    WHERE p.error IS NULL AND p.content_hash IS NOT NULL
                      AND EXISTS (SELECT 1 FROM embeddings e WHERE e.photo_id = p.id)
                      AND NOT EXISTS (SELECT 1 FROM ocr_texts t WHERE t.content_hash = p.content_hash)
                      \(Self.readsWordsClause(db))
                    GROUP BY p.content_hash ORDER BY id LIMIT ?
                    """, arguments: [limit]
            ).map { row in
                PendingText(
                    photoID: row["id"], path: [UInt8](row["path"] as Data),
                    contentHash: [UInt8](row["content_hash"] as Data))
            }
        }
    }

    /// Counts of photo contents (with vectors) read and still to read.
    public func textProgress() throws -> TextProgress {
        try read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(t.id) AS done, count(*) - count(t.id) AS pending FROM (
                        SELECT DISTINCT p.content_hash AS hash FROM photos p
                        JOIN embeddings e ON e.photo_id = p.id
                        WHERE p.error IS NULL AND p.content_hash IS NOT NULL
                        \(Self.readsWordsClause(db))
                    ) h LEFT JOIN ocr_texts t ON t.content_hash = h.hash
                    """)
            return TextProgress(done: row?["done"] ?? 0, pending: row?["pending"] ?? 0)
        }
    }

    /// `AND` a photo `p` is not under a root whose words are not read (nothing for an index
    /// made before roots had the switch and opened read-only).
    static func readsWordsClause(_ db: Database) throws -> String {
        guard try db.columns(in: "roots").contains(where: { $0.name == "reads_words" }) else {
            return ""
        }
        return """
            AND NOT EXISTS (SELECT 1 FROM roots r WHERE r.reads_words = 0
                AND (p.path = r.path OR (substr(p.path, 1, length(r.path)) = r.path
                    AND substr(p.path, length(r.path) + 1, 1) = x'2f')))
            """
    }

    /// Stores what was read from the content `hash` (replacing earlier text) and indexes its
    /// confident words; `error` records a photo that could not be read, so it is not retried.
    public func putText(_ result: RecognizedText?, error: String? = nil, for hash: [UInt8]) throws {
        let words = result?.words ?? []
        let encoded = (try? JSONEncoder().encode(words)) ?? Data("[]".utf8)
        let json = String(decoding: encoded, as: UTF8.self)
        let text = result?.text() ?? ""
        let confident = result?.text(minimumConfidence: OCRText.minimumConfidence) ?? ""
        let body = OCRText.normalize(confident)
        try write { db in
            if let old = try Int64.fetchOne(
                db, sql: "SELECT id FROM ocr_texts WHERE content_hash = ?", arguments: [Data(hash)])
            {
                try db.execute(sql: "DELETE FROM ocr_fts WHERE rowid = ?", arguments: [old])
                try db.execute(sql: "DELETE FROM ocr_texts WHERE id = ?", arguments: [old])
            }
            try db.execute(
                sql: """
                    INSERT INTO ocr_texts(content_hash, languages, text, words, timed_out, error,
                                          recognized_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(hash), result?.languages ?? "", text, json, result?.timedOut ?? false,
                    error, Date().timeIntervalSince1970,
                ])
            let id = db.lastInsertedRowID
            if !body.isEmpty {
                try db.execute(
                    sql: "INSERT INTO ocr_fts(rowid, body) VALUES (?, ?)", arguments: [id, body])
            }
        }
    }

    /// The recognised text of the content `hash`: all words with boxes, or nil when unread.
    public func recognizedText(for hash: [UInt8]) throws -> RecognizedText? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT languages, words, timed_out FROM ocr_texts WHERE content_hash = ?",
                    arguments: [Data(hash)])
            else { return nil }
            let json: String = row["words"]
            let words =
                (try? JSONDecoder().decode([RecognizedWord].self, from: Data(json.utf8))) ?? []
            return RecognizedText(
                words: words, languages: row["languages"], timedOut: row["timed_out"])
        }
    }

    /// Deletes text of contents no photo has any more; returns how many.
    @discardableResult
    public func pruneTexts() throws -> Int {
        try write { db in
            try db.execute(
                sql: """
                    DELETE FROM ocr_fts WHERE rowid IN (
                        SELECT id FROM ocr_texts t WHERE NOT EXISTS (
                            SELECT 1 FROM photos p WHERE p.content_hash = t.content_hash))
                    """)
            try db.execute(
                sql: """
                    DELETE FROM ocr_texts WHERE NOT EXISTS (
                        SELECT 1 FROM photos p WHERE p.content_hash = ocr_texts.content_hash)
                    """)
            return db.changesCount
        }
    }

    /// Photos whose confident recognised text contains every term of `query` (normalised
    /// with `OCRText`; a double-quoted part is one term), best first, at most `limit`.
    ///
    /// Terms of three or more characters go through the trigram index (ranked by bm25);
    /// shorter ones (two Chinese characters, "9:") are matched by a substring scan.
    public func searchText(_ query: String, limit: Int = 20) throws -> [TextHit] {
        let terms = OCRText.terms(query)
        guard !terms.isEmpty, limit > 0 else { return [] }
        let long = terms.filter { $0.count >= 3 }
        let short = terms.filter { $0.count < 3 }
        var sql = "SELECT p.id, p.path, f.body, "
        var arguments: [any DatabaseValueConvertible] = []
        if long.isEmpty {
            sql += "0.0 AS score FROM ocr_fts f "
        } else {
            sql += "-bm25(ocr_fts) AS score FROM ocr_fts f "
        }
        sql += """
            JOIN ocr_texts t ON t.id = f.rowid
            JOIN photos p ON p.content_hash = t.content_hash
            WHERE 1
            """
        if !long.isEmpty {
            sql += " AND ocr_fts MATCH ?"
            let phrases = long.map {
                "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            arguments.append(phrases.joined(separator: " AND "))
        }
        for term in short {
            sql += " AND instr(f.body, ?) > 0"
            arguments.append(term)
        }
        sql += " ORDER BY score DESC, p.path LIMIT ?"
        arguments.append(limit)
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                let body: String = row["body"]
                return TextHit(
                    photoID: row["id"], path: [UInt8](row["path"] as Data),
                    snippet: OCRText.snippet(body, terms: terms), score: row["score"])
            }
        }
    }
}
