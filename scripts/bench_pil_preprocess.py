#!/usr/bin/env python3
"""Time PIL's preprocessing of one photo, the reference for `picseek bench images`.

Run with the reference virtualenv (see CONVENTIONS.md), on the file the Swift
benchmark writes:

    picseek bench images --save-jpeg bench24.jpg
    <reference-venv>/bin/python scripts/bench_pil_preprocess.py bench24.jpg

Other formats (pillow-heif in the virtualenv for HEIC; Pillow reads AVIF itself):
`--make FORMAT OUT` writes a generated 4000x3000 (12 MP) photo of that format
(jpeg, png, webp, gif, tiff, heic, avif; `heic-photo`: a photo-like HEIC instead, the
gallery's coffee photo upscaled bicubic with sigma 2 noise, pillow-heif quality 80, as
phone photos compress; `heic-photo-grid`: the same in 512x512 tiles, iPhone style;
`avif-photo`: the same photo as AVIF, Pillow's encoder, quality 80), and `--picseek BIN` also runs
`BIN bench images --format FORMAT --file PHOTO` on the same file and prints both
medians and their ratio:

    <reference-venv>/bin/python scripts/bench_pil_preprocess.py --make heic bench12.heic
    <reference-venv>/bin/python scripts/bench_pil_preprocess.py bench12.heic \
        --picseek .build/release/picseek

Per image, on one thread: open, `draft("RGB", 2 x target)` (DCT scaling), convert
to RGB, bicubic resize to the model input (squash 224 or shortest side 224 +
centre crop), /255 and mean/std normalisation to a planar float32 array, and a
256-pixel thumbnail (bicubic) from the same decoded image. Prints the median.
"""
import argparse
import io
import re
import statistics
import subprocess
import time

import numpy as np
import PIL
from PIL import Image

try:  # HEIC through pillow-heif, as the reference pipeline opens it
    import pillow_heif
    pillow_heif.register_heif_opener()
    pillow_heif.options.DECODE_THREADS = 1  # one thread, as `picseek bench images`
except ImportError:
    pillow_heif = None

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
SIZE = 224


def target(w, h, mode):
    if mode == "squash":
        return SIZE, SIZE
    short, long = min(w, h), max(w, h)
    new_long = int(SIZE * long / short)
    return (SIZE, new_long) if w <= h else (new_long, SIZE)


def preprocess(data, mode, draft):
    im = Image.open(io.BytesIO(data))
    tw, th = target(*im.size, mode)
    if draft:
        im.draft("RGB", (2 * tw, 2 * th))
    im = im.convert("RGB")
    resized = im.resize((tw, th), Image.BICUBIC)
    if mode == "crop":
        left, top = int(round((tw - SIZE) / 2.0)), int(round((th - SIZE) / 2.0))
        resized = resized.crop((left, top, left + SIZE, top + SIZE))
    x = (np.asarray(resized, dtype=np.float32) / 255.0 - MEAN) / STD
    x = np.ascontiguousarray(x.transpose(2, 0, 1))
    w, h = im.size
    long = max(w, h)
    tsize = (256, max(1, round(h * 256 / w))) if w >= h else (max(1, round(w * 256 / h)), 256)
    thumb = im.resize(tsize, Image.BICUBIC) if long > 256 else im
    return x, thumb


def bench(data, mode, draft, runs):
    """Median wall-clock and process-CPU milliseconds (CPU time is steadier on a shared machine;
    the process's, because HEVC and AV1 decoders work on threads of their own)."""
    preprocess(data, mode, draft)  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        preprocess(data, mode, draft)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return f"{statistics.median(wall) * 1000:.2f} ms wall, {statistics.median(cpu) * 1000:.2f} ms cpu"


FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "TIFF": "tiff",
           "HEIF": "heic", "AVIF": "avif"}


