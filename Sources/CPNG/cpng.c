// See cpng.h. All libpng error handling (setjmp/longjmp) stays in this file.
#include "cpng.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

// Limits on libpng's own allocations for ancillary chunks (iCCP, zTXt, eXIf...)
// and on the number of such chunks kept, so a hostile file cannot make it
// allocate without bound.
#define CHUNK_MALLOC_MAX (8 * 1024 * 1024)
#define CHUNK_CACHE_MAX 256
// Widths and heights above this are rejected by libpng itself (its default).
#define SIDE_MAX 1000000

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int ran_out;               // the decoder asked for bytes past the end
    char message[CPNG_MSG_LEN];
} reader;

static void copy_msg(char msg[CPNG_MSG_LEN], const char *text) {
    if (msg == NULL) return;
    snprintf(msg, CPNG_MSG_LEN, "%s", text);
}

static void on_error(png_structp png, png_const_charp text) {
    reader *r = (reader *)png_get_error_ptr(png);
    if (r != NULL && !r->ran_out) snprintf(r->message, sizeof r->message, "%s", text);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void on_read(png_structp png, png_bytep out, size_t length) {
    reader *r = (reader *)png_get_io_ptr(png);
    if (r == NULL || length > r->size - r->offset) {
        if (r != NULL) {
            r->ran_out = 1;
            snprintf(r->message, sizeof r->message, "file ends before the image is complete");
        }
        png_error(png, "file ends before the image is complete");
        return;
    }
    memcpy(out, r->data + r->offset, length);
    r->offset += length;
}

static void fill_info(png_structp png, png_infop info, cpng_info *out) {
    if (out == NULL) return;
    out->width = (int)png_get_image_width(png, info);
    out->height = (int)png_get_image_height(png, info);
    out->bit_depth = png_get_bit_depth(png, info);
    out->color_type = png_get_color_type(png, info);
    out->interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    out->has_alpha = (out->color_type & PNG_COLOR_MASK_ALPHA) != 0 ||
                     png_get_valid(png, info, PNG_INFO_tRNS) != 0;
}

static int check_signature(const uint8_t *data, size_t size, char msg[CPNG_MSG_LEN]) {
    if (data == NULL || size == 0) {
        copy_msg(msg, "empty input");
        return CPNG_ERR_ARGUMENT;
    }
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        copy_msg(msg, size < 8 ? "file ends inside the png signature" : "not a png signature");
        return size < 8 ? CPNG_ERR_TRUNCATED : CPNG_ERR_DECODE;
    }
    return CPNG_OK;
}

static png_structp make_reader(reader *r) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r, on_error, on_warning);
    if (png == NULL) return NULL;
    png_set_user_limits(png, SIDE_MAX, SIDE_MAX);
    png_set_chunk_malloc_max(png, CHUNK_MALLOC_MAX);
    png_set_chunk_cache_max(png, CHUNK_CACHE_MAX);
    // Unknown chunks are skipped, not stored.
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
    png_set_read_fn(png, r, on_read);
    return png;
}

int cpng_read_info(const uint8_t *data, size_t size, cpng_info *info,
                   char msg[CPNG_MSG_LEN]) {
    if (info == NULL) return CPNG_ERR_ARGUMENT;
    int sig = check_signature(data, size, msg);
    if (sig != CPNG_OK) return sig;
    reader r = {data, size, 0, 0, {0}};
    png_structp png = make_reader(&r);
    if (png == NULL) {
        copy_msg(msg, "out of memory creating png reader");
        return CPNG_ERR_NO_MEMORY;
    }
    png_infop pinfo = png_create_info_struct(png);
    if (pinfo == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        copy_msg(msg, "out of memory creating png info");
        return CPNG_ERR_NO_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        copy_msg(msg, r.message[0] ? r.message : "invalid png header");
        int code = r.ran_out ? CPNG_ERR_TRUNCATED : CPNG_ERR_DECODE;
        png_destroy_read_struct(&png, &pinfo, NULL);
        return code;
    }
    png_read_info(png, pinfo);
    fill_info(png, pinfo, info);
    png_destroy_read_struct(&png, &pinfo, NULL);
    return CPNG_OK;
}

static void copy_exif(png_structp png, png_infop info, uint8_t **exif, size_t *exif_size) {
    if (exif == NULL || exif_size == NULL || *exif != NULL) return;
    png_uint_32 n = 0;
    png_bytep bytes = NULL;
    if (png_get_eXIf_1(png, info, &n, &bytes) == 0 || bytes == NULL || n == 0) return;
    uint8_t *copy = malloc(n);
    if (copy == NULL) return;
    memcpy(copy, bytes, n);
    *exif = copy;
    *exif_size = n;
}

