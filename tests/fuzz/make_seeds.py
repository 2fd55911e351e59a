#!/usr/bin/env python3
"""Writes the hand-made seed inputs of tests/fuzz/corpus/<target>/ (named seed-*).

Each seed is tiny and either valid or broken in one known way, in the input layout the
harness documents at its top: for the dataset readers an options byte, then files separated by
SEPARATOR. Files found by fuzzing (named by their SHA-1) are left alone. Standard library only.

    tests/fuzz/make_seeds.py            # rewrite every seed-* file
"""

import gzip
import io
import pathlib
import struct
import zipfile
import zlib

ROOT = pathlib.Path(__file__).resolve().parent
REPO = ROOT.parent.parent
SEPARATOR = b"\n--file--\n"  # fuzz_support.h: kFileSeparator


def seed(target, name, data):
    folder = ROOT / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("seed-" + name)).write_bytes(data)


def files(options, *parts):
    return bytes([options]) + SEPARATOR.join(parts)


# --- IDX -----------------------------------------------------------------------------------

def idx_images(count, rows, cols, magic=0x803):
    pixels = bytes((i * 37 + 11) & 255 for i in range(count * rows * cols))
    return struct.pack(">IIII", magic, count, rows, cols) + pixels


def idx_labels(labels, count=None):
    return struct.pack(">II", 0x801, len(labels) if count is None else count) + bytes(labels)


def idx_seeds():
    images, labels = idx_images(2, 3, 4), idx_labels([0, 1])
    seed("idx", "valid-2-images", files(0x00, images, labels))
    seed("idx", "truncated-images", files(0x00, images[:-5], labels))
    seed("idx", "label-count-differs", files(0x00, images, idx_labels([0, 1, 1])))
    seed("idx", "bad-magic", files(0x00, idx_images(2, 3, 4, magic=0x801), labels))
    seed("idx", "no-label-file", files(0x00, images))
    seed("idx", "classes-txt", files(0x00, images, idx_labels([1, 0]), b"shoe\r\nbag\n\n"))
    seed("idx", "label-outside-classes", files(0x00, images, idx_labels([0, 2]), b"one\ntwo\n"))
    seed("idx", "gzipped", files(0x0C, gzip.compress(images, mtime=0),
                                 gzip.compress(labels, mtime=0)))
    seed("idx", "test-dotted-both-splits", files(0x13, images, labels))
    seed("idx", "fashion-limit", files(0x60, images, idx_labels([9, 3])))
    seed("idx", "open-image-file", files(0x80, images, labels))
    seed("idx", "huge-header", files(0x00, struct.pack(">IIII", 0x803, 0xFFFFFFFF, 32768, 32768),
                                     labels))


# --- CIFAR ---------------------------------------------------------------------------------

def cifar_seeds():
    pixels = bytes(range(40))
    names10 = b"airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n"
    seed("cifar", "cifar10-padded", files(0x08, bytes([3]) + pixels, names10))
    record = bytes([7]) + bytes(i & 255 for i in range(3072))
    seed("cifar", "cifar10-one-record", files(0x00, record))
    seed("cifar", "cifar10-two-batches", files(0x28, bytes([1]) + pixels))
    seed("cifar", "cifar10-batch-hole", files(0x68, bytes([1]) + pixels))
    seed("cifar", "cifar10-label-out-of-range", files(0x08, bytes([12]) + pixels))
    seed("cifar", "cifar10-short-names", files(0x18, bytes([5]) + pixels, b"cat\ndog\n"))
    seed("cifar", "cifar100-fine", files(0x09, bytes([2, 57]) + pixels))
    seed("cifar", "cifar100-coarse-test", files(0x0F, bytes([19, 99]) + pixels, b"a\nb\n"))
    seed("cifar", "not-whole-records", files(0x00, bytes(100)))


# --- STL-10 --------------------------------------------------------------------------------

def stl10_seeds():
    pixels = bytes(range(16))
    seed("stl10", "train-padded", files(0x0C, pixels, bytes([3])))
    seed("stl10", "test-lazy", files(0x1D, pixels, bytes([10])))
    seed("stl10", "unlabeled", files(0x06, pixels))
    seed("stl10", "unlabelled-two-images", files(0x87, pixels))
    seed("stl10", "label-zero", files(0x04, pixels, bytes([0])))
    seed("stl10", "names-too-few", files(0x0C, pixels, bytes([5]), b"airplane\nbird\n"))
    seed("stl10", "labels-missing", files(0x04, pixels))
    seed("stl10", "limit-with-unlabeled", files(0x6C, pixels, bytes([1, 2])))
    seed("stl10", "not-whole-images", files(0x00, bytes(100), bytes([1])))


