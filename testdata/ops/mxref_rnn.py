"""Float64 reference of MXNet 1.9.1's fused RNN operator (inference).

Written from src/operator/rnn-inl.h, rnn.cc and rnn_impl.h at tag 1.9.1 and
gluon/rnn/rnn_layer.py (the parameter packing), independently of mxgo's Go
kernel.

Inputs: data (T, N, I), parameters (flat), state (L*D, N, R), [state_cell
(L*D, N, H) for lstm], [sequence_length (N,) when use_sequence_length],
where R is projection_size when set, else state_size H; D is 2 when
bidirectional.

Parameter vector (GetRnnParamSize; CPU kernels' pointer walk): first every
weight, for each layer l and direction d in order: i2h (G*H, I_l), h2h
(G*H, R), and with projection h2r (R, H); then every bias, for each layer
and direction: i2h (G*H), h2h (G*H). G is 1 (rnn_relu, rnn_tanh), 4 (lstm,
gates i, f, g, o) or 3 (gru, gates r, z, n). I_0 = input size, I_l = D*R.

Cells (rnn_impl.h):
  rnn:  h' = act(Wx x + bx + Wh h + bh)
  lstm: i, f, o = sigmoid(.), g = tanh(.) of Wx x + bx + Wh h + bh;
        c' = f c + i g; h' = o tanh(c')
  gru:  r = sigmoid(Wxr x + bxr + Whr h + bhr), z likewise,
        n = tanh(Wxn x + bxn + r * (Whn h + bhn)); h' = (1 - z) n + z h
The reverse direction runs t = T-1 .. 0 from its own initial state and
writes the second half of each output row.

Features MXNet 1.9.1 runs only through cuDNN (the CPU kernel rejects them),
following cuDNN's documented semantics:
  projection_size P (LSTMP): r' = Wr (o tanh(c')) is the recurrent state
      and the output; hy is r', cy is c'.
  lstm_state_clip_min/max: c' is clipped to [min, max] before h' is
      computed (and carried); with lstm_state_clip_nan a NaN cell becomes
      min (fmin(fmax(c, min), max)), otherwise NaN propagates.
  sequence_length: sample j runs only t < len_j (the reverse direction from
      t = len_j - 1 down to 0); outputs at t >= len_j are 0 and hy/cy hold
      the state after the sample's last step.
"""

import numpy as np

import mxref
from mxref import p_bool, p_int, p_opt_float, p_opt_int

GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def rnn_params(a):
    mode = a["mode"]
    if mode not in GATES:
        raise ValueError("bad mode " + mode)
    return dict(mode=mode, H=p_int(a["state_size"]), L=p_int(a["num_layers"]),
                D=2 if p_bool(a.get("bidirectional")) else 1,
                state_outputs=p_bool(a.get("state_outputs")),
                P=p_opt_int(a.get("projection_size")),
                cmin=p_opt_float(a.get("lstm_state_clip_min")),
                cmax=p_opt_float(a.get("lstm_state_clip_max")),
                cnan=p_bool(a.get("lstm_state_clip_nan")),
                seq=p_bool(a.get("use_sequence_length")))


def param_size(q, I):
    """GetRnnParamSize."""
    G, H, L, D, P = GATES[q["mode"]], q["H"], q["L"], q["D"], q["P"]
    R = P if P is not None else H
    size = (I + R + 2) * G * H * D + (L - 1) * (D * R + R + 2) * G * H * D
    if P is not None:
        size += P * H * L * D
    return size


