// cheif_hevc: an HEVC decoder for libheif backed by libavcodec (internal to CHeif).
//
// libheif 1.15 hands each coded image (the hvcC parameter sets, then the item's
// length-prefixed NAL units) to the decoder plugin with the highest priority. Debian 12's
// libde265 1.0.11 has no AVX2 code; libavcodec's HEVC decoder decodes the same pictures,
// bit for bit (HEVC decoding is exactly specified), in about 70% of its CPU time. This
// plugin is registered once, above libde265's priority; libheif keeps everything else:
// the container, grids, transforms, colour conversion.
#ifndef CHEIF_HEVC_H
#define CHEIF_HEVC_H

#include <libheif/heif.h>
#include <libheif/heif_plugin.h>

/// The name libheif knows the plugin by (`heif_decoding_options.decoder_id`).
#define CHEIF_HEVC_AVCODEC_ID "picseek-avcodec"
/// libheif's own libde265 plugin's name.
#define CHEIF_HEVC_LIBDE265_ID "libde265"

/// The plugin; register it with `heif_register_decoder_plugin` after `heif_init`.
const struct heif_decoder_plugin *cheif_hevc_plugin(void);

/// The largest picture (width * height) the plugin decodes on the calling thread from now
/// on; larger ones are refused before libavcodec allocates them. libheif runs its decoders
/// on the thread that called `heif_decode_image` (no decoding threads are set), so the
/// limit is per thread.
void cheif_hevc_set_max_pixels(long long max_pixels);

#endif
