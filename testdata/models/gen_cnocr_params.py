#!/usr/bin/python3
"""Generate deterministic parameters for the two cnocr graphs in
testdata/mxnet/cnocr-densenet-lite-gru and testdata/mxnet/cnocr-conv-lstm.

    /usr/bin/python3 testdata/models/gen_cnocr_params.py [gru|lstm ...]

Both symbol JSONs are those cnocr (breezedeus/cnocr, Apache-2.0) shipped for
its Chinese OCR models (see SOURCES.md), each a CNN feature extractor
followed by a Gluon recurrent layer called on the symbol, so the graph holds
what Gluon 1.x's `_RNNLayer` emits: a `Reshape(shape=-1)` of each weight and
bias, `_rnn_param_concat(dim=0, num_args=...)`, `_zeros` begin states of
shape (layers*directions, 0, hidden) with `__layout__` LNC, and the fused
`RNN(state_outputs=True, ...)`; then FullyConnected(6426) and a softmax, and
a CTC loss branch for training.

* gru (cnocr 1.2.0 densenet-lite-gru, MXNet 1.6.0): Gluon DenseNet-lite and
  `rnn.GRU(128, bidirectional=True)`: 8 flattened params, one state.
* lstm (cnocr 1.0.0, MXNet 1.4.1): a symbolic conv net (Convolution with
  bias, BatchNorm with fix_gamma, LeakyReLU, max/avg Pooling and their
  difference) and `rnn.LSTM(100, num_layers=2, bidirectional=True)`: 16
  flattened params, two states (h and c) of shape (4, 0, 100).

The trained weights are not in the repository the symbols were copied from,
so this script writes `<prefix>-0000.params.gz` for each: a gzip-compressed
MXNet V2 NDArray list with the `arg:` and `aux:` names and shapes the graph
implies (found by walking it with the float64 reference on a calibration
input, so every shape is the one its input implies; the CTC branch is not
needed for inference and is not walked).

Values (one seeded generator per model, so each file is reproducible byte
for byte):

* Convolution weights: He-normal, read from one table of 7919 standard
  normals at a random offset (as gen_ssd_params.py does), so the files gzip
  to a small fraction; convolution biases uniform in [-0.1, 0.1].
* BatchNorm: moving_var is the calibration input's per-channel mean square
  (times [0.8, 1.2]) and moving_mean a small fraction of its root, gamma in
  [0.25, 0.5] (ignored where fix_gamma holds) and beta in [0.2, 0.6] (as
  gen_retinaface_params.py does), so every layer's output is of order one.
* Recurrent weights: from the table scaled by 1/sqrt(fan in) (the layer's
  input size for i2h, the hidden size for h2h), biases uniform in
  [-0.2, 0.2].
* pred_fc: weights from the table scaled by s/sqrt(fan in), s = 6 (GRU) or
  16 (LSTM, whose outputs are smaller), so the 6426-way softmax is not flat
  (row maxima about 0.02 to 0.15); bias uniform in [-1, 1].

The calibration input is a separate seeded uniform [0, 1) batch of
2x1x32x64 (cnocr feeds grey images scaled to [0, 1], 32 rows high). The
inference path takes no discrete decision (relu/leaky relu, max pooling of
distinct values, the recurrent layer, softmax), so no margin search is
needed.
"""

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import gen_gluon_ssd_params  # noqa: E402  (write_params_gz)
import gen_models  # noqa: E402
import gen_ssd_params  # noqa: E402  (table_normal, write_params)
import mxref  # noqa: E402
import mxref_creation  # noqa: E402,F401  (_zeros)
import mxref_rnn  # noqa: E402,F401  (RNN, _rnn_param_concat)

# name: (folder, symbol, params, calibration input shape, seed, pred_fc scale)
MODELS = {
    "gru": ("cnocr-densenet-lite-gru", "cnocr-v1.2.0-densenet-lite-gru-symbol.json",
            "cnocr-v1.2.0-densenet-lite-gru-0000.params.gz", (2, 1, 32, 64), 20261210, 6.0),
    "lstm": ("cnocr-conv-lstm", "model-v1.0.0-symbol.json", "model-v1.0.0-0000.params.gz",
             (2, 1, 32, 64), 20261212, 16.0),
}
HEAD = "blockgrad0_output"  # the prediction head; makeloss0 is the CTC loss
GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}


