// See cgif.h. giflib reports errors through return values; nothing longjmps.
#include "cgif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int ran_out;
} reader;

static int on_read(GifFileType *gif, GifByteType *out, int length) {
    reader *r = (reader *)gif->UserData;
    if (length <= 0) return 0;
    size_t left = r->size - r->offset;
    size_t n = (size_t)length <= left ? (size_t)length : left;
    if (n < (size_t)length) r->ran_out = 1;
    memcpy(out, r->data + r->offset, n);
    r->offset += n;
    return (int)n;
}

static void copy_msg(char msg[CGIF_MSG_LEN], const char *text) {
    if (msg == NULL) return;
    snprintf(msg, CGIF_MSG_LEN, "%s", text);
}

// The code for a giflib failure: a read past the end is a cut file.
static int fail(reader *r, int gif_error, char msg[CGIF_MSG_LEN]) {
    const char *text = GifErrorString(gif_error);
    if (r->ran_out) {
        copy_msg(msg, "file ends before the image is complete");
        return CGIF_ERR_TRUNCATED;
    }
    if (gif_error == D_GIF_ERR_NOT_ENOUGH_MEM) {
        copy_msg(msg, "out of memory");
        return CGIF_ERR_NO_MEMORY;
    }
    char lower[CGIF_MSG_LEN];
    snprintf(lower, sizeof lower, "%s", text ? text : "gif decoding failed");
    for (char *c = lower; *c; c++) if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    copy_msg(msg, lower);
    return CGIF_ERR_DECODE;
}

static int too_large(long long w, long long h, long long max_pixels) {
    return w * h > max_pixels;
}

int cgif_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                    uint8_t **rgb, int *width, int *height, cgif_info *info,
                    char msg[CGIF_MSG_LEN]) {
    if (rgb == NULL || width == NULL || height == NULL || info == NULL || max_pixels <= 0) {
        copy_msg(msg, "invalid argument");
        return CGIF_ERR_ARGUMENT;
    }
    *rgb = NULL;
    memset(info, 0, sizeof *info);
    if (data == NULL || size == 0) {
        copy_msg(msg, "empty input");
        return CGIF_ERR_ARGUMENT;
    }
    if (size < 6 || memcmp(data, "GIF8", 4) != 0) {
        copy_msg(msg, size < 6 ? "file ends inside the gif signature" : "not a gif signature");
        return size < 6 ? CGIF_ERR_TRUNCATED : CGIF_ERR_DECODE;
    }
    reader r = {data, size, 0, 0};
    int err = 0;
    GifFileType *gif = DGifOpen(&r, on_read, &err);
    if (gif == NULL) return fail(&r, err, msg);
    int code = CGIF_OK;
    uint8_t *index = NULL;
    info->width = gif->SWidth;
    info->height = gif->SHeight;
    if (too_large(gif->SWidth, gif->SHeight, max_pixels)) {
        copy_msg(msg, "image too large");
        code = CGIF_ERR_TOO_LARGE;
        goto done;
    }
    int transparent = -1;
    for (;;) {
        GifRecordType type;
        if (DGifGetRecordType(gif, &type) == GIF_ERROR) {
            code = fail(&r, gif->Error, msg);
            goto done;
        }
        if (type == TERMINATE_RECORD_TYPE) {
            copy_msg(msg, "file has no image");
            code = CGIF_ERR_DECODE;
            goto done;
        }
        if (type == EXTENSION_RECORD_TYPE) {
            int ext_code = 0;
            GifByteType *ext = NULL;
            if (DGifGetExtension(gif, &ext_code, &ext) == GIF_ERROR) {
                code = fail(&r, gif->Error, msg);
                goto done;
            }
            int first = 1;
            while (ext != NULL) {
                if (first && ext_code == GRAPHICS_EXT_FUNC_CODE && ext[0] >= 4) {
                    transparent = (ext[1] & 0x01) ? ext[4] : -1;
                }
                first = 0;
                if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR) {
                    code = fail(&r, gif->Error, msg);
                    goto done;
                }
            }
            continue;
        }
        if (type != IMAGE_DESC_RECORD_TYPE) continue;
        if (DGifGetImageDesc(gif) == GIF_ERROR) {
            code = fail(&r, gif->Error, msg);
            goto done;
        }
        break;
    }

    GifImageDesc *desc = &gif->Image;
    long long x0 = desc->Left, y0 = desc->Top, fw = desc->Width, fh = desc->Height;
    if (fw <= 0 || fh <= 0 || x0 < 0 || y0 < 0) {
        copy_msg(msg, "frame has no pixels");
        code = CGIF_ERR_DECODE;
        goto done;
    }
    long long cw = gif->SWidth > x0 + fw ? gif->SWidth : x0 + fw;
    long long ch = gif->SHeight > y0 + fh ? gif->SHeight : y0 + fh;
    info->width = (int)cw;
    info->height = (int)ch;
    info->interlaced = desc->Interlace != 0;
    info->has_transparency = transparent >= 0;
    if (too_large(cw, ch, max_pixels) || too_large(fw, fh, max_pixels)) {
        copy_msg(msg, "image too large");
        code = CGIF_ERR_TOO_LARGE;
        goto done;
    }
    ColorMapObject *map = desc->ColorMap != NULL ? desc->ColorMap : gif->SColorMap;
    info->colors = map != NULL ? map->ColorCount : 0;

    size_t pixels = (size_t)cw * (size_t)ch;
    index = malloc(pixels);
    uint8_t *out = malloc(pixels * 3);
    GifPixelType *line = malloc((size_t)fw);
    if (index == NULL || out == NULL || line == NULL) {
        free(out);
        free(line);
        copy_msg(msg, "out of memory");
        code = CGIF_ERR_NO_MEMORY;
        goto done;
    }
    memset(index, transparent >= 0 ? transparent : 0, pixels);
    // Rows in file order; interlaced files store rows 0,8,16.., 4,12.., 2,6.., 1,3..
    static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
    int passes = desc->Interlace ? 4 : 1;
    for (int p = 0; p < passes; p++) {
        int y = desc->Interlace ? start[p] : 0;
        int dy = desc->Interlace ? step[p] : 1;
        for (; y < fh; y += dy) {
            if (DGifGetLine(gif, line, (int)fw) == GIF_ERROR) {
                free(out);
                free(line);
                code = fail(&r, gif->Error, msg);
                goto done;
            }
            memcpy(index + (size_t)(y0 + y) * (size_t)cw + (size_t)x0, line, (size_t)fw);
        }
    }
    free(line);
    for (size_t i = 0; i < pixels; i++) {
        int v = index[i];
        uint8_t *px = out + i * 3;
        if (map != NULL && v < map->ColorCount) {
            px[0] = map->Colors[v].Red;
            px[1] = map->Colors[v].Green;
            px[2] = map->Colors[v].Blue;
        } else {
            px[0] = px[1] = px[2] = (uint8_t)v;
        }
    }
    *rgb = out;
    *width = (int)cw;
    *height = (int)ch;

done:
    free(index);
    DGifCloseFile(gif, &err);
    return code;
}

void cgif_free(void *p) { free(p); }
