/// Numeric kernels on row-major float buffers.
///
/// Every optimised kernel has a `…Naive` twin written as the textbook formula;
/// tests compare the two. Kernels take raw pointers and sizes, never allocate
/// (callers pass scratch space; `linearBF16` keeps its rounded input in its own),
/// and allow `ld` row strides so they can read and write column blocks of a wider
/// matrix (e.g. q, k, v side by side).
public enum Kernels {
    /// Threads picseek's own kernels split their work over (thin linear, bfloat16
    /// GEMM, attention heads), separate from OpenBLAS's own pool (`BLAS.threads`).
    /// Starts at OpenBLAS's count.
    nonisolated(unsafe) public static var threads = BLAS.threads
}

extension Kernels {
    /// Sum of `count` floats with 16 independent partial sums (vectorised).
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 16 <= count {
            acc += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var s = acc.sum()
        while i < count {
            s += p[i]
            i += 1
        }
        return s
    }

    /// Sum of squares of `(p[i] - shift)` with 16 partial sums (vectorised).
    @inline(__always)
    static func sumSquaredDeviation(_ p: UnsafePointer<Float>, _ count: Int, shift: Float) -> Float
    {
        var acc = SIMD16<Float>()
        let s16 = SIMD16<Float>(repeating: shift)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 16 <= count {
            let d = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) - s16
            acc += d * d
            i += 16
        }
        var s = acc.sum()
        while i < count {
            let d = p[i] - shift
            s += d * d
            i += 1
        }
        return s
    }

    /// Largest of `count` floats (vectorised); `count` must be positive.
    @inline(__always)
    static func maximum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var i = 0
        var m = -Float.infinity
        if count >= 16 {
            let raw = UnsafeRawPointer(p)
            var acc = SIMD16<Float>(repeating: -.infinity)
            while i + 16 <= count {
                let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                acc = acc.replacing(with: v, where: v .> acc)
                i += 16
            }
            m = acc.max()
        }
        while i < count {
            m = Swift.max(m, p[i])
            i += 1
        }
        return m
    }
}
