// See cheif.h. libheif reports errors through return values; nothing longjmps.
#include "cheif.h"
#include "cheif_av1.h"
#include "cheif_avcodec.h"
#include "cheif_hevc.h"
#include "cheif_transform.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libheif/heif.h>

// libheif registers its decoders in heif_init; once per process, before any context
// (the indexer decodes on several threads at once). HEVC goes to libavcodec (cheif_hevc.h)
// unless a decode asks for libde265 by name; AV1 to libdav1d through libavcodec (cheif_av1.h)
// unless the thread asked for libheif's own plugins.
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_libheif(void) {
    heif_init(NULL);
    heif_register_decoder_plugin(cheif_hevc_plugin());
    heif_register_decoder_plugin(cheif_av1_plugin());
}

void cheif_use_av1_decoder(int decoder) { cheif_av1_set_enabled(decoder != CHEIF_AV1_LIBHEIF); }

// Decoding options; which HEVC decoder runs is the plugin's thread-local switch
// (cheif_hevc_set_enabled), which reaches a grid's tiles too (libheif 1.15 does not pass
// `decoder_id` on to them).
static struct heif_decoding_options *decoding_options(void) {
    return heif_decoding_options_alloc();
}

static void copy_msg(char msg[CHEIF_MSG_LEN], const char *text) {
    if (msg == NULL) return;
    snprintf(msg, CHEIF_MSG_LEN, "%s", text);
}

// libheif's messages join capitalised parts ("Invalid input: Unexpected end of
// file: ..."); ours are lower case, so each part's first letter is lowered.
static void copy_error(char msg[CHEIF_MSG_LEN], struct heif_error err) {
    if (msg == NULL) return;
    snprintf(msg, CHEIF_MSG_LEN, "%s", err.message != NULL ? err.message : "heif error");
    for (size_t i = 0; msg[i] != 0; i++) {
        int starts = i == 0 || (i >= 2 && msg[i - 1] == ' ' && msg[i - 2] == ':');
        int lower = msg[i + 1] == 0 || !(msg[i + 1] >= 'A' && msg[i + 1] <= 'Z');
        if (starts && lower && msg[i] >= 'A' && msg[i] <= 'Z') msg[i] = (char)(msg[i] - 'A' + 'a');
    }
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '.')) msg[--n] = 0;
}

// A file over libheif's limits is refused as corrupt: its size is in the message,
// not in the headers this wrapper could read.
static int error_code(struct heif_error err) {
    if (err.subcode == heif_suberror_Security_limit_exceeded) return CHEIF_ERR_DECODE;
    if (err.code == heif_error_Memory_allocation_error) return CHEIF_ERR_NO_MEMORY;
    if (err.subcode == heif_suberror_End_of_data) return CHEIF_ERR_TRUNCATED;
    return CHEIF_ERR_DECODE;
}

static int repeated_meta_box(const uint8_t *data, size_t size);

static int check_input(const uint8_t *data, size_t size, char msg[CHEIF_MSG_LEN]) {
    if (data == NULL || size == 0) {
        copy_msg(msg, "empty input");
        return CHEIF_ERR_ARGUMENT;
    }
    if (size < 12) {
        copy_msg(msg, "file ends inside the ftyp box");
        return CHEIF_ERR_TRUNCATED;
    }
    if (memcmp(data + 4, "ftyp", 4) != 0) {
        copy_msg(msg, "not a heif signature");
        return CHEIF_ERR_DECODE;
    }
    if (size > (size_t)0x7fffffff) {
        copy_msg(msg, "file too large");
        return CHEIF_ERR_ARGUMENT;
    }
    // One `meta` box at the top: cheif.c reads the first, libheif 1.15 the last, and a file
    // with two could show each a different picture (the fuzzer found one that made libheif
    // abort behind the checks below).
    int metas = 0;
    for (size_t at = 0; size - at >= 8;) {
        uint64_t box = ((uint64_t)data[at] << 24) | ((uint64_t)data[at + 1] << 16) |
                       ((uint64_t)data[at + 2] << 8) | data[at + 3];
        if (box == 0) box = size - at; // to the end
        if (box == 1 && size - at >= 16) {
            box = 0;
            for (int i = 0; i < 8; i++) box = (box << 8) | data[at + 8 + (size_t)i];
        }
        if (box < 8 || box > size - at) break;
        metas += memcmp(data + at + 4, "meta", 4) == 0;
        at += (size_t)box;
    }
    if (metas > 1) {
        copy_msg(msg, "the file has more than one meta box");
        return CHEIF_ERR_DECODE;
    }
    if (repeated_meta_box(data, size)) {
        copy_msg(msg, "the meta box repeats a box it may hold once");
        return CHEIF_ERR_DECODE;
    }
    return CHEIF_OK;
}

// A context over `data` (not copied) with libheif's limits set, and its primary image.
static int open_primary(const uint8_t *data, size_t size, struct heif_context **ctx_out,
                        struct heif_image_handle **handle_out, char msg[CHEIF_MSG_LEN]) {
    *ctx_out = NULL;
    *handle_out = NULL;
    pthread_once(&init_once, init_libheif);
    struct heif_context *ctx = heif_context_alloc();
    if (ctx == NULL) {
        copy_msg(msg, "out of memory");
        return CHEIF_ERR_NO_MEMORY;
    }
    heif_context_set_maximum_image_size_limit(ctx, CHEIF_MAX_SIDE);
    // Tiles are decoded on the calling thread: the indexer runs one photo per worker.
    heif_context_set_max_decoding_threads(ctx, 0);
    struct heif_error err = heif_context_read_from_memory_without_copy(ctx, data, size, NULL);
    if (err.code != heif_error_Ok) {
        copy_error(msg, err); // the text belongs to the context: copy it first
        heif_context_free(ctx);
        return error_code(err);
    }
    struct heif_image_handle *handle = NULL;
    err = heif_context_get_primary_image_handle(ctx, &handle);
    if (err.code != heif_error_Ok || handle == NULL) {
        copy_error(msg, err);
        heif_context_free(ctx);
        return err.code == heif_error_Ok ? CHEIF_ERR_DECODE : error_code(err);
    }
    *ctx_out = ctx;
    *handle_out = handle;
    return CHEIF_OK;
}

static int fill_info(const uint8_t *data, size_t size, struct heif_context *ctx,
                     struct heif_image_handle *handle, cheif_info *info,
                     char msg[CHEIF_MSG_LEN]) {
    info->width = heif_image_handle_get_width(handle);
    info->height = heif_image_handle_get_height(handle);
    info->has_alpha = heif_image_handle_has_alpha_channel(handle) != 0;
    info->bit_depth = heif_image_handle_get_luma_bits_per_pixel(handle);
    heif_brand2 brand = heif_read_main_brand(data, (int)size);
    int generic = brand == heif_fourcc('m', 'i', 'f', '1') ||
                  brand == heif_fourcc('m', 's', 'f', '1') ||
                  brand == heif_fourcc('m', 'i', 'a', 'f');
    info->avif = brand == heif_fourcc('a', 'v', 'i', 'f') ||
                 brand == heif_fourcc('a', 'v', 'i', 's') ||
                 (generic && heif_has_compatible_brand(data, (int)size, "avif") == 1 &&
                  heif_has_compatible_brand(data, (int)size, "heic") != 1);
    info->images = heif_context_get_number_of_top_level_images(ctx);
    info->matrix = -1;
    info->full_range = -1;
    struct heif_color_profile_nclx *nclx = NULL;
    struct heif_error err = heif_image_handle_get_nclx_color_profile(handle, &nclx);
    if (err.code == heif_error_Ok && nclx != NULL) {
        info->matrix = (int)nclx->matrix_coefficients;
        info->full_range = nclx->full_range_flag != 0;
    }
    // libheif 1.15 allocates the profile before it checks its values: free it either way.
    if (nclx != NULL) heif_nclx_color_profile_free(nclx);
    if (info->width <= 0 || info->height <= 0) {
        copy_msg(msg, "image has no pixels");
        return CHEIF_ERR_DECODE;
    }
    return CHEIF_OK;
}

int cheif_read_info(const uint8_t *data, size_t size, cheif_info *info,
                    char msg[CHEIF_MSG_LEN]) {
    if (info == NULL) return CHEIF_ERR_ARGUMENT;
    memset(info, 0, sizeof *info);
    int code = check_input(data, size, msg);
    if (code != CHEIF_OK) return code;
    struct heif_context *ctx = NULL;
    struct heif_image_handle *handle = NULL;
    code = open_primary(data, size, &ctx, &handle, msg);
    if (code != CHEIF_OK) return code;
    code = fill_info(data, size, ctx, handle, info, msg);
    heif_image_handle_release(handle);
    heif_context_free(ctx);
    return code;
}

// The first Exif item of `handle` as a TIFF stream: the item starts with a
// big-endian offset to the TIFF header (usually 6, over "Exif\0\0").
static void copy_exif(struct heif_image_handle *handle, uint8_t **exif, size_t *exif_size) {
    if (exif == NULL || exif_size == NULL) return;
    heif_item_id id = 0;
    if (heif_image_handle_get_list_of_metadata_block_IDs(handle, "Exif", &id, 1) != 1) return;
    size_t n = heif_image_handle_get_metadata_size(handle, id);
    if (n < 4 || n > (size_t)64 << 20) return;
    uint8_t *raw = malloc(n);
    if (raw == NULL) return;
    struct heif_error err = heif_image_handle_get_metadata(handle, id, raw);
    if (err.code != heif_error_Ok) {
        free(raw);
        return;
    }
    size_t skip = 4 + (((size_t)raw[0] << 24) | ((size_t)raw[1] << 16) |
                       ((size_t)raw[2] << 8) | (size_t)raw[3]);
    if (skip >= n) skip = 4;
    if (n - skip >= 6 && memcmp(raw + skip, "Exif\0\0", 6) == 0) skip += 6;
    if (skip < n) {
        uint8_t *copy = malloc(n - skip);
        if (copy != NULL) {
            memcpy(copy, raw + skip, n - skip);
            *exif = copy;
            *exif_size = n - skip;
        }
    }
    free(raw);
}



