#!/usr/bin/env python3
"""Generate the camera RAW fixtures for Tests/ImagingTests/Fixtures/raw.

Run with a virtualenv holding Pillow and numpy:

    python3 -m venv <venv> && <venv>/bin/pip install pillow numpy
    <venv>/bin/python scripts/make_raw_fixtures.py

Each file is a small RAW-like container built byte by byte: the directory structure a
camera writes (TIFF/DNG with a JPEG preview in a SubIFD, IFD0 or IFD1, a CR2 with its
lossless raw strip, ORF and RW2 magic variants, a Fujifilm RAF header, a CR3 made of ISO
BMFF boxes with a PRVW preview box) around a preview JPEG that Pillow writes, plus a
stand-in for the sensor data. The reference for each file, `<file>.ref.png`, is the preview
decoded by Pillow and turned by `ImageOps.exif_transpose` with the orientation that
applies: the RAW's own (IFD0, or CR3's CMT1) when it has one, else the preview's own
EXIF orientation; never both. `manifest.json` lists every file with the upright pixel
size picseek reports (the sensor image's where the container says it, else the
preview's), the orientation, camera and date, and the hostile files with the error
kind and a phrase of the reason each must give.
"""
import io
import json
import os
import struct

import numpy as np
import PIL
from PIL import Image, ImageOps

SEED = 20261205
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ImagingTests",
                   "Fixtures", "raw")

# TIFF types
BYTE, ASCII, SHORT, LONG, UNDEFINED = 1, 2, 3, 4, 7


def scene(w, h, seed):
    """A smooth photo-like RGB scene: gradients, a disc, mild noise."""
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


def jpeg(w, h, seed, exif=None, quality=90):
    im = Image.fromarray(scene(w, h, seed), "RGB")
    buf = io.BytesIO()
    if exif is not None:
        im.save(buf, "JPEG", quality=quality, exif=exif)
    else:
        im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


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


def lossless_stub():
    """The start of a lossless (SOF3) JPEG stream, as CR2 and DNG store sensor data."""
    return bytes([0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x0B, 0x0E, 0x00, 0x40, 0x00, 0x60, 0x01,
                  0x01, 0x11, 0x00]) + bytes(64)


class TiffWriter:
    """Lays out a TIFF-structured file: blobs and directories appended, children first."""

    def __init__(self, endian="<", header=None):
        self.e = endian
        if header is None:
            header = (b"II*\x00" if endian == "<" else b"MM\x00*") + b"\x00\x00\x00\x00"
        self.buf = bytearray(header)

    def align(self):
        if len(self.buf) % 2:
            self.buf += b"\x00"

    def blob(self, data):
        self.align()
        off = len(self.buf)
        self.buf += data
        return off

    def ifd(self, entries, next_ifd=0, declared=None):
        """entries: (tag, type, values) with values a list of ints or bytes."""
        packed = []
        for tag, typ, values in sorted(entries, key=lambda t: t[0]):
            if isinstance(values, (bytes, bytearray)):
                data, count = bytes(values), len(values)
            else:
                fmt = {SHORT: "H", LONG: "I", BYTE: "B"}[typ]
                data = struct.pack(self.e + fmt * len(values), *values)
                count = len(values)
            if len(data) <= 4:
                field = data + b"\x00" * (4 - len(data))
            else:
                field = struct.pack(self.e + "I", self.blob(data))
            packed.append(struct.pack(self.e + "HHI", tag, typ, count) + field)
        self.align()
        off = len(self.buf)
        n = len(packed) if declared is None else declared
        self.buf += struct.pack(self.e + "H", n) + b"".join(packed)
        self.buf += struct.pack(self.e + "I", next_ifd)
        return off

    def finish(self, first_ifd):
        self.buf[4:8] = struct.pack(self.e + "I", first_ifd)
        return bytes(self.buf)


def ascii(text):
    return text.encode() + b"\x00"


def exif_ifd(w, taken):
    return w.ifd([(0x9003, ASCII, ascii(taken))])


def camera(make, model):
    if make and model:
        return model if model.lower().startswith(make.lower()) else make + " " + model
    return make or model


# ---- the files ----------------------------------------------------------------------


