// float32 matrix products behind csimd_gemm_f32.h.
//
// Blocking as in csimd_gemm_bf16.c and csimd_gemm_int8.c: input rows in blocks of
// MC_ROWS, output panels of PANEL columns (csimd_linear_packed.h's layout, so the thin
// kernel and this one share one packed copy), and a register tile of up to MR rows times
// one panel (2 * MR accumulators of 16 floats, 2 weight loads and MR broadcasts per input
// column) that runs over the inner dimension. A panel (k * 128 bytes) stays in L2 while a
// block's tiles reuse it. An inner dimension longer than KC is cut into equal slices: the
// first starts the sums from zero (or from y when accumulating), later ones from the
// partial sums stored in y. The last slice adds the bias and applies the activation in
// registers before the final store.
//
// Measured one thread, CPU time, on a Zen 4 core (about 57 G multiply-adds/s at one
// 512-bit FMA per cycle): 50-55 G multiply-adds/s on ViT-B/16 shapes (197 or 1576 rows
// by 768 or 3072), against 45-51 for OpenBLAS 0.3.21's AVX2 `sgemm`. Packing the input
// rows into tiles, or slicing the inner dimension at 768, measured no faster.
#include <math.h>

#include "csimd_gemm_f32.h"
#include "csimd_internal.h"
#include "csimd_linear_packed.h"

#define PANEL CSIMD_F32_PANEL
#define MC_ROWS CSIMD_F32_BLOCK_ROWS
#define KC CSIMD_F32_BLOCK_K
#define MR 12

_Static_assert(MR == 12, "CSIMD_TILE_UP_TO_12 expands tiles of up to 12 rows");

_Static_assert(CSIMD_F32_IDENTITY == CSIMD_ACTIVATION_IDENTITY &&
                   CSIMD_F32_QUICK_GELU == CSIMD_ACTIVATION_QUICK_GELU &&
                   CSIMD_F32_GELU == CSIMD_ACTIVATION_GELU,
               "the float32 activations are the shared epilogue's");
_Static_assert(MC_ROWS % MR == 0, "row blocks hold whole tiles");

#ifdef CSIMD_X86

#define AVX512 CSIMD_TARGET_AVX512F
#define INLINE CSIMD_INLINE

int csimd_f32_gemm_supported(void) { return csimd_supports(CSIMD_AVX512); }

