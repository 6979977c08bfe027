#!/usr/bin/python3
"""Writes the .npy/.npz goldens in this folder with numpy (run with
/usr/bin/python3, numpy 1.24). The Go tests check mxgo's WriteNPY/WriteNPZ
reproduce these bytes exactly and that ReadNPY/ReadNPZ read them back.

Values follow simple formulas the tests rebuild: arange(n) cast to the dtype,
reshaped to the shape.
"""
import os
import sys

import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

CASES = [
    ("f4_2x3", "<f4", (2, 3)),
    ("f8_5", "<f8", (5,)),
    ("f2_3x2", "<f2", (3, 2)),
    ("i1_4", "|i1", (4,)),
    ("u1_2x2x2", "|u1", (2, 2, 2)),
    ("i2_3", "<i2", (3,)),
    ("u2_3", "<u2", (3,)),
    ("i4_2x1", "<i4", (2, 1)),
    ("u4_2", "<u4", (2,)),
    ("i8_3", "<i8", (3,)),
    ("u8_2", "<u8", (2,)),
    ("b1_5", "|b1", (5,)),
    ("f4_scalar", "<f4", ()),
    ("f4_0x3", "<f4", (0, 3)),
    ("f4_20d", "<f4", (1,) * 20),
    ("f4_big0", "<f4", (123456789012345, 0)),
]


def arr(descr, shape):
    n = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if n > 1 << 20:
        n = 0
    a = np.arange(n) % 7
    if descr == "|b1":
        a = a % 2
    return a.astype(descr).reshape(shape)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, descr, shape in CASES:
        np.save(os.path.join(OUT, name + ".npy"), arr(descr, shape))
    np.savez(os.path.join(OUT, "mixed.npz"),
             **{"arg:w": arr("<f4", (2, 3)), "b": arr("<i8", (3,)), "s": arr("<f8", ())})
    np.savez_compressed(os.path.join(OUT, "compressed.npz"), x=arr("<f4", (4, 4)))
    np.save(os.path.join(OUT, "fortran_f4_2x3.npy"), np.asfortranarray(arr("<f4", (2, 3))))
    np.save(os.path.join(OUT, "big_endian_i4_3.npy"), arr(">i4", (3,)))


if __name__ == "__main__":
    main()
