#!/usr/bin/env python3
"""Held-out retrieval evaluation of picseek's demo model.

Run with the reference virtualenv. Two steps:

    # 1. write the held-out set (images + captions file), seed 3, 600 scenes
    python3 scripts/demo/evaluate.py write --out models/picseek-demo/eval
    # 2. score a model on it (prints JSON; --json FILE also writes it); --queries adds
    #    query sets ranked against the same images (the paraphrase set)
    python3 scripts/demo/evaluate.py score --model models/picseek-demo \
        --captions models/picseek-demo/eval/captions.jsonl \
        --queries models/picseek-demo/eval/paraphrases.jsonl

The paraphrase set (`queries` step) is written by hand, not by the generator: one line per
query, {"en": ..., "zh": ..., "mentioned": {...}}. `evaluate.py queries` checks that no line
can be a caption of `scenes.py` (every English and every Chinese query contains a word or a
Chinese character that appears nowhere in scenes.py's source, so the generator cannot emit
it) and fills in each line's "matches" from its "mentioned" attributes with the hit rule,
against the images of the captions file.

Captions file (JSONL, one line per held-out image, in gallery order):
    {"image": "images/scene-0000.jpg",      # path relative to the captions file
     "en": "...", "zh": "...",              # one caption per language, same attributes
     "attributes": {...},                   # the scene's generating attributes
     "mentioned": {...},                    # the attributes the captions state
     "matches": ["images/scene-0000.jpg", ...]}  # images that count as hits

Metric (what `picseek eval --captions FILE` must reproduce):
  * Gallery: every line's image, decoded from disk, converted to RGB, squash-resized to the
    model's input size with PIL-style bicubic (resample 3), scaled by 1/255 and normalised
    with OpenAI CLIP mean/std; embedded with the vision tower + visual_projection, L2-normalised.
  * Queries: each line's "en" (English run) or "zh" (Chinese run) caption, BERT WordPiece with
    the model's vocab.txt (lower case), [CLS] + first 50 tokens + [SEP]; text tower, [CLS]
    state, text_projection, L2-normalised.
  * Score = cosine similarity. Images are ranked by descending score, ties by file order.
  * A query is a hit at K if any of its top-K images is in its "matches" list.
    Recall@K = hits / number of queries, for K = 1 and 5, per language.
  * "matches" is precomputed with `scenes.matches` (the hit rule): an image matches a caption
    when the caption's mentioned attributes are a subset of the image's attributes (scene-level
    fields equal; each mentioned object equals an image object of the same kind on every field
    the caption states). The caption's own image always matches.
"""
import argparse
import json
import os
import random
import re
import sys

import numpy as np
import torch
from PIL import Image
from transformers import BertTokenizer, ChineseCLIPModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402
import train  # noqa: E402


