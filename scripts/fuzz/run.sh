#!/bin/sh
# Builds and runs the libFuzzer targets for the image pipeline's entry points:
# the JPEG, PNG, WebP, GIF, TIFF and HEIF shims (C, with AddressSanitizer and UBSan) and
# the Swift EXIF reader and camera RAW preview parser.
# Usage: scripts/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# Targets: jpeg png webp gif tiff heif exif raw (default: all). Seeds come from the committed
# fixtures; new crashers land in Tests/ImagingTests/Fixtures/crashers/<target>/.
set -eu
SECONDS_PER_TARGET=${1:-300}
[ $# -gt 0 ] && shift
TARGETS=${*:-jpeg png webp gif tiff heif exif raw}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${FUZZ_WORK:-$(mktemp -d)}
CLANG=${CLANG:-clang}
SWIFTC=${SWIFTC:-swiftc}
FIX="$ROOT/Tests/ImagingTests/Fixtures"
mkdir -p "$WORK"
for t in $TARGETS; do
    corpus="$WORK/corpus-$t"
    crashers="$FIX/crashers/$t"
    mkdir -p "$corpus" "$crashers"
    case $t in
    jpeg)
        "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I"$ROOT/Sources/CJPEG/include" \
            "$ROOT/scripts/fuzz/fuzz_jpeg.c" "$ROOT/Sources/CJPEG/cjpeg.c" -ljpeg -o "$WORK/fuzz_jpeg" 2>&1 | grep -v "Cannot export local symbol" || true
        cp "$FIX"/parity/*.jpg "$corpus"/ 2>/dev/null || true ;;
    png)
        "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I"$ROOT/Sources/CPNG/include" \
            "$ROOT/scripts/fuzz/fuzz_png.c" "$ROOT/Sources/CPNG/cpng.c" -lpng16 -o "$WORK/fuzz_png" 2>&1 | grep -v "Cannot export local symbol" || true
        cp "$FIX"/parity/*.png "$corpus"/ 2>/dev/null || true ;;
    webp|gif|tiff|heif)
        case $t in
        webp) dir=CWebP; libs="-lwebpdemux -lwebp"; seeds="formats/*.webp" ;;
        gif) dir=CGIF; libs="-lgif"; seeds="formats/*.gif" ;;
        tiff) dir=CTIFF; libs="-ltiff"; seeds="formats/*.tif" ;;
        heif) dir=CHeif; libs="-lheif -lavcodec -lavutil"; seeds="heif/*.heic heif/*.avif" ;;
        esac
        # shellcheck disable=SC2086
        "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I"$ROOT/Sources/$dir/include" \
            "$ROOT/scripts/fuzz/fuzz_$t.c" "$ROOT/Sources/$dir/"*.c $libs -o "$WORK/fuzz_$t" 2>&1 | grep -v "Cannot export local symbol" || true
        for s in $seeds; do
            # shellcheck disable=SC2086
            cp "$FIX"/$s "$corpus"/ 2>/dev/null || true
        done ;;
    exif)
        "$SWIFTC" -O -sanitize=fuzzer,address -parse-as-library \
            "$ROOT/scripts/fuzz/fuzz_exif.swift" "$ROOT/Sources/Imaging/Metadata/EXIF.swift" \
            -o "$WORK/fuzz_exif"
        cp "$FIX"/exif-seeds/* "$corpus"/ 2>/dev/null || true ;;
    raw)
        "$SWIFTC" -O -sanitize=fuzzer,address -parse-as-library \
            "$ROOT/scripts/fuzz/fuzz_raw.swift" "$ROOT/Sources/Imaging/Decoding/RAW.swift" \
            "$ROOT/Sources/Imaging/Metadata/EXIF.swift" -o "$WORK/fuzz_raw"
        find "$FIX/raw" -type f ! -name '*.png' ! -name '*.md' ! -name '*.json' \
            -exec cp {} "$corpus"/ \; ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
    esac
    echo "== fuzz_$t for ${SECONDS_PER_TARGET}s (work dir $WORK)"
    "$WORK/fuzz_$t" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 \
        -max_len=262144 -print_final_stats=1 -artifact_prefix="$crashers/" "$corpus" \
        2>&1 | tee "$WORK/fuzz_$t.log" | grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==ERROR|SUMMARY)" || true
done
