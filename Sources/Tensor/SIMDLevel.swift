import CSIMD

/// Instruction-set levels of the C kernels in `CSIMD` (score and thin-linear
/// kernels alike), chosen once at run time.
public enum SIMDLevel: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// Portable C, no SIMD intrinsics.
    case scalar = 0
    /// AVX2 with FMA (x86-64-v3).
    case avx2 = 1
    /// AVX-512 F and BW.
    case avx512 = 2

    /// Whether this CPU can run the level.
    ///
    /// The corresponding C function is `csimd_supports`.
    public var isSupported: Bool { csimd_supports(rawValue) != 0 }

    /// The fastest level this CPU supports.
    ///
    /// The corresponding C function is `csimd_best_level`.
    public static var best: SIMDLevel { SIMDLevel(rawValue: csimd_best_level()) ?? .scalar }

    /// Every level this CPU supports, scalar first.
    public static var supported: [SIMDLevel] { allCases.filter(\.isSupported) }

    /// The level name as printed by benchmarks.
    public var description: String {
        switch self {
        case .scalar: "scalar"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }
}
