// bfloat16 matrix products behind csimd_gemm_bf16.h.
//
// Blocking: input rows in blocks of MC_ROWS, output panels of PANEL columns,
// and a register tile of up to MR rows times one panel (2 * MR accumulators of
// 16 floats) that runs over the whole inner dimension, so every output is
// loaded and stored once. A block's converted input rows and a panel's packed
// weights (ceil(k/2) * 128 bytes) stay in L2 while the block's tiles reuse
// them. `vdpbf16ps` multiplies a broadcast pair of input values with a pair of
// each of 16 outputs' weights and adds both exact products to float32
// accumulators. (Splitting the inner dimension into blocks, with the outputs
// reloaded per block, measured slower for many rows.)
#include "csimd_gemm_bf16.h"
#include "csimd_internal.h"

#define PANEL CSIMD_BF16_PANEL
#define MC_ROWS 48
#define MR 12

_Static_assert(MR == 12, "CSIMD_TILE_UP_TO_12 expands tiles of up to 12 rows");

uint16_t csimd_bf16_round(float value) { return csimd_f32_to_bf16(value); }

size_t csimd_bf16_row_count(size_t k) { return (k + 1) / 2 * 2; }

size_t csimd_bf16_packed_count(size_t n, size_t k) {
    return (n + PANEL - 1) / PANEL * PANEL * csimd_bf16_row_count(k);
}

void csimd_bf16_pack_weights(const float *w, size_t n, size_t k, uint16_t *packed) {
    size_t pairs = (k + 1) / 2, panels = (n + PANEL - 1) / PANEL;
    for (size_t p = 0; p < panels; p++) {
        for (size_t q = 0; q < pairs; q++) {
            uint16_t *dst = packed + (p * pairs + q) * PANEL * 2;
            for (size_t l = 0; l < PANEL; l++) {
                size_t o = p * PANEL + l, j = 2 * q;
                dst[2 * l] = o < n ? csimd_bf16_round(w[o * k + j]) : 0;
                dst[2 * l + 1] = o < n && j + 1 < k ? csimd_bf16_round(w[o * k + j + 1]) : 0;
            }
        }
    }
}

#ifdef CSIMD_X86

#define BF16 CSIMD_TARGET_BF16
#define INLINE CSIMD_INLINE

int csimd_bf16_gemm_supported(void) {
    static int cached = -1;  // every thread computes the same value
    int supported = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                    __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bf16");
        __atomic_store_n(&cached, supported, __ATOMIC_RELAXED);
    }
    return supported;
}

BF16 static void convert_rows_avx512(const float *x, size_t rows, size_t k, size_t ldx, uint16_t *xb) {
    size_t kk = csimd_bf16_row_count(k);
    for (size_t r = 0; r < rows; r++) {
        const float *src = x + r * ldx;
        uint16_t *dst = xb + r * kk;
        size_t j = 0;
        for (; j + 16 <= k; j += 16)
            _mm256_storeu_si256((__m256i *)(dst + j), csimd_f32x16_to_bf16(_mm512_loadu_ps(src + j)));
        for (; j < k; j++) dst[j] = csimd_bf16_round(src[j]);
        if (kk > k) dst[k] = 0;
    }
}

// A pair of bfloat16 values as one 32-bit lane pattern.
INLINE int load_pair(const uint16_t *p) {
    int v;
    memcpy(&v, p, sizeof v);
    return v;
}

// `mr` (constant after inlining) rows times one panel over all `pairs` column
// pairs. The accumulators start from y when accumulating, else from zero;
// masks cover a panel cut short by o_end.
BF16 INLINE void tile(const uint16_t *xb, size_t kk, int mr, const uint16_t *panel,
                      size_t pairs, float *y, size_t ldy, int accumulate,
                      __mmask16 mask0, __mmask16 mask1) {
    __m512 acc[MR][2];
    for (int r = 0; r < mr; r++) {
        acc[r][0] = accumulate ? _mm512_maskz_loadu_ps(mask0, y + r * ldy) : _mm512_setzero_ps();
        acc[r][1] = accumulate ? _mm512_maskz_loadu_ps(mask1, y + r * ldy + 16) : _mm512_setzero_ps();
    }
    for (size_t q = 0; q < pairs; q++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(panel + q * PANEL * 2);
        __m512bh b1 = (__m512bh)_mm512_loadu_si512(panel + q * PANEL * 2 + 32);
        for (int r = 0; r < mr; r++) {
            __m512bh a = (__m512bh)_mm512_set1_epi32(load_pair(xb + r * kk + 2 * q));
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], a, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], a, b1);
        }
    }
    for (int r = 0; r < mr; r++) {
        _mm512_mask_storeu_ps(y + r * ldy, mask0, acc[r][0]);
        _mm512_mask_storeu_ps(y + r * ldy + 16, mask1, acc[r][1]);
    }
}

#define TILE(ROWS)                                                                         \
    tile(xb + r * kk, kk, ROWS, panel, pairs, y + r * ldy + o, ldy, accumulate, mask0, mask1)

BF16 static void gemm_avx512(const uint16_t *xb, size_t rows, size_t k, const uint16_t *packed,
                             size_t o_begin, size_t o_end, float *y, size_t ldy, int accumulate) {
    size_t kk = csimd_bf16_row_count(k), pairs = kk / 2;
    for (size_t m0 = 0; m0 < rows; m0 += MC_ROWS) {
        size_t m1 = rows - m0 < MC_ROWS ? rows : m0 + MC_ROWS;
        for (size_t o = o_begin; o < o_end; o += PANEL) {
            const uint16_t *panel = packed + o / PANEL * pairs * PANEL * 2;
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

#else

int csimd_bf16_gemm_supported(void) { return 0; }

#endif

void csimd_bf16_convert_rows(const float *x, size_t rows, size_t k, size_t ldx, uint16_t *xb) {
#ifdef CSIMD_X86
    if (csimd_bf16_gemm_supported()) {
        convert_rows_avx512(x, rows, k, ldx, xb);
        return;
    }
#endif
    size_t kk = csimd_bf16_row_count(k);
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < k; j++) xb[r * kk + j] = csimd_bf16_round(x[r * ldx + j]);
        if (kk > k) xb[r * kk + k] = 0;
    }
}

void csimd_bf16_gemm(const uint16_t *xb, size_t rows, size_t k, const uint16_t *packed, size_t n,
                     size_t o_begin, size_t o_end, float *y, size_t ldy, int accumulate) {
    if (o_end > n) o_end = n;
    if (rows == 0 || o_begin >= o_end) return;
#ifdef CSIMD_X86
    if (csimd_bf16_gemm_supported()) gemm_avx512(xb, rows, k, packed, o_begin, o_end, y, ldy, accumulate);
#else
    (void)xb; (void)k; (void)packed; (void)y; (void)ldy; (void)accumulate;
#endif
}
