// Kernels behind csimd.h. Every SIMD function carries its own target
// attribute so the translation unit itself compiles for baseline x86-64.
// The SIMD score kernels are one function body (csimd_scores_body.h), included
// per element type (csimd_scores_kernel.h) and instruction set.
#include "csimd.h"
#include "csimd_internal.h"

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

// Two accumulators; TO_F32 widens one element.
#define DOT2_SCALAR(NAME, ELEM, TO_F32)                                    \
    static float NAME(const ELEM *a, const float *q, size_t d) {          \
        float s0 = 0, s1 = 0;                                              \
        size_t j = 0;                                                      \
        for (; j + 2 <= d; j += 2) {                                       \
            s0 += TO_F32(a[j]) * q[j];                                     \
            s1 += TO_F32(a[j + 1]) * q[j + 1];                             \
        }                                                                  \
        for (; j < d; j++) s0 += TO_F32(a[j]) * q[j];                      \
        return s0 + s1;                                                    \
    }

#define I8_TO_F32(x) ((float)(x))
DOT2_SCALAR(dot_bf16_scalar, uint16_t, csimd_bf16_to_f32)
DOT2_SCALAR(dot_i8_scalar, int8_t, I8_TO_F32)

// One row at a time; OUT(r, s) applies the row's scale (or not).
#define SCORES_SCALAR(NAME, ELEM, DOT, OUT)                                                  \
    static void NAME(const ELEM *m, const float *scales, size_t rows, size_t d,            \
                     const float *q, float *out) {                                          \
        (void)scales;                                                                        \
        for (size_t r = 0; r < rows; r++) out[r] = OUT(r, DOT(m + r * d, q, d));            \
    }

#define UNSCALED(r, s) (s)
#define SCALED(r, s) (scales[r] * (s))
SCORES_SCALAR(scores_f32_scalar, float, dot_f32_scalar, UNSCALED)
SCORES_SCALAR(scores_bf16_scalar, uint16_t, dot_bf16_scalar, UNSCALED)
SCORES_SCALAR(scores_i8_scalar, int8_t, dot_i8_scalar, SCALED)

#ifdef CSIMD_X86

// MARK: AVX2 + FMA and AVX-512 F + BW, one template per element type

// Eight int8 values → eight floats.
CSIMD_TARGET_AVX2 CSIMD_INLINE __m256 widen8_i8(const int8_t *p) {
    __m128i b = _mm_loadl_epi64((const __m128i *)p);
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b));
}

// Sixteen int8 values → sixteen floats.
CSIMD_TARGET_AVX512 CSIMD_INLINE __m512 widen16_i8(const int8_t *p) {
    __m128i b = _mm_loadu_si128((const __m128i *)p);
    return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(b));
}

#define F32_IDENTITY(x) (x)

#define KERNEL_NAME_AVX2 scores_f32_avx2
#define KERNEL_NAME_AVX512 scores_f32_avx512
#define KERNEL_LOADM_AVX2 _mm256_loadu_ps
#define KERNEL_LOADM_AVX512 _mm512_loadu_ps
#define KERNEL_ELEM float
#define KERNEL_TO_F32 F32_IDENTITY
#define KERNEL_DOT_TAIL dot_f32_scalar
#define KERNEL_SCALED 0
#include "csimd_scores_kernel.h"

#define KERNEL_NAME_AVX2 scores_bf16_avx2
#define KERNEL_NAME_AVX512 scores_bf16_avx512
#define KERNEL_LOADM_AVX2 csimd_bf16x8_to_f32
#define KERNEL_LOADM_AVX512 csimd_bf16x16_to_f32
#define KERNEL_ELEM uint16_t
#define KERNEL_TO_F32 csimd_bf16_to_f32
#define KERNEL_DOT_TAIL dot_bf16_scalar
#define KERNEL_SCALED 0
#include "csimd_scores_kernel.h"

#define KERNEL_NAME_AVX2 scores_i8_avx2
#define KERNEL_NAME_AVX512 scores_i8_avx512
#define KERNEL_LOADM_AVX2 widen8_i8
#define KERNEL_LOADM_AVX512 widen16_i8
#define KERNEL_ELEM int8_t
#define KERNEL_TO_F32 I8_TO_F32
#define KERNEL_DOT_TAIL dot_i8_scalar
#define KERNEL_SCALED 1
#include "csimd_scores_kernel.h"

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

// The kernels of one element type at every level; SCALES is NULL when unscaled.
#define DISPATCH(TYPE, SCALES)                                                             \
    do {                                                                                   \
        if (level < 0) level = csimd_best_level();                                         \
        DISPATCH_X86(TYPE, SCALES)                                                         \
        scores_##TYPE##_scalar(m, SCALES, rows, d, q, out);                                \
    } while (0)
