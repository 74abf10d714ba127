// libFuzzer target for the HEIF shim (Sources/CHeif/cheif.c): the container read,
// then a full decode to packed RGB under a 1-megapixel cap (libheif's RGB
// conversion, the own AVIF and deep-HEIC conversions, the av1C/hvcC reader and the
// Exif item); the first and last returned bytes are read so ASan checks the extent.
#include <stddef.h>
#include <stdint.h>

#include "cheif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char msg[CHEIF_MSG_LEN];
    cheif_info info;
    cheif_read_info(data, size, &info, msg);
    uint8_t *rgb = NULL, *exif = NULL;
    size_t exif_size = 0;
    int width = 0, height = 0;
    if (cheif_decode_rgb(data, size, 1000000, &rgb, &width, &height, &info, &exif,
                         &exif_size, msg) == CHEIF_OK) {
        volatile uint8_t sink = 0;
        size_t n = (size_t)width * (size_t)height * 3;
        if (n > 0) sink ^= rgb[0] ^ rgb[n - 1];
        if (exif_size > 0) sink ^= exif[0] ^ exif[exif_size - 1];
        (void)sink;
    }
    cheif_free(rgb);
    cheif_free(exif);
    return 0;
}
