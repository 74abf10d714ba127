import CSIMD

/// Score kernels in C (`CSIMD`): one query against every row of a matrix,
/// with AVX-512 / AVX2+FMA versions picked once at run time and a portable
/// scalar version everywhere else.
public enum VectorKernels {
    /// An instruction-set level a kernel can run at.
    public typealias Level = SIMDLevel

    /// The fastest level this CPU supports (what `nil` levels use).
    public static var best: Level { SIMDLevel.best }

    /// Every level this CPU supports, scalar first.
    public static var supportedLevels: [Level] { SIMDLevel.supported }

    /// `out[i] = dot(matrix[i], query)` over a row-major float32 matrix.
    /// `level` nil means `best`; an unsupported level is a programming error.
    public static func scores(
        matrix: UnsafePointer<Float>, rows: Int, dimension: Int,
        query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, level: Level? = nil
    ) {
        precondition(rows >= 0 && dimension >= 0, "negative matrix shape")
        let level = checked(level)
        csimd_scores_f32(level, matrix, rows, dimension, query, out)
    }

    /// `out[i] = dot(bf16 row i, query)`: each `UInt16` is the upper half of a
    /// float32 (bfloat16), widened exactly; the query stays float32.
    public static func scoresBF16(
        bits: UnsafePointer<UInt16>, rows: Int, dimension: Int,
        query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, level: Level? = nil
    ) {
        precondition(rows >= 0 && dimension >= 0, "negative matrix shape")
        let level = checked(level)
        csimd_scores_bf16(level, bits, rows, dimension, query, out)
    }

    /// `out[i] = scales[i] * dot(int8 row i, query)`: one scale per row.
    public static func scoresInt8(
        values: UnsafePointer<Int8>, scales: UnsafePointer<Float>, rows: Int, dimension: Int,
        query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, level: Level? = nil
    ) {
        precondition(rows >= 0 && dimension >= 0, "negative matrix shape")
        let level = checked(level)
        csimd_scores_i8(level, values, scales, rows, dimension, query, out)
    }

    /// Whether `scoresInt8Dot` has its fast version on this CPU (AVX-512 VNNI, `vpdpbusd`).
    public static let hasInt8Dot = csimd_supports_i8q() != 0

    /// `out[i] = scales[i] * (queryScale * Float(dot(int8 row i, int8 query)))`, the dot
    /// product summed exactly in Int32. `fast` nil uses the AVX-512 VNNI version when the
    /// CPU has it; false the scalar one; both give identical results.
    public static func scoresInt8Dot(
        values: UnsafePointer<Int8>, scales: UnsafePointer<Float>, rows: Int, dimension: Int,
        query: UnsafePointer<Int8>, queryScale: Float, out: UnsafeMutablePointer<Float>,
        fast: Bool? = nil
    ) {
        precondition(rows >= 0 && dimension >= 0, "negative matrix shape")
        let vnni = fast ?? hasInt8Dot
        precondition(!vnni || hasInt8Dot, "AVX-512 VNNI kernels are not supported by this CPU")
        csimd_scores_i8q(vnni ? 1 : 0, values, scales, rows, dimension, query, queryScale, out)
    }

    private static func checked(_ level: Level?) -> Int32 {
        guard let level else { return -1 }
        precondition(level.isSupported, "\(level) kernels are not supported by this CPU")
        return level.rawValue
    }
}
