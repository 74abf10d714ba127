import COpenBLAS

/// Thin, typed wrappers over the CBLAS routines picseek uses.
///
/// All matrices are row-major `Float` buffers. Shapes are checked with
/// preconditions: a mismatch is a programming error, never caused by data.
public enum BLAS {
    /// Computes `C = alpha * op(A) * op(B) + beta * C`.
    ///
    /// `op(A)` is M×K, `op(B)` is K×N and C is M×N. With `transB`, B is stored
    /// N×K, which is how PyTorch stores `Linear` weights ([out, in]).
    /// The corresponding C function is `cblas_sgemm`.
    public static func sgemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, transA: Bool = false,
        b: UnsafePointer<Float>, ldb: Int, transB: Bool = false,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        alpha: Float = 1, beta: Float = 0
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "negative gemm dimension")
        if m == 0 || n == 0 { return }
        cblas_sgemm(
            CblasRowMajor,
            transA ? CblasTrans : CblasNoTrans,
            transB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k),
            alpha, a, blasint(lda), b, blasint(ldb),
            beta, c, blasint(ldc))
    }

    /// Computes `y = alpha * A * x + beta * y` for a row-major M×N matrix A.
    /// The corresponding C function is `cblas_sgemv`.
    public static func sgemv(
        m: Int, n: Int, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
        alpha: Float = 1, beta: Float = 0
    ) {
        if m == 0 { return }
        cblas_sgemv(
            CblasRowMajor, CblasNoTrans, blasint(m), blasint(n),
            alpha, a, blasint(lda), x, 1, beta, y, 1)
    }

    /// The number of threads OpenBLAS uses for one call.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// The OpenBLAS build and the kernel it selected for this CPU, e.g.
    /// "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64".
    public static var configuration: String {
        guard let c = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: c)
    }
}
