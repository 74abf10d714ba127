// See ctiff.h.
#include "ctiff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int ran_out;                // a read asked for bytes past the end
    int failed;                 // libtiff reported an error
    char message[CTIFF_MSG_LEN];
} reader;

static tmsize_t on_read(thandle_t h, void *out, tmsize_t n) {
    reader *r = (reader *)h;
    if (n <= 0) return 0;
    size_t left = r->offset < r->size ? r->size - r->offset : 0;
    size_t k = (size_t)n <= left ? (size_t)n : left;
    if (k < (size_t)n) r->ran_out = 1;
    if (k > 0) memcpy(out, r->data + r->offset, k);
    r->offset += k;
    return (tmsize_t)k;
}

static tmsize_t on_write(thandle_t h, void *in, tmsize_t n) {
    (void)h;
    (void)in;
    (void)n;
    return -1;
}

static toff_t on_seek(thandle_t h, toff_t off, int whence) {
    reader *r = (reader *)h;
    uint64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? r->offset : r->size;
    uint64_t to = base + off;
    if (to > (uint64_t)SIZE_MAX) return (toff_t)-1;
    r->offset = (size_t)to;
    return to;
}

static int on_close(thandle_t h) {
    (void)h;
    return 0;
}

static toff_t on_size(thandle_t h) { return ((reader *)h)->size; }

static int on_map(thandle_t h, void **base, toff_t *size) {
    (void)h;
    (void)base;
    (void)size;
    return 0;
}

static void on_unmap(thandle_t h, void *base, toff_t size) {
    (void)h;
    (void)base;
    (void)size;
}

static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    (void)module;
    reader *r = (reader *)user;
    if (r != NULL && !r->failed) {
        vsnprintf(r->message, sizeof r->message, fmt, ap);
        for (char *c = r->message; *c; c++) {
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
            if ((unsigned char)*c < 0x20) *c = ' ';
        }
        r->failed = 1;
    }
    return 1;
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    (void)user;
    (void)module;
    (void)fmt;
    (void)ap;
    return 1;
}

static void copy_msg(char msg[CTIFF_MSG_LEN], const char *text) {
    if (msg == NULL) return;
    snprintf(msg, CTIFF_MSG_LEN, "%s", text);
}

static int fail(reader *r, const char *fallback, char msg[CTIFF_MSG_LEN]) {
    if (r->ran_out) {
        copy_msg(msg, "file ends before the image is complete");
        return CTIFF_ERR_TRUNCATED;
    }
    copy_msg(msg, r->message[0] ? r->message : fallback);
    return CTIFF_ERR_DECODE;
}

// 16-bit single-sample grey, clipped to 255 as Pillow converts "I;16" to RGB.
static int read_grey16(TIFF *tif, reader *r, uint32_t w, uint32_t h, long long max_pixels,
                       uint8_t *out, char msg[CTIFF_MSG_LEN]) {
    if (TIFFIsTiled(tif)) {
        uint32_t tw = 0, th = 0;
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
        tmsize_t tile_size = TIFFTileSize(tif);
        if ((long long)tw * (long long)th > max_pixels) {
            copy_msg(msg, "tile is larger than the pixel limit");
            return CTIFF_ERR_DECODE;
        }
        if (tw == 0 || th == 0 || tile_size < (tmsize_t)tw * th * 2) {
            copy_msg(msg, "bad tile size");
            return CTIFF_ERR_DECODE;
        }
        uint16_t *tile = _TIFFmalloc(tile_size);
        if (tile == NULL) {
            copy_msg(msg, "out of memory");
            return CTIFF_ERR_NO_MEMORY;
        }
        for (uint32_t ty = 0; ty < h; ty += th) {
            for (uint32_t tx = 0; tx < w; tx += tw) {
                if (TIFFReadTile(tif, tile, tx, ty, 0, 0) < 0) {
                    _TIFFfree(tile);
                    return fail(r, "cannot read tile", msg);
                }
                for (uint32_t y = ty; y < ty + th && y < h; y++) {
                    for (uint32_t x = tx; x < tx + tw && x < w; x++) {
                        uint16_t v = tile[(size_t)(y - ty) * tw + (x - tx)];
                        uint8_t *px = out + ((size_t)y * w + x) * 3;
                        px[0] = px[1] = px[2] = v > 255 ? 255 : (uint8_t)v;
                    }
                }
            }
        }
        _TIFFfree(tile);
        return CTIFF_OK;
    }
    tmsize_t line_size = TIFFScanlineSize(tif);
    if (line_size < (tmsize_t)w * 2) {
        copy_msg(msg, "bad scanline size");
        return CTIFF_ERR_DECODE;
    }
    uint16_t *line = _TIFFmalloc(line_size);
    if (line == NULL) {
        copy_msg(msg, "out of memory");
        return CTIFF_ERR_NO_MEMORY;
    }
    for (uint32_t y = 0; y < h; y++) {
        if (TIFFReadScanline(tif, line, y, 0) < 0) {
            _TIFFfree(line);
            return fail(r, "cannot read scanline", msg);
        }
        for (uint32_t x = 0; x < w; x++) {
            uint8_t *px = out + ((size_t)y * w + x) * 3;
            px[0] = px[1] = px[2] = line[x] > 255 ? 255 : (uint8_t)line[x];
        }
    }
    _TIFFfree(line);
    return CTIFF_OK;
}

