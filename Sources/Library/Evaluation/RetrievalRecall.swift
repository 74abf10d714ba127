/// Text-to-image Recall@K over a matrix of scores, the metric of `picseek eval`.
///
/// Images are ranked by descending score; equal scores keep file order (the
/// lower image index ranks first), as a stable sort on the negated score does.
/// A query is a hit at K when any of its matching images is among the first K.
public enum RetrievalRecall {
    /// The 0-based rank of the best-ranked image of `matches` in `scores`, or nil
    /// when `matches` names no valid image index.
    ///
    /// The rank of image `j` is the number of images with a higher score plus the
    /// number of earlier images (lower index) with the same score.
    public static func bestRank(scores: [Float], matches: [Int]) -> Int? {
        var best: Int?
        for j in matches where scores.indices.contains(j) {
            let s = scores[j]
            var rank = 0
            for (i, other) in scores.enumerated() where other > s || (other == s && i < j) {
                rank += 1
            }
            if best.map({ rank < $0 }) ?? true { best = rank }
        }
        return best
    }

    /// Recall@k for every k in `ks`: the fraction of queries (rows of `scores`, one
    /// score per image) whose best-ranked match (`matches[q]`, image indices) has a
    /// rank below k. Zero queries give 0.
    public static func recall(scores: [[Float]], matches: [[Int]], ks: [Int]) -> [Int: Double] {
        precondition(scores.count == matches.count, "one matches list per query")
        var hits = Dictionary(uniqueKeysWithValues: ks.map { ($0, 0) })
        for (row, good) in zip(scores, matches) {
            guard let rank = bestRank(scores: row, matches: good) else { continue }
            for k in ks where rank < k { hits[k, default: 0] += 1 }
        }
        let n = Double(max(1, scores.count))
        return hits.mapValues { Double($0) / n }
    }
}
