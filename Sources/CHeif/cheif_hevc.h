// cheif_hevc: an HEVC decoder for libheif backed by libavcodec (internal to CHeif).
//
// libheif 1.15 hands each coded image (the hvcC parameter sets, then the item's
// length-prefixed NAL units) to the decoder plugin with the highest priority. Debian 12's
// libde265 1.0.11 has no AVX2 code; libavcodec's HEVC decoder decodes the same pictures,
// bit for bit (HEVC decoding is exactly specified), in about 70% of its CPU time. This
// plugin is registered once, above libde265's priority. libheif keeps the container, grids
// and overlays; the plugin converts 8-bit pictures to RGB as pillow-heif's libheif does
// (cheif_hevc_set_rgb_output), or hands back the stored planes for picseek to transform and
// convert itself (cheif_stored_begin in cheif_avcodec.h).
#ifndef CHEIF_HEVC_H
#define CHEIF_HEVC_H

#include <libheif/heif.h>
#include <libheif/heif_plugin.h>

/// The name libheif knows the plugin by.
#define CHEIF_HEVC_AVCODEC_ID "picseek-avcodec"

/// The plugin; register it with `heif_register_decoder_plugin` after `heif_init`.
const struct heif_decoder_plugin *cheif_hevc_plugin(void);

/// 0: libheif passes over the plugin on the calling thread from now on (libde265 decodes);
/// 1 (the default): the plugin decodes HEVC.
void cheif_hevc_set_enabled(int enabled);

/// The largest picture (width * height) the plugin decodes on the calling thread from now
/// on; larger ones are refused before libavcodec allocates them. libheif runs its decoders
/// on the thread that called `heif_decode_image` (no decoding threads are set), so the
/// limit is per thread.
void cheif_hevc_set_max_pixels(long long max_pixels);

/// From now on, on the calling thread, 8-bit pictures come back as RGB 4:4:4 planes instead of
/// YCbCr when `active` is 1: converted exactly as libheif converts them (its float
/// `Op_YCbCr_to_RGB<uint8_t>`, chroma samples repeated, or see `fixed420`), so that libheif
/// has nothing left to convert (it turns every decoded picture into planar RGB, and that
/// conversion was a seventh of a 12 MP decode). `matrix` and `full_range` are the
/// container's nclx profile, which libheif prefers to the stream's; -1 when it has none (the
/// stream's VUI is used, as libheif does; a range it does not state is full). Matrices other
/// than BT.601, BT.709 and BT.2020, and deeper pictures, stay YCbCr for libheif.
/// For a grid the profile must be every tile's (libheif converts each tile with its own);
/// 0 turns it off. `fixed420` 1 takes libheif 1.2x's integer conversion for full-range
/// 4:2:0 (what pillow-heif's libheif does for a picture and a grid), 0 the float one (what it
/// does for the pictures of an overlay, which it composes in planar RGB).
void cheif_hevc_set_rgb_output(int active, int matrix, int full_range, int fixed420);

/// The tests' random planes: from now on, on the calling thread, every decoded 8-bit picture
/// is replaced by pseudo-random samples from `seed` before it is handed on (0: off).
void cheif_hevc_set_test_fill(uint64_t seed);

/// libheif's YCbCr to RGB conversion of one 8-bit picture, as the plugin does it (the float
/// one, or with `fixed420` libheif 1.2x's integer one for full-range 4:2:0): `sx`/`sy` 1
/// where chroma is halved on that axis, `kr`/`kb` the matrix's luma weights. picseek's own
/// HEIC path converts with it too; the tests compare it with libheif's on random planes.
/// Returns 0 (nothing converted) when its row buffer cannot be allocated, else 1.
int cheif_hevc_ycbcr_to_rgb(const uint8_t *y, int ys, const uint8_t *cb, int cbs,
                            const uint8_t *cr, int crs, int w, int h, int sx, int sy, float kr,
                            float kb, int full_range, int fixed420, uint8_t *r, int rs,
                            uint8_t *g, int gs, uint8_t *b, int bs);

#endif
