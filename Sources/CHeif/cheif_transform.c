// See cheif_transform.h. The rules and the upsampling follow libheif 1.2x's
// HeifPixelImage::crop/rotate_ccw/mirror_inplace and its bilinear 4:2:0 and 4:2:2 to
// 4:4:4 steps; the parity fixtures (every EXIF orientation on an odd-sized picture, 4:2:2,
// 10-bit) hold picseek to pillow-heif's pixels.
#include "cheif_transform.h"

#include <stdlib.h>
#include <string.h>

typedef __int128 wide;

static int chroma_w(const cheif_ycc *im) { return im->sx ? (im->w + 1) / 2 : im->w; }
static int chroma_h(const cheif_ycc *im) { return im->sy ? (im->h + 1) / 2 : im->h; }

// An edge far outside any picture, held to a range where its arithmetic cannot overflow.
static int clamp_int(wide v) {
    const int far = 1 << 30;
    return v < -far ? -far : v > far ? far : (int)v;
}

int cheif_clap_rect(const int64_t clap[8], int w, int h, int *left, int *right, int *top,
                    int *bottom) {
    wide cwn = clap[0], cwd = clap[1], chn = clap[2], chd = clap[3];
    wide hn = clap[4], hd = clap[5], vn = clap[6], vd = clap[7];
    if (cwd <= 0 || chd <= 0 || hd <= 0 || vd <= 0 || w <= 0 || h <= 0) return 0;
    // left = horizOff + (w - 1) / 2 - (cleanWidth - 1) / 2, rounded towards zero;
    // top likewise, rounded half up (towards zero after adding a half); the far edges
    // are the near ones plus the clean size minus one, rounded half up.
    wide num = hn * 2 * cwd + (wide)(w - 1) * hd * cwd - (cwn - cwd) * hd, den = 2 * hd * cwd;
    int l = clamp_int(num / den);
    int r = clamp_int((cwn - cwd + (wide)l * cwd + cwd / 2) / cwd);
    num = vn * 2 * chd + (wide)(h - 1) * vd * chd - (chn - chd) * vd;
    den = 2 * vd * chd;
    int t = clamp_int((num + den / 2) / den);
    int b = clamp_int((chn - chd + (wide)t * chd + chd / 2) / chd);
    if (l < 0) l = 0;
    if (t < 0) t = 0;
    if (r >= w) r = w - 1;
    if (b >= h) b = h - 1;
    if (l > r || t > b) return 0;
    *left = l;
    *right = r;
    *top = t;
    *bottom = b;
    return 1;
}

// Whether libheif goes to 4:4:4 before `t` (see the header), given the crop's left and
// top edge where `t` is a crop.
static int splits(const cheif_transform *t, int sx, int sy, int w, int h, int left, int top) {
    int odd_w = w & 1, odd_h = h & 1;
    if (sx && sy) { // 4:2:0
        switch (t->kind) {
        case CHEIF_CROP: return (left & 1) || (top & 1);
        case CHEIF_TURN:
            return t->turns == 1 ? odd_w : t->turns == 2 ? odd_w || odd_h : odd_h;
        case CHEIF_MIRROR: return odd_w || odd_h;
        }
    } else if (sx) { // 4:2:2
        switch (t->kind) {
        case CHEIF_CROP: return left & 1;
        case CHEIF_TURN: return t->turns != 2 || odd_h;
        case CHEIF_MIRROR: return t->left_right && odd_w;
        }
    }
    return 0;
}

// Whether `t` reverses an axis of odd length along which chroma is halved: libheif
// reverses the halved plane as it is, which moves chroma by a pixel along that axis.
static int reverses_odd_halved_axis(const cheif_transform *t, int sx, int sy, int w, int h) {
    int rx = 0, ry = 0; // which axes `t` reverses
    if (t->kind == CHEIF_TURN) {
        rx = t->turns != 3;
        ry = t->turns != 1;
    } else if (t->kind == CHEIF_MIRROR) {
        rx = t->left_right;
        ry = !t->left_right;
    }
    return (rx && sx && (w & 1)) || (ry && sy && (h & 1));
}

