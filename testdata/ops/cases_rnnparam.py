"""Golden cases of the ops MXNet 1.9.1's Gluon recurrent layers emit when
hybridized or exported (python/mxnet/gluon/rnn/rnn_layer.py at 1.9.1,
_RNNLayer._forward_kernel and begin_state), in the exact attribute forms
they write:

* each weight and bias flattened with `.reshape(-1)`: `Reshape` with
  `shape` "-1" (legacy mode) or `_np_reshape` with `newshape` "(-1,)" and
  `order` "C" (numpy mode);
* `_rnn_param_concat(*params, dim=0)` (numpy mode calls it as
  `_npi_rnn_param_concat`, the same operator) over the flattened params in
  Gluon's order: all weights, then all biases; within each, layer by
  layer, direction l then r, gates i2h, h2h (and h2r for LSTMP weights);
* `SwapAxis(dim1=0, dim2=1)` (`_npi_swapaxes` in numpy mode) for an NTC
  layout; `_zeros(shape=(layers*dirs, 0, hidden))` begin states (a graph
  inference shape, covered by the real cnocr graphs in testdata/models);
  the fused `RNN` (cases_rnn.py).

The concatenations here are checked against the layout the fused RNN reads
(mxref_rnn.param_size), so a wrong Gluon order would show up as a size
mismatch in this generator. References: mxref.py (Reshape), mxref_numpy.py
(_np_reshape), mxref_index.py (SwapAxis), mxref_rnn.py (_rnn_param_concat).
"""

import numpy as np

import mxref_index  # noqa: F401  (SwapAxis)
import mxref_numpy  # noqa: F401  (_np_reshape)
import mxref_rnn

rng = np.random.default_rng(20261214)


def _u(*shape):
    return rng.uniform(-1.0, 1.0, size=shape).astype(np.float32)


def gluon_params(gates, I, H, L, bi, P=None):
    """The arrays Gluon passes to _rnn_param_concat, in its order."""
    dirs = ["l", "r"][: 2 if bi else 1]
    R = H if P is None else P
    ws, bs = [], []
    for layer in range(L):
        for _d in dirs:
            ni = I if layer == 0 else len(dirs) * R
            ws.append(_u(gates * H, ni))  # i2h_weight
            ws.append(_u(gates * H, R))  # h2h_weight
            if P is not None:
                ws.append(_u(P, H))  # h2r_weight
    for layer in range(L):
        for _d in dirs:
            bs.append(_u(gates * H))  # i2h_bias
            bs.append(_u(gates * H))  # h2h_bias
    return ws + bs


def register(case):
    w = _u(9, 5)
    case("Reshape_gluon_flatten_weight", "Reshape", {"shape": "-1"}, [w])
    case("_np_reshape_gluon_flatten_weight", "_np_reshape", {"newshape": "(-1,)", "order": "C"}, [w])
    case("SwapAxis_gluon_ntc", "SwapAxis", {"dim1": "0", "dim2": "1"}, [_u(2, 5, 3)])
    case("SwapAxis_gluon_ntc_npi", "_npi_swapaxes", {"dim1": "0", "dim2": "1"}, [_u(3, 2, 4)])

    # (name, mode, gates, I, H, layers, bidirectional, projection)
    layers = [
        ("gru_bidir", "gru", 3, 4, 3, 1, True, None),  # cnocr 1.2's GRU, small
        ("lstm_2layer_bidir", "lstm", 4, 3, 2, 2, True, None),  # cnocr 1.0's LSTM, small
        ("rnn_tanh_3layer", "rnn_tanh", 1, 5, 3, 3, False, None),
        ("lstmp", "lstm", 4, 3, 4, 1, False, 2),
    ]
    for name, mode, gates, I, H, L, bi, P in layers:
        flat = [a.reshape(-1) for a in gluon_params(gates, I, H, L, bi, P)]
        attrs = {"mode": mode, "state_size": str(H), "num_layers": str(L)}
        if bi:
            attrs["bidirectional"] = "True"
        if P is not None:
            attrs["projection_size"] = str(P)
        want = mxref_rnn.param_size(mxref_rnn.rnn_params(attrs), I)
        if sum(a.size for a in flat) != want:
            raise SystemExit("%s: Gluon's params hold %d values, RNN reads %d" % (
                name, sum(a.size for a in flat), want))
        op = "_npi_rnn_param_concat" if name == "lstmp" else "_rnn_param_concat"
        case("_rnn_param_concat_gluon_" + name, op, {"dim": "0", "num_args": str(len(flat))}, flat)
