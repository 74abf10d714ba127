#!/usr/bin/env python3
"""Searches a folder of pictures with the demo model (a reference for picseek's own search).

Run with the reference virtualenv:

    python3 scripts/demo/query.py --model models/picseek-demo --folder sample-gallery \
        "two red circles" "夜晚海上的一艘船"

Pictures are decoded with their EXIF orientation applied, then preprocessed exactly as in
evaluate.py. With --check FILE (gallery-scenes.jsonl) it also says, for each of the top
results, whether its generating attributes match the query line of that file with the same
caption (only for queries taken from that file).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from PIL import Image, ImageOps
from transformers import BertTokenizer, ChineseCLIPModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402
import train  # noqa: E402

EXTENSIONS = (".jpg", ".jpeg", ".png")


@torch.no_grad()
def main():
    ap = argparse.ArgumentParser(description="search a folder with the demo model")
    ap.add_argument("--model", required=True)
    ap.add_argument("--folder", required=True)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--check", help="gallery-scenes.jsonl: mark top results that match")
    ap.add_argument("queries", nargs="+")
    args = ap.parse_args()
    torch.set_num_threads(1)
    model = ChineseCLIPModel.from_pretrained(args.model).float().eval()
    size = model.config.vision_config.image_size
    tok = BertTokenizer(os.path.join(args.model, "vocab.txt"), do_lower_case=True)
    names = sorted(n for n in os.listdir(args.folder) if n.lower().endswith(EXTENSIONS))
    pixels = np.stack([train.to_input_pixels(
        ImageOps.exif_transpose(Image.open(os.path.join(args.folder, n))), size) for n in names])
    img = torch.cat([train.encode_image(model, train.normalise(pixels[s:s + 256]))
                     for s in range(0, len(pixels), 256)])
    known = {}
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        attrs = {r["image"]: r["attributes"] for r in rows}
        for r in rows:
            known[r["en"]] = known[r["zh"]] = r["mentioned"]
    txt = train.encode_text(model, train.tokenize(tok, args.queries))
    sims = (txt @ img.T).numpy()
    for q, query in enumerate(args.queries):
        print(query)
        for j in np.argsort(-sims[q], kind="stable")[:args.top]:
            mark = ""
            if query in known:
                ok = names[j] in attrs and scenes.matches(known[query], attrs[names[j]])
                mark = "  match" if ok else "  -"
            print("  %.3f  %s%s" % (sims[q, j], names[j], mark))


if __name__ == "__main__":
    main()