int cheif_transform_differs(const cheif_transform *t, int sx, int sy, int *w, int *h) {
    int left = 0, right = *w - 1, top = 0, bottom = *h - 1;
    if (t->kind == CHEIF_CROP && !cheif_clap_rect(t->clap, *w, *h, &left, &right, &top, &bottom)) {
        return -1;
    }
    int differs = splits(t, sx, sy, *w, *h, left, top) ||
                  reverses_odd_halved_axis(t, sx, sy, *w, *h);
    if (t->kind == CHEIF_CROP) {
        *w = right - left + 1;
        *h = bottom - top + 1;
    } else if (t->kind == CHEIF_TURN && (t->turns & 1)) {
        int s = *w;
        *w = *h;
        *h = s;
    }
    return differs;
}

void cheif_ycc_free(cheif_ycc *im) {
    for (int c = 0; c < 3; c++) {
        free(im->plane[c]);
        im->plane[c] = NULL;
    }
}

static uint16_t avg2(int a, int b) { return (uint16_t)((3 * a + b + 2) / 4); }

// One chroma plane (cw x ch) to w x h, as libheif's bilinear 4:2:0 step: samples sit at
// the centre of their 2x2 pixels; the outer row and column interpolate along the edge.
static void up420(const uint16_t *c, int cw, uint16_t *o, int w, int h) {
#define C(x, y) c[(size_t)(y) * (size_t)cw + (size_t)(x)]
#define O(x, y) o[(size_t)(y) * (size_t)w + (size_t)(x)]
    O(0, 0) = C(0, 0);
    for (int cx = 0; cx < (w - 1) / 2; cx++) {
        O(2 * cx + 1, 0) = avg2(C(cx, 0), C(cx + 1, 0));
        O(2 * cx + 2, 0) = avg2(C(cx + 1, 0), C(cx, 0));
        if (h % 2 == 0) {
            O(2 * cx + 1, h - 1) = avg2(C(cx, h / 2 - 1), C(cx + 1, h / 2 - 1));
            O(2 * cx + 2, h - 1) = avg2(C(cx + 1, h / 2 - 1), C(cx, h / 2 - 1));
        }
    }
    for (int cy = 0; cy < (h - 1) / 2; cy++) {
        O(0, 2 * cy + 1) = avg2(C(0, cy), C(0, cy + 1));
        O(0, 2 * cy + 2) = avg2(C(0, cy + 1), C(0, cy));
        if (w % 2 == 0) {
            O(w - 1, 2 * cy + 1) = avg2(C(w / 2 - 1, cy), C(w / 2 - 1, cy + 1));
            O(w - 1, 2 * cy + 2) = avg2(C(w / 2 - 1, cy + 1), C(w / 2 - 1, cy));
        }
    }
    if (w % 2 == 0) O(w - 1, 0) = C(w / 2 - 1, 0);
    if (h % 2 == 0) O(0, h - 1) = C(0, h / 2 - 1);
    if (w % 2 == 0 && h % 2 == 0) O(w - 1, h - 1) = C(w / 2 - 1, h / 2 - 1);
    for (int y = 1; y < h - 1; y += 2) {
        for (int x = 1; x < w - 1; x += 2) {
            int a = C(x / 2, y / 2), b = C(x / 2 + 1, y / 2);
            int d = C(x / 2, y / 2 + 1), e = C(x / 2 + 1, y / 2 + 1);
            O(x, y) = (uint16_t)((9 * a + 3 * b + 3 * d + e + 8) / 16);
            O(x + 1, y) = (uint16_t)((3 * a + 9 * b + d + 3 * e + 8) / 16);
            O(x, y + 1) = (uint16_t)((3 * a + b + 9 * d + 3 * e + 8) / 16);
            O(x + 1, y + 1) = (uint16_t)((a + 3 * b + 3 * d + 9 * e + 8) / 16);
        }
    }
#undef C
#undef O
}

