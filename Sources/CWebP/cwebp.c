// See cwebp.h. libwebp reports errors through return values; nothing longjmps.
#include "cwebp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>
#include <webp/demux.h>

static void copy_msg(char msg[CWEBP_MSG_LEN], const char *text) {
    if (msg == NULL) return;
    snprintf(msg, CWEBP_MSG_LEN, "%s", text);
}

static const char *status_text(VP8StatusCode status) {
    switch (status) {
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "invalid webp bitstream";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported webp feature";
    case VP8_STATUS_SUSPENDED: return "decoding suspended";
    case VP8_STATUS_USER_ABORT: return "decoding aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "file ends before the image is complete";
    default: return "webp decoding failed";
    }
}

static int status_code(VP8StatusCode status) {
    switch (status) {
    case VP8_STATUS_OK: return CWEBP_OK;
    case VP8_STATUS_OUT_OF_MEMORY: return CWEBP_ERR_NO_MEMORY;
    case VP8_STATUS_NOT_ENOUGH_DATA: return CWEBP_ERR_TRUNCATED;
    default: return CWEBP_ERR_DECODE;
    }
}

static int check_input(const uint8_t *data, size_t size, char msg[CWEBP_MSG_LEN]) {
    if (data == NULL || size == 0) {
        copy_msg(msg, "empty input");
        return CWEBP_ERR_ARGUMENT;
    }
    if (size < 12) {
        copy_msg(msg, "file ends inside the riff header");
        return CWEBP_ERR_TRUNCATED;
    }
    if (memcmp(data, "RIFF", 4) != 0 || memcmp(data + 8, "WEBP", 4) != 0) {
        copy_msg(msg, "not a webp signature");
        return CWEBP_ERR_DECODE;
    }
    return CWEBP_OK;
}

// The demuxer for the whole file; on failure tells a cut file from a bad one.
static WebPDemuxer *open_demux(const WebPData *webp, int *code, char msg[CWEBP_MSG_LEN]) {
    WebPDemuxer *demux = WebPDemux(webp);
    if (demux != NULL) return demux;
    WebPDemuxState state = WEBP_DEMUX_PARSE_ERROR;
    WebPDemuxer *partial = WebPDemuxPartial(webp, &state);
    if (partial != NULL) WebPDemuxDelete(partial);
    if (state == WEBP_DEMUX_PARSING_HEADER || state == WEBP_DEMUX_PARSED_HEADER) {
        *code = CWEBP_ERR_TRUNCATED;
        copy_msg(msg, "file ends before the image is complete");
    } else {
        *code = CWEBP_ERR_DECODE;
        copy_msg(msg, "invalid webp container");
    }
    return NULL;
}

static int fill_info(const uint8_t *data, size_t size, cwebp_info *info,
                     char msg[CWEBP_MSG_LEN]) {
    WebPBitstreamFeatures features;
    VP8StatusCode status = WebPGetFeatures(data, size, &features);
    if (status != VP8_STATUS_OK) {
        copy_msg(msg, status_text(status));
        return status_code(status);
    }
    info->width = features.width;
    info->height = features.height;
    info->has_alpha = features.has_alpha != 0;
    info->animated = features.has_animation != 0;
    info->lossless = features.format == 2;
    info->frames = 1;
    if (features.width <= 0 || features.height <= 0) {
        copy_msg(msg, "image has no pixels");
        return CWEBP_ERR_DECODE;
    }
    return CWEBP_OK;
}

int cwebp_read_info(const uint8_t *data, size_t size, cwebp_info *info,
                    char msg[CWEBP_MSG_LEN]) {
    if (info == NULL) return CWEBP_ERR_ARGUMENT;
    memset(info, 0, sizeof *info);
    int code = check_input(data, size, msg);
    if (code != CWEBP_OK) return code;
    return fill_info(data, size, info, msg);
}

