#!/usr/bin/env python3
"""Generate the image-pipeline parity fixtures (and EXIF fuzz seeds) for Tests/ImagingTests/Fixtures.

Run with the reference virtualenv (see CONVENTIONS.md, "Regenerating fixtures"):

    <reference-venv>/bin/python scripts/make_image_fixtures.py

It draws small test photos procedurally (seeded), saves them in the formats the
pipeline must read, and writes for each the reference model input of two modes,
computed by the Python reference on the EXIF-transposed RGB image:

- squash-224: transformers' ChineseCLIPImageProcessorPil (size 224x224, no crop),
  Chinese-CLIP's preprocessing;
- crop-224: torchvision Resize(224, BICUBIC) + CenterCrop(224) + ToTensor +
  Normalize, OpenCLIP's preprocessing (open_clip.image_transform, inference).

The reference tensors are stored un-normalised as 8-bit RGB PNGs (the resized,
cropped image before /255 and mean/std): the script checks that normalising them
reproduces the processors' float tensors to 1e-5, so nothing is lost. The
RGB conversion is PIL's `convert("RGB")` (alpha and tRNS ignored), applied
before the processor, as picseek's pipeline does; see README "Image pipeline".
"""
import io
import json
import os
import struct
import sys
import zlib

import numpy as np
import PIL
import torch
import torchvision
import transformers
from PIL import Image, ImageOps
from torchvision import transforms as T
from transformers import CLIPImageProcessorPil, ChineseCLIPImageProcessorPil

SEED = 20260529
SIZE = 224
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ImagingTests",
                   "Fixtures", "parity")