def dng():
    """DNG: IFD0 a small uncompressed thumbnail with DNGVersion; SubIFDs: the raw CFA
    image and a JPEG-compressed preview in strips (compression 7, YCbCr)."""
    w = TiffWriter("<")
    preview = jpeg(96, 64, 1)
    pv = w.blob(preview)
    raw = w.blob(bytes(120 * 80 * 2))
    raw_ifd = w.ifd([(0x00FE, LONG, [0]), (0x0100, LONG, [120]), (0x0101, LONG, [80]),
                     (0x0103, SHORT, [1]), (0x0106, SHORT, [32803]), (0x0111, LONG, [raw]),
                     (0x0117, LONG, [120 * 80 * 2])])
    pv_ifd = w.ifd([(0x00FE, LONG, [1]), (0x0100, LONG, [96]), (0x0101, LONG, [64]),
                    (0x0103, SHORT, [7]), (0x0106, SHORT, [6]), (0x0111, LONG, [pv]),
                    (0x0117, LONG, [len(preview)])])
    thumb = w.blob(bytes(8 * 6 * 3))
    ex = exif_ifd(w, "2026:05:17 10:11:12")
    ifd0 = w.ifd([(0x00FE, LONG, [1]), (0x0100, LONG, [8]), (0x0101, LONG, [6]),
                  (0x0103, SHORT, [1]), (0x0106, SHORT, [2]), (0x0111, LONG, [thumb]),
                  (0x0117, LONG, [8 * 6 * 3]), (0x010F, ASCII, ascii("Leica Camera AG")),
                  (0x0110, ASCII, ascii("LEICA Q2")), (0x0112, SHORT, [6]),
                  (0x014A, LONG, [raw_ifd, pv_ifd]), (0x8769, LONG, [ex]),
                  (0xC612, BYTE, [1, 4, 0, 0])])
    return w.finish(ifd0), preview, {"raw_orientation": 6, "sensor": (120, 80),
                                     "make": "Leica Camera AG", "model": "LEICA Q2",
                                     "taken": "2026-05-17 10:11:12"}


def nef():
    """NEF-like (big-endian): IFD0 an uncompressed thumbnail; SubIFD0 the full preview
    through JPEGInterchangeFormat (its own EXIF says orientation 3, which must be
    ignored); SubIFD1 the raw CFA image; IFD1 a smaller JPEG (not the largest)."""
    w = TiffWriter(">")
    preview = jpeg(112, 72, 2, exif=exif_bytes(3))
    small = jpeg(40, 26, 3)
    pv = w.blob(preview)
    sm = w.blob(small)
    raw = w.blob(bytes(128 * 86))
    sub0 = w.ifd([(0x00FE, LONG, [1]), (0x0103, SHORT, [6]), (0x0201, LONG, [pv]),
                  (0x0202, LONG, [len(preview)])])
    sub1 = w.ifd([(0x00FE, LONG, [0]), (0x0100, LONG, [128]), (0x0101, LONG, [86]),
                  (0x0103, SHORT, [34713]), (0x0106, SHORT, [32803]), (0x0111, LONG, [raw]),
                  (0x0117, LONG, [128 * 86])])
    ifd1 = w.ifd([(0x0103, SHORT, [6]), (0x0201, LONG, [sm]), (0x0202, LONG, [len(small)])])
    thumb = w.blob(bytes(8 * 6 * 3))
    ex = exif_ifd(w, "2025:12:24 18:30:00")
    ifd0 = w.ifd([(0x00FE, LONG, [1]), (0x0100, LONG, [8]), (0x0101, LONG, [6]),
                  (0x0103, SHORT, [1]), (0x0106, SHORT, [2]), (0x0111, LONG, [thumb]),
                  (0x0117, LONG, [8 * 6 * 3]), (0x010F, ASCII, ascii("NIKON CORPORATION")),
                  (0x0110, ASCII, ascii("NIKON Z 6")), (0x0112, SHORT, [8]),
                  (0x014A, LONG, [sub0, sub1]), (0x8769, LONG, [ex])], next_ifd=ifd1)
    return w.finish(ifd0), preview, {"raw_orientation": 8, "sensor": (128, 86),
                                     "make": "NIKON CORPORATION", "model": "NIKON Z 6",
                                     "taken": "2025-12-24 18:30:00"}


