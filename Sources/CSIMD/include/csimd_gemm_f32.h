// csimd_gemm_f32: float32 matrix products for Linear layers with many input rows (image
// encoding), on CPUs with AVX-512F, against the panel-packed weights of
// csimd_linear_packed.h.
//
// y[r, o] = activation(sum_k x[r, k] * w[o, k] + bias[o]), or with accumulate
// y[r, o] + sum_k x[r, k] * w[o, k] (+ bias[o])
//
// Every product is a float32 fused multiply-add (no reduced precision anywhere). Rows
// run in blocks of CSIMD_F32_BLOCK_ROWS (and an inner dimension longer than
// CSIMD_F32_BLOCK_K in equal slices), register tiles of 12 rows times one 32-output panel
// running over each block; the bias and the activation are applied while the last
// slice's sums are in registers, so the output is written once. Only `Tensor` imports
// this module.
#ifndef CSIMD_GEMM_F32_H
#define CSIMD_GEMM_F32_H

#include <stddef.h>

/// The activations csimd_gemm_f32 applies after the bias.
#define CSIMD_F32_IDENTITY 0
/// x * sigmoid(1.702 x), exp as Tensor's `fastExp`.
#define CSIMD_F32_QUICK_GELU 1
/// 0.5 x (1 + erf(x / sqrt 2)), erf as Tensor's `fastErf`.
#define CSIMD_F32_GELU 2

/// Input rows the kernel takes at a time.
#define CSIMD_F32_BLOCK_ROWS 96
/// The longest slice of the inner dimension the kernel sums at a time.
#define CSIMD_F32_BLOCK_K 3072

/// Whether this CPU and OS run the kernel (AVX-512F).
int csimd_f32_gemm_supported(void);

/// y[r*ldy + o] = activation(p + bias[o]), where p is the float32 product of row r of x
/// (row stride ldx) and output o of `packed` (csimd_f32_pack_weights' layout), or, when
/// accumulate, y[r*ldy + o] + p (+ bias[o]), for r < rows and o_begin <= o < o_end, where
/// o_begin is a multiple of CSIMD_F32_PANEL and o_end is one too or equals n. `bias` (n
/// floats) may be NULL; `activation` is one of the CSIMD_F32_ activations and must be
/// CSIMD_F32_IDENTITY when accumulating. `y` must not overlap `x`. Needs
/// csimd_f32_gemm_supported().
void csimd_gemm_f32(const float *x, size_t rows, size_t k, size_t ldx, const float *packed,
                    const float *bias, int activation, size_t n, size_t o_begin, size_t o_end,
                    float *y, size_t ldy, int accumulate);

/// Query rows csimd_attention_f32 takes at a time (their scores stay in L1/L2).
#define CSIMD_F32_ATTENTION_ROWS 48

/// Floats of scratch csimd_attention_f32 needs for `keys` keys of `head_dim` values.
size_t csimd_attention_f32_scratch(size_t keys, size_t head_dim);

/// One head of scaled dot-product attention in float32, fused: out[i, c] = sum_j p[i, j] *
/// v[j, c], where p[i, :] is the softmax (max subtracted, exp as Tensor's `fastExp`) of
/// scale * q[i, :] . k[j, :]. q has `queries` rows, k and v `keys` rows, each `head_dim`
/// wide (row strides ldq, ldk, ldv); out gets `queries` rows (stride ldo). The keys, scaled,
/// and the values are packed once into panels in `scratch`
/// (csimd_attention_f32_scratch floats); then for each CSIMD_F32_ATTENTION_ROWS query rows
/// the scores come from csimd_gemm_f32's tiles, the softmax runs on them while they are in
/// cache, and the tiles multiply them with the values. Needs csimd_f32_gemm_supported().
void csimd_attention_f32(const float *q, size_t ldq, const float *k, size_t ldk, const float *v,
                         size_t ldv, float *out, size_t ldo, size_t queries, size_t keys,
                         size_t head_dim, float scale, float *scratch);

#endif
