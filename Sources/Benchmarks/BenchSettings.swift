import CLIP
import Tensor

extension EngineBench {
    /// Throws `BenchError.settings` when the settings cannot be measured on a CPU with
    /// (`bf16Supported`) or without AVX512_BF16 and with or without AVX-512 VNNI
    /// (`int8Supported`): counts below one, fewer than 3 tokens, a negative thin-kernel limit,
    /// bf16 (image or text) without AVX512_BF16, int8 without AVX-512 VNNI, or an instruction
    /// set the CPU lacks.
    public func validate(
        bf16Supported: Bool = Kernels.bf16Supported, int8Supported: Bool = Kernels.int8Supported
    ) throws(BenchError) {
        guard threads >= 1, runs >= 1, textRuns >= 1, tokens >= 3, thinMaxRows >= 0 else {
            throw .settings(
                "threads, runs and text-runs must be positive, tokens at least 3, "
                    + "thin-max-rows not negative")
        }
        guard
            imagePrecision.isSupported(bf16Supported: bf16Supported, int8Supported: int8Supported)
        else {
            throw .settings(imagePrecision.unsupportedReason)
        }
        guard textPrecision == .float32 || bf16Supported else {
            throw .settings(
                "--text-precision bf16 needs a CPU with AVX512_BF16, which this one lacks; use fp32"
            )
        }
        if let simd, !simd.isSupported {
            throw .settings(
                "this CPU cannot run \(simd); it supports "
                    + "\(SIMDLevel.supported.map(\.description).joined(separator: ", "))")
        }
    }
}

extension ImagesBench {
    /// Throws `BenchError.settings` for a photo smaller than 16x16 or larger than 100
    /// megapixels, or for no timed run of the fast pipeline.
    public func validate() throws(BenchError) {
        guard width >= 16, height >= 16, width * height <= 100_000_000 else {
            throw .settings("size must be at least 16x16 and at most 100 megapixels")
        }
        guard runs > 0, exactRuns >= 0 else { throw .settings("runs must be positive") }
    }
}
