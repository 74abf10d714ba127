// libFuzzer target for the PNG shim (Sources/CPNG/cpng.c): IHDR parsing and a
// full decode to RGB with eXIf extraction.
#include <stddef.h>
#include <stdint.h>

#include "cpng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char msg[CPNG_MSG_LEN];
    cpng_info info;
    cpng_read_info(data, size, &info, msg);
    uint8_t *rgb = NULL, *exif = NULL;
    size_t exif_size = 0;
    int w = 0, h = 0;
    if (cpng_decode_rgb(data, size, 1000000, &rgb, &w, &h, &info, &exif, &exif_size,
                        msg) == CPNG_OK) {
        volatile uint8_t sink = 0;
        size_t n = (size_t)w * (size_t)h * 3;
        if (n > 0) sink ^= rgb[0] ^ rgb[n - 1];
        if (exif_size > 0) sink ^= exif[exif_size - 1];
        (void)sink;
    }
    cpng_free(rgb);
    cpng_free(exif);
    return 0;
}
