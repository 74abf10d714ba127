// 8-bit integer matrix products behind csimd_gemm_int8.h.
//
// Blocking as in csimd_gemm_bf16.c: input rows in blocks of MC_ROWS, output panels of
// PANEL columns, and a register tile of up to MR rows times one panel (2 * MR int32
// accumulators of 16 lanes) that runs over the whole inner dimension, so every output is
// converted, scaled and stored once. `vpdpbusd` multiplies a broadcast quad of unsigned
// input bytes with a quad of each of 16 outputs' signed weight bytes and adds the four
// products to int32 lanes (exactly: no saturation, and k is bounded so no overflow); a
// panel's packed weights (ceil(k/4) * 128 bytes) and a block's input rows stay in L2.
#include <math.h>

#include "csimd_gemm_int8.h"
#include "csimd_internal.h"

#define PANEL CSIMD_INT8_PANEL
#define MC_ROWS CSIMD_INT8_BLOCK_ROWS
#define MR 12

_Static_assert(MR == 12, "CSIMD_TILE_UP_TO_12 expands tiles of up to 12 rows");

_Static_assert(CSIMD_INT8_IDENTITY == CSIMD_ACTIVATION_IDENTITY &&
                   CSIMD_INT8_QUICK_GELU == CSIMD_ACTIVATION_QUICK_GELU &&
                   CSIMD_INT8_GELU == CSIMD_ACTIVATION_GELU,
               "the int8 activations are the shared epilogue's");

size_t csimd_int8_row_count(size_t k) { return (k + 3) / 4 * 4; }

size_t csimd_int8_packed_count(size_t n, size_t k) {
    return (n + PANEL - 1) / PANEL * PANEL * csimd_int8_row_count(k);
}

/// Rounds a float already clamped to the int8 or uint8 range to nearest, ties to even.
static inline int32_t round_even(float v) { return (int32_t)lrintf(v); }

void csimd_int8_pack_weights(const float *w, size_t n, size_t k, int8_t *packed, float *scales,
                             int32_t *sums) {
    size_t kk = csimd_int8_row_count(k), quads = kk / 4, panels = (n + PANEL - 1) / PANEL;
    memset(packed, 0, csimd_int8_packed_count(n, k));
    for (size_t o = 0; o < panels * PANEL; o++) {
        if (o >= n) {
            sums[o] = 0;
            continue;
        }
        const float *row = w + o * k;
        float largest = 0;
        for (size_t j = 0; j < k; j++) largest = fmaxf(largest, fabsf(row[j]));
        float inv = largest > 0 ? 127.0f / largest : 0.0f;
        scales[o] = largest / 127.0f;
        int32_t sum = 0;
        int8_t *lane = packed + (o / PANEL * quads * PANEL + o % PANEL) * 4;
        for (size_t j = 0; j < k; j++) {
            int32_t q = round_even(fminf(fmaxf(row[j] * inv, -127.0f), 127.0f));
            lane[(j / 4) * PANEL * 4 + j % 4] = (int8_t)q;
            sum += q;
        }
        sums[o] = sum;
    }
}

/// A row's scale, zero point and its reciprocal step from its smallest and largest values.
static inline void row_parameters(float lo, float hi, float *inv, float *scale, int32_t *zero) {
    float range = hi - lo;
    if (!(range > 0)) {
        *inv = 0;
        *scale = 0;
        *zero = 0;
        return;
    }
    *inv = 255.0f / range;
    *scale = range / 255.0f;
    *zero = round_even(fminf(fmaxf(-lo * *inv, 0.0f), 255.0f));
}

static void quantize_rows_portable(const float *x, size_t rows, size_t k, size_t ldx,
                                   uint8_t *xq, float *scales, int32_t *zeros) {
    size_t kk = csimd_int8_row_count(k);
    for (size_t r = 0; r < rows; r++) {
        const float *src = x + r * ldx;
        uint8_t *dst = xq + r * kk;
        float lo = 0, hi = 0;
        for (size_t j = 0; j < k; j++) {
            lo = src[j] < lo ? src[j] : lo;
            hi = src[j] > hi ? src[j] : hi;
        }
        float inv;
        row_parameters(lo, hi, &inv, &scales[r], &zeros[r]);
        float zero = (float)zeros[r];
        for (size_t j = 0; j < k; j++) {
            float v = src[j] * inv;
            v = v + zero;
            dst[j] = (uint8_t)round_even(fminf(fmaxf(v, 0.0f), 255.0f));
        }
        for (size_t j = k; j < kk; j++) dst[j] = 0;
    }
}