# --- NPY -----------------------------------------------------------------------------------

def npy(header, data, major=1):
    text = header.encode()
    if major == 1:
        prefix = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text))
    else:
        prefix = b"\x93NUMPY" + bytes([major, 0]) + struct.pack("<I", len(text))
    return prefix + text + data


def npy_seeds():
    f4 = struct.pack("<6f", 0.5, -1, 2, 3.25, 0, 1e-3)
    seed("npy", "f4-2x3", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", f4))
    seed("npy", "u1-images", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 2)}",
                                 bytes(range(8))))
    seed("npy", "i2-fortran", npy('{"descr": "<i2", "fortran_order": True, "shape": (2, 3)}',
                                  struct.pack("<6h", 1, 2, 3, 4, 5, 6)))
    seed("npy", "version-2", npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,)}",
                                 struct.pack("<2q", -5, 7), major=2))
    seed("npy", "version-3-scalar", npy("{'descr': '<f8', 'fortran_order': False, 'shape': ()}",
                                        struct.pack("<d", 3.5), major=3))
    seed("npy", "empty-0x4", npy("{'descr': '<c8', 'fortran_order': False, 'shape': (0, 4L)}", b""))
    seed("npy", "data-truncated", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,)}",
                                      f4[:10]))
    seed("npy", "big-endian", npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,)}",
                                  f4[:4]))
    seed("npy", "structured", npy("{'descr': [('a', '<f4')], 'fortran_order': False, "
                                  "'shape': (1,)}", f4[:4]))
    seed("npy", "bad-magic", b"PK\x03\x04" + bytes(12))
    seed("npy", "header-length-past-end", b"\x93NUMPY\x01\x00\xff\xff{}")


# --- NPZ -----------------------------------------------------------------------------------

def npy_u1(shape, data):
    return npy("{'descr': '|u1', 'fortran_order': False, 'shape': %s, }" % (shape,), bytes(data))


def lying_zip(entries):
    """A zip of deflated (name, data, claimed size) entries whose directory claims each entry's
    uncompressed size is `claimed` (zip64 fields), whatever the data really holds."""
    out, central = b"", b""
    for name, data, claimed in entries:
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = deflate.compress(data) + deflate.flush()
        crc, encoded, offset = zlib.crc32(data) & 0xFFFFFFFF, name.encode(), len(out)
        out += (struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, crc, len(body),
                            0xFFFFFFFF, len(encoded), 20) + encoded +
                struct.pack("<HHQQ", 1, 16, claimed, len(body)) + body)
        extra = struct.pack("<HHQ", 1, 8, claimed)
        central += (struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc,
                                len(body), 0xFFFFFFFF, len(encoded), len(extra), 0, 0, 0, 0,
                                offset) + encoded + extra)
    return out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                                       len(central), len(out), 0)


def npz_seeds():
    images = npy_u1((2, 3, 3), range(18))
    labels = npy_u1((2, 1), [1, 0])
    seed("npz", "train-stored", files(0x00, images, labels))
    seed("npz", "val-deflated", files(0x06, b"", b"", images, labels))
    rgb = npy_u1((1, 2, 2, 3), range(12))
    labels_i8 = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                    struct.pack("<q", 4))
    seed("npz", "test-rgb-i8-labels", files(0x08, b"", b"", b"", b"", rgb, labels_i8))
    seed("npz", "multi-label", files(0x00, images, npy_u1((2, 3), [0, 1, 1, 1, 0, 0])))
    seed("npz", "labels-without-images", files(0x00, b"", labels))
    seed("npz", "negative-label", files(0x00, npy_u1((1, 2, 2), range(4)),
                                       npy("{'descr': '<i4', 'fortran_order': False, "
                                           "'shape': (1,), }", struct.pack("<i", -3))))
    seed("npz", "limit-and-budget", files(0x30, images, labels))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        for name, data in (("train_images.npy", images), ("train_labels.npy", labels)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    seed("npz", "raw-zip", files(0x01, archive.getvalue()))
    seed("npz", "raw-not-zip", files(0x41, b"PK\x05\x06" + bytes(18)))
    # A 458-byte file whose directory claims 2^40 images and labels: the reader once allocated
    # the claimed label bytes up front (std::bad_alloc escaped describe and open).
    n = 1 << 40
    huge_images = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (%d, 1, 1), }" % n, b"")
    huge_labels = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (%d,), }" % n, b"")
    seed("npz", "zip64-claims-2e40-labels",
         files(0x01, lying_zip([("train_images.npy", huge_images, n + len(huge_images)),
                                ("train_labels.npy", huge_labels, n + len(huge_labels))])))


# --- images --------------------------------------------------------------------------------

