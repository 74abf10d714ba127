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
    if (desc != NULL) result = cheif_frame_to_image(frame, desc, bits, chroma, out);
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