def arw():
    """ARW-like: IFD0 is the preview through JPEGInterchangeFormat; SubIFD the raw."""
    w = TiffWriter("<")
    preview = jpeg(90, 60, 4)
    pv = w.blob(preview)
    raw = w.blob(bytes(100 * 66))
    sub = w.ifd([(0x0100, LONG, [100]), (0x0101, LONG, [66]), (0x0103, SHORT, [32767]),
                 (0x0106, SHORT, [32803]), (0x0111, LONG, [raw]), (0x0117, LONG, [100 * 66])])
    ifd0 = w.ifd([(0x0103, SHORT, [6]), (0x0201, LONG, [pv]), (0x0202, LONG, [len(preview)]),
                  (0x010F, ASCII, ascii("SONY")), (0x0110, ASCII, ascii("ILCE-7M3")),
                  (0x0112, SHORT, [3]), (0x014A, LONG, [sub])])
    return w.finish(ifd0), preview, {"raw_orientation": 3, "sensor": (100, 66),
                                     "make": "SONY", "model": "ILCE-7M3"}


def cr2():
    """CR2-like: "CR" after the header; IFD0 the full JPEG in a strip (compression 6),
    IFD1 a small thumbnail, IFD3 the lossless raw strip with the slice tag."""
    w = TiffWriter("<", header=b"II*\x00\x00\x00\x00\x00CR\x02\x00\x00\x00\x00\x00")
    preview = jpeg(96, 64, 5)
    small = jpeg(32, 21, 6)
    pv = w.blob(preview)
    sm = w.blob(small)
    rawdata = lossless_stub()
    raw = w.blob(rawdata)
    ifd3 = w.ifd([(0x0103, SHORT, [6]), (0x0111, LONG, [raw]), (0x0117, LONG, [len(rawdata)]),
                  (0xC640, SHORT, [1, 48, 48])])
    ifd2 = w.ifd([(0x0100, LONG, [4]), (0x0101, LONG, [4]), (0x0103, SHORT, [1])],
                 next_ifd=ifd3)
    ifd1 = w.ifd([(0x0103, SHORT, [6]), (0x0201, LONG, [sm]), (0x0202, LONG, [len(small)])],
                 next_ifd=ifd2)
    ex = exif_ifd(w, "2024:07:01 06:05:04")
    ifd0 = w.ifd([(0x0100, LONG, [96]), (0x0101, LONG, [64]), (0x0103, SHORT, [6]),
                  (0x0111, LONG, [pv]), (0x0117, LONG, [len(preview)]),
                  (0x010F, ASCII, ascii("Canon")), (0x0110, ASCII, ascii("Canon EOS 5D Mark IV")),
                  (0x0112, SHORT, [1]), (0x8769, LONG, [ex])], next_ifd=ifd1)
    w.buf[12:16] = struct.pack("<I", ifd3)
    return w.finish(ifd0), preview, {"raw_orientation": 1, "make": "Canon",
                                     "model": "Canon EOS 5D Mark IV",
                                     "taken": "2024-07-01 06:05:04"}


def olympus_maker_note(preview):
    """New-style Olympus maker note: "OLYMPUS\\0II\\3\\0", a directory at 12 whose
    CameraSettings (0x2020, IFD type) holds PreviewImageStart and PreviewImageLength,
    offsets from the note's start."""
    settings_at = 12 + 2 + 12 + 4
    preview_at = settings_at + 2 + 3 * 12 + 4
    note = b"OLYMPUS\x00II\x03\x00"
    note += struct.pack("<H", 1) + struct.pack("<HHII", 0x2020, 13, 1, settings_at)
    note += struct.pack("<I", 0)
    note += struct.pack("<H", 3) + struct.pack("<HHII", 0x0100, LONG, 1, 1)
    note += struct.pack("<HHII", 0x0101, LONG, 1, preview_at)
    note += struct.pack("<HHII", 0x0102, LONG, 1, len(preview)) + struct.pack("<I", 0)
    assert len(note) == preview_at
    return note + preview


