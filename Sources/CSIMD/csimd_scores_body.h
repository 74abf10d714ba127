// The score kernel's function, written once; csimd_scores_kernel.h includes it once
// per instruction set. Not a header of the module's interface and without an include
// guard on purpose.
//
// Four rows share each query load; two accumulators per row (eight chains),
// each covering half of a step of 2 * KERNEL_LANES columns. Columns past the
// last full step and rows past the last group of four are summed in scalar C
// (KERNEL_DOT_TAIL for whole rows).
//
// Parameters (see csimd_scores_kernel.h): KERNEL_NAME, KERNEL_LOADM and the
// instruction set's KERNEL_TARGET, KERNEL_VEC, KERNEL_LANES, KERNEL_ZERO,
// KERNEL_LOADQ, KERNEL_FMA, KERNEL_ADD, KERNEL_SUM, all undefined here at the
// end; the element type's KERNEL_ELEM, KERNEL_TO_F32, KERNEL_DOT_TAIL and
// KERNEL_SCALED, which stay defined for the next instruction set.

#if KERNEL_SCALED
#define KERNEL_OUT(r, s) (scales[r] * (s))
#else
#define KERNEL_OUT(r, s) (s)
#endif

KERNEL_TARGET static void KERNEL_NAME(const KERNEL_ELEM *m, const float *scales, size_t rows,
                                      size_t d, const float *q, float *out) {
    (void)scales;
    size_t vec = d / (2 * KERNEL_LANES) * (2 * KERNEL_LANES);
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const KERNEL_ELEM *p0 = m + r * d, *p1 = p0 + d, *p2 = p1 + d, *p3 = p2 + d;
        KERNEL_VEC a0 = KERNEL_ZERO(), a1 = KERNEL_ZERO();
        KERNEL_VEC a2 = KERNEL_ZERO(), a3 = KERNEL_ZERO();
        KERNEL_VEC b0 = KERNEL_ZERO(), b1 = KERNEL_ZERO();
        KERNEL_VEC b2 = KERNEL_ZERO(), b3 = KERNEL_ZERO();
        for (size_t j = 0; j < vec; j += 2 * KERNEL_LANES) {
            KERNEL_VEC x = KERNEL_LOADQ(q + j), y = KERNEL_LOADQ(q + j + KERNEL_LANES);
            a0 = KERNEL_FMA(KERNEL_LOADM(p0 + j), x, a0);
            a1 = KERNEL_FMA(KERNEL_LOADM(p1 + j), x, a1);
            a2 = KERNEL_FMA(KERNEL_LOADM(p2 + j), x, a2);
            a3 = KERNEL_FMA(KERNEL_LOADM(p3 + j), x, a3);
            b0 = KERNEL_FMA(KERNEL_LOADM(p0 + j + KERNEL_LANES), y, b0);
            b1 = KERNEL_FMA(KERNEL_LOADM(p1 + j + KERNEL_LANES), y, b1);
            b2 = KERNEL_FMA(KERNEL_LOADM(p2 + j + KERNEL_LANES), y, b2);
            b3 = KERNEL_FMA(KERNEL_LOADM(p3 + j + KERNEL_LANES), y, b3);
        }
        float s0 = KERNEL_SUM(KERNEL_ADD(a0, b0));
        float s1 = KERNEL_SUM(KERNEL_ADD(a1, b1));
        float s2 = KERNEL_SUM(KERNEL_ADD(a2, b2));
        float s3 = KERNEL_SUM(KERNEL_ADD(a3, b3));
        for (size_t j = vec; j < d; j++) {
            s0 += KERNEL_TO_F32(p0[j]) * q[j];
            s1 += KERNEL_TO_F32(p1[j]) * q[j];
            s2 += KERNEL_TO_F32(p2[j]) * q[j];
            s3 += KERNEL_TO_F32(p3[j]) * q[j];
        }
        out[r] = KERNEL_OUT(r, s0); out[r + 1] = KERNEL_OUT(r + 1, s1);
        out[r + 2] = KERNEL_OUT(r + 2, s2); out[r + 3] = KERNEL_OUT(r + 3, s3);
    }
    for (; r < rows; r++) out[r] = KERNEL_OUT(r, KERNEL_DOT_TAIL(m + r * d, q, d));
}

#undef KERNEL_OUT
#undef KERNEL_NAME
#undef KERNEL_LOADM
#undef KERNEL_TARGET
#undef KERNEL_VEC
#undef KERNEL_LANES
#undef KERNEL_ZERO
#undef KERNEL_LOADQ
#undef KERNEL_FMA
#undef KERNEL_ADD
#undef KERNEL_SUM