#ifdef CSIMD_X86

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define INLINE CSIMD_INLINE

int csimd_int8_gemm_supported(void) {
    static int cached = -1;  // every thread computes the same value
    int supported = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                    __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
        __atomic_store_n(&cached, supported, __ATOMIC_RELAXED);
    }
    return supported;
}

VNNI static void quantize_rows_avx512(const float *x, size_t rows, size_t k, size_t ldx,
                                      uint8_t *xq, float *scales, int32_t *zeros) {
    size_t kk = csimd_int8_row_count(k);
    const __m512 zero_ps = _mm512_setzero_ps(), top = _mm512_set1_ps(255.0f);
    for (size_t r = 0; r < rows; r++) {
        const float *src = x + r * ldx;
        uint8_t *dst = xq + r * kk;
        __m512 lo = zero_ps, hi = zero_ps;
        size_t j = 0;
        for (; j + 16 <= k; j += 16) {
            __m512 v = _mm512_loadu_ps(src + j);
            lo = _mm512_min_ps(v, lo);
            hi = _mm512_max_ps(v, hi);
        }
        __mmask16 tail = (__mmask16)((1u << (k - j)) - 1u);
        if (tail) {
            // Masked-off lanes read as 0, which the range includes anyway.
            __m512 v = _mm512_maskz_loadu_ps(tail, src + j);
            lo = _mm512_min_ps(v, lo);
            hi = _mm512_max_ps(v, hi);
        }
        float inv;
        row_parameters(_mm512_reduce_min_ps(lo), _mm512_reduce_max_ps(hi), &inv, &scales[r],
                       &zeros[r]);
        __m512 inv_v = _mm512_set1_ps(inv), zero_v = _mm512_set1_ps((float)zeros[r]);
        for (j = 0; j + 16 <= k; j += 16) {
            __m512 v = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(src + j), inv_v), zero_v);
            v = _mm512_min_ps(_mm512_max_ps(v, zero_ps), top);
            _mm_storeu_si128((__m128i *)(dst + j), _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(v)));
        }
        if (tail) {
            __m512 v = _mm512_maskz_loadu_ps(tail, src + j);
            v = _mm512_add_ps(_mm512_mul_ps(v, inv_v), zero_v);
            v = _mm512_min_ps(_mm512_max_ps(v, zero_ps), top);
            _mm512_mask_cvtepi32_storeu_epi8(dst + j, tail, _mm512_cvtps_epi32(v));
        }
        for (j = k; j < kk; j++) dst[j] = 0;
    }
}

// Four input bytes as one 32-bit lane pattern.
INLINE int load_quad(const uint8_t *p) {
    int v;
    memcpy(&v, p, sizeof v);
    return v;
}

