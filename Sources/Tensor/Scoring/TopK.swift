/// Partial selection of the best scores, without sorting all of them.
public enum TopK {
    /// The `k` highest scores among indices that pass `include`, best first
    /// (ties broken by lower index). A size-k min-heap: O(n log k).
    public static func select(
        _ scores: UnsafeBufferPointer<Float>, k: Int, include: ((Int) -> Bool)? = nil
    ) -> [(index: Int, score: Float)] {
        guard k > 0 else { return [] }
        var heap: [(index: Int, score: Float)] = []
        heap.reserveCapacity(k)
        // "a is worse than b": lower score, or equal score and higher index.
        @inline(__always) func worse(
            _ a: (index: Int, score: Float), _ b: (index: Int, score: Float)
        ) -> Bool {
            a.score < b.score || (a.score == b.score && a.index > b.index)
        }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && worse(heap[l], heap[m]) { m = l }
                if r < heap.count && worse(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for i in 0..<scores.count {
            let s = scores[i]
            if s.isNaN { continue }
            if heap.count == k {
                // Fast reject before the filter: most rows lose here.
                let top = heap[0]
                if s < top.score || (s == top.score && i > top.index) { continue }
            }
            if let include, !include(i) { continue }
            if heap.count < k {
                heap.append((i, s))
                var c = heap.count - 1
                while c > 0 {
                    let p = (c - 1) / 2
                    if worse(heap[c], heap[p]) { heap.swapAt(c, p); c = p } else { break }
                }
            } else {
                heap[0] = (i, s)
                siftDown(0)
            }
        }
        return heap.sorted { worse($1, $0) }
    }

    /// The best `k` of `picked` by exact float32 score against `exact`
    /// (row-major, `dimension` wide), accumulated in the same order as the
    /// naive float32 kernel so scores are identical to it.
    public static func rescore(
        _ picked: [(index: Int, score: Float)], exact: UnsafePointer<Float>, dimension d: Int,
        query: UnsafePointer<Float>, k: Int
    ) -> [(index: Int, score: Float)] {
        rescore(picked, row: { exact + $0 * d }, dimension: d, query: query, k: k)
    }

    /// The best `k` of `picked` by exact float32 score against the rows `row` returns (`d`
    /// floats each; a pick whose row is nil is dropped), accumulated as the other `rescore`
    /// does, so the same rows give the same scores wherever they are held.
    public static func rescore(
        _ picked: [(index: Int, score: Float)], row: (Int) -> UnsafePointer<Float>?,
        dimension d: Int, query: UnsafePointer<Float>, k: Int
    ) -> [(index: Int, score: Float)] {
        var rescored = picked.compactMap { pick -> (index: Int, score: Float)? in
            guard let row = row(pick.index) else { return nil }
            var s: Float = 0
            for j in 0..<d { s += row[j] * query[j] }
            return (pick.index, s)
        }
        rescored.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
        return Array(rescored.prefix(max(0, k)))
    }

    /// The best `k` of `picks` (distinct indices, from several parts of the rows), best first,
    /// ties broken by lower index: the same picks `select` makes over all their rows at once.
    public static func merge(
        _ picks: [(index: Int, score: Float)], k: Int
    ) -> [(index: Int, score: Float)] {
        let sorted = picks.sorted {
            $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index)
        }
        return Array(sorted.prefix(max(0, k)))
    }

    /// The naive twin of `select`: filter, sort everything, take k.
    public static func selectNaive(
        _ scores: [Float], k: Int, include: ((Int) -> Bool)? = nil
    ) -> [(index: Int, score: Float)] {
        let all = scores.indices.filter { !scores[$0].isNaN && (include?($0) ?? true) }
            .map { (index: $0, score: scores[$0]) }
        return Array(
            all.sorted {
                $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index)
            }.prefix(max(0, k)))
    }
}
