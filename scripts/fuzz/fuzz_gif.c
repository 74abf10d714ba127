// libFuzzer target for the GIF shim (Sources/CGIF/cgif.c): a full decode to
// packed RGB under a 1-megapixel cap (the cap logic itself is exercised);
// the first and last returned bytes are read so ASan checks the extent.
#include <stddef.h>
#include <stdint.h>

#include "cgif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char msg[CGIF_MSG_LEN];
    cgif_info info;
    uint8_t *rgb = NULL;
    int width = 0, height = 0;
    if (cgif_decode_rgb(data, size, 1000000, &rgb, &width, &height, &info, msg) == CGIF_OK) {
        volatile uint8_t sink = 0;
        size_t n = (size_t)width * (size_t)height * 3;
        if (n > 0) sink ^= rgb[0] ^ rgb[n - 1];
        (void)sink;
    }
    cgif_free(rgb);
    return 0;
}
