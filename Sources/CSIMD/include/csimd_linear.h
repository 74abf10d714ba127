// csimd_linear: thin matrix products for Linear layers with few input rows.
//
// y[r, o] (=|+=) sum_k x[r, k] * w[o, k] for r < rows, o in [o_begin, o_end),
// weights in PyTorch `Linear` layout [out, in]. Each weight row is streamed
// from memory once and multiplied with every input row while it is in cache,
// so a forward pass over a short text query reads the weights exactly once
// (no packing, unlike a general GEMM). Scalar, AVX2+FMA and AVX-512F versions
// are compiled per function (the file itself is baseline x86-64) and chosen
// at run time. Only `Tensor` imports this module.
#ifndef CSIMD_LINEAR_H
#define CSIMD_LINEAR_H

#include <stddef.h>

#include "csimd.h"  // CSIMD_SCALAR, CSIMD_AVX2, CSIMD_AVX512

/// y[r*ldy + o] (=, or += when accumulate) dot(x[r*ldx ..], w[o*k ..]) over k
/// for r < rows and o_begin <= o < o_end. `level` must be supported
/// (csimd_supports in csimd.h); a negative level means csimd_best_level(). `y` must not overlap `x` or `w`.
void csimd_linear_f32(int level, const float *x, size_t rows, size_t k, size_t ldx,
                      const float *w, size_t o_begin, size_t o_end,
                      float *y, size_t ldy, int accumulate);

#endif
