// See cheif_hevc.h. libavcodec reports errors through return values; nothing longjmps.
// The YCbCr conversion must round exactly as libheif's float code: no fused multiply-add.
#pragma STDC FP_CONTRACT OFF
#include "cheif_hevc.h"
#include "cheif.h"
#include "cheif_avcodec.h"

#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Above libde265's 100, so libheif picks this plugin for HEVC.
#define PRIORITY 200

static _Thread_local long long max_pixels_here = 0;

void cheif_hevc_set_max_pixels(long long max_pixels) { max_pixels_here = max_pixels; }

long long cheif_avcodec_max_pixels(void) { return max_pixels_here; }

static atomic_llong pictures_decoded = 0;

// cheif_hevc_set_rgb_output's request, and the tests' random planes (cheif_hevc_set_test_fill).
typedef struct {
    int active, matrix, full_range, fixed420;
    uint64_t fill_seed;
} rgb_request;

static _Thread_local rgb_request request_here = {0, -1, -1, 1, 0};

void cheif_hevc_set_rgb_output(int active, int matrix, int full_range, int fixed420) {
    request_here.active = active;
    request_here.matrix = matrix;
    request_here.full_range = full_range;
    request_here.fixed420 = fixed420;
}

void cheif_hevc_set_test_fill(uint64_t seed) { request_here.fill_seed = seed; }

long long cheif_hevc_avcodec_pictures(void) { return atomic_load(&pictures_decoded); }

static const char kSuccess[] = "Success";

struct heif_error cheif_plugin_ok(void) {
    return (struct heif_error){heif_error_Ok, heif_suberror_Unspecified, kSuccess};
}

struct heif_error cheif_plugin_failure(enum heif_suberror_code sub, const char *message) {
    return (struct heif_error){heif_error_Decoder_plugin_error, sub, message};
}

static struct heif_error ok(void) { return cheif_plugin_ok(); }

static struct heif_error failure(enum heif_suberror_code sub, const char *message) {
    return cheif_plugin_failure(sub, message);
}

// The item's NAL units as an Annex B stream (each length prefix replaced by a start
// code), padded as libavcodec requires.
typedef cheif_stream decoder;

static const char *plugin_name(void) { return "libavcodec HEVC decoder"; }

// libavcodec logs to stderr by default; a corrupt photo must not write over the terminal.
void cheif_avcodec_quiet(void) { av_log_set_level(AV_LOG_QUIET); }

// 0 on a thread that asked for libde265 (cheif_hevc_set_enabled): libheif then takes it.
static _Thread_local int disabled_here = 0;

void cheif_hevc_set_enabled(int enabled) { disabled_here = !enabled; }

static int does_support_format(enum heif_compression_format format) {
    return format == heif_compression_HEVC && !disabled_here ? PRIORITY : 0;
}

struct heif_error cheif_stream_new(void **out) {
    decoder *d = calloc(1, sizeof *d);
    if (d == NULL) return failure(heif_suberror_Unspecified, "out of memory");
    *out = d;
    return ok();
}

void cheif_stream_free(void *raw) {
    decoder *d = raw;
    if (d == NULL) return;
    free(d->stream);
    free(d);
}

int cheif_stream_reserve(cheif_stream *d, size_t more) {
    size_t pad = AV_INPUT_BUFFER_PADDING_SIZE;
    if (more > (size_t)INT_MAX - pad - d->size) return 0;
    size_t need = d->size + more + pad;
    if (need <= d->capacity) return 1;
    uint8_t *grown = realloc(d->stream, need);
    if (grown == NULL) return 0;
    d->stream = grown;
    d->capacity = need;
    return 1;
}

// NAL units with 4-byte big-endian sizes, as libheif writes the hvcC headers and as the
// items carry them (libheif's libde265 plugin reads the same layout).
static struct heif_error push_data(void *raw, const void *data, size_t size) {
    decoder *d = raw;
    const uint8_t *p = data;
    size_t at = 0;
    while (at < size) {
        if (size - at < 4) return failure(heif_suberror_End_of_data, "truncated nal unit size");
        size_t n = ((size_t)p[at] << 24) | ((size_t)p[at + 1] << 16) |
                   ((size_t)p[at + 2] << 8) | (size_t)p[at + 3];
        at += 4;
        if (n > size - at) return failure(heif_suberror_End_of_data, "nal unit past the data");
        if (!cheif_stream_reserve(d, n + 4)) {
            return failure(heif_suberror_Unspecified, "out of memory");
        }
        static const uint8_t start[4] = {0, 0, 0, 1};
        memcpy(d->stream + d->size, start, 4);
        memcpy(d->stream + d->size + 4, p + at, n);
        d->size += n + 4;
        at += n;
    }
    return ok();
}

