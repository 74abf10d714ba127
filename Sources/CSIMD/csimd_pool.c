// The worker pool behind csimd_pool.h.
//
// One product at a time, thin or many-row (a mutex the caller holds for the whole
// product). The output panels are cut into a few chunks per thread, and the caller and the
// workers claim chunks one by one from a 64-bit word that holds the product's
// generation, the next chunk and the chunk count; a claim is a compare-and-swap
// that only succeeds for the current generation. So a worker that is not running
// (descheduled on a busy machine) holds nothing up: the caller claims the chunks
// itself, and waits only for chunks a worker is in the middle of. A worker reads
// the product's arguments only after a successful claim, when the caller cannot
// yet have moved on to the next product.
//
// Workers spin on a generation counter for a while after each product (the next
// product of a query follows within microseconds), then sleep on it (a futex).
#define _GNU_SOURCE
#include "csimd_pool.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "csimd_gemm_f32.h"
#include "csimd_linear_packed.h"

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

#define MAX_WORKERS 63
// Chunks per thread: enough for the caller to take over an absent worker's share.
#define CHUNKS_PER_THREAD 4
// Pause iterations a worker spins before sleeping: some 50 microseconds on a Zen 4
// core, longer than the gaps between a query's products (layer norms, attention),
// short enough not to steal much from other processes on a busy machine.
#define SPIN_LIMIT 3000
// Pause iterations the caller spins before yielding its core while waiting.
#define WAIT_SPINS 2000

typedef struct {
    int gemm;  // csimd_gemm_f32 (with bias and activation) instead of the thin kernel
    int level;
    const float *x;
    size_t rows, k, ldx;
    const float *packed;
    size_t n;
    float *y;
    size_t ldy;
    int accumulate;
    const float *bias;
    int activation;
    size_t panels, chunks;
} job_t;

// The claim word: generation (bits 40-63), next chunk (bits 20-39), chunk count (0-19).
#define GEN_SHIFT 40
#define NEXT_SHIFT 20
#define FIELD_MASK ((uint64_t)0xFFFFF)

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static job_t job;
static atomic_uint generation;
static _Atomic uint64_t claim;
static atomic_size_t done;
static atomic_int sleepers;
static atomic_int started;

static void run_chunk(const job_t *j, size_t chunk) {
    size_t begin = chunk * j->panels / j->chunks * CSIMD_F32_PANEL;
    size_t end = (chunk + 1) * j->panels / j->chunks * CSIMD_F32_PANEL;
    if (j->gemm) {
        csimd_gemm_f32(j->x, j->rows, j->k, j->ldx, j->packed, j->bias, j->activation, j->n,
                       begin, end, j->y, j->ldy, j->accumulate);
        return;
    }
    csimd_linear_packed_f32(j->level, j->x, j->rows, j->k, j->ldx, j->packed, j->n, begin, end,
                            j->y, j->ldy, j->accumulate);
}

// Claims and runs chunks of generation `gen` until none is left.
static void work(unsigned gen) {
    uint64_t word = atomic_load(&claim);
    for (;;) {
        if ((unsigned)(word >> GEN_SHIFT) != (gen & 0xFFFFFFu)) return;
        size_t next = (size_t)((word >> NEXT_SHIFT) & FIELD_MASK);
        size_t count = (size_t)(word & FIELD_MASK);
        if (next >= count) return;
        if (!atomic_compare_exchange_weak(&claim, &word, word + ((uint64_t)1 << NEXT_SHIFT)))
            continue;  // `word` now holds the current value
        run_chunk(&job, next);
        atomic_fetch_add(&done, 1);
        word = atomic_load(&claim);
    }
}

static void sleep_on(atomic_uint *word, unsigned seen) {
#ifdef __linux__
    syscall(SYS_futex, (unsigned *)word, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
#else
    (void)word;
    (void)seen;
    sched_yield();
#endif
}

static void wake_all(atomic_uint *word) {
#ifdef __linux__
    syscall(SYS_futex, (unsigned *)word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
    (void)word;
#endif
}

static void *worker(void *arg) {
    unsigned seen = (unsigned)(size_t)arg;
    for (;;) {
        unsigned now;
        int spins = 0;
        while ((now = atomic_load(&generation)) == seen) {
            if (++spins < SPIN_LIMIT) {
                CPU_RELAX();
                continue;
            }
            atomic_fetch_add(&sleepers, 1);
            sleep_on(&generation, seen);
            atomic_fetch_sub(&sleepers, 1);
            spins = 0;
        }
        seen = now;
        work(now);
    }
    return NULL;
}

// Starts workers until there are `count` (or as many as could be started).
static void ensure_workers(int count) {
    if (count > MAX_WORKERS) count = MAX_WORKERS;
    while (atomic_load(&started) < count) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        // Called with job_lock held: the generation cannot change meanwhile.
        size_t seen = atomic_load(&generation);
        int failed = pthread_create(&thread, &attr, worker, (void *)seen);
        pthread_attr_destroy(&attr);
        if (failed) return;  // fewer workers: the caller claims their chunks
        atomic_fetch_add(&started, 1);
    }
}

// Runs `next` (its panels and chunks not yet set) on `threads` threads, or all of it on
// the calling thread when one thread is asked for, there is one chunk, or the pool is busy.
static void run_parallel(int threads, job_t next) {
    size_t panels = (next.n + CSIMD_F32_PANEL - 1) / CSIMD_F32_PANEL;
    size_t chunks = (size_t)(threads < 1 ? 1 : threads) * CHUNKS_PER_THREAD;
    if (chunks > panels) chunks = panels;
    if (chunks > FIELD_MASK) chunks = FIELD_MASK;
    next.panels = panels;
    next.chunks = 1;
    if (threads <= 1 || chunks <= 1 || pthread_mutex_trylock(&job_lock) != 0) {
        run_chunk(&next, 0);
        return;
    }
    ensure_workers(threads - 1);
    next.chunks = chunks;
    job = next;
    atomic_store(&done, 0);
    unsigned gen = atomic_load(&generation) + 1;
    atomic_store(&claim, ((uint64_t)(gen & 0xFFFFFFu) << GEN_SHIFT) | (uint64_t)chunks);
    atomic_store(&generation, gen);
    if (atomic_load(&sleepers) > 0) wake_all(&generation);
    work(gen);
    int spins = 0;
    while (atomic_load(&done) < chunks) {
        if (++spins < WAIT_SPINS) {
            CPU_RELAX();
        } else {
            sched_yield();
        }
    }
    pthread_mutex_unlock(&job_lock);
}

void csimd_linear_packed_f32_parallel(int threads, int level, const float *x, size_t rows,
                                      size_t k, size_t ldx, const float *packed, size_t n,
                                      float *y, size_t ldy, int accumulate) {
    run_parallel(threads, (job_t){.gemm = 0, .level = level, .x = x, .rows = rows, .k = k,
                                  .ldx = ldx, .packed = packed, .n = n, .y = y, .ldy = ldy,
                                  .accumulate = accumulate});
}

void csimd_gemm_f32_parallel(int threads, const float *x, size_t rows, size_t k, size_t ldx,
                             const float *packed, const float *bias, int activation, size_t n,
                             float *y, size_t ldy, int accumulate) {
    run_parallel(threads, (job_t){.gemm = 1, .x = x, .rows = rows, .k = k, .ldx = ldx,
                                  .packed = packed, .n = n, .y = y, .ldy = ldy,
                                  .accumulate = accumulate, .bias = bias,
                                  .activation = activation});
}
