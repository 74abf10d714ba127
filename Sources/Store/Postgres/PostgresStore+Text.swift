import Foundation
import PicseekCore

extension PostgresStore {
    /// `(EXISTS … OR EXISTS …)`: photo `p` has a vector of some model (`false` without models).
    private func hasVectorClause(_ conn: PostgresConnection) throws -> String {
        let tables = try models(conn).map { PostgresMigrations.embeddingsTable($0.id) }
        guard !tables.isEmpty else { return "false" }
        return "("
            + tables.map { "EXISTS (SELECT 1 FROM \($0) e WHERE e.photo_id = p.id)" }
            .joined(separator: " OR ") + ")"
    }

    /// `AND` photo `p` is not under a root whose words are not read.
    private static let readsWordsClause = """
        AND NOT EXISTS (SELECT 1 FROM picseek.roots r WHERE NOT r.reads_words
            AND (p.path = r.path OR (substring(p.path FROM 1 FOR length(r.path)) = r.path
                AND (r.name IS NOT NULL
                    OR substring(p.path FROM length(r.path) + 1 FOR 1) = '\\x2f'::bytea))))
        """

    /// `AND` photo `p` can be read on this machine: an absolute path, or under a named root
    /// mounted here (the host is parameter `$host`).
    private static func readableHereClause(host: String) -> String {
        """
        AND (get_byte(p.path, 0) = 47 OR EXISTS (SELECT 1 FROM picseek.root_mounts m
            JOIN picseek.roots r ON r.id = m.root_id WHERE m.host = \(host)
            AND substring(p.path FROM 1 FOR length(r.path)) = r.path))
        """
    }

    public func photosNeedingText(limit: Int) throws -> [PendingText] {
        let paths = self.paths
        return try read { conn in
            let rows = try conn.execute(
                """
                SELECT min(p.id), (array_agg(p.path ORDER BY p.id))[1], p.content_hash
                FROM picseek.photos p
                WHERE p.error IS NULL AND p.content_hash IS NOT NULL
                  AND \(try hasVectorClause(conn))
                  AND NOT EXISTS (SELECT 1 FROM picseek.ocr_texts t
                                  WHERE t.content_hash = p.content_hash)
                  \(Self.readsWordsClause)
                  \(Self.readableHereClause(host: "$2"))
                GROUP BY p.content_hash ORDER BY 1 LIMIT $1
                """, [.int(limit), .text(host)])
            return (0..<rows.count).map { row in
                PendingText(
                    photoID: rows.int(row, 0) ?? 0, path: paths.local(rows.bytes(row, 1) ?? []),
                    contentHash: rows.bytes(row, 2) ?? [])
            }
        }
    }

    public func textProgress() throws -> TextProgress {
        try read { conn in
            let rows = try conn.execute(
                """
                SELECT count(t.id), count(*) - count(t.id) FROM (
                    SELECT DISTINCT p.content_hash AS hash FROM picseek.photos p
                    WHERE p.error IS NULL AND p.content_hash IS NOT NULL
                      AND \(try hasVectorClause(conn))
                      \(Self.readsWordsClause)
                ) h LEFT JOIN picseek.ocr_texts t ON t.content_hash = h.hash
                """)
            return TextProgress(
                done: Int(rows.int(0, 0) ?? 0), pending: Int(rows.int(0, 1) ?? 0))
        }
    }

    public func putText(_ result: RecognizedText?, error: String?, for hash: [UInt8]) throws {
        let words = result?.words ?? []
        let encoded = (try? JSONEncoder().encode(words)) ?? Data("[]".utf8)
        let json = String(decoding: encoded, as: UTF8.self)
        let text = result?.text() ?? ""
        let confident = result?.text(minimumConfidence: OCRText.minimumConfidence) ?? ""
        let body = OCRText.normalize(confident)
        try write { conn in
            try conn.execute(
                """
                INSERT INTO picseek.ocr_texts (content_hash, languages, text, words, timed_out,
                                               error, body, recognized_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (content_hash) DO UPDATE SET languages = excluded.languages,
                    text = excluded.text, words = excluded.words, timed_out = excluded.timed_out,
                    error = excluded.error, body = excluded.body,
                    recognized_at = excluded.recognized_at
                """,
                [
                    .bytes(hash), .text(result?.languages ?? ""), .text(text), .text(json),
                    .bool(result?.timedOut ?? false), .optional(error), .text(body),
                    .double(Date().timeIntervalSince1970),
                ])
        }
    }

    public func recognizedText(for hash: [UInt8]) throws -> RecognizedText? {
        try withConnection { conn in
            let rows = try conn.execute(
                """
                SELECT languages, words, timed_out FROM picseek.ocr_texts
                WHERE content_hash = $1
                """, [.bytes(hash)])
            guard rows.count > 0 else { return nil }
            let json = rows.text(0, 1) ?? "[]"
            let words =
                (try? JSONDecoder().decode([RecognizedWord].self, from: Data(json.utf8))) ?? []
            return RecognizedText(
                words: words, languages: rows.text(0, 0) ?? "",
                timedOut: rows.bool(0, 2) ?? false)
        }
    }

    @discardableResult
    public func pruneTexts() throws -> Int {
        try write { conn in
            try conn.execute(
                """
                DELETE FROM picseek.ocr_texts t WHERE NOT EXISTS (
                    SELECT 1 FROM picseek.photos p WHERE p.content_hash = t.content_hash)
                """
            ).changed
        }
    }

    /// Photos whose confident recognised text contains every term of `query` (normalised
    /// with `OCRText`), by path, at most `limit`; the score is the number of terms.
    public func searchText(_ query: String, limit: Int) throws -> [TextHit] {
        let terms = OCRText.terms(query)
        guard !terms.isEmpty, limit > 0 else { return [] }
        var sql = """
            SELECT p.id, p.path, t.body FROM picseek.ocr_texts t
            JOIN picseek.photos p ON p.content_hash = t.content_hash WHERE t.body <> ''
            """
        var parameters: [PGValue] = []
        for term in terms {
            parameters.append(.text(term))
            sql += " AND strpos(t.body, $\(parameters.count)) > 0"
        }
        parameters.append(.int(limit))
        sql += " ORDER BY p.path LIMIT $\(parameters.count)"
        let paths = self.paths
        return try withConnection { conn in
            let rows = try conn.execute(sql, parameters)
            return (0..<rows.count).map { row in
                TextHit(
                    photoID: rows.int(row, 0) ?? 0, path: paths.local(rows.bytes(row, 1) ?? []),
                    snippet: OCRText.snippet(rows.text(row, 2) ?? "", terms: terms),
                    score: Double(terms.count))
            }
        }
    }
}