def synthetic(width=4000, height=3000, seed=20261204):
    """Gradients, hard-edged checks and per-pixel noise, like `ImagesBench.syntheticPhoto`."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    u, v = x * 255 // width, y * 255 // height
    n = rng.integers(-32, 32, (height, width))
    edge = np.where(((x // 97) + (y // 61)) % 2 == 0, 40, 0)
    rgb = np.stack([u + n + edge, v + (n >> 1) + edge, (u + v) // 2 - n], axis=-1)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")


def photo_like(width=4000, height=3000, seed=20261204):
    """The sample gallery's coffee photo upscaled, with sigma 2 sensor-like noise."""
    import os
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sample-gallery",
                       "photo-coffee.jpg")
    im = Image.open(src).convert("RGB").resize((width, height), Image.BICUBIC)
    noisy = np.asarray(im).astype(np.float32) + np.random.default_rng(seed).normal(
        0, 2, (height, width, 3))
    return Image.fromarray(np.clip(noisy + 0.5, 0, 255).astype(np.uint8), "RGB")


def make(fmt, path):
    if fmt.startswith("heic") and pillow_heif is None:
        raise SystemExit("--make heic needs pillow-heif in this virtualenv")
    if fmt == "avif-photo":
        photo_like().save(path, format="AVIF", quality=80)
        print(f"wrote {path}: 4000x3000 {fmt}")
        return
    if fmt in ("heic-photo", "heic-photo-grid"):
        pillow_heif.options.GRID_TILE_SIZE = 512 if fmt == "heic-photo-grid" else 0
        photo_like().save(path, format="HEIF", quality=80)
        print(f"wrote {path}: 4000x3000 {fmt}")
        return
    im = synthetic()
    options = {"jpeg": dict(format="JPEG", quality=90), "png": dict(format="PNG"),
               "webp": dict(format="WEBP", quality=90), "gif": dict(format="GIF"),
               "tiff": dict(format="TIFF"), "heic": dict(format="HEIF", quality=90),
               "avif": dict(format="AVIF", quality=90)}[fmt]
    im.save(path, **options)
    print(f"wrote {path}: {im.size[0]}x{im.size[1]} {fmt}")


def picseek_median(binary, fmt, path, mode, runs):
    """Runs `picseek bench images` on the same file; its median (wall, cpu) in ms."""
    out = subprocess.run([binary, "bench", "images", "--format", fmt, "--file", path,
                          "--mode", mode, "--runs", str(runs), "--exact-runs", "0"],
                         check=True, capture_output=True, text=True).stdout
    print(out.rstrip())
    m = re.search(r"median ([0-9.]+) ms wall, ([0-9.]+) ms cpu per image", out)
    if not m:
        raise SystemExit("no median in picseek's output")
    return float(m.group(1)), float(m.group(2))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("photo", nargs="?")
    ap.add_argument("--mode", choices=["squash", "crop"], default="squash")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--full-runs", type=int, default=5)
    ap.add_argument("--make", nargs=2, metavar=("FORMAT", "OUT"),
                    help="write a generated 12 MP photo of FORMAT to OUT and stop")
    ap.add_argument("--picseek", metavar="BIN", help="also time BIN bench images on the photo")
    args = ap.parse_args()
    if args.make:
        make(args.make[0], args.make[1])
        return
    if not args.photo:
        ap.error("a photo is needed (or --make)")
    with open(args.photo, "rb") as f:
        data = f.read()
    im = Image.open(io.BytesIO(data))
    fmt = FORMATS.get(im.format, im.format.lower())
    heif = f", pillow-heif {pillow_heif.__version__}" if pillow_heif else ""
    print(f"Pillow {PIL.__version__}{heif}, {fmt} {im.size[0]}x{im.size[1]}, {len(data)} bytes, "
          f"mode {args.mode}")
    ours = picseek_median(args.picseek, fmt, args.photo, args.mode, args.runs) \
        if args.picseek else None
    if fmt == "jpeg":
        pil = bench(data, args.mode, True, args.runs)
        print(f"PIL draft + bicubic + normalise + thumbnail: median {pil} ({args.runs} runs)")
        if args.full_runs > 0:
            print(f"PIL full decode + bicubic + normalise + thumbnail: median "
                  f"{bench(data, args.mode, False, args.full_runs)} ({args.full_runs} runs)")
    else:
        pil = bench(data, args.mode, False, args.runs)
        print(f"PIL decode + bicubic + normalise + thumbnail: median {pil} ({args.runs} runs)")
    if ours:
        wall, cpu = (float(v) for v in re.findall(r"([0-9.]+) ms", pil)[:2])
        print(f"Pillow / picseek: {wall / ours[0]:.2f}x wall, {cpu / ours[1]:.2f}x cpu "
              f"(above 1: picseek is faster)")


if __name__ == "__main__":
    main()