def orf():
    """ORF-like ("IIRO"): IFD0 the raw image itself, IFD1 a small thumbnail, the large
    preview in the Olympus maker note of the EXIF directory."""
    w = TiffWriter("<", header=b"IIRO\x00\x00\x00\x00")
    preview = jpeg(80, 60, 7)
    thumb = jpeg(32, 24, 13)
    pv = w.blob(thumb)
    raw = w.blob(bytes(88 * 66))
    ifd1 = w.ifd([(0x0103, SHORT, [6]), (0x0201, LONG, [pv]), (0x0202, LONG, [len(thumb)])])
    ex = w.ifd([(0x927C, UNDEFINED, olympus_maker_note(preview))])
    ifd0 = w.ifd([(0x0100, LONG, [88]), (0x0101, LONG, [66]), (0x0103, SHORT, [1]),
                  (0x0111, LONG, [raw]), (0x0117, LONG, [88 * 66]),
                  (0x010F, ASCII, ascii("OLYMPUS CORPORATION")),
                  (0x0110, ASCII, ascii("E-M1MarkII")), (0x0112, SHORT, [6]),
                  (0x8769, LONG, [ex])], next_ifd=ifd1)
    return w.finish(ifd0), preview, {"raw_orientation": 6, "sensor": (88, 66),
                                     "make": "OLYMPUS CORPORATION", "model": "E-M1MarkII"}


def rw2():
    """RW2-like ("IIU"): IFD0 with the sensor size (tags 2 and 3) and JpgFromRaw (tag
    0x2E, whose own EXIF carries make, model and date but no orientation)."""
    w = TiffWriter("<", header=b"IIU\x00\x00\x00\x00\x00")
    preview = jpeg(96, 72, 8, exif=exif_bytes(None, "Panasonic", "DC-G9",
                                              "2023:03:04 05:06:07"))
    ifd0 = w.ifd([(0x0002, SHORT, [104]), (0x0003, SHORT, [78]), (0x002E, UNDEFINED, preview),
                  (0x010F, ASCII, ascii("Panasonic")), (0x0110, ASCII, ascii("DC-G9")),
                  (0x0112, SHORT, [8])])
    return w.finish(ifd0), preview, {"raw_orientation": 8, "sensor": (104, 78),
                                     "make": "Panasonic", "model": "DC-G9",
                                     "taken": "2023-03-04 05:06:07"}


def raf_file(preview, cfa_records=True, jpeg_offset=None):
    head = bytearray(b"FUJIFILMCCD-RAW 0201FF383501")
    head += b"X-T4".ljust(32, b"\x00")
    head = head.ljust(84, b"\x00")
    body_at = 108
    off = body_at if jpeg_offset is None else jpeg_offset
    cfa_hdr = struct.pack(">I", 1) + struct.pack(">HHHH", 0x100, 4, 80, 120)
    cfa_off = body_at + len(preview)
    head += struct.pack(">IIII", off, len(preview), cfa_off if cfa_records else 0,
                        len(cfa_hdr) if cfa_records else 0)
    head += struct.pack(">II", cfa_off + len(cfa_hdr), 16)
    head = head.ljust(body_at, b"\x00")
    return bytes(head) + preview + cfa_hdr + bytes(16)


def raf():
    """RAF-like: the header's JPEG offset and length; the preview's own EXIF gives
    orientation, camera and date (the RAF header has no orientation)."""
    preview = jpeg(96, 64, 9, exif=exif_bytes(6, "FUJIFILM", "X-T4", "2022:02:02 12:00:00"))
    return raf_file(preview), preview, {"raw_orientation": None, "sensor": (120, 80),
                                        "make": "FUJIFILM", "model": "X-T4",
                                        "taken": "2022-02-02 12:00:00"}


def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


PRVW_UUID = bytes.fromhex("eaf42b5e1c984b88b9fbb7dc406e4d16")
CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")


def track(sample_offset, sample_size, width, height, jpeg=True):
    """A trak whose CRAW sample entry (with a JPEG child box for the JPEG track) has one
    sample, located by co64 and sized by stsz, as in real CR3s."""
    craw = box(b"CRAW", bytes(24) + struct.pack(">HH", width, height) + bytes(54)
               + (box(b"JPEG", bytes(4)) if jpeg else b""))
    stsd = box(b"stsd", bytes(4) + struct.pack(">I", 1) + craw)
    stsz = box(b"stsz", bytes(4) + struct.pack(">II", sample_size, 1))
    co64 = box(b"co64", bytes(4) + struct.pack(">IQ", 1, sample_offset))
    return box(b"trak", box(b"mdia", box(b"minf", box(b"stbl", stsd + stsz + co64))))


