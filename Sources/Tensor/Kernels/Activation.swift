import CSIMD
import Foundation

/// The element-wise non-linearity after a linear layer.
public enum Activation: String, Sendable, Equatable {
    /// No activation.
    case identity
    /// `x * sigmoid(1.702 * x)` (OpenAI CLIP, Chinese-CLIP ViT).
    case quickGELU = "quick_gelu"
    /// `0.5 * x * (1 + erf(x / sqrt(2)))`, the exact GELU (BERT, OpenCLIP ViT).
    case gelu
}

extension Activation {
    /// The activation's number in the C kernels that apply it while the sums are in
    /// registers (`CSIMD_F32_*` and `CSIMD_INT8_*` in their headers: the same numbers).
    var kernelKind: Int32 {
        switch self {
        case .identity: CSIMD_F32_IDENTITY
        case .quickGELU: CSIMD_F32_QUICK_GELU
        case .gelu: CSIMD_F32_GELU
        }
    }
}

extension Kernels {
    /// The checked shape of a packed-weight product (`linearPacked`, `linearPackedGemm`,
    /// `linearBF16`, `linearInt8`): inner and output sizes and the row strides, or nil when
    /// there are no rows and nothing to do.
    static func packedShape(
        rows: Int, inFeatures: Int, outFeatures: Int, ldInput: Int?, ldOutput: Int?,
        activation: Activation, accumulate: Bool
    ) -> (k: Int, n: Int, ldi: Int, ldo: Int)? {
        precondition(
            !accumulate || activation == .identity, "cannot accumulate through an activation")
        precondition(rows >= 0, "negative row count")
        if rows == 0 { return nil }
        return (inFeatures, outFeatures, ldInput ?? inFeatures, ldOutput ?? outFeatures)
    }

    /// Adds `bias` (if any) to every row of `x` (`rows` × `cols`, row stride `ld`) and applies
    /// `activation`, in one pass over memory.
    public static func biasActivation(
        _ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int,
        bias: UnsafePointer<Float>?, activation: Activation
    ) {
        if bias == nil && activation == .identity { return }
        let vectorEnd = cols - cols % 8
        let hasBias = bias != nil
        for r in 0..<rows {
            let p = x + r * ld
            // Without a bias, `b` aliases the row itself and is never read.
            let b = bias ?? UnsafePointer(p)
            switch activation {
            case .identity:
                for j in 0..<cols { p[j] += b[j] } // only reached with a bias (see guard above)
            case .quickGELU:
                var j = 0
                while j < vectorEnd {
                    let v = hasBias ? load(p, j) + load(b, j) : load(p, j)
                    store(v / (1 + fastExp(-1.702 * v)), p, j)
                    j += 8
                }
                while j < cols {
                    let v = hasBias ? p[j] + b[j] : p[j]
                    p[j] = v / (1 + fastExp(-1.702 * v))
                    j += 1
                }
            case .gelu:
                var j = 0
                while j < vectorEnd {
                    let v = hasBias ? load(p, j) + load(b, j) : load(p, j)
                    store(0.5 * v * (1 + fastErf(v * 0.70710678118654752)), p, j)
                    j += 8
                }
                while j < cols {
                    let v = hasBias ? p[j] + b[j] : p[j]
                    p[j] = 0.5 * v * (1 + fastErf(v * 0.70710678118654752))
                    j += 1
                }
            }
        }
    }

    /// Naive twin of `biasActivation`: libm `expf`/`erff`, one element at a time.
    public static func biasActivationNaive(
        _ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int,
        bias: UnsafePointer<Float>?, activation: Activation
    ) {
        for r in 0..<rows {
            for j in 0..<cols {
                var v = x[r * ld + j]
                if let bias { v += bias[j] }
                switch activation {
                case .identity: break
                case .quickGELU: v = v * (1 / (1 + expf(-1.702 * v)))
                case .gelu: v = 0.5 * v * (1 + erff(v / Float(2).squareRoot()))
                }
                x[r * ld + j] = v
            }
        }
    }

    /// `exp(x)` accurate to about 2 ulp, written without branches or calls so loops
    /// around it vectorise (Cephes polynomial, exponent built from the bit pattern).
    @inline(__always)
    public static func fastExp(_ value: Float) -> Float {
        let x = Swift.min(Swift.max(value, -87.3), 88.3)
        // Round x / ln 2 to the nearest integer with the 1.5 * 2^23 trick; t's low
        // mantissa bits then hold that integer.
        let t = x * 1.44269504088896341 + 12_582_912
        let n = t - 12_582_912
        let r = x - n * 0.693359375 + n * 2.12194440e-4
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * r * r + r + 1
        let exponent = (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
        return y * Float(bitPattern: exponent)
    }

    /// `erf(x)` with absolute error below 2e-7, as a branch-free rational function
    /// (the approximation used by Eigen and XLA), so loops around it vectorise.
    @inline(__always)
    public static func fastErf(_ value: Float) -> Float {
        let x = Swift.min(Swift.max(value, -4), 4)
        let x2 = x * x
        var p: Float = -2.72614225801306e-10
        p = p * x2 + 2.77068142495902e-08
        p = p * x2 + -2.10102402082508e-06
        p = p * x2 + -5.69250639462346e-05
        p = p * x2 + -7.34990630326855e-04
        p = p * x2 + -2.95459980854025e-03
        p = p * x2 + -1.60960333262415e-02
        p = p * x
        var q: Float = -1.45660718464996e-05
        q = q * x2 + -2.13374055278905e-04
        q = q * x2 + -1.68282697438203e-03
        q = q * x2 + -7.37332916720468e-03
        q = q * x2 + -1.42647390514189e-02
        return p / q
    }
}
