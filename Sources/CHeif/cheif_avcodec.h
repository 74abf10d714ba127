// cheif_avcodec: what picseek's libheif decoder plugins on libavcodec share (internal to
// CHeif): the coded stream they collect, one decode on the calling thread, and the copy of a
// decoded frame into a libheif image. cheif_hevc.c implements it; cheif_av1.c uses it too.
#ifndef CHEIF_AVCODEC_H
#define CHEIF_AVCODEC_H

#include <stddef.h>
#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavutil/pixdesc.h>
#include <libheif/heif.h>

/// The coded data libheif pushes to a plugin, padded as libavcodec requires.
typedef struct {
    uint8_t *stream;
    size_t size, capacity;
} cheif_stream;

/// libheif's success value, and a plugin error with a static message.
struct heif_error cheif_plugin_ok(void);
struct heif_error cheif_plugin_failure(enum heif_suberror_code sub, const char *message);

/// The plugin table's `new_decoder` and `free_decoder`: an empty cheif_stream.
struct heif_error cheif_stream_new(void **out);
void cheif_stream_free(void *raw);

/// Room for `more` bytes and libavcodec's padding after them; 0 when the stream would pass
/// 2 GB or memory runs out.
int cheif_stream_reserve(cheif_stream *stream, size_t more);

/// The plugin table's `init_plugin` (libavcodec logs nothing) and `set_strict_decoding`.
void cheif_avcodec_quiet(void);
void cheif_plugin_strict(void *raw, int flag);

/// The pixel cap of the calling thread (cheif_hevc_set_max_pixels), 0 for none.
long long cheif_avcodec_max_pixels(void);

/// Decodes `stream` with `codec` (NULL: an error) on the calling thread, one thread, the
/// pixel cap set before anything is allocated, into `frame`; `none` is the message when no
/// picture comes out.
struct heif_error cheif_avcodec_decode(const AVCodec *codec, cheif_stream *stream, AVFrame *frame,
                                       const char *none);

/// The frame's layout when libheif can hold it: planar monochrome or YCbCr 4:2:0, 4:2:2 or
/// 4:4:4, one sample depth up to 16 bits; NULL with `*err` set otherwise.
const AVPixFmtDescriptor *cheif_frame_layout(const AVFrame *frame, int *bits,
                                              enum heif_chroma *chroma, struct heif_error *err);

/// The frame's planes copied into a new libheif image as they are (deeper samples in 16
/// bits, little-endian, as libheif's), with the stream's colour description as its nclx.
struct heif_error cheif_frame_to_ycbcr(const AVFrame *frame, const AVPixFmtDescriptor *desc,
                                       int bits, enum heif_chroma chroma,
                                       struct heif_image **out);

// ---- Stored planes in RGB clothing ----
//
// libheif 1.15 turns every coded picture it gets from a plugin into RGB (or monochrome)
// before its transforms and grid assembly, whatever was asked for, and a caller asking for
// YCbCr in another profile than BT.601 full range gets that RGB converted again: the stored
// samples never come back. So, when a thread asks for them (cheif_stored_begin), pictures
// come back as a 4:4:4 "RGB" image (at their own depth) whose R, G and B planes hold Y, Cb
// and Cr, each chroma sample repeated over the pixels it covers: libheif leaves RGB alone,
// turns and crops the three planes alike and pastes grid tiles, and the caller converts the
// result itself (cheif.c).

/// What the calling thread's pictures were while it asked for stored planes.
typedef struct {
    long long stored;   /* pictures handed back as stored planes */
    long long other;    /* pictures handed back as YCbCr (another depth or layout) */
    int matrix;         /* the first picture's matrix_coefficients (from the stream) */
    int full_range;     /* and its colour range (unsaid: full); -1 before any picture */
    int mixed;          /* 1 when a later picture's matrix or range differed */
} cheif_stored_stats;

/// From now on, on the calling thread, pictures in `chroma` and of `bits` per sample (what the
/// item's configuration declares) come back as stored planes in RGB clothing; others as
/// YCbCr.
void cheif_stored_begin(enum heif_chroma chroma, int bits);

/// Ends cheif_stored_begin on the calling thread and says what was decoded since.
cheif_stored_stats cheif_stored_end(void);

/// For the plugins: `frame` as a libheif image, stored planes in RGB clothing where the
/// calling thread asked for them and the frame has the layout asked for, else YCbCr as
/// stored (cheif_frame_to_ycbcr); counted in the thread's stats while it asks.
struct heif_error cheif_frame_to_image(const AVFrame *frame, const AVPixFmtDescriptor *desc,
                                       int bits, enum heif_chroma chroma,
                                       struct heif_image **out);

#endif
