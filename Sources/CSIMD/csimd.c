// Kernels behind csimd.h. Every SIMD function carries its own target
// attribute so the translation unit itself compiles for baseline x86-64.
#include "csimd.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CSIMD_X86 1
#include <immintrin.h>
#endif

// MARK: scalar (portable)

static float dot_f32_scalar(const float *a, const float *q, size_t d) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        s0 += a[j] * q[j];
        s1 += a[j + 1] * q[j + 1];
        s2 += a[j + 2] * q[j + 2];
        s3 += a[j + 3] * q[j + 3];
    }
    for (; j < d; j++) s0 += a[j] * q[j];
    return (s0 + s1) + (s2 + s3);
}

static inline float bf16_to_f32(uint16_t h) {
    uint32_t w = (uint32_t)h << 16;
    float f;
    memcpy(&f, &w, sizeof f);
    return f;
}

static float dot_bf16_scalar(const uint16_t *a, const float *q, size_t d) {
    float s0 = 0, s1 = 0;
    size_t j = 0;
    for (; j + 2 <= d; j += 2) {
        s0 += bf16_to_f32(a[j]) * q[j];
        s1 += bf16_to_f32(a[j + 1]) * q[j + 1];
    }
    for (; j < d; j++) s0 += bf16_to_f32(a[j]) * q[j];
    return s0 + s1;
}

static void scores_f32_scalar(const float *m, size_t rows, size_t d, const float *q, float *out) {
    for (size_t r = 0; r < rows; r++) out[r] = dot_f32_scalar(m + r * d, q, d);
}

static void scores_bf16_scalar(const uint16_t *m, size_t rows, size_t d, const float *q, float *out) {
    for (size_t r = 0; r < rows; r++) out[r] = dot_bf16_scalar(m + r * d, q, d);
}

static float dot_i8_scalar(const int8_t *a, const float *q, size_t d) {
    float s0 = 0, s1 = 0;
    size_t j = 0;
    for (; j + 2 <= d; j += 2) {
        s0 += (float)a[j] * q[j];
        s1 += (float)a[j + 1] * q[j + 1];
    }
    for (; j < d; j++) s0 += (float)a[j] * q[j];
    return s0 + s1;
}

static void scores_i8_scalar(const int8_t *m, const float *scales, size_t rows, size_t d,
                             const float *q, float *out) {
    for (size_t r = 0; r < rows; r++) out[r] = scales[r] * dot_i8_scalar(m + r * d, q, d);
}

#ifdef CSIMD_X86

// MARK: AVX2 + FMA

#define AVX2 __attribute__((target("avx2,fma")))

AVX2 static inline float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    __m128 s = _mm_add_ps(lo, hi);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// Four rows share each query load; two accumulators per row (eight chains).
AVX2 static void scores_f32_avx2(const float *m, size_t rows, size_t d, const float *q, float *out) {
    size_t vec = d / 16 * 16;
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const float *p0 = m + r * d, *p1 = p0 + d, *p2 = p1 + d, *p3 = p2 + d;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
        __m256 b2 = _mm256_setzero_ps(), b3 = _mm256_setzero_ps();
        for (size_t j = 0; j < vec; j += 16) {
            __m256 x = _mm256_loadu_ps(q + j), y = _mm256_loadu_ps(q + j + 8);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(p0 + j), x, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(p1 + j), x, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(p2 + j), x, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(p3 + j), x, a3);
            b0 = _mm256_fmadd_ps(_mm256_loadu_ps(p0 + j + 8), y, b0);
            b1 = _mm256_fmadd_ps(_mm256_loadu_ps(p1 + j + 8), y, b1);
            b2 = _mm256_fmadd_ps(_mm256_loadu_ps(p2 + j + 8), y, b2);
            b3 = _mm256_fmadd_ps(_mm256_loadu_ps(p3 + j + 8), y, b3);
        }
        float s0 = hsum256(_mm256_add_ps(a0, b0)), s1 = hsum256(_mm256_add_ps(a1, b1));
        float s2 = hsum256(_mm256_add_ps(a2, b2)), s3 = hsum256(_mm256_add_ps(a3, b3));
        for (size_t j = vec; j < d; j++) {
            s0 += p0[j] * q[j];
            s1 += p1[j] * q[j];
            s2 += p2[j] * q[j];
            s3 += p3[j] * q[j];
        }
        out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3;
    }
    for (; r < rows; r++) out[r] = dot_f32_scalar(m + r * d, q, d);
}

// Eight bf16 values → eight floats: zero-extend to 32 bits, shift left 16.
AVX2 static inline __m256 widen8(const uint16_t *p) {
    __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
}