// One chroma plane (cw x h) to w x h, as libheif's bilinear 4:2:2 step.
static void up422(const uint16_t *c, int cw, uint16_t *o, int w, int h) {
    for (int y = 0; y < h; y++) {
        const uint16_t *in = c + (size_t)y * (size_t)cw;
        uint16_t *out = o + (size_t)y * (size_t)w;
        out[0] = in[0];
        if (w % 2 == 0) out[w - 1] = in[w / 2 - 1];
        for (int x = 1; x < w - 1; x += 2) {
            out[x] = avg2(in[x / 2], in[x / 2 + 1]);
            out[x + 1] = avg2(in[x / 2 + 1], in[x / 2]);
        }
    }
}

static uint16_t clip_round(float v, long top) {
    long x = (long)(v + 0.5f);
    return (uint16_t)(x < 0 ? 0 : x > top ? top : x);
}

// libheif 1.2x's way from limited to full range for the 4:4:4 picture it transforms: each
// pixel to RGB (Op_YCbCr_to_RGB: limited range scaled by 1.1689 for luma less its offset and
// 1.1429 for chroma, rounded) and back to YCbCr in full range (Op_RGB_to_YCbCr), in float.
static void limited_to_full(cheif_ycc *im) {
    float kr = im->kr, kb = im->kb, kg = 1 - kr - kb;
    float r_cr = 2 * (-kr + 1), b_cb = 2 * (-kb + 1);
    float g_cb = 2 * kb * (-kb + 1) / (kb + kr - 1), g_cr = 2 * kr * (-kr + 1) / (kb + kr - 1);
    float c10 = -kr / (1 - kb) / 2, c11 = -(1 - kr - kb) / (1 - kb) / 2;
    float c21 = -(1 - kr - kb) / (1 - kr) / 2, c22 = -kb / (1 - kr) / 2;
    long top = (1L << im->bits) - 1;
    int half = 1 << (im->bits - 1);
    float offset = (float)(16 << (im->bits - 8));
    size_t n = (size_t)im->w * (size_t)im->h;
    for (size_t i = 0; i < n; i++) {
        float y = ((float)im->plane[0][i] - offset) * 1.1689f;
        float cb = (float)(im->plane[1][i] - half) * 1.1429f;
        float cr = (float)(im->plane[2][i] - half) * 1.1429f;
        float r = clip_round(y + r_cr * cr, top), g = clip_round(y + g_cb * cb + g_cr * cr, top);
        float b = clip_round(y + b_cb * cb, top);
        im->plane[0][i] = clip_round(r * kr + g * kg + b * kb, top);
        im->plane[1][i] = clip_round(r * c10 + g * c11 + b * 0.5f + (float)half, top);
        im->plane[2][i] = clip_round(r * 0.5f + g * c21 + b * c22 + (float)half, top);
    }
}

static int to444(cheif_ycc *im) {
    if (im->plane[1] == NULL || (!im->sx && !im->sy)) return 0;
    int cw = chroma_w(im);
    size_t n = (size_t)im->w * (size_t)im->h;
    uint16_t *full[2] = {malloc(n * 2), malloc(n * 2)};
    if (full[0] == NULL || full[1] == NULL) {
        free(full[0]);
        free(full[1]);
        return -1;
    }
    for (int c = 0; c < 2; c++) {
        if (im->sy) up420(im->plane[1 + c], cw, full[c], im->w, im->h);
        else up422(im->plane[1 + c], cw, full[c], im->w, im->h);
        free(im->plane[1 + c]);
        im->plane[1 + c] = full[c];
    }
    im->sx = im->sy = 0;
    if (!im->full_range) limited_to_full(im);
    return 0;
}

