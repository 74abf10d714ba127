#!/usr/bin/env python3
"""Generate the WebP, GIF and TIFF decoding fixtures for Tests/ImagingTests/Fixtures/formats.

Run with a virtualenv holding Pillow, numpy and tifffile (for tiled, 16-bit
RGB and planar TIFFs, which Pillow does not write):

    python3 -m venv <venv> && <venv>/bin/pip install pillow numpy tifffile
    <venv>/bin/python scripts/make_format_fixtures.py

It draws small test photos procedurally (seeded), saves them with Pillow in the
variants the decoders must read, and writes for each the reference RGB image,
`ImageOps.exif_transpose(Image.open(f)).convert("RGB")` at full size, as an
8-bit RGB PNG (`<file>.ref.png`). `manifest.json` lists every file with its
upright size and EXIF facts. The Swift tests decode each file in exact mode and
compare with the reference, 1/255 per sample at most.
"""
import io
import json
import os

import numpy as np
import PIL
from PIL import Image, ImageOps, features

SEED = 20261204
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ImagingTests",
                   "Fixtures", "formats")


def scene(w, h, seed):
    """A smooth photo-like RGB scene: gradients, a disc, stripes, mild noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    u, v = x / max(w - 1, 1), y / max(h - 1, 1)
    r = 40 + 180 * u
    g = 60 + 150 * v
    b = 200 - 120 * u * v
    cx, cy, rad = w * rng.uniform(0.3, 0.7), h * rng.uniform(0.3, 0.7), min(w, h) * 0.25
    disc = ((x - cx) ** 2 + (y - cy) ** 2) < rad ** 2
    r = np.where(disc, 230, r)
    g = np.where(disc, 200 - 80 * u, g)
    b = np.where(disc, 40, b)
    img = np.stack([r, g, b], axis=-1) + rng.normal(0, 4.0, (h, w, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def alpha_plane(w, h):
    """An alpha ramp with a fully transparent band and a fully opaque band."""
    y, x = np.mgrid[0:h, 0:w]
    a = (x * 255 // max(w - 1, 1)).astype(np.uint8)
    a[: h // 4] = 0
    a[-h // 4:] = 255
    return a


def exif_bytes(orientation=None, make=None, model=None, taken=None):
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    return exif.tobytes()


def rgb(w, h, seed):
    return Image.fromarray(scene(w, h, seed), "RGB")


def rgba(w, h, seed):
    return Image.fromarray(np.dstack([scene(w, h, seed), alpha_plane(w, h)]), "RGBA")


def webp_files():
    yield "webp-lossy.webp", lambda f: rgb(96, 64, 1).save(f, "WEBP", quality=80), {}
    yield "webp-lossless.webp", lambda f: rgb(80, 60, 2).save(f, "WEBP", lossless=True), {}
    yield "webp-lossy-alpha.webp", lambda f: rgba(64, 48, 3).save(f, "WEBP", quality=85), {}
    yield ("webp-lossless-alpha.webp",
           lambda f: rgba(50, 40, 4).save(f, "WEBP", lossless=True, exact=True), {})

    def animated(f):
        frames = [rgb(72, 48, 10 + i) for i in range(3)]
        frames[0].save(f, "WEBP", save_all=True, append_images=frames[1:], duration=100,
                       loop=0, lossless=True)
    yield "webp-animated.webp", animated, {}

    def animated_alpha(f):
        frames = [rgba(40, 32, 20 + i) for i in range(2)]
        frames[0].save(f, "WEBP", save_all=True, append_images=frames[1:], duration=80,
                       quality=90)
    yield "webp-animated-alpha.webp", animated_alpha, {}

    taken = "2022:05:06 07:08:09"
    yield ("webp-exif-orientation-6.webp",
           lambda f: rgb(96, 64, 5).save(f, "WEBP", quality=90,
                                         exif=exif_bytes(6, "FUJIFILM", "X-T4", taken)),
           {"orientation": 6, "camera": "FUJIFILM X-T4", "takenAt": "2022-05-06 07:08:09"})
    yield ("webp-exif-orientation-3.webp",
           lambda f: rgb(60, 40, 6).save(f, "WEBP", lossless=True, exif=exif_bytes(3)),
           {"orientation": 3})
    yield "webp-tiny.webp", lambda f: rgb(1, 1, 7).save(f, "WEBP", lossless=True), {}


def gif_files():
    yield "gif-palette.gif", lambda f: rgb(96, 64, 30).save(f, "GIF", interlace=False), {}
    yield "gif-interlaced.gif", lambda f: rgb(64, 80, 31).save(f, "GIF", interlace=True), {}
    yield "gif-grey.gif", lambda f: rgb(48, 40, 32).convert("L").save(f, "GIF"), {}

    def transparent(f):
        im = rgb(60, 44, 33).quantize(64)
        px = np.array(im)
        px[: 11] = 5  # a band of the transparent index
        out = Image.fromarray(px, "P")
        out.putpalette(im.getpalette())
        out.save(f, "GIF", transparency=5)
    yield "gif-transparent.gif", transparent, {}

    def animated(f):
        frames = [rgb(72, 48, 40 + i) for i in range(3)]
        frames[0].save(f, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    yield "gif-animated.gif", animated, {}
    yield "gif-tiny.gif", lambda f: rgb(1, 1, 34).save(f, "GIF"), {}

    def screen(width, height, transparency):
        """A 40x30 frame on a logical screen of another size (bytes 6-9 patched)."""
        def write(f):
            buf = io.BytesIO()
            im = rgb(40, 30, 35).quantize(16)
            im.save(buf, "GIF", interlace=False,
                    **({"transparency": transparency} if transparency is not None else {}))
            data = bytearray(buf.getvalue())
            data[6:10] = width.to_bytes(2, "little") + height.to_bytes(2, "little")
            f.write(bytes(data))
        return write
    yield "gif-frame-inside-screen.gif", screen(64, 50, None), {}
    yield "gif-frame-inside-screen-transparent.gif", screen(64, 50, 3), {}
    yield "gif-frame-outgrows-screen.gif", screen(20, 10, None), {}


def tiff_files():
    import tifffile

    def tf(array, **kw):
        def write(f):
            tifffile.imwrite(f, array, **kw)
        return write

    yield "tiff-rgb8.tif", lambda f: rgb(96, 64, 50).save(f, "TIFF"), {}
    yield ("tiff-rgb8-lzw.tif",
           lambda f: rgb(80, 60, 51).save(f, "TIFF", compression="tiff_lzw"), {})
    yield ("tiff-grey8-deflate.tif",
           lambda f: rgb(64, 48, 52).convert("L").save(f, "TIFF", compression="tiff_adobe_deflate"),
           {})
    ramp = (np.arange(40 * 56).reshape(40, 56) * 7 % 700).astype(np.uint16)
    yield "tiff-grey16.tif", lambda f: Image.fromarray(ramp).save(f, "TIFF"), {}
    yield "tiff-grey16-tiled.tif", tf(ramp, tile=(16, 16), photometric="minisblack"), {}
    yield "tiff-palette.tif", lambda f: rgb(70, 50, 53).quantize(32).save(f, "TIFF"), {}
    yield "tiff-cmyk.tif", lambda f: rgb(64, 40, 54).convert("CMYK").save(f, "TIFF"), {}
    yield ("tiff-rgb8-tiled.tif",
           tf(scene(72, 56, 55), tile=(32, 32), photometric="rgb", compression="zlib"), {})
    big = (scene(48, 32, 56).astype(np.uint16) * 257 + 100)
    yield "tiff-rgb16.tif", tf(big, photometric="rgb"), {}

    def pages(f):
        first, second = rgb(60, 40, 57), rgb(30, 30, 58)
        first.save(f, "TIFF", save_all=True, append_images=[second])
    yield "tiff-two-pages.tif", pages, {}
    for o in (3, 6, 8):
        yield (f"tiff-orientation-{o}.tif",
               lambda f, o=o: rgb(90, 60, 60 + o).save(
                   f, "TIFF", tiffinfo={274: o, 271: "Leica", 272: "M11"}),
               {"orientation": o, "camera": "Leica M11"})
    yield "tiff-tiny.tif", lambda f: rgb(1, 1, 70).save(f, "TIFF"), {}


def main():
    os.makedirs(OUT, exist_ok=True)
    entries = []
    for name, write, meta in list(webp_files()) + list(gif_files()) + list(tiff_files()):
        buf = io.BytesIO()
        write(buf)
        data = buf.getvalue()
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        with Image.open(io.BytesIO(data)) as im:
            ref = ImageOps.exif_transpose(im).convert("RGB")
        ref.save(os.path.join(OUT, name + ".ref.png"))
        entries.append({"file": name, "width": ref.width, "height": ref.height,
                        "orientation": meta.get("orientation", 1),
                        "camera": meta.get("camera"), "takenAt": meta.get("takenAt"),
                        "reference": name + ".ref.png"})
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"images": entries}, f, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README.format(pillow=PIL.__version__, numpy=np.__version__,
                              webp=features.version("webp"), seed=SEED,
                              tifffile=__import__("tifffile").__version__))


README = """# WebP, GIF and TIFF decoding fixtures

Generated by `scripts/make_format_fixtures.py` (Pillow, numpy, tifffile). Seed {seed}.
Versions: Pillow {pillow} (libwebp {webp}), numpy {numpy}, tifffile {tifffile}.

- `*.webp`: lossy, lossless, lossy and lossless with alpha, animated (lossless,
  and lossy with alpha), EXIF orientations 6 and 3 with camera and date, 1x1.
- `*.gif`: adaptive palette (plain and interlaced), greyscale, a transparent
  index, animated (first frame decoded), 1x1, a first frame smaller than the
  logical screen (with and without a transparent index) and one larger than it.
- `*.tif`: 8-bit RGB (plain, LZW, tiled deflate), 8-bit grey, 16-bit grey in
  strips and tiles (Pillow clips "I;16" to 255 when converting to RGB), palette,
  CMYK, 16-bit RGB, two pages (first decoded),
  Orientation tags 3, 6 and 8 with Make and Model, 1x1.
- `*.ref.png`: `ImageOps.exif_transpose(Image.open(f)).convert("RGB")` at full
  size (alpha dropped, as `convert("RGB")` does).
- `manifest.json`: the expected upright size and EXIF facts of each file.
"""

if __name__ == "__main__":
    main()