static void copy_exif(WebPDemuxer *demux, uint8_t **exif, size_t *exif_size) {
    if (exif == NULL || exif_size == NULL) return;
    WebPChunkIterator chunk;
    if (!WebPDemuxGetChunk(demux, "EXIF", 1, &chunk)) return;
    const uint8_t *bytes = chunk.chunk.bytes;
    size_t n = chunk.chunk.size;
    if (n >= 6 && memcmp(bytes, "Exif\0\0", 6) == 0) {
        bytes += 6;
        n -= 6;
    }
    if (n > 0 && bytes != NULL) {
        uint8_t *copy = malloc(n);
        if (copy != NULL) {
            memcpy(copy, bytes, n);
            *exif = copy;
            *exif_size = n;
        }
    }
    WebPDemuxReleaseChunkIterator(&chunk);
}

int cwebp_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                     uint8_t **rgb, int *width, int *height, cwebp_info *info,
                     uint8_t **exif, size_t *exif_size, char msg[CWEBP_MSG_LEN]) {
    if (rgb == NULL || width == NULL || height == NULL || info == NULL || max_pixels <= 0) {
        copy_msg(msg, "invalid argument");
        return CWEBP_ERR_ARGUMENT;
    }
    *rgb = NULL;
    if (exif != NULL) *exif = NULL;
    if (exif_size != NULL) *exif_size = 0;
    memset(info, 0, sizeof *info);
    int code = check_input(data, size, msg);
    if (code != CWEBP_OK) return code;
    code = fill_info(data, size, info, msg);
    if (code != CWEBP_OK) return code;
    if ((long long)info->width * (long long)info->height > max_pixels) {
        copy_msg(msg, "image too large");
        return CWEBP_ERR_TOO_LARGE;
    }

    WebPData webp = {data, size};
    WebPDemuxer *demux = open_demux(&webp, &code, msg);
    if (demux == NULL) return code;
    int canvas_w = (int)WebPDemuxGetI(demux, WEBP_FF_CANVAS_WIDTH);
    int canvas_h = (int)WebPDemuxGetI(demux, WEBP_FF_CANVAS_HEIGHT);
    int frames = (int)WebPDemuxGetI(demux, WEBP_FF_FRAME_COUNT);
    info->width = canvas_w;
    info->height = canvas_h;
    info->frames = frames;
    if (canvas_w <= 0 || canvas_h <= 0 || frames <= 0) {
        WebPDemuxDelete(demux);
        copy_msg(msg, frames <= 0 ? "file has no frames" : "image has no pixels");
        return CWEBP_ERR_DECODE;
    }
    if ((long long)canvas_w * (long long)canvas_h > max_pixels) {
        WebPDemuxDelete(demux);
        copy_msg(msg, "image too large");
        return CWEBP_ERR_TOO_LARGE;
    }
    copy_exif(demux, exif, exif_size);
    WebPDemuxDelete(demux);

    // Every file goes through the animation decoder, as Pillow's do: frame 1
    // is drawn at its offset on a canvas cleared to transparent black.
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options)) {
        copy_msg(msg, "libwebp version mismatch");
        return CWEBP_ERR_DECODE;
    }
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    WebPAnimDecoder *decoder = WebPAnimDecoderNew(&webp, &options);
    if (decoder == NULL) {
        copy_msg(msg, "invalid webp data");
        return CWEBP_ERR_DECODE;
    }
    uint8_t *rgba = NULL;
    int timestamp = 0;
    if (!WebPAnimDecoderGetNext(decoder, &rgba, &timestamp) || rgba == NULL) {
        WebPAnimDecoderDelete(decoder);
        copy_msg(msg, "cannot decode the first frame");
        return CWEBP_ERR_DECODE;
    }
    size_t pixels = (size_t)canvas_w * (size_t)canvas_h;
    uint8_t *out = malloc(pixels * 3);
    if (out == NULL) {
        WebPAnimDecoderDelete(decoder);
        copy_msg(msg, "out of memory");
        return CWEBP_ERR_NO_MEMORY;
    }
    for (size_t i = 0; i < pixels; i++) {
        out[i * 3] = rgba[i * 4];
        out[i * 3 + 1] = rgba[i * 4 + 1];
        out[i * 3 + 2] = rgba[i * 4 + 2];
    }
    WebPAnimDecoderDelete(decoder);
    *rgb = out;
    *width = canvas_w;
    *height = canvas_h;
    return CWEBP_OK;
}

void cwebp_free(void *p) { free(p); }
