// libFuzzer target for the JPEG shim (Sources/CJPEG/cjpeg.c): header parsing
// with EXIF extraction, then a decode at a scale picked from the first byte.
#include <stddef.h>
#include <stdint.h>

#include "cjpeg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char msg[CJPEG_MSG_LEN];
    cjpeg_info info;
    uint8_t *exif = NULL;
    size_t exif_size = 0;
    if (cjpeg_read_header(data, size, &info, &exif, &exif_size, msg) == CJPEG_OK) {
        cjpeg_free(exif);
    }
    static const int scales[4] = {1, 2, 4, 8};
    int scale = size > 0 ? scales[data[size - 1] & 3] : 1;
    uint8_t *rgb = NULL;
    int w = 0, h = 0;
    exif = NULL;
    // A small pixel cap keeps each run fast; the cap logic itself is exercised.
    if (cjpeg_decode_rgb(data, size, scale, 1000000, &rgb, &w, &h, &info, &exif,
                         &exif_size, msg) == CJPEG_OK) {
        // Touch the output so the sanitizer checks its extent.
        volatile uint8_t sink = 0;
        size_t n = (size_t)w * (size_t)h * 3;
        if (n > 0) sink ^= rgb[0] ^ rgb[n - 1];
        (void)sink;
    }
    cjpeg_free(rgb);
    cjpeg_free(exif);
    return 0;
}
