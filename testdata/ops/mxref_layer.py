"""Float64 reference of MXNet 1.9.1's layer operators (issue 9): Crop, Pad,
L2Normalization, MakeLoss, _contrib_div_sqrt_dim, smooth_l1,
_contrib_AdaptiveAvgPooling2D, _contrib_BilinearResize2D, _contrib_ROIAlign.

Written from the MXNet 1.9.1 sources (src/operator/crop-inl.h, pad.cc,
l2_normalization.cc, make_loss-inl.h, contrib/transformer-inl.h,
mshadow_op.h smooth_l1_loss, contrib/adaptive_avg_pooling.cc,
contrib/bilinear_resize{-inl.h,.cc}, contrib/roi_align.cc). Where MXNet
computes an index, a bin edge or an interpolation weight in float32 (and so
decides which pixels are read), that computation is repeated here in
float32 with numpy scalars; the arithmetic on the data is float64.
"""

import math

import numpy as np

import mxref
from mxref import f32, op, p_bool, p_float, p_int, p_tuple

F = np.float32


@op("Crop")
def crop(a, x):
    n = p_int(a.get("num_args"))
    if n not in (1, 2) or len(x) != n:
        raise ValueError("Crop takes 1 or 2 inputs")
    d = x[0]
    assert d.ndim == 4
    if n == 1:
        h, w = p_tuple(a.get("h_w"), (0, 0))
        assert 1 <= h <= d.shape[2] and 1 <= w <= d.shape[3]
    else:
        h, w = x[1].shape[2], x[1].shape[3]
    H, W = d.shape[2], d.shape[3]
    if p_bool(a.get("center_crop")):
        oy, ox = (H - h) // 2, (W - w) // 2
    else:
        oy, ox = p_tuple(a.get("offset"), (0, 0))
        assert 0 <= oy <= H - h and 0 <= ox <= W - w
    return [d[:, :, oy:oy + h, ox:ox + w].astype(np.float64)]


@op("Pad", "pad")
def pad(a, x):
    d = x[0]
    pw = p_tuple(a["pad_width"])
    assert d.ndim in (4, 5) and len(pw) == 2 * d.ndim and pw[:4] == (0, 0, 0, 0)
    mode = a["mode"]
    width = [(pw[2 * i], pw[2 * i + 1]) for i in range(d.ndim)]
    dd = d.astype(np.float64)
    if mode == "constant":
        # the constant is cast to the data type (float32) by the kernel
        return [np.pad(dd, width, mode="constant", constant_values=f32(p_float(a.get("constant_value"), 0.0)))]
    if mode == "edge":
        return [np.pad(dd, width, mode="edge")]
    if mode == "reflect":
        for i in range(2, d.ndim):
            assert max(width[i]) < d.shape[i]
        return [np.pad(dd, width, mode="reflect")]
    raise ValueError(mode)


@op("L2Normalization")
def l2_normalization(a, x):
    d = x[0].astype(np.float64)
    eps = f32(p_float(a.get("eps"), 1e-10))
    mode = a.get("mode", "instance")
    if mode == "instance":
        axes = tuple(range(1, d.ndim))
        norm = np.sqrt(np.sum(d * d, axis=axes, keepdims=True) + eps)
        return [d / norm, norm.reshape(d.shape[0])]
    assert d.ndim >= 3
    if mode == "channel":
        norm = np.sqrt(np.sum(d * d, axis=1, keepdims=True) + eps)
        return [d / norm, norm]
    if mode == "spatial":
        axes = tuple(range(2, d.ndim))
        norm = np.sqrt(np.sum(d * d, axis=axes, keepdims=True) + eps)
        return [d / norm, norm.reshape(d.shape[0], d.shape[1])]
    raise ValueError(mode)


@op("MakeLoss")
def make_loss_legacy(a, x):
    return [x[0].astype(np.float64)]