AVX2 static void scores_bf16_avx2(const uint16_t *m, size_t rows, size_t d, const float *q, float *out) {
    size_t vec = d / 16 * 16;
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const uint16_t *p0 = m + r * d, *p1 = p0 + d, *p2 = p1 + d, *p3 = p2 + d;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
        __m256 b2 = _mm256_setzero_ps(), b3 = _mm256_setzero_ps();
        for (size_t j = 0; j < vec; j += 16) {
            __m256 x = _mm256_loadu_ps(q + j), y = _mm256_loadu_ps(q + j + 8);
            a0 = _mm256_fmadd_ps(widen8(p0 + j), x, a0);
            a1 = _mm256_fmadd_ps(widen8(p1 + j), x, a1);
            a2 = _mm256_fmadd_ps(widen8(p2 + j), x, a2);
            a3 = _mm256_fmadd_ps(widen8(p3 + j), x, a3);
            b0 = _mm256_fmadd_ps(widen8(p0 + j + 8), y, b0);
            b1 = _mm256_fmadd_ps(widen8(p1 + j + 8), y, b1);
            b2 = _mm256_fmadd_ps(widen8(p2 + j + 8), y, b2);
            b3 = _mm256_fmadd_ps(widen8(p3 + j + 8), y, b3);
        }
        float s0 = hsum256(_mm256_add_ps(a0, b0)), s1 = hsum256(_mm256_add_ps(a1, b1));
        float s2 = hsum256(_mm256_add_ps(a2, b2)), s3 = hsum256(_mm256_add_ps(a3, b3));
        for (size_t j = vec; j < d; j++) {
            s0 += bf16_to_f32(p0[j]) * q[j];
            s1 += bf16_to_f32(p1[j]) * q[j];
            s2 += bf16_to_f32(p2[j]) * q[j];
            s3 += bf16_to_f32(p3[j]) * q[j];
        }
        out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3;
    }
    for (; r < rows; r++) out[r] = dot_bf16_scalar(m + r * d, q, d);
}

// Eight int8 values → eight floats.
AVX2 static inline __m256 widen8_i8(const int8_t *p) {
    __m128i b = _mm_loadl_epi64((const __m128i *)p);
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b));
}

AVX2 static void scores_i8_avx2(const int8_t *m, const float *scales, size_t rows, size_t d,
                                const float *q, float *out) {
    size_t vec = d / 16 * 16;
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const int8_t *p0 = m + r * d, *p1 = p0 + d, *p2 = p1 + d, *p3 = p2 + d;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
        __m256 b2 = _mm256_setzero_ps(), b3 = _mm256_setzero_ps();
        for (size_t j = 0; j < vec; j += 16) {
            __m256 x = _mm256_loadu_ps(q + j), y = _mm256_loadu_ps(q + j + 8);
            a0 = _mm256_fmadd_ps(widen8_i8(p0 + j), x, a0);
            a1 = _mm256_fmadd_ps(widen8_i8(p1 + j), x, a1);
            a2 = _mm256_fmadd_ps(widen8_i8(p2 + j), x, a2);
            a3 = _mm256_fmadd_ps(widen8_i8(p3 + j), x, a3);
            b0 = _mm256_fmadd_ps(widen8_i8(p0 + j + 8), y, b0);
            b1 = _mm256_fmadd_ps(widen8_i8(p1 + j + 8), y, b1);
            b2 = _mm256_fmadd_ps(widen8_i8(p2 + j + 8), y, b2);
            b3 = _mm256_fmadd_ps(widen8_i8(p3 + j + 8), y, b3);
        }
        float s0 = hsum256(_mm256_add_ps(a0, b0)), s1 = hsum256(_mm256_add_ps(a1, b1));
        float s2 = hsum256(_mm256_add_ps(a2, b2)), s3 = hsum256(_mm256_add_ps(a3, b3));
        for (size_t j = vec; j < d; j++) {
            s0 += (float)p0[j] * q[j];
            s1 += (float)p1[j] * q[j];
            s2 += (float)p2[j] * q[j];
            s3 += (float)p3[j] * q[j];
        }
        out[r] = scales[r] * s0; out[r + 1] = scales[r + 1] * s1;
        out[r + 2] = scales[r + 2] * s2; out[r + 3] = scales[r + 3] * s3;
    }
    for (; r < rows; r++) out[r] = scales[r] * dot_i8_scalar(m + r * d, q, d);
}

// MARK: AVX-512 F + BW

#define AVX512 __attribute__((target("avx512f,avx512bw")))

