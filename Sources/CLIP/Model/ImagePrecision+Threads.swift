import Tensor

extension ImagePrecision {
    /// Sets the thread counts for this precision.
    ///
    /// A bfloat16 or int8 image tower, and a float32 one where `Kernels.useF32Gemm`,
    /// does its parallel work in picseek's own kernels (`Kernels.threads`), including
    /// attention heads that call OpenBLAS from several threads at once, which needs a
    /// single-threaded OpenBLAS (see `Kernels.attention`). float32 on other CPUs leaves
    /// OpenBLAS its threads. Call this once, before any model works, as it changes
    /// process-wide settings.
    public func prepareThreads() {
        guard usesOwnKernels() else { return }
        // Read first: the default of `Kernels.threads` is OpenBLAS's count.
        Kernels.threads = max(Kernels.threads, BLAS.threads)
        BLAS.threads = 1
    }

    /// Whether an image tower of this precision multiplies in picseek's own kernels on
    /// this CPU (`f32Gemm`: whether float32 goes through `Kernels.linearPackedGemm`).
    public func usesOwnKernels(f32Gemm: Bool = Kernels.useF32Gemm) -> Bool {
        self != .float32 || f32Gemm
    }
}
