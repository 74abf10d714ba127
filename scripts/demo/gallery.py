#!/usr/bin/env python3
"""Writes sample-gallery/: generated scenes (held-out seed) plus a few free real photographs.

Run with the reference virtualenv (PIL, numpy):

    python3 scripts/demo/gallery.py --out sample-gallery \
        --scenes-file models/picseek-demo/gallery-scenes.jsonl [--photos DIR]

* 300 scenes from `scenes.py` with seed 4 (training uses 1, validation 2, evaluation 3):
  most as JPEG (quality 80), every 7th as PNG, and 11 JPEGs whose pixels are stored rotated
  with an EXIF Orientation tag (3, 6 or 8) so that a viewer applying the tag shows them upright.
  File names are neutral (scene-0001.jpg); what each one shows, with an English and a Chinese
  caption, goes to --scenes-file (for tests and for checking search results by hand).
* --photos DIR: a folder holding scikit-image's sample data (`skimage/data` from the
  scikit-image wheel on PyPI); the photographs listed in PHOTOS are converted to JPEG. Their
  sources and licences are written to sample-gallery/LICENSES.
"""
import argparse
import json
import os
import random
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402

# file in skimage/data -> (gallery name, description, author/source, licence)
PHOTOS = {
    "astronaut.png": ("photo-astronaut.jpg", "astronaut Eileen Collins",
                      "NASA (NASA Great Images database, https://flic.kr/p/r9qvLn)",
                      "public domain (no known copyright restrictions)"),
    "chelsea.png": ("photo-cat.jpg", "Chelsea the cat", "Stefan van der Walt", "CC0"),
    "coffee.png": ("photo-coffee.jpg", "a cup of coffee (courtesy of Pikolo Espresso Bar)",
                   "Rachel Michetti", "CC0"),
    "rocket.jpg": ("photo-rocket.jpg", "launch of DSCOVR on a Falcon 9",
                   "SpaceX (https://www.flickr.com/photos/spacexphotos/16511594820/)",
                   "public domain (released by SpaceX)"),
    "hubble_deep_field.jpg": ("photo-deep-field.jpg", "Hubble eXtreme Deep Field",
                              "NASA (HubbleSite, 2012 release 37)", "public domain (NASA)"),
    "camera.png": ("photo-camera.jpg", "a person with a camera (grey-level)", "Lav Varshney",
                   "CC0"),
}

# Orientation tag -> transpose that turns the upright picture into the stored pixels.
ORIENT = {3: Image.ROTATE_180, 6: Image.ROTATE_90, 8: Image.ROTATE_270}


def main():
    ap = argparse.ArgumentParser(description="write picseek's sample gallery")
    ap.add_argument("--out", required=True)
    ap.add_argument("--scenes-file", required=True)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--photos", help="folder with scikit-image's data files")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    rows = []
    oriented = 0
    for i in range(1, args.count + 1):
        scene = scenes.sample_scene(rng)
        img = scenes.render(scene, rng)
        en, zh, m = scenes.caption(scene, rng)
        row = {"en": en, "zh": zh, "attributes": scene, "mentioned": m}
        if i % 7 == 0:
            name = "scene-%04d.png" % i
            img.save(os.path.join(args.out, name), optimize=True)
        elif i % 23 == 5 and oriented < 11:
            tag = (3, 6, 8)[oriented % 3]
            oriented += 1
            name = "scene-%04d.jpg" % i
            exif = Image.Exif()
            exif[0x0112] = tag  # Orientation
            img.transpose(ORIENT[tag]).save(os.path.join(args.out, name), "JPEG", quality=80,
                                            exif=exif.tobytes())
            row["exif_orientation"] = tag
        else:
            name = "scene-%04d.jpg" % i
            img.save(os.path.join(args.out, name), "JPEG", quality=80)
        row["image"] = name
        rows.append(row)
    with open(args.scenes_file, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    lines = []
    if args.photos:
        for src, (name, what, author, licence) in PHOTOS.items():
            img = Image.open(os.path.join(args.photos, src)).convert("RGB")
            img.thumbnail((640, 640), Image.LANCZOS)
            img.save(os.path.join(args.out, name), "JPEG", quality=85)
            lines.append("%s\n  what: %s\n  source: scikit-image sample data, file skimage/data/%s"
                         " (scikit-image wheel on PyPI)\n  author: %s\n  licence: %s\n"
                         % (name, what, src, author, licence))
    print("wrote %d scenes (%d with EXIF orientation) and %d photos"
          % (len(rows), oriented, len(lines)))
    if lines:
        with open(os.path.join(args.out, "LICENSES"), "w", encoding="utf-8") as f:
            f.write(LICENCE_HEAD + "\n".join(lines))


LICENCE_HEAD = """Licences of the files in sample-gallery/

scene-*.jpg, scene-*.png: drawn by picseek's scene generator (scripts/demo/scenes.py,
scripts/demo/gallery.py, seed 4); part of picseek, under the project's licence. What each
scene shows is listed in models/picseek-demo/gallery-scenes.jsonl. Eleven of the JPEGs store
their pixels rotated, with an EXIF Orientation tag (3, 6 or 8) that turns them upright.

photo-*.jpg: real photographs from scikit-image's sample data (as shipped in the
scikit-image 0.26.0 wheel), reduced to at most 640 px and re-encoded as JPEG (quality 85).
Sources and licences as stated in scikit-image's skimage/data/_fetchers.py docstrings:

"""


if __name__ == "__main__":
    main()
