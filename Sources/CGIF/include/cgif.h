// cgif: a small front end to giflib 5.
//
// Decodes the first frame of a GIF to packed 8-bit RGB the way Pillow's
// `Image.open(f).convert("RGB")` does: the frame's palette (local, else
// global) is applied, indices past the colour table map to grey (i, i, i),
// transparency is ignored (the palette colour of the transparent index is
// kept), pixels outside the first frame hold the transparent index if the
// frame has one and index 0 otherwise, and a frame reaching past the logical
// screen grows the canvas. Functions return a CGIF_* code and, on failure,
// write a message into `msg`.
#ifndef CGIF_H
#define CGIF_H

#include <stddef.h>
#include <stdint.h>

#define CGIF_OK 0
#define CGIF_ERR_DECODE 1      /* giflib rejected the data; see msg */
#define CGIF_ERR_TOO_LARGE 2   /* canvas width*height exceeds max_pixels */
#define CGIF_ERR_NO_MEMORY 3
#define CGIF_ERR_TRUNCATED 4   /* data ended before the first frame was complete */
#define CGIF_ERR_ARGUMENT 5

#define CGIF_MSG_LEN 200

typedef struct {
    int width;         /* canvas pixels (logical screen, grown to the first frame) */
    int height;
    int has_transparency; /* 1 if the first frame has a transparent index */
    int interlaced;    /* 1 if the first frame is interlaced */
    int colors;        /* entries in the colour table used, 0 if none */
} cgif_info;

/// Decodes the first frame. `max_pixels` (> 0) is checked against the logical
/// screen and then against the frame's extent before any pixel buffer is
/// allocated. On success `*rgb` holds width*height*3 bytes allocated with
/// malloc; release it with cgif_free.
int cgif_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                    uint8_t **rgb, int *width, int *height, cgif_info *info,
                    char msg[CGIF_MSG_LEN]);

void cgif_free(void *p);

#endif
