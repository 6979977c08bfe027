"""Float64 numpy reference of MXNet 1.9.1's detection operators (CPU).

Written from apache/mxnet 1.9.1 src/operator/contrib/bounding_box-inl.h,
bounding_box-common.h, multibox_prior.cc, multibox_detection.cc and
multibox_target.cc (semantics, not mxgo's Go kernels):

* _contrib_box_nms: rows (..., n, w); valid = score > valid_thresh (and
  class != background_id when id_index >= 0); per batch a stable sort by
  descending score; NMS among the first topk (IoU > overlap_thresh drops the
  lower-scored box; same class only unless force_suppress; class ids
  compared after truncation to int); kept rows written in order, the rest
  -1; hidden output: each kept row's flat input position, -1 elsewhere.
  topk = 0 copies the input and the hidden output is arange. Format
  conversion applies to every output row whose first coordinate is >= 0.
* _contrib_box_iou: pairwise IoU, 0 without intersection.
* _contrib_MultiBoxPrior, _contrib_MultiBoxDetection, _contrib_MultiBoxTarget:
  see each function.

Every decision that compares a computed float (an IoU, a mining key) with
a threshold or with another computed float is checked to have a margin of
at least 1e-5 (relative), so a float32 kernel must make the same decision;
a case that comes too close raises and must be redrawn.
"""

import numpy as np

import mxref

MARGIN = 1e-5


def _f32(x):
    return float(np.float32(x))


def _check_margin(a, b, what):
    if a != b and abs(a - b) <= MARGIN * max(abs(a), abs(b), 1e-3):
        raise ValueError("mxref_det: %s %r too close to %r for a float32 kernel" % (what, a, b))


def _enum(s, names, default):
    if s is None:
        return default
    if s not in names:
        raise ValueError("bad enum %r" % s)
    return names.index(s)


def p_ftuple(s, default):
    if s is None:
        return [float(np.float32(v)) for v in default]
    t = s.strip()
    if t[0] not in "([":
        return [_f32(float(t))]
    body = t[1:-1].strip()
    return [_f32(float(v)) for v in body.split(",") if v.strip()]


def _corners(b, fmt):
    """(l, t, r, b) of a box given as corner or center."""
    if fmt == 0:
        return b[0], b[1], b[2], b[3]
    return b[0] - b[2] / 2, b[1] - b[3] / 2, b[0] + b[2] / 2, b[1] + b[3] / 2


def _area(b, fmt):
    w, h = (b[2] - b[0], b[3] - b[1]) if fmt == 0 else (b[2], b[3])
    return 0.0 if (w < 0 or h < 0) else w * h


def _iou(a, b, fmt):
    al, at, ar, ab = _corners(a, fmt)
    bl, bt, br, bb = _corners(b, fmt)
    iw = max(0.0, min(ar, br) - max(al, bl))
    ih = max(0.0, min(ab, bb) - max(at, bt))
    inter = iw * ih
    return inter, _area(a, fmt), _area(b, fmt)


# ---------------------------------------------------------------------------


