#!/usr/bin/env python3
"""Time PIL's preprocessing of one JPEG, the reference for `picseek bench images`.

Run with the reference virtualenv (see CONVENTIONS.md), on the file the Swift
benchmark writes:

    picseek bench images --save-jpeg bench24.jpg
    <reference-venv>/bin/python scripts/bench_pil_preprocess.py bench24.jpg

Per image, on one thread: open, `draft("RGB", 2 x target)` (DCT scaling), convert
to RGB, bicubic resize to the model input (squash 224 or shortest side 224 +
centre crop), /255 and mean/std normalisation to a planar float32 array, and a
256-pixel thumbnail (bicubic) from the same decoded image. Prints the median.
"""
import argparse
import io
import statistics
import time

import numpy as np
import PIL
from PIL import Image

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
    """Median wall-clock and thread-CPU milliseconds (CPU time is steadier on a shared machine)."""
    preprocess(data, mode, draft)  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.thread_time()
        preprocess(data, mode, draft)
        wall.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
    return f"{statistics.median(wall) * 1000:.2f} ms wall, {statistics.median(cpu) * 1000:.2f} ms cpu"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jpeg")
    ap.add_argument("--mode", choices=["squash", "crop"], default="squash")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--full-runs", type=int, default=5)
    args = ap.parse_args()
    with open(args.jpeg, "rb") as f:
        data = f.read()
    im = Image.open(io.BytesIO(data))
    print(f"Pillow {PIL.__version__}, {im.size[0]}x{im.size[1]}, {len(data)} bytes, mode {args.mode}")
    print(f"PIL draft + bicubic + normalise + thumbnail: median {bench(data, args.mode, True, args.runs)}"
          f" ({args.runs} runs)")
    if args.full_runs > 0:
        print(f"PIL full decode + bicubic + normalise + thumbnail: median "
              f"{bench(data, args.mode, False, args.full_runs)} ({args.full_runs} runs)")


if __name__ == "__main__":
    main()
