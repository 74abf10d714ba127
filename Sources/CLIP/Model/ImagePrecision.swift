/// How the image tower multiplies the Linear layers of its blocks and its patch embedding.
public enum ImagePrecision: String, Sendable, CaseIterable {
    /// float32 throughout, as the reference implementation (the default).
    case float32 = "fp32"
    /// Inputs and weights rounded to bfloat16, sums in float32 (`Kernels.linearBF16`);
    /// needs a CPU with AVX512_BF16. Attention, layer norms, the last block's class-token
    /// rows and the projection stay float32. docs/benchmarks.md gives the speed and the
    /// distance from float32.
    case bfloat16 = "bf16"
    /// Weights quantised to int8 per output channel at load, inputs to 8 bits per token on
    /// each call, sums in int32 (`Kernels.linearInt8`); needs a CPU with AVX-512 VNNI.
    /// Attention, layer norms, activations and the projection stay float32.
    /// docs/benchmarks.md gives the speed and the distance from float32.
    case int8 = "int8"
}
