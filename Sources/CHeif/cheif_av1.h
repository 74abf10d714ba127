// cheif_av1: an AV1 decoder for libheif backed by libdav1d through libavcodec (internal to
// CHeif).
//
// libheif 1.15 hands each coded AV1 image (the av1C configuration OBUs, then the item's
// OBUs) to the decoder plugin with the highest priority; this one is registered above
// libheif's own dav1d and aom plugins. It returns the picture's planes as stored: 8 to 12
// bits, 4:2:0, 4:2:2, 4:4:4 or monochrome, with the sequence header's colour description.
//
// The stored planes come back to a thread that asks for them (cheif_stored_begin in
// cheif_avcodec.h), for picseek to convert as libavif does (cheif.c).
#ifndef CHEIF_AV1_H
#define CHEIF_AV1_H

#include <libheif/heif.h>
#include <libheif/heif_plugin.h>

/// The name libheif knows the plugin by.
#define CHEIF_AV1_DAV1D_ID "picseek-dav1d"

/// The plugin; register it with `heif_register_decoder_plugin` after `heif_init`.
const struct heif_decoder_plugin *cheif_av1_plugin(void);

/// 0: libheif passes over the plugin on the calling thread from now on (its own dav1d or
/// aom plugin decodes); 1 (the default): the plugin decodes AV1.
void cheif_av1_set_enabled(int enabled);

/// 1 when the plugin decodes AV1 on the calling thread: libavcodec has libdav1d, and the
/// thread has not turned the plugin off (cheif_av1_set_enabled).
int cheif_av1_is_enabled(void);

#endif