@op("_contrib_div_sqrt_dim")
def div_sqrt_dim(a, x):
    d = x[0]
    assert d.ndim >= 1
    # sqrt in double, then cast to the data type
    return [d.astype(np.float64) / f32(math.sqrt(d.shape[-1]))]


@op("smooth_l1", "_npx_smooth_l1")
def smooth_l1(a, x):
    d = x[0].astype(np.float64)
    s = F(p_float(a.get("scalar"), 1.0))
    bsq = F(s * s)
    ibsq = float(F(F(1.0) / bsq))
    bsq = float(bsq)
    return [np.where(d > ibsq, d - 0.5 * ibsq, np.where(d < -ibsq, -d - 0.5 * ibsq, 0.5 * d * d * bsq))]


def _adaptive_bin(a, b, c):
    # START_IND / END_IND: the division is float32
    s = int(math.floor(F(a * c) / F(b)))
    e = int(math.ceil(F((a + 1) * c) / F(b)))
    return s, e


@op("_contrib_AdaptiveAvgPooling2D")
def adaptive_avg_pooling(a, x):
    d = x[0].astype(np.float64)
    assert d.ndim == 4
    osz = p_tuple(a.get("output_size"), ())
    if len(osz) == 1:
        oh, ow = osz[0], osz[0]
    elif len(osz) == 2:
        oh, ow = osz
    else:
        oh, ow = 1, 1
    N, C, H, W = d.shape
    y = np.zeros((N, C, oh, ow))
    for i in range(oh):
        h0, h1 = _adaptive_bin(i, oh, H)
        for j in range(ow):
            w0, w1 = _adaptive_bin(j, ow, W)
            y[:, :, i, j] = d[:, :, h0:h1, w0:w1].sum(axis=(2, 3)) / (w1 - w0) / (h1 - h0)
    return [y]


def _int16(v):
    return (int(v) + 32768) % 65536 - 32768


def resize_out_size(a, dshape, like_shape=None):
    """BilinearSampleOpInferShape (int16 sizes, scale products in float32)."""
    mode = a.get("mode", "size")
    H, W = dshape[2], dshape[3]
    sh, sw = mxref.p_opt_float(a.get("scale_height")), mxref.p_opt_float(a.get("scale_width"))
    if mode == "size":
        if sh is not None:
            nh, nw = int(F(sh) * F(H)), int(F(sw) * F(W))
        else:
            nh, nw = p_int(a.get("height"), 1), p_int(a.get("width"), 1)
    elif mode == "odd_scale":
        nh = int(F(H) * F(sh)) if H % 2 == 0 else int(F(H - 1) * F(sh)) + 1
        nw = int(F(W) * F(sw)) if W % 2 == 0 else int(F(W - 1) * F(sw)) + 1
    elif mode == "like":
        nh, nw = like_shape[2], like_shape[3]
    else:
        want = 1 if mode.startswith("to_odd") else 0
        step = 1 if mode.endswith("_up") else -1
        nh = H if H % 2 == want else H + step
        nw = W if W % 2 == want else W + step
    return _int16(nh), _int16(nw)


def _resize_axis(n_in, n_out, align):
    """Per output index: (index, next-index step, weight of the next) as the
    CPU kernel computes them in float32."""
    if n_out > 1:
        scale = F(F(n_in - 1) / F(n_out - 1)) if align else F(F(n_in) / F(n_out))
    else:
        scale = F(0)
    res = []
    for o in range(n_out):
        if align:
            r = F(scale * F(o))
        else:
            r = F(float(scale) * (o + 0.5) - 0.5)  # computed in double, stored as float
            if r < 0:
                r = F(0)
        i = int(r)
        step = 1 if i < n_in - 1 else 0
        lam = F(r - F(i))
        res.append((i, step, float(lam), float(F(F(1) - lam))))
    return res


