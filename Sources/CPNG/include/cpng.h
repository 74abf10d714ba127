// cpng: a setjmp-safe front end to libpng 1.6.
//
// Every libpng call happens inside one setjmp scope in cpng.c, so a corrupt
// file can never longjmp through Swift frames. Functions return a CPNG_* code
// and, on failure, copy libpng's message into `msg`.
#ifndef CPNG_H
#define CPNG_H

#include <stddef.h>
#include <stdint.h>

#define CPNG_OK 0
#define CPNG_ERR_DECODE 1      /* libpng reported an error (bad CRC, bad chunk...); see msg */
#define CPNG_ERR_TOO_LARGE 2   /* width*height exceeds max_pixels */
#define CPNG_ERR_NO_MEMORY 3
#define CPNG_ERR_TRUNCATED 4   /* data ended before the image was complete */
#define CPNG_ERR_ARGUMENT 5

#define CPNG_MSG_LEN 200

/// Colour types, as in the IHDR chunk.
#define CPNG_COLOR_GRAY 0
#define CPNG_COLOR_RGB 2
#define CPNG_COLOR_PALETTE 3
#define CPNG_COLOR_GRAY_ALPHA 4
#define CPNG_COLOR_RGBA 6

typedef struct {
    int width;        /* pixels, from IHDR */
    int height;       /* pixels, from IHDR */
    int bit_depth;    /* 1, 2, 4, 8 or 16 */
    int color_type;   /* CPNG_COLOR_* */
    int interlaced;   /* 1 if Adam7 */
    int has_alpha;    /* 1 if an alpha channel or a tRNS chunk is present */
} cpng_info;

/// Reads the signature and IHDR only.
int cpng_read_info(const uint8_t *data, size_t size, cpng_info *info,
                   char msg[CPNG_MSG_LEN]);

/// Decodes to packed 8-bit RGB the way PIL's `Image.convert("RGB")` does.
///
/// 16-bit samples keep their high byte; palette and low-bit grey are expanded;
/// grey is replicated to RGB; alpha and tRNS transparency are ignored (the
/// stored colour of each pixel is kept, as `convert("RGB")` does). Interlaced
/// files are supported. `max_pixels` (> 0) is checked against IHDR before any
/// pixel buffer is allocated. On success `*rgb` holds width*height*3 bytes
/// allocated with malloc; release it with cpng_free. If exif/exif_size are
/// non-NULL and the file has an eXIf chunk, its payload (a TIFF stream) is
/// copied into a malloc'd buffer.
int cpng_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                    uint8_t **rgb, int *width, int *height, cpng_info *info,
                    uint8_t **exif, size_t *exif_size, char msg[CPNG_MSG_LEN]);

void cpng_free(void *p);

#endif
