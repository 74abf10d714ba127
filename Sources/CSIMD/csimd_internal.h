// Helpers shared by the CSIMD kernel files; not part of the module's interface.
//
// Every SIMD function carries its own target attribute (the macros below), so
// each translation unit compiles for baseline x86-64 and the best version is
// chosen at run time.
#ifndef CSIMD_INTERNAL_H
#define CSIMD_INTERNAL_H

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CSIMD_X86 1
#include <immintrin.h>
#endif

#define CSIMD_INLINE static inline __attribute__((always_inline))

// MARK: target macros

/// AVX2 + FMA (CSIMD_AVX2).
#define CSIMD_TARGET_AVX2 __attribute__((target("avx2,fma")))
/// AVX-512 F + BW (CSIMD_AVX512, the score kernels).
#define CSIMD_TARGET_AVX512 __attribute__((target("avx512f,avx512bw")))
/// AVX-512 F alone (the thin linear kernel needs nothing more).
#define CSIMD_TARGET_AVX512F __attribute__((target("avx512f")))
/// AVX-512 F, BW, VL and BF16 (the bfloat16 GEMM).
#define CSIMD_TARGET_BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

// MARK: bfloat16 conversions (scalar)

/// bfloat16 to float32: the upper 16 bits of a float32, widened exactly.
static inline float csimd_bf16_to_f32(uint16_t h) {
    uint32_t w = (uint32_t)h << 16;
    float f;
    memcpy(&f, &w, sizeof f);
    return f;
}

/// float32 to bfloat16, rounding to nearest even (NaN stays a quiet NaN).
static inline uint16_t csimd_f32_to_bf16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((bits >> 16) | 0x40u);
    return (uint16_t)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

#ifdef CSIMD_X86

// MARK: horizontal sums and widening loads

/// The sum of the eight lanes of `v` (same order everywhere it is used).
CSIMD_TARGET_AVX2 CSIMD_INLINE float csimd_hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    __m128 s = _mm_add_ps(lo, hi);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// Eight bfloat16 values to eight floats: zero-extend to 32 bits, shift left 16.
CSIMD_TARGET_AVX2 CSIMD_INLINE __m256 csimd_bf16x8_to_f32(const uint16_t *p) {
    __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
}

/// Sixteen bfloat16 values to sixteen floats.
CSIMD_TARGET_AVX512 CSIMD_INLINE __m512 csimd_bf16x16_to_f32(const uint16_t *p) {
    __m512i w = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p));
    return _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
}

/// Sixteen floats to bfloat16 with the same rounding as csimd_f32_to_bf16.
CSIMD_TARGET_BF16 CSIMD_INLINE __m256i csimd_f32x16_to_bf16(__m512 v) {
    __m512i bits = _mm512_castps_si512(v);
    __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    __m512i rounded = _mm512_srli_epi32(
        _mm512_add_epi32(bits, _mm512_add_epi32(lsb, _mm512_set1_epi32(0x7FFF))), 16);
    __m512i magnitude = _mm512_and_si512(bits, _mm512_set1_epi32(0x7FFFFFFF));
    __mmask16 nan = _mm512_cmpgt_epu32_mask(magnitude, _mm512_set1_epi32(0x7F800000));
    __m512i quiet = _mm512_or_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(0x40));
    return _mm512_cvtepi32_epi16(_mm512_mask_mov_epi32(rounded, nan, quiet));
}

// MARK: register-tile drivers shared by the packed-panel kernels

/// Declares `mask0` and `mask1`, the lanes of a 32-output panel's two 16-lane halves that
/// hold outputs, for a panel with `valid` (1 to 32, or more for a whole panel) outputs.
#define CSIMD_PANEL_MASKS(valid, mask0, mask1)                                                \
    __mmask16 mask0 = (valid) >= 16 ? 0xFFFF : (__mmask16)((1u << (valid)) - 1u);            \
    __mmask16 mask1 = (valid) >= 32  ? 0xFFFF                                                \
                      : (valid) > 16 ? (__mmask16)((1u << ((valid) - 16)) - 1u)              \
                                     : 0