// `mr` (constant after inlining) rows times one panel over `kc` columns. `start` says
// where the sums start: 0 from zero, 1 from y. `finish` adds the bias (when not NULL) and
// applies the activation before the store; masks cover a panel cut short by o_end.
AVX512 INLINE void tile(const float *x, size_t ldx, int mr, const float *panel, size_t kc,
                        int start, int finish, const float *bias, int activation, float *y,
                        size_t ldy, __mmask16 mask0, __mmask16 mask1) {
    __m512 acc[MR][2];
    for (int r = 0; r < mr; r++) {
        acc[r][0] = start ? _mm512_maskz_loadu_ps(mask0, y + r * ldy) : _mm512_setzero_ps();
        acc[r][1] = start ? _mm512_maskz_loadu_ps(mask1, y + r * ldy + 16) : _mm512_setzero_ps();
    }
    for (size_t j = 0; j < kc; j++) {
        __m512 w0 = _mm512_loadu_ps(panel + j * PANEL);
        __m512 w1 = _mm512_loadu_ps(panel + j * PANEL + 16);
        for (int r = 0; r < mr; r++) {
            __m512 a = _mm512_set1_ps(x[r * ldx + j]);
            acc[r][0] = _mm512_fmadd_ps(a, w0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(a, w1, acc[r][1]);
        }
    }
    if (finish) {
        __m512 bias0 = bias ? _mm512_maskz_loadu_ps(mask0, bias) : _mm512_setzero_ps();
        __m512 bias1 = bias ? _mm512_maskz_loadu_ps(mask1, bias + 16) : _mm512_setzero_ps();
        for (int r = 0; r < mr; r++) {
            if (bias) {
                acc[r][0] = _mm512_add_ps(acc[r][0], bias0);
                acc[r][1] = _mm512_add_ps(acc[r][1], bias1);
            }
            acc[r][0] = csimd_activate16(acc[r][0], activation);
            acc[r][1] = csimd_activate16(acc[r][1], activation);
        }
    }
    for (int r = 0; r < mr; r++) {
        _mm512_mask_storeu_ps(y + r * ldy, mask0, acc[r][0]);
        _mm512_mask_storeu_ps(y + r * ldy + 16, mask1, acc[r][1]);
    }
}

#define TILE(ROWS)                                                                         \
    tile(x + r * ldx + k0, ldx, ROWS, panel + k0 * PANEL, kc, start, finish,              \
         bias ? bias + o : NULL, activation, y + r * ldy + o, ldy, mask0, mask1)

AVX512 static void gemm_avx512(const float *x, size_t rows, size_t k, size_t ldx,
                               const float *packed, const float *bias, int activation,
                               size_t o_begin, size_t o_end, float *y, size_t ldy,
                               int accumulate) {
    // Equal slices of at most KC columns.
    size_t slices = (k + KC - 1) / KC, slice = (k + slices - 1) / slices;
    for (size_t m0 = 0; m0 < rows; m0 += MC_ROWS) {
        size_t m1 = rows - m0 < MC_ROWS ? rows : m0 + MC_ROWS;
        for (size_t k0 = 0; k0 < k; k0 += slice) {
            size_t kc = k - k0 < slice ? k - k0 : slice;
            int start = k0 > 0 || accumulate, finish = k0 + kc == k;
            for (size_t o = o_begin; o < o_end; o += PANEL) {
                const float *panel = packed + o / PANEL * k * PANEL;
                size_t valid = o_end - o < PANEL ? o_end - o : PANEL;
                CSIMD_PANEL_MASKS(valid, mask0, mask1);
                for (size_t r = m0; r < m1;) {
                    size_t left = m1 - r;
                    CSIMD_TILE_UP_TO_12(left, TILE)
                    r += left >= MR ? MR : left;
                }
            }
        }
    }
}

// Softmax of `rows` rows of `cols` scores (stride ld) in place, as Tensor's `softmaxRows`:
// the row's largest value subtracted, exp, then a multiply by the reciprocal of the sum.
AVX512 static void softmax_rows(float *s, size_t rows, size_t cols, size_t ld) {
    size_t tail = cols % 16, body = cols - tail;
    __mmask16 mask = (__mmask16)((1u << tail) - 1u);
    for (size_t r = 0; r < rows; r++) {
        float *p = s + r * ld;
        __m512 m = _mm512_set1_ps(-INFINITY);
        for (size_t j = 0; j < body; j += 16) m = _mm512_max_ps(m, _mm512_loadu_ps(p + j));
        if (tail) m = _mm512_mask_max_ps(m, mask, m, _mm512_maskz_loadu_ps(mask, p + body));
        __m512 largest = _mm512_set1_ps(_mm512_reduce_max_ps(m));
        __m512 sum = _mm512_setzero_ps();
        for (size_t j = 0; j < body; j += 16) {
            __m512 e = csimd_exp16(_mm512_sub_ps(_mm512_loadu_ps(p + j), largest));
            sum = _mm512_add_ps(sum, e);
            _mm512_storeu_ps(p + j, e);
        }
        if (tail) {
            __m512 e = csimd_exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, p + body), largest));
            sum = _mm512_mask_add_ps(sum, mask, sum, e);
            _mm512_mask_storeu_ps(p + body, mask, e);
        }
        __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
        for (size_t j = 0; j < body; j += 16)
            _mm512_storeu_ps(p + j, _mm512_mul_ps(_mm512_loadu_ps(p + j), inv));
        if (tail)
            _mm512_mask_storeu_ps(p + body, mask,
                                  _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, p + body), inv));
    }
}