@op("_contrib_BilinearResize2D")
def bilinear_resize(a, x):
    d = x[0].astype(np.float64)
    assert d.ndim == 4
    mode = a.get("mode", "size")
    oh, ow = resize_out_size(a, d.shape, x[1].shape if mode == "like" else None)
    assert oh >= 1 and ow >= 1
    N, C, H, W = d.shape
    if (oh, ow) == (H, W):
        return [d.copy()]
    align = p_bool(a.get("align_corners"), True)
    ys, xs = _resize_axis(H, oh, align), _resize_axis(W, ow, align)
    y = np.zeros((N, C, oh, ow))
    for i, (h, hp, h1l, h0l) in enumerate(ys):
        for j, (w, wp, w1l, w0l) in enumerate(xs):
            y[:, :, i, j] = (h0l * (w0l * d[:, :, h, w] + w1l * d[:, :, h, w + wp])
                             + h1l * (w0l * d[:, :, h + hp, w] + w1l * d[:, :, h + hp, w + wp]))
    return [y]


def _roi_sample(y, x, H, W):
    """pre_calc_for_bilinear_interpolate for one point (float32)."""
    if y < -1.0 or y > H or x < -1.0 or x > W:
        return None
    y, x = max(y, F(0)), max(x, F(0))
    yl, xl = int(y), int(x)
    if yl >= H - 1:
        yl = yh = H - 1
        y = F(yl)
    else:
        yh = yl + 1
    if xl >= W - 1:
        xl = xh = W - 1
        x = F(xl)
    else:
        xh = xl + 1
    ly, lx = F(y - F(yl)), F(x - F(xl))
    hy, hx = F(F(1) - ly), F(F(1) - lx)
    return [(yl, xl, float(F(hy * hx))), (yl, xh, float(F(hy * lx))),
            (yh, xl, float(F(ly * hx))), (yh, xh, float(F(ly * lx)))]


@op("_contrib_ROIAlign")
def roi_align(a, x):
    d, rois = x[0].astype(np.float64), x[1]
    ph, pw = p_tuple(a["pooled_size"])
    scale = F(p_float(a["spatial_scale"]))
    ratio = p_int(a.get("sample_ratio"), -1)
    ps = p_bool(a.get("position_sensitive"))
    aligned = p_bool(a.get("aligned"))
    N, CU, H, W = d.shape
    C = CU // (ph * pw) if ps else CU
    R = rois.shape[0]
    y = np.zeros((R, C, ph, pw))
    off = F(0.5) if aligned else F(0)
    for n in range(R):
        r = [F(v) for v in rois[n]]
        if r[0] < 0:
            continue  # MXNet skips the roi (its output is documented as 0)
        b = int(r[0])
        sw, sh = F(F(r[1] * scale) - off), F(F(r[2] * scale) - off)
        ew, eh = F(F(r[3] * scale) - off), F(F(r[4] * scale) - off)
        rw, rh = F(ew - sw), F(eh - sh)
        if aligned:
            assert rw > 0 and rh > 0
        else:
            rw, rh = max(rw, F(1)), max(rh, F(1))
        bh, bw = F(rh / F(ph)), F(rw / F(pw))
        gh = ratio if ratio > 0 else int(math.ceil(F(rh / F(ph))))
        gw = ratio if ratio > 0 else int(math.ceil(F(rw / F(pw))))
        for i in range(ph):
            for j in range(pw):
                acc = np.zeros(C)
                for iy in range(gh):
                    yy = F(F(sh + F(F(i) * bh)) + F(F(F(iy) + F(0.5)) * bh) / F(gh))
                    for ix in range(gw):
                        xx = F(F(sw + F(F(j) * bw)) + F(F(F(ix) + F(0.5)) * bw) / F(gw))
                        pts = _roi_sample(yy, xx, H, W)
                        if pts is None:
                            continue
                        for (py, px, wt) in pts:
                            if ps:
                                acc += wt * d[b, [(c * ph + i) * pw + j for c in range(C)], py, px]
                            else:
                                acc += wt * d[b, :, py, px]
                y[n, :, i, j] = acc / (gh * gw)
    return [y]
