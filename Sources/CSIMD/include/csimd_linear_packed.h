// csimd_linear_packed: float32 matrix products for Linear layers with few input
// rows (a text query) against weights packed once into panels of outputs.
//
// y[r, o] (=|+=) sum_k x[r, k] * w[o, k]
//
// The weights (PyTorch `Linear` layout [out, in]) are packed into panels of
// CSIMD_F32_PANEL outputs, each panel's columns interleaved: panel p, input
// column j, lane l at (p * k + j) * PANEL + l. A register tile of up to 12 input
// rows times one panel then streams each weight from memory exactly once, in one
// sequential stream, and multiplies it with a broadcast input value: no
// horizontal sums and no re-reading of weight rows for further input rows, which
// is what bounds csimd_linear on a memory-bound query. Each output is a float32
// sum over k in order (one fused multiply-add per term). Scalar, AVX2+FMA and
// AVX-512F versions are chosen at run time. Only `Tensor` imports this module.
#ifndef CSIMD_LINEAR_PACKED_H
#define CSIMD_LINEAR_PACKED_H

#include <stddef.h>

#include "csimd.h"  // CSIMD_SCALAR, CSIMD_AVX2, CSIMD_AVX512

/// Outputs per packed panel. Split output ranges between threads at multiples of it.
#define CSIMD_F32_PANEL 32

/// Floats of the packed form of an [n, k] weight matrix (n rounded up to a panel).
size_t csimd_f32_packed_count(size_t n, size_t k);

/// Packs panels [p_begin, p_end) of w [n, k] into `packed` (csimd_f32_packed_count
/// floats in all); outputs past n are 0. Disjoint panel ranges may run in parallel.
void csimd_f32_pack_weights(const float *w, size_t n, size_t k, size_t p_begin, size_t p_end,
                            float *packed);

/// y[r*ldy + o] (=, or += when accumulate) dot(x[r*ldx ..], w[o*k ..]) over k for
/// r < rows and o_begin <= o < min(o_end, n), from the packed weights. o_begin must
/// be a multiple of CSIMD_F32_PANEL. `level` must be supported (csimd_supports in
/// csimd.h); a negative level means csimd_best_level(). `y` must not overlap `x`.
void csimd_linear_packed_f32(int level, const float *x, size_t rows, size_t k, size_t ldx,
                             const float *packed, size_t n, size_t o_begin, size_t o_end,
                             float *y, size_t ldy, int accumulate);

#endif