// ---- The primary AV1 image's chroma layout, read from its av1C property ------
//
// libheif 1.15 hands YCbCr back only in the layout it is asked for, so the stored
// layout is read here: meta > pitm (the primary item), iprp > ipco (properties) and
// ipma (which item has which), then the av1C flags. Every read is bounds-checked.

typedef struct {
    const uint8_t *p;
    size_t n;
} span;

static uint32_t be(const uint8_t *p, int bytes) {
    uint32_t v = 0;
    for (int i = 0; i < bytes; i++) v = (v << 8) | p[i];
    return v;
}

// The payload of the first box of `type` directly inside `in`.
static int find_box(span in, const char *type, span *out) {
    size_t at = 0;
    while (in.n - at >= 8) {
        uint64_t size = be(in.p + at, 4);
        size_t header = 8;
        if (size == 1) {
            if (in.n - at < 16) return 0;
            size = ((uint64_t)be(in.p + at + 8, 4) << 32) | be(in.p + at + 12, 4);
            header = 16;
        } else if (size == 0) {
            size = in.n - at;
        }
        if (size < header || size > in.n - at) return 0;
        if (memcmp(in.p + at + 4, type, 4) == 0) {
            out->p = in.p + at + header;
            out->n = (size_t)size - header;
            return 1;
        }
        at += (size_t)size;
    }
    return 0;
}

// The stored chroma layout of the primary item from its `av1C` or `hvcC`
// property (`av1` selects which), or from the first colour one when the primary
// has none (a grid's tiles); -1 if there is none.
static int config_chroma(const uint8_t *box, size_t n, int av1) {
    if (av1) {
        if (n < 11) return -1;
        int flags = box[10]; // monochrome, subsampling x, subsampling y
        if (flags & 0x10) return heif_chroma_monochrome;
        if ((flags & 0x08) && (flags & 0x04)) return heif_chroma_420;
        if (flags & 0x08) return heif_chroma_422;
        return heif_chroma_444;
    }
    if (n < 8 + 17) return -1;
    switch (box[8 + 16] & 3) { // chromaFormat
    case 0: return heif_chroma_monochrome;
    case 1: return heif_chroma_420;
    case 2: return heif_chroma_422;
    default: return heif_chroma_444;
    }
}

// The boxes both readers need: the item properties, their associations, the item
// references and the primary item's id.
typedef struct {
    span ipco, ipma, iref, iinf, iloc, idat; // the last four empty when missing
    uint32_t primary;
} meta_boxes;

static int read_meta(const uint8_t *data, size_t size, meta_boxes *b) {
    span file = {data, size}, meta, pitm, iprp;
    memset(b, 0, sizeof *b);
    if (!find_box(file, "meta", &meta) || meta.n < 4) return 0;
    meta.p += 4; // full box: version and flags
    meta.n -= 4;
    if (!find_box(meta, "pitm", &pitm) || pitm.n < 6) return 0;
    b->primary = pitm.p[0] == 0 ? be(pitm.p + 4, 2) : (pitm.n >= 8 ? be(pitm.p + 4, 4) : 0);
    if (!find_box(meta, "iprp", &iprp) || !find_box(iprp, "ipco", &b->ipco) ||
        !find_box(iprp, "ipma", &b->ipma) || b->ipma.n < 8) {
        return 0;
    }
    if (!find_box(meta, "iref", &b->iref)) b->iref.n = 0;
    if (!find_box(meta, "iinf", &b->iinf)) b->iinf.n = 0;
    if (!find_box(meta, "iloc", &b->iloc)) b->iloc.n = 0;
    if (!find_box(meta, "idat", &b->idat)) b->idat.n = 0;
    return 1;
}

// Whether `meta` (or its `iprp`) holds one of the boxes cheif.c reads twice: it reads the
// first, and libheif may read another.
static int repeated_meta_box(const uint8_t *data, size_t size) {
    span file = {data, size}, meta, iprp;
    if (!find_box(file, "meta", &meta) || meta.n < 4) return 0;
    meta.p += 4;
    meta.n -= 4;
    static const char *once[] = {"pitm", "iinf", "iref", "iloc", "iprp", "idat"};
    static const char *once_in_iprp[] = {"ipco", "ipma"};
    span in[2] = {meta, {NULL, 0}};
    if (find_box(meta, "iprp", &iprp)) in[1] = iprp;
    for (int level = 0; level < 2; level++) {
        int n_types = level == 0 ? 6 : 2;
        for (int t = 0; t < n_types; t++) {
            const char *type = level == 0 ? once[t] : once_in_iprp[t];
            int seen = 0;
            for (size_t at = 0; in[level].n - at >= 8;) {
                size_t box = be(in[level].p + at, 4);
                if (box < 8 || box > in[level].n - at) break;
                seen += memcmp(in[level].p + at + 4, type, 4) == 0;
                at += box;
            }
            if (seen > 1) return 1;
        }
    }
    return 0;
}

// Property number `index` (1-based) of ipco, as a whole box.
static int property(span ipco, uint32_t index, span *out) {
    size_t at = 0;
    for (uint32_t i = 1; ipco.n - at >= 8 && i <= 4096; i++) {
        size_t box = be(ipco.p + at, 4);
        if (box < 8 || box > ipco.n - at) return 0;
        if (i == index) {
            out->p = ipco.p + at;
            out->n = box;
            return 1;
        }
        at += box;
    }
    return 0;
}

// Property `n` (from 0) of those associated with `item`, in the order ipma lists them, as a
// whole box; 0 past the last one or when unreadable.
static int item_property_at(const meta_boxes *b, uint32_t item, int n, span *out) {
    span ipma = b->ipma;
    int version = ipma.p[0];
    int wide_index = (ipma.p[3] & 1) != 0;
    uint32_t entries = be(ipma.p + 4, 4);
    size_t at = 8;
    int id_bytes = version < 1 ? 2 : 4, index_bytes = wide_index ? 2 : 1;
    for (uint32_t e = 0; e < entries; e++) {
        if (ipma.n - at < (size_t)id_bytes + 1) return 0;
        uint32_t id = be(ipma.p + at, id_bytes);
        int associations = ipma.p[at + id_bytes];
        at += (size_t)id_bytes + 1;
        if (ipma.n - at < (size_t)associations * (size_t)index_bytes) return 0;
        if (id == item && n < associations) {
            uint32_t index = be(ipma.p + at + (size_t)n * index_bytes, index_bytes) &
                             (wide_index ? 0x7fff : 0x7f);
            return property(b->ipco, index, out);
        }
        if (id == item) n -= associations; // an item listed twice: its entries in turn
        at += (size_t)associations * (size_t)index_bytes;
    }
    return 0;
}

// The first property of `type` associated with `item`, as a whole box.
static int item_property(const meta_boxes *b, uint32_t item, const char *type, span *out) {
    span box;
    for (int n = 0; n < 256 && item_property_at(b, item, n, &box); n++) {
        if (memcmp(box.p + 4, type, 4) == 0) {
            *out = box;
            return 1;
        }
    }
    return 0;
}

// One reference of the `iref` box, as libheif 1.15 reads them: each starts with a box header
// whose type libheif takes and whose size it does not use (a 64-bit size or a `uuid` type
// lengthen the header), then the referring item, a 16-bit count and the items referred to,
// each reference right after the one before; a count past the end of the box keeps the ids
// there are. Reading them by their sizes would miss references libheif sees.
typedef struct {
    const uint8_t *type; // in the file's bytes
    uint32_t from, count;
    const uint8_t *to; // `count` item ids of `id_bytes` each
    int id_bytes;
} reference;

// The reference at `*at` (start at 0), and `*at` moved past it; 0 after the last one.
static int next_reference(const meta_boxes *b, size_t *at, reference *r) {
    span s = b->iref;
    if (s.n < 4) return 0;
    int id_bytes = s.p[0] == 0 ? 2 : 4;
    if (*at < 4) *at = 4; // version and flags
    if (s.n - *at < 8) return 0;
    size_t header = 8;
    if (be(s.p + *at, 4) == 1) header += 8;
    if (memcmp(s.p + *at + 4, "uuid", 4) == 0) header += 16;
    if (s.n - *at < header + (size_t)id_bytes + 2) return 0;
    const uint8_t *f = s.p + *at + header;
    uint32_t count = be(f + id_bytes, 2);
    size_t room = (s.n - *at - header - (size_t)id_bytes - 2) / (size_t)id_bytes;
    if (count > room) count = (uint32_t)room; // libheif keeps the ids there are, then stops
    size_t len = header + (size_t)id_bytes + 2 + (size_t)count * (size_t)id_bytes;
    *r = (reference){s.p + *at + 4, be(f, id_bytes), count, f + id_bytes + 2, id_bytes};
    *at = count < be(f + id_bytes, 2) ? s.n : *at + len;
    return 1;
}

// Item `i` of the items a reference refers to.
static uint32_t referred(const reference *r, uint32_t i) {
    return be(r->to + (size_t)i * (size_t)r->id_bytes, r->id_bytes);
}

static int primary_chroma(const uint8_t *data, size_t size, int av1) {
    const char *config = av1 ? "av1C" : "hvcC";
    meta_boxes b;
    if (!read_meta(data, size, &b)) return -1;
    span box;
    if (item_property(&b, b.primary, config, &box)) return config_chroma(box.p, box.n, av1);
    // A grid: its tiles share a layout; take the first colour configuration.
    for (uint32_t i = 1; property(b.ipco, i, &box); i++) {
        if (memcmp(box.p + 4, config, 4) != 0) continue;
        int chroma = config_chroma(box.p, box.n, av1);
        if (chroma >= 0 && chroma != heif_chroma_monochrome) return chroma;
    }
    return -1;
}

