// See cheif_hevc.h. libavcodec reports errors through return values; nothing longjmps.
#include "cheif_hevc.h"
#include "cheif.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>

// Above libde265's 100, so libheif picks this plugin for HEVC.
#define PRIORITY 200

static _Thread_local long long max_pixels_here = 0;

void cheif_hevc_set_max_pixels(long long max_pixels) { max_pixels_here = max_pixels; }

static atomic_llong pictures_decoded = 0;

long long cheif_hevc_avcodec_pictures(void) { return atomic_load(&pictures_decoded); }

static const char kSuccess[] = "Success";

static struct heif_error ok(void) {
    return (struct heif_error){heif_error_Ok, heif_suberror_Unspecified, kSuccess};
}

static struct heif_error failure(enum heif_suberror_code sub, const char *message) {
    return (struct heif_error){heif_error_Decoder_plugin_error, sub, message};
}

// The item's NAL units as an Annex B stream (each length prefix replaced by a start
// code), padded as libavcodec requires.
typedef struct {
    uint8_t *stream;
    size_t size, capacity;
} decoder;

static const char *plugin_name(void) { return "libavcodec HEVC decoder"; }

// libavcodec logs to stderr by default; a corrupt photo must not write over the terminal.
static void init_plugin(void) { av_log_set_level(AV_LOG_QUIET); }

static int does_support_format(enum heif_compression_format format) {
    return format == heif_compression_HEVC ? PRIORITY : 0;
}

static struct heif_error new_decoder(void **out) {
    decoder *d = calloc(1, sizeof *d);
    if (d == NULL) return failure(heif_suberror_Unspecified, "out of memory");
    *out = d;
    return ok();
}

static void free_decoder(void *raw) {
    decoder *d = raw;
    if (d == NULL) return;
    free(d->stream);
    free(d);
}

// Room for `more` bytes and libavcodec's padding after them (the stream stays below 2 GB).
static int reserve(decoder *d, size_t more) {
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
        if (!reserve(d, n + 4)) return failure(heif_suberror_Unspecified, "out of memory");
        static const uint8_t start[4] = {0, 0, 0, 1};
        memcpy(d->stream + d->size, start, 4);
        memcpy(d->stream + d->size + 4, p + at, n);
        d->size += n + 4;
        at += n;
    }
    return ok();
}

// The frame's planes copied into a new libheif image: monochrome or YCbCr 4:2:0, 4:2:2 or
// 4:4:4, 8 to 16 bits (deeper samples stored in 16 bits, little-endian, as libheif's).
static struct heif_error to_heif_image(const AVFrame *frame, struct heif_image **out) {
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get((enum AVPixelFormat)frame->format);
    if (desc == NULL || (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_BE |
                                        AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM |
                                        AV_PIX_FMT_FLAG_HWACCEL)) != 0 ||
        (desc->nb_components != 1 && desc->nb_components != 3)) {
        return failure(heif_suberror_Unsupported_color_conversion, "unsupported pixel format");
    }
    int mono = desc->nb_components == 1;
    int bits = desc->comp[0].depth;
    int bytes = bits > 8 ? 2 : 1;
    enum heif_chroma chroma = heif_chroma_monochrome;
    if (!mono) {
        if (desc->log2_chroma_w == 1 && desc->log2_chroma_h == 1) chroma = heif_chroma_420;
        else if (desc->log2_chroma_w == 1 && desc->log2_chroma_h == 0) chroma = heif_chroma_422;
        else if (desc->log2_chroma_w == 0 && desc->log2_chroma_h == 0) chroma = heif_chroma_444;
        else return failure(heif_suberror_Unsupported_color_conversion, "unsupported chroma");
    }
    for (int c = 0; c < desc->nb_components; c++) {
        if (desc->comp[c].plane != c || desc->comp[c].depth != bits ||
            desc->comp[c].step != bytes || bits > 16) {
            return failure(heif_suberror_Unsupported_color_conversion, "unsupported samples");
        }
    }
    int w = frame->width, h = frame->height;
    if (w <= 0 || h <= 0) return failure(heif_suberror_Invalid_image_size, "empty picture");
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
    // The stream's own colour description (VUI), as libheif's libde265 plugin sets it; a
    // `colr` box in the container takes its place.
    struct heif_color_profile_nclx *nclx = heif_nclx_color_profile_alloc();
    if (nclx != NULL) {
        // Values outside H.273's tables keep libheif's "unspecified"; libde265's plugin
        // also goes on with a warning.
        (void)heif_nclx_color_profile_set_color_primaries(nclx, (uint16_t)frame->color_primaries);
        (void)heif_nclx_color_profile_set_transfer_characteristics(nclx,
                                                                   (uint16_t)frame->color_trc);
        (void)heif_nclx_color_profile_set_matrix_coefficients(nclx, (uint16_t)frame->colorspace);
        nclx->full_range_flag = frame->color_range == AVCOL_RANGE_JPEG;
        heif_image_set_nclx_color_profile(*out, nclx);
        heif_nclx_color_profile_free(nclx);
    }
    return ok();
}

// Decodes the pushed stream on the calling thread and returns its first picture.
static struct heif_error decode_image(void *raw, struct heif_image **out) {
    decoder *d = raw;
    *out = NULL;
    if (d->size == 0) return failure(heif_suberror_End_of_data, "no coded data");
    memset(d->stream + d->size, 0, AV_INPUT_BUFFER_PADDING_SIZE);
    const AVCodec *codec = avcodec_find_decoder(AV_CODEC_ID_HEVC);
    if (codec == NULL) return failure(heif_suberror_Unsupported_codec, "no hevc decoder");
    AVCodecContext *ctx = avcodec_alloc_context3(codec);
    AVPacket *packet = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    struct heif_error result = failure(heif_suberror_Unspecified, "out of memory");
    if (ctx == NULL || packet == NULL || frame == NULL) goto done;
    ctx->thread_count = 1; // one photo per indexing thread
    if (max_pixels_here > 0) {
        ctx->max_pixels = max_pixels_here < INT_MAX ? max_pixels_here : INT_MAX;
    }
    if (avcodec_open2(ctx, codec, NULL) < 0) {
        result = failure(heif_suberror_Unspecified, "hevc decoder did not start");
        goto done;
    }
    packet->data = d->stream;
    packet->size = (int)d->size;
    int code = avcodec_send_packet(ctx, packet);
    if (code >= 0) code = avcodec_send_packet(ctx, NULL); // end of stream: flush
    code = avcodec_receive_frame(ctx, frame);
    if (code < 0) {
        result = failure(heif_suberror_Unspecified, "hevc data decoded to no picture");
        goto done;
    }
    result = to_heif_image(frame, out);
    if (result.code == heif_error_Ok) atomic_fetch_add(&pictures_decoded, 1);
done:
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&ctx);
    return result;
}

static void set_strict_decoding(void *raw, int flag) {
    (void)raw;
    (void)flag;
}

static const struct heif_decoder_plugin plugin = {
    3,
    plugin_name,
    init_plugin,
    NULL,
    does_support_format,
    new_decoder,
    free_decoder,
    push_data,
    decode_image,
    set_strict_decoding,
    CHEIF_HEVC_AVCODEC_ID,
};

const struct heif_decoder_plugin *cheif_hevc_plugin(void) { return &plugin; }
