// See cheif_av1.h. libavcodec reports errors through return values; nothing longjmps.
#include "cheif_av1.h"
#include "cheif.h"
#include "cheif_avcodec.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

// Above libheif 1.15's own AV1 plugins (dav1d 150, aom 100), so libheif picks this one.
#define PRIORITY 200

static atomic_llong pictures_decoded = 0;

long long cheif_av1_pictures(void) { return atomic_load(&pictures_decoded); }

// 0 on a thread that asked for libheif's own AV1 plugins (cheif_av1_set_enabled).
static _Thread_local int disabled_here = 0;

void cheif_av1_set_enabled(int enabled) { disabled_here = !enabled; }

// Whether this libavcodec was built with libdav1d (Debian's is); without it libheif's own
// AV1 plugins decode.
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static int dav1d_present = 0;
static void probe(void) { dav1d_present = avcodec_find_decoder_by_name("libdav1d") != NULL; }

int cheif_av1_is_enabled(void) {
    pthread_once(&probe_once, probe);
    return dav1d_present && !disabled_here;
}

// cheif_av1_begin_stored's request and what came of it, per thread.
static _Thread_local int stored_active = 0;
static _Thread_local enum heif_chroma stored_chroma = heif_chroma_undefined;
static _Thread_local int stored_bits = 8;
static _Thread_local cheif_av1_stored_stats stats_here = {0, 0, -1, -1, 0};

void cheif_av1_begin_stored(enum heif_chroma chroma, int bits) {
    stored_active = 1;
    stored_chroma = chroma;
    stored_bits = bits;
    stats_here = (cheif_av1_stored_stats){0, 0, -1, -1, 0};
}

cheif_av1_stored_stats cheif_av1_end_stored(void) {
    stored_active = 0;
    return stats_here;
}

static const char *plugin_name(void) { return "libdav1d AV1 decoder (through libavcodec)"; }

static int does_support_format(enum heif_compression_format format) {
    return format == heif_compression_AV1 && cheif_av1_is_enabled() ? PRIORITY : 0;
}

// libheif pushes the av1C configuration OBUs, then the item's OBUs: one low-overhead
// bitstream, which libdav1d takes as it is.
static struct heif_error push_data(void *raw, const void *data, size_t size) {
    cheif_stream *s = raw;
    if (size == 0) return cheif_plugin_ok();
    if (!cheif_stream_reserve(s, size)) {
        return cheif_plugin_failure(heif_suberror_Unspecified, "out of memory");
    }
    memcpy(s->stream + s->size, data, size);
    s->size += size;
    return cheif_plugin_ok();
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
                       : cheif_plugin_failure(heif_suberror_Unspecified, "picture plane missing");
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
    return cheif_plugin_ok();
}

// Decodes the pushed bitstream on the calling thread and returns its first picture.
static struct heif_error decode_image(void *raw, struct heif_image **out) {
    *out = NULL;
    AVFrame *frame = av_frame_alloc();
    if (frame == NULL) return cheif_plugin_failure(heif_suberror_Unspecified, "out of memory");
    struct heif_error result = cheif_avcodec_decode(avcodec_find_decoder_by_name("libdav1d"),
                                                    raw, frame, "av1 data decoded to no picture");
    int bits = 0;
    enum heif_chroma chroma = heif_chroma_undefined;
    const AVPixFmtDescriptor *desc = NULL;
    if (result.code == heif_error_Ok) desc = cheif_frame_layout(frame, &bits, &chroma, &result);
    if (desc != NULL) {
        int stored = stored_active && bits == stored_bits && chroma == stored_chroma;
        result = stored ? to_stored_planes(frame, desc, bits, out)
                        : cheif_frame_to_ycbcr(frame, desc, bits, chroma, out);
        if (result.code == heif_error_Ok && stored_active) {
            cheif_av1_stored_stats *st = &stats_here;
            int matrix = (int)frame->colorspace, full = frame->color_range == AVCOL_RANGE_JPEG;
            if (st->stored + st->other == 0) {
                st->matrix = matrix;
                st->full_range = full;
            } else if (st->matrix != matrix || st->full_range != full) {
                st->mixed = 1;
            }
            if (stored) st->stored++;
            else st->other++;
        }
    }
    if (result.code == heif_error_Ok) atomic_fetch_add(&pictures_decoded, 1);
    av_frame_free(&frame);
    return result;
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
    CHEIF_AV1_DAV1D_ID,
};

const struct heif_decoder_plugin *cheif_av1_plugin(void) { return &plugin; }
