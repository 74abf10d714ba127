#!/usr/bin/env python3
"""Generate the HEIC/HEIF and AVIF decoding fixtures for Tests/ImagingTests/Fixtures/heif.

Run with a virtualenv holding Pillow, pillow-heif, numpy and imagecodecs (10- and 12-bit
AVIF, which Pillow does not write), and with `heif-enc` (Debian's libheif-examples) on PATH
for the files pillow-heif cannot write:

    python3 -m venv <venv> && <venv>/bin/pip install pillow pillow-heif numpy imagecodecs
    <venv>/bin/python scripts/make_heif_fixtures.py

It draws small seeded photo-like scenes (the same generator as
make_format_fixtures.py), writes HEIC with pillow-heif (plain, a grid of 64x64
tiles, 10-bit, alpha, 4:4:4, EXIF orientation 6 which pillow-heif stores as an
`irot` transform, two top-level images), HEIC with heif-enc from a JPEG whose EXIF
says 6 (no transform, so the tag is the only orientation), and AVIF with
Pillow's own encoder (plain, alpha, 4:4:4, EXIF orientation 6, limited range, BT.709
limited range by a patched `colr` box, odd sides, a grid it puts together from
Pillow-coded tiles), heif-enc (monochrome) and imagecodecs (10-bit 4:2:0, 12-bit 4:4:4).
For each it writes
the reference RGB image,
`ImageOps.exif_transpose(Image.open(f)).convert("RGB")` at full size with
`pillow_heif.register_heif_opener()` in effect, as an 8-bit PNG (`<file>.ref.png`).
Pillow opens AVIF with its own plugin (libavif); pillow-heif opens HEIC.
`manifest.json` lists every file with its upright size and EXIF facts.
"""
import io
import json
import os
import struct
import subprocess
import sys
import tempfile