def scene(w, h, seed, noise=4.0):
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
    stripes = (np.floor(x / max(w // 12, 2)) % 2 == 0) & (v > 0.75)
    r = np.where(stripes, 20, r)
    g = np.where(stripes, 20, g)
    b = np.where(stripes, 20, b)
    img = np.stack([r, g, b], -1) + rng.normal(0, noise, (h, w, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(arr, color_type, depth, interlace=False, extra=b""):
    """A minimal PNG writer (PIL cannot write 16-bit RGB or Adam7)."""
    h, w = arr.shape[:2]
    dtype = ">u2" if depth == 16 else "u1"

    def rows(sub):
        return b"".join(b"\0" + sub[y].astype(dtype).tobytes() for y in range(sub.shape[0]))

    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
                  (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for x0, y0, dx, dy in passes:
            sub = arr[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                raw += rows(sub)
    else:
        raw = rows(arr)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlace else 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra
            + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b""))


def exif_bytes(orientation=None, make=None, model=None, taken=None):
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    return exif.tobytes()


def jpeg(img, **kw):
    b = io.BytesIO()
    img.save(b, "JPEG", **kw)
    return b.getvalue()


def png(img, **kw):
    b = io.BytesIO()
    img.save(b, "PNG", **kw)
    return b.getvalue()


def make_images():
    """name -> (file bytes, expected metadata)"""
    out = {}
    s = lambda w, h, k, **kw: Image.fromarray(scene(w, h, SEED + k, **kw))
    out["landscape.jpg"] = (jpeg(s(320, 200, 1), quality=90), {})
    out["portrait.jpg"] = (jpeg(s(180, 300, 2), quality=90), {})
    out["tiny.jpg"] = (jpeg(s(3, 5, 3), quality=95), {})
    out["odd-crop.jpg"] = (jpeg(s(299, 224, 4), quality=90), {})
    out["grey.jpg"] = (jpeg(s(300, 240, 5).convert("L"), quality=90), {})
    cmyk = Image.fromarray(np.concatenate(
        [scene(260, 200, SEED + 6), scene(260, 200, SEED + 7)[..., :1]], -1), "CMYK")
    out["cmyk-adobe.jpg"] = (jpeg(cmyk, quality=90), {})
    out["progressive.jpg"] = (jpeg(s(300, 220, 8), quality=88, progressive=True), {})
    out["qtable16.jpg"] = (jpeg(s(200, 150, 9), qtables=[[300] * 64, [400] * 64]), {})
    out["large.jpg"] = (jpeg(s(1600, 1200, 10, noise=3.0), quality=85), {})
    taken = "2021:07:04 12:34:56"
    for o in range(1, 9):
        meta = {"orientation": o, "camera": "Canon EOS 5D", "takenAt": "2021-07-04 12:34:56"}
        data = jpeg(s(96, 64, 20 + o), quality=92,
                    exif=exif_bytes(o, "Canon", "Canon EOS 5D", taken))
        out[f"exif-orientation-{o}.jpg"] = (data, meta)
    out["exif-rotated-large.jpg"] = (
        jpeg(s(1200, 900, 30, noise=3.0), quality=90, exif=exif_bytes(6, "NIKON CORPORATION", "NIKON D750")),
        {"orientation": 6, "camera": "NIKON CORPORATION NIKON D750"})
    rgba = np.concatenate([scene(240, 180, SEED + 11), scene(240, 180, SEED + 12)[..., :1]], -1)
    out["alpha.png"] = (png(Image.fromarray(rgba, "RGBA")), {})
    pal = s(200, 160, 13).quantize(64, method=Image.Quantize.MEDIANCUT)
    out["palette.png"] = (png(pal, transparency=3), {})
    out["grey-alpha.png"] = (png(Image.fromarray(
        np.stack([scene(150, 110, SEED + 14)[..., 0], scene(150, 110, SEED + 15)[..., 1]], -1), "LA")), {})
    rgb16 = scene(180, 120, SEED + 16).astype(np.uint16) * 257 + np.random.default_rng(SEED).integers(
        0, 257, (120, 180, 3)).astype(np.uint16)
    out["rgb16.png"] = (write_png(rgb16, 2, 16), {})
    out["interlaced.png"] = (write_png(scene(130, 97, SEED + 17), 2, 8, interlace=True), {})
    out["exif-orientation-8.png"] = (
        png(s(120, 80, 18), exif=exif_bytes(8, None, "Pixel 7", "2023:01:02 03:04:05")),
        {"orientation": 8, "camera": "Pixel 7", "takenAt": "2023-01-02 03:04:05"})
    return out


def write_exif_seeds():
    """Small TIFF streams (EXIF payloads) that seed the EXIF fuzzer (scripts/fuzz/run.sh)."""
    out = os.path.join(OUT, "..", "exif-seeds")
    os.makedirs(out, exist_ok=True)

    def tiff(orientation, make, model, taken, pixels):
        exif = Image.Exif()
        if orientation:
            exif[0x0112] = orientation
        if make:
            exif[0x010F] = make
        if model:
            exif[0x0110] = model
        if taken:
            exif.get_ifd(0x8769)[0x9003] = taken
        if pixels:
            exif.get_ifd(0x8769)[0xA002], exif.get_ifd(0x8769)[0xA003] = pixels
        data = exif.tobytes()
        assert data[:6] == b"Exif\0\0"
        return data[6:]

    seeds = {
        "full-le.tiff": tiff(6, "Canon", "Canon EOS 5D", "2021:07:04 12:34:56", (4000, 3000)),
        "orientation-only.tiff": tiff(3, None, None, None, None),
        "dates.tiff": tiff(8, "X", "Y", "2020:01:01 00:00:00", (4000, 3000)),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


def reference_rgb(data):
    im = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    # A plain RGB copy: convert() keeps a "transparency" entry for palette files,
    # which transformers would otherwise composite on white.
    return Image.fromarray(np.array(im.convert("RGB")))


def squash_u8(rgb):
    return np.array(rgb.resize((SIZE, SIZE), Image.BICUBIC))


def crop_u8(rgb):
    t = T.Compose([T.Resize(SIZE, interpolation=T.InterpolationMode.BICUBIC), T.CenterCrop(SIZE)])
    return np.array(t(rgb))


def normalise(u8):
    x = u8.astype(np.float64) / 255.0
    return ((x - np.array(MEAN)) / np.array(STD)).transpose(2, 0, 1)


def check_against_processors(rgb, squash, crop):
    """The stored uint8 images must reproduce the reference float tensors."""
    cn = ChineseCLIPImageProcessorPil(size={"height": SIZE, "width": SIZE}, do_center_crop=False)
    ref = cn(rgb, return_tensors="np")["pixel_values"][0]
    assert np.abs(ref - normalise(squash)).max() < 1e-5, "squash reference mismatch"
    tv = T.Compose([T.Resize(SIZE, interpolation=T.InterpolationMode.BICUBIC), T.CenterCrop(SIZE),
                    T.ToTensor(), T.Normalize(MEAN, STD)])(rgb).numpy()
    assert np.abs(tv - normalise(crop)).max() < 1e-5, "crop reference mismatch"
    hf = CLIPImageProcessorPil()(rgb, return_tensors="np")["pixel_values"][0]
    return float(np.abs(hf - tv).max() * 255 * max(STD))


def main():
    os.makedirs(OUT, exist_ok=True)
    write_exif_seeds()
    manifest = []
    for name, (data, meta) in sorted(make_images().items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        rgb = reference_rgb(data)
        squash, crop = squash_u8(rgb), crop_u8(rgb)
        hf_vs_tv = check_against_processors(rgb, squash, crop)
        stem = name
        Image.fromarray(squash).save(os.path.join(OUT, f"{stem}.squash224.ref.png"), optimize=True)
        Image.fromarray(crop).save(os.path.join(OUT, f"{stem}.crop224.ref.png"), optimize=True)
        entry = {"file": name, "width": rgb.width, "height": rgb.height,
                 "orientation": meta.get("orientation", 1), "camera": meta.get("camera"),
                 "takenAt": meta.get("takenAt"),
                 "squash": f"{stem}.squash224.ref.png", "crop": f"{stem}.crop224.ref.png"}
        manifest.append(entry)
        print(f"{name}: {rgb.width}x{rgb.height}, CLIPImageProcessor vs torchvision crop "
              f"max diff {hf_vs_tv:.1f}/255")
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"size": SIZE, "mean": MEAN, "std": STD, "images": manifest}, f, indent=1)
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(f"""# Image pipeline parity fixtures

Generated by `scripts/make_image_fixtures.py` (run it with the reference
virtualenv; see CONVENTIONS.md). Seed {SEED}. Versions: Pillow {PIL.__version__},
transformers {transformers.__version__}, torchvision {torchvision.__version__},
torch {torch.__version__}, numpy {np.__version__}.

- `*.jpg`, `*.png`: procedurally drawn inputs (JPEG baseline, progressive,
  greyscale, Adobe CMYK, 16-bit quantisation tables, EXIF orientations 1-8,
  PNG RGBA, LA, palette with tRNS, 16-bit RGB, Adam7 interlaced, eXIf chunk).
- `*.squash224.ref.png`: ChineseCLIPImageProcessorPil (224x224 squash) output,
  un-normalised to 8-bit RGB.
- `*.crop224.ref.png`: torchvision Resize(224, bicubic) + CenterCrop(224)
  (OpenCLIP inference transform) output, un-normalised.
- `manifest.json`: size, mean/std and the expected upright size and EXIF facts.

The reference RGB image is `ImageOps.exif_transpose(Image.open(f)).convert("RGB")`.
""")


if __name__ == "__main__":
    sys.exit(main())
