extension Kernels {
    /// The patches of a square planar image as rows (im2col): `image` is
    /// `channels × size × size` planar; `columns` receives `(size / patch)²` rows (row-major
    /// patch order) of `channels * patch * patch` values, each patch's channels then rows.
    /// A patch embedding is these rows times the `[width, channels * patch * patch]` weight,
    /// through whichever linear kernel the weights are packed for.
    public static func patchColumns(
        image: UnsafePointer<Float>, channels: Int, size: Int, patch: Int,
        columns: UnsafeMutablePointer<Float>
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
    }

    /// Patch embedding of a square planar image as one GEMM (`patchColumns` + `sgemm`).
    ///
    /// Equivalent to `Conv2d(channels → width, kernel = stride = patch, no bias)`:
    /// `image` is `channels × size × size` planar; `weight` is `[width, channels, patch,
    /// patch]` contiguous; `output` receives `(size / patch)²` rows of `width` values
    /// (row-major patch order) with row stride `ldOutput`. `columns` is scratch space
    /// of at least `(size / patch)² * channels * patch * patch` floats.
    public static func patchEmbedding(
        image: UnsafePointer<Float>, channels: Int, size: Int, patch: Int,
        weight: UnsafePointer<Float>, width: Int,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        columns: UnsafeMutablePointer<Float>
    ) {
        let grid = size / patch
        let patchLength = channels * patch * patch
        patchColumns(image: image, channels: channels, size: size, patch: patch, columns: columns)
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