AVX512 static void scores_f32_avx512(const float *m, size_t rows, size_t d, const float *q, float *out) {
    size_t vec = d / 32 * 32;
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const float *p0 = m + r * d, *p1 = p0 + d, *p2 = p1 + d, *p3 = p2 + d;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        __m512 a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        __m512 b0 = _mm512_setzero_ps(), b1 = _mm512_setzero_ps();
        __m512 b2 = _mm512_setzero_ps(), b3 = _mm512_setzero_ps();
        for (size_t j = 0; j < vec; j += 32) {
            __m512 x = _mm512_loadu_ps(q + j), y = _mm512_loadu_ps(q + j + 16);
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(p0 + j), x, a0);
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(p1 + j), x, a1);
            a2 = _mm512_fmadd_ps(_mm512_loadu_ps(p2 + j), x, a2);
            a3 = _mm512_fmadd_ps(_mm512_loadu_ps(p3 + j), x, a3);
            b0 = _mm512_fmadd_ps(_mm512_loadu_ps(p0 + j + 16), y, b0);
            b1 = _mm512_fmadd_ps(_mm512_loadu_ps(p1 + j + 16), y, b1);
            b2 = _mm512_fmadd_ps(_mm512_loadu_ps(p2 + j + 16), y, b2);
            b3 = _mm512_fmadd_ps(_mm512_loadu_ps(p3 + j + 16), y, b3);
        }
        float s0 = _mm512_reduce_add_ps(_mm512_add_ps(a0, b0));
        float s1 = _mm512_reduce_add_ps(_mm512_add_ps(a1, b1));
        float s2 = _mm512_reduce_add_ps(_mm512_add_ps(a2, b2));
        float s3 = _mm512_reduce_add_ps(_mm512_add_ps(a3, b3));
        for (size_t j = vec; j < d; j++) {
            s0 += p0[j] * q[j];
            s1 += p1[j] * q[j];
            s2 += p2[j] * q[j];
            s3 += p3[j] * q[j];
        }
        out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3;
    }
    for (; r < rows; r++) out[r] = dot_f32_scalar(m + r * d, q, d);
}

AVX512 static inline __m512 widen16(const uint16_t *p) {
    __m512i w = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p));
    return _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
}

AVX512 static void scores_bf16_avx512(const uint16_t *m, size_t rows, size_t d, const float *q, float *out) {
    size_t vec = d / 32 * 32;
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const uint16_t *p0 = m + r * d, *p1 = p0 + d, *p2 = p1 + d, *p3 = p2 + d;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        __m512 a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        __m512 b0 = _mm512_setzero_ps(), b1 = _mm512_setzero_ps();
        __m512 b2 = _mm512_setzero_ps(), b3 = _mm512_setzero_ps();
        for (size_t j = 0; j < vec; j += 32) {
            __m512 x = _mm512_loadu_ps(q + j), y = _mm512_loadu_ps(q + j + 16);
            a0 = _mm512_fmadd_ps(widen16(p0 + j), x, a0);
            a1 = _mm512_fmadd_ps(widen16(p1 + j), x, a1);
            a2 = _mm512_fmadd_ps(widen16(p2 + j), x, a2);
            a3 = _mm512_fmadd_ps(widen16(p3 + j), x, a3);
            b0 = _mm512_fmadd_ps(widen16(p0 + j + 16), y, b0);
            b1 = _mm512_fmadd_ps(widen16(p1 + j + 16), y, b1);
            b2 = _mm512_fmadd_ps(widen16(p2 + j + 16), y, b2);
            b3 = _mm512_fmadd_ps(widen16(p3 + j + 16), y, b3);
        }
        float s0 = _mm512_reduce_add_ps(_mm512_add_ps(a0, b0));
        float s1 = _mm512_reduce_add_ps(_mm512_add_ps(a1, b1));
        float s2 = _mm512_reduce_add_ps(_mm512_add_ps(a2, b2));
        float s3 = _mm512_reduce_add_ps(_mm512_add_ps(a3, b3));
        for (size_t j = vec; j < d; j++) {
            s0 += bf16_to_f32(p0[j]) * q[j];
            s1 += bf16_to_f32(p1[j]) * q[j];
            s2 += bf16_to_f32(p2[j]) * q[j];
            s3 += bf16_to_f32(p3[j]) * q[j];
        }
        out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3;
    }
    for (; r < rows; r++) out[r] = dot_bf16_scalar(m + r * d, q, d);
}

AVX512 static inline __m512 widen16_i8(const int8_t *p) {
    __m128i b = _mm_loadu_si128((const __m128i *)p);
    return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(b));
}