// w * h from 32-bit sides a file declares, saturated at 2^62 (the product of two such
// sides can pass a long long).
static long long area(uint32_t w, uint32_t h) {
    uint64_t a = (uint64_t)w * (uint64_t)h;
    return a > (1ULL << 62) ? 1LL << 62 : (long long)a;
}

// The pixels of all tiles of the primary item when it is a grid (its `dimg`
// references, each tile by its `ispe`), 0 when it is not one or cannot be read.
// libheif 1.15 decodes every tile whatever the grid's own size says, so a small
// grid over huge tiles would escape the pixel cap without this count.
static long long grid_tile_pixels(const uint8_t *data, size_t size) {
    meta_boxes b;
    if (!read_meta(data, size, &b)) return 0;
    long long total = 0;
    size_t at = 0;
    reference r;
    while (next_reference(&b, &at, &r)) {
        if (memcmp(r.type, "dimg", 4) != 0 || r.from != b.primary) continue;
        for (uint32_t i = 0; i < r.count; i++) {
            span ispe;
            if (item_property(&b, referred(&r, i), "ispe", &ispe) && ispe.n >= 20) {
                total += area(be(ispe.p + 12, 4), be(ispe.p + 16, 4));
                if (total > (1LL << 40)) return total;
            }
        }
    }
    return total;
}

// The nclx profile every tile of the primary grid shares, as libheif converts tiles: the
// tile's own `colr` nclx, or the stream's (-1) when it has none. 1 when all tiles agree (or
// the primary is no grid: then `*matrix`/`*full_range` are left alone), 0 otherwise (mixed
// profiles, an ICC `colr` first, an unreadable reference list).
static int tiles_nclx(const uint8_t *data, size_t size, int *matrix, int *full_range) {
    meta_boxes b;
    if (!read_meta(data, size, &b)) return 1;
    int seen = 0;
    size_t at = 0;
    reference r;
    while (next_reference(&b, &at, &r)) {
        if (memcmp(r.type, "dimg", 4) != 0 || r.from != b.primary) continue;
        for (uint32_t i = 0; i < r.count; i++) {
            int m = -1, f = -1;
            span colr;
            if (item_property(&b, referred(&r, i), "colr", &colr)) {
                if (colr.n < 19 || memcmp(colr.p + 8, "nclx", 4) != 0) return 0;
                m = (int)be(colr.p + 16, 2);
                f = (colr.p[18] & 0x80) != 0;
            }
            if (seen && (m != *matrix || f != *full_range)) return 0;
            *matrix = m;
            *full_range = f;
            seen = 1;
        }
    }
    return 1;
}

// Up to 8 bytes, big-endian.
static uint64_t be64(const uint8_t *p, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v = (v << 8) | p[i];
    return v;
}

// Item `n` (from 0) of the `infe` entries (version 2 or 3): its id and type; 0 past the last
// one or when unreadable.
static int nth_item(const meta_boxes *b, int n, uint32_t *id, const uint8_t **type) {
    span in = b->iinf;
    if (in.n < 6) return 0;
    size_t at = in.p[0] == 0 ? 6 : 8; // full box, then a 16- or 32-bit entry count
    int seen = 0;
    while (at <= in.n && in.n - at >= 8) {
        size_t box = be(in.p + at, 4);
        if (box < 8 || box > in.n - at) return 0;
        const uint8_t *e = in.p + at + 8;
        size_t len = box - 8;
        int version = len >= 1 ? e[0] : 0;
        int id_bytes = version == 3 ? 4 : 2;
        if (memcmp(in.p + at + 4, "infe", 4) == 0 && version >= 2 &&
            len >= 4 + (size_t)id_bytes + 2 + 4 && seen++ == n) {
            *id = be(e + 4, id_bytes);
            *type = e + 4 + id_bytes + 2;
            return 1;
        }
        at += box;
    }
    return 0;
}

// The type of item `item` (its `infe` entry), NULL when the file does not describe it.
static const uint8_t *item_type_of(const meta_boxes *b, uint32_t item) {
    uint32_t id = 0;
    const uint8_t *type = NULL;
    for (int i = 0; i < 65536 && nth_item(b, i, &id, &type); i++) {
        if (id == item) return type;
    }
    return NULL;
}

// Whether the primary item is an overlay (`iovl`): libheif composes its pictures in RGB,
// so they are left to its RGB (picseek's stored planes would meet an RGB fill colour).
static int primary_is_overlay(const uint8_t *data, size_t size) {
    meta_boxes b;
    if (!read_meta(data, size, &b)) return 0;
    const uint8_t *type = item_type_of(&b, b.primary);
    return type != NULL && memcmp(type, "iovl", 4) == 0;
}

static size_t item_data(const uint8_t *data, size_t size, const meta_boxes *b, uint32_t item,
                        uint8_t *out, size_t cap) {
    span l = b->iloc;
    if (l.n < 8 || l.p[0] > 2) return 0;
    int version = l.p[0];
    int off_size = l.p[4] >> 4, len_size = l.p[4] & 15, base_size = l.p[5] >> 4;
    int index_size = version >= 1 ? l.p[5] & 15 : 0;
    if (off_size > 8 || len_size > 8 || base_size > 8 || index_size > 8) return 0;
    size_t at = 6, id_bytes = version < 2 ? 2 : 4;
    if (l.n - at < id_bytes) return 0;
    uint32_t count = be(l.p + at, (int)id_bytes);
    at += id_bytes;
    size_t extent_bytes = (size_t)index_size + (size_t)off_size + (size_t)len_size;
    for (uint32_t i = 0; i < count; i++) {
        size_t head = id_bytes + (version >= 1 ? 2 : 0) + 2 + (size_t)base_size + 2;
        if (l.n - at < head) return 0;
        uint32_t id = be(l.p + at, (int)id_bytes);
        int method = version >= 1 ? l.p[at + id_bytes + 1] & 15 : 0;
        const uint8_t *rest = l.p + at + head - (size_t)base_size - 2;
        uint64_t base = be64(rest, base_size);
        uint32_t extents = be(rest + base_size, 2);
        at += head;
        if (extent_bytes > 0 && (l.n - at) / extent_bytes < extents) return 0;
        if (id != item) {
            at += (size_t)extents * extent_bytes;
            continue;
        }
        const uint8_t *src = method == 0 ? data : method == 1 ? b->idat.p : NULL;
        size_t avail = method == 0 ? size : method == 1 ? b->idat.n : 0;
        size_t got = 0;
        for (uint32_t e = 0; e < extents && got < cap && src != NULL; e++) {
            const uint8_t *x = l.p + at + (size_t)e * extent_bytes + index_size;
            uint64_t start = base + be64(x, off_size), len = be64(x + off_size, len_size);
            if (start < base || start >= avail) break;
            size_t n = (size_t)(avail - start);
            if (len > 0 && len < n) n = (size_t)len; // 0: to the end
            if (n > cap - got) n = cap - got;
            memcpy(out + got, src + start, n);
            got += n;
        }
        return got;
    }
    return 0;
}

// The largest canvas a grid or an overlay item declares (its ImageGrid or ImageOverlay
// data), the primary or one nested in it, in pixels, with its sides and whether it is an
// overlay; 0 when there is none or none is readable. libheif 1.15 allocates that canvas
// whatever the item's `ispe` says.
static long long canvas_pixels(const uint8_t *data, size_t size, uint32_t *w, uint32_t *h,
                               int *overlay) {
    meta_boxes b;
    if (!read_meta(data, size, &b)) return 0;
    long long largest = 0;
    uint32_t id = 0;
    const uint8_t *type = NULL;
    for (int i = 0; i < 65536 && nth_item(&b, i, &id, &type); i++) {
        int grid = memcmp(type, "grid", 4) == 0;
        if (!grid && memcmp(type, "iovl", 4) != 0) continue;
        uint8_t d[32];
        size_t n = item_data(data, size, &b, id, d, sizeof d);
        size_t at = grid ? 4 : 10; // version, flags, then rows and columns or the fill colour
        int wide = n >= 2 && (d[1] & 1);
        size_t side = wide ? 4 : 2;
        if (n < at + 2 * side) continue;
        uint32_t cw = be(d + at, (int)side), ch = be(d + at + side, (int)side);
        if (area(cw, ch) > largest) {
            largest = area(cw, ch);
            *w = cw;
            *h = ch;
            *overlay = !grid;
        }
    }
    return largest;
}

// Whether an item type is one libheif 1.15 makes an image of (its `item_type_is_image`).
static int image_type(const uint8_t *type) {
    static const char *known[] = {"hvc1", "av01", "grid", "iovl", "iden"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (memcmp(type, known[i], 4) == 0) return 1;
    }
    return 0;
}

// The first item a `dimg` reference (a grid's tiles, an overlay's pictures) points to that
// the file does not describe as an image (no `infe` entry, or a type that is none), 0 when
// every one is; `*missing` says which of the two. libheif 1.15 asserts (aborts) on such an
// overlay instead of reporting it.
static uint32_t bad_dimg_target(const uint8_t *data, size_t size, int *missing) {
    meta_boxes b;
    if (!read_meta(data, size, &b)) return 0;
    size_t at = 0;
    reference r;
    while (next_reference(&b, &at, &r)) {
        if (memcmp(r.type, "dimg", 4) != 0) continue;
        for (uint32_t i = 0; i < r.count; i++) {
            uint32_t target = referred(&r, i);
            const uint8_t *type = item_type_of(&b, target);
            if (type == NULL || !image_type(type)) {
                *missing = type == NULL;
                return target != 0 ? target : UINT32_MAX;
            }
        }
    }
    return 0;
}

