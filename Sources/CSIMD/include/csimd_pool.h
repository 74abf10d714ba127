// csimd_pool: a small persistent pool of worker threads for the packed thin
// linear kernel, so that a text query's ~60 matrix products are split over
// threads without waking a thread per product. Workers spin briefly between
// products and then sleep (a futex on Linux), so an idle process costs nothing.
// Only `Tensor` imports this module.
#ifndef CSIMD_POOL_H
#define CSIMD_POOL_H

#include <stddef.h>

/// csimd_linear_packed_f32 over [0, min(o_end, n)) with the output panels split into
/// `threads` parts: the calling thread runs the first, pool workers (started on first
/// use, kept for the life of the process) the others. Returns when every part is done.
/// One product runs in the pool at a time; a caller that finds the pool busy, or asks
/// for one thread, runs every part itself. Same arguments and results otherwise.
void csimd_linear_packed_f32_parallel(int threads, int level, const float *x, size_t rows,
                                      size_t k, size_t ldx, const float *packed, size_t n,
                                      float *y, size_t ldy, int accumulate);

/// Worker threads the pool has started so far (for tests).
int csimd_pool_workers(void);

#endif
