import Foundation

extension Kernels {
    /// Softmax of each row in place (`rows` × `cols`, row stride `ld`), max-subtracted.
    ///
    /// A row whose entries are all `-infinity`-like (fully masked) becomes uniform.
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int? = nil) {
        let stride = ld ?? cols
        for r in 0..<rows {
            let p = x + r * stride
            let m = maximum(p, cols)
            for j in 0..<cols { p[j] = fastExp(p[j] - m) }
            let inv = 1 / sum(p, cols)
            for j in 0..<cols { p[j] *= inv }
        }
    }

    /// Naive twin of `softmaxRows` (libm `exp`, double sums).
    public static func softmaxRowsNaive(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int? = nil) {
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