// Whether a file with an overlay (`iovl`) item has item descriptions and references that
// read the same however strictly they are read: `iinf` holding as many `infe` boxes (version
// 2 or 3) as it counts, and each `iref` reference box exactly as long as its ids. libheif
// 1.15 aborts (an assertion) when an overlay refers to an item it has no image for, and
// where it reads a malformed file otherwise than cheif.c does, the `dimg` check cannot see
// that; overlays are rare in photos, so a malformed one is refused outright.
static int overlay_file_well_formed(const uint8_t *data, size_t size) {
    meta_boxes b;
    if (!read_meta(data, size, &b)) return 1;
    uint32_t id = 0;
    const uint8_t *type = NULL;
    int overlay = 0, items = 0;
    for (; items < 65536 && nth_item(&b, items, &id, &type); items++) {
        overlay = overlay || memcmp(type, "iovl", 4) == 0;
    }
    if (!overlay) return 1;
    span in = b.iinf;
    size_t at = in.p[0] == 0 ? 6 : 8;
    int boxes = 0;
    for (; in.n - at >= 8; boxes++) {
        size_t box = be(in.p + at, 4);
        if (box < 8 || box > in.n - at) return 0;
        at += box;
    }
    uint32_t counted = in.p[0] == 0 ? be(in.p + 4, 2) : be(in.p + 4, 4);
    if (at != in.n || boxes != items || counted != (uint32_t)items) return 0;
    span refs = b.iref;
    if (refs.n == 0) return 1;
    if (refs.n < 4) return 0;
    int id_bytes = refs.p[0] == 0 ? 2 : 4;
    at = 4;
    while (at < refs.n) {
        if (refs.n - at < 8 + (size_t)id_bytes + 2) return 0;
        size_t box = be(refs.p + at, 4);
        uint32_t count = be(refs.p + at + 8 + id_bytes, 2);
        if (box != 8 + (size_t)id_bytes + 2 + (size_t)count * (size_t)id_bytes ||
            box > refs.n - at) {
            return 0;
        }
        at += box;
    }
    return 1;
}

// The largest `ispe` of any item in the file (alpha, depth and gain-map images
// included), in pixels, with its sides; 0 when there is none. libheif decodes the
// alpha image with the primary one, at the size it declares.
static long long largest_item(const uint8_t *data, size_t size, uint32_t *w, uint32_t *h) {
    meta_boxes b;
    if (!read_meta(data, size, &b)) return 0;
    long long largest = 0;
    span box;
    for (uint32_t i = 1; property(b.ipco, i, &box); i++) {
        if (memcmp(box.p + 4, "ispe", 4) != 0 || box.n < 20) continue;
        uint32_t bw = be(box.p + 12, 4), bh = be(box.p + 16, 4);
        if (area(bw, bh) > largest) {
            largest = area(bw, bh);
            *w = bw;
            *h = bh;
        }
    }
    return largest;
}

// ---- YCbCr to RGB where libheif 1.15 and the reference differ ----------------
//
// AVIF: Pillow opens it with libavif, which converts 8-bit YCbCr through libyuv:
// chroma upsampled with centred bilinear weights (3:1 per axis, 9:3:3:1 in two
// dimensions, rounded, edges clamped), then 6-bit fixed-point coefficients per
// matrix; 10/12-bit samples are first cut to 8 bits (a shift). libheif's own conversion
// repeats chroma samples, up to 74/255 away at colour edges, so AVIF is converted here
// (bit-exact on the fixtures).
// HEIC above 8 bits: pillow-heif's libheif (1.2x) first cuts each sample to 8 bits
// (a shift), then converts 8-bit YCbCr with repeated chroma samples; libheif 1.15
// converts at full depth and shifts after, up to 2/255 away. That order is done
// here too. Matrices without coefficients here fall back to libheif's conversion.

typedef struct {
    int ub, ug, vg, vr; // chroma contributions, x64
    int yg, yb;         // luma scale (x64 x 65536 / 257) and bias
} yuv_constants;

// The constants for nclx `matrix` and `full_range`, or 0 when there are none.
static int yuv_constants_for(int matrix, int full_range, yuv_constants *k) {
    const int limited_yg = 18997, limited_yb = -1160; // 1.164 x 64, -16 x 1.164 x 64 + 32
    const int full_yg = 16320, full_yb = 32;           // 1.0 x 64, 32
    switch (matrix) {
    case 1: // BT.709
        if (full_range) *k = (yuv_constants){119, 12, 30, 101, full_yg, full_yb};
        else *k = (yuv_constants){128, 14, 34, 115, limited_yg, limited_yb};
        return 1;
    case 2: // unspecified: BT.601, as libavif reads it
    case 5:
    case 6: // BT.601
        if (full_range) *k = (yuv_constants){113, 22, 46, 90, full_yg, full_yb};
        else *k = (yuv_constants){128, 25, 52, 102, limited_yg, limited_yb};
        return 1;
    case 9: // BT.2020 non-constant luminance
        if (full_range) *k = (yuv_constants){120, 11, 37, 94, full_yg, full_yb};
        else *k = (yuv_constants){128, 12, 42, 107, 19003, limited_yb};
        return 1;
    default:
        return 0;
    }
}

static uint8_t clamp8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

// Position `i` of an upsampled axis: the two source samples and the first one's
// weight (of 4). Output 0 sits on source 0; outputs 2x+1 and 2x+2 lie between
// sources x and x+1, nearer x and nearer x+1.
static void up_tap(int i, int src_n, int *a, int *b, int *wa) {
    if (i == 0) {
        *a = *b = 0;
        *wa = 4;
        return;
    }
    int x = (i - 1) / 2;
    if (x > src_n - 1) x = src_n - 1;
    *a = x;
    *b = x + 1 < src_n ? x + 1 : src_n - 1;
    *wa = ((i - 1) % 2 == 0) ? 3 : 1;
}

// Kr and Kb of nclx `matrix` for the float conversion (BT.601 when unspecified,
// as libheif reads it), 0 when there are none.
static int luma_weights(int matrix, double *kr, double *kb) {
    switch (matrix) {
    case 1: *kr = 0.2126; *kb = 0.0722; return 1;
    case 2:
    case 5:
    case 6: *kr = 0.299; *kb = 0.114; return 1;
    case 9: *kr = 0.2627; *kb = 0.0593; return 1;
    default: return 0;
    }
}

// One pixel from 8-bit Y, Cb, Cr, as libyuv converts it.
static void convert_pixel(const yuv_constants *k, int y, int u, int v, uint8_t *o) {
    int y1 = (int)(((uint32_t)y * 0x0101u * (uint32_t)k->yg) >> 16);
    int du = u - 128, dv = v - 128;
    o[0] = clamp8((y1 + k->vr * dv + k->yb) >> 6);
    o[1] = clamp8((y1 - k->ug * du - k->vg * dv + k->yb) >> 6);
    o[2] = clamp8((y1 + k->ub * du + k->yb) >> 6);
}

// Converts 8-bit planes to packed RGB as libyuv does (chroma upsampled bilinearly);
// `sx`/`sy` are 1 where chroma is halved.
// Without chroma planes (`up` and `vp` NULL: monochrome) both are neutral, 128.
static void yuv_to_rgb(const uint8_t *yp, int ys, const uint8_t *up, int us, const uint8_t *vp,
                       int vs, int cw, int ch, int sx, int sy, int w, int h,
                       const yuv_constants *k, uint8_t *out) {
    for (int r = 0; r < h; r++) {
        int ya = r, yb = r, wya = 4;
        if (sy) up_tap(r, ch, &ya, &yb, &wya);
        const uint8_t *ua = NULL, *ub = NULL, *va = NULL, *vb = NULL;
        if (up != NULL && vp != NULL) {
            ua = up + (size_t)ya * us;
            ub = up + (size_t)yb * us;
            va = vp + (size_t)ya * vs;
            vb = vp + (size_t)yb * vs;
        }
        const uint8_t *yrow = yp + (size_t)r * ys;
        uint8_t *o = out + (size_t)r * w * 3;
        for (int c = 0; c < w; c++) {
            int u = 128, v = 128;
            if (ua != NULL && ub != NULL && va != NULL && vb != NULL) {
                int xa = c, xb = c, wxa = 4;
                if (sx) {
                    up_tap(c, cw, &xa, &xb, &wxa);
                    // libyuv ends every upsampled row on the last chroma sample itself,
                    // odd widths included (columns only: rows follow up_tap).
                    if (c == w - 1) xa = xb = cw - 1;
                }
                int wxb = 4 - wxa, wyb = 4 - wya;
                u = (wya * (wxa * ua[xa] + wxb * ua[xb]) + wyb * (wxa * ub[xa] + wxb * ub[xb]) +
                     8) >> 4;
                v = (wya * (wxa * va[xa] + wxb * va[xb]) + wyb * (wxa * vb[xa] + wxb * vb[xb]) +
                     8) >> 4;
            }
            convert_pixel(k, yrow[c], u, v, o + c * 3);
        }
    }
}

// A plane as 8-bit samples: 8-bit planes as they are, deeper ones cut to their
// top 8 bits. `*copy` receives a buffer to free when one was made.
static const uint8_t *plane8(const struct heif_image *image, enum heif_channel channel, int w,
                             int h, int *stride, uint8_t **copy) {
    *copy = NULL;
    int s = 0;
    const uint8_t *p = heif_image_get_plane_readonly(image, channel, &s);
    int bits = heif_image_get_bits_per_pixel_range(image, channel);
    if (p == NULL || w <= 0 || h <= 0 || bits < 8 || bits > 16) return NULL;
    if (bits == 8) {
        if (s < w) return NULL;
        *stride = s;
        return p;
    }
    if (s < w * 2) return NULL;
    uint8_t *out = malloc((size_t)w * (size_t)h);
    if (out == NULL) return NULL;
    for (int y = 0; y < h; y++) {
        const uint8_t *row = p + (size_t)y * (size_t)s;
        for (int x = 0; x < w; x++) {
            uint16_t sample;
            memcpy(&sample, row + (size_t)x * 2, 2);
            out[(size_t)y * w + x] = (uint8_t)(sample >> (bits - 8));
        }
    }
    *stride = w;
    *copy = out;
    return out;
}

