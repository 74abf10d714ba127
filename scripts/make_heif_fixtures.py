#!/usr/bin/env python3
"""Generate the HEIC/HEIF and AVIF decoding fixtures for Tests/ImagingTests/Fixtures/heif.

Run with a virtualenv holding Pillow, pillow-heif and numpy, and with `heif-enc`
(Debian's libheif-examples) on PATH for the files pillow-heif cannot write:

    python3 -m venv <venv> && <venv>/bin/pip install pillow pillow-heif numpy
    <venv>/bin/python scripts/make_heif_fixtures.py

It draws small seeded photo-like scenes (the same generator as
make_format_fixtures.py), writes HEIC with pillow-heif (plain, a grid of 64x64
tiles, 10-bit, alpha, 4:4:4, EXIF orientation 6 which pillow-heif stores as an
`irot` transform, two top-level images), HEIC with heif-enc from a JPEG whose EXIF
says 6 (no transform, so the tag is the only orientation), and AVIF with
Pillow's own encoder (plain, alpha, 4:4:4, EXIF orientation 6). For each it writes
the reference RGB image,
`ImageOps.exif_transpose(Image.open(f)).convert("RGB")` at full size with
`pillow_heif.register_heif_opener()` in effect, as an 8-bit PNG (`<file>.ref.png`).
Pillow opens AVIF with its own plugin (libavif); pillow-heif opens HEIC.
`manifest.json` lists every file with its upright size and EXIF facts.
"""
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import PIL
import pillow_heif
from PIL import Image, ImageOps, features

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_format_fixtures import exif_bytes, rgb, rgba, scene  # noqa: E402

SEED = 20261204
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ImagingTests",
                   "Fixtures", "heif")


def heif_enc(args, source):
    """Runs heif-enc on `source` (a PIL image saved as PNG or JPEG) and returns the file."""
    def write(f):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, source[0])
            source[1](src)
            out = os.path.join(tmp, "out.heif")
            subprocess.run(["heif-enc", *args, src, "-o", out], check=True,
                           stdout=subprocess.DEVNULL)
            with open(out, "rb") as g:
                f.write(g.read())
    return write


def deep(w, h, seed):
    """A 16-bit RGB scene (the 8-bit scene times 257 plus a fine ramp)."""
    y, x = np.mgrid[0:h, 0:w]
    return (scene(w, h, seed).astype(np.uint16) * 257 + ((x + y) % 200)[..., None]).astype(
        np.uint16)


def heic_files():
    yield "heic-plain.heic", lambda f: rgb(96, 64, 101).save(f, "HEIF", quality=90), {}

    def grid(f):
        pillow_heif.options.GRID_TILE_SIZE = 64
        try:
            rgb(160, 120, 102).save(f, "HEIF", quality=90)
        finally:
            pillow_heif.options.GRID_TILE_SIZE = 0
    yield "heic-grid.heic", grid, {}

    def ten_bit(f):
        px = deep(80, 56, 103)
        heif = pillow_heif.from_bytes(mode="RGB;16", size=(80, 56), data=px.tobytes())
        heif.save(f, quality=90)
    yield "heic-10bit.heic", ten_bit, {}
    yield "heic-alpha.heic", lambda f: rgba(64, 48, 104).save(f, "HEIF", quality=90), {}
    yield ("heic-444.heic",
           lambda f: rgb(72, 48, 105).save(f, "HEIF", quality=90, chroma=444), {})
    taken = "2023:01:02 03:04:05"
    yield ("heic-irot-exif-6.heic",
           lambda f: rgb(96, 64, 106).save(
               f, "HEIF", quality=90, exif=exif_bytes(6, "Apple", "iPhone 15", taken)),
           {"camera": "Apple iPhone 15", "takenAt": "2023-01-02 03:04:05"})
    yield ("heic-exif-6-no-irot.heic",
           heif_enc(["-q", "90"], ("in.jpg", lambda p: rgb(96, 64, 107).save(
               p, "JPEG", quality=95, exif=exif_bytes(6, "Google", "Pixel 8", taken)))),
           {"camera": "Google Pixel 8", "takenAt": "2023-01-02 03:04:05"})

    def two(f):
        first, second = rgb(64, 48, 108), rgb(32, 32, 109)
        first.save(f, "HEIF", quality=90, save_all=True, append_images=[second])
    yield "heic-two-images.heic", two, {}
    # A non-default nclx profile: BT.709 matrix, limited range (pillow-heif writes BT.601
    # full range unless told otherwise).
    yield ("heic-bt709-limited.heic",
           lambda f: rgb(88, 56, 110).save(
               f, "HEIF", quality=90, matrix_coefficients=1, full_range_flag=0,
               color_primaries=1, transfer_characteristics=1), {})
    # Odd sides: libheif codes 72x48 and crops with a `clap` box.
    yield "heic-odd-size.heic", lambda f: rgb(71, 47, 111).save(f, "HEIF", quality=90), {}