// A new plane: columns l..r and rows t..b of `p` (pw wide).
static uint16_t *crop_plane(const uint16_t *p, int pw, int l, int r, int t, int b) {
    size_t ow = (size_t)(r - l + 1);
    uint16_t *out = malloc(ow * (size_t)(b - t + 1) * 2);
    if (out == NULL) return NULL;
    for (int y = t; y <= b; y++) {
        memcpy(out + (size_t)(y - t) * ow, p + (size_t)y * (size_t)pw + (size_t)l, ow * 2);
    }
    return out;
}

// A new plane: `p` (pw x ph) turned `turns` quarter turns anticlockwise.
static uint16_t *turn_plane(const uint16_t *p, int pw, int ph, int turns) {
    uint16_t *out = malloc((size_t)pw * (size_t)ph * 2);
    if (out == NULL) return NULL;
    int ow = turns & 1 ? ph : pw, oh = turns & 1 ? pw : ph;
    for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
            int sx = x, sy = y; // the source of (x, y)
            if (turns == 1) sx = pw - 1 - y, sy = x;
            else if (turns == 2) sx = pw - 1 - x, sy = ph - 1 - y;
            else sx = y, sy = ph - 1 - x;
            out[(size_t)y * (size_t)ow + (size_t)x] = p[(size_t)sy * (size_t)pw + (size_t)sx];
        }
    }
    return out;
}

static void mirror_plane(uint16_t *p, int pw, int ph, int left_right) {
    for (int y = 0; y < (left_right ? ph : ph / 2); y++) {
        uint16_t *row = p + (size_t)y * (size_t)pw;
        if (left_right) {
            for (int x = 0; x < pw / 2; x++) {
                uint16_t s = row[x];
                row[x] = row[pw - 1 - x];
                row[pw - 1 - x] = s;
            }
            continue;
        }
        uint16_t *other = p + (size_t)(ph - 1 - y) * (size_t)pw;
        for (int x = 0; x < pw; x++) {
            uint16_t s = row[x];
            row[x] = other[x];
            other[x] = s;
        }
    }
}

static int apply(cheif_ycc *im, const cheif_transform *t) {
    int left = 0, right = im->w - 1, top = 0, bottom = im->h - 1;
    if (t->kind == CHEIF_CROP &&
        !cheif_clap_rect(t->clap, im->w, im->h, &left, &right, &top, &bottom)) {
        return -2;
    }
    if (splits(t, im->sx, im->sy, im->w, im->h, left, top) && to444(im) != 0) return -1;
    for (int c = 0; c < 3; c++) {
        if (im->plane[c] == NULL) continue;
        int pw = c ? chroma_w(im) : im->w, ph = c ? chroma_h(im) : im->h;
        int sx = c ? im->sx : 0, sy = c ? im->sy : 0;
        uint16_t *next = NULL;
        if (t->kind == CHEIF_CROP) {
            next = crop_plane(im->plane[c], pw, left >> sx, right >> sx, top >> sy, bottom >> sy);
        } else if (t->kind == CHEIF_TURN) {
            next = turn_plane(im->plane[c], pw, ph, t->turns);
        } else {
            mirror_plane(im->plane[c], pw, ph, t->left_right);
            continue;
        }
        if (next == NULL) return -1;
        free(im->plane[c]);
        im->plane[c] = next;
    }
    // The planes hold the new picture from here on; its size follows.
    if (t->kind == CHEIF_CROP) {
        im->w = right - left + 1;
        im->h = bottom - top + 1;
    } else if (t->kind == CHEIF_TURN && (t->turns & 1)) {
        int s = im->w;
        im->w = im->h;
        im->h = s;
    }
    return 0;
}

int cheif_ycc_transform(cheif_ycc *im, const cheif_transform *t, int n) {
    for (int i = 0; i < n; i++) {
        int code = apply(im, &t[i]);
        if (code != 0) return code;
    }
    return 0;
}