int cpng_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                    uint8_t **rgb, int *width, int *height, cpng_info *info,
                    uint8_t **exif, size_t *exif_size, char msg[CPNG_MSG_LEN]) {
    if (rgb == NULL || width == NULL || height == NULL) return CPNG_ERR_ARGUMENT;
    *rgb = NULL;
    if (exif) *exif = NULL;
    if (exif_size) *exif_size = 0;
    int sig = check_signature(data, size, msg);
    if (sig != CPNG_OK) return sig;

    // IHDR must be the first chunk: check the pixel cap from its raw bytes
    // before libpng reads (and allocates for) anything else.
    if (max_pixels > 0 && size >= 24 && memcmp(data + 12, "IHDR", 4) == 0) {
        uint32_t w0 = (uint32_t)data[16] << 24 | (uint32_t)data[17] << 16 |
                      (uint32_t)data[18] << 8 | data[19];
        uint32_t h0 = (uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 |
                      (uint32_t)data[22] << 8 | data[23];
        // Unsigned 64-bit product: both sides may be up to 2^32 - 1 here.
        if ((unsigned long long)w0 * (unsigned long long)h0 > (unsigned long long)max_pixels &&
            w0 <= 0x7FFFFFFF && h0 <= 0x7FFFFFFF) {
            if (info) {
                memset(info, 0, sizeof *info);
                info->width = (int)w0;
                info->height = (int)h0;
            }
            snprintf(msg, CPNG_MSG_LEN, "image is %ux%u, above the limit of %lld pixels",
                     (unsigned)w0, (unsigned)h0, max_pixels);
            return CPNG_ERR_TOO_LARGE;
        }
    }

    reader r = {data, size, 0, 0, {0}};
    png_structp png = make_reader(&r);
    if (png == NULL) {
        copy_msg(msg, "out of memory creating png reader");
        return CPNG_ERR_NO_MEMORY;
    }
    png_infop pinfo = png_create_info_struct(png);
    if (pinfo == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        copy_msg(msg, "out of memory creating png info");
        return CPNG_ERR_NO_MEMORY;
    }
    // Changed between setjmp and a possible longjmp, hence volatile.
    uint8_t *volatile pixels = NULL;
    volatile int pixels_done = 0;
    if (setjmp(png_jmpbuf(png))) {
        if (pixels_done) {
            // Only the trailing chunks after the image data were bad: the
            // pixels are complete, so keep them (as PIL does).
            png_destroy_read_struct(&png, &pinfo, NULL);
            *rgb = pixels;
            return CPNG_OK;
        }
        copy_msg(msg, r.message[0] ? r.message : "invalid png data");
        int code = r.ran_out ? CPNG_ERR_TRUNCATED : CPNG_ERR_DECODE;
        free(pixels);
        if (exif && *exif) { free(*exif); *exif = NULL; *exif_size = 0; }
        png_destroy_read_struct(&png, &pinfo, NULL);
        return code;
    }
    png_read_info(png, pinfo);
    fill_info(png, pinfo, info);
    png_uint_32 w = png_get_image_width(png, pinfo);
    png_uint_32 h = png_get_image_height(png, pinfo);
    if (max_pixels > 0 && (long long)w * (long long)h > max_pixels) {
        snprintf(msg, CPNG_MSG_LEN, "image is %ux%u, above the limit of %lld pixels",
                 (unsigned)w, (unsigned)h, max_pixels);
        png_destroy_read_struct(&png, &pinfo, NULL);
        return CPNG_ERR_TOO_LARGE;
    }
    copy_exif(png, pinfo, exif, exif_size);

    int color = png_get_color_type(png, pinfo);
    int depth = png_get_bit_depth(png, pinfo);
    if (depth == 16) png_set_strip_16(png);          // PIL keeps the high byte
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    // Drops an alpha channel, including the one palette expansion makes from tRNS.
    png_set_strip_alpha(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, pinfo);

    if (png_get_channels(png, pinfo) != 3 || png_get_bit_depth(png, pinfo) != 8) {
        copy_msg(msg, "unsupported png pixel layout");
        png_destroy_read_struct(&png, &pinfo, NULL);
        return CPNG_ERR_DECODE;
    }
    size_t stride = (size_t)w * 3;
    if (png_get_rowbytes(png, pinfo) != stride) {
        copy_msg(msg, "unexpected png row size");
        png_destroy_read_struct(&png, &pinfo, NULL);
        return CPNG_ERR_DECODE;
    }
    // Interlaced rows are combined into the full image pass by pass, so the
    // buffer must start defined.
    pixels = passes > 1 ? calloc((size_t)h, stride) : malloc(stride * (size_t)h);
    if (pixels == NULL) {
        copy_msg(msg, "out of memory for pixel buffer");
        png_destroy_read_struct(&png, &pinfo, NULL);
        return CPNG_ERR_NO_MEMORY;
    }
    for (int pass = 0; pass < passes; pass++) {
        for (png_uint_32 y = 0; y < h; y++) {
            png_read_row(png, pixels + (size_t)y * stride, NULL);
        }
    }
    *width = (int)w;
    *height = (int)h;
    pixels_done = 1;
    // Picks up an eXIf chunk stored after the image data.
    png_read_end(png, pinfo);
    copy_exif(png, pinfo, exif, exif_size);
    png_destroy_read_struct(&png, &pinfo, NULL);
    *rgb = pixels;
    return CPNG_OK;
}

void cpng_free(void *p) { free(p); }
