// The score kernels of one element type at both SIMD levels, from one function
// body (csimd_scores_body.h). Included by csimd.c once per element type; not a
// header of the module's interface and without an include guard on purpose.
//
// The includer defines, and this file undefines at the end:
//   KERNEL_NAME_AVX2, KERNEL_NAME_AVX512    the two functions' names
//   KERNEL_LOADM_AVX2, KERNEL_LOADM_AVX512  8 or 16 matrix elements from p, as floats
//   KERNEL_ELEM                             the matrix element type
//   KERNEL_TO_F32(x)                        one matrix element as a float
//   KERNEL_DOT_TAIL                         the scalar dot product for leftover rows
//   KERNEL_SCALED                           1: out[r] = scales[r] * dot; 0: out[r] = dot
// Each function takes (m, scales, rows, d, q, out); `scales` is unused when unscaled.

// AVX2 + FMA, 16 columns per step.
#define KERNEL_TARGET CSIMD_TARGET_AVX2
#define KERNEL_VEC __m256
#define KERNEL_LANES 8
#define KERNEL_ZERO _mm256_setzero_ps
#define KERNEL_LOADQ _mm256_loadu_ps
#define KERNEL_FMA _mm256_fmadd_ps
#define KERNEL_ADD _mm256_add_ps
#define KERNEL_SUM csimd_hsum256
#define KERNEL_NAME KERNEL_NAME_AVX2
#define KERNEL_LOADM KERNEL_LOADM_AVX2
#include "csimd_scores_body.h"

// AVX-512 F + BW, 32 columns per step.
#define KERNEL_TARGET CSIMD_TARGET_AVX512
#define KERNEL_VEC __m512
#define KERNEL_LANES 16
#define KERNEL_ZERO _mm512_setzero_ps
#define KERNEL_LOADQ _mm512_loadu_ps
#define KERNEL_FMA _mm512_fmadd_ps
#define KERNEL_ADD _mm512_add_ps
#define KERNEL_SUM _mm512_reduce_add_ps
#define KERNEL_NAME KERNEL_NAME_AVX512
#define KERNEL_LOADM KERNEL_LOADM_AVX512
#include "csimd_scores_body.h"

#undef KERNEL_NAME_AVX2
#undef KERNEL_NAME_AVX512
#undef KERNEL_LOADM_AVX2
#undef KERNEL_LOADM_AVX512
#undef KERNEL_ELEM
#undef KERNEL_TO_F32
#undef KERNEL_DOT_TAIL
#undef KERNEL_SCALED
