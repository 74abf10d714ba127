/// How the text tower multiplies the Linear layers of its blocks.
public enum TextPrecision: String, Sendable, CaseIterable {
    /// float32 throughout, as the reference implementation (the default); weights packed
    /// in panels for few-row products (`Kernels.linearPacked`).
    case float32 = "fp32"
    /// Inputs and weights rounded to bfloat16, sums in float32 (`Kernels.linearBF16`): half
    /// the weight bytes per query; needs a CPU with AVX512_BF16. Embeddings, attention,
    /// layer norms, pooling and the projection stay float32. docs/benchmarks.md gives the
    /// speed and the distance from float32.
    case bfloat16 = "bf16"
}
