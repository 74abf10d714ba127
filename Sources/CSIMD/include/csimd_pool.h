// csimd_pool: a small persistent pool of worker threads for the packed float32
// kernels (the thin one and the many-row GEMM), so that a text query's ~60 matrix products are split over
// threads without waking a thread per product. Workers spin briefly between
// products and then sleep (a futex on Linux), so an idle process costs nothing.
// Only `Tensor` imports this module.
#ifndef CSIMD_POOL_H
#define CSIMD_POOL_H

#include <stddef.h>

/// csimd_linear_packed_f32 over all n outputs, the output panels cut into a few chunks
/// per thread that the calling thread and `threads - 1` pool workers (started on first
/// use, kept for the life of the process) claim one by one, so a worker that is not
/// running holds nothing up. Returns when every chunk is done. One product runs in the
/// pool at a time; a caller that finds the pool busy, or asks for one thread, does the
/// whole product itself. Results do not depend on the split.
void csimd_linear_packed_f32_parallel(int threads, int level, const float *x, size_t rows,
                                      size_t k, size_t ldx, const float *packed, size_t n,
                                      float *y, size_t ldy, int accumulate);

/// csimd_gemm_f32 over all n outputs (bias and activation included), split over the
/// pool as csimd_linear_packed_f32_parallel splits the thin kernel. Needs
/// csimd_f32_gemm_supported().
void csimd_gemm_f32_parallel(int threads, const float *x, size_t rows, size_t k, size_t ldx,
                             const float *packed, const float *bias, int activation, size_t n,
                             float *y, size_t ldy, int accumulate);

#endif