// ---- libheif 1.15's YCbCr to RGB, exactly ------------------------------------------
//
// libheif 1.15 (Op_YCbCr_to_RGB<uint8_t>) works in float: Cb and Cr centred on 128, limited
// range scaled by 1.1689 (luma, after taking 16 off) and 1.1429 (chroma), then
// R = Y + r_cr Cr, G = Y + g_cb Cb + g_cr Cr, B = Y + b_cb Cb, each plus 0.5, truncated and
// clamped to 0..255, from the nearest chroma sample (x >> sx, y >> sy). The coefficients come
// from the matrix's Kr and Kb in float as libheif computes them. The same operations in the
// same order give the same bits in SSE2 and in scalar code.

typedef struct {
    float r_cr, g_cb, g_cr, b_cb;
} coefficients;

static coefficients coefficients_for(float kr, float kb) {
    coefficients c;
    c.r_cr = 2 * (-kr + 1);
    c.g_cb = 2 * kb * (-kb + 1) / (kb + kr - 1);
    c.g_cr = 2 * kr * (-kr + 1) / (kb + kr - 1);
    c.b_cb = 2 * (-kb + 1);
    return c;
}

// libheif's Kr and Kb for nclx `matrix` (BT.709; BT.601 as 5 and 6, and for unspecified, 2;
// BT.2020 non-constant luminance), 0 for the rest, which stay with libheif.
static int luma_weights(int matrix, float *kr, float *kb) {
    switch (matrix) {
    case 1: *kr = 0.2126f; *kb = 0.0722f; return 1;
    case 2:
    case 5:
    case 6: *kr = 0.299f; *kb = 0.114f; return 1;
    case 9: *kr = 0.2627f; *kb = 0.0593f; return 1;
    default: return 0;
    }
}

static uint8_t clamp_round(float v) {
    long x = (long)(v + 0.5f);
    return (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : x);
}

// One row: `cbf`/`crf` hold the row's chroma already centred (and scaled), one per pixel.
static void convert_row(const uint8_t *y, const float *cbf, const float *crf, int w, int full,
                        coefficients k, uint8_t *r, uint8_t *g, uint8_t *b) {
    int x = 0;
#if defined(__SSE2__)
    const __m128 half = _mm_set1_ps(0.5f), sixteen = _mm_set1_ps(16.0f);
    const __m128 luma = _mm_set1_ps(1.1689f);
    const __m128 r_cr = _mm_set1_ps(k.r_cr), g_cb = _mm_set1_ps(k.g_cb);
    const __m128 g_cr = _mm_set1_ps(k.g_cr), b_cb = _mm_set1_ps(k.b_cb);
    const __m128i zero = _mm_setzero_si128();
    for (; x + 16 <= w; x += 16) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(y + x));
        __m128i lo = _mm_unpacklo_epi8(bytes, zero), hi = _mm_unpackhi_epi8(bytes, zero);
        __m128i words[4] = {_mm_unpacklo_epi16(lo, zero), _mm_unpackhi_epi16(lo, zero),
                            _mm_unpacklo_epi16(hi, zero), _mm_unpackhi_epi16(hi, zero)};
        __m128i ri[4], gi[4], bi[4];
        for (int q = 0; q < 4; q++) {
            __m128 yv = _mm_cvtepi32_ps(words[q]);
            if (!full) yv = _mm_mul_ps(_mm_sub_ps(yv, sixteen), luma);
            __m128 cb = _mm_loadu_ps(cbf + x + 4 * q), cr = _mm_loadu_ps(crf + x + 4 * q);
            __m128 rv = _mm_add_ps(_mm_add_ps(_mm_mul_ps(r_cr, cr), yv), half);
            __m128 gv = _mm_add_ps(
                _mm_add_ps(_mm_add_ps(_mm_mul_ps(g_cb, cb), yv), _mm_mul_ps(g_cr, cr)), half);
            __m128 bv = _mm_add_ps(_mm_add_ps(_mm_mul_ps(b_cb, cb), yv), half);
            // Truncation toward zero, then the saturating packs clamp to 0..255.
            ri[q] = _mm_cvttps_epi32(rv);
            gi[q] = _mm_cvttps_epi32(gv);
            bi[q] = _mm_cvttps_epi32(bv);
        }
        _mm_storeu_si128((__m128i *)(r + x),
                         _mm_packus_epi16(_mm_packs_epi32(ri[0], ri[1]),
                                          _mm_packs_epi32(ri[2], ri[3])));
        _mm_storeu_si128((__m128i *)(g + x),
                         _mm_packus_epi16(_mm_packs_epi32(gi[0], gi[1]),
                                          _mm_packs_epi32(gi[2], gi[3])));
        _mm_storeu_si128((__m128i *)(b + x),
                         _mm_packus_epi16(_mm_packs_epi32(bi[0], bi[1]),
                                          _mm_packs_epi32(bi[2], bi[3])));
    }
