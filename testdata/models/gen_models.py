#!/usr/bin/python3
"""Generate float64 reference outputs of the bundled real MXNet checkpoints.

    /usr/bin/python3 testdata/models/gen_models.py [OUTDIR]

For every model below, parse its symbol JSON (any generation: `attrs`,
`attr` or 0.8 `param` dicts, 2- or 3-element inputs) and its .params file
(the NDArray list format, V0/V1/V2/V3 records, read by read_params below),
evaluate the graph node by node with the mxref operator reference in
float64, and write to OUTDIR (default: this script's directory):

  <case>-input.npy            the deterministic input (float32)
  <case>-<output>.npy         reference heads and internal outputs (float64)
  cases.json                  one entry per case (see README.md)

Inputs: MNIST models use the bundled MNIST test digits
(testdata/mxnet/mnist-samples, values in [0, 1]); other models a seeded
uniform input of the stated shape. Label inputs of loss heads are fed zeros
(they do not affect the forward pass).

Tolerances: rtol 1e-4 and atol = max(1e-5 * max|reference output|, 1e-7). A float32
forward accumulates rounding over every layer (contraction lengths up to a
few thousand, tens of layers); running the same graph here with every node
output rounded to float32 (--f32-check) stays well inside this bound, and it
is still tight enough that a wrong padding, axis or activation is caught.
"""

import glob
import gzip
import importlib
import io
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "testdata", "ops"))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import mxref  # noqa: E402

MX = os.path.join(ROOT, "testdata", "mxnet")

# ---------------------------------------------------------------------------
# NDArray list file (.params)

_TYPE = {0: np.float32, 1: np.float64, 2: np.float16, 3: np.uint8, 4: np.int32, 5: np.int8, 6: np.int64}
_V1, _V2, _V3 = 0xF993FAC8, 0xF993FAC9, 0xF993FACA


class _Reader:
    def __init__(self, b):
        self.b, self.o = b, 0

    def take(self, fmt):
        v = struct.unpack_from("<" + fmt, self.b, self.o)
        self.o += struct.calcsize("<" + fmt)
        return v if len(v) > 1 else v[0]

    def raw(self, n):
        if self.o + n > len(self.b):
            raise ValueError("truncated params file")
        v = self.b[self.o:self.o + n]
        self.o += n
        return v


def _read_array(r):
    first = r.take("I")
    if first in (_V2, _V3):
        stype = r.take("i")
        if stype != 0:
            raise ValueError("sparse arrays not supported")
        ndim = r.take("i")
        shape = [r.take("q") for _ in range(ndim)]
        if first == _V3:  # numpy shape: ndim 0 is a scalar, a -1 dim means none
            if ndim < 0 or any(d < 0 for d in shape):
                raise ValueError("none or unknown-shape V3 record not supported")
            r.take("ii")  # context
            dt = np.dtype(_TYPE[r.take("i")])
            n = int(np.prod(shape))
            return np.frombuffer(r.raw(n * dt.itemsize), dtype=dt.newbyteorder("<")).reshape(shape).copy()
    elif first == _V1:
        ndim = r.take("I")
        shape = [r.take("q") for _ in range(ndim)]
    else:  # V0: the first u32 is ndim
        ndim = first
        shape = [r.take("I") for _ in range(ndim)]
    if ndim == 0:
        return None
    r.take("ii")  # context
    dt = np.dtype(_TYPE[r.take("i")])
    n = int(np.prod(shape))
    return np.frombuffer(r.raw(n * dt.itemsize), dtype=dt.newbyteorder("<")).reshape(shape).copy()


