// See cjpeg.h. All libjpeg error handling (setjmp/longjmp) stays in this file.
#include "cjpeg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int saw_eof_warning;
    char message[JMSG_LENGTH_MAX];
} error_mgr;

static void on_error_exit(j_common_ptr cinfo) {
    error_mgr *err = (error_mgr *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

static void on_emit_message(j_common_ptr cinfo, int level) {
    error_mgr *err = (error_mgr *)cinfo->err;
    if (level < 0) {
        // A warning. Premature end of data means the image is incomplete:
        // libjpeg would silently pad it with grey, so we treat it as an error.
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
            err->saw_eof_warning = 1;
            (*cinfo->err->format_message)(cinfo, err->message);
        }
        cinfo->err->num_warnings++;
    }
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void copy_msg(char msg[CJPEG_MSG_LEN], const char *text) {
    if (msg == NULL) return;
    snprintf(msg, CJPEG_MSG_LEN, "%s", text);
}

// Bounds the work a hostile progressive file can cause (libjpeg-turbo's own
// recommendation in its security advisory about scan counts).
#define MAX_SCANS 1000
static void on_progress(j_common_ptr cinfo) {
    if (cinfo->is_decompressor) {
        j_decompress_ptr d = (j_decompress_ptr)cinfo;
        if (d->input_scan_number > MAX_SCANS) {
            error_mgr *err = (error_mgr *)cinfo->err;
            snprintf(err->message, sizeof err->message,
                     "too many progressive scans (more than %d)", MAX_SCANS);
            longjmp(err->jump, 2);
        }
    }
}

static int map_colorspace(J_COLOR_SPACE cs) {
    switch (cs) {
    case JCS_GRAYSCALE: return CJPEG_CS_GRAY;
    case JCS_RGB: return CJPEG_CS_RGB;
    case JCS_YCbCr: return CJPEG_CS_YCBCR;
    case JCS_CMYK: return CJPEG_CS_CMYK;
    case JCS_YCCK: return CJPEG_CS_YCCK;
    default: return CJPEG_CS_OTHER;
    }
}

static void fill_info(j_decompress_ptr d, cjpeg_info *info) {
    if (info == NULL) return;
    info->width = (int)d->image_width;
    info->height = (int)d->image_height;
    info->components = d->num_components;
    info->colorspace = map_colorspace(d->jpeg_color_space);
    info->progressive = d->progressive_mode ? 1 : 0;
    info->adobe_marker = d->saw_Adobe_marker ? 1 : 0;
}

// Copies the first APP1 "Exif" payload (after the 6-byte "Exif\0\0" header).
static void copy_exif(j_decompress_ptr d, uint8_t **exif, size_t *exif_size) {
    if (exif == NULL || exif_size == NULL) return;
    for (jpeg_saved_marker_ptr m = d->marker_list; m != NULL; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 &&
            memcmp(m->data, "Exif\0\0", 6) == 0) {
            size_t n = m->data_length - 6;
            uint8_t *copy = malloc(n);
            if (copy) {
                memcpy(copy, m->data + 6, n);
                *exif = copy;
                *exif_size = n;
            }
            return;
        }
    }
}

int cjpeg_read_header(const uint8_t *data, size_t size, cjpeg_info *info,
                      uint8_t **exif, size_t *exif_size, char msg[CJPEG_MSG_LEN]) {
    if (exif) *exif = NULL;
    if (exif_size) *exif_size = 0;
    if (data == NULL || size == 0 || info == NULL) {
        copy_msg(msg, "empty input");
        return CJPEG_ERR_ARGUMENT;
    }
    struct jpeg_decompress_struct d;
    error_mgr err;
    memset(&err, 0, sizeof err);
    d.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error_exit;
    err.pub.emit_message = on_emit_message;
    err.pub.output_message = on_output_message;
    if (setjmp(err.jump)) {
        copy_msg(msg, err.message);
        if (exif && *exif) { free(*exif); *exif = NULL; *exif_size = 0; }
        jpeg_destroy_decompress(&d);
        return err.saw_eof_warning ? CJPEG_ERR_TRUNCATED : CJPEG_ERR_DECODE;
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, data, (unsigned long)size);
    if (exif) jpeg_save_markers(&d, JPEG_APP0 + 1, 0xFFFF);
    int rc = jpeg_read_header(&d, TRUE);
    if (rc != JPEG_HEADER_OK || err.saw_eof_warning) {
        copy_msg(msg, err.message[0] ? err.message : "no image in jpeg data");
        jpeg_destroy_decompress(&d);
        return CJPEG_ERR_TRUNCATED;
    }
    fill_info(&d, info);
    copy_exif(&d, exif, exif_size);
    jpeg_destroy_decompress(&d);
    return CJPEG_OK;
}

int cjpeg_read_info(const uint8_t *data, size_t size, cjpeg_info *info,
                    char msg[CJPEG_MSG_LEN]) {
    return cjpeg_read_header(data, size, info, NULL, NULL, msg);
}

static inline uint8_t clip8(int v) { return v < 0 ? 0 : (v > 255 ? 255 : (uint8_t)v); }

// PIL's cmyk2rgb (Convert.c): out = nk - c*nk/255 with nk = 255 - k, using
// MULDIV255(a, b) = ((a*b + 128) + ((a*b + 128) >> 8)) >> 8.
static inline int muldiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
}