#endif
    for (; x < w; x++) {
        float yv = (float)y[x];
        if (!full) yv = (yv - 16.0f) * 1.1689f;
        float cb = cbf[x], cr = crf[x];
        r[x] = clamp_round(k.r_cr * cr + yv);
        g[x] = clamp_round(k.g_cb * cb + yv + k.g_cr * cr);
        b[x] = clamp_round(k.b_cb * cb + yv);
    }
}

// ---- 8-bit full-range 4:2:0: libheif 1.2x's integer conversion --------------------------
//
// For 8-bit full-range 4:2:0, pillow-heif's libheif (1.2x) takes its integer
// Op_YCbCr420_to_RGB24 instead of the float one: the coefficients times 256, rounded; for
// each chroma sample the offsets (coefficient x (sample - 128) + 128) >> 8, an arithmetic
// shift; R, G and B are luma plus their offset, clamped to 0..255. Up to 1/255 from the
// float result, so phone photos (4:2:0, full range) decode bit-exact with it.

typedef struct {
    int r_cr, g_cb, g_cr, b_cb;
} fixed_coefficients;

static fixed_coefficients fixed_for(coefficients k) {
    fixed_coefficients f = {(int)lroundf(256 * k.r_cr), (int)lroundf(256 * k.g_cb),
                            (int)lroundf(256 * k.g_cr), (int)lroundf(256 * k.b_cb)};
    return f;
}

static uint8_t clamp8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

// The offsets of one chroma row of 4:2:0, one per pixel (each sample serves two).
static void expand_offsets(const uint8_t *cb, const uint8_t *cr, int w, fixed_coefficients f,
                           int16_t *ro, int16_t *go, int16_t *bo) {
    for (int x = 0; x < w; x++) {
        int u = cb[x >> 1] - 128, v = cr[x >> 1] - 128;
        ro[x] = (int16_t)((f.r_cr * v + 128) >> 8);
        go[x] = (int16_t)((f.g_cb * u + f.g_cr * v + 128) >> 8);
        bo[x] = (int16_t)((f.b_cb * u + 128) >> 8);
    }
}

// One row by the integer conversion: luma plus each pixel's offsets, clamped.
static void convert_row_fixed(const uint8_t *y, const int16_t *ro, const int16_t *go,
                              const int16_t *bo, int w, uint8_t *r, uint8_t *g, uint8_t *b) {
    int x = 0;
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128();
    for (; x + 16 <= w; x += 16) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(y + x));
        __m128i lo = _mm_unpacklo_epi8(bytes, zero), hi = _mm_unpackhi_epi8(bytes, zero);
        const int16_t *offsets[3] = {ro, go, bo};
        uint8_t *outs[3] = {r, g, b};
        for (int c = 0; c < 3; c++) {
            __m128i a = _mm_add_epi16(lo, _mm_loadu_si128((const __m128i *)(offsets[c] + x)));
            __m128i d = _mm_add_epi16(hi, _mm_loadu_si128((const __m128i *)(offsets[c] + x + 8)));
            // The saturating pack clamps to 0..255.
            _mm_storeu_si128((__m128i *)(outs[c] + x), _mm_packus_epi16(a, d));
        }
    }
