// csimd_gemm_bf16: matrix products in bfloat16 with float32 accumulation, for
// Linear layers with many input rows (image encoding), on CPUs with AVX512_BF16.
//
// y[r, o] (=|+=) sum_k bf16(x[r, k]) * bf16(w[o, k])
//
// Weights (PyTorch `Linear` layout [out, in]) are packed once into panels of
// CSIMD_BF16_PANEL outputs; inputs are rounded to bfloat16 per call. Both
// roundings are to nearest, ties to even, so the result equals a float32
// product of the rounded operands up to summation order. Only `Tensor`
// imports this module.
#ifndef CSIMD_GEMM_BF16_H
#define CSIMD_GEMM_BF16_H

#include <stddef.h>
#include <stdint.h>

/// Outputs per packed panel. Split output ranges between threads at multiples of it.
#define CSIMD_BF16_PANEL 32

/// Whether this CPU and OS run the kernel (AVX-512 F, BW, VL and BF16).
int csimd_bf16_gemm_supported(void);

/// float32 to bfloat16, rounding to nearest even (NaN stays NaN).
uint16_t csimd_bf16_round(float value);

/// Elements (uint16) of the packed form of an [n, k] weight matrix.
size_t csimd_bf16_packed_count(size_t n, size_t k);

/// Packs w [n, k] into `packed` (csimd_bf16_packed_count elements): panel p,
/// column pair q, lane l at ((p * ceil(k/2) + q) * PANEL + l) * 2; padding is 0.
void csimd_bf16_pack_weights(const float *w, size_t n, size_t k, uint16_t *packed);

/// Elements (uint16) of one converted input row: k rounded up to even.
size_t csimd_bf16_row_count(size_t k);

/// Rounds `rows` rows of x (row stride ldx) to bfloat16 rows of
/// csimd_bf16_row_count(k) elements each, padded with 0. Needs the kernel's CPU support.
void csimd_bf16_convert_rows(const float *x, size_t rows, size_t k, size_t ldx, uint16_t *xb);

/// y[r*ldy + o] (=, or += when accumulate) the bf16 product for r < rows and
/// o_begin <= o < o_end, where o_begin is a multiple of CSIMD_BF16_PANEL and
/// o_end is one too or equals n. `xb` comes from csimd_bf16_convert_rows, `packed`
/// from csimd_bf16_pack_weights. Needs csimd_bf16_gemm_supported().
void csimd_bf16_gemm(const uint16_t *xb, size_t rows, size_t k, const uint16_t *packed, size_t n,
                     size_t o_begin, size_t o_end, float *y, size_t ldy, int accumulate);

#endif