def read_params(path):
    """Return {name: array} of an mx.nd.save list/dict file (gzip-compressed
    when the name ends in .gz)."""
    with open(path, "rb") as f:
        b = f.read()
    if path.endswith(".gz"):
        b = gzip.decompress(b)
    r = _Reader(b)
    if r.take("Q") != 0x112:
        raise ValueError("%s: not an NDArray list file" % path)
    r.take("Q")
    arrays = [_read_array(r) for _ in range(r.take("Q"))]
    names = []
    for _ in range(r.take("Q")):
        names.append(r.raw(r.take("Q")).decode())
    if len(names) != len(arrays):
        raise ValueError("%s: %d names for %d arrays" % (path, len(names), len(arrays)))
    return dict(zip(names, arrays))


# ---------------------------------------------------------------------------
# symbol JSON evaluation

# ops whose trailing inputs are auxiliary states in MXNet (needed to tell
# arg: from aux: parameters)
_AUX = {"BatchNorm": (3, 4)}


def load_symbol(path):
    with open(path) as f:
        j = json.load(f)
    nodes = []
    for n in j["nodes"]:
        attrs = n.get("attrs", n.get("attr", n.get("param", {}))) or {}
        nodes.append({"op": n["op"], "name": n["name"], "attrs": dict(attrs),
                      "inputs": [(i[0], i[1]) for i in n["inputs"]]})
    heads = [(h[0], h[1]) for h in j["heads"]]
    return nodes, heads


def op_attrs(attrs):
    """Drop hidden (__x__) keys and legacy per-op lr/wd keys."""
    return {k: v for k, v in attrs.items() if not (k.startswith("__") and k.endswith("__"))}


def find_output(nodes, name):
    """The (node id, output index) whose ListOutputs name is name."""
    for i, n in enumerate(nodes):
        if n["op"] == "null":
            continue
        for k in range(3):
            if output_name(nodes, i, k) == name:
                return (i, k)
    raise KeyError("no output named %s" % name)


def ancestors(nodes, outputs):
    """The ids of the nodes the given (node id, index) outputs depend on."""
    need, todo = set(), [nid for nid, _ in outputs]
    while todo:
        i = todo.pop()
        if i not in need:
            need.add(i)
            todo.extend(j for j, _ in nodes[i]["inputs"])
    return need


def forward(nodes, params, feeds, f32=False, need=None):
    """Evaluate every node (or only the ids in need); returns {(node id,
    output index): array}. feeds maps variable names to arrays; other
    variables come from params (arg:/aux: prefixes or bare names); unknown
    *_label variables are zeros. f32 rounds every node output to float32
    (error estimate)."""
    vals = {}
    for i, n in enumerate(nodes):
        if need is not None and i not in need:
            continue
        if n["op"] == "null":
            name = n["name"]
            if name in feeds:
                v = feeds[name]
            else:
                v = None
                for key in ("arg:" + name, "aux:" + name, name):
                    if key in params:
                        v = params[key]
                        break
                if v is None:
                    if name.endswith("label"):
                        v = np.zeros(1)  # loss labels do not affect the forward pass
                    else:
                        raise KeyError("no value for variable %s" % name)
            vals[(i, 0)] = np.asarray(v, dtype=np.float64)
            continue
        ins = [vals[(j, k)] for j, k in n["inputs"]]
        outs = mxref.run(n["op"], op_attrs(n["attrs"]), ins)
        for k, y in enumerate(outs):
            if y is not None and f32:
                y = np.asarray(y, dtype=np.float32).astype(np.float64)
            vals[(i, k)] = y
    return vals


def output_name(nodes, nid, idx):
    """MXNet's ListOutputs name for an output (the common cases used here)."""
    n = nodes[nid]
    op = n["op"]
    if op == "SliceChannel":
        return "%s_output%d" % (n["name"], idx)
    if op == "RNN":
        return n["name"] + "_" + ["output", "state_output", "statecell_output"][idx]
    if op in ("BatchNorm", "LayerNorm"):
        return n["name"] + "_" + ["output", "mean", "var" if op == "BatchNorm" else "std"][idx]
    return n["name"] + "_output"


# ---------------------------------------------------------------------------
# cases

rng = np.random.default_rng(1129)