@mxref.op("_contrib_box_nms", "_contrib_box_non_maximum_suppression")
def box_nms(a, x):
    x = x[0]
    th = _f32(mxref.p_float(a.get("overlap_thresh"), 0.5))
    vth = _f32(mxref.p_float(a.get("valid_thresh"), 0.0))
    topk = mxref.p_int(a.get("topk"), -1)
    cs = mxref.p_int(a.get("coord_start"), 2)
    si = mxref.p_int(a.get("score_index"), 1)
    ii = mxref.p_int(a.get("id_index"), -1)
    bgid = mxref.p_int(a.get("background_id"), -1)
    force = mxref.p_bool(a.get("force_suppress"), False)
    fin = _enum(a.get("in_format"), ["corner", "center"], 0)
    fout = _enum(a.get("out_format"), ["corner", "center"], 0)
    shape = x.shape
    n, w = shape[-2], shape[-1]
    xb = x.reshape(int(np.prod(shape[:-2])), n, w)
    nb = xb.shape[0]
    k = n if topk < 0 else min(n, topk)
    if k < 1:
        return [x.copy(), np.arange(nb * n, dtype=np.float64).reshape(shape[:-1] + (1,))]
    out = -np.ones_like(xb)
    rec = -np.ones((nb, n), np.float64)
    for b in range(nb):
        valid = [e for e in range(n) if xb[b, e, si] > vth and (ii < 0 or xb[b, e, ii] != bgid)]
        valid.sort(key=lambda e: -xb[b, e, si])  # Python's sort is stable
        cand = valid[:k]
        keep = [True] * len(cand)
        for i in range(len(cand)):
            if not keep[i]:
                continue
            bi = xb[b, cand[i], cs:cs + 4]
            for j in range(i + 1, len(cand)):
                if not keep[j]:
                    continue
                if not force and ii >= 0 and int(xb[b, cand[i], ii]) != int(xb[b, cand[j], ii]):
                    continue
                inter, a1, a2 = _iou(bi, xb[b, cand[j], cs:cs + 4], fin)
                u = a1 + a2 - inter
                if u == 0:
                    continue  # 0/0: NaN is not > thresh
                iou = inter / u
                _check_margin(iou, th, "box_nms IoU")
                if iou > th:
                    keep[j] = False
        cnt = 0
        for i, e in enumerate(cand):
            if keep[i]:
                out[b, cnt] = xb[b, e]
                rec[b, cnt] = b * n + e
                cnt += 1
    if fin != fout:
        for row in out.reshape(-1, w):
            c = row[cs:cs + 4].copy()
            if c[0] < 0:
                continue
            if fout == 1:
                row[cs:cs + 4] = [(c[0] + c[2]) / 2, (c[1] + c[3]) / 2, c[2] - c[0], c[3] - c[1]]
            else:
                row[cs:cs + 4] = [c[0] - c[2] / 2, c[1] - c[3] / 2, c[0] + c[2] / 2, c[1] + c[3] / 2]
    return [out.reshape(shape), rec.reshape(shape[:-1] + (1,))]


@mxref.op("_contrib_box_iou")
def box_iou(a, x):
    lhs, rhs = x
    fmt = _enum(a.get("format"), ["corner", "center"], 0)
    L, R = lhs.reshape(-1, 4), rhs.reshape(-1, 4)
    out = np.zeros((L.shape[0], R.shape[0]))
    for i in range(L.shape[0]):
        for j in range(R.shape[0]):
            inter, a1, a2 = _iou(L[i], R[j], fmt)
            out[i, j] = 0.0 if inter <= 0 else inter / (a1 + a2 - inter)
    return [out.reshape(lhs.shape[:-1] + rhs.shape[:-1])]


@mxref.op("_contrib_MultiBoxPrior", "_npx_multibox_prior")
def multibox_prior(a, x):
    """Per cell (row-major): every size with sqrt(ratios[0]), then sizes[0]
    with each further ratio; half-width size*H/W*sqrt(r)/2, half-height
    size/sqrt(r)/2; centre ((c+off_x)*step_x, (r+off_y)*step_y); steps <= 0
    mean 1/H, 1/W; clip to [0, 1] when clip."""
    d = x[0]
    sizes = p_ftuple(a.get("sizes"), [1.0])
    ratios = p_ftuple(a.get("ratios"), [1.0])
    clip = mxref.p_bool(a.get("clip"), False)
    steps = p_ftuple(a.get("steps"), [-1.0, -1.0])
    offs = p_ftuple(a.get("offsets"), [0.5, 0.5])
    h, w = d.shape[2], d.shape[3]
    sy, sx = steps
    if sy <= 0 or sx <= 0:
        sy, sx = 1.0 / h, 1.0 / w
    boxes = []
    for r in range(h):
        cy = (r + offs[0]) * sy
        for c in range(w):
            cx = (c + offs[1]) * sx
            pairs = [(s, ratios[0]) for s in sizes] + [(sizes[0], q) for q in ratios[1:]]
            for s, q in pairs:
                bw = s * h / w * np.sqrt(q) / 2
                bh = s / np.sqrt(q) / 2
                boxes.append([cx - bw, cy - bh, cx + bw, cy + bh])
    out = np.array(boxes, np.float64).reshape(1, -1, 4)
    if clip:
        out = np.clip(out, 0.0, 1.0)
    return [out]