AVX512 static void scores_i8_avx512(const int8_t *m, const float *scales, size_t rows, size_t d,
                                    const float *q, float *out) {
    size_t vec = d / 32 * 32;
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const int8_t *p0 = m + r * d, *p1 = p0 + d, *p2 = p1 + d, *p3 = p2 + d;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        __m512 a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        __m512 b0 = _mm512_setzero_ps(), b1 = _mm512_setzero_ps();
        __m512 b2 = _mm512_setzero_ps(), b3 = _mm512_setzero_ps();
        for (size_t j = 0; j < vec; j += 32) {
            __m512 x = _mm512_loadu_ps(q + j), y = _mm512_loadu_ps(q + j + 16);
            a0 = _mm512_fmadd_ps(widen16_i8(p0 + j), x, a0);
            a1 = _mm512_fmadd_ps(widen16_i8(p1 + j), x, a1);
            a2 = _mm512_fmadd_ps(widen16_i8(p2 + j), x, a2);
            a3 = _mm512_fmadd_ps(widen16_i8(p3 + j), x, a3);
            b0 = _mm512_fmadd_ps(widen16_i8(p0 + j + 16), y, b0);
            b1 = _mm512_fmadd_ps(widen16_i8(p1 + j + 16), y, b1);
            b2 = _mm512_fmadd_ps(widen16_i8(p2 + j + 16), y, b2);
            b3 = _mm512_fmadd_ps(widen16_i8(p3 + j + 16), y, b3);
        }
        float s0 = _mm512_reduce_add_ps(_mm512_add_ps(a0, b0));
        float s1 = _mm512_reduce_add_ps(_mm512_add_ps(a1, b1));
        float s2 = _mm512_reduce_add_ps(_mm512_add_ps(a2, b2));
        float s3 = _mm512_reduce_add_ps(_mm512_add_ps(a3, b3));
        for (size_t j = vec; j < d; j++) {
            s0 += (float)p0[j] * q[j];
            s1 += (float)p1[j] * q[j];
            s2 += (float)p2[j] * q[j];
            s3 += (float)p3[j] * q[j];
        }
        out[r] = scales[r] * s0; out[r + 1] = scales[r + 1] * s1;
        out[r + 2] = scales[r + 2] * s2; out[r + 3] = scales[r + 3] * s3;
    }
    for (; r < rows; r++) out[r] = scales[r] * dot_i8_scalar(m + r * d, q, d);
}

#endif  // CSIMD_X86

// MARK: dispatch

int csimd_supports(int level) {
    switch (level) {
    case CSIMD_SCALAR:
        return 1;
#ifdef CSIMD_X86
    case CSIMD_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case CSIMD_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
#endif
    default:
        return 0;
    }
}

int csimd_best_level(void) {
    static int cached = -1;  // every thread computes the same value
    int best = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (best < 0) {
        best = csimd_supports(CSIMD_AVX512) ? CSIMD_AVX512
             : csimd_supports(CSIMD_AVX2) ? CSIMD_AVX2 : CSIMD_SCALAR;
        __atomic_store_n(&cached, best, __ATOMIC_RELAXED);
    }
    return best;
}

void csimd_scores_f32(int level, const float *m, size_t rows, size_t d, const float *q, float *out) {
    if (level < 0) level = csimd_best_level();
#ifdef CSIMD_X86
    if (level == CSIMD_AVX512) { scores_f32_avx512(m, rows, d, q, out); return; }
    if (level == CSIMD_AVX2) { scores_f32_avx2(m, rows, d, q, out); return; }
#endif
    scores_f32_scalar(m, rows, d, q, out);
}

void csimd_scores_bf16(int level, const uint16_t *m, size_t rows, size_t d, const float *q, float *out) {
    if (level < 0) level = csimd_best_level();
#ifdef CSIMD_X86
    if (level == CSIMD_AVX512) { scores_bf16_avx512(m, rows, d, q, out); return; }
    if (level == CSIMD_AVX2) { scores_bf16_avx2(m, rows, d, q, out); return; }
#endif
    scores_bf16_scalar(m, rows, d, q, out);
}

void csimd_scores_i8(int level, const int8_t *m, const float *scales, size_t rows, size_t d,
                     const float *q, float *out) {
    if (level < 0) level = csimd_best_level();
#ifdef CSIMD_X86
    if (level == CSIMD_AVX512) { scores_i8_avx512(m, scales, rows, d, q, out); return; }
    if (level == CSIMD_AVX2) { scores_i8_avx2(m, scales, rows, d, q, out); return; }
#endif
    scores_i8_scalar(m, scales, rows, d, q, out);
}