def unpack(q, I, w):
    """Split the flat vector into per (layer, direction) dicts."""
    G, H, L, D, P = GATES[q["mode"]], q["H"], q["L"], q["D"], q["P"]
    R = P if P is not None else H
    if w.size != param_size(q, I):
        raise ValueError("parameters has %d elements, want %d" % (w.size, param_size(q, I)))
    off = 0
    layers = []
    for l in range(L):
        il = I if l == 0 else D * R
        row = []
        for _ in range(D):
            d = {}
            d["wx"] = w[off:off + G * H * il].reshape(G * H, il)
            off += G * H * il
            d["wh"] = w[off:off + G * H * R].reshape(G * H, R)
            off += G * H * R
            if P is not None:
                d["wr"] = w[off:off + P * H].reshape(P, H)
                off += P * H
            row.append(d)
        layers.append(row)
    for l in range(L):
        for d in range(D):
            layers[l][d]["bx"] = w[off:off + G * H]
            off += G * H
            layers[l][d]["bh"] = w[off:off + G * H]
            off += G * H
    assert off == w.size
    return layers


def _cell(q, p, x, h, c):
    """One step for one sample: x (I_l,), h (R,), c (H,) -> h', c'."""
    mode, H = q["mode"], q["H"]
    gx = p["wx"] @ x + p["bx"]
    gh = p["wh"] @ h + p["bh"]
    if mode == "rnn_relu":
        return np.maximum(gx + gh, 0.0), c
    if mode == "rnn_tanh":
        return np.tanh(gx + gh), c
    if mode == "gru":
        r = _sig(gx[:H] + gh[:H])
        z = _sig(gx[H:2 * H] + gh[H:2 * H])
        n = np.tanh(gx[2 * H:] + r * gh[2 * H:])
        return (1.0 - z) * n + z * h, c
    g = gx + gh
    i, f, gg, o = _sig(g[:H]), _sig(g[H:2 * H]), np.tanh(g[2 * H:3 * H]), _sig(g[3 * H:])
    c2 = f * c + i * gg
    if q["cmin"] is not None:
        lo, hi = q["cmin"], q["cmax"]
        nan = np.isnan(c2)
        c2 = np.minimum(np.maximum(c2, lo), hi)
        c2 = np.where(nan, lo if q["cnan"] else np.nan, c2)
    h2 = o * np.tanh(c2)
    if q["P"] is not None:
        h2 = p["wr"] @ h2
    return h2, c2


@mxref.op("RNN")
def rnn(a, xs):
    q = rnn_params(a)
    mode, H, L, D, P = q["mode"], q["H"], q["L"], q["D"], q["P"]
    R = P if P is not None else H
    x, w, hx = xs[0], xs[1], xs[2]
    k = 3
    cx = None
    if mode == "lstm":
        cx = xs[3]
        k = 4
    T, N, I = x.shape
    lens = [T] * N
    if q["seq"]:
        lens = [int(v) for v in xs[k]]
        for v in lens:
            if v < 1 or v > T:
                raise ValueError("sequence length %d outside [1, %d]" % (v, T))
    layers = unpack(q, I, w.reshape(-1))
    # constant begin states of unknown batch (mxref_creation) broadcast
    hx = np.broadcast_to(hx, (L * D, N, R))
    if cx is not None:
        cx = np.broadcast_to(cx, (L * D, N, H))
    hy = np.zeros((L * D, N, R))
    cy = np.zeros((L * D, N, H))
    inp = x
    for l in range(L):
        out = np.zeros((T, N, D * R))
        for d in range(D):
            p = layers[l][d]
            s = l * D + d
            for j in range(N):
                h = hx[s, j].copy()
                c = cx[s, j].copy() if cx is not None else None
                steps = range(lens[j]) if d == 0 else range(lens[j] - 1, -1, -1)
                for t in steps:
                    h, c = _cell(q, p, inp[t, j], h, c)
                    out[t, j, d * R:(d + 1) * R] = h
                hy[s, j] = h
                if c is not None:
                    cy[s, j] = c
        inp = out
    res = [inp]
    if q["state_outputs"]:
        res.append(hy)
        if mode == "lstm":
            res.append(cy)
    return res


@mxref.op("_rnn_param_concat", "_npi_rnn_param_concat")
def rnn_param_concat(a, xs):
    """Concat along dim (default 1), as Gluon uses it to build RNN's
    parameter vector (its shape rule differs, not its values)."""
    return [np.concatenate(xs, axis=p_int(a.get("dim"), 1))]