def png(width, height, depth, colour, rows, palette=None):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    body = b"".join(b"\x00" + row for row in rows)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth,
                                                             colour, 0, 0, 0))
    if palette:
        out += chunk(b"PLTE", palette)
    return out + chunk(b"IDAT", zlib.compress(body, 9)) + chunk(b"IEND", b"")


def bmp_2x2():
    rows = bytes([0, 0, 255, 0, 255, 0, 0, 0]) + bytes([255, 0, 0, 255, 255, 255, 0, 0])
    header = b"BM" + struct.pack("<IHHI", 54 + len(rows), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, 2, 2, 1, 24, 0, len(rows), 2835, 2835, 0, 0)
    return header + info + rows


def jpeg_grey_8x8():
    """A baseline JPEG of one mid-grey 8x8 block: every coefficient 0, one-code Huffman tables."""
    def segment(marker, payload):
        return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    one_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1, for symbol 0
    return (b"\xff\xd8" +
            segment(0xDB, b"\x00" + bytes([1] * 64)) +
            segment(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00") +
            segment(0xC4, b"\x00" + one_code) + segment(0xC4, b"\x10" + one_code) +
            segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") +
            b"\x3f" +  # DC category 0 ("0"), end of block ("0"), padded with ones
            b"\xff\xd9")


def image_seeds():
    grey = png(4, 3, 8, 0, [bytes([10, 80, 160, 240])] * 3)
    rgba = png(3, 5, 8, 6, [bytes(range(r * 12, r * 12 + 12)) for r in range(5)])
    seed("image", "png-grey", files(0x00, grey))
    seed("image", "png-rgba-two-classes", files(0x08, rgba, grey))
    seed("image", "png-16bit-size-1", files(0x10, png(2, 2, 16, 0, [bytes([1, 2, 3, 4])] * 2)))
    seed("image", "png-palette-size-33", files(0x35, png(2, 1, 8, 3, [bytes([0, 1])],
                                                         palette=bytes([255, 0, 0, 0, 0, 255]))))
    seed("image", "bmp-train-folder", files(0x43, bmp_2x2()))
    seed("image", "jpeg-grey", files(0x01, jpeg_grey_8x8()))
    seed("image", "jpeg-limit", files(0xA2, jpeg_grey_8x8(), rgba))
    seed("image", "png-truncated", files(0x00, grey[:40]))
    seed("image", "not-an-image", files(0x00, b"hello, not an image"))
    seed("image", "webp-magic-only", files(0x04, b"RIFF\x10\x00\x00\x00WEBPVP8L"))


# --- project and augmentation spec ---------------------------------------------------------

def json_seeds():
    for example in sorted((REPO / "projects").glob("*.json")):
        seed("project", example.stem, example.read_bytes())
    seed("project", "minimal", b'{"version": 1}')
    seed("project", "wrong-version", b'{"version": 2}')
    seed("project", "not-an-object", b"[1, 2]")
    seed("project", "syntax-error", b'{"version": 1,, }')
    seed("project", "paths-and-comments", b"""{ // comments are allowed
  "version": 1, "name": "", "dataset": {"path": "data/../images", "image_size": 32},
  "prior": {"spec": "npy:emb.npy"}, "neighbors": {"tau": "auto", "rule": "farthest"},
  "positives": {"source": "semantic"}, "method": {"name": "byol", "momentum": 0.99},
  "augment": {"crop": {"kind": "resize", "size": 32}, "flip": {"p": 0}},
  "train": {"optimizer": "adamw", "betas": [0.9, 0.95], "device": "cpu"},
  "eval": {"every": 2, "knn_temperature": 0.1} /* trailing */ }""")
    seed("project", "bad-values", b'{"version": 1, "train": {"lr": -1, "epochs": 1e40}}')

    for example in sorted((REPO / "projects" / "augment").glob("*.json")):
        seed("augment_spec", example.stem, example.read_bytes())
    seed("augment_spec", "empty-object", b"{}")
    seed("augment_spec", "normalize", b'{"normalize": {"mean": [0.485, 0.456, 0.406], '
                                      b'"std": [0.229, 0.224, 0.225]}}')
    seed("augment_spec", "unknown-key", b'{"blurr": {"p": 1}}')
    seed("augment_spec", "out-of-range", b'{"jitter": {"p": 1.5}, "crop": {"size": 4097}}')
    seed("augment_spec", "syntax-error", b'{"crop": {"scale": [0.1, }')


def main():
    idx_seeds()
    cifar_seeds()
    stl10_seeds()
    npy_seeds()
    npz_seeds()
    image_seeds()
    json_seeds()


if __name__ == "__main__":
    main()