static void cmyk_row_to_rgb(const uint8_t *in, uint8_t *out, int width, int inverted) {
    for (int x = 0; x < width; x++) {
        int c = in[4 * x], m = in[4 * x + 1], y = in[4 * x + 2], k = in[4 * x + 3];
        if (inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        int nk = 255 - k;
        out[3 * x] = clip8(nk - muldiv255(c, nk));
        out[3 * x + 1] = clip8(nk - muldiv255(m, nk));
        out[3 * x + 2] = clip8(nk - muldiv255(y, nk));
    }
}

int cjpeg_decode_rgb(const uint8_t *data, size_t size, int scale_denom,
                     long long max_pixels, uint8_t **rgb, int *width,
                     int *height, cjpeg_info *info, uint8_t **exif,
                     size_t *exif_size, char msg[CJPEG_MSG_LEN]) {
    if (rgb == NULL || width == NULL || height == NULL) return CJPEG_ERR_ARGUMENT;
    *rgb = NULL;
    if (exif) *exif = NULL;
    if (exif_size) *exif_size = 0;
    if (data == NULL || size == 0) {
        copy_msg(msg, "empty input");
        return CJPEG_ERR_ARGUMENT;
    }
    if (scale_denom != 1 && scale_denom != 2 && scale_denom != 4 && scale_denom != 8) {
        copy_msg(msg, "scale must be 1, 2, 4 or 8");
        return CJPEG_ERR_ARGUMENT;
    }

    struct jpeg_decompress_struct d;
    struct jpeg_progress_mgr progress;
    error_mgr err;
    // Declared volatile: they change between setjmp and a possible longjmp.
    uint8_t *volatile pixels = NULL;
    uint8_t *volatile row = NULL;
    memset(&err, 0, sizeof err);
    d.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error_exit;
    err.pub.emit_message = on_emit_message;
    err.pub.output_message = on_output_message;
    int jumped = setjmp(err.jump);
    if (jumped) {
        copy_msg(msg, err.message);
        free(pixels);
        free(row);
        if (exif && *exif) { free(*exif); *exif = NULL; *exif_size = 0; }
        jpeg_destroy_decompress(&d);
        return CJPEG_ERR_DECODE;
    }
    jpeg_create_decompress(&d);
    // Cap libjpeg's own working memory (coefficient buffers of progressive files).
    d.mem->max_memory_to_use = 1024L * 1024L * 1024L;
    progress.progress_monitor = on_progress;
    d.progress = &progress;
    jpeg_mem_src(&d, data, (unsigned long)size);
    if (exif) jpeg_save_markers(&d, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&d, TRUE);
    fill_info(&d, info);

    if (max_pixels > 0 && (long long)d.image_width * (long long)d.image_height > max_pixels) {
        snprintf(msg, CJPEG_MSG_LEN, "image is %ux%u, above the limit of %lld pixels",
                 d.image_width, d.image_height, max_pixels);
        jpeg_destroy_decompress(&d);
        return CJPEG_ERR_TOO_LARGE;
    }

    copy_exif(&d, exif, exif_size);

    int cmyk = (d.jpeg_color_space == JCS_CMYK || d.jpeg_color_space == JCS_YCCK);
    d.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    d.scale_num = 1;
    d.scale_denom = (unsigned)scale_denom;
    jpeg_start_decompress(&d);

    int w = (int)d.output_width, h = (int)d.output_height;
    size_t stride = (size_t)w * 3;
    pixels = malloc(stride * (size_t)h);
    if (pixels == NULL) {
        copy_msg(msg, "out of memory for pixel buffer");
        jpeg_destroy_decompress(&d);
        return CJPEG_ERR_NO_MEMORY;
    }
    if (cmyk) {
        row = malloc((size_t)w * 4);
        if (row == NULL) {
            free(pixels);
            copy_msg(msg, "out of memory for row buffer");
            jpeg_destroy_decompress(&d);
            return CJPEG_ERR_NO_MEMORY;
        }
    }
    // PIL reads every 4-component JPEG as inverted ("CMYK;I", "assume adobe
    // conventions"), with or without an Adobe marker; so do we, for parity.
    int inverted = 1;
    while (d.output_scanline < d.output_height) {
        uint8_t *dst = pixels + (size_t)d.output_scanline * stride;
        if (cmyk) {
            JSAMPROW r = row;
            if (jpeg_read_scanlines(&d, &r, 1) != 1) break;
            cmyk_row_to_rgb(row, dst, w, inverted);
        } else {
            JSAMPROW r = dst;
            if (jpeg_read_scanlines(&d, &r, 1) != 1) break;
        }
        if (err.saw_eof_warning) break;
    }
    if (err.saw_eof_warning || d.output_scanline < d.output_height) {
        snprintf(msg, CJPEG_MSG_LEN, "%s",
                 err.message[0] ? err.message : "premature end of JPEG data");
        free(pixels);
        free(row);
        if (exif && *exif) { free(*exif); *exif = NULL; *exif_size = 0; }
        jpeg_destroy_decompress(&d);
        return CJPEG_ERR_TRUNCATED;
    }
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    free(row);
    *rgb = pixels;
    *width = w;
    *height = h;
    return CJPEG_OK;
}

// A growable memory destination of our own (not jpeg_mem_dest, whose current
// buffer is private to libjpeg), so the bytes written so far can be freed when
// libjpeg jumps out on an error.
typedef struct {
    struct jpeg_destination_mgr pub;
    uint8_t *data;    // malloc'd; grows by doubling
    size_t capacity;
} mem_dest;

static void dest_init(j_compress_ptr c) {
    mem_dest *dest = (mem_dest *)c->dest;
    dest->pub.next_output_byte = dest->data;
    dest->pub.free_in_buffer = dest->capacity;
}

// Called when the whole buffer is full.
static boolean dest_empty(j_compress_ptr c) {
    mem_dest *dest = (mem_dest *)c->dest;
    size_t grown = dest->capacity * 2;
    uint8_t *data = grown > dest->capacity ? realloc(dest->data, grown) : NULL;
    if (data == NULL) ERREXIT1(c, JERR_OUT_OF_MEMORY, 10);
    dest->pub.next_output_byte = data + dest->capacity;
    dest->pub.free_in_buffer = grown - dest->capacity;
    dest->data = data;
    dest->capacity = grown;
    return TRUE;
}

static void dest_term(j_compress_ptr c) { (void)c; }

int cjpeg_encode(const uint8_t *pixels, int width, int height, int colorspace, int quality,
                 int progressive, uint8_t **out, size_t *out_size, char msg[CJPEG_MSG_LEN]) {
    int components;
    switch (colorspace) {
    case CJPEG_CS_GRAY: components = 1; break;
    case CJPEG_CS_RGB: components = 3; break;
    case CJPEG_CS_CMYK: case CJPEG_CS_YCCK: components = 4; break;
    default: components = 0; break;
    }
    if (pixels == NULL || out == NULL || out_size == NULL || width <= 0 || height <= 0 ||
        components == 0) {
        copy_msg(msg, "invalid encode arguments");
        return CJPEG_ERR_ARGUMENT;
    }
    // On the heap, set before setjmp and never reassigned, so it is still valid after a
    // longjmp; libjpeg changes only what it points to.
    mem_dest *const dest = calloc(1, sizeof *dest);
    uint8_t *const first = malloc(4096);
    if (dest == NULL || first == NULL) {
        free(dest);
        free(first);
        copy_msg(msg, "out of memory for the encoded image");
        return CJPEG_ERR_NO_MEMORY;
    }
    dest->data = first;
    dest->capacity = 4096;
    dest->pub.init_destination = dest_init;
    dest->pub.empty_output_buffer = dest_empty;
    dest->pub.term_destination = dest_term;

    struct jpeg_compress_struct c;
    error_mgr err;
    memset(&err, 0, sizeof err);
    c.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = on_error_exit;
    err.pub.emit_message = on_emit_message;
    err.pub.output_message = on_output_message;
    if (setjmp(err.jump)) {
        copy_msg(msg, err.message);
        jpeg_destroy_compress(&c);
        free(dest->data);
        free(dest);
        return CJPEG_ERR_DECODE;
    }
    jpeg_create_compress(&c);
    c.dest = &dest->pub;
    c.image_width = (JDIMENSION)width;
    c.image_height = (JDIMENSION)height;
    c.input_components = components;
    c.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&c);
    // Both four-component colour spaces get an Adobe APP14 marker from libjpeg.
    if (components == 4) jpeg_set_colorspace(&c, colorspace == CJPEG_CS_YCCK ? JCS_YCCK : JCS_CMYK);
    jpeg_set_quality(&c, quality, TRUE);
    if (progressive) jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    size_t stride = (size_t)width * (size_t)components;
    while (c.next_scanline < c.image_height) {
        JSAMPROW r = (JSAMPROW)(pixels + (size_t)c.next_scanline * stride);
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *out = dest->data;
    *out_size = dest->capacity - dest->pub.free_in_buffer;
    free(dest);
    return CJPEG_OK;
}

void cjpeg_free(void *p) { free(p); }