#ifdef CSIMD_X86
#define DISPATCH_X86(TYPE, SCALES)                                                         \
    if (level == CSIMD_AVX512) { scores_##TYPE##_avx512(m, SCALES, rows, d, q, out); return; } \
    if (level == CSIMD_AVX2) { scores_##TYPE##_avx2(m, SCALES, rows, d, q, out); return; }
#else
#define DISPATCH_X86(TYPE, SCALES)
#endif

void csimd_scores_f32(int level, const float *m, size_t rows, size_t d, const float *q,
                      float *out) {
    DISPATCH(f32, NULL);
}

void csimd_scores_bf16(int level, const uint16_t *m, size_t rows, size_t d, const float *q,
                       float *out) {
    DISPATCH(bf16, NULL);
}

void csimd_scores_i8(int level, const int8_t *m, const float *scales, size_t rows, size_t d,
                     const float *q, float *out) {
    DISPATCH(i8, scales);
}

// MARK: int8 matrix · int8 query (integer dot products)

// out[r] = scales[r] * (qscale * (float)dot_int32(m row r, q)). The integer sums are exact,
// so both versions give identical results.

static void scores_i8q_scalar(const int8_t *m, const float *scales, size_t rows, size_t d,
                              const int8_t *q, float qscale, float *out) {
    for (size_t r = 0; r < rows; r++) {
        const int8_t *p = m + r * d;
        int32_t s = 0;
        for (size_t j = 0; j < d; j++) s += (int32_t)p[j] * (int32_t)q[j];
        out[r] = scales[r] * (qscale * (float)s);
    }
}

#ifdef CSIMD_X86
/// AVX-512 F + BW + VNNI (`vpdpbusd`).
#define CSIMD_TARGET_VNNI __attribute__((target("avx512f,avx512bw,avx512vnni")))

// vpdpbusd multiplies unsigned by signed bytes: the matrix bytes are flipped to m + 128
// (xor 0x80) and 128 * sum(q) taken off each row's sum. Four rows share each query load.
CSIMD_TARGET_VNNI static void scores_i8q_vnni(const int8_t *m, const float *scales,
                                              size_t rows, size_t d, const int8_t *q,
                                              float qscale, float *out) {
    size_t vec = d / 64 * 64;
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    int32_t qsum = 0;
    for (size_t j = 0; j < vec; j++) qsum += q[j];
    const int32_t bias = 128 * qsum;
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const int8_t *p0 = m + r * d, *p1 = p0 + d, *p2 = p1 + d, *p3 = p2 + d;
        __m512i a0 = _mm512_setzero_si512(), a1 = _mm512_setzero_si512();
        __m512i a2 = _mm512_setzero_si512(), a3 = _mm512_setzero_si512();
        for (size_t j = 0; j < vec; j += 64) {
            __m512i x = _mm512_loadu_si512((const void *)(q + j));
            a0 = _mm512_dpbusd_epi32(a0, _mm512_xor_si512(_mm512_loadu_si512(p0 + j), flip), x);
            a1 = _mm512_dpbusd_epi32(a1, _mm512_xor_si512(_mm512_loadu_si512(p1 + j), flip), x);
            a2 = _mm512_dpbusd_epi32(a2, _mm512_xor_si512(_mm512_loadu_si512(p2 + j), flip), x);
            a3 = _mm512_dpbusd_epi32(a3, _mm512_xor_si512(_mm512_loadu_si512(p3 + j), flip), x);
        }
        int32_t s0 = _mm512_reduce_add_epi32(a0) - bias, s1 = _mm512_reduce_add_epi32(a1) - bias;
        int32_t s2 = _mm512_reduce_add_epi32(a2) - bias, s3 = _mm512_reduce_add_epi32(a3) - bias;
        for (size_t j = vec; j < d; j++) {
            s0 += (int32_t)p0[j] * q[j];
            s1 += (int32_t)p1[j] * q[j];
            s2 += (int32_t)p2[j] * q[j];
            s3 += (int32_t)p3[j] * q[j];
        }
        out[r] = scales[r] * (qscale * (float)s0);
        out[r + 1] = scales[r + 1] * (qscale * (float)s1);
        out[r + 2] = scales[r + 2] * (qscale * (float)s2);
        out[r + 3] = scales[r + 3] * (qscale * (float)s3);
    }
    if (r < rows) scores_i8q_scalar(m + r * d, scales + r, rows - r, d, q, qscale, out + r);
}
#endif

int csimd_supports_i8q(void) {
#ifdef CSIMD_X86
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vnni");
#else
    return 0;
#endif
}

void csimd_scores_i8q(int fast, const int8_t *m, const float *scales, size_t rows, size_t d,
                      const int8_t *q, float qscale, float *out) {
#ifdef CSIMD_X86
    if (fast) {
        scores_i8q_vnni(m, scales, rows, d, q, qscale, out);
        return;
    }
#endif
    (void)fast;
    scores_i8q_scalar(m, scales, rows, d, q, qscale, out);
}