def _decode(anchor, loc, v, clip):
    al, at, ar, ab = anchor
    aw, ah = ar - al, ab - at
    ax, ay = (al + ar) / 2, (at + ab) / 2
    ox = loc[0] * v[0] * aw + ax
    oy = loc[1] * v[1] * ah + ay
    ow = np.exp(loc[2] * v[2]) * aw / 2
    oh = np.exp(loc[3] * v[3]) * ah / 2
    box = [ox - ow, oy - oh, ox + ow, oy + oh]
    if clip:
        box = [min(1.0, max(0.0, t)) for t in box]
    return box


def _corner_iou(p, q):
    w = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
    h = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
    i = w * h
    u = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - i
    return 0.0 if u <= 0 else i / u


@mxref.op("_contrib_MultiBoxDetection", "_npx_multibox_detection")
def multibox_detection(a, x):
    """Per anchor: best class j >= 1 by strict > starting from score -1
    (background if below threshold), decoded box; foreground rows compacted
    in anchor order, rest -1. With 0 < nms_threshold <= 1: stable sort by
    score, rows past nms_topk keep their compacted (unsorted) values with
    id -1, then greedy NMS (IoU >= nms_threshold, same id unless
    force_suppress) sets the id of suppressed rows to -1."""
    cls, loc, anc = x
    clip = mxref.p_bool(a.get("clip"), True)
    th = _f32(mxref.p_float(a.get("threshold"), 0.01))
    nth = _f32(mxref.p_float(a.get("nms_threshold"), 0.5))
    force = mxref.p_bool(a.get("force_suppress"), False)
    var = p_ftuple(a.get("variances"), [0.1, 0.1, 0.2, 0.2])
    topk = mxref.p_int(a.get("nms_topk"), -1)
    mxref.p_int(a.get("background_id"), 0)
    nb, nc, na = cls.shape
    anc = anc.reshape(na, 4)
    out = -np.ones((nb, na, 6))
    for b in range(nb):
        dets = []
        for i in range(na):
            score, cid = -1.0, 0
            for j in range(1, nc):
                if cls[b, j, i] > score:
                    score, cid = cls[b, j, i], j
            if cid > 0 and score < th:
                cid = 0
            if cid - 1 >= 0:
                dets.append([cid - 1, score] + _decode(anc[i], loc[b, 4 * i:4 * i + 4], var, clip))
        for r, d in enumerate(dets):
            out[b, r] = d
        if not dets or nth <= 0 or nth > 1:
            continue
        order = sorted(range(len(dets)), key=lambda r: -dets[r][1])
        nkeep = len(dets)
        if 0 < topk < nkeep:
            nkeep = topk
            out[b, nkeep:len(dets), 0] = -1
        for r in range(nkeep):
            out[b, r] = dets[order[r]]
        for i in range(nkeep):
            if out[b, i, 0] < 0:
                continue
            for j in range(i + 1, nkeep):
                if out[b, j, 0] < 0:
                    continue
                if force or out[b, i, 0] == out[b, j, 0]:
                    iou = _corner_iou(out[b, i, 2:], out[b, j, 2:])
                    _check_margin(iou, nth, "MultiBoxDetection IoU")
                    if iou >= nth:
                        out[b, j, 0] = -1
    return [out]


