#!/usr/bin/env python3
"""`picseek embed --image` against the reference pipeline, one photo of each format.

Run with the reference virtualenv plus pillow-heif (see CONVENTIONS.md):

    <venv>/bin/pip install pillow-heif
    python scripts/check_format_embeddings.py --picseek .build/release/picseek \
        --model Tests/CLIPTests/Fixtures/tiny224 PHOTO...

For each photo the reference is what a Python user of the model does:
`ImageOps.exif_transpose(Image.open(photo)).convert("RGB")` (with
`pillow_heif.register_heif_opener()`; Pillow reads AVIF itself), the model folder's
`ChineseCLIPImageProcessor`, `ChineseCLIPModel.get_image_features`, L2-normalised. Pillow
cannot open camera RAW files: for those, pass `RAW=REFERENCE.png`, the reference decode of
the RAW's embedded preview (the RAW fixtures' `.ref.png`, made by Pillow from the preview
with the orientation rule in the README), and the reference embeds that.

Prints the cosine between picseek's vector (`picseek embed --model M --image PHOTO --json`,
exact decode) and the reference's per photo, and exits 1 when one is below --min-cosine
(0.9995, the bound the issue sets).
"""
import argparse
import json
import subprocess
import sys

import numpy as np
import pillow_heif
import torch
from PIL import Image, ImageOps
from transformers import ChineseCLIPImageProcessor, ChineseCLIPModel


def reference_vector(model, processor, path):
    image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    pixels = processor(images=image, return_tensors="pt")["pixel_values"].float()
    with torch.inference_mode():
        features = model.get_image_features(pixel_values=pixels)
    if not torch.is_tensor(features):
        features = features.pooler_output
    vector = features[0].numpy().astype(np.float64)
    return vector / np.linalg.norm(vector)


def picseek_vector(binary, model, path):
    done = subprocess.run([binary, "embed", "--model", model, "--image", path, "--json"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"exit {done.returncode}")
    row = json.loads(done.stdout.strip().splitlines()[0])
    vector = np.array(row["embedding"], dtype=np.float64)
    return vector / np.linalg.norm(vector)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--picseek", required=True)
    parser.add_argument("--model", required=True, help="a Chinese-CLIP model folder")
    parser.add_argument("--min-cosine", type=float, default=0.9995)
    parser.add_argument("photos", nargs="+", help="PHOTO, or RAW=REFERENCE.png for camera RAW")
    args = parser.parse_args()

    pillow_heif.register_heif_opener()
    model = ChineseCLIPModel.from_pretrained(args.model).eval()
    processor = ChineseCLIPImageProcessor.from_pretrained(args.model)
    worst = 1.0
    for item in args.photos:
        photo, _, reference = item.partition("=")
        try:
            ours = picseek_vector(args.picseek, args.model, photo)
        except RuntimeError as error:
            print(f"{photo}: picseek failed: {error}")
            worst = -1.0
            continue
        theirs = reference_vector(model, processor, reference or photo)
        cosine = float(ours @ theirs)
        worst = min(worst, cosine)
        print(f"{cosine:.7f}  {photo}" + (f"  (reference: {reference})" if reference else ""))
    print(f"lowest cosine {worst:.7f} (bound {args.min_cosine})")
    sys.exit(0 if worst >= args.min_cosine else 1)


if __name__ == "__main__":
    main()