def cr3_file(preview, cmt1, cmt2, moov_size_lie=0, full=None):
    """ftyp, moov (Canon's uuid box, then a JPEG track and a raw track when `full` is
    given), the PRVW uuid box, mdat (the full-size JPEG, then stand-in raw data)."""
    ftyp = box(b"ftyp", b"crx \x00\x00\x00\x01crx isom")
    canon = box(b"uuid", CANON_UUID + box(b"CMT1", cmt1) + box(b"CMT2", cmt2))
    prvw = box(b"PRVW", struct.pack(">IHHHHI", 0, 1, 96, 64, 1, len(preview)) + preview)
    prvw_uuid = box(b"uuid", PRVW_UUID + bytes(8) + prvw)
    raw = b"\xff\x01\x00\x08" + bytes(252)

    def moov_with(offset):
        traks = b""
        if full is not None:
            traks = track(offset, len(full), 192, 128) + track(offset + len(full), len(raw),
                                                               200, 134, jpeg=False)
        return box(b"moov", canon + traks)
    data_at = len(ftyp) + len(moov_with(0)) + len(prvw_uuid) + 8
    moov = moov_with(data_at)
    if moov_size_lie:
        moov = struct.pack(">I", len(moov) + moov_size_lie) + moov[4:]
    mdat = box(b"mdat", (full or b"") + raw)
    return ftyp + moov + prvw_uuid + mdat


def cr3():
    """CR3-like: ftyp "crx ", moov with Canon's uuid box (CMT1: IFD0 with make, model and
    orientation; CMT2: the EXIF directory with the date and size), a full-size JPEG track
    and a raw track, the PRVW uuid box, mdat. The JPEG track's image is the largest."""
    preview = jpeg(96, 64, 10)
    full = jpeg(192, 128, 14)
    t1 = TiffWriter("<")
    ifd = t1.ifd([(0x010F, ASCII, ascii("Canon")), (0x0110, ASCII, ascii("Canon EOS R5")),
                  (0x0112, SHORT, [6])])
    cmt1 = t1.finish(ifd)
    t2 = TiffWriter("<")
    cmt2 = t2.finish(t2.ifd([(0x9003, ASCII, ascii("2021:11:12 13:14:15")),
                             (0xA002, LONG, [1500]), (0xA003, LONG, [1000])]))
    return cr3_file(preview, cmt1, cmt2, full=full), full, {
        "raw_orientation": 6, "sensor": (1500, 1000), "make": "Canon", "model": "Canon EOS R5",
        "taken": "2021-11-12 13:14:15"}


def files():
    yield "dng-subifd-strip-preview.dng", dng()
    yield "nef-subifd-jpeg-preview.nef", nef()
    yield "arw-ifd0-preview.arw", arw()
    yield "cr2-strip-preview.cr2", cr2()
    yield "orf-iiro-makernote-preview.orf", orf()
    yield "rw2-iiu-jpgfromraw.rw2", rw2()
    yield "raf-header-preview.raf", raf()
    yield "cr3-prvw-box.cr3", cr3()


# ---- hostile files ------------------------------------------------------------------


def dng_with(entries_for_preview, extra_ifd0=(), next_ifd=None, w=None):
    """A DNG-marked IFD0 with `entries_for_preview` added to it."""
    w = w or TiffWriter("<")
    entries = [(0x010F, ASCII, ascii("Hostile")), (0xC612, BYTE, [1, 4, 0, 0])]
    entries += list(entries_for_preview) + list(extra_ifd0)
    return w, w.ifd(entries, next_ifd=next_ifd or 0)