#endif
    for (; x < w; x++) {
        r[x] = clamp8(y[x] + ro[x]);
        g[x] = clamp8(y[x] + go[x]);
        b[x] = clamp8(y[x] + bo[x]);
    }
}

// The chroma of one row, centred and scaled, repeated to one sample per pixel.
static void expand_chroma(const uint8_t *c, int w, int sx, int full, float *out) {
    for (int x = 0; x < w; x++) {
        float v = (float)(c[x >> sx] - 128);
        out[x] = full ? v : v * 1.1429f;
    }
}

// The plain twin: each pixel on its own, chroma read where it lies.
static void ycbcr_to_rgb_naive(const uint8_t *y, int ys, const uint8_t *cb, int cbs,
                               const uint8_t *cr, int crs, int w, int h, int sx, int sy,
                               coefficients k, int full, uint8_t *r, int rs, uint8_t *g, int gs,
                               uint8_t *b, int bs) {
    fixed_coefficients f = fixed_for(k);
    for (int row = 0; row < h; row++) {
        for (int x = 0; x < w; x++) {
            if (sx && sy && full) {
                int yv = y[(size_t)row * ys + x];
                int u = cb[(size_t)(row >> 1) * cbs + (x >> 1)] - 128;
                int v = cr[(size_t)(row >> 1) * crs + (x >> 1)] - 128;
                r[(size_t)row * rs + x] = clamp8(yv + ((f.r_cr * v + 128) >> 8));
                g[(size_t)row * gs + x] = clamp8(yv + ((f.g_cb * u + f.g_cr * v + 128) >> 8));
                b[(size_t)row * bs + x] = clamp8(yv + ((f.b_cb * u + 128) >> 8));
                continue;
            }
            float yv = (float)y[(size_t)row * ys + x];
            float u = (float)(cb[(size_t)(row >> sy) * cbs + (x >> sx)] - 128);
            float v = (float)(cr[(size_t)(row >> sy) * crs + (x >> sx)] - 128);
            if (!full) {
                yv = (yv - 16.0f) * 1.1689f;
                u = u * 1.1429f;
                v = v * 1.1429f;
            }
            r[(size_t)row * rs + x] = clamp_round(yv + k.r_cr * v);
            g[(size_t)row * gs + x] = clamp_round(yv + k.g_cb * u + k.g_cr * v);
            b[(size_t)row * bs + x] = clamp_round(yv + k.b_cb * u);
        }
    }
}

void cheif_ycbcr_to_rgb(const uint8_t *y, int ys, const uint8_t *cb, int cbs, const uint8_t *cr,
                        int crs, int w, int h, int sx, int sy, int matrix, int full_range,
                        int naive, uint8_t *r, int rs, uint8_t *g, int gs, uint8_t *b, int bs) {
    float kr = 0, kb = 0;
    if (!luma_weights(matrix, &kr, &kb)) return;
    if (naive) {
        ycbcr_to_rgb_naive(y, ys, cb, cbs, cr, crs, w, h, sx, sy, coefficients_for(kr, kb),
                           full_range, r, rs, g, gs, b, bs);
        return;
    }
    (void)cheif_hevc_ycbcr_to_rgb(y, ys, cb, cbs, cr, crs, w, h, sx, sy, kr, kb, full_range, 1,
                                  r, rs, g, gs, b, bs);
}

