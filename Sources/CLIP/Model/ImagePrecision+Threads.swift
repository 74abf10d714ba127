import Tensor

extension ImagePrecision {
    /// Sets the thread counts for this precision.
    ///
    /// A bfloat16 or int8 image tower does its parallel work in picseek's own kernels
    /// (`Kernels.threads`), including attention heads that call OpenBLAS from several
    /// threads at once, which needs a single-threaded OpenBLAS (see `Kernels.attention`).
    /// float32 leaves OpenBLAS its threads. Call this once, before any model works, as it
    /// changes process-wide settings.
    public func prepareThreads() {
        guard self != .float32 else { return }
        // Read first: the default of `Kernels.threads` is OpenBLAS's count.
        Kernels.threads = max(Kernels.threads, BLAS.threads)
        BLAS.threads = 1
    }
}
