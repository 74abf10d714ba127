extension Kernels {
    /// Layer normalisation of each row: `(x - mean) / sqrt(var + eps) * gamma + beta`.
    ///
    /// `input` and `output` are `rows` × `cols` with row strides `ldInput`/`ldOutput`
    /// and may be the same buffer. With `addBias`, `input` rows first get `addBias`
    /// added in place (post-LN: `LN(x + W·y + b)` after an accumulating `linear`).
    /// Variance is the biased (population) variance, as in PyTorch.
    public static func layerNorm(
        input: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ldInput: Int? = nil,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        addBias: UnsafePointer<Float>? = nil
    ) {
        let ldi = ldInput ?? cols
        let ldo = ldOutput ?? cols
        for r in 0..<rows {
            let x = input + r * ldi
            if let addBias {
                for j in 0..<cols { x[j] += addBias[j] }
            }
            let mean = sum(x, cols) / Float(cols)
            let variance = sumSquaredDeviation(x, cols, shift: mean) / Float(cols)
            let inv = 1 / (variance + eps).squareRoot()
            let y = output + r * ldo
            for j in 0..<cols {
                y[j] = (x[j] - mean) * inv * gamma[j] + beta[j]
            }
        }
    }

    /// Naive twin of `layerNorm` (double precision statistics).
    public static func layerNormNaive(
        input: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ldInput: Int? = nil,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        addBias: UnsafePointer<Float>? = nil
    ) {
        let ldi = ldInput ?? cols
        let ldo = ldOutput ?? cols
        for r in 0..<rows {
            var values = [Double](repeating: 0, count: cols)
            for j in 0..<cols {
                values[j] = Double(input[r * ldi + j]) + Double(addBias?[j] ?? 0)
                if addBias != nil { input[r * ldi + j] = Float(values[j]) }
            }
            let mean = values.reduce(0, +) / Double(cols)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(cols)
            let inv = 1 / (variance + Double(eps)).squareRoot()
            for j in 0..<cols {
                output[r * ldo + j] = Float(
                    (values[j] - mean) * inv * Double(gamma[j]) + Double(beta[j]))
            }
        }
    }
}
