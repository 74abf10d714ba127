#!/usr/bin/env python3
"""Precision@5 of picseek's own search over the sample gallery, for the README's twenty queries.

Run with Pillow installed (scenes.py draws with it), e.g. the reference virtualenv, from the
repository root:

    python3 scripts/demo/gallery_precision.py --picseek .build/release/picseek \
        --model models/picseek-demo

Indexes `sample-gallery/` with the model into a fresh index in a temporary folder, runs each
query through `picseek search --top 5 --json`, and judges every result with the hit rule
(`scenes.matches`) against what `models/picseek-demo/gallery-scenes.jsonl` says the picture
shows. Prints each query's hits (+ right, - wrong) and the precision@5 per language.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# (English, Chinese, what a right picture must show)
QUERIES = [
    ("a snowy landscape after dark", "天黑后的雪景",
     {"background": "snow", "time": "night", "objects": []}),
    ("boats on the sea at night", "夜里海上的船",
     {"background": "sea", "time": "night", "objects": [{"kind": "boat"}]}),
    ("a car", "一辆车", {"objects": [{"kind": "car"}]}),
    ("fluffy clouds", "蓬松的白云", {"objects": [{"kind": "cloud"}]}),
    ("houses in the snow at night", "夜晚雪地上的房子",
     {"background": "snow", "time": "night", "objects": [{"kind": "house"}]}),
    ("a red car", "一辆红色的车", {"objects": [{"kind": "car", "colour": "red"}]}),
    ("a green triangle", "绿色三角", {"objects": [{"kind": "triangle", "colour": "green"}]}),
    ("a yellow circle", "黄色的圆", {"objects": [{"kind": "circle", "colour": "yellow"}]}),
    ("the moon in the night sky", "夜空中的月亮", {"objects": [{"kind": "moon"}]}),
    ("flowers on a lawn", "草坪上的花",
     {"background": "grass", "objects": [{"kind": "flower"}]}),
]


def main():
    ap = argparse.ArgumentParser(description="precision@5 of picseek search on the gallery")
    ap.add_argument("--picseek", required=True, help="the picseek executable")
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "picseek-demo"))
    ap.add_argument("--gallery", default=os.path.join(ROOT, "sample-gallery"))
    ap.add_argument("--scenes", default=os.path.join(
        ROOT, "models", "picseek-demo", "gallery-scenes.jsonl"))
    args = ap.parse_args()
    with open(args.scenes, encoding="utf-8") as f:
        shows = {r["image"]: r["attributes"] for r in map(json.loads, f) if r}
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "index.sqlite")
        subprocess.run([args.picseek, "index", args.gallery, "--model", args.model, "--db", db,
                        "--no-ocr"], check=True, stdout=subprocess.DEVNULL)
        right = {"en": 0, "zh": 0}
        for en, zh, want in QUERIES:
            for lang, query in (("en", en), ("zh", zh)):
                out = subprocess.run(
                    [args.picseek, "search", "--model", args.model, "--db", db, "--top", "5",
                     "--json", query], check=True, capture_output=True, text=True).stdout
                names = [os.path.basename(json.loads(line)["path"])
                         for line in out.splitlines() if line.strip()]
                hits = [n in shows and scenes.matches(want, shows[n]) for n in names]
                right[lang] += sum(hits)
                print("%d/5 %s  %s" % (sum(hits), query, " ".join(
                    ("+" if h else "-") + n for h, n in zip(hits, names))))
    n = 5 * len(QUERIES)
    print("precision@5 en %.2f zh %.2f" % (right["en"] / n, right["zh"] / n))


if __name__ == "__main__":
    main()
