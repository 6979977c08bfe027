#!/usr/bin/python3
"""Generate deterministic parameters for the RetinaFace MobileNet-0.25 graph
in testdata/mxnet/retinaface-mnet25.

    /usr/bin/python3 testdata/models/gen_retinaface_params.py

The symbol JSON there is the graph deepinsight/insightface's MIT-licensed
RetinaFace code builds; the repository it was copied from has no license,
so its trained weights are not redistributed here. This script writes
`mnet.25-0000.params` instead: an MXNet V2 NDArray list with the same 179
`arg:` and 94 `aux:` names and shapes (checked against the symbol by walking
it with the float64 reference, so every shape is the one its input implies).

Values (one seeded generator, so the file is reproducible byte for byte):

* Convolution weights: He-normal, read from one table of 7919 standard
  normals at a random offset (as gen_ssd_params.py does) so git stores the
  file compactly; biases uniform in [-0.1, 0.1].
* BatchNorm: moving_var is the calibration input's per-channel mean square
  (times [0.8, 1.2]) and moving_mean a small fraction of its root, so each
  layer's output is of order one through the 27 conv/BN/relu blocks instead
  of growing or vanishing; gamma in [0.25, 0.5] and beta in [0.2, 0.6] keep
  the random network in its contracting regime, so float32 rounding (about
  1e-7 relative per layer) is not amplified layer after layer: rerunning the
  graph with every node output rounded to float32 stays 25x inside the model
  goldens' tolerance (a chaotic random init, gamma near 1 and beta near 0,
  amplified it to 1e-5 relative, at the tolerance itself). The calibration
  input is a separate seeded uniform [0, 255) batch of 2×3×160×224.
* The three class heads: their bias separates the face/background logits by
  a seeded amount in [-1, 1] so the softmax probabilities are spread, not
  saturated at 0 or 1.

The graph takes no discrete decision (no NMS, threshold or argmax; only relu,
convolutions, nearest upsampling, Crop and softmax), so no margin
search is needed: every output is a continuous function of the weights.
"""

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import gen_models  # noqa: E402
import gen_ssd_params  # noqa: E402  (table_normal, write_params)
import mxref  # noqa: E402
import mxref_layer  # noqa: E402,F401  (registers Crop)

DIR = "retinaface-mnet25"
SYMBOL = "mnet.25-symbol.json"
PARAMS = "mnet.25-0000.params"
SEED = 20261206
CALIB_SHAPE = (2, 3, 160, 224)


def make_params(nodes, x, seed):
    rng = np.random.default_rng(seed)
    table = rng.standard_normal(gen_ssd_params.TABLE_LEN)
    params, aux, vals = {}, set(), {}
    for i, n in enumerate(nodes):
        if n["op"] == "null":
            vals[(i, 0)] = x if n["name"] == "data" else None
            continue
        a = gen_models.op_attrs(n["attrs"])
        ins = [vals[(j, k)] for j, k in n["inputs"]]
        if n["op"] == "Convolution":
            c = ins[0].shape[1]
            f = int(a["num_filter"])
            g = int(a.get("num_group", "1"))
            kh, kw = mxref.p_tuple(a["kernel"])
            fan_in = c // g * kh * kw
            w = gen_ssd_params.table_normal(table, int(rng.integers(gen_ssd_params.TABLE_LEN)),
                                            (f, c // g, kh, kw)) * np.sqrt(2.0 / fan_in)
            wname = nodes[n["inputs"][1][0]]["name"]
            params[wname] = w.astype(np.float32)
            ins[1] = params[wname].astype(np.float64)
            if not mxref.p_bool(a.get("no_bias"), False):
                b = rng.uniform(-0.1, 0.1, f)
                if "cls_score" in n["name"]:
                    # channels (bg, bg, face, face) for the 2 anchors
                    d = rng.uniform(-1.0, 1.0, f // 2)
                    b[: f // 2] = -d / 2
                    b[f // 2:] = d / 2
                bname = nodes[n["inputs"][2][0]]["name"]
                params[bname] = b.astype(np.float32)
                ins[2] = params[bname].astype(np.float64)
        elif n["op"] == "BatchNorm":
            c = ins[0].shape[1]
            ms = np.mean(ins[0] ** 2, axis=(0, 2, 3)) + 1e-3
            stats = [rng.uniform(0.25, 0.5, c), rng.uniform(0.2, 0.6, c),
                     rng.uniform(-0.1, 0.1, c) * np.sqrt(ms), ms * rng.uniform(0.8, 1.2, c)]
            for k, s in zip(range(1, 5), stats):
                name = nodes[n["inputs"][k][0]]["name"]
                params[name] = s.astype(np.float32)
                ins[k] = params[name].astype(np.float64)
                if k >= 3:
                    aux.add(name)
        outs = mxref.run(n["op"], a, ins)
        for k, y in enumerate(outs):
            vals[(i, k)] = y
    return params, aux, vals


def main():
    d = os.path.join(gen_models.MX, DIR)
    nodes, heads = gen_models.load_symbol(os.path.join(d, SYMBOL))
    x = np.random.default_rng(SEED).uniform(0, 255, size=CALIB_SHAPE)
    params, aux, vals = make_params(nodes, x, SEED)
    free = {n["name"] for n in nodes if n["op"] == "null" and n["name"] != "data"}
    if free != set(params):
        raise SystemExit("parameters without a value: %s" % sorted(free - set(params)))
    for nid, idx in heads:
        y = vals[(nid, idx)]
        print("%-40s %-18s |max| %.3g" % (gen_models.output_name(nodes, nid, idx), y.shape, np.abs(y).max()))
    gen_ssd_params.write_params(os.path.join(d, PARAMS), params, aux)
    print("wrote %d arg + %d aux arrays, %d floats" % (len(params) - len(aux), len(aux),
                                                        sum(v.size for v in params.values())))


if __name__ == "__main__":
    main()