def make_params(nodes, need, x, seed, fc_scale):
    rng = np.random.default_rng(seed)
    table = rng.standard_normal(gen_ssd_params.TABLE_LEN)

    def tab(shape, scale):
        return gen_ssd_params.table_normal(table, int(rng.integers(gen_ssd_params.TABLE_LEN)), shape) * scale

    params, aux, vals = {}, set(), {}

    def setp(n, k, v, ins):
        name = nodes[n["inputs"][k][0]]["name"]
        params[name] = np.asarray(v, np.float32)
        ins[k] = params[name].astype(np.float64)

    rnn = next(n for n in nodes if n["op"] == "RNN")
    ra = gen_models.op_attrs(rnn["attrs"])
    hidden = int(ra["state_size"])
    gates = GATES[ra["mode"]] * hidden
    dirs = 2 if mxref.p_bool(ra.get("bidirectional"), False) else 1
    rnn_data = rnn["inputs"][0]

    for i, n in enumerate(nodes):
        if i not in need:
            continue
        if n["op"] == "null":
            vals[(i, 0)] = x if n["name"] == "data" else None
            continue
        a = gen_models.op_attrs(n["attrs"])
        ins = [vals[(j, k)] for j, k in n["inputs"]]
        op = n["op"]
        if op == "Convolution":
            c = ins[0].shape[1]
            f = int(a["num_filter"])
            g = int(a.get("num_group", "1"))
            kh, kw = mxref.p_tuple(a["kernel"])
            fan_in = c // g * kh * kw
            setp(n, 1, tab((f, c // g, kh, kw), np.sqrt(2.0 / fan_in)), ins)
            if not mxref.p_bool(a.get("no_bias"), False):
                setp(n, 2, rng.uniform(-0.1, 0.1, f), ins)
        elif op == "BatchNorm":
            c = ins[0].shape[1]
            ms = np.mean(ins[0] ** 2, axis=(0, 2, 3)) + 1e-3
            stats = [rng.uniform(0.25, 0.5, c), rng.uniform(0.2, 0.6, c),
                     rng.uniform(-0.1, 0.1, c) * np.sqrt(ms), ms * rng.uniform(0.8, 1.2, c)]
            for k, s in zip(range(1, 5), stats):
                setp(n, k, s, ins)
                if k >= 3:
                    aux.add(nodes[n["inputs"][k][0]]["name"])
        elif op == "Reshape" and ins[0] is None:
            # a Gluon RNN weight or bias ({prefix}{l,r}{layer}_{i2h,h2h}_{weight,bias}),
            # flattened for _rnn_param_concat; its shape follows from the
            # variable's name, the layer's hidden size and its input size
            var = nodes[n["inputs"][0][0]]["name"]
            if var.endswith("_bias"):
                v = rng.uniform(-0.2, 0.2, gates)
            else:
                layer = int(var.split("_")[-3][1:])
                if "_i2h_" not in var:
                    fan_in = hidden
                elif layer == 0:
                    fan_in = vals[rnn_data].shape[2]  # (time, batch, features)
                else:
                    fan_in = dirs * hidden
                v = tab((gates, fan_in), 1.0 / np.sqrt(fan_in))
            setp(n, 0, v, ins)
        elif op == "FullyConnected":
            k = int(np.prod(ins[0].shape[1:]))
            h = int(a["num_hidden"])
            setp(n, 1, tab((h, k), fc_scale / np.sqrt(k)), ins)
            setp(n, 2, rng.uniform(-1.0, 1.0, h), ins)
        outs = mxref.run(op, a, ins)
        for k, y in enumerate(outs):
            vals[(i, k)] = y
    return params, aux, vals


def generate(folder, symbol, params_file, calib_shape, seed, fc_scale):
    d = os.path.join(gen_models.MX, folder)
    nodes, heads = gen_models.load_symbol(os.path.join(d, symbol))
    head = gen_models.find_output(nodes, HEAD)
    need = gen_models.ancestors(nodes, [head])
    x = np.random.default_rng(seed).uniform(0, 1, size=calib_shape)
    params, aux, vals = make_params(nodes, need, x, seed, fc_scale)
    free = {n["name"] for i, n in enumerate(nodes) if n["op"] == "null" and n["name"] != "data" and i in need}
    if free != set(params):
        raise SystemExit("parameters without a value: %s" % sorted(free - set(params)))
    y = vals[head]
    print("%s: %s %s |max| %.3g, row max %.3g..%.3g" % (folder, HEAD, y.shape, np.abs(y).max(),
                                                        y.max(axis=1).min(), y.max(axis=1).max()))
    path = os.path.join(d, params_file)
    gen_gluon_ssd_params.write_params_gz(path, params, aux)
    back = gen_models.read_params(path)
    assert all(np.array_equal(back[("aux:" if k in aux else "arg:") + k], v) for k, v in params.items())
    print("wrote %d arg + %d aux arrays, %d floats, %d bytes gzipped" % (
        len(params) - len(aux), len(aux), sum(v.size for v in params.values()), os.path.getsize(path)))


def main():
    names = sys.argv[1:] or sorted(MODELS)
    for name in names:
        generate(*MODELS[name])


if __name__ == "__main__":
    main()