// The primary item's `irot` angle in quarter turns anticlockwise, 0 without one.
static int primary_rotation(const uint8_t *data, size_t size) {
    meta_boxes b;
    span box;
    if (!read_meta(data, size, &b) || !item_property(&b, b.primary, "irot", &box) || box.n < 9) {
        return 0;
    }
    return box.p[8] & 3;
}

// Whether a decoded `image` of w x h passes the pixel cap; if so it is released and `msg` says
// so (the caller returns CHEIF_ERR_TOO_LARGE).
static int over_cap(struct heif_image *image, int w, int h, long long max_pixels,
                    char msg[CHEIF_MSG_LEN]) {
    if ((long long)w * (long long)h <= max_pixels) return 0;
    heif_image_release(image);
    copy_msg(msg, "image too large");
    return 1;
}

// The primary item's `clap`, `irot` and `imir`, in the order it lists them (libheif
// applies them in that order): how many (at most `max`), -1 when one is unreadable.
static int primary_transforms(const uint8_t *data, size_t size, cheif_transform *t, int max) {
    meta_boxes b;
    if (!read_meta(data, size, &b)) return 0;
    int count = 0;
    span box;
    for (int i = 0; i < 256 && item_property_at(&b, b.primary, i, &box); i++) {
        cheif_transform x;
        memset(&x, 0, sizeof x);
        if (memcmp(box.p + 4, "clap", 4) == 0) {
            if (box.n < 8 + 32) return -1;
            x.kind = CHEIF_CROP;
            for (int f = 0; f < 8; f++) {
                uint32_t v = be(box.p + 8 + 4 * f, 4);
                // The offsets' numerators are signed.
                x.clap[f] = (f == 4 || f == 6) ? (int64_t)(int32_t)v : (int64_t)v;
            }
        } else if (memcmp(box.p + 4, "irot", 4) == 0) {
            if (box.n < 9) return -1;
            x.kind = CHEIF_TURN;
            x.turns = box.p[8] & 3;
            if (x.turns == 0) continue;
        } else if (memcmp(box.p + 4, "imir", 4) == 0) {
            if (box.n < 9) return -1;
            x.kind = CHEIF_MIRROR;
            x.left_right = box.p[8] & 1;
        } else {
            continue;
        }
        if (count == max) return -1;
        t[count++] = x;
    }
    return count;
}

// Packed RGB `in` (w x h) turned `turns` quarter turns anticlockwise into a new buffer;
// `*ow`/`*oh` receive its size. NULL when out of memory.
static uint8_t *rotate_rgb(const uint8_t *in, int w, int h, int turns, int *ow, int *oh) {
    int nw = turns & 1 ? h : w, nh = turns & 1 ? w : h;
    uint8_t *out = malloc((size_t)w * (size_t)h * 3);
    if (out == NULL) return NULL;
    for (int y = 0; y < nh; y++) {
        for (int x = 0; x < nw; x++) {
            int sx = x, sy = y; // the source pixel of (x, y)
            if (turns == 1) sx = w - 1 - y, sy = x;
            else if (turns == 2) sx = w - 1 - x, sy = h - 1 - y;
            else if (turns == 3) sx = y, sy = h - 1 - x;
            memcpy(out + ((size_t)y * nw + x) * 3, in + ((size_t)sy * w + sx) * 3, 3);
        }
    }
    *ow = nw;
    *oh = nh;
    return out;
}

// Packed RGB `rgb` (w x h) after `n` turns and mirrors, in order; `*w`/`*h` follow the
// turns. Frees `rgb` and returns the result, NULL when out of memory.
static uint8_t *transform_rgb(uint8_t *rgb, int *w, int *h, const cheif_transform *t, int n) {
    for (int i = 0; i < n && rgb != NULL; i++) {
        if (t[i].kind == CHEIF_TURN) {
            uint8_t *turned = rotate_rgb(rgb, *w, *h, t[i].turns, w, h);
            free(rgb);
            rgb = turned;
            continue;
        }
        size_t row = (size_t)*w * 3;
        for (int y = 0; t[i].kind == CHEIF_MIRROR && y < (t[i].left_right ? *h : *h / 2); y++) {
            uint8_t *a = rgb + (size_t)y * row, s[3];
            uint8_t *b = t[i].left_right ? a : rgb + (size_t)(*h - 1 - y) * row;
            for (int x = 0; x < (t[i].left_right ? *w / 2 : *w); x++) {
                uint8_t *p = a + (size_t)x * 3;
                uint8_t *q = b + (t[i].left_right ? (size_t)(*w - 1 - x) : (size_t)x) * 3;
                memcpy(s, p, 3);
                memcpy(p, q, 3);
                memcpy(q, s, 3);
            }
        }
    }
    return rgb;
}

// Plane `c` (R, G or B) of a picture decoded with its stored planes in RGB clothing
// (cheif_avcodec.h), when it is w x h of `bits` per sample; its stride in `*stride`. NULL
// when the picture does not have that layout.
static const uint8_t *stored_plane(const struct heif_image *image, int c, int bits, int w,
                                   int h, int *stride) {
    static const enum heif_channel channels[3] = {heif_channel_R, heif_channel_G,
                                                  heif_channel_B};
    const uint8_t *p = heif_image_get_plane_readonly(image, channels[c], stride);
    int bytes = bits > 8 ? 2 : 1;
    if (p == NULL || *stride < w * bytes || heif_image_get_width(image, channels[c]) != w ||
        heif_image_get_height(image, channels[c]) != h ||
        heif_image_get_bits_per_pixel_range(image, channels[c]) != bits) {
        return NULL;
    }
    return p;
}

// The samples of a stored plane `p` (8-bit, or 16-bit when `bits` is above 8) at every
// (1 << xs)th column of every (1 << ys)th row, pw x ph of them (the chroma sample of each
// block sits in its top-left pixel): as they are into `o16`, or cut to their top 8 bits
// into `o8`.
static void pick_samples(const uint8_t *p, int stride, int bits, int pw, int ph, int xs,
                         int ys, uint16_t *o16, uint8_t *o8) {
    int shift = bits > 8 ? bits - 8 : 0;
    for (int y = 0; y < ph; y++) {
        const uint8_t *row = p + ((size_t)y << ys) * (size_t)stride;
        size_t at = (size_t)y * (size_t)pw;
        if (bits == 8 && o8 != NULL && xs == 0) {
            memcpy(o8 + at, row, (size_t)pw);
        } else if (bits == 8) {
            for (int x = 0; x < pw; x++) {
                if (o8 != NULL) o8[at + (size_t)x] = row[(size_t)x << xs];
                else o16[at + (size_t)x] = row[(size_t)x << xs];
            }
        } else {
            for (int x = 0; x < pw; x++) {
                uint16_t v;
                memcpy(&v, row + ((size_t)x << xs) * 2, 2);
                unsigned cut = (unsigned)v >> shift;
                if (o8 != NULL) o8[at + (size_t)x] = (uint8_t)(cut > 255 ? 255 : cut);
                else o16[at + (size_t)x] = v;
            }
        }
    }
}

// A picture decoded with its stored planes in RGB clothing, w x h: `*ycc` receives them at
// their depth (none for chroma when `mono`), chroma halved along `sx`/`sy`. 1 on success, 0
// when the image does not have that layout, -1 when out of memory (`*ycc` then holds what
// was read, to free).
static int read_stored(const struct heif_image *image, int bits, int sx, int sy, int mono,
                       cheif_ycc *ycc) {
    int w = heif_image_get_width(image, heif_channel_R);
    int h = heif_image_get_height(image, heif_channel_R);
    *ycc = (cheif_ycc){{NULL, NULL, NULL}, w, h, sx, sy, bits, 0, 0, 1};
    if (w <= 0 || h <= 0) return 0;
    for (int c = 0; c < (mono ? 1 : 3); c++) {
        int stride = 0;
        const uint8_t *p = stored_plane(image, c, bits, w, h, &stride);
        if (p == NULL) return 0;
        int xs = c ? sx : 0, ys = c ? sy : 0;
        int pw = xs ? (w + 1) / 2 : w, ph = ys ? (h + 1) / 2 : h;
        ycc->plane[c] = malloc((size_t)pw * (size_t)ph * 2);
        if (ycc->plane[c] == NULL) return -1;
        pick_samples(p, stride, bits, pw, ph, xs, ys, ycc->plane[c], NULL);
    }
    return 1;
}

// `handle` decoded through picseek's plugins with its stored planes in RGB clothing
// (cheif_avcodec.h) for pictures in `stored` chroma at `bits`; libheif's transforms left out
// when `untransformed`. CHEIF_OK with `*image` (to release) and what the plugins handed back
// in `*st`, else an error.
static int decode_stored(struct heif_image_handle *handle, int stored, int bits,
                         int untransformed, struct heif_image **image, cheif_stored_stats *st,
                         char msg[CHEIF_MSG_LEN]) {
    *image = NULL;
    struct heif_decoding_options *options = decoding_options();
    if (options == NULL) {
        copy_msg(msg, "out of memory");
        return CHEIF_ERR_NO_MEMORY;
    }
    options->ignore_transformations = untransformed != 0;
    cheif_stored_begin((enum heif_chroma)stored, bits);
    struct heif_error err =
        heif_decode_image(handle, image, heif_colorspace_RGB, heif_chroma_444, options);
    *st = cheif_stored_end();
    heif_decoding_options_free(options);
    if (err.code != heif_error_Ok || *image == NULL) {
        copy_error(msg, err); // before the caller frees the context that owns the text
        if (*image != NULL) heif_image_release(*image);
        *image = NULL;
        return err.code == heif_error_Ok ? CHEIF_ERR_DECODE : error_code(err);
    }
    return CHEIF_OK;
}