@mxref.op("_contrib_MultiBoxTarget", "_npx_multibox_target")
def multibox_target(a, x):
    """Greedy bipartite matching (largest IoU > 1e-6 first, ties to the
    lower anchor then lower label) until every ground truth (labels before
    the first class -1) has an anchor; then (overlap_threshold > 0) each
    other anchor matches its best ground truth if IoU > overlap_threshold.
    Negatives: every other anchor, or with negative_mining_ratio > 0 the
    int(ratio*positives) anchors with best IoU < negative_mining_thresh and
    the lowest softmax background probability (stable). Positives: class+1,
    mask 1, encoded offsets; negatives: class 0; others ignore_label."""
    anc, lab, cp = x
    oth = _f32(mxref.p_float(a.get("overlap_threshold"), 0.5))
    ign = _f32(mxref.p_float(a.get("ignore_label"), -1.0))
    ratio = _f32(mxref.p_float(a.get("negative_mining_ratio"), -1.0))
    nth = _f32(mxref.p_float(a.get("negative_mining_thresh"), 0.5))
    mxref.p_int(a.get("minimum_negative_samples"), 0)
    var = p_ftuple(a.get("variances"), [0.1, 0.1, 0.2, 0.2])
    na = anc.shape[1]
    anc = anc.reshape(na, 4)
    nb, nl, lw = lab.shape
    nc = cp.shape[1]
    loc_t = np.zeros((nb, na * 4))
    loc_m = np.zeros((nb, na * 4))
    cls_t = np.full((nb, na), ign)
    for b in range(nb):
        nv = 0
        while nv < nl and lab[b, nv, 0] != -1:
            nv += 1
        if nv == 0:
            continue
        gts = lab[b, :nv, 1:5]
        ov = np.zeros((na, nv))
        for j in range(na):
            for k in range(nv):
                p, q = anc[j], gts[k]
                iw = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
                ih = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
                i = iw * ih
                u = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - i
                ov[j, k] = 0.0 if u == 0 else i / u
        flags = [-1] * na
        match = [(-1.0, -1)] * na
        gt_done = [False] * nv
        npos = 0
        while not all(gt_done):
            best, m = None, _f32(1e-6)
            for j in range(na):
                if flags[j] == 1:
                    continue
                for k in range(nv):
                    if gt_done[k]:
                        continue
                    if ov[j, k] > m:
                        if best is not None:
                            _check_margin(ov[j, k], m, "MultiBoxTarget matching IoU")
                        best, m = (j, k), ov[j, k]
            if best is None:
                break
            match[best[0]] = (m, best[1])
            npos += 1
            gt_done[best[1]] = True
            flags[best[0]] = 1

        def best_of(j):
            k = int(np.argmax(ov[j]))  # first maximum, like the strict > scan
            return ov[j, k], k

        if oth > 0:
            for j in range(na):
                if flags[j] == 1:
                    continue
                m, k = best_of(j)
                match[j] = (m, k)
                _check_margin(m, oth, "MultiBoxTarget overlap_threshold")
                if m > oth:
                    npos += 1
                    gt_done[k] = True
                    flags[j] = 1
        if ratio > 0:
            nneg = int(np.float32(npos) * np.float32(ratio))
            nneg = min(nneg, na - npos)
            if nneg > 0:
                cands = []
                for j in range(na):
                    if flags[j] == 1:
                        continue
                    if match[j][0] < 0:
                        match[j] = best_of(j)
                    if match[j][0] < nth and flags[j] == -1:
                        _check_margin(match[j][0], nth, "MultiBoxTarget negative_mining_thresh")
                        z = cp[b, :, j] - np.max(cp[b, :, j])
                        prob = np.exp(z[0]) / np.sum(np.exp(z))
                        cands.append((-prob, j))
                if len(cands) < nneg:
                    raise ValueError("MultiBoxTarget: not enough negative candidates")
                cands.sort(key=lambda t: -t[0])  # stable, largest -prob first
                if nneg < len(cands):
                    _check_margin(cands[nneg - 1][0], cands[nneg][0], "MultiBoxTarget mining order")
                for _, j in cands[:nneg]:
                    flags[j] = 0
        else:
            flags = [1 if f == 1 else 0 for f in flags]
        for i in range(na):
            if flags[i] == 1:
                g = lab[b, match[i][1]]
                cls_t[b, i] = g[0] + 1
                loc_m[b, 4 * i:4 * i + 4] = 1
                al, at, ar, ab = anc[i]
                aw, ah = ar - al, ab - at
                ax, ay = (al + ar) / 2, (at + ab) / 2
                gl, gt, gr, gb = g[1:5]
                gw, gh = gr - gl, gb - gt
                gx, gy = (gl + gr) / 2, (gt + gb) / 2
                loc_t[b, 4 * i:4 * i + 4] = [(gx - ax) / aw / var[0], (gy - ay) / ah / var[1],
                                             np.log(gw / aw) / var[2], np.log(gh / ah) / var[3]]
            elif flags[i] == 0:
                cls_t[b, i] = 0
    return [loc_t, loc_m, cls_t]
