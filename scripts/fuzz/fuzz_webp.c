// libFuzzer target for the WEBP shim (Sources/CWebP/cwebp.c): a full decode to
// packed RGB under a 1-megapixel cap (the cap logic itself is exercised);
// the first and last returned bytes are read so ASan checks the extent.
#include <stddef.h>
#include <stdint.h>

#include "cwebp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char msg[CWEBP_MSG_LEN];
    cwebp_info info;
    cwebp_read_info(data, size, &info, msg);
    uint8_t *rgb = NULL, *exif = NULL;
    size_t exif_size = 0;
    int width = 0, height = 0;
    if (cwebp_decode_rgb(data, size, 1000000, &rgb, &width, &height, &info, &exif,
                         &exif_size, msg) == CWEBP_OK) {
        volatile uint8_t sink = 0;
        size_t n = (size_t)width * (size_t)height * 3;
        if (n > 0) sink ^= rgb[0] ^ rgb[n - 1];
        if (exif_size > 0) sink ^= exif[0] ^ exif[exif_size - 1];
        (void)sink;
    }
    cwebp_free(rgb);
    cwebp_free(exif);
    return 0;
}
