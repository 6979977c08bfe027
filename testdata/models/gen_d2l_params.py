#!/usr/bin/python3
"""Generate deterministic parameters for the D2L numpy-shape MLP export in
testdata/mxnet/d2l-mlp-npshape (the repository it comes from has no license
file, so its params are not redistributed).

    /usr/bin/python3 testdata/models/gen_d2l_params.py

The symbol is what `net.export('my_mlp')` writes under `npx.set_np()` in
MXNet 1.7.0 (`is_np_shape` 1, unknown dims as -1 in `__shape__`), and its
params file there is a dict of **V3** (numpy-shape) NDArray records. This
script writes the same: `my_mlp-0000.params`, 6 `arg:` float32 arrays of the
shapes the symbol implies for a (1, 512) input (`dense3` 256×512, `dense4`
128×256, `dense5` 2×128 and their biases), each a V3 record (magic
0xF993FACA, stype 0, i32 ndim, i64 dims, cpu context, type flag 0). Weights
are seeded uniform in [-0.07, 0.07] (MXNet's default `Uniform(0.07)`
initializer, as D2L used); biases seeded uniform in [-0.1, 0.1] rather than
the initializer's zeros, so the bias path is exercised. The graph
(FullyConnected, relu) takes no discrete decision.
"""

import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import gen_models  # noqa: E402

DIR = "d2l-mlp-npshape"
SYMBOL = "my_mlp-symbol.json"
PARAMS = "my_mlp-0000.params"
SEED = 20261208
V3 = 0xF993FACA


def write_v3_dict(path, arrays):
    names = sorted(arrays)
    b = bytearray(struct.pack("<QQQ", 0x112, 0, len(names)))
    for k in names:
        v = np.ascontiguousarray(arrays[k], dtype="<f4")
        b += struct.pack("<Iii", V3, 0, v.ndim)
        b += struct.pack("<%dq" % v.ndim, *v.shape)
        b += struct.pack("<iii", 1, 0, 0)
        b += v.tobytes()
    b += struct.pack("<Q", len(names))
    for k in names:
        key = "arg:" + k
        b += struct.pack("<Q", len(key)) + key.encode()
    with open(path, "wb") as f:
        f.write(bytes(b))


def main():
    d = os.path.join(gen_models.MX, DIR)
    nodes, _ = gen_models.load_symbol(os.path.join(d, SYMBOL))
    rng = np.random.default_rng(SEED)
    arrays = {}
    fan_in = 512  # the D2L example's input is (1, 512)
    for n in nodes:
        if n["op"] != "FullyConnected":
            continue
        h = int(n["attrs"]["num_hidden"])
        w, b = (nodes[i]["name"] for i, _ in n["inputs"][1:3])
        arrays[w] = rng.uniform(-0.07, 0.07, (h, fan_in)).astype(np.float32)
        arrays[b] = rng.uniform(-0.1, 0.1, h).astype(np.float32)
        fan_in = h
    write_v3_dict(os.path.join(d, PARAMS), arrays)
    back = gen_models.read_params(os.path.join(d, PARAMS))
    assert all(np.array_equal(back["arg:" + k], v) for k, v in arrays.items())
    print("wrote %d V3 arrays: %s" % (len(arrays), {k: v.shape for k, v in arrays.items()}))


if __name__ == "__main__":
    main()