int cheif_hevc_ycbcr_to_rgb(const uint8_t *y, int ys, const uint8_t *cb, int cbs,
                            const uint8_t *cr, int crs, int w, int h, int sx, int sy, float kr,
                            float kb, int full_range, int fixed420, uint8_t *r, int rs,
                            uint8_t *g, int gs, uint8_t *b, int bs) {
    coefficients k = coefficients_for(kr, kb);
    if (sx && sy && full_range && fixed420) {
        int16_t *offsets = malloc(sizeof(int16_t) * (size_t)w * 3);
        if (offsets == NULL) return 0;
        int16_t *ro = offsets, *go = offsets + w, *bo = offsets + 2 * (size_t)w;
        for (int row = 0; row < h; row++) {
            if (row % 2 == 0) { // a chroma row serves two luma rows
                expand_offsets(cb + (size_t)(row / 2) * (size_t)cbs,
                               cr + (size_t)(row / 2) * (size_t)crs, w, fixed_for(k), ro, go, bo);
            }
            convert_row_fixed(y + (size_t)row * (size_t)ys, ro, go, bo, w,
                              r + (size_t)row * (size_t)rs, g + (size_t)row * (size_t)gs,
                              b + (size_t)row * (size_t)bs);
        }
        free(offsets);
        return 1;
    }
    float *cbf = malloc(sizeof(float) * (size_t)w * 2);
    if (cbf == NULL) return 0;
    float *crf = cbf + w;
    int expanded = -1;
    for (int row = 0; row < h; row++) {
        int crow = row >> sy;
        if (crow != expanded) { // a 4:2:0 chroma row serves two luma rows
            expand_chroma(cb + (size_t)crow * (size_t)cbs, w, sx, full_range, cbf);
            expand_chroma(cr + (size_t)crow * (size_t)crs, w, sx, full_range, crf);
            expanded = crow;
        }
        convert_row(y + (size_t)row * (size_t)ys, cbf, crf, w, full_range, k,
                    r + (size_t)row * (size_t)rs, g + (size_t)row * (size_t)gs,
                    b + (size_t)row * (size_t)bs);
    }
    free(cbf);
    return 1;
}

// The frame as libheif's planar RGB, when the request and the picture allow it: 8-bit
// YCbCr, a matrix with weights here. 0 when the picture is left as YCbCr.
static int to_heif_rgb(const AVFrame *frame, const AVPixFmtDescriptor *desc, int matrix,
                       int full_range, struct heif_image **out, struct heif_error *err) {
    float kr = 0, kb = 0;
    if (!luma_weights(matrix, &kr, &kb)) return 0;
    int w = frame->width, h = frame->height;
    *err = heif_image_create(w, h, heif_colorspace_RGB, heif_chroma_444, out);
    if (err->code != heif_error_Ok) return 1;
    static const enum heif_channel channels[3] = {heif_channel_R, heif_channel_G,
                                                  heif_channel_B};
    uint8_t *planes[3] = {NULL, NULL, NULL};
    int strides[3] = {0, 0, 0};
    for (int c = 0; c < 3; c++) {
        *err = heif_image_add_plane(*out, channels[c], w, h, 8);
        if (err->code == heif_error_Ok) planes[c] = heif_image_get_plane(*out, channels[c],
                                                                         &strides[c]);
        if (planes[c] == NULL) {
            heif_image_release(*out);
            *out = NULL;
            if (err->code == heif_error_Ok) {
                *err = failure(heif_suberror_Unspecified, "picture plane missing");
            }
            return 1;
        }
    }
    if (!cheif_hevc_ycbcr_to_rgb(frame->data[0], frame->linesize[0], frame->data[1],
                                 frame->linesize[1], frame->data[2], frame->linesize[2], w, h,
                                 desc->log2_chroma_w, desc->log2_chroma_h, kr, kb, full_range,
                                 request_here.fixed420,
                                 planes[0], strides[0], planes[1], strides[1], planes[2],
                                 strides[2])) {
        heif_image_release(*out);
        *out = NULL;
        *err = failure(heif_suberror_Unspecified, "out of memory converting the picture");
        return 1;
    }
    *err = ok();
    return 1;
}

// The tests' random planes: every sample of `frame` replaced from a seeded generator.
static void fill_frame(AVFrame *frame, const AVPixFmtDescriptor *desc, uint64_t seed) {
    for (int c = 0; c < desc->nb_components; c++) {
        int pw = c == 0 ? frame->width : AV_CEIL_RSHIFT(frame->width, desc->log2_chroma_w);
        int ph = c == 0 ? frame->height : AV_CEIL_RSHIFT(frame->height, desc->log2_chroma_h);
        for (int y = 0; y < ph; y++) {
            uint8_t *row = frame->data[c] + (size_t)y * (size_t)frame->linesize[c];
            for (int x = 0; x < pw; x++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                row[x] = (uint8_t)(seed >> 56);
            }
        }
    }
}

