// The worker pool behind csimd_pool.h.
//
// One job at a time (a mutex the caller holds for the whole product). The caller
// publishes the job, sets `pending` to the number of workers, bumps a generation
// counter and wakes sleeping workers; worker i runs part i + 1 if the job has that
// many parts, and every worker decrements `pending` once per generation, so no
// worker can still be reading a job when the next one is published. The caller
// runs part 0 and spins until `pending` is 0. Workers spin on the
// generation for a while after each job (the next product of a query follows
// within microseconds), then sleep on it.
#define _GNU_SOURCE
#include "csimd_pool.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

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
// Pause iterations a worker spins before sleeping (tens of microseconds).
#define SPIN_LIMIT 20000
// Pause iterations the caller spins before yielding its core while waiting.
#define WAIT_SPINS 2000

typedef struct {
    int level;
    const float *x;
    size_t rows, k, ldx;
    const float *packed;
    size_t n;
    float *y;
    size_t ldy;
    int accumulate;
    int parts;
} job_t;

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static job_t job;
static atomic_uint generation;
static atomic_int pending;
static atomic_int sleepers;
static atomic_int started;
// The generation each worker starts from (set before it is started, under job_lock).
static unsigned initial_generation[MAX_WORKERS];

static void run_part(const job_t *j, int part) {
    size_t panels = (j->n + CSIMD_F32_PANEL - 1) / CSIMD_F32_PANEL;
    size_t begin = (size_t)part * panels / (size_t)j->parts * CSIMD_F32_PANEL;
    size_t end = (size_t)(part + 1) * panels / (size_t)j->parts * CSIMD_F32_PANEL;
    csimd_linear_packed_f32(j->level, j->x, j->rows, j->k, j->ldx, j->packed, j->n, begin, end,
                            j->y, j->ldy, j->accumulate);
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
    int index = (int)(size_t)arg;
    unsigned seen = initial_generation[index];
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
        if (index + 1 < job.parts) run_part(&job, index + 1);
        atomic_fetch_sub(&pending, 1);
    }
    return NULL;
}

// Starts workers until there are `count` (or as many as could be started). Called
// with job_lock held, so the generation cannot change meanwhile.
static int ensure_workers(int count) {
    if (count > MAX_WORKERS) count = MAX_WORKERS;
    if (atomic_load(&started) >= count) return count;
    while (atomic_load(&started) < count) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int index = atomic_load(&started);
        initial_generation[index] = atomic_load(&generation);
        int failed = pthread_create(&thread, &attr, worker, (void *)(size_t)index);
        pthread_attr_destroy(&attr);
        if (failed) break;
        atomic_fetch_add(&started, 1);
    }
    int have = atomic_load(&started);
    return have < count ? have : count;
}

int csimd_pool_workers(void) { return atomic_load(&started); }

void csimd_linear_packed_f32_parallel(int threads, int level, const float *x, size_t rows,
                                      size_t k, size_t ldx, const float *packed, size_t n,
                                      float *y, size_t ldy, int accumulate) {
    size_t panels = (n + CSIMD_F32_PANEL - 1) / CSIMD_F32_PANEL;
    int parts = threads < 1 ? 1 : threads;
    if ((size_t)parts > panels) parts = (int)panels;
    if (parts <= 1 || pthread_mutex_trylock(&job_lock) != 0) {
        csimd_linear_packed_f32(level, x, rows, k, ldx, packed, n, 0, n, y, ldy, accumulate);
        return;
    }
    // Workers that do not exist cannot take parts: shrink the job to what there is.
    parts = ensure_workers(parts - 1) + 1;
    job = (job_t){level, x, rows, k, ldx, packed, n, y, ldy, accumulate, parts};
    atomic_store(&pending, atomic_load(&started));
    atomic_fetch_add(&generation, 1);
    if (atomic_load(&sleepers) > 0) wake_all(&generation);
    run_part(&job, 0);
    int spins = 0;
    while (atomic_load(&pending) > 0) {
        if (++spins < WAIT_SPINS) {
            CPU_RELAX();
        } else {
            sched_yield();
        }
    }
    pthread_mutex_unlock(&job_lock);
}
