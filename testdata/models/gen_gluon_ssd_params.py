#!/usr/bin/python3
"""Generate deterministic parameters for the GluonCV SSD-512 ResNet-50 export
in testdata/mxnet/djl-gluoncv-ssd512-resnet50 (DJL ships only its symbol).

    /usr/bin/python3 testdata/models/gen_gluon_ssd_params.py

Walks the symbol in order, evaluating it with the float64 reference on the
models_zoo input (1×3×128×128) so every parameter gets the shape its input
implies, and writes an MXNet V2 NDArray list (`arg:`/`aux:` names, float32)
next to the symbol, as `HybridBlock.export` would (245 `arg:` + 122 `aux:`
arrays, 36.9 M values, 148 MB), gzip-compressed to
`ssd_512_resnet50_v1-0000.params.gz` (about 4 MB; gunzip it to get the
file MXNet or `mxgo run` reads). Values (one seeded generator, reproducible byte for byte):

* Convolution weights: He-normal, read from one table of 7919 standard
  normals (gen_ssd_params.TABLE_LEN) at a random offset per layer, so the
  file compresses to a few MB while every filter differs;
  biases uniform in [-0.1, 0.1], except the class predictors (even
  `convpredictor`s, 21 logits per anchor), whose bias is 0 but for the
  background logit (see below).
* BatchNorm: moving_var is the layer's mean square on the test input (one
  value per layer, times [0.8, 1.2] per channel), moving_mean a small
  fraction of its root, gamma in [0.25, 0.5] and beta in [0.2, 0.6], so the
  random 60-layer network neither explodes nor amplifies float32 rounding
  (per-channel statistics, as gen_retinaface_params.py uses, blow up the
  near-zero channels of the 1x1 extra layers to 1e-3 relative error).
* The six `ssdanchorgenerator{i}_anchor_{i}` constants are the anchors
  GluonCV's SSDAnchorGenerator computes for `ssd_512_resnet50_v1_voc`
  (sizes 51.2 … 492, the ratios and steps 16 … 512 of gluoncv's model zoo,
  offsets 0.5, alloc sizes from the symbol's `__shape__`), in pixels.
* The background-logit bias is searched (seed fixed) so that only a few
  dozen (anchor, class) scores pass the 0.01 threshold and every decision the
  graph takes is at least 1e-3 (relative) away from flipping: the
  `_greater_scalar` / box_nms `valid_thresh` test, the score order, and
  box_nms's same-class IoU against `overlap_thresh` 0.45. So a float32
  runtime must reproduce the ids and the order exactly.
"""

import gzip
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import gen_models  # noqa: E402
import gen_ssd_params  # noqa: E402  (table_normal, write_params, mxref_det_iou)
import models_zoo  # noqa: E402  (input, paths; registers the ops)
import mxref  # noqa: E402

SEED = 20261206
MARGIN = 1e-3
THRESH = 0.01  # _greater_scalar scalar and box_nms valid_thresh
NUM_CLASSES = 21  # 20 VOC classes + background

# gluoncv.model_zoo.ssd.ssd.ssd_512_resnet50_v1_voc
SIZES = [51.2, 102.4, 189.4, 276.4, 363.52, 450.6, 492]
RATIOS = [[1, 2, 0.5]] + [[1, 2, 0.5, 3, 1.0 / 3]] * 3 + [[1, 2, 0.5]] * 2
STEPS = [16, 32, 64, 128, 256, 512]


def gluoncv_anchors(index, alloc_size, offsets=(0.5, 0.5)):
    """SSDAnchorGenerator._generate_anchors for generator `index`."""
    sizes = (SIZES[index], np.sqrt(SIZES[index] * SIZES[index + 1]))
    ratios, step = RATIOS[index], STEPS[index]
    anchors = []
    for i in range(alloc_size[0]):
        for j in range(alloc_size[1]):
            cy = (i + offsets[0]) * step
            cx = (j + offsets[1]) * step
            anchors.append([cx, cy, sizes[0], sizes[0]])
            anchors.append([cx, cy, sizes[1], sizes[1]])
            for r in ratios[1:]:
                sr = np.sqrt(r)
                anchors.append([cx, cy, sizes[0] * sr, sizes[0] / sr])
    return np.array(anchors).reshape(1, 1, alloc_size[0], alloc_size[1], -1)


def is_class_predictor(name):
    # GluonCV adds class and box predictors alternately: even ones are class
    if not name.startswith("ssd0_convpredictor"):
        return False
    return int(name[len("ssd0_convpredictor"):].split("_")[0]) % 2 == 0