import imagecodecs
import numpy as np
import PIL
import pillow_heif
from PIL import Image, ImageCms, ImageOps, features

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

    def icc_grid(f):
        # As an iPhone writes it: a grid with an ICC `colr` box and no nclx one (the matrix
        # and range then come from the stream). Neither side applies the profile.
        icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        pillow_heif.options.GRID_TILE_SIZE = 64
        try:
            rgb(160, 120, 132).save(f, "HEIF", quality=90, icc_profile=icc)
        finally:
            pillow_heif.options.GRID_TILE_SIZE = 0
    yield "heic-icc-grid.heic", icc_grid, {}

    def ten_bit(f):
        px = deep(80, 56, 103)
        heif = pillow_heif.from_bytes(mode="RGB;16", size=(80, 56), data=px.tobytes())
        heif.save(f, quality=90)
    yield "heic-10bit.heic", ten_bit, {}

    def ten_bit_chroma(chroma, seed):
        def write(f):
            px = deep(80, 56, seed)
            heif = pillow_heif.from_bytes(mode="RGB;16", size=(80, 56), data=px.tobytes())
            heif.save(f, quality=90, chroma=chroma)
        return write
    yield "heic-10bit-444.heic", ten_bit_chroma(444, 124), {}
    yield "heic-10bit-422.heic", ten_bit_chroma(422, 125), {}
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
    yield ("heic-bt2020.heic",
           lambda f: rgb(88, 56, 127).save(
               f, "HEIF", quality=90, matrix_coefficients=9, full_range_flag=1,
               color_primaries=9, transfer_characteristics=1), {})
    # Odd sides: libheif codes 72x48 and crops with a `clap` box.
    yield "heic-odd-size.heic", lambda f: rgb(71, 47, 111).save(f, "HEIF", quality=90), {}
    # Odd sides turned or mirrored: every EXIF orientation, which pillow-heif writes as
    # `irot`/`imir` after the `clap`. Its libheif (1.2x) makes a 4:2:0 or 4:2:2 picture
    # 4:4:4 (bilinear chroma) before a transform that would split a chroma sample's pixels.
    for o in range(2, 9):
        yield (f"heic-odd-size-exif-{o}.heic",
               lambda f, o=o: rgb(71, 47, 110 + o).save(f, "HEIF", quality=90,
                                                        exif=exif_bytes(o)), {})
    yield ("heic-422-irot.heic",
           lambda f: rgb(72, 48, 119).save(f, "HEIF", quality=90, chroma=422,
                                           exif=exif_bytes(6)), {})
    yield ("heic-422-odd-size-exif-3.heic",
           lambda f: rgb(71, 47, 120).save(f, "HEIF", quality=90, chroma=422,
                                           exif=exif_bytes(3)), {})

    # 4:2:2 of odd width turned 180 degrees: libheif 1.2x turns the halved chroma plane as it
    # is (it goes to 4:4:4 first only for an odd height), so chroma moves by a pixel.
    yield ("heic-422-odd-width-exif-3.heic",
           lambda f: rgb(71, 48, 123).save(f, "HEIF", quality=90, chroma=422,
                                           exif=exif_bytes(3)), {})

    def odd_crop(f):
        # A `clap` that starts at column 1 and row 1 (69x45 from the coded 72x64; offsets
        # -1/2 and -17/2), then the `irot`: libheif 1.2x goes to 4:4:4 before such a crop.
        buf = io.BytesIO()
        rgb(71, 47, 122).save(buf, "HEIF", quality=90, exif=exif_bytes(6))
        data = buf.getvalue()
        at = data.index(b"clap") + 4
        fields = struct.pack(">IIIIiIiI", 69, 1, 45, 1, -1, 2, -17, 2)
        f.write(data[:at] + fields + data[at + len(fields):])
    yield "heic-clap-odd-offset.heic", odd_crop, {}

    def overlay(f):
        buf = io.BytesIO()
        rgb(64, 64, 131).save(buf, "HEIF", quality=90)
        f.write(overlay_heic(buf.getvalue(), (100, 80), (20, 10), (0x8000, 0x4000, 0x2000, 0xFFFF)))
    yield "heic-overlay.heic", overlay, {}

    def ten_bit_turned(f):
        px = deep(71, 47, 121)
        heif = pillow_heif.from_bytes(mode="RGB;16", size=(71, 47), data=px.tobytes())
        heif.save(f, quality=90, exif=exif_bytes(6))
    yield "heic-10bit-odd-size-irot.heic", ten_bit_turned, {}

    def ten_bit_mirrored(f):
        # An `imir` on a 10-bit picture: libheif 1.15 mirrors 8-bit pictures only.
        px = deep(80, 56, 126)
        heif = pillow_heif.from_bytes(mode="RGB;16", size=(80, 56), data=px.tobytes())
        heif.save(f, quality=90, exif=exif_bytes(2))
    yield "heic-10bit-exif-2.heic", ten_bit_mirrored, {}

    # Profiles other than pillow-heif's default BT.601 full range, where libheif 1.15 hands
    # YCbCr back only after a trip through RGB: deeper, and turned at odd sides.
    def ten_bit_bt709(f):
        px = deep(80, 56, 128)
        heif = pillow_heif.from_bytes(mode="RGB;16", size=(80, 56), data=px.tobytes())
        heif.save(f, quality=90, matrix_coefficients=1, full_range_flag=0, color_primaries=1,
                  transfer_characteristics=1)
    yield "heic-10bit-bt709-limited.heic", ten_bit_bt709, {}

    def ten_bit_bt709_turned(f):
        px = deep(71, 47, 130)
        heif = pillow_heif.from_bytes(mode="RGB;16", size=(71, 47), data=px.tobytes())
        heif.save(f, quality=90, matrix_coefficients=1, full_range_flag=0, color_primaries=1,
                  transfer_characteristics=1, exif=exif_bytes(6))
    yield "heic-10bit-bt709-limited-odd-size-irot.heic", ten_bit_bt709_turned, {}
    yield ("heic-bt709-limited-odd-size-irot.heic",
           lambda f: rgb(71, 47, 129).save(
               f, "HEIF", quality=90, matrix_coefficients=1, full_range_flag=0,
               color_primaries=1, transfer_characteristics=1, exif=exif_bytes(6)), {})


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
    # Limited range, which libheif 1.15's own AV1 plugins hand back only through RGB.
    yield ("avif-limited-range.avif",
           lambda f: gradient(96, 64).save(f, "AVIF", quality=95, range="limited"), {})
    yield ("avif-444-limited.avif",
           lambda f: rgb(72, 48, 205).save(f, "AVIF", quality=90, subsampling="4:4:4",
                                           range="limited"), {})

    def bt709(f):
        # Pillow writes BT.601; the colr box is made to say BT.709 limited range, which
        # every decoder then reads the samples with.
        buf = io.BytesIO()
        rgb(88, 56, 206).save(buf, "AVIF", quality=90, range="limited")
        f.write(with_nclx(buf.getvalue(), 1, 1, 1, 0))
    yield "avif-bt709-limited.avif", bt709, {}
    # BT.2020 (matrix 9, full range), the colr box likewise patched.
    yield ("avif-bt2020.avif",
           lambda f: f.write(with_nclx(avif_bytes(rgb(88, 56, 220)), 9, 1, 9, 1)), {})
    # Odd sides: the last chroma column covers one pixel.
    yield "avif-odd-size.avif", lambda f: rgb(71, 47, 207).save(f, "AVIF", quality=90), {}
    # The same turned by an `irot`, and 4:2:2 turned (its chroma halves the other axis after
    # the turn).
    yield ("avif-odd-size-irot.avif",
           lambda f: rgb(71, 47, 212).save(f, "AVIF", quality=90, exif=exif_bytes(6)), {})
    yield ("avif-422-irot.avif",
           lambda f: rgb(72, 48, 213).save(f, "AVIF", quality=90, subsampling="4:2:2",
                                           exif=exif_bytes(6)), {})
    # Mirrored (EXIF 2 and 4: an `imir`), and turned then mirrored (5 and 7), at odd sides.
    for o in (2, 4, 5, 7):
        yield (f"avif-odd-size-exif-{o}.avif",
               lambda f, o=o: rgb(71, 47, 212 + o).save(f, "AVIF", quality=90,
                                                        exif=exif_bytes(o)), {})
    yield ("avif-grid.avif",
           lambda f: f.write(grid_avif(rgb(160, 120, 208), 64, quality=90)), {})
    # 10 and 12 bits (imagecodecs' libavif): libavif cuts them to 8 bits before converting.
    for bits, sub, seed in ((10, "420", 210), (12, "444", 211)):
        yield (f"avif-{bits}bit-{sub}.avif",
               lambda f, bits=bits, sub=sub, seed=seed: f.write(imagecodecs.avif_encode(
                   deep(80, 56, seed) >> (16 - bits), level=90, bitspersample=bits,
                   pixelformat=sub)), {})
    # 10-bit, odd sides, turned and mirrored (EXIF 5 as Pillow writes it: irot 1, imir 0).
    yield ("avif-10bit-odd-size-exif-5.avif",
           lambda f: f.write(transformed_avif(imagecodecs.avif_encode(
               deep(71, 47, 218) >> 6, level=90, bitspersample=10, pixelformat="420"),
               [box("irot", bytes([1])), box("imir", bytes([0]))])), {})
    # A `clap` (64x40 of 72x48) and an `irot`: Pillow's libavif applies no clean aperture,
    # so the reference is the whole coded picture, turned.
    yield ("avif-clap-irot.avif",
           lambda f: f.write(transformed_avif(avif_bytes(rgb(72, 48, 219)), [
               box("clap", struct.pack(">IIIIiIiI", 64, 1, 40, 1, 0, 1, 0, 1)),
               box("irot", bytes([3]))])), {})
    yield ("avif-monochrome.avif",
           heif_enc(["-A", "-q", "90"], ("in.png", lambda p: rgb(80, 48, 209).convert(
               "L").save(p))), {})