// Everything else through TIFFRGBAImage, in stored row order (no flips).
static int read_rgba(TIFF *tif, reader *r, uint32_t w, uint32_t h, uint8_t *out,
                     char msg[CTIFF_MSG_LEN]) {
    char emsg[1024] = {0};
    TIFFRGBAImage img;
    if (!TIFFRGBAImageOK(tif, emsg) || !TIFFRGBAImageBegin(&img, tif, 1, emsg)) {
        if (r->ran_out) return fail(r, emsg, msg);
        for (char *c = emsg; *c; c++) if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        copy_msg(msg, emsg[0] ? emsg : "unsupported tiff layout");
        return CTIFF_ERR_DECODE;
    }
    // Ask for the orientation the file has, so libtiff neither flips nor
    // half-applies it; the caller applies the tag as exif_transpose does.
    img.req_orientation = img.orientation;
    uint32_t *raster = _TIFFmalloc((tmsize_t)((size_t)w * h * sizeof(uint32_t)));
    if (raster == NULL) {
        TIFFRGBAImageEnd(&img);
        copy_msg(msg, "out of memory");
        return CTIFF_ERR_NO_MEMORY;
    }
    int ok = TIFFRGBAImageGet(&img, raster, w, h);
    TIFFRGBAImageEnd(&img);
    if (!ok || r->failed) {
        _TIFFfree(raster);
        return fail(r, "cannot decode image", msg);
    }
    for (size_t i = 0; i < (size_t)w * h; i++) {
        uint32_t p = raster[i];
        out[i * 3] = (uint8_t)TIFFGetR(p);
        out[i * 3 + 1] = (uint8_t)TIFFGetG(p);
        out[i * 3 + 2] = (uint8_t)TIFFGetB(p);
    }
    _TIFFfree(raster);
    return CTIFF_OK;
}

int ctiff_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                     uint8_t **rgb, int *width, int *height, ctiff_info *info,
                     char msg[CTIFF_MSG_LEN]) {
    if (rgb == NULL || width == NULL || height == NULL || info == NULL || max_pixels <= 0) {
        copy_msg(msg, "invalid argument");
        return CTIFF_ERR_ARGUMENT;
    }
    *rgb = NULL;
    memset(info, 0, sizeof *info);
    info->orientation = 1;
    if (data == NULL || size == 0) {
        copy_msg(msg, "empty input");
        return CTIFF_ERR_ARGUMENT;
    }
    if (size < 8) {
        copy_msg(msg, "file ends inside the tiff header");
        return CTIFF_ERR_TRUNCATED;
    }
    reader r = {data, size, 0, 0, 0, {0}};
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) {
        copy_msg(msg, "out of memory");
        return CTIFF_ERR_NO_MEMORY;
    }
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_error, &r);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_warning, &r);
    // No single allocation inside libtiff may exceed what the pixel cap allows.
    long long cap = max_pixels * 8 + (64LL << 20);
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, (tmsize_t)cap);
    // "m": no memory mapping, every read goes through on_read.
    TIFF *tif = TIFFClientOpenExt("tiff", "rm", (thandle_t)&r, on_read, on_write, on_seek,
                                  on_close, on_size, on_map, on_unmap, options);
    TIFFOpenOptionsFree(options);
    if (tif == NULL) return fail(&r, "cannot read the tiff header", msg);

    int code = CTIFF_OK;
    uint8_t *out = NULL;
    uint32_t w = 0, h = 0;
    uint16_t bps = 1, spp = 1, photometric = 0, orientation = 1;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
    TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orientation);
    info->width = (int)(w > INT32_MAX ? INT32_MAX : w);
    info->height = (int)(h > INT32_MAX ? INT32_MAX : h);
    info->bits_per_sample = bps;
    info->samples_per_pixel = spp;
    info->photometric = photometric;
    info->tiled = TIFFIsTiled(tif) != 0;
    info->orientation = orientation >= 1 && orientation <= 8 ? orientation : 1;
    if (w == 0 || h == 0) {
        copy_msg(msg, "image has no pixels");
        code = CTIFF_ERR_DECODE;
        goto done;
    }
    if ((long long)w * (long long)h > max_pixels) {
        copy_msg(msg, "image too large");
        code = CTIFF_ERR_TOO_LARGE;
        goto done;
    }
    out = malloc((size_t)w * h * 3);
    if (out == NULL) {
        copy_msg(msg, "out of memory");
        code = CTIFF_ERR_NO_MEMORY;
        goto done;
    }
    if (bps == 16 && spp == 1 && photometric == PHOTOMETRIC_MINISBLACK) {
        code = read_grey16(tif, &r, w, h, max_pixels, out, msg);
    } else {
        code = read_rgba(tif, &r, w, h, out, msg);
    }
    if (code != CTIFF_OK) goto done;
    info->pages = TIFFNumberOfDirectories(tif);
    *rgb = out;
    out = NULL;
    *width = (int)w;
    *height = (int)h;

done:
    free(out);
    TIFFClose(tif);
    return code;
}

void ctiff_free(void *p) { free(p); }