const AVPixFmtDescriptor *cheif_frame_layout(const AVFrame *frame, int *bits,
                                              enum heif_chroma *chroma,
                                              struct heif_error *err) {
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get((enum AVPixelFormat)frame->format);
    if (desc == NULL || (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_BE |
                                        AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM |
                                        AV_PIX_FMT_FLAG_HWACCEL)) != 0 ||
        (desc->nb_components != 1 && desc->nb_components != 3)) {
        *err = failure(heif_suberror_Unsupported_color_conversion, "unsupported pixel format");
        return NULL;
    }
    int mono = desc->nb_components == 1;
    *bits = desc->comp[0].depth;
    int bytes = *bits > 8 ? 2 : 1;
    *chroma = heif_chroma_monochrome;
    if (!mono) {
        if (desc->log2_chroma_w == 1 && desc->log2_chroma_h == 1) *chroma = heif_chroma_420;
        else if (desc->log2_chroma_w == 1 && desc->log2_chroma_h == 0) *chroma = heif_chroma_422;
        else if (desc->log2_chroma_w == 0 && desc->log2_chroma_h == 0) *chroma = heif_chroma_444;
        else {
            *err = failure(heif_suberror_Unsupported_color_conversion, "unsupported chroma");
            return NULL;
        }
    }
    for (int c = 0; c < desc->nb_components; c++) {
        if (desc->comp[c].plane != c || desc->comp[c].depth != *bits ||
            desc->comp[c].step != bytes || *bits > 16) {
            *err = failure(heif_suberror_Unsupported_color_conversion, "unsupported samples");
            return NULL;
        }
    }
    if (frame->width <= 0 || frame->height <= 0) {
        *err = failure(heif_suberror_Invalid_image_size, "empty picture");
        return NULL;
    }
    *err = ok();
    return desc;
}

struct heif_error cheif_frame_to_ycbcr(const AVFrame *frame, const AVPixFmtDescriptor *desc,
                                       int bits, enum heif_chroma chroma,
                                       struct heif_image **out) {
    int mono = desc->nb_components == 1;
    int bytes = bits > 8 ? 2 : 1;
    int w = frame->width, h = frame->height;
    struct heif_error err = heif_image_create(
        w, h, mono ? heif_colorspace_monochrome : heif_colorspace_YCbCr, chroma, out);
    if (err.code != heif_error_Ok) return err;
    static const enum heif_channel channels[3] = {heif_channel_Y, heif_channel_Cb,
                                                  heif_channel_Cr};
    for (int c = 0; c < desc->nb_components; c++) {
        int pw = c == 0 ? w : AV_CEIL_RSHIFT(w, desc->log2_chroma_w);
        int ph = c == 0 ? h : AV_CEIL_RSHIFT(h, desc->log2_chroma_h);
        err = heif_image_add_plane(*out, channels[c], pw, ph, bits);
        int stride = 0;
        uint8_t *dst = err.code == heif_error_Ok ? heif_image_get_plane(*out, channels[c], &stride)
                                                 : NULL;
        const uint8_t *src = frame->data[c];
        if (dst == NULL || src == NULL || frame->linesize[c] < pw * bytes) {
            heif_image_release(*out);
            *out = NULL;
            return err.code != heif_error_Ok
                       ? err
                       : failure(heif_suberror_Unspecified, "picture plane missing");
        }
        for (int y = 0; y < ph; y++) {
            memcpy(dst + (size_t)y * (size_t)stride, src + (size_t)y * (size_t)frame->linesize[c],
                   (size_t)pw * (size_t)bytes);
        }
    }
    // The stream's own colour description (VUI, or AV1's sequence header), as libheif's own
    // plugins set it; a `colr` box in the container takes its place.
    struct heif_color_profile_nclx *nclx = heif_nclx_color_profile_alloc();
    if (nclx != NULL) {
        // Values outside H.273's tables keep libheif's "unspecified"; libde265's plugin
        // also goes on with a warning.
        (void)heif_nclx_color_profile_set_color_primaries(nclx, (uint16_t)frame->color_primaries);
        (void)heif_nclx_color_profile_set_transfer_characteristics(nclx,
                                                                   (uint16_t)frame->color_trc);
        (void)heif_nclx_color_profile_set_matrix_coefficients(nclx, (uint16_t)frame->colorspace);
        // A stream that does not say is full range, as libheif reads it.
        nclx->full_range_flag = frame->color_range != AVCOL_RANGE_MPEG;
        heif_image_set_nclx_color_profile(*out, nclx);
        heif_nclx_color_profile_free(nclx);
    }
    return ok();
}