def avif_files():
    yield "avif-plain.avif", lambda f: rgb(96, 64, 201).save(f, "AVIF", quality=90), {}
    yield "avif-alpha.avif", lambda f: rgba(64, 48, 202).save(f, "AVIF", quality=90), {}
    yield ("avif-444.avif",
           lambda f: rgb(72, 48, 203).save(f, "AVIF", quality=90, subsampling="4:4:4"), {})
    yield ("avif-exif-6.avif",
           lambda f: rgb(96, 64, 204).save(
               f, "AVIF", quality=90, exif=exif_bytes(6, "Samsung", "SM-S918B",
                                                      "2024:03:04 05:06:07")),
           {"camera": "Samsung SM-S918B", "takenAt": "2024-03-04 05:06:07"})


def main():
    pillow_heif.register_heif_opener()
    os.makedirs(OUT, exist_ok=True)
    entries = []
    for name, write, meta in list(heic_files()) + list(avif_files()):
        buf = io.BytesIO()
        write(buf)
        data = buf.getvalue()
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        with Image.open(io.BytesIO(data)) as im:
            orientation = im.getexif().get(0x0112, 1)
            ref = ImageOps.exif_transpose(im).convert("RGB")
        ref.save(os.path.join(OUT, name + ".ref.png"))
        # picseek's decoder hands back the transformed pixels and reports orientation 1
        # (nothing left to apply); Pillow's own report is kept for the record.
        entries.append({"file": name, "width": ref.width, "height": ref.height,
                        "orientation": 1, "pillowOrientation": orientation,
                        "camera": meta.get("camera"), "takenAt": meta.get("takenAt"),
                        "reference": name + ".ref.png"})
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"images": entries}, f, indent=1)
        f.write("\n")
    enc = subprocess.run(["heif-enc", "--version"], capture_output=True, text=True).stdout
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README.format(pillow=PIL.__version__, numpy=np.__version__,
                              pillow_heif=pillow_heif.__version__,
                              libheif=pillow_heif.libheif_version(),
                              avif=features.version("avif"), seed=SEED,
                              heif_enc=enc.strip() or "unknown"))


README = """# HEIC/HEIF and AVIF decoding fixtures

Generated by `scripts/make_heif_fixtures.py` (Pillow, pillow-heif, numpy, heif-enc). Seed {seed}.
Versions: Pillow {pillow} (libavif {avif}), pillow-heif {pillow_heif} (libheif {libheif}),
numpy {numpy}, heif-enc {heif_enc}.

- `heic-*.heic`: written by pillow-heif: 4:2:0 8-bit, a grid of 64x64 tiles (3x2, the
  last column and row cut), 10-bit, alpha, 4:4:4, EXIF orientation 6 (which pillow-heif
  stores as an `irot` transform and keeps in the EXIF), two top-level images (the
  primary is decoded), BT.709 limited range (`heic-bt709-limited.heic`: an nclx profile,
  in the `colr` box and the stream's VUI, other than pillow-heif's default BT.601 full
  range), 71x47 (`heic-odd-size.heic`: coded as 72x48, cut by a `clap` box).
  `heic-exif-6-no-irot.heic` is written by heif-enc from a JPEG whose EXIF says 6:
  no transform, and pillow-heif resets the tag to 1, so the image stays as stored.
- `avif-*.avif`: written by Pillow's AVIF plugin (plain, alpha, 4:4:4, EXIF
  orientation 6). No 10-bit AVIF: Pillow writes 8-bit only, and Debian's heif-enc
  (libaom 3.6) aborts on 10-bit input.
- `*.ref.png`: `ImageOps.exif_transpose(Image.open(f)).convert("RGB")` at full size
  with `pillow_heif.register_heif_opener()` in effect (alpha dropped). Pillow opens
  AVIF with its own plugin (libavif), HEIC with pillow-heif.
- `manifest.json`: the expected upright size and EXIF facts of each file. `orientation`
  is what picseek reports, always 1: the container's transforms are applied by the
  decoder and nothing is left to apply. `pillowOrientation` is what Pillow reports after
  opening: pillow-heif resets the EXIF tag to 1; Pillow's AVIF plugin replaces it with
  the orientation the `irot`/`imir` transforms amount to (and does not turn the pixels,
  so `exif_transpose` does); either way the upright pixels are the same.
"""

if __name__ == "__main__":
    main()
