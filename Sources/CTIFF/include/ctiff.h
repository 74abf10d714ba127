// ctiff: a small front end to libtiff 4.5.
//
// Decodes the first page (directory) of a TIFF to packed 8-bit RGB the way
// Pillow's `Image.open(f).convert("RGB")` does, in stored row order: the
// Orientation tag is reported, not applied (the caller turns the image
// upright, as `ImageOps.exif_transpose` does). 1-16-bit grey, palette, RGB,
// CMYK and YCbCr, in strips or tiles, go through libtiff's RGBA interface;
// 16-bit single-sample grey is clipped to 255 as Pillow's "I;16" to "RGB"
// conversion does. Errors are collected per file (no global handler) and
// returned as a CTIFF_* code with the message in `msg`.
#ifndef CTIFF_H
#define CTIFF_H

#include <stddef.h>
#include <stdint.h>

#define CTIFF_OK 0
#define CTIFF_ERR_DECODE 1      /* libtiff rejected the data; see msg */
#define CTIFF_ERR_TOO_LARGE 2   /* width*height exceeds max_pixels */
#define CTIFF_ERR_NO_MEMORY 3
#define CTIFF_ERR_TRUNCATED 4   /* data ended before the image was complete */
#define CTIFF_ERR_ARGUMENT 5

#define CTIFF_MSG_LEN 200

typedef struct {
    int width;
    int height;
    int bits_per_sample;
    int samples_per_pixel;
    int photometric;   /* the PhotometricInterpretation tag */
    int tiled;         /* 1 if the page is stored in tiles */
    int orientation;   /* the Orientation tag, 1 when absent or out of range */
    int pages;         /* number of directories (pages) */
} ctiff_info;

/// Decodes the first page. `max_pixels` (> 0) is checked against the
/// directory's size before any pixel buffer is allocated, and libtiff's own
/// single allocations are capped too. On success `*rgb` holds width*height*3
/// bytes (stored orientation) allocated with malloc; release it with ctiff_free.
int ctiff_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                     uint8_t **rgb, int *width, int *height, ctiff_info *info,
                     char msg[CTIFF_MSG_LEN]);

void ctiff_free(void *p);

#endif