def mnist(i):
    with open(os.path.join(MX, "mnist-samples", "%02d.json" % i)) as f:
        return np.asarray(json.load(f), dtype=np.float32).reshape(1, 28, 28)


def digits(idx):
    return np.stack([mnist(i) for i in idx])


MODELS = [
    # dir, symbol, params, prefix, epoch, input name, input (callable), internal outputs, classifier
    dict(case="lenet-module", dir="lenet-module", symbol="LeNet-symbol.json", params="LeNet-0010.params",
         prefix="LeNet", epoch=10, input_name="data", input=lambda: digits([0]),
         internal=["fc1_output", "pool2_output"], classifier=True),
    dict(case="lenet-module-batch10", dir="lenet-module", symbol="LeNet-symbol.json", params="LeNet-0010.params",
         prefix="LeNet", epoch=10, input_name="data", input=lambda: digits(range(10)),
         internal=["fc3_output"], classifier=True),
    dict(case="sm-mlp-dummy", dir="sm-mlp-dummy", symbol="model-symbol.json", params="model-0000.params",
         prefix="model", epoch=0, input_name="data", input=lambda: digits([1]),
         internal=["fullyconnected0_output", "fullyconnected2_output"], classifier=True),
    dict(case="sm-mlp-dummy-batch10", dir="sm-mlp-dummy", symbol="model-symbol.json", params="model-0000.params",
         prefix="model", epoch=0, input_name="data", input=lambda: digits(range(10)),
         internal=["fullyconnected2_output"], classifier=True),
    dict(case="sm-linreg", dir="sm-linreg", symbol="model-symbol.json", params="model-0000.params",
         prefix="model", epoch=0, input_name="data", input=lambda: np.array([[1, 2]], np.float32),
         internal=[], classifier=False),
    dict(case="go-predictor-fc", dir="go-predictor-fc", symbol="go_test-symbol.json", params="go_test-0001.params",
         prefix="go_test", epoch=1, input_name="data",
         input=lambda: rng.uniform(-1, 1, size=(1, 7)).astype(np.float32),
         internal=["pred_output"], classifier=False),
    dict(case="mtcnn-det1", dir="mtcnn-det1", symbol="det1-symbol.json", params="det1-0001.params",
         prefix="det1", epoch=1, input_name="data",
         input=lambda: rng.uniform(-1, 1, size=(1, 3, 25, 31)).astype(np.float32),
         internal=["pool1_output", "conv4_1_output"], classifier=False),
    dict(case="mtcnn-det4", dir="mtcnn-det4", symbol="det4-symbol.json", params="det4-0001.params",
         prefix="det4", epoch=1, input_name="data",
         input=lambda: rng.uniform(-1, 1, size=(1, 15, 24, 24)).astype(np.float32),
         internal=["slice_output2", "pool1_1_output"], classifier=False),
    dict(case="gluoncv-cifar-resnet20-v1", dir="gluoncv-cifar-resnet20-v1", symbol="cifar_resnet20_v1-symbol.json",
         params="cifar_resnet20_v1-0000.params", prefix="cifar_resnet20_v1", epoch=0, input_name="data",
         input=lambda: rng.standard_normal(size=(1, 3, 32, 32)).astype(np.float32),
         internal=["cifarresnetv10_batchnorm0_fwd_output", "cifarresnetv10_stage1__plus0_output"], classifier=True),
    dict(case="lffd-lp-small", dir="lffd-lp-small", symbol="symbol_64_512_16L_3scales_v1_small_deploy.json",
         params="train_64_512_16L_3scales_v1_small_iter_1000000.params", prefix=None, epoch=None,
         input_name="data", input=lambda: rng.uniform(0, 255, size=(1, 3, 128, 160)).astype(np.float32),
         internal=[], classifier=False),
]