/// Expands TILE(n) for n = min(left, 12) as a constant, so that a tile function with up to
/// 12 rows inlines once per row count (its loops over rows unrolled, accumulators in
/// registers).
#define CSIMD_TILE_UP_TO_12(left, TILE)                                                       \
    switch ((left) >= 12 ? 12 : (left)) {                                                     \
    case 12: TILE(12); break;                                                                 \
    case 11: TILE(11); break;                                                                 \
    case 10: TILE(10); break;                                                                 \
    case 9: TILE(9); break;                                                                   \
    case 8: TILE(8); break;                                                                   \
    case 7: TILE(7); break;                                                                   \
    case 6: TILE(6); break;                                                                   \
    case 5: TILE(5); break;                                                                   \
    case 4: TILE(4); break;                                                                   \
    case 3: TILE(3); break;                                                                   \
    case 2: TILE(2); break;                                                                   \
    default: TILE(1); break;                                                                  \
    }

// MARK: activations in GEMM epilogues (AVX-512)

/// The activations the GEMM epilogues apply (csimd_gemm_int8.h and csimd_gemm_f32.h give
/// them public names with these values).
#define CSIMD_ACTIVATION_IDENTITY 0
#define CSIMD_ACTIVATION_QUICK_GELU 1
#define CSIMD_ACTIVATION_GELU 2

/// exp(x) as Tensor's `fastExp` computes it (Cephes polynomial, exponent from the bits).
CSIMD_TARGET_AVX512F CSIMD_INLINE __m512 csimd_exp16(__m512 value) {
    __m512 x = _mm512_min_ps(_mm512_max_ps(value, _mm512_set1_ps(-87.3f)), _mm512_set1_ps(88.3f));
    __m512 shift = _mm512_set1_ps(12582912.0f);  // 1.5 * 2^23: rounds x / ln 2
    __m512 t = _mm512_fmadd_ps(x, _mm512_set1_ps(1.44269504088896341f), shift);
    __m512 n = _mm512_sub_ps(t, shift);
    __m512 r = _mm512_fmadd_ps(n, _mm512_set1_ps(2.12194440e-4f),
                               _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x));
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 y = _mm512_add_ps(_mm512_fmadd_ps(_mm512_mul_ps(p, r), r, r), _mm512_set1_ps(1.0f));
    __m512i bits = _mm512_slli_epi32(
        _mm512_add_epi32(_mm512_sub_epi32(_mm512_castps_si512(t), _mm512_set1_epi32(0x4B400000)),
                         _mm512_set1_epi32(127)),
        23);
    return _mm512_mul_ps(y, _mm512_castsi512_ps(bits));
}

/// erf(x) as Tensor's `fastErf` computes it (a rational function, absolute error < 2e-7).
CSIMD_TARGET_AVX512F CSIMD_INLINE __m512 csimd_erf16(__m512 value) {
    __m512 x = _mm512_min_ps(_mm512_max_ps(value, _mm512_set1_ps(-4.0f)), _mm512_set1_ps(4.0f));
    __m512 x2 = _mm512_mul_ps(x, x);
    __m512 p = _mm512_set1_ps(-2.72614225801306e-10f);
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(2.77068142495902e-08f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-2.10102402082508e-06f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-5.69250639462346e-05f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-7.34990630326855e-04f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-2.95459980854025e-03f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-1.60960333262415e-02f));
    p = _mm512_mul_ps(p, x);
    __m512 q = _mm512_set1_ps(-1.45660718464996e-05f);
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-2.13374055278905e-04f));
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-1.68282697438203e-03f));
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-7.37332916720468e-03f));
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-1.42647390514189e-02f));
    return _mm512_div_ps(p, q);
}

/// The activation `kind` (a CSIMD_ACTIVATION_ value) of 16 values.
CSIMD_TARGET_AVX512F CSIMD_INLINE __m512 csimd_activate16(__m512 v, int kind) {
    if (kind == CSIMD_ACTIVATION_QUICK_GELU) {
        __m512 e = csimd_exp16(_mm512_mul_ps(v, _mm512_set1_ps(-1.702f)));
        return _mm512_div_ps(v, _mm512_add_ps(e, _mm512_set1_ps(1.0f)));
    }
    if (kind == CSIMD_ACTIVATION_GELU) {
        __m512 e = csimd_erf16(_mm512_mul_ps(v, _mm512_set1_ps(0.70710678118654752f)));
        return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), v),
                             _mm512_add_ps(e, _mm512_set1_ps(1.0f)));
    }
    return v;
}

#endif  // CSIMD_X86

#endif
