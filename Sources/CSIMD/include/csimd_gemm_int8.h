// csimd_gemm_int8: matrix products in 8-bit integers with int32 sums, for Linear layers
// with many input rows (image encoding), on CPUs with AVX-512 VNNI.
//
// y[r, o] (=|+=) sx[r] * sw[o] * sum_k (xq[r, k] - zx[r]) * wq[o, k]
//
// Weights (PyTorch `Linear` layout [out, in]) are quantised once, symmetrically per output
// channel (wq in [-127, 127], sw[o] = max|w[o, :]| / 127), and packed into panels of
// CSIMD_INT8_PANEL outputs. Input rows are quantised per call, each row with its own scale
// and zero point (xq in [0, 255], the row's range including 0 spread over 255 steps), so
// `vpdpbusd` multiplies unsigned input bytes with signed weight bytes; the zero point comes
// off afterwards through each output's weight sum (zx[r] * sum_k wq[o, k]). Rounding is to
// nearest, ties to even. Only `Tensor` imports this module.
#ifndef CSIMD_GEMM_INT8_H
#define CSIMD_GEMM_INT8_H

#include <stddef.h>
#include <stdint.h>

/// Outputs per packed panel. Split output ranges between threads at multiples of it.
#define CSIMD_INT8_PANEL 32

/// The activations csimd_int8_gemm applies after the bias.
#define CSIMD_INT8_IDENTITY 0
/// x * sigmoid(1.702 x), exp as Tensor's `fastExp`.
#define CSIMD_INT8_QUICK_GELU 1
/// 0.5 x (1 + erf(x / sqrt 2)), erf as Tensor's `fastErf`.
#define CSIMD_INT8_GELU 2

/// Input rows the kernel takes at a time (a block's rows stay in L2 with a panel).
#define CSIMD_INT8_BLOCK_ROWS 48

/// The largest inner dimension whose sums cannot overflow int32 (255 * 127 * k < 2^31).
#define CSIMD_INT8_MAX_K 65536

/// Whether this CPU and OS run the kernel (AVX-512 F, BW, VL and VNNI).
int csimd_int8_gemm_supported(void);

/// Bytes of one quantised input row, and columns of one packed panel: k rounded up to 4.
size_t csimd_int8_row_count(size_t k);

/// Bytes of the packed form of an [n, k] weight matrix; also, divided by
/// csimd_int8_row_count(k), the length of its `sums` (n rounded up to a whole panel).
size_t csimd_int8_packed_count(size_t n, size_t k);

/// Quantises w [n, k] per output row and packs it into `packed` (csimd_int8_packed_count
/// bytes): panel p, column quad q, lane l, byte b at ((p * quads + q) * PANEL + l) * 4 + b;
/// padding is 0. scales[o] (n floats) is max|w[o, :]| / 127 (0 for a zero row) and sums[o]
/// (n rounded up to a whole panel; 0 past n) the sum of row o's quantised weights.
void csimd_int8_pack_weights(const float *w, size_t n, size_t k, int8_t *packed, float *scales,
                             int32_t *sums);

/// Quantises `rows` rows of x (row stride ldx) to bytes, csimd_int8_row_count(k) per row
/// (padding 0): for a row with lo = min(0, min x) and hi = max(0, max x), inv = 255 / (hi - lo),
/// zeros[r] = round(-lo * inv), xq = clamp(round(x * inv + zeros[r]), 0, 255) and
/// scales[r] = (hi - lo) / 255 (all 0 for a zero row). Uses AVX-512 where the kernel runs,
/// with the same operations in the same order as the portable loop.
void csimd_int8_quantize_rows(const float *x, size_t rows, size_t k, size_t ldx, uint8_t *xq,
                              float *scales, int32_t *zeros);

/// y[r*ldy + o] = activation(p + bias[o]), where p is (float)(sum_k xq * wq - zeros[r] *
/// sums[o]) * (xscales[r] * wscales[o]), or y[r*ldy + o] + p when accumulate, for r < rows
/// and o_begin <= o < o_end, where o_begin is a multiple of CSIMD_INT8_PANEL and o_end is
/// one too or equals n. `bias` (n floats) may be NULL; `activation` is one of the
/// CSIMD_INT8_ activations. Inputs come from csimd_int8_quantize_rows, weights from
/// csimd_int8_pack_weights; k <= CSIMD_INT8_MAX_K. Needs csimd_int8_gemm_supported().
void csimd_int8_gemm(const uint8_t *xq, const float *xscales, const int32_t *zeros, size_t rows,
                     size_t k, const int8_t *packed, const float *wscales, const int32_t *sums,
                     const float *bias, int activation, size_t n, size_t o_begin, size_t o_end,
                     float *y, size_t ldy, int accumulate);

#endif