def hostile():
    pv = jpeg(64, 48, 11)
    out = []
    out.append(("hostile-zero-length.dng", b"", "empty", "empty file"))
    # Its directories lie in the lost half, so nothing marks it as RAW: a broken TIFF.
    out.append(("hostile-truncated-half.nef", nef()[0][: len(nef()[0]) // 2], "truncated",
                "truncated tiff"))
    w = TiffWriter("<")
    _, ifd0 = dng_with([(0x0201, LONG, [1_000_000]), (0x0202, LONG, [len(pv)])], w=w)
    out.append(("hostile-preview-past-end.dng", w.finish(ifd0), "truncated",
                "runs past the end of the file"))
    # IFD0 (two inline entries, at 8) -> IFD1 (right after it) -> IFD0
    w = TiffWriter("<")
    ifd0 = 8
    ifd1_at = ifd0 + 2 + 12 * 2 + 4
    w.ifd([(0x010F, ASCII, b"Loop"), (0xC612, BYTE, [1, 4, 0, 0])], next_ifd=ifd1_at)
    w.ifd([(0x0106, SHORT, [32803])], next_ifd=ifd0)
    out.append(("hostile-ifd-loop.dng", w.finish(ifd0), "corrupt", "directory loop"))
    w = TiffWriter("<")
    sub = w.ifd([(0x0106, SHORT, [32803])], declared=60000)
    _, ifd0 = dng_with([(0x014A, LONG, [sub])], w=w)
    out.append(("hostile-absurd-entry-count.dng", w.finish(ifd0), "corrupt",
                "declares 60000 entries"))
    w = TiffWriter("<")
    png = io.BytesIO()
    Image.fromarray(scene(16, 16, 12), "RGB").save(png, "PNG")
    p = w.blob(png.getvalue())
    _, ifd0 = dng_with([(0x0201, LONG, [p]), (0x0202, LONG, [len(png.getvalue())])], w=w)
    out.append(("hostile-preview-not-jpeg.dng", w.finish(ifd0), "corrupt", "is not a jpeg"))
    w = TiffWriter("<")
    p = w.blob(pv)
    _, ifd0 = dng_with([(0x0201, LONG, [p]), (0x0202, LONG, [0])], w=w)
    out.append(("hostile-zero-length-preview.dng", w.finish(ifd0), "corrupt", "has no bytes"))
    # SubIFD bomb: a binary tree of directories, 10 levels deep (1023 directories).
    w = TiffWriter("<")

    def tree(level):
        if level == 0:
            return w.ifd([(0x0106, SHORT, [32803])])
        a, b = tree(level - 1), tree(level - 1)
        return w.ifd([(0x0106, SHORT, [32803]), (0x014A, LONG, [a, b])])
    top = tree(9)
    _, ifd0 = dng_with([(0x014A, LONG, [top])], w=w)
    out.append(("hostile-subifd-bomb.dng", w.finish(ifd0), "corrupt",
                "nested deeper than 4 levels"))
    # SubIFD fan-out: 16 directories of 8 each (145 in all).
    w = TiffWriter("<")
    mids = [w.ifd([(0x0106, SHORT, [32803]),
                   (0x014A, LONG, [w.ifd([(0x0106, SHORT, [32803])]) for _ in range(8)])])
            for _ in range(16)]
    _, ifd0 = dng_with([(0x014A, LONG, mids)], w=w)
    out.append(("hostile-subifd-fan-out.dng", w.finish(ifd0), "corrupt",
                "more than 64 image directories"))
    cr3_data = cr3()[0]
    t1 = TiffWriter("<")
    lie = cr3_file(jpeg(96, 64, 10), t1.finish(t1.ifd([(0x0112, SHORT, [1])])), b"",
                   moov_size_lie=1_000_000)
    out.append(("hostile-box-size-lie.cr3", lie, "truncated", "past the end of its container"))
    # Cut inside the PRVW box, before mdat: no whole preview is left.
    prvw_at = cr3_data.find(PRVW_UUID) - 8
    out.append(("hostile-truncated.cr3", cr3_data[: prvw_at + 200], "truncated",
                "past the end of its container"))
    out.append(("hostile-preview-past-end.raf", raf_file(pv, jpeg_offset=10_000_000),
                "truncated", "runs past the end of the file"))
    out.append(("hostile-header-only.raf", raf_file(pv)[:60], "truncated", "raf header"))
    # A CR2 with only its lossless raw strip: no preview at all.
    w = TiffWriter("<", header=b"II*\x00\x00\x00\x00\x00CR\x02\x00\x00\x00\x00\x00")
    raw = w.blob(lossless_stub())
    ifd0 = w.ifd([(0x0103, SHORT, [6]), (0x0111, LONG, [raw]),
                  (0x0117, LONG, [len(lossless_stub())]), (0xC640, SHORT, [1, 48, 48])])
    out.append(("hostile-no-preview.cr2", w.finish(ifd0), "corrupt", "no embedded jpeg preview"))
    # A preview cut short inside its entropy-coded data.
    sos = pv.find(b"\xff\xda")
    w = TiffWriter("<")
    p = w.blob(pv[: sos + 40])
    _, ifd0 = dng_with([(0x0201, LONG, [p]), (0x0202, LONG, [sos + 40])], w=w)
    out.append(("hostile-preview-cut-short.dng", w.finish(ifd0), "corruptOrTruncated",
                "raw preview jpeg"))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        os.remove(os.path.join(OUT, name))
    entries = []
    for name, (data, preview, meta) in files():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        with Image.open(io.BytesIO(preview)) as im:
            exif = im.getexif()
            if meta.get("raw_orientation") is not None:
                exif[0x0112] = meta["raw_orientation"]
            orientation = exif.get(0x0112, 1)
            ref = ImageOps.exif_transpose(im).convert("RGB")
            size = meta.get("sensor") or (im.width, im.height)
        ref.save(os.path.join(OUT, name + ".ref.png"))
        upright = (size[1], size[0]) if orientation in (5, 6, 7, 8) else size
        entries.append({"file": name, "width": upright[0], "height": upright[1],
                        "orientation": orientation,
                        "camera": camera(meta.get("make"), meta.get("model")),
                        "takenAt": meta.get("taken"), "reference": name + ".ref.png"})
    bad = []
    for name, data, kind, phrase in hostile():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        bad.append({"file": name, "kind": kind, "phrase": phrase})
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"images": entries, "hostile": bad}, f, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README.format(pillow=PIL.__version__, numpy=np.__version__, seed=SEED))


