// Thin matrix products (few rows times a transposed weight matrix) behind
// csimd_linear.h. Every SIMD function carries its own target attribute so the
// translation unit compiles for baseline x86-64.
//
// Blocking: a tile of NR weight rows times MR input rows keeps MR*NR vector
// accumulators. The outer loop walks weight-row tiles, the inner loop the
// input-row tiles, so a weight tile comes from memory once and is re-read
// from L1/L2 for the following input-row tiles.
#include "csimd_linear.h"
#include "csimd.h"
#include "csimd_internal.h"

#define INLINE CSIMD_INLINE

static inline void store(float *p, float v, int accumulate) {
    if (accumulate) *p += v; else *p = v;
}

// MARK: scalar (portable)

// One output: MR rows against one weight row, four partial sums per row.
INLINE void tile_scalar(const float *x, size_t ldx, int mr, const float *w, size_t k,
                        float *y, size_t ldy, int accumulate) {
    for (int r = 0; r < mr; r++) {
        const float *xr = x + (size_t)r * ldx;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        size_t j = 0;
        for (; j + 4 <= k; j += 4) {
            s0 += xr[j] * w[j];
            s1 += xr[j + 1] * w[j + 1];
            s2 += xr[j + 2] * w[j + 2];
            s3 += xr[j + 3] * w[j + 3];
        }
        for (; j < k; j++) s0 += xr[j] * w[j];
        store(y + (size_t)r * ldy, (s0 + s1) + (s2 + s3), accumulate);
    }
}

static void linear_scalar(const float *x, size_t rows, size_t k, size_t ldx,
                          const float *w, size_t o_begin, size_t o_end,
                          float *y, size_t ldy, int accumulate) {
    for (size_t o = o_begin; o < o_end; o++) {
        for (size_t r = 0; r < rows; r += 4) {
            int mr = rows - r < 4 ? (int)(rows - r) : 4;
            tile_scalar(x + r * ldx, ldx, mr, w + o * k, k, y + r * ldy + o, ldy, accumulate);
        }
    }
}

#ifdef CSIMD_X86

// MARK: AVX2 + FMA

#define AVX2 CSIMD_TARGET_AVX2

// MR (<= 4) input rows times NR (<= 3) weight rows: at most 12 accumulators,
// NR weight loads and MR input loads per 8 columns. Called with constant
// mr/nr so the loops unroll into registers. (4x3 measured fastest among
// 3x4, 2x6, 5x2, 6x2, 2x4, 4x2, 3x3 and 4x4 on a Zen core.)
AVX2 INLINE void tile_avx2(const float *x, size_t ldx, int mr, const float *w, size_t k, int nr,
                           float *y, size_t ldy, int accumulate) {
    __m256 acc[4][3];
    for (int r = 0; r < mr; r++)
        for (int n = 0; n < nr; n++) acc[r][n] = _mm256_setzero_ps();
    size_t vec = k / 8 * 8;
    for (size_t j = 0; j < vec; j += 8) {
        __m256 wv[3];
        for (int n = 0; n < nr; n++) wv[n] = _mm256_loadu_ps(w + (size_t)n * k + j);
        for (int r = 0; r < mr; r++) {
            __m256 xv = _mm256_loadu_ps(x + (size_t)r * ldx + j);
            for (int n = 0; n < nr; n++) acc[r][n] = _mm256_fmadd_ps(xv, wv[n], acc[r][n]);
        }
    }
    for (int r = 0; r < mr; r++) {
        const float *xr = x + (size_t)r * ldx;
        for (int n = 0; n < nr; n++) {
            const float *wn = w + (size_t)n * k;
            float s = csimd_hsum256(acc[r][n]);
            for (size_t j = vec; j < k; j++) s += xr[j] * wn[j];
            store(y + (size_t)r * ldy + n, s, accumulate);
        }
    }
}

#define AVX2_ROWS(NR)                                                                  \
    for (size_t r = 0; r < rows;) {                                                    \
        switch (rows - r >= 4 ? 4 : rows - r) {                                        \
        case 4: tile_avx2(x + r * ldx, ldx, 4, wo, k, NR, y + r * ldy + o, ldy, accumulate); r += 4; break; \
        case 3: tile_avx2(x + r * ldx, ldx, 3, wo, k, NR, y + r * ldy + o, ldy, accumulate); r += 3; break; \
        case 2: tile_avx2(x + r * ldx, ldx, 2, wo, k, NR, y + r * ldy + o, ldy, accumulate); r += 2; break; \
        default: tile_avx2(x + r * ldx, ldx, 1, wo, k, NR, y + r * ldy + o, ldy, accumulate); r += 1; break; \
        }                                                                              \
    }

