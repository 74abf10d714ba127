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