// `mr` (constant after inlining) rows times one panel over all `quads` column quads, then
// the zero points come off, the sums are scaled to float, added to y when accumulating,
// the bias added and the activation applied, and stored; masks cover a panel cut short by
// o_end.
VNNI INLINE void tile(const uint8_t *xq, size_t kk, int mr, const int8_t *panel, size_t quads,
                      const float *xscales, const int32_t *zeros, const float *wscales,
                      const int32_t *sums, const float *bias, int activation, float *y,
                      size_t ldy, int accumulate, __mmask16 mask0, __mmask16 mask1) {
    __m512i acc[MR][2];
    for (int r = 0; r < mr; r++) {
        acc[r][0] = _mm512_setzero_si512();
        acc[r][1] = _mm512_setzero_si512();
    }
    for (size_t q = 0; q < quads; q++) {
        __m512i b0 = _mm512_loadu_si512(panel + q * PANEL * 4);
        __m512i b1 = _mm512_loadu_si512(panel + q * PANEL * 4 + 64);
        for (int r = 0; r < mr; r++) {
            __m512i a = _mm512_set1_epi32(load_quad(xq + r * kk + 4 * q));
            acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], a, b0);
            acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], a, b1);
        }
    }
    __m512 ws0 = _mm512_maskz_loadu_ps(mask0, wscales);
    __m512 ws1 = _mm512_maskz_loadu_ps(mask1, wscales + 16);
    __m512i s0 = _mm512_loadu_si512(sums), s1 = _mm512_loadu_si512(sums + 16);
    __m512 bias0 = bias ? _mm512_maskz_loadu_ps(mask0, bias) : _mm512_setzero_ps();
    __m512 bias1 = bias ? _mm512_maskz_loadu_ps(mask1, bias + 16) : _mm512_setzero_ps();
    for (int r = 0; r < mr; r++) {
        __m512i z = _mm512_set1_epi32(zeros[r]);
        __m512 xs = _mm512_set1_ps(xscales[r]);
        __m512i d0 = _mm512_sub_epi32(acc[r][0], _mm512_mullo_epi32(z, s0));
        __m512i d1 = _mm512_sub_epi32(acc[r][1], _mm512_mullo_epi32(z, s1));
        __m512 f0 = _mm512_mul_ps(_mm512_cvtepi32_ps(d0), _mm512_mul_ps(xs, ws0));
        __m512 f1 = _mm512_mul_ps(_mm512_cvtepi32_ps(d1), _mm512_mul_ps(xs, ws1));
        if (accumulate) {
            f0 = _mm512_add_ps(_mm512_maskz_loadu_ps(mask0, y + r * ldy), f0);
            f1 = _mm512_add_ps(_mm512_maskz_loadu_ps(mask1, y + r * ldy + 16), f1);
        }
        if (bias) {
            f0 = _mm512_add_ps(f0, bias0);
            f1 = _mm512_add_ps(f1, bias1);
        }
        f0 = csimd_activate16(f0, activation);
        f1 = csimd_activate16(f1, activation);
        _mm512_mask_storeu_ps(y + r * ldy, mask0, f0);
        _mm512_mask_storeu_ps(y + r * ldy + 16, mask1, f1);
    }
}

#define TILE(ROWS)                                                                         \
    tile(xq + r * kk, kk, ROWS, panel, quads, xscales + r, zeros + r, wscales + o, sums + o, \
         bias ? bias + o : NULL, activation, y + r * ldy + o, ldy, accumulate, mask0, mask1)

VNNI static void gemm_avx512(const uint8_t *xq, const float *xscales, const int32_t *zeros,
                             size_t rows, size_t k, const int8_t *packed, const float *wscales,
                             const int32_t *sums, const float *bias, int activation,
                             size_t o_begin, size_t o_end, float *y, size_t ldy, int accumulate) {
    size_t kk = csimd_int8_row_count(k), quads = kk / 4;
    for (size_t m0 = 0; m0 < rows; m0 += MC_ROWS) {
        size_t m1 = rows - m0 < MC_ROWS ? rows : m0 + MC_ROWS;
        for (size_t o = o_begin; o < o_end; o += PANEL) {
            const int8_t *panel = packed + o / PANEL * quads * PANEL * 4;
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

int csimd_int8_gemm_supported(void) { return 0; }

#endif

void csimd_int8_quantize_rows(const float *x, size_t rows, size_t k, size_t ldx, uint8_t *xq,
                              float *scales, int32_t *zeros) {
#ifdef CSIMD_X86
    if (csimd_int8_gemm_supported()) {
        quantize_rows_avx512(x, rows, k, ldx, xq, scales, zeros);
        return;
    }
#endif
    quantize_rows_portable(x, rows, k, ldx, xq, scales, zeros);
}

void csimd_int8_gemm(const uint8_t *xq, const float *xscales, const int32_t *zeros, size_t rows,
                     size_t k, const int8_t *packed, const float *wscales, const int32_t *sums,
                     const float *bias, int activation, size_t n, size_t o_begin, size_t o_end,
                     float *y, size_t ldy, int accumulate) {
    if (o_end > n) o_end = n;
    if (rows == 0 || o_begin >= o_end || k > CSIMD_INT8_MAX_K) return;
#ifdef CSIMD_X86
    if (csimd_int8_gemm_supported())
        gemm_avx512(xq, xscales, zeros, rows, k, packed, wscales, sums, bias, activation,
                    o_begin, o_end, y, ldy, accumulate);
#else
    (void)xq; (void)xscales; (void)zeros; (void)packed; (void)wscales; (void)sums; (void)bias;
    (void)activation; (void)y; (void)ldy; (void)accumulate;
#endif
}
