import Foundation

extension Kernels {
    /// Softmax of each row in place (`rows` × `cols`, row stride `ld`), max-subtracted.
    ///
    /// A row whose entries are all `-infinity`-like (fully masked) becomes uniform.
    public static func softmaxRows(
        _ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int? = nil
    ) {
        let stride = ld ?? cols
        for r in 0..<rows {
            let p = x + r * stride
            let m = maximum(p, cols)
            let mv = Vec(repeating: m)
            var j = 0
            while j + 8 <= cols {
                store(fastExp(load(p, j) - mv), p, j)
                j += 8
            }
            while j < cols {
                p[j] = fastExp(p[j] - m)
                j += 1
            }
            let inv = 1 / sum(p, cols)
            for j in 0..<cols { p[j] *= inv }
        }
    }

    /// Naive twin of `softmaxRows` (libm `exp`, double sums).
    public static func softmaxRowsNaive(
        _ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int? = nil
    ) {
        let stride = ld ?? cols
        for r in 0..<rows {
            let p = x + r * stride
            var m = -Float.infinity
            for j in 0..<cols { m = max(m, p[j]) }
            var s: Double = 0
            var e = [Double](repeating: 0, count: cols)
            for j in 0..<cols {
                e[j] = exp(Double(p[j] - m))
                s += e[j]
            }
            for j in 0..<cols { p[j] = Float(e[j] / s) }
        }
    }
}
