#!/usr/bin/python3
"""Real-model goldens of the RNN family (loaded by gen_models.py).

mms-lstm-ptb: the 2-layer LSTM Penn-Treebank word language model of
awslabs/multi-model-server (examples/lstm_ptb, MXNet 0.11 Module
checkpoint; see testdata/mxnet/SOURCES.md): Embedding(10000, 200) -> fused
RNN(lstm, 2 layers, 200) with two `_zeros` begin states of shape
(2, 0, 200) (batch inferred) -> Reshape -> FullyConnected(10000) ->
SoftmaxOutput. Its trained lstm_ptb-0025.params is not in the repository
(the README downloads it), so

    /usr/bin/python3 testdata/models/models_rnn.py

writes deterministic parameters of the graph's shapes to
testdata/mxnet/mms-lstm-ptb/lstm_ptb-0000.params (an MXNet V2 NDArray
list): the LSTM vector (643200 values: all weights, then all biases, as
the fused kernel reads them) dense uniform, the embedding rows of the words
the input uses dense and the others zero, the output layer's rows periodic
with period 31 (so the 18.6 MB file packs to a few MB in git) plus a
dense bias.
"""

import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "ops"))
import mxref_creation  # noqa: E402,F401  (_zeros)
import mxref_rnn  # noqa: E402,F401  (RNN)

DIR = os.path.join(os.path.dirname(HERE), "mxnet", "mms-lstm-ptb")
PARAMS = "lstm_ptb-0000.params"

VOCAB, EMBED, HIDDEN, LAYERS = 10000, 200, 200, 2
T, N = 3, 2


def _words():
    rng = np.random.default_rng(20261208)
    return rng.integers(0, VOCAB, size=(T, N))


def make_params():
    rng = np.random.default_rng(20261209)
    lstm_size = LAYERS * (EMBED + HIDDEN + 2) * 4 * HIDDEN  # GetRnnParamSize (I = H = 200)
    lstm = rng.uniform(-0.15, 0.15, lstm_size).astype(np.float32)
    embed = np.zeros((VOCAB, EMBED), np.float32)
    for w in np.unique(_words()):
        embed[w] = rng.uniform(-1, 1, EMBED)
    base = rng.uniform(-0.3, 0.3, (31, HIDDEN)).astype(np.float32)
    pred_w = base[np.arange(VOCAB) % 31]
    pred_b = rng.uniform(-1, 1, VOCAB).astype(np.float32)
    return {"arg:embed_weight": embed, "arg:lstm_parameters": lstm,
            "arg:pred_weight": pred_w, "arg:pred_bias": pred_b}


def write_params(path, arrays):
    """mx.nd.save of a dict: V2 records, cpu(0), float32."""
    out = [struct.pack("<QQQ", 0x112, 0, len(arrays))]
    for a in arrays.values():
        out.append(struct.pack("<IiI", 0xF993FAC9, 0, a.ndim))
        out.append(struct.pack("<%dq" % a.ndim, *a.shape))
        out.append(struct.pack("<iii", 1, 0, 0))
        out.append(np.ascontiguousarray(a, dtype="<f4").tobytes())
    out.append(struct.pack("<Q", len(arrays)))
    for k in arrays:
        b = k.encode()
        out.append(struct.pack("<Q", len(b)) + b)
    with open(path, "wb") as f:
        f.write(b"".join(out))


def models():
    return [dict(case="mms-lstm-ptb", dir="mms-lstm-ptb", symbol="lstm_ptb-symbol.json", params=PARAMS,
                 prefix="lstm_ptb", epoch=0, input_name="data",
                 input=lambda: _words().astype(np.float32),
                 internal=["lstm_rnn_output", "embed_output"], classifier=False)]


if __name__ == "__main__":
    write_params(os.path.join(DIR, PARAMS), make_params())
    print("wrote", os.path.join(DIR, PARAMS))
