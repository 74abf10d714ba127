// csimd: dot-product kernels for brute-force vector search.
//
// Each kernel has a portable scalar version and AVX2+FMA / AVX-512 versions
// compiled per function (the rest of the build stays baseline x86-64); the
// best one the CPU supports is chosen once at run time. Only `Tensor` imports
// this module and wraps it in typed Swift.
#ifndef CSIMD_H
#define CSIMD_H

#include <stddef.h>
#include <stdint.h>

#define CSIMD_SCALAR 0
#define CSIMD_AVX2 1    /* AVX2 + FMA */
#define CSIMD_AVX512 2  /* AVX-512 F + BW */

/// The best level this CPU (and OS) supports; computed once.
int csimd_best_level(void);

/// Whether `level` can run here.
int csimd_supports(int level);

/// out[r] = dot(m[r*d .. r*d+d), q) for r < rows; float32 matrix, row-major.
/// `level` must be supported (csimd_supports); a negative level means best.
void csimd_scores_f32(int level, const float *m, size_t rows, size_t d,
                      const float *q, float *out);

/// Same over a bfloat16 matrix: each element is the upper 16 bits of a
/// float32, widened exactly by a shift; the query stays float32.
void csimd_scores_bf16(int level, const uint16_t *m, size_t rows, size_t d,
                       const float *q, float *out);

/// Same over an int8 matrix with one scale per row:
/// out[r] = scales[r] * sum_j m[r*d+j] * q[j].
void csimd_scores_i8(int level, const int8_t *m, const float *scales, size_t rows, size_t d,
                     const float *q, float *out);

/// Whether `csimd_scores_i8q` has its fast version here (AVX-512 VNNI).
int csimd_supports_i8q(void);

/// An int8 matrix (one scale per row) against an int8 query (one scale), in exact int32
/// sums: out[r] = scales[r] * (qscale * (float)sum_j m[r*d+j] * q[j]). `fast` non-zero
/// uses the AVX-512 VNNI version (csimd_supports_i8q must say yes), zero the scalar one;
/// both give identical results.
void csimd_scores_i8q(int fast, const int8_t *m, const float *scales, size_t rows, size_t d,
                      const int8_t *q, float qscale, float *out);

#endif
