extension Kernels {
    /// Scales `count` floats in place to unit Euclidean length (a zero vector stays zero).
    public static func l2Normalize(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let norm = sumSquaredDeviation(x, count, shift: 0).squareRoot()
        guard norm > 0 else { return }
        let inv = 1 / norm
        for i in 0..<count { x[i] *= inv }
    }

    /// Naive twin of `l2Normalize` (double accumulator).
    public static func l2NormalizeNaive(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var s: Double = 0
        for i in 0..<count { s += Double(x[i]) * Double(x[i]) }
        let norm = s.squareRoot()
        guard norm > 0 else { return }
        for i in 0..<count { x[i] = Float(Double(x[i]) / norm) }
    }
}