// cheif_stored_begin's request and what came of it, per thread.
static _Thread_local int stored_active = 0;
static _Thread_local enum heif_chroma stored_chroma = heif_chroma_undefined;
static _Thread_local int stored_bits = 8;
static _Thread_local cheif_stored_stats stats_here = {0, 0, -1, -1, 0};

void cheif_stored_begin(enum heif_chroma chroma, int bits) {
    stored_active = 1;
    stored_chroma = chroma;
    stored_bits = bits;
    stats_here = (cheif_stored_stats){0, 0, -1, -1, 0};
}

cheif_stored_stats cheif_stored_end(void) {
    stored_active = 0;
    return stats_here;
}

// The frame as a 4:4:4 image whose R, G and B planes are Y, Cb and Cr at the stored depth
// (deeper samples in 16 bits, as libheif's), each chroma sample repeated over the pixels it
// covers (mid-grey for monochrome: neutral chroma).
static struct heif_error to_stored_planes(const AVFrame *frame, const AVPixFmtDescriptor *desc,
                                          int bits, struct heif_image **out) {
    int w = frame->width, h = frame->height;
    struct heif_error err = heif_image_create(w, h, heif_colorspace_RGB, heif_chroma_444, out);
    if (err.code != heif_error_Ok) return err;
    static const enum heif_channel channels[3] = {heif_channel_R, heif_channel_G,
                                                  heif_channel_B};
    int sx = desc->log2_chroma_w, sy = desc->log2_chroma_h;
    size_t bytes = bits > 8 ? 2 : 1;
    uint16_t grey = (uint16_t)(128u << (bits - 8));
    for (int c = 0; c < 3; c++) {
        err = heif_image_add_plane(*out, channels[c], w, h, bits);
        int stride = 0;
        uint8_t *dst = err.code == heif_error_Ok ? heif_image_get_plane(*out, channels[c], &stride)
                                                 : NULL;
        int present = c < desc->nb_components;
        const uint8_t *src = present ? frame->data[c] : NULL;
        int need = (c == 0 ? w : AV_CEIL_RSHIFT(w, sx)) * (int)bytes;
        if (dst == NULL || (present && (src == NULL || frame->linesize[c] < need))) {
            heif_image_release(*out);
            *out = NULL;
            return err.code != heif_error_Ok
                       ? err
                       : failure(heif_suberror_Unspecified, "picture plane missing");
        }
        for (int y = 0; y < h; y++) {
            uint8_t *d = dst + (size_t)y * (size_t)stride;
            int row = c == 0 ? y : y >> sy;
            const uint8_t *s = present ? src + (size_t)row * (size_t)frame->linesize[c] : NULL;
            if (s != NULL && (c == 0 || sx == 0)) {
                memcpy(d, s, (size_t)w * bytes);
            } else if (s != NULL && bytes == 1) {
                for (int x = 0; x < w; x++) d[x] = s[x >> 1];
            } else if (s != NULL) {
                for (int x = 0; x < w; x++) memcpy(d + 2 * (size_t)x, s + 2 * (size_t)(x >> 1), 2);
            } else if (bytes == 1) {
                memset(d, grey, (size_t)w);
            } else {
                for (int x = 0; x < w; x++) memcpy(d + 2 * (size_t)x, &grey, 2);
            }
        }
    }
    return ok();
}

struct heif_error cheif_frame_to_image(const AVFrame *frame, const AVPixFmtDescriptor *desc,
                                       int bits, enum heif_chroma chroma,
                                       struct heif_image **out) {
    int stored = stored_active && bits == stored_bits && chroma == stored_chroma;
    struct heif_error result = stored ? to_stored_planes(frame, desc, bits, out)
                                      : cheif_frame_to_ycbcr(frame, desc, bits, chroma, out);
    if (result.code == heif_error_Ok && stored_active) {
        cheif_stored_stats *st = &stats_here;
        int matrix = (int)frame->colorspace, full = frame->color_range != AVCOL_RANGE_MPEG;
        if (st->stored + st->other == 0) {
            st->matrix = matrix;
            st->full_range = full;
        } else if (st->matrix != matrix || st->full_range != full) {
            st->mixed = 1;
        }
        if (stored) st->stored++;
        else st->other++;
    }
    return result;
}

