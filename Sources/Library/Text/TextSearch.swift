import PicseekCore
import Store

/// Searches by the words read in photos (`picseek search --text`, `text:` terms).
public enum TextSearch {
    /// The `text:` terms as one full-text query, each term quoted as a phrase.
    public static func phrases(_ words: [String]) -> String {
        words.map { "\"" + $0 + "\"" }.joined(separator: " ")
    }

    /// Photos whose recognised words match `words`, best first, at most `top`, only under
    /// `folder` when it is given.
    public static func hits(
        store: any PhotoIndex, words: String, folder: [UInt8]?, top: Int
    ) throws -> [TextHit] {
        var hits = try store.searchText(words, limit: folder == nil ? top : 100_000)
        if let folder {
            hits = Array(hits.filter { RawPath.isUnder($0.path, folder) }.prefix(top))
        }
        return hits
    }

    /// The note for a text search that found nothing while photos are still unread, or nil.
    public static func pendingNote(store: any PhotoIndex) throws -> String? {
        let progress = try store.textProgress()
        guard progress.pending > 0 else { return nil }
        return "no match yet: \(progress.pending) photos have not been read for text "
            + "(picseek index reads them)"
    }

    /// A search by meaning kept to the photos whose words match every `text:` term in
    /// `words`: the best `top` of them in the engine's order, each with its matched snippet.
    public static func meaning(
        _ request: SearchRequest, engine: SearchEngine, store: any PhotoIndex, words: [String],
        top: Int
    ) throws -> [(hit: Hit, snippet: String)] {
        let matches = try store.searchText(phrases(words), limit: 100_000)
        var snippets: [Int64: String] = [:]
        for match in matches where snippets[match.photoID] == nil {
            snippets[match.photoID] = match.snippet
        }
        var request = request
        request.top = max(top, try store.allPhotos().count)
        var kept: [(hit: Hit, snippet: String)] = []
        for hit in try engine.search(request) where kept.count < top {
            guard let snippet = snippets[hit.photoID] else { continue }
            kept.append((hit, snippet))
        }
        return kept
    }
}
