// cheif_av1: an AV1 decoder for libheif backed by libdav1d through libavcodec (internal to
// CHeif).
//
// libheif 1.15 hands each coded AV1 image (the av1C configuration OBUs, then the item's
// OBUs) to the decoder plugin with the highest priority; this one is registered above
// libheif's own dav1d and aom plugins. It returns the picture's planes as stored: 8 to 12
// bits, 4:2:0, 4:2:2, 4:4:4 or monochrome, with the sequence header's colour description.
//
// libheif 1.15 turns every coded picture it gets from a plugin into RGB (or monochrome)
// before its transforms and grid assembly, whatever was asked for, and a caller asking for
// YCbCr gets that RGB converted again into BT.601 full range: the stored samples never come
// back. So, when a thread asks for them (cheif_av1_begin_stored), pictures come back as a
// 4:4:4 "RGB" image (at their own depth) whose R, G and B planes hold Y, Cb and Cr, each
// chroma sample repeated over the pixels it covers: libheif leaves RGB alone, turns and
// crops the three planes alike and pastes grid tiles, and the caller converts the result
// with the file's own matrix and range (cheif.c).
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

/// What the calling thread's pictures were while it asked for stored planes.
typedef struct {
    long long stored;   /* pictures handed back as stored planes */
    long long other;    /* pictures handed back as YCbCr (another depth or layout) */
    int matrix;         /* the first picture's matrix_coefficients (sequence header) */
    int full_range;     /* and its colour range; -1 before any picture */
    int mixed;          /* 1 when a later picture's matrix or range differed */
} cheif_av1_stored_stats;

/// From now on, on the calling thread, pictures in `chroma` and of `bits` per sample (what the
/// item's av1C declares) come back as stored planes in RGB clothing (see above); others as
/// YCbCr.
void cheif_av1_begin_stored(enum heif_chroma chroma, int bits);

/// Ends cheif_av1_begin_stored on the calling thread and says what was decoded since.
cheif_av1_stored_stats cheif_av1_end_stored(void);

#endif