// The frame as a libheif image: YCbCr (or monochrome) planes as stored, stored planes in RGB
// clothing (cheif_stored_begin), or RGB where cheif_hevc_set_rgb_output asks for it.
static struct heif_error to_heif_image(AVFrame *frame, struct heif_image **out) {
    int bits = 0;
    enum heif_chroma chroma = heif_chroma_monochrome;
    struct heif_error err;
    const AVPixFmtDescriptor *desc = cheif_frame_layout(frame, &bits, &chroma, &err);
    if (desc == NULL) return err;
    int mono = desc->nb_components == 1;
    if (request_here.fill_seed != 0 && bits == 8 && av_frame_make_writable(frame) >= 0) {
        fill_frame(frame, desc, request_here.fill_seed);
    }
    if (request_here.active && !mono && bits == 8) {
        int matrix = request_here.matrix, full = request_here.full_range;
        if (matrix < 0) { // no nclx in the container: the stream's, as libheif takes it
            matrix = (int)frame->colorspace;
            full = frame->color_range != AVCOL_RANGE_MPEG;
        }
        if (to_heif_rgb(frame, desc, matrix, full, out, &err)) return err;
    }
    return cheif_frame_to_image(frame, desc, bits, chroma, out);
}

struct heif_error cheif_avcodec_decode(const AVCodec *codec, cheif_stream *d, AVFrame *frame,
                                       const char *none) {
    if (d->size == 0) return failure(heif_suberror_End_of_data, "no coded data");
    if (codec == NULL) return failure(heif_suberror_Unsupported_codec, "no decoder in libavcodec");
    memset(d->stream + d->size, 0, AV_INPUT_BUFFER_PADDING_SIZE);
    AVCodecContext *ctx = avcodec_alloc_context3(codec);
    AVPacket *packet = av_packet_alloc();
    struct heif_error result = failure(heif_suberror_Unspecified, "out of memory");
    if (ctx == NULL || packet == NULL) goto done;
    ctx->thread_count = 1; // one photo per indexing thread
    long long max_pixels = cheif_avcodec_max_pixels();
    if (max_pixels > 0) ctx->max_pixels = max_pixels < INT_MAX ? max_pixels : INT_MAX;
    if (avcodec_open2(ctx, codec, NULL) < 0) {
        result = failure(heif_suberror_Unspecified, "decoder did not start");
        goto done;
    }
    packet->data = d->stream;
    packet->size = (int)d->size;
    int code = avcodec_send_packet(ctx, packet);
    if (code >= 0) code = avcodec_send_packet(ctx, NULL); // end of stream: flush
    code = avcodec_receive_frame(ctx, frame);
    result = code < 0 ? failure(heif_suberror_Unspecified, none) : ok();
done:
    av_packet_free(&packet);
    avcodec_free_context(&ctx);
    return result;
}

// Decodes the pushed stream on the calling thread and returns its first picture.
static struct heif_error decode_image(void *raw, struct heif_image **out) {
    *out = NULL;
    AVFrame *frame = av_frame_alloc();
    if (frame == NULL) return failure(heif_suberror_Unspecified, "out of memory");
    struct heif_error result = cheif_avcodec_decode(avcodec_find_decoder(AV_CODEC_ID_HEVC), raw,
                                                    frame, "hevc data decoded to no picture");
    if (result.code == heif_error_Ok) result = to_heif_image(frame, out);
    if (result.code == heif_error_Ok) atomic_fetch_add(&pictures_decoded, 1);
    av_frame_free(&frame);
    return result;
}

void cheif_plugin_strict(void *raw, int flag) {
    (void)raw;
    (void)flag;
}

static const struct heif_decoder_plugin plugin = {
    3,
    plugin_name,
    cheif_avcodec_quiet,
    NULL,
    does_support_format,
    cheif_stream_new,
    cheif_stream_free,
    push_data,
    decode_image,
    cheif_plugin_strict,
    CHEIF_HEVC_AVCODEC_ID,
};

const struct heif_decoder_plugin *cheif_hevc_plugin(void) { return &plugin; }
