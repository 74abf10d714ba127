// cheif: a small front end to libheif for HEIC/HEIF and AVIF files.
//
// Decodes the primary image to packed 8-bit RGB the way
// `Image.open(f).convert("RGB")` does with pillow-heif registered: libheif's
// default transforms (clean aperture, `irot`, `imir`) applied, grid images
// assembled from their tiles (HEVC decoded by libavcodec, see cheif_hevc.h; AV1 by
// libdav1d, see cheif_av1.h),
// 10/12-bit samples reduced to 8 bits (AVIF's cut before the conversion, as libavif does),
// alpha dropped (each pixel keeps its stored colour). The EXIF item is handed
// back as TIFF bytes; its orientation is not applied here (nor anywhere:
// libheif already turned the image).
// Functions return a CHEIF_* code and, on failure, write a message into `msg`.
#ifndef CHEIF_H
#define CHEIF_H

#include <stddef.h>
#include <stdint.h>

#define CHEIF_OK 0
#define CHEIF_ERR_DECODE 1      /* libheif rejected the data; see msg */
#define CHEIF_ERR_TOO_LARGE 2   /* width*height exceeds max_pixels */
#define CHEIF_ERR_NO_MEMORY 3
#define CHEIF_ERR_TRUNCATED 4   /* data ended before the image was complete */
#define CHEIF_ERR_ARGUMENT 5

#define CHEIF_MSG_LEN 200

/// The longest side libheif accepts (its own security limit, set on every
/// context): wider or taller images are refused while the file is parsed. 46340
/// keeps width * height below 2^31, where libheif 1.15's int arithmetic overflows.
#define CHEIF_MAX_SIDE 46340

typedef struct {
    int width;          /* pixels, after libheif's transforms */
    int height;         /* pixels, after libheif's transforms */
    int has_alpha;      /* cheif_read_info: 1 if the primary image has an alpha image;
                           cheif_decode_rgb: 1 if it has any auxiliary image (alpha,
                           depth), none of which is decoded */
    int bit_depth;      /* luma bits per sample (8, 10, 12) */
    int avif;           /* 1 if the primary image is AV1-coded (AVIF) */
    int images;         /* number of top-level images (cheif_read_info); only the primary
                           is decoded */
    int matrix;         /* nclx matrix_coefficients, -1 without an nclx profile */
    int full_range;     /* nclx full_range_flag, -1 without an nclx profile */
} cheif_info;

/// Reads the container (boxes, item properties) only; no pixels are decoded.
int cheif_read_info(const uint8_t *data, size_t size, cheif_info *info,
                    char msg[CHEIF_MSG_LEN]);

/// Decodes the primary image to packed 8-bit RGB. `max_pixels` (> 0) is
/// checked against the image size from the headers before any pixel buffer is
/// allocated. On success `*rgb` holds width*height*3 bytes allocated with
/// malloc; release it with cheif_free. If exif/exif_size are non-NULL and the
/// image has an `Exif` item, its TIFF stream (the item's offset field and any
/// "Exif\0\0" prefix skipped) is copied into a malloc'd buffer.
int cheif_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                     uint8_t **rgb, int *width, int *height, cheif_info *info,
                     uint8_t **exif, size_t *exif_size, char msg[CHEIF_MSG_LEN]);

/// Which HEVC decoder libheif runs for HEIC images (AV1: cheif_use_av1_decoder).
#define CHEIF_HEVC_LIBAVCODEC 0 /* libavcodec's, the default: same pixels, less CPU time */
#define CHEIF_HEVC_LIBDE265 1   /* libheif's own libde265 plugin */

/// cheif_decode_rgb with the HEVC decoder chosen: CHEIF_HEVC_LIBAVCODEC (what
/// cheif_decode_rgb uses) or CHEIF_HEVC_LIBDE265.
int cheif_decode_rgb_using(const uint8_t *data, size_t size, long long max_pixels,
                           int hevc_decoder, uint8_t **rgb, int *width, int *height,
                           cheif_info *info, uint8_t **exif, size_t *exif_size,
                           char msg[CHEIF_MSG_LEN]);

/// How many HEVC pictures (grid tiles count one each) libavcodec has decoded for libheif in
/// this process: tests check with it that HEIC goes through libavcodec.
long long cheif_hevc_avcodec_pictures(void);

/// Which AV1 decoder libheif runs for AVIF images on the calling thread from now on.
#define CHEIF_AV1_DAV1D 0   /* picseek's plugin (libdav1d), the default: the stored planes */
#define CHEIF_AV1_LIBHEIF 1 /* libheif's own dav1d/aom plugin, whose planes come back only
                               after a trip through RGB */

/// Chooses the AV1 decoder for the calling thread: CHEIF_AV1_DAV1D or CHEIF_AV1_LIBHEIF.
void cheif_use_av1_decoder(int decoder);

/// How many AV1 pictures (grid tiles count one each) picseek's plugin has decoded in this
/// process: tests check with it that AVIF goes through it.
long long cheif_av1_pictures(void);

/// The HEVC plugin's conversion of 8-bit YCbCr planes to planar RGB, libheif 1.2x's (float,
/// chroma samples repeated; integer for full-range 4:2:0), for nclx `matrix` 1, 2, 5, 6 or 9
/// (others: nothing is written); `sx`/`sy` 1 where chroma is halved; `naive` 1 runs the plain
/// per-pixel twin instead of the SSE2 rows. For the tests.
void cheif_ycbcr_to_rgb(const uint8_t *y, int ys, const uint8_t *cb, int cbs, const uint8_t *cr,
                        int crs, int w, int h, int sx, int sy, int matrix, int full_range,
                        int naive, uint8_t *r, int rs, uint8_t *g, int gs, uint8_t *b, int bs);

/// For the tests: decodes a HEIC of one coded picture twice with that picture replaced by
/// pseudo-random 8-bit planes from `seed` (not 0), once converted to RGB by libheif 1.15 and
/// once by the decoder plugin's own conversion; returns the largest difference between their
/// samples, -1 if a decode failed.
long long cheif_test_conversion(const uint8_t *data, size_t size, uint64_t seed);

/// For the tests: 1 from now on, on the calling thread, leaves every conversion and transform
/// to libheif 1.15 (as with libde265, whose pictures picseek cannot take as stored), so that
/// two HEVC decoders can be compared by their pixels; 0 (the default) ends it.
void cheif_test_libheif_converts(int on);

void cheif_free(void *p);

#endif
