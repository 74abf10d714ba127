// cwebp: a small front end to libwebp and libwebpdemux.
//
// Decodes the first frame of a WebP file (simple lossy, simple lossless,
// extended with alpha, animated) to packed 8-bit RGB the way Pillow's
// `Image.open(f).convert("RGB")` does: frames go through WebPAnimDecoder as
// Pillow's do, alpha is dropped (the stored colour of each pixel is kept).
// Functions return a CWEBP_* code and, on failure, write a message into `msg`.
#ifndef CWEBP_H
#define CWEBP_H

#include <stddef.h>
#include <stdint.h>

#define CWEBP_OK 0
#define CWEBP_ERR_DECODE 1      /* libwebp rejected the data; see msg */
#define CWEBP_ERR_TOO_LARGE 2   /* canvas width*height exceeds max_pixels */
#define CWEBP_ERR_NO_MEMORY 3
#define CWEBP_ERR_TRUNCATED 4   /* data ended before the image was complete */
#define CWEBP_ERR_ARGUMENT 5

#define CWEBP_MSG_LEN 200

typedef struct {
    int width;        /* canvas pixels */
    int height;       /* canvas pixels */
    int has_alpha;    /* 1 if the file declares alpha */
    int animated;     /* 1 if the file is animated */
    int lossless;     /* 1 if the (first) image is VP8L */
    int frames;       /* number of frames, 1 for still images */
} cwebp_info;

/// Reads the RIFF and VP8/VP8L/VP8X headers only (no pixels are decoded).
int cwebp_read_info(const uint8_t *data, size_t size, cwebp_info *info,
                    char msg[CWEBP_MSG_LEN]);

/// Decodes the first frame to packed 8-bit RGB. `max_pixels` (> 0) is checked
/// against the canvas size from the headers before any pixel buffer is
/// allocated. On success `*rgb` holds width*height*3 bytes allocated with
/// malloc; release it with cwebp_free. If exif/exif_size are non-NULL and the
/// file has an EXIF chunk, its payload is copied into a malloc'd buffer (with
/// any "Exif\0\0" prefix removed, so it starts with the TIFF header).
int cwebp_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                     uint8_t **rgb, int *width, int *height, cwebp_info *info,
                     uint8_t **exif, size_t *exif_size, char msg[CWEBP_MSG_LEN]);

void cwebp_free(void *p);

#endif
