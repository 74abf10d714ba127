import Store
import Tensor

/// Finds groups of near-identical photos (copies, resized or re-encoded versions,
/// bursts) from their stored vectors, without embedding anything.
public enum DuplicateFinder {
    /// Rows of `set` in groups of two or more, where each row's cosine similarity to
    /// some other row of its group is at least `threshold` (single linkage). Groups
    /// come largest first, then by their first row; rows within a group ascend.
    ///
    /// Every pair is compared once, in `block` × `block` tiles of one `sgemm` each
    /// (stored vectors are L2-normalised, so a dot product is the cosine).
    public static func groups(in set: VectorSet, threshold: Float, block: Int = 1024) -> [[Int]] {
        let n = set.count, d = set.model.dimension
        guard n > 1, d > 0, block > 0 else { return [] }
        var parent = Array(0..<n)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        var tile = [Float](repeating: 0, count: block * block)
        set.matrix.withUnsafeBufferPointer { matrix in
            guard let base = matrix.baseAddress else { return }
            for i0 in stride(from: 0, to: n, by: block) {
                let rows = min(block, n - i0)
                for j0 in stride(from: i0, to: n, by: block) {
                    let columns = min(block, n - j0)
                    BLAS.sgemm(
                        m: rows, n: columns, k: d, a: base + i0 * d, lda: d,
                        b: base + j0 * d, ldb: d, transB: true, c: &tile, ldc: columns)
                    for r in 0..<rows {
                        // Within the diagonal tile, only pairs above the diagonal.
                        let first = j0 == i0 ? r + 1 : 0
                        for c in first..<max(first, columns)
                        where tile[r * columns + c] >= threshold {
                            let a = root(i0 + r), b = root(j0 + c)
                            if a != b { parent[max(a, b)] = min(a, b) }
                        }
                    }
                }
            }
        }
        var members: [Int: [Int]] = [:]
        for i in 0..<n { members[root(i), default: []].append(i) }
        return members.values.filter { $0.count > 1 }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
    }
}
