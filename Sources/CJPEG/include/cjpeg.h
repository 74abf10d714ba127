// cjpeg: a setjmp-safe front end to libjpeg(-turbo).
//
// Every libjpeg call happens inside one setjmp scope in cjpeg.c, so a corrupt
// file can never longjmp through Swift frames. Functions return a CJPEG_* code
// and, on failure, copy libjpeg's message into `msg`.
#ifndef CJPEG_H
#define CJPEG_H

#include <stddef.h>
#include <stdint.h>

#define CJPEG_OK 0
#define CJPEG_ERR_DECODE 1      /* libjpeg reported an error; see msg */
#define CJPEG_ERR_TOO_LARGE 2   /* width*height exceeds max_pixels */
#define CJPEG_ERR_NO_MEMORY 3
#define CJPEG_ERR_TRUNCATED 4   /* data ended before the image was complete */
#define CJPEG_ERR_ARGUMENT 5

#define CJPEG_MSG_LEN 200

/// Colour model of the file, as the decoder sees it.
#define CJPEG_CS_GRAY 1
#define CJPEG_CS_RGB 2
#define CJPEG_CS_YCBCR 3
#define CJPEG_CS_CMYK 4
#define CJPEG_CS_YCCK 5
#define CJPEG_CS_OTHER 0

typedef struct {
    int width;            /* full-size width in pixels */
    int height;           /* full-size height in pixels */
    int components;       /* 1, 3 or 4 */
    int colorspace;       /* CJPEG_CS_* */
    int progressive;      /* 1 if progressive */
    int adobe_marker;     /* 1 if an Adobe APP14 marker was seen */
} cjpeg_info;

/// Reads the header only: size, components, colour space.
int cjpeg_read_info(const uint8_t *data, size_t size, cjpeg_info *info,
                    char msg[CJPEG_MSG_LEN]);

/// Reads the header and, when exif/exif_size are non-NULL, copies the first
/// APP1 "Exif" payload (TIFF bytes) into a malloc'd buffer (free with cjpeg_free).
int cjpeg_read_header(const uint8_t *data, size_t size, cjpeg_info *info,
                      uint8_t **exif, size_t *exif_size, char msg[CJPEG_MSG_LEN]);

/// Decodes to packed 8-bit RGB at 1/scale_denom of full size (1, 2, 4 or 8).
///
/// Greyscale is expanded to RGB; CMYK/YCCK (Adobe-inverted or not) is converted
/// to RGB the way PIL does (always read as Adobe-inverted, like PIL). `max_pixels` (> 0) is checked against the full-size
/// header dimensions before any pixel buffer is allocated. On success `*rgb`
/// holds width*height*3 bytes allocated with malloc; release it with cjpeg_free.
/// If exif/exif_size are non-NULL, the first APP1 "Exif" payload (after the
/// 6-byte "Exif\0\0" header) is copied into a malloc'd buffer.
int cjpeg_decode_rgb(const uint8_t *data, size_t size, int scale_denom,
                     long long max_pixels, uint8_t **rgb, int *width,
                     int *height, cjpeg_info *info, uint8_t **exif,
                     size_t *exif_size, char msg[CJPEG_MSG_LEN]);

/// Encodes packed 8-bit samples as a JPEG. `colorspace` says what they are:
/// CJPEG_CS_GRAY (1 per pixel), CJPEG_CS_RGB (3 per pixel, stored as YCbCr), or
/// CJPEG_CS_CMYK / CJPEG_CS_YCCK (4 CMYK samples per pixel, written as given, so pass
/// inverted values for the Adobe convention, stored as CMYK or YCCK with an Adobe
/// marker). `*out` is malloc'd; release it with cjpeg_free. Nothing is left allocated
/// when it fails. Used by tests and tools.
int cjpeg_encode(const uint8_t *pixels, int width, int height, int colorspace, int quality,
                 int progressive, uint8_t **out, size_t *out_size, char msg[CJPEG_MSG_LEN]);

void cjpeg_free(void *p);

#endif
