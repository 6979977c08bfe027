"""Golden cases of the fused RNN operator (reference: mxref_rnn.py).

Tolerance: "accum" with K = (I + R + 2) * T * L: every output depends on
the float32 contractions of every earlier step and layer (each of length at
most I + R plus two biases), and the rounding of each step feeds the next
through the recurrence (|d tanh|, |d sigmoid| <= 1, so it is not
amplified beyond the contraction bound with the weights used here).
"""

import numpy as np

import mxref_rnn

rng = np.random.default_rng(20261206)


def _u(*shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def register(case):
    def rnn(name, mode, T, N, I, H, L=1, bi=False, so=False, P=None, clip=None, clip_nan=False,
            seq=None, seq_dtype=np.float32, extra=None, wscale=0.5):
        a = {"mode": mode, "state_size": str(H), "num_layers": str(L)}
        if bi:
            a["bidirectional"] = "True"
        if so:
            a["state_outputs"] = "True"
        if P is not None:
            a["projection_size"] = str(P)
        if clip is not None:
            a["lstm_state_clip_min"] = repr(clip[0])
            a["lstm_state_clip_max"] = repr(clip[1])
        if clip_nan:
            a["lstm_state_clip_nan"] = "True"
        if seq is not None:
            a["use_sequence_length"] = "True"
        if extra:
            a.update(extra)
        q = mxref_rnn.rnn_params(a)
        D = 2 if bi else 1
        R = P if P is not None else H
        ins = [_u(T, N, I), _u(mxref_rnn.param_size(q, I), lo=-wscale, hi=wscale), _u(L * D, N, R)]
        if mode == "lstm":
            ins.append(_u(L * D, N, H))
        if seq is not None:
            ins.append(np.array(seq, dtype=seq_dtype))
        nout = 1
        if so:
            nout = 3 if mode == "lstm" else 2
        k = (max(I, D * R) + R + 2) * T * L
        case("RNN_" + name, "RNN", a, ins, "accum", k=k, outputs=nout)

    # every mode, defaults
    rnn("lstm_basic", "lstm", T=5, N=3, I=7, H=6)
    rnn("gru_basic", "gru", T=5, N=3, I=7, H=6)
    rnn("rnn_tanh_basic", "rnn_tanh", T=5, N=3, I=7, H=6)
    rnn("rnn_relu_basic", "rnn_relu", T=5, N=3, I=7, H=6)
    # state outputs, odd sizes, batch 1, T 1
    rnn("lstm_states_odd", "lstm", T=7, N=1, I=3, H=5, so=True)
    rnn("gru_states_odd", "gru", T=4, N=2, I=9, H=11, so=True)
    rnn("rnn_tanh_states", "rnn_tanh", T=3, N=4, I=2, H=3, so=True)
    rnn("rnn_relu_states_t1", "rnn_relu", T=1, N=5, I=4, H=7, so=True)
    rnn("lstm_t1_h1", "lstm", T=1, N=2, I=1, H=1, so=True)
    # two layers, bidirectional
    rnn("lstm_2layer", "lstm", T=4, N=3, I=5, H=6, L=2, so=True)
    rnn("lstm_bidir", "lstm", T=5, N=2, I=4, H=3, bi=True, so=True)
    rnn("lstm_2layer_bidir", "lstm", T=4, N=3, I=6, H=5, L=2, bi=True, so=True)
    rnn("gru_2layer_bidir", "gru", T=5, N=2, I=3, H=4, L=2, bi=True, so=True)
    rnn("gru_bidir_nostate", "gru", T=3, N=3, I=5, H=7, bi=True)
    rnn("rnn_tanh_2layer_bidir", "rnn_tanh", T=4, N=2, I=5, H=3, L=2, bi=True, so=True)
    rnn("rnn_relu_3layer", "rnn_relu", T=3, N=2, I=4, H=5, L=3, so=True)
    # dropout is ignored at inference
    rnn("lstm_dropout_ignored", "lstm", T=3, N=2, I=4, H=5, L=2, extra={"p": "0.4"})
    # projection (LSTMP)
    rnn("lstmp_basic", "lstm", T=5, N=2, I=6, H=7, P=3, so=True)
    rnn("lstmp_2layer_bidir", "lstm", T=4, N=3, I=5, H=6, L=2, bi=True, P=4, so=True)
    # state clipping
    rnn("lstm_clip", "lstm", T=6, N=3, I=4, H=5, clip=(-0.25, 0.3), so=True, wscale=1.5)
    rnn("lstm_clip_nan_flag", "lstm", T=4, N=2, I=3, H=4, L=2, clip=(-0.5, 0.5), clip_nan=True, so=True,
        wscale=1.5)
    # variable sequence lengths
    rnn("lstm_seqlen", "lstm", T=6, N=4, I=3, H=5, so=True, seq=[6, 1, 3, 5])
    rnn("lstm_seqlen_bidir_2layer", "lstm", T=5, N=3, I=4, H=3, L=2, bi=True, so=True, seq=[2, 5, 4])
    rnn("gru_seqlen_bidir_int32", "gru", T=4, N=3, I=2, H=5, bi=True, so=True, seq=[4, 1, 3],
        seq_dtype=np.int32)
    rnn("rnn_tanh_seqlen", "rnn_tanh", T=5, N=2, I=3, H=4, seq=[3, 5])
    rnn("lstmp_seqlen_bidir", "lstm", T=4, N=2, I=3, H=5, P=2, bi=True, so=True, seq=[3, 4])

    # _rnn_param_concat: Concat's values (Gluon flattens every weight first)
    case("_rnn_param_concat_flat", "_rnn_param_concat", {"dim": "0", "num_args": "3"},
         [_u(12), _u(5), _u(7)], "exact")
    case("_rnn_param_concat_2d_default_dim", "_npi_rnn_param_concat", {"num_args": "2"},
         [_u(3, 2), _u(3, 4)], "exact")