AVX512 static void attention_avx512(const float *q, size_t ldq, const float *k, size_t ldk,
                                    const float *v, size_t ldv, float *out, size_t ldo,
                                    size_t queries, size_t keys, size_t head_dim, float scale,
                                    float *scratch) {
    size_t key_panels = (keys + PANEL - 1) / PANEL, dim_panels = (head_dim + PANEL - 1) / PANEL;
    float *pk = scratch, *pv = pk + key_panels * PANEL * head_dim;
    float *scores = pv + dim_panels * PANEL * keys;
    // Keys as the weights of the scores' product (outputs: keys; inputs: the head's values).
    for (size_t p = 0; p < key_panels; p++) {
        for (size_t c = 0; c < head_dim; c++) {
            float *dst = pk + (p * head_dim + c) * PANEL;
            for (size_t l = 0; l < PANEL; l++) {
                size_t j = p * PANEL + l;
                dst[l] = j < keys ? scale * k[j * ldk + c] : 0.0f;
            }
        }
    }
    // Values as the weights of the output's product (outputs: the head's values; inputs:
    // keys): each panel row is 32 consecutive values of one key.
    for (size_t p = 0; p < dim_panels; p++) {
        for (size_t j = 0; j < keys; j++) {
            float *dst = pv + (p * keys + j) * PANEL;
            for (size_t l = 0; l < PANEL; l++) {
                size_t c = p * PANEL + l;
                dst[l] = c < head_dim ? v[j * ldv + c] : 0.0f;
            }
        }
    }
    for (size_t q0 = 0; q0 < queries; q0 += CSIMD_F32_ATTENTION_ROWS) {
        size_t rows = queries - q0 < CSIMD_F32_ATTENTION_ROWS ? queries - q0
                                                                : CSIMD_F32_ATTENTION_ROWS;
        gemm_avx512(q + q0 * ldq, rows, head_dim, ldq, pk, NULL, CSIMD_F32_IDENTITY, 0, keys,
                    scores, keys, 0);
        softmax_rows(scores, rows, keys, keys);
        gemm_avx512(scores, rows, keys, keys, pv, NULL, CSIMD_F32_IDENTITY, 0, head_dim,
                    out + q0 * ldo, ldo, 0);
    }
}

#else

int csimd_f32_gemm_supported(void) { return 0; }

#endif

size_t csimd_attention_f32_scratch(size_t keys, size_t head_dim) {
    size_t key_panels = (keys + PANEL - 1) / PANEL, dim_panels = (head_dim + PANEL - 1) / PANEL;
    return key_panels * PANEL * head_dim + dim_panels * PANEL * keys +
           CSIMD_F32_ATTENTION_ROWS * keys;
}

void csimd_attention_f32(const float *q, size_t ldq, const float *k, size_t ldk, const float *v,
                         size_t ldv, float *out, size_t ldo, size_t queries, size_t keys,
                         size_t head_dim, float scale, float *scratch) {
    if (queries == 0 || keys == 0 || head_dim == 0) return;
#ifdef CSIMD_X86
    if (csimd_f32_gemm_supported())
        attention_avx512(q, ldq, k, ldk, v, ldv, out, ldo, queries, keys, head_dim, scale,
                         scratch);
#else
    (void)q; (void)ldq; (void)k; (void)ldk; (void)v; (void)ldv; (void)out; (void)ldo;
    (void)scale; (void)scratch;
#endif
}

void csimd_gemm_f32(const float *x, size_t rows, size_t k, size_t ldx, const float *packed,
                    const float *bias, int activation, size_t n, size_t o_begin, size_t o_end,
                    float *y, size_t ldy, int accumulate) {
    if (o_end > n) o_end = n;
    if (rows == 0 || k == 0 || o_begin >= o_end) return;
#ifdef CSIMD_X86
    if (csimd_f32_gemm_supported())
        gemm_avx512(x, rows, k, ldx, packed, bias, activation, o_begin, o_end, y, ldy,
                    accumulate);
#else
    (void)x; (void)ldx; (void)packed; (void)bias; (void)activation; (void)y; (void)ldy;
    (void)accumulate;
#endif
}
