"""Float64 reference of MXNet 1.9.1's CTCLoss forward (the loss value).

Written from src/operator/nn/ctc_loss-inl.h and ctc_loss.cc (parameters,
label packing, lengths) and 3rdparty/ctc_include/detail/cpu_ctc.h (the CPU
kernel's definition of the cost), independently of mxgo's Go kernel:

* data (T, N, C) holds activations; the kernel takes a softmax over C
  itself. The cost of sample b is -log p(labels_b | data[:T_b, b]) under
  the usual CTC alignment model (blank, repeats separated by a blank).
* blank_label "first": channel 0 is the blank and a label row ends at its
  first 0 (padding); "last": channel C-1 is the blank and a row ends at its
  first -1. With use_label_lengths the row's length is label_lengths[b]
  instead. Label values are read as int (truncated).
* T_b is data_lengths[b] (truncated to int) with use_data_lengths, else T.
* When a label cannot fit (L + number of adjacent repeats > T_b) the CPU
  kernel returns a cost of 0, not infinity; with T_b = 0 and L = 0 the cost
  is +inf (no step to emit anything from).
* The second output (the gradient, hidden) is not compared: returned as
  None.
"""

import numpy as np

import mxref
from mxref import p_bool


def _blank_last(a):
    v = a.get("blank_label", "first").strip()
    if v not in ("first", "last"):
        raise ValueError("bad blank_label " + v)
    return v == "last"


def _cost(logp, labels, blank):
    """-log p(labels) for one sample; logp is (T, C) log-probabilities."""
    T = logp.shape[0]
    L = len(labels)
    repeats = sum(1 for i in range(1, L) if labels[i] == labels[i - 1])
    if L + repeats > T:
        return 0.0
    if T == 0:
        return np.inf
    ext = [blank]
    for k in labels:
        ext += [k, blank]
    S = len(ext)
    alpha = np.full(S, -np.inf)
    alpha[0] = logp[0, blank]
    if S > 1:
        alpha[1] = logp[0, ext[1]]
    for t in range(1, T):
        new = np.full(S, -np.inf)
        for s in range(S):
            acc = alpha[s]
            if s >= 1:
                acc = np.logaddexp(acc, alpha[s - 1])
            if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                acc = np.logaddexp(acc, alpha[s - 2])
            new[s] = acc + logp[t, ext[s]]
        alpha = new
    ll = alpha[S - 1]
    if S > 1:
        ll = np.logaddexp(ll, alpha[S - 2])
    return -ll


@mxref.op("CTCLoss", "ctc_loss", "_contrib_CTCLoss", "_contrib_ctc_loss")
def ctc_loss(a, xs):
    use_dl = p_bool(a.get("use_data_lengths"))
    use_ll = p_bool(a.get("use_label_lengths"))
    last = _blank_last(a)
    data, label = xs[0], xs[1]
    T, N, C = data.shape
    blank = C - 1 if last else 0
    pad = -1 if last else 0
    k = 2
    dl = [T] * N
    if use_dl:
        dl = [int(v) for v in xs[k]]
        k += 1
    out = np.zeros(N)
    for b in range(N):
        row = [int(v) for v in label[b]]
        if use_ll:
            n = int(xs[k][b])
        else:
            n = row.index(pad) if pad in row else len(row)
        x = data[: dl[b], b, :]
        m = x.max(axis=1, keepdims=True) if x.shape[0] else 0.0
        logp = x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))
        out[b] = _cost(logp, row[:n], blank)
    return [out, None]