// AVIF through picseek's AV1 plugin: the stored planes (cheif_av1.h), after libheif's
// transforms and grid assembly, converted as libavif does with the file's own matrix and
// range (the sequence header's when the container has no nclx), deeper ones cut to 8 bits.
// Returns CHEIF_OK, an error, or -1 when the plugin did not hand back every picture so
// (another decoder ran, or a picture's layout or depth is not the av1C's): the caller then
// takes another way.
static int decode_av1_stored(const uint8_t *data, size_t size, struct heif_image_handle *handle,
                             const cheif_info *info, int stored, long long max_pixels,
                             uint8_t **rgb, int *width, int *height, char msg[CHEIF_MSG_LEN]) {
    // Transforms are applied here after the conversion, as the reference does: libavif
    // converts in the coded orientation and Pillow then applies `irot` and `imir` as an EXIF
    // orientation (turning first changes which pixels share a chroma sample along an axis of
    // odd length); neither applies a `clap`, so the whole coded picture is shown.
    cheif_transform t[8];
    int n = primary_transforms(data, size, t, 8);
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (t[i].kind != CHEIF_CROP) t[kept++] = t[i];
    }
    if (n >= 0) n = kept;
    struct heif_image *image = NULL;
    cheif_stored_stats st;
    int code = decode_stored(handle, stored, info->bit_depth, n >= 0, &image, &st, msg);
    if (code != CHEIF_OK) return code;
    yuv_constants k;
    int bits = info->bit_depth;
    int matrix = info->matrix, full_range = info->full_range;
    if (matrix < 0) { // no nclx in the container: the sequence header's, as libavif reads it
        matrix = st.mixed ? -1 : st.matrix;
        full_range = st.full_range;
    }
    if (st.stored == 0 || st.other != 0 || !yuv_constants_for(matrix, full_range, &k)) {
        heif_image_release(image);
        return -1;
    }
    int w = heif_image_get_width(image, heif_channel_R);
    int h = heif_image_get_height(image, heif_channel_R);
    if (w > 0 && h > 0 && over_cap(image, w, h, max_pixels, msg)) return CHEIF_ERR_TOO_LARGE;
    int sx = stored == heif_chroma_420 || stored == heif_chroma_422;
    int sy = stored == heif_chroma_420;
    if (n < 0 && stored == heif_chroma_422 && (primary_rotation(data, size) & 1)) {
        sx = 0; // turned a quarter by libheif
        sy = 1;
    }
    // Deeper samples are cut to 8 bits first, as libavif does before its 8-bit conversion;
    // then converted as libavif does. 8-bit luma is read where it lies.
    int mono = stored == heif_chroma_monochrome;
    int cw = sx ? (w + 1) / 2 : w, ch = sy ? (h + 1) / 2 : h;
    uint8_t *p8[3] = {NULL, NULL, NULL};
    const uint8_t *yp = NULL;
    int ys = w, layout = w > 0 && h > 0, ok = 1;
    for (int c = 0; c < (mono ? 1 : 3) && layout && ok; c++) {
        int stride = 0;
        const uint8_t *p = stored_plane(image, c, bits, w, h, &stride);
        layout = p != NULL;
        if (layout && c == 0 && bits == 8) {
            yp = p;
            ys = stride;
            continue;
        }
        int pw = c ? cw : w, ph = c ? ch : h;
        p8[c] = layout ? malloc((size_t)pw * (size_t)ph) : NULL;
        ok = !layout || p8[c] != NULL;
        if (p8[c] != NULL) {
            pick_samples(p, stride, bits, pw, ph, c ? sx : 0, c ? sy : 0, NULL, p8[c]);
        }
        if (c == 0) yp = p8[0];
    }
    uint8_t *out = layout && ok ? malloc((size_t)w * (size_t)h * 3) : NULL;
    if (out != NULL) yuv_to_rgb(yp, ys, p8[1], cw, p8[2], cw, cw, ch, sx, sy, w, h, &k, out);
    heif_image_release(image);
    for (int c = 0; c < 3; c++) free(p8[c]);
    if (!layout) return -1;
    if (out != NULL && n > 0) out = transform_rgb(out, &w, &h, t, n);
    if (out == NULL) {
        copy_msg(msg, "out of memory");
        return CHEIF_ERR_NO_MEMORY;
    }
    *rgb = out;
    *width = w;
    *height = h;
    return CHEIF_OK;
}

// `ycc` converted to packed RGB as pillow-heif's libheif (1.2x) converts HEIC. Deeper
// full-range 4:2:0 is first cut to 8 bits (in place: `ycc` holds the cut samples after), as
// libheif then takes its integer 4:2:0 conversion; 8-bit pictures are converted as the HEVC
// plugin converts them (cheif_hevc.h); the rest through libheif's float Op_YCbCr_to_RGB at
// their own depth (Cb and Cr centred, limited range scaled by 1.1689 for luma less its
// offset and 1.1429 for chroma, chroma repeated where halved, rounded and clamped), each
// result then cut to its top 8 bits. NULL when out of memory.
static uint8_t *libheif_to_rgb(cheif_ycc *ycc) {
    int w = ycc->w, h = ycc->h, cw = ycc->sx ? (w + 1) / 2 : w, ch = ycc->sy ? (h + 1) / 2 : h;
    int bits = ycc->bits, full_range = ycc->full_range;
    float kr = ycc->kr, kb = ycc->kb;
    size_t n = (size_t)w * (size_t)h, cn = (size_t)cw * (size_t)ch;
    if (bits > 8 && ycc->sx && ycc->sy && full_range) {
        for (int c = 0; c < 3; c++) {
            for (size_t i = 0; ycc->plane[c] != NULL && i < (c ? cn : n); i++) {
                ycc->plane[c][i] = (uint16_t)(ycc->plane[c][i] >> (bits - 8));
            }
        }
        bits = 8;
    }
    uint8_t *out = malloc(n * 3);
    if (out == NULL) return NULL;
    if (bits == 8) {
        // 8-bit planes, and planar RGB from the plugin's conversion, interleaved after.
        uint8_t *buf = malloc(n * 4 + cn * 2);
        int ok = buf != NULL;
        uint8_t *p8[3] = {buf, buf + n, buf + n + cn}, *planar = buf + n + 2 * cn;
        for (int c = 0; c < 3 && ok; c++) {
            for (size_t i = 0; i < (c ? cn : n); i++) {
                // Monochrome: neutral chroma.
                p8[c][i] = ycc->plane[c] != NULL ? (uint8_t)ycc->plane[c][i] : 128;
            }
        }
        ok = ok && cheif_hevc_ycbcr_to_rgb(p8[0], w, p8[1], cw, p8[2], cw, w, h, ycc->sx,
                                           ycc->sy, kr, kb, full_range, 1, planar, w,
                                           planar + n, w, planar + 2 * n, w);
        for (size_t i = 0; ok && i < n; i++) {
            for (int c = 0; c < 3; c++) out[i * 3 + (size_t)c] = planar[(size_t)c * n + i];
        }
        free(buf);
        if (!ok) {
            free(out);
            return NULL;
        }
        return out;
    }
    float r_cr = 2 * (-kr + 1), b_cb = 2 * (-kb + 1);
    float g_cb = 2 * kb * (-kb + 1) / (kb + kr - 1);
    float g_cr = 2 * kr * (-kr + 1) / (kb + kr - 1);
    long top = (1L << bits) - 1;
    int half = 1 << (bits - 1), shift = bits - 8;
    float offset = (float)(16 << shift);
    for (int y = 0; y < h; y++) {
        const uint16_t *yrow = ycc->plane[0] + (size_t)y * (size_t)w;
        size_t crow = (size_t)(y >> ycc->sy) * (size_t)cw;
        for (int x = 0; x < w; x++) {
            float yv = yrow[x], cb = 0, cr = 0;
            if (ycc->plane[1] != NULL && ycc->plane[2] != NULL) {
                cb = (float)(ycc->plane[1][crow + (size_t)(x >> ycc->sx)] - half);
                cr = (float)(ycc->plane[2][crow + (size_t)(x >> ycc->sx)] - half);
            }
            if (!full_range) {
                yv = (yv - offset) * 1.1689f;
                cb = cb * 1.1429f;
                cr = cr * 1.1429f;
            }
            float rgb[3] = {yv + r_cr * cr, yv + g_cb * cb + g_cr * cr, yv + b_cb * cb};
            for (int c = 0; c < 3; c++) {
                long v = (long)(rgb[c] + 0.5f);
                v = v < 0 ? 0 : v > top ? top : v;
                out[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)c] = (uint8_t)(v >> shift);
            }
        }
    }
    return out;
}

// Set by the tests (cheif_test_conversion, cheif_test_libheif_converts): libheif converts and
// transforms even where picseek would.
static _Thread_local int libheif_converts = 0;