def gradient(w, h):
    """A smooth gradient: red across, green down, blue their mean."""
    y, x = np.mgrid[0:h, 0:w]
    r = x * 255 // max(w - 1, 1)
    g = y * 255 // max(h - 1, 1)
    return Image.fromarray(np.dstack([r, g, (r + g) // 2]).astype(np.uint8), "RGB")


def boxes(data, start=0, end=None):
    """The boxes directly inside data[start:end]: (type, payload start, payload end)."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start:start + 8])
        yield kind.decode("latin-1"), start + 8, start + size
        start += size


def find(data, path, start=0, end=None):
    """The payload (start, end) of the box at `path` ("meta/iprp/ipco"); full boxes skip 4."""
    for kind, a, b in boxes(data, start, end):
        if kind == path[0]:
            if kind in ("meta", "iloc", "ipma", "iref", "pitm", "iinf"):
                a += 4
            return (a, b) if len(path) == 1 else find(data, path[1:], a, b)
    raise ValueError("no box " + "/".join(path))


def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind.encode() + payload


def full_box(kind, version, flags, payload):
    return box(kind, bytes([version]) + flags.to_bytes(3, "big") + payload)


def single_item(avif):
    """The coded data and the av1C, pixi and colr properties of a one-item AVIF."""
    a, b = find(avif, ["meta", "iloc"])
    sizes = avif[a]  # version 0: offset and length sizes (4 bits each), then base offset
    assert avif[a - 4] == 0 and sizes == 0x44 and avif[a + 1] >> 4 == 0, "unexpected iloc"
    count = struct.unpack(">H", avif[a + 2:a + 4])[0]
    assert count == 1, "more than one item"
    _, _, extents = struct.unpack(">HHH", avif[a + 4:a + 10])
    data = b""
    for e in range(extents):
        off, length = struct.unpack(">II", avif[a + 10 + 8 * e:a + 18 + 8 * e])
        data += avif[off:off + length]
    a, b = find(avif, ["meta", "iprp", "ipco"])
    props = {kind: avif[p - 8:q] for kind, p, q in boxes(avif, a, b)}
    return data, props["av1C"], props["pixi"], props["colr"]


def grid_avif(image, tile, quality):
    """`image` as an AVIF grid of `tile`-sized tiles (the last column and row cut), each
    tile coded by Pillow's AVIF plugin: Pillow writes no grids, so the container is put
    together here (hidden av01 tiles, a `grid` primary item in `idat`, `dimg` references)."""
    w, h = image.size
    cols, rows = -(-w // tile), -(-h // tile)
    padded = Image.new("RGB", (cols * tile, rows * tile))
    padded.paste(image, (0, 0))
    # The pad repeats the last column and row, as an encoder would.
    arr = np.asarray(padded).copy()
    arr[:, w:] = arr[:, w - 1:w]
    arr[h:, :] = arr[h - 1:h, :]
    padded = Image.fromarray(arr)
    coded = []
    for r in range(rows):
        for c in range(cols):
            buf = io.BytesIO()
            padded.crop((c * tile, r * tile, (c + 1) * tile, (r + 1) * tile)).save(
                buf, "AVIF", quality=quality)
            coded.append(single_item(buf.getvalue()))
    n = len(coded)
    ispe = lambda a, b: full_box("ispe", 0, 0, struct.pack(">II", a, b))  # noqa: E731
    props = [ispe(w, h), ispe(tile, tile), coded[0][2], coded[0][3]] + [c[1] for c in coded]
    ipco = box("ipco", b"".join(props))
    assoc = [struct.pack(">HB", 1, 3) + bytes([1, 3, 4])]
    for i in range(n):  # each tile: its ispe, pixi, colr and (essential) av1C
        assoc.append(struct.pack(">HB", 2 + i, 4) + bytes([2, 3, 4, 0x80 | (5 + i)]))
    ipma = full_box("ipma", 0, 0, struct.pack(">I", 1 + n) + b"".join(assoc))
    infe = [full_box("infe", 2, 0, struct.pack(">HH", 1, 0) + b"grid" + b"\0")]
    infe += [full_box("infe", 2, 1, struct.pack(">HH", 2 + i, 0) + b"av01" + b"\0")
             for i in range(n)]
    iinf = full_box("iinf", 0, 0, struct.pack(">H", 1 + n) + b"".join(infe))
    iref = full_box("iref", 0, 0, box("dimg", struct.pack(">HH", 1, n) + b"".join(
        struct.pack(">H", 2 + i) for i in range(n))))
    idat = box("idat", struct.pack(">BBBBHH", 0, 0, rows - 1, cols - 1, w, h))
    hdlr = full_box("hdlr", 0, 0, b"\0" * 4 + b"pict" + b"\0" * 12 + b"\0")
    pitm = full_box("pitm", 0, 0, struct.pack(">H", 1))
    ftyp = box("ftyp", b"avif" + b"\0" * 4 + b"avifmif1miaf")

    def iloc(mdat_at):
        items = [struct.pack(">HHHHII", 1, 1, 0, 1, 0, 8)]  # the grid, in idat
        at = mdat_at
        for i, c in enumerate(coded):
            items.append(struct.pack(">HHHHII", 2 + i, 0, 0, 1, at, len(c[0])))
            at += len(c[0])
        return full_box("iloc", 1, 0, bytes([0x44, 0x00]) + struct.pack(">H", 1 + n) +
                        b"".join(items))

    def meta(mdat_at):
        return full_box("meta", 0, 0, hdlr + pitm + iloc(mdat_at) + iinf + iref +
                        box("iprp", ipco + ipma) + idat)

    mdat_at = len(ftyp) + len(meta(0)) + 8
    return ftyp + meta(mdat_at) + box("mdat", b"".join(c[0] for c in coded))


def avif_bytes(image):
    buf = io.BytesIO()
    image.save(buf, "AVIF", quality=90)
    return buf.getvalue()


def transformed_avif(avif, transforms):
    """A one-item AVIF rebuilt with `transforms` (whole `irot`/`imir` boxes) among the
    primary item's properties, after its own (imagecodecs writes no transforms)."""
    data, av1c, pixi, colr = single_item(avif)
    a, b = find(avif, ["meta", "iprp", "ipco"])
    ispe = next(avif[p - 8:q] for kind, p, q in boxes(avif, a, b) if kind == "ispe")
    props = [ispe, pixi, colr, av1c] + transforms
    ipco = box("ipco", b"".join(props))
    # ispe, pixi, colr, then the essential av1C and transforms.
    indices = [1, 2, 3] + [0x80 | i for i in range(4, len(props) + 1)]
    ipma = full_box("ipma", 0, 0, struct.pack(">IHB", 1, 1, len(indices)) + bytes(indices))
    iinf = full_box("iinf", 0, 0, struct.pack(">H", 1) + full_box(
        "infe", 2, 0, struct.pack(">HH", 1, 0) + b"av01" + b"\0"))
    hdlr = full_box("hdlr", 0, 0, b"\0" * 4 + b"pict" + b"\0" * 12 + b"\0")
    pitm = full_box("pitm", 0, 0, struct.pack(">H", 1))
    ftyp = box("ftyp", b"avif" + b"\0" * 4 + b"avifmif1miaf")

    def meta(mdat_at):
        iloc = full_box("iloc", 0, 0, bytes([0x44, 0x00]) + struct.pack(
            ">HHHHII", 1, 1, 0, 1, mdat_at, len(data)))
        return full_box("meta", 0, 0, hdlr + pitm + iloc + iinf + box("iprp", ipco + ipma))

    mdat_at = len(ftyp) + len(meta(0)) + 8
    return ftyp + meta(mdat_at) + box("mdat", data)


def single_heic(heic):
    """The coded data and the properties (whole boxes by type) of a one-item HEIC as
    pillow-heif writes it (iloc version 0, 4-byte offsets, lengths and base offset)."""
    a, b = find(heic, ["meta", "iloc"])
    assert heic[a - 4] == 0 and heic[a] == 0x44 and heic[a + 1] >> 4 == 4, "unexpected iloc"
    count = struct.unpack(">H", heic[a + 2:a + 4])[0]
    assert count == 1, "more than one item"
    _, _, base, extents = struct.unpack(">HHIH", heic[a + 4:a + 14])
    data = b""
    for e in range(extents):
        off, length = struct.unpack(">II", heic[a + 14 + 8 * e:a + 22 + 8 * e])
        data += heic[base + off:base + off + length]
    a, b = find(heic, ["meta", "iprp", "ipco"])
    return data, {kind: heic[p - 8:q] for kind, p, q in boxes(heic, a, b)}


def overlay_heic(tile, canvas, offset, fill):
    """A HEIC whose primary item is an overlay (`iovl`): `canvas` (w, h) filled with `fill`
    (16-bit R, G, B, A) and the one-item HEIC `tile` placed at `offset` (x, y)."""
    data, props = single_heic(tile)
    ispe = lambda a, b: full_box("ispe", 0, 0, struct.pack(">II", a, b))  # noqa: E731
    tile_props = [props["hvcC"], props["ispe"], props["colr"]]
    ipco = box("ipco", b"".join([ispe(*canvas)] + tile_props))
    ipma = full_box("ipma", 0, 0, struct.pack(">I", 2) + struct.pack(">HB", 1, 1) + bytes([1]) +
                    struct.pack(">HB", 2, 3) + bytes([0x82, 3, 4]))
    infe = [full_box("infe", 2, 0, struct.pack(">HH", 1, 0) + b"iovl" + b"\0"),
            full_box("infe", 2, 1, struct.pack(">HH", 2, 0) + b"hvc1" + b"\0")]
    iinf = full_box("iinf", 0, 0, struct.pack(">H", 2) + b"".join(infe))
    iref = full_box("iref", 0, 0, box("dimg", struct.pack(">HHH", 1, 1, 2)))
    overlay = struct.pack(">BB4HHHhh", 0, 0, *fill, *canvas, *offset)
    idat = box("idat", overlay)
    hdlr = full_box("hdlr", 0, 0, b"\0" * 4 + b"pict" + b"\0" * 12 + b"\0")
    pitm = full_box("pitm", 0, 0, struct.pack(">H", 1))
    ftyp = box("ftyp", b"heic" + b"\0" * 4 + b"mif1heic")

    def meta(mdat_at):
        iloc = full_box("iloc", 1, 0, bytes([0x44, 0x00]) + struct.pack(">H", 2) +
                        struct.pack(">HHHHII", 1, 1, 0, 1, 0, len(overlay)) +
                        struct.pack(">HHHHII", 2, 0, 0, 1, mdat_at, len(data)))
        return full_box("meta", 0, 0, hdlr + pitm + iloc + iinf + iref +
                        box("iprp", ipco + ipma) + idat)

    mdat_at = len(ftyp) + len(meta(0)) + 8
    return ftyp + meta(mdat_at) + box("mdat", data)


def with_nclx(avif, primaries, transfer, matrix, full_range):
    """`avif` with its `colr` nclx box saying the given profile (the coded samples stay)."""
    at = avif.index(b"colrnclx") + 8
    return (avif[:at] + struct.pack(">HHHB", primaries, transfer, matrix, 0x80 * full_range) +
            avif[at + 7:])


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
                              imagecodecs=imagecodecs.__version__,
                              heif_enc=enc.strip() or "unknown"))


README = """# HEIC/HEIF and AVIF decoding fixtures

Generated by `scripts/make_heif_fixtures.py` (Pillow, pillow-heif, numpy, imagecodecs,
heif-enc). Seed {seed}.
Versions: Pillow {pillow} (libavif {avif}), pillow-heif {pillow_heif} (libheif {libheif}),
numpy {numpy}, imagecodecs {imagecodecs}, heif-enc {heif_enc}.

- `heic-*.heic`: written by pillow-heif: 4:2:0 8-bit, a grid of 64x64 tiles (3x2, the
  last column and row cut; `heic-icc-grid.heic` again with an ICC `colr` box and no nclx,
  as iPhones write them), 10-bit, alpha, 4:4:4, EXIF orientation 6 (which pillow-heif
  stores as an `irot` transform and keeps in the EXIF), two top-level images (the
  primary is decoded), BT.709 limited range (`heic-bt709-limited.heic`: an nclx profile,
  in the `colr` box and the stream's VUI, other than pillow-heif's default BT.601 full
  range), BT.2020, 71x47 (`heic-odd-size.heic`: coded as 72x48, cut by a `clap` box).
  `heic-odd-size-exif-2` to `-8` are 71x47 in every other EXIF orientation, which
  pillow-heif writes as `irot`/`imir` after the `clap`; `heic-422-irot.heic`,
  `heic-422-odd-size-exif-3.heic` and `heic-422-odd-width-exif-3.heic` are 4:2:2 turned;
  `heic-clap-odd-offset.heic` has its `clap` patched to start at column 1 and row 1;
  `heic-overlay.heic` is an overlay (`iovl`, put together by the script: a 64x64 picture
  at (20, 10) on a 100x80 canvas of one fill colour), whose pictures libheif 1.2x converts
  with its float conversion before composing them;
  `heic-10bit-444.heic`, `heic-10bit-422.heic`, `heic-10bit-odd-size-irot.heic` and
  `heic-10bit-exif-2.heic` (mirrored) are deeper. libheif 1.2x makes a 4:2:0 or 4:2:2
  picture 4:4:4 (bilinear chroma) before a transform that would split the pixels sharing a
  chroma sample, and converts 4:2:2 and 4:4:4 above 8 bits at full depth before cutting.
  `heic-exif-6-no-irot.heic` is written by heif-enc from a JPEG whose EXIF says 6:
  no transform, and pillow-heif resets the tag to 1, so the image stays as stored.
- `avif-*.avif`: written by Pillow's AVIF plugin (plain, alpha, 4:4:4, EXIF
  orientation 6), and in profiles other than BT.601 full range, which libheif 1.15's
  own AV1 plugins hand back only after a trip through RGB: limited range
  (`avif-limited-range.avif`, a 96x64 gradient, red across, green down, blue their
  mean, `quality=95`; `avif-444-limited.avif`, 4:4:4) and BT.709 limited range
  (`avif-bt709-limited.avif`: coded by Pillow in limited range, its `colr` box then
  made to say BT.709, which every decoder reads the samples with). `avif-odd-size.avif`
  is 71x47 (the last chroma column covers one pixel); `avif-odd-size-irot.avif` is the
  same turned by an `irot` (EXIF orientation 6 on saving), and `avif-422-irot.avif` a
  turned 4:2:2 picture: libavif converts in the coded orientation and Pillow turns the
  RGB picture after, which picseek does too; `avif-odd-size-exif-2`, `-4`, `-5` and `-7`
  are mirrored (`imir`) and turned, and `avif-10bit-odd-size-exif-5.avif` a 10-bit one
  (imagecodecs' picture with an `irot` and an `imir` added by the script).
  `avif-clap-irot.avif` has a `clap` (64x40 of 72x48) and an `irot`: libavif applies no
  clean aperture, so the reference is the whole picture, turned. `avif-bt2020.avif` has
  its `colr` box made to say BT.2020 (matrix 9, full range). `avif-grid.avif` is a 160x120
  grid of 64x64 tiles (3x2, the last column and row cut), each tile coded by Pillow and
  the container put together by the script (Pillow writes no grids).
  `avif-monochrome.avif` (4:0:0) is written by heif-enc from a greyscale PNG.
  `avif-10bit-420.avif` and `avif-12bit-444.avif` are written by imagecodecs (Pillow
  writes 8-bit only, and Debian's heif-enc, libaom 3.6, aborts on 10-bit input); Pillow's
  libavif cuts their samples to 8 bits (a shift) before its 8-bit conversion.
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
