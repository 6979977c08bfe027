#!/usr/bin/python3
"""Generate deterministic parameters for the SSD deploy graph in
testdata/mxnet/mxnet-ssd-mobilenet-512 (its trained weights are not in the
source repository).

    /usr/bin/python3 testdata/models/gen_ssd_params.py

Walks the symbol in order, evaluating it with the float64 reference on the
models_det input so every Convolution/BatchNorm parameter gets the shape its
input implies, and writes an MXNet V2 NDArray list file
(`arg:`/`aux:` names, float32) next to the symbol. Values: He-normal
convolution weights, BatchNorm statistics near identity, zero biases except
the background logit of the class heads, whose bias is searched (with the
seed fixed) so that only a handful of anchors pass MultiBoxDetection's 0.01
threshold with clear margins: every decision MultiBoxDetection takes
(threshold, best class, score order, NMS IoU) is at least 1e-3 (relative)
away from flipping, so a float32 runtime must reproduce it.
"""

import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import gen_models  # noqa: E402
import models_det  # noqa: E402
import mxref  # noqa: E402

NUM_CLASSES = 21  # 20 VOC classes + background, the last axis of reshape0
MARGIN = 1e-3


# Convolution weights cycle through one table of standard normals whose
# length (a prime, 31676 bytes as float32) is within zlib's match distance, so the
# 39 MB file costs git well under a megabyte while every filter still differs.
TABLE_LEN = 7919


def table_normal(table, start, shape):
    n = int(np.prod(shape))
    idx = (start + np.arange(n)) % TABLE_LEN
    return table[idx].reshape(shape)


def make_params(nodes, x, bg_bias, seed):
    rng = np.random.default_rng(seed)
    table = rng.standard_normal(TABLE_LEN)
    params = {}
    aux = set()
    vals = {}
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
            w = table_normal(table, int(rng.integers(TABLE_LEN)), (f, c // g, kh, kw)) * np.sqrt(2.0 / (c // g * kh * kw))
            if "cls_pred" in n["name"]:
                w *= 3.0  # spread the class scores
            elif "loc_pred" in n["name"]:
                w *= 0.5
            wname = nodes[n["inputs"][1][0]]["name"]
            params[wname] = w.astype(np.float32)
            ins[1] = params[wname].astype(np.float64)
            if not mxref.p_bool(a.get("no_bias"), False):
                b = np.zeros(f, np.float32)
                if "cls_pred" in n["name"]:
                    b[0::NUM_CLASSES] = bg_bias
                bname = nodes[n["inputs"][2][0]]["name"]
                params[bname] = b
                ins[2] = b.astype(np.float64)
        elif n["op"] == "BatchNorm":
            c = ins[0].shape[1]
            stats = [rng.uniform(0.8, 1.2, c), rng.uniform(-0.1, 0.1, c), rng.uniform(-0.1, 0.1, c),
                     rng.uniform(0.8, 1.2, c)]
            for k, v in zip(range(1, 5), stats):
                name = nodes[n["inputs"][k][0]]["name"]
                params[name] = v.astype(np.float32)
                ins[k] = params[name].astype(np.float64)
                if k >= 3:
                    aux.add(name)
        outs = mxref.run(n["op"], a, ins)
        for k, y in enumerate(outs):
            vals[(i, k)] = y
    return params, aux, vals


def detect(nodes, vals, bg):
    """cls_prob and detection output with bg added to the background logit
    (what the cls_pred bias does), from the bias-0 reference values."""
    byname = {n["name"]: i for i, n in enumerate(nodes)}
    det = nodes[byname["detection"]]
    a = gen_models.op_attrs(det["attrs"])
    logits = vals[(byname["reshape0"], 0)].copy()  # (1, A, classes)
    logits[..., 0] += bg
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    prob = np.transpose(z / z.sum(axis=-1, keepdims=True), (0, 2, 1))
    loc = vals[tuple(det["inputs"][1])]
    anc = vals[tuple(det["inputs"][2])]
    return prob, mxref.run("_contrib_MultiBoxDetection", a, [prob, loc, anc])[0], a


def margins_ok(nodes, vals, bg):
    """Check MultiBoxDetection's decisions on the reference values."""
    prob, out, a = detect(nodes, vals, bg)
    cls = prob[0]  # (C, A)
    th = 0.01
    fg = cls[1:]
    best = fg.max(axis=0)
    srt = np.sort(fg, axis=0)
    if np.any(np.abs(best - th) < MARGIN * th):
        return False, "threshold"
    valid = best >= th
    nvalid = int(valid.sum())
    if not 3 <= nvalid <= 20:
        return False, "%d detections" % nvalid
    if np.any((srt[-1] - srt[-2])[valid] < MARGIN * best[valid]):
        return False, "class tie"
    s = np.sort(best[valid])
    if np.any(np.diff(s) < MARGIN * s[1:]):
        return False, "score order"
    out = out[0]
    nth = float(a.get("nms_threshold", 0.5))
    rows = out[:nvalid]
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            iou = mxref_det_iou(rows[i, 2:], rows[j, 2:])
            if abs(iou - nth) < MARGIN:
                return False, "IoU"
    return True, "%d detections, %d kept" % (nvalid, int((out[:, 0] >= 0).sum()))


def mxref_det_iou(p, q):
    w = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
    h = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
    i = w * h
    u = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - i
    return 0.0 if u <= 0 else i / u


def write_params(path, params, aux):
    names = sorted(params)
    b = bytearray(struct.pack("<QQQ", 0x112, 0, len(names)))
    for k in names:
        v = np.ascontiguousarray(params[k], dtype="<f4")
        b += struct.pack("<IiI", 0xF993FAC9, 0, v.ndim)
        b += struct.pack("<%dq" % v.ndim, *v.shape)
        b += struct.pack("<iii", 1, 0, 0)
        b += v.tobytes()
    b += struct.pack("<Q", len(names))
    for k in names:
        key = ("aux:" if k in aux else "arg:") + k
        b += struct.pack("<Q", len(key)) + key.encode()
    with open(path, "wb") as f:
        f.write(bytes(b))


def main():
    d = os.path.join(gen_models.MX, models_det.SSD_DIR)
    nodes, _ = gen_models.load_symbol(os.path.join(d, models_det.SSD_SYMBOL))
    x = models_det.ssd_input().astype(np.float64)
    _, _, vals0 = make_params(nodes, x, 0.0, seed=20261206)
    for bg in np.arange(0.0, 20.0, 0.125):
        ok, why = margins_ok(nodes, vals0, bg)
        print("background bias %.3f: %s" % (bg, why))
        if ok:
            params, aux, vals = make_params(nodes, x, bg, seed=20261206)
            byname = {n["name"]: i for i, n in enumerate(nodes)}
            full, short = vals[(byname["detection"], 0)], detect(nodes, vals0, bg)[1]
            if not (np.array_equal(full[..., 0], short[..., 0]) and np.allclose(full, short, rtol=1e-9, atol=1e-12)):
                raise SystemExit("bias shortcut disagrees with the full forward")
            write_params(os.path.join(d, models_det.SSD_PARAMS), params, aux)
            print("wrote %d arrays, %d floats" % (len(params), sum(v.size for v in params.values())))
            return
    raise SystemExit("no background bias gives clear margins")


if __name__ == "__main__":
    main()