// HEIC as pillow-heif's libheif (1.2x) decodes it, wherever picseek's HEVC plugin does not
// already convert it so: a deeper picture (1.2x converts 4:4:4 and 4:2:2 at full depth), a
// crop, turn or mirror that 1.2x applies otherwise than libheif 1.15 (cheif_transform.h), or
// a grid whose tiles differ in profile (1.15 would convert those itself, in float, where
// 1.2x takes an integer conversion for 4:2:0). The plugin hands back the stored planes
// (cheif_avcodec.h) untransformed; they are transformed here as 1.2x does, then converted
// as it does, with the container's profile, else the stream's, else BT.601 full range.
// CHEIF_OK, an error, or -1 when the plugin converts it, libde265 decodes, or the image is
// not one this reads.
static int decode_heic_own(const uint8_t *data, size_t size, struct heif_image_handle *handle,
                           const cheif_info *info, long long max_pixels, int hevc,
                           uint8_t **rgb, int *width, int *height, char msg[CHEIF_MSG_LEN]) {
    cheif_transform t[8];
    int n = primary_transforms(data, size, t, 8);
    int stored = primary_chroma(data, size, 0);
    if (n < 0 || stored < 0 || hevc != CHEIF_HEVC_LIBAVCODEC || libheif_converts ||
        primary_is_overlay(data, size)) {
        return -1;
    }
    int sx = stored == heif_chroma_420 || stored == heif_chroma_422;
    int sy = stored == heif_chroma_420;
    // Whether any step differs, from the coded size (which the decoded picture has).
    int w = heif_image_handle_get_ispe_width(handle), h = heif_image_handle_get_ispe_height(handle);
    int differs = 0;
    for (int i = 0; i < n && differs == 0 && w > 0 && h > 0; i++) {
        differs = cheif_transform_differs(&t[i], sx, sy, &w, &h);
    }
    int matrix = info->matrix, full_range = info->full_range;
    int plugin_converts = info->bit_depth == 8 && tiles_nclx(data, size, &matrix, &full_range);
    // Invalid crops are left to libheif to report.
    if (differs < 0 || (differs == 0 && plugin_converts)) return -1;
    struct heif_image *image = NULL;
    cheif_stored_stats st;
    int decoded = decode_stored(handle, stored, info->bit_depth, 1, &image, &st, msg);
    if (decoded != CHEIF_OK) return decoded;
    matrix = info->matrix;
    full_range = info->full_range;
    if (matrix < 0) { // no nclx in the container: the stream's (tiles of one profile only)
        matrix = st.mixed ? -2 : st.matrix;
        full_range = st.full_range;
    }
    double kr = 0, kb = 0;
    int bits = info->bit_depth;
    if (st.stored == 0 || st.other != 0 || matrix == -2 ||
        !luma_weights(matrix < 0 ? 2 : matrix, &kr, &kb)) {
        heif_image_release(image);
        return -1;
    }
    int iw = heif_image_get_width(image, heif_channel_R);
    int ih = heif_image_get_height(image, heif_channel_R);
    if (iw > 0 && ih > 0 && over_cap(image, iw, ih, max_pixels, msg)) return CHEIF_ERR_TOO_LARGE;
    cheif_ycc ycc;
    int read = read_stored(image, bits, sx, sy, stored == heif_chroma_monochrome, &ycc);
    heif_image_release(image);
    ycc.kr = (float)kr;
    ycc.kb = (float)kb;
    ycc.full_range = full_range != 0; // unsaid (-1): full
    int code = read == 1 ? cheif_ycc_transform(&ycc, t, n) : -1;
    uint8_t *out = code == 0 ? libheif_to_rgb(&ycc) : NULL;
    *width = ycc.w;
    *height = ycc.h;
    cheif_ycc_free(&ycc);
    if (read == 0) return -1;
    if (out == NULL) {
        copy_msg(msg, code == -2 ? "invalid clean aperture (clap)" : "out of memory");
        return code == -2 ? CHEIF_ERR_DECODE : CHEIF_ERR_NO_MEMORY;
    }
    *rgb = out;
    return CHEIF_OK;
}

// Decodes `handle` to YCbCr in its stored layout and converts it as the reference
// does; returns CHEIF_OK, an error, or -1 when this image is left to libheif.
static int decode_own_rgb(const uint8_t *data, size_t size, struct heif_image_handle *handle,
                          const cheif_info *info, long long max_pixels, int hevc,
                          uint8_t **rgb, int *width, int *height, char msg[CHEIF_MSG_LEN]) {
    if (!info->avif) {
        return decode_heic_own(data, size, handle, info, max_pixels, hevc, rgb, width, height,
                               msg);
    }
    // An overlay's pictures are composed by libheif in RGB, with its fill colour.
    if (primary_is_overlay(data, size)) return -1;
    if (info->bit_depth == 10 || info->bit_depth == 12) {
        // Deeper AVIF: only through the plugin's stored planes; else libheif converts.
        int stored = primary_chroma(data, size, 1);
        if (stored < 0 || !cheif_av1_is_enabled()) return -1;
        return decode_av1_stored(data, size, handle, info, stored, max_pixels, rgb, width,
                                 height, msg);
    }
    if (info->bit_depth != 8) return -1;
    int stored = primary_chroma(data, size, 1);
    if (stored >= 0 && cheif_av1_is_enabled()) {
        int code = decode_av1_stored(data, size, handle, info, stored, max_pixels, rgb, width,
                                     height, msg);
        if (code >= 0) return code;
    }
    // libheif's own AV1 plugins, or a picture the plugin left as YCbCr: the planes come
    // back only after libheif's trip through RGB.
    yuv_constants k;
    if (info->matrix < 0 || !yuv_constants_for(info->matrix, info->full_range, &k)) return -1;
    // libheif 1.15 hands YCbCr back in its default profile, BT.601 full range: a picture
    // stored in any other one comes back converted to RGB and then to that profile, so
    // its planes are read with that profile's constants.
    if (!(info->full_range == 1 && (info->matrix == 5 || info->matrix == 6))) {
        (void)yuv_constants_for(6, 1, &k);
    }
    if (stored < 0) return -1;
    struct heif_decoding_options *options = decoding_options();
    if (options == NULL) {
        copy_msg(msg, "out of memory");
        return CHEIF_ERR_NO_MEMORY;
    }
    struct heif_image *image = NULL;
    enum heif_colorspace space =
        stored == heif_chroma_monochrome ? heif_colorspace_monochrome : heif_colorspace_YCbCr;
    struct heif_error err =
        heif_decode_image(handle, &image, space, (enum heif_chroma)stored, options);
    heif_decoding_options_free(options);
    if (err.code != heif_error_Ok || image == NULL) {
        copy_error(msg, err); // before the caller frees the context that owns the text
        if (image != NULL) heif_image_release(image);
        return err.code == heif_error_Ok ? CHEIF_ERR_DECODE : error_code(err);
    }
    enum heif_chroma chroma = heif_image_get_chroma_format(image);
    int w = heif_image_get_width(image, heif_channel_Y);
    int h = heif_image_get_height(image, heif_channel_Y);
    if ((int)chroma != stored || w <= 0 || h <= 0) {
        heif_image_release(image);
        return -1;
    }
    if (over_cap(image, w, h, max_pixels, msg)) return CHEIF_ERR_TOO_LARGE;
    int sx = chroma == heif_chroma_420 || chroma == heif_chroma_422;
    int sy = chroma == heif_chroma_420;
    int cw = sx ? (w + 1) / 2 : w, ch = sy ? (h + 1) / 2 : h;
    int ys = 0, us = 0, vs = 0;
    uint8_t *ycopy = NULL, *ucopy = NULL, *vcopy = NULL;
    const uint8_t *yp = plane8(image, heif_channel_Y, w, h, &ys, &ycopy);
    const uint8_t *up = NULL, *vp = NULL;
    int ok = yp != NULL;
    if (ok && chroma != heif_chroma_monochrome) {
        ok = heif_image_get_width(image, heif_channel_Cb) == cw &&
             heif_image_get_height(image, heif_channel_Cb) == ch &&
             heif_image_get_width(image, heif_channel_Cr) == cw &&
             heif_image_get_height(image, heif_channel_Cr) == ch;
        if (ok) up = plane8(image, heif_channel_Cb, cw, ch, &us, &ucopy);
        if (ok && up != NULL) vp = plane8(image, heif_channel_Cr, cw, ch, &vs, &vcopy);
        ok = ok && up != NULL && vp != NULL;
    }
    uint8_t *out = ok ? malloc((size_t)w * (size_t)h * 3) : NULL;
    if (out != NULL) yuv_to_rgb(yp, ys, up, us, vp, vs, cw, ch, sx, sy, w, h, &k, out);
    free(ycopy);
    free(ucopy);
    free(vcopy);
    heif_image_release(image);
    if (!ok) return -1;
    if (out == NULL) {
        copy_msg(msg, "out of memory");
        return CHEIF_ERR_NO_MEMORY;
    }
    *rgb = out;
    *width = w;
    *height = h;
    return CHEIF_OK;
}

// A copy of `data` in which every `auxl` item reference is renamed, so that libheif
// decodes no auxiliary image (alpha, depth, gain map) with the primary one: alpha is
// dropped anyway, and libheif 1.15 allocates the alpha plane at whatever size the alpha
// bitstream declares (a fuzzer found a 3.5 kB file asking for 2.8 GB, then a memset of
// negative size). NULL when there is nothing to rename or no memory.
static uint8_t *without_aux_refs(const uint8_t *data, size_t size) {
    meta_boxes b;
    if (!read_meta(data, size, &b)) return NULL;
    uint8_t *copy = NULL;
    size_t at = 0;
    reference r;
    while (next_reference(&b, &at, &r)) {
        if (memcmp(r.type, "auxl", 4) != 0) continue;
        if (copy == NULL) {
            copy = malloc(size);
            if (copy == NULL) return NULL;
            memcpy(copy, data, size);
        }
        memcpy(copy + (size_t)(r.type - data), "xaux", 4);
    }
    return copy;
}

static int decode_rgb(const uint8_t *data, size_t size, long long max_pixels, int hevc,
                      uint8_t **rgb, int *width, int *height, cheif_info *info, uint8_t **exif,
                      size_t *exif_size, char msg[CHEIF_MSG_LEN]);


int cheif_decode_rgb(const uint8_t *data, size_t size, long long max_pixels,
                     uint8_t **rgb, int *width, int *height, cheif_info *info,
                     uint8_t **exif, size_t *exif_size, char msg[CHEIF_MSG_LEN]) {
    return cheif_decode_rgb_using(data, size, max_pixels, CHEIF_HEVC_LIBAVCODEC, rgb, width,
                                  height, info, exif, exif_size, msg);
}

int cheif_decode_rgb_using(const uint8_t *data, size_t size, long long max_pixels,
                           int hevc_decoder, uint8_t **rgb, int *width, int *height,
                           cheif_info *info, uint8_t **exif, size_t *exif_size,
                           char msg[CHEIF_MSG_LEN]) {
    if (hevc_decoder != CHEIF_HEVC_LIBAVCODEC && hevc_decoder != CHEIF_HEVC_LIBDE265) {
        copy_msg(msg, "invalid argument");
        return CHEIF_ERR_ARGUMENT;
    }
    uint8_t *without_aux = data != NULL && size >= 12 ? without_aux_refs(data, size) : NULL;
    cheif_hevc_set_enabled(hevc_decoder == CHEIF_HEVC_LIBAVCODEC);
    int code = decode_rgb(without_aux != NULL ? without_aux : data, size, max_pixels,
                          hevc_decoder, rgb, width, height, info, exif, exif_size, msg);
    cheif_hevc_set_enabled(1);
    if (without_aux != NULL && info != NULL) info->has_alpha = 1;
    free(without_aux);
    return code;
}

