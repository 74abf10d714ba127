// cheif_transform: a HEIF item's crop, turn and mirror applied to its YCbCr planes as
// pillow-heif's libheif (1.2x) applies them (internal to CHeif).
//
// libheif 1.2x crops, turns and mirrors the planes before converting them to RGB, in the
// order the item lists its `clap`, `irot` and `imir`. Where a transform would split the
// pixels that share a chroma sample (a 4:2:0 picture of odd height turned 270 degrees, a
// mirrored one of odd width, any 4:2:2 picture turned a quarter, a crop at an odd offset),
// it first makes the picture 4:4:4 with bilinear chroma (weights 3:1, 9:3:3:1 in two
// dimensions, edge samples repeated) and transforms that. A limited-range picture is also
// taken to full range on that way (through RGB), and yet read as limited range when it is
// converted at the end: its colours come out stretched, and picseek's with them, since
// pillow-heif's are the reference. libheif 1.15, which picseek links, turns subsampled
// planes as they are (or the RGB its decoder plugin made), which along an odd-length axis
// pairs pixels with the wrong chroma samples: up to 96/255 away on the fixtures.
#ifndef CHEIF_TRANSFORM_H
#define CHEIF_TRANSFORM_H

#include <stdint.h>

/// A YCbCr picture: Y at w x h, Cb and Cr halved along x (`sx`) and y (`sy`) where those
/// are 1 (rounded up), absent (NULL) when monochrome. Samples of `bits` (8 to 16), in the
/// profile of the matrix's luma weights `kr`/`kb` and `full_range`.
typedef struct {
    uint16_t *plane[3];
    int w, h;
    int sx, sy;
    int bits;
    float kr, kb;
    int full_range;
} cheif_ycc;

typedef enum { CHEIF_CROP, CHEIF_TURN, CHEIF_MIRROR } cheif_transform_kind;

typedef struct {
    cheif_transform_kind kind;
    /// CHEIF_CROP: the `clap` fields: width, height, horizontal and vertical offset, each as
    /// numerator and denominator.
    int64_t clap[8];
    /// CHEIF_TURN: quarter turns anticlockwise (1 to 3).
    int turns;
    /// CHEIF_MIRROR: 1 swaps left and right, 0 top and bottom (libheif's reading of the
    /// `imir` axis bit: 1, 0).
    int left_right;
} cheif_transform;

/// The crop a `clap` makes of a w x h picture, as libheif 1.2x rounds it: first and last
/// column and row, inside the picture. 0 when it is empty or its fractions are invalid.
int cheif_clap_rect(const int64_t clap[8], int w, int h, int *left, int *right, int *top,
                    int *bottom);

/// Whether libheif 1.2x's `t`, on a w x h picture with chroma halved along `sx`/`sy`, gives
/// other pixels than `t` on the RGB picture made with repeated chroma samples (what libheif
/// 1.15 does with picseek's HEVC plugin): 1 when it goes to 4:4:4 first, or reverses a
/// halved axis of odd length as it is (a 4:2:2 picture of odd width turned 180 degrees: the
/// chroma moves by a pixel); else 0. -1 when `t` cannot be applied (an invalid crop).
/// `*w`/`*h` receive the size after it.
int cheif_transform_differs(const cheif_transform *t, int sx, int sy, int *w, int *h);

/// Applies `n` transforms in order to `im`, replacing its planes. 0 on success, -1 out of
/// memory, -2 an invalid crop; `im` stays valid (and owns its planes) either way.
int cheif_ycc_transform(cheif_ycc *im, const cheif_transform *t, int n);

/// Frees the planes of `im`.
void cheif_ycc_free(cheif_ycc *im);

#endif