AVX2 static void linear_avx2(const float *x, size_t rows, size_t k, size_t ldx,
                             const float *w, size_t o_begin, size_t o_end,
                             float *y, size_t ldy, int accumulate) {
    size_t o = o_begin;
    for (; o + 3 <= o_end; o += 3) {
        const float *wo = w + o * k;
        AVX2_ROWS(3)
    }
    for (; o < o_end; o++) {
        const float *wo = w + o * k;
        AVX2_ROWS(1)
    }
}

// MARK: AVX-512F

#define AVX512 CSIMD_TARGET_AVX512F

// MR (<= 4) input rows times NR (<= 4) weight rows, 16 columns per step; the
// column tail uses a masked load so no scalar loop is needed.
AVX512 INLINE void tile_avx512(const float *x, size_t ldx, int mr, const float *w, size_t k, int nr,
                               float *y, size_t ldy, int accumulate) {
    __m512 acc[4][4];
    for (int r = 0; r < mr; r++)
        for (int n = 0; n < nr; n++) acc[r][n] = _mm512_setzero_ps();
    size_t vec = k / 16 * 16;
    for (size_t j = 0; j < vec; j += 16) {
        __m512 wv[4];
        for (int n = 0; n < nr; n++) wv[n] = _mm512_loadu_ps(w + (size_t)n * k + j);
        for (int r = 0; r < mr; r++) {
            __m512 xv = _mm512_loadu_ps(x + (size_t)r * ldx + j);
            for (int n = 0; n < nr; n++) acc[r][n] = _mm512_fmadd_ps(xv, wv[n], acc[r][n]);
        }
    }
    if (vec < k) {
        __mmask16 m = (__mmask16)((1u << (k - vec)) - 1u);
        __m512 wv[4];
        for (int n = 0; n < nr; n++) wv[n] = _mm512_maskz_loadu_ps(m, w + (size_t)n * k + vec);
        for (int r = 0; r < mr; r++) {
            __m512 xv = _mm512_maskz_loadu_ps(m, x + (size_t)r * ldx + vec);
            for (int n = 0; n < nr; n++) acc[r][n] = _mm512_fmadd_ps(xv, wv[n], acc[r][n]);
        }
    }
    for (int r = 0; r < mr; r++)
        for (int n = 0; n < nr; n++)
            store(y + (size_t)r * ldy + n, _mm512_reduce_add_ps(acc[r][n]), accumulate);
}

#define AVX512_ROWS(NR)                                                                  \
    for (size_t r = 0; r < rows;) {                                                      \
        size_t left = rows - r;                                                          \
        if (left >= 4) {                                                                 \
            tile_avx512(x + r * ldx, ldx, 4, wo, k, NR, y + r * ldy + o, ldy, accumulate); \
            r += 4;                                                                      \
        } else if (left == 3) {                                                          \
            tile_avx512(x + r * ldx, ldx, 3, wo, k, NR, y + r * ldy + o, ldy, accumulate); \
            r += 3;                                                                      \
        } else if (left == 2) {                                                          \
            tile_avx512(x + r * ldx, ldx, 2, wo, k, NR, y + r * ldy + o, ldy, accumulate); \
            r += 2;                                                                      \
        } else {                                                                         \
            tile_avx512(x + r * ldx, ldx, 1, wo, k, NR, y + r * ldy + o, ldy, accumulate); \
            r += 1;                                                                      \
        }                                                                                \
    }

AVX512 static void linear_avx512(const float *x, size_t rows, size_t k, size_t ldx,
                                 const float *w, size_t o_begin, size_t o_end,
                                 float *y, size_t ldy, int accumulate) {
    size_t o = o_begin;
    for (; o + 4 <= o_end; o += 4) {
        const float *wo = w + o * k;
        AVX512_ROWS(4)
    }
    for (; o < o_end; o++) {
        const float *wo = w + o * k;
        AVX512_ROWS(1)
    }
}

#endif

// MARK: dispatch

void csimd_linear_f32(int level, const float *x, size_t rows, size_t k, size_t ldx,
                      const float *w, size_t o_begin, size_t o_end,
                      float *y, size_t ldy, int accumulate) {
    if (level < 0) level = csimd_best_level();
    if (rows == 0 || o_begin >= o_end) return;
#ifdef CSIMD_X86
    if (level == CSIMD_AVX512) {
        linear_avx512(x, rows, k, ldx, w, o_begin, o_end, y, ldy, accumulate);
        return;
    }
    if (level == CSIMD_AVX2) {
        linear_avx2(x, rows, k, ldx, w, o_begin, o_end, y, ldy, accumulate);
        return;
    }
#endif
    linear_scalar(x, rows, k, ldx, w, o_begin, o_end, y, ldy, accumulate);
}