# Further models live in models_<family>.py beside this file: each defines
# models() returning entries like the ones above (drawing inputs from its own
# seeded generator) and imports the mxref_<family> modules its ops need.
# A family module may also define extra(outdir, gen_models): goldens that do
# not fit a single-input case (written by build after the cases).
EXTRAS = []
for _path in sorted(glob.glob(os.path.join(HERE, "models_*.py"))):
    _mod = importlib.import_module(os.path.basename(_path)[:-3])
    MODELS.extend(_mod.models())
    if hasattr(_mod, "extra"):
        EXTRAS.append(_mod.extra)


def tolerance(y):
    m = float(np.max(np.abs(y))) if y.size else 0.0
    return 1e-4, float("%.3g" % max(1e-5 * m, 1e-7))


def save_npy(path, a):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(a), allow_pickle=False)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def build(outdir, f32_check=False):
    os.makedirs(outdir, exist_ok=True)
    meta = []
    for m in MODELS:
        d = os.path.join(MX, m["dir"])
        nodes, heads = load_symbol(os.path.join(d, m["symbol"]))
        need = None
        if m.get("heads"):
            # only these outputs are bound (the others need inputs or an
            # input size the case does not have, e.g. a CTC loss head)
            heads = [find_output(nodes, h) for h in m["heads"]]
            need = ancestors(nodes, heads + [find_output(nodes, h) for h in m["internal"]])
        params = read_params(os.path.join(d, m["params"]))
        x = m["input"]()
        vals = forward(nodes, params, {m["input_name"]: x}, need=need)
        byname = {}
        for (nid, idx), v in vals.items():
            if nodes[nid]["op"] != "null" and v is not None:
                byname[output_name(nodes, nid, idx)] = v
        case = m["case"]
        infile = case + "-input.npy"
        save_npy(os.path.join(outdir, infile), x)

        def entry(name):
            y = byname[name]
            fn = "%s-%s.npy" % (case, name)
            save_npy(os.path.join(outdir, fn), y)
            rtol, atol = tolerance(y)
            return {"name": name, "file": fn, "shape": list(y.shape), "rtol": rtol, "atol": atol}

        head_names = [output_name(nodes, nid, idx) for nid, idx in heads]
        outs = [entry(n) for n in head_names]
        internal = [entry(n) for n in m["internal"]]
        argmax = None
        batch_argmax = None
        if m["classifier"]:
            y = byname[head_names[0]]
            am = [int(v) for v in np.argmax(y.reshape(y.shape[0], -1), axis=1)]
            if len(am) == 1:
                argmax = am[0]
            batch_argmax = am
        e = {"case": case, "dir": m["dir"], "symbol": m["symbol"], "params": m["params"],
             "prefix": m["prefix"], "epoch": m["epoch"], "input_name": m["input_name"],
             "input_shape": list(x.shape), "input_file": infile, "outputs": outs,
             "internal_outputs": internal, "argmax": argmax, "batch_argmax": batch_argmax}
        if m.get("heads"):
            e["heads"] = list(m["heads"])
        meta.append(e)
        if f32_check:
            v32 = forward(nodes, params, {m["input_name"]: x}, f32=True, need=need)
            for (nid, idx) in heads:
                y, y32 = vals[(nid, idx)], v32[(nid, idx)]
                rtol, atol = tolerance(y)
                err = np.abs(y - y32)
                ok = bool(np.all(err <= atol + rtol * np.abs(y)))
                err = np.append(err.ravel(), 0.0)
                print("%s %s: float32 max abs err %.3g (atol %.3g) %s" % (
                    case, output_name(nodes, nid, idx), float(err.max()), atol, "ok" if ok else "EXCEEDS"))
    with open(os.path.join(outdir, "cases.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    for extra in EXTRAS:
        extra(outdir, sys.modules[__name__])
    return meta


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = args[0] if args else HERE
    meta = build(out, f32_check="--f32-check" in sys.argv)
    for e in meta:
        print(e["case"], e["input_shape"], [(o["name"], o["shape"]) for o in e["outputs"]], "argmax", e["argmax"],
              e["batch_argmax"])