def write(args):
    rng = random.Random(args.seed)
    img_dir = os.path.join(args.out, "images")
    os.makedirs(img_dir, exist_ok=True)
    rows = []
    for i in range(args.count):
        scene = scenes.sample_scene(rng)
        img = scenes.render(scene, rng)
        scale = args.max_side / max(img.size)
        if scale < 1:
            img = img.resize((round(img.size[0] * scale), round(img.size[1] * scale)),
                             Image.BICUBIC)
        rel = "images/scene-%04d.jpg" % i
        img.save(os.path.join(args.out, rel), "JPEG", quality=args.quality)
        en, zh, m = scenes.caption(scene, rng)
        rows.append({"image": rel, "en": en, "zh": zh, "attributes": scene, "mentioned": m})
    for r in rows:
        r["matches"] = [o["image"] for o in rows if scenes.matches(r["mentioned"], o["attributes"])]
    with open(os.path.join(args.out, "captions.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    sizes = [len(r["matches"]) for r in rows]
    print("wrote %d images; matches per caption: mean %.2f, median %d, max %d"
          % (len(rows), sum(sizes) / len(sizes), sorted(sizes)[len(sizes) // 2], max(sizes)))


WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def novel_tokens(text, source):
    """The English words and the CJK characters of `text` that occur nowhere in `source`
    (scenes.py's text). Words are lower-case runs of letters and digits, joined by ' or -,
    taken the same way from both texts. The generator emits only the text of its string
    literals, joined at word boundaries (a space or punctuation), so a query with one of
    these cannot be a generated caption."""
    known = set(WORD.findall(source.lower()))
    return ([w for w in WORD.findall(text.lower()) if w not in known]
            + [c for c in text if "\u3400" <= c <= "\u9fff" and c not in source])


def queries(args):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenes.py"),
              encoding="utf-8") as f:
        source = f.read()
    with open(args.captions, encoding="utf-8") as f:
        gallery = [json.loads(line) for line in f if line.strip()]
    with open(args.queries, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    bad = []
    for n, r in enumerate(rows, 1):
        for lang in ("en", "zh"):
            if not novel_tokens(r[lang], source):
                bad.append("line %d %s %r: every word is in scenes.py" % (n, lang, r[lang]))
        r["matches"] = [g["image"] for g in gallery
                        if scenes.matches(r["mentioned"], g["attributes"])]
        if not r["matches"]:
            bad.append("line %d: no image of %s matches" % (n, args.captions))
    if bad:
        sys.exit("\n".join(bad))
    with open(args.queries, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    sizes = sorted(len(r["matches"]) for r in rows)
    print("%d queries; matches per query: mean %.2f, median %d, max %d"
          % (len(rows), sum(sizes) / len(sizes), sizes[len(sizes) // 2], sizes[-1]))


def _recall(sims, rows, index):
    hits = {1: 0, 5: 0}
    for q, r in enumerate(rows):
        # Stable sort on -score: ties keep file order.
        order = np.argsort(-sims[q], kind="stable")
        good = {index[p] for p in r["matches"]}
        for k in hits:
            hits[k] += any(int(j) in good for j in order[:k])
    return {"R@1": round(hits[1] / len(rows), 4), "R@5": round(hits[5] / len(rows), 4)}


@torch.no_grad()
def score(args):
    torch.set_num_threads(args.threads)
    base = os.path.dirname(os.path.abspath(args.captions))
    with open(args.captions, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    model = ChineseCLIPModel.from_pretrained(args.model).float().eval()
    size = model.config.vision_config.image_size
    tok = BertTokenizer(os.path.join(args.model, "vocab.txt"), do_lower_case=True)
    pixels = np.stack([train.to_input_pixels(Image.open(os.path.join(base, r["image"])), size)
                       for r in rows])
    img = torch.cat([train.encode_image(model, train.normalise(pixels[s:s + 256]))
                     for s in range(0, len(pixels), 256)])
    index = {r["image"]: i for i, r in enumerate(rows)}
    dump = {"images": [{"image": r["image"], "embedding": [round(v, 6) for v in img[i].tolist()]}
                       for i, r in enumerate(rows[:args.dump_count])]}
    result = {"model": os.path.basename(os.path.normpath(args.model)), "queries": len(rows)}
    for lang in ("en", "zh"):
        ids = train.tokenize(tok, [r[lang] for r in rows])
        txt = torch.cat([train.encode_text(model, ids[s:s + 256]) for s in range(0, len(ids), 256)])
        sims = (txt @ img.T).numpy()
        dump[lang] = [{"text": r[lang], "ids": [int(t) for t in ids[i] if t != 0],
                       "embedding": [round(v, 6) for v in txt[i].tolist()]}
                      for i, r in enumerate(rows[:args.dump_count])]
        result[lang] = _recall(sims, rows, index)
    for path in args.queries or []:
        with open(path, encoding="utf-8") as f:
            qrows = [json.loads(line) for line in f if line.strip()]
        entry = {"file": os.path.basename(path), "queries": len(qrows)}
        for lang in ("en", "zh"):
            ids = train.tokenize(tok, [r[lang] for r in qrows])
            txt = torch.cat([train.encode_text(model, ids[s:s + 256])
                             for s in range(0, len(ids), 256)])
            entry[lang] = _recall((txt @ img.T).numpy(), qrows, index)
        result.setdefault("query_sets", []).append(entry)
    print(json.dumps(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            json.dump(dump, f, ensure_ascii=False)
            f.write("\n")


def main():
    ap = argparse.ArgumentParser(description="held-out retrieval evaluation of the demo model")
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write", help="generate the held-out images and captions file")
    w.add_argument("--out", required=True)
    w.add_argument("--seed", type=int, default=3)
    w.add_argument("--count", type=int, default=600)
    w.add_argument("--max-side", type=int, default=160)
    w.add_argument("--quality", type=int, default=90)
    s = sub.add_parser("score", help="text-to-image Recall@1/@5 per language")
    s.add_argument("--model", required=True)
    s.add_argument("--captions", required=True)
    s.add_argument("--json", help="also write the result here")
    s.add_argument("--queries", action="append", help="a query set (JSONL: en, zh, matches) "
                   "ranked against the captions file's images; may be repeated")
    s.add_argument("--threads", type=int, default=1)
    s.add_argument("--dump", help="write the first --dump-count L2-normalised image and text "
                   "embeddings (and token ids) here, as a reference for other implementations")
    s.add_argument("--dump-count", type=int, default=4)
    q = sub.add_parser("queries", help="check a hand-written query set against the caption "
                       "generator and fill in its matches (rewrites the file)")
    q.add_argument("--captions", required=True, help="the captions file whose images are ranked")
    q.add_argument("--queries", required=True)
    args = ap.parse_args()
    {"write": write, "score": score, "queries": queries}[args.cmd](args)


if __name__ == "__main__":
    main()