README = """# Camera RAW fixtures

Generated by `scripts/make_raw_fixtures.py` (Pillow, numpy). Seed {seed}.
Versions: Pillow {pillow}, numpy {numpy}.

RAW-like containers built byte by byte around a small preview JPEG written by Pillow
(quality 90), with a stand-in for the sensor data:

- `dng-*.dng`: DNGVersion, the raw CFA image and a JPEG-compressed (7, YCbCr) preview
  in strips, both in SubIFDs; Orientation 6 in IFD0, date in the EXIF directory.
- `nef-*.nef`: big-endian; the preview in SubIFD0 through JPEGInterchangeFormat (its own
  EXIF says orientation 3, which must not apply), the raw in SubIFD1, a smaller JPEG
  in IFD1; Orientation 8 in IFD0.
- `arw-*.arw`: the preview in IFD0 through JPEGInterchangeFormat, the raw in a SubIFD.
- `cr2-*.cr2`: "CR" after the header; the preview in IFD0's strip (compression 6), a
  thumbnail in IFD1, the lossless (SOF3) raw strip with the slice tag in IFD3.
- `orf-*.orf`: the "IIRO" magic; IFD0 the raw image, IFD1 a small thumbnail, the large
  preview in the Olympus maker note (CameraSettings' PreviewImageStart and Length).
- `rw2-*.rw2`: the "IIU" magic; sensor size in tags 2 and 3, the preview as JpgFromRaw
  (tag 0x2E) whose own EXIF has camera and date but no orientation.
- `raf-*.raf`: the RAF header's JPEG offset and length; the CFA header's record 0x100
  gives the sensor size; orientation, camera and date come from the preview's EXIF.
- `cr3-*.cr3`: ISO BMFF: `ftyp` "crx ", `moov` with Canon's `uuid` box (`CMT1`, `CMT2`
  with the date and the full image's PixelX/YDimension), a full-size JPEG track and a raw
  track (`trak` > `mdia` > `minf` > `stbl` with `stsd` CRAW, `stsz`, `co64`; the JPEG
  track's image, 192x128, is the largest), the preview `uuid` box holding
  `PRVW` (the layout real files have: 24 bytes of box header, uuid and padding, then
  `PRVW` with 16 bytes of sizes before the JPEG), `mdat`.
- `*.ref.png`: the preview decoded by Pillow, `ImageOps.exif_transpose` with the
  orientation that applies (the RAW's own when it has one, else the preview's), RGB.
- `hostile-*`: broken files; `manifest.json` gives the error kind and a phrase of the
  reason each must give.
- `manifest.json`: the upright pixel size picseek reports (the sensor image's where the
  container says it, else the preview's), orientation, camera and date of each file.

Cross-check of the structures (not needed to regenerate): ExifTool 12.57 (Debian
`libimage-exiftool-perl`) reads each good file as DNG, NEF, ARW, CR2, ORF, RW2 (its
"RAW"), RAF and CR3 (its "CRX") with the same make, model, orientation and date, and
extracts the same largest preview (`-b -PreviewImage`, or `-JpgFromRaw` for the NEF and
RW2) as the one picseek picks (the same preview pixel size); for the CR3 it extracts the
`PRVW` preview, while picseek picks the larger image of the JPEG track.
"""

if __name__ == "__main__":
    main()
