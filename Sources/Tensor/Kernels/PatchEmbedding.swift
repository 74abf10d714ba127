extension Kernels {
    /// Patch embedding of a square planar image as one GEMM (im2col + `sgemm`).
    ///
    /// Equivalent to `Conv2d(channels → width, kernel = stride = patch, no bias)`:
    /// `image` is `channels × size × size` planar; `weight` is `[width, channels, patch,
    /// patch]` contiguous; `output` receives `(size / patch)²` rows of `width` values
    /// (row-major patch order) with row stride `ldOutput`. `columns` is scratch space
    /// of at least `(size / patch)² * channels * patch * patch` floats. With `packed`
    /// (`weight` rounded to bfloat16, `[width, channels * patch * patch]`) the product
    /// runs through `linearBF16` on `threads` threads instead of `sgemm`; with `packedInt8`
    /// (`weight` quantised to int8), through `linearInt8`; with `packedF32` (`weight` packed
    /// in float32 panels), through `linearPackedGemm`.
    public static func patchEmbedding(
        image: UnsafePointer<Float>, channels: Int, size: Int, patch: Int,
        weight: UnsafePointer<Float>, width: Int,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        columns: UnsafeMutablePointer<Float>, packed: PackedBF16Weights? = nil,
        packedInt8: PackedInt8Weights? = nil, packedF32: PackedF32Weights? = nil,
        threads: Int = 1
    ) {
        let grid = size / patch
        let patchLength = channels * patch * patch
        for gy in 0..<grid {
            for gx in 0..<grid {
                var dst = columns + (gy * grid + gx) * patchLength
                for c in 0..<channels {
                    for ky in 0..<patch {
                        let src = image + (c * size + gy * patch + ky) * size + gx * patch
                        dst.update(from: src, count: patch)
                        dst += patch
                    }
                }
            }
        }
        if let packed {
            precondition(
                packed.outFeatures == width && packed.inFeatures == patchLength,
                "packed weight shape")
            linearBF16(
                input: columns, rows: grid * grid, weight: packed, bias: nil,
                output: output, ldOutput: ldOutput, threads: threads)
            return
        }
        if let packedInt8 {
            precondition(
                packedInt8.outFeatures == width && packedInt8.inFeatures == patchLength,
                "packed weight shape")
            linearInt8(
                input: columns, rows: grid * grid, weight: packedInt8, bias: nil,
                output: output, ldOutput: ldOutput, threads: threads)
            return
        }
        if let packedF32 {
            precondition(
                packedF32.outFeatures == width && packedF32.inFeatures == patchLength,
                "packed weight shape")
            linearPackedGemm(
                input: columns, rows: grid * grid, weight: packedF32, bias: nil,
                output: output, ldOutput: ldOutput, threads: threads)
            return
        }
        BLAS.sgemm(
            m: grid * grid, n: width, k: patchLength,
            a: columns, lda: patchLength, b: weight, ldb: patchLength, transB: true,
            c: output, ldc: ldOutput ?? width)
    }

    /// Naive twin of `patchEmbedding`: the convolution written as nested loops.
    public static func patchEmbeddingNaive(
        image: UnsafePointer<Float>, channels: Int, size: Int, patch: Int,
        weight: UnsafePointer<Float>, width: Int,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil
    ) {
        let grid = size / patch
        let ldo = ldOutput ?? width
        for gy in 0..<grid {
            for gx in 0..<grid {
                for o in 0..<width {
                    var s: Double = 0
                    for c in 0..<channels {
                        for ky in 0..<patch {
                            for kx in 0..<patch {
                                let pixel = image[
                                    (c * size + gy * patch + ky) * size + gx * patch + kx]
                                let w = weight[((o * channels + c) * patch + ky) * patch + kx]
                                s += Double(pixel) * Double(w)
                            }
                        }
                    }
                    output[(gy * grid + gx) * ldo + o] = Float(s)
                }
            }
        }
    }
}