def make_params(nodes, x, bg_bias, seed):
    rng = np.random.default_rng(seed)
    table = rng.standard_normal(gen_ssd_params.TABLE_LEN)
    params, aux, vals = {}, set(), {}
    for i, n in enumerate(nodes):
        if n["op"] == "null":
            name = n["name"]
            if name == "data":
                vals[(i, 0)] = x
            elif "_anchor_" in name:
                k = int(name.rsplit("_", 1)[1])
                shape = mxref.p_tuple(n["attrs"]["__shape__"])
                a = gluoncv_anchors(k, shape[2:4])
                if a.shape != tuple(shape):
                    raise SystemExit("%s: anchors %s, symbol says %s" % (name, a.shape, shape))
                params[name] = a.astype(np.float32)
                vals[(i, 0)] = params[name].astype(np.float64)
            else:
                vals[(i, 0)] = None
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
            cls = is_class_predictor(n["name"])
            if n["name"].startswith("ssd0_convpredictor") and not cls:
                w *= 0.5  # box offsets of order one
            wname = nodes[n["inputs"][1][0]]["name"]
            params[wname] = w.astype(np.float32)
            ins[1] = params[wname].astype(np.float64)
            if not mxref.p_bool(a.get("no_bias"), False):
                if cls:
                    b = np.zeros(f)
                    b[0::NUM_CLASSES] = bg_bias
                else:
                    b = rng.uniform(-0.1, 0.1, f)
                bname = nodes[n["inputs"][2][0]]["name"]
                params[bname] = b.astype(np.float32)
                ins[2] = params[bname].astype(np.float64)
        elif n["op"] == "BatchNorm":
            c = ins[0].shape[1]
            # one scale for the whole layer: a per-channel one would blow up
            # channels that are near zero (cancellation noise) on the 1x1 maps
            ms = np.full(c, np.mean(ins[0] ** 2) + 1e-3)
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


def downstream(nodes, start):
    """Indices of the nodes that depend on node start (start included)."""
    dep = {start}
    for i in range(start + 1, len(nodes)):
        if any(j in dep for j, _ in nodes[i]["inputs"]):
            dep.add(i)
    return sorted(dep)


def tail(nodes, vals, bg):
    """Rerun the graph after the class-logit reshape with bg added to every
    background logit (what the class predictors' bias does)."""
    byname = {n["name"]: i for i, n in enumerate(nodes)}
    r = byname["ssd0_reshape6"]
    v = dict(vals)
    logits = vals[(r, 0)].copy()
    logits[..., 0] += bg
    v[(r, 0)] = logits
    for i in downstream(nodes, r)[1:]:
        n = nodes[i]
        outs = mxref.run(n["op"], gen_models.op_attrs(n["attrs"]), [v[(j, k)] for j, k in n["inputs"]])
        for k, y in enumerate(outs):
            v[(i, k)] = y
    return v


def margins_ok(nodes, vals, bg):
    byname = {n["name"]: i for i, n in enumerate(nodes)}
    v = tail(nodes, vals, bg)
    scores = v[(byname["ssd0_multiperclassdecoder0_slice_axis0"], 0)][0]  # (A, 20)
    if np.any(np.abs(scores - THRESH) < MARGIN * THRESH):
        return False, "threshold", v
    valid = scores > THRESH
    nvalid = int(valid.sum())
    if not 8 <= nvalid <= 60:
        return False, "%d valid scores" % nvalid, v
    s = np.sort(scores[valid])
    if np.any(np.diff(s) < MARGIN * s[1:]):
        return False, "score order", v
    rows = v[(byname["ssd0_concat23"], 0)][0]  # (20 A, 6): id, score, box
    rows = rows[rows[:, 1] > THRESH]
    nth = 0.45
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if rows[i, 0] == rows[j, 0]:
                iou = gen_ssd_params.mxref_det_iou(rows[i, 2:], rows[j, 2:])
                if abs(iou - nth) < MARGIN:
                    return False, "IoU", v
    ids = v[(byname["ssd0_slice_axis41"], 0)][0, :, 0]
    return True, "%d valid, %d kept after NMS" % (nvalid, int((ids >= 0).sum())), v


def write_params_gz(path, params, aux):
    """The NDArray list file, gzip-compressed (level 9, no name, mtime 0, so
    the bytes are reproducible): 148 MB of float32 would exceed what a git
    host accepts in one file, and the weight table's period keeps it small."""
    tmp = path + ".tmp"
    gen_ssd_params.write_params(tmp, params, aux)
    with open(tmp, "rb") as f:
        raw = f.read()
    os.remove(tmp)
    with open(path, "wb") as f:
        f.write(gzip.compress(raw, compresslevel=9, mtime=0))


def main():
    d = os.path.join(gen_models.MX, models_zoo.SSD_DIR)
    nodes, heads = gen_models.load_symbol(os.path.join(d, models_zoo.SSD_SYMBOL))
    x = models_zoo.ssd_input().astype(np.float64)
    _, _, vals0 = make_params(nodes, x, 0.0, seed=SEED)
    for bg in np.arange(0.0, 20.0, 0.125):
        ok, why, short = margins_ok(nodes, vals0, bg)
        print("background bias %.3f: %s" % (bg, why))
        if not ok:
            continue
        params, aux, vals = make_params(nodes, x, bg, seed=SEED)
        free = {n["name"] for n in nodes if n["op"] == "null" and n["name"] != "data"}
        if free != set(params):
            raise SystemExit("parameters without a value: %s" % sorted(free - set(params)))
        for nid, idx in heads:
            full, part = vals[(nid, idx)], short[(nid, idx)]
            if not np.allclose(full, part, rtol=1e-9, atol=1e-12):
                raise SystemExit("bias shortcut disagrees with the full forward")
        write_params_gz(os.path.join(d, models_zoo.SSD_PARAMS), params, aux)
        print("wrote %d arg + %d aux arrays, %d floats" % (len(params) - len(aux), len(aux),
                                                            sum(v.size for v in params.values())))
        return
    raise SystemExit("no background bias gives clear margins")


if __name__ == "__main__":
    main()