static int decode_rgb(const uint8_t *data, size_t size, long long max_pixels, int hevc,
                      uint8_t **rgb, int *width, int *height, cheif_info *info, uint8_t **exif,
                      size_t *exif_size, char msg[CHEIF_MSG_LEN]) {
    if (rgb == NULL || width == NULL || height == NULL || info == NULL || max_pixels <= 0) {
        copy_msg(msg, "invalid argument");
        return CHEIF_ERR_ARGUMENT;
    }
    *rgb = NULL;
    if (exif != NULL) *exif = NULL;
    if (exif_size != NULL) *exif_size = 0;
    memset(info, 0, sizeof *info);
    int code = check_input(data, size, msg);
    if (code != CHEIF_OK) return code;
    struct heif_context *ctx = NULL;
    struct heif_image_handle *handle = NULL;
    code = open_primary(data, size, &ctx, &handle, msg);
    if (code != CHEIF_OK) return code;
    code = fill_info(data, size, ctx, handle, info, msg);
    // Both the transformed size and the coded (ispe) size count against the cap.
    long long ispe_w = heif_image_handle_get_ispe_width(handle);
    long long ispe_h = heif_image_handle_get_ispe_height(handle);
    if (code == CHEIF_OK && ((long long)info->width * (long long)info->height > max_pixels ||
                             ispe_w * ispe_h > max_pixels)) {
        copy_msg(msg, "image too large");
        code = CHEIF_ERR_TOO_LARGE;
    }
    long long tiles = code == CHEIF_OK ? grid_tile_pixels(data, size) : 0;
    uint32_t item_w = 0, item_h = 0, canvas_w = 0, canvas_h = 0, bad = 0;
    int overlay = 0, missing = 0;
    long long item = code == CHEIF_OK ? largest_item(data, size, &item_w, &item_h) : 0;
    long long canvas =
        code == CHEIF_OK ? canvas_pixels(data, size, &canvas_w, &canvas_h, &overlay) : 0;
    if (tiles > 2 * max_pixels) {
        snprintf(msg, CHEIF_MSG_LEN, "grid tiles add up to %lld pixels, above twice the limit",
                 tiles);
        code = CHEIF_ERR_DECODE;
    } else if (item > max_pixels) {
        snprintf(msg, CHEIF_MSG_LEN, "an image in the file is %ux%u pixels, above the limit",
                 item_w, item_h);
        code = CHEIF_ERR_DECODE;
    } else if (canvas > max_pixels) {
        snprintf(msg, CHEIF_MSG_LEN, "%s declares %ux%u pixels, above the limit",
                 overlay ? "an overlay" : "a grid", canvas_w, canvas_h);
        code = CHEIF_ERR_DECODE;
    } else if (code == CHEIF_OK && !overlay_file_well_formed(data, size)) {
        copy_msg(msg, "an overlay in a file whose items or references are malformed");
        code = CHEIF_ERR_DECODE;
    } else if (code == CHEIF_OK && (bad = bad_dimg_target(data, size, &missing)) != 0) {
        snprintf(msg, CHEIF_MSG_LEN, "a grid or overlay uses item %u, %s", bad,
                 missing ? "which the file lacks" : "which is not an image");
        code = CHEIF_ERR_DECODE;
    }
    if (code != CHEIF_OK) {
        heif_image_handle_release(handle);
        heif_context_free(ctx);
        return code;
    }
    copy_exif(handle, exif, exif_size);
    // No coded picture above the cap is allocated by libavcodec either (a stream may declare
    // a size other than its item's ispe).
    cheif_hevc_set_max_pixels(max_pixels);

    // AVIF and deep HEIC are converted here; the rest by libheif.
    code = decode_own_rgb(data, size, handle, info, max_pixels, hevc, rgb, width, height, msg);
    if (code >= 0) {
        heif_image_handle_release(handle);
        heif_context_free(ctx);
        if (code == CHEIF_OK) {
            info->width = *width;
            info->height = *height;
        }
        return code;
    }
    struct heif_decoding_options *options = decoding_options();
    if (options == NULL) {
        heif_image_handle_release(handle);
        heif_context_free(ctx);
        copy_msg(msg, "out of memory");
        return CHEIF_ERR_NO_MEMORY;
    }
    options->ignore_transformations = 0;
    options->convert_hdr_to_8bit = 1;
    // 8-bit images come back as libheif's planar RGB (which it makes of every decoded picture
    // anyway), interleaved below; HEVC pictures (a grid's tiles too, when they share one
    // profile) are converted to RGB by the decoder plugin as libheif would (cheif_hevc.h), so
    // libheif converts nothing.
    int planar = info->bit_depth == 8;
    int matrix = info->matrix, full_range = info->full_range;
    if (planar && !info->avif && hevc == CHEIF_HEVC_LIBAVCODEC && !libheif_converts &&
        tiles_nclx(data, size, &matrix, &full_range)) {
        cheif_hevc_set_rgb_output(1, matrix, full_range, !primary_is_overlay(data, size));
    }
    struct heif_image *image = NULL;
    struct heif_error err =
        heif_decode_image(handle, &image, heif_colorspace_RGB,
                          planar ? heif_chroma_444 : heif_chroma_interleaved_RGB, options);
    cheif_hevc_set_rgb_output(0, -1, -1, 1);
    heif_decoding_options_free(options);
    if (err.code != heif_error_Ok || image == NULL) {
        copy_error(msg, err);
        if (image != NULL) heif_image_release(image);
        heif_image_handle_release(handle);
        heif_context_free(ctx);
        return err.code == heif_error_Ok ? CHEIF_ERR_DECODE : error_code(err);
    }
    heif_image_handle_release(handle);
    heif_context_free(ctx);
    enum heif_channel first = planar ? heif_channel_R : heif_channel_interleaved;
    int w = heif_image_get_width(image, first);
    int h = heif_image_get_height(image, first);
    const uint8_t *planes[3] = {NULL, NULL, NULL};
    int strides[3] = {0, 0, 0};
    int ok = w > 0 && h > 0;
    if (planar) {
        static const enum heif_channel channels[3] = {heif_channel_R, heif_channel_G,
                                                      heif_channel_B};
        for (int c = 0; c < 3 && ok; c++) {
            planes[c] = heif_image_get_plane_readonly(image, channels[c], &strides[c]);
            ok = planes[c] != NULL && strides[c] >= w &&
                 heif_image_get_width(image, channels[c]) == w &&
                 heif_image_get_height(image, channels[c]) == h &&
                 heif_image_get_bits_per_pixel_range(image, channels[c]) == 8;
        }
    } else {
        planes[0] = heif_image_get_plane_readonly(image, heif_channel_interleaved, &strides[0]);
        ok = ok && planes[0] != NULL && strides[0] >= w * 3 &&
             heif_image_get_bits_per_pixel_range(image, heif_channel_interleaved) == 8;
    }
    if (!ok) {
        heif_image_release(image);
        copy_msg(msg, "decoded image has an unexpected layout");
        return CHEIF_ERR_DECODE;
    }
    if (over_cap(image, w, h, max_pixels, msg)) return CHEIF_ERR_TOO_LARGE;
    uint8_t *out = malloc((size_t)w * (size_t)h * 3);
    if (out == NULL) {
        heif_image_release(image);
        copy_msg(msg, "out of memory");
        return CHEIF_ERR_NO_MEMORY;
    }
    for (int y = 0; y < h; y++) {
        uint8_t *o = out + (size_t)y * (size_t)w * 3;
        if (!planar) {
            memcpy(o, planes[0] + (size_t)y * (size_t)strides[0], (size_t)w * 3);
            continue;
        }
        const uint8_t *r = planes[0] + (size_t)y * (size_t)strides[0];
        const uint8_t *g = planes[1] + (size_t)y * (size_t)strides[1];
        const uint8_t *b = planes[2] + (size_t)y * (size_t)strides[2];
        for (int x = 0; x < w; x++) {
            o[3 * x] = r[x];
            o[3 * x + 1] = g[x];
            o[3 * x + 2] = b[x];
        }
    }
    heif_image_release(image);
    info->width = w;
    info->height = h;
    *rgb = out;
    *width = w;
    *height = h;
    return CHEIF_OK;
}

void cheif_free(void *p) { free(p); }

long long cheif_test_conversion(const uint8_t *data, size_t size, uint64_t seed) {
    uint8_t *out[2] = {NULL, NULL};
    int w[2] = {0, 0}, h[2] = {0, 0};
    cheif_info info;
    char msg[CHEIF_MSG_LEN];
    cheif_hevc_set_test_fill(seed);
    for (int k = 0; k < 2; k++) {
        libheif_converts = k == 0;
        if (cheif_decode_rgb(data, size, 100000000, &out[k], &w[k], &h[k], &info, NULL, NULL,
                             msg) != CHEIF_OK) {
            w[k] = -1;
        }
    }
    libheif_converts = 0;
    cheif_hevc_set_test_fill(0);
    long long largest = -1;
    if (w[0] > 0 && w[0] == w[1] && h[0] == h[1]) {
        largest = 0;
        for (size_t i = 0; i < (size_t)w[0] * (size_t)h[0] * 3; i++) {
            int d = abs((int)out[0][i] - (int)out[1][i]);
            if (d > largest) largest = d;
        }
    }
    free(out[0]);
    free(out[1]);
    return largest;
}

void cheif_test_libheif_converts(int on) { libheif_converts = on != 0; }
