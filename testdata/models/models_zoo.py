"""Real-model goldens of the model-zoo family (issue 9): the GluonCV
SSD-512 ResNet-50 (VOC) export that DJL ships as a test resource, with
generated parameters (gen_gluon_ssd_params.py; DJL keeps the trained weights
on its CDN). Its post-processing is Gluon's, not MultiBoxDetection: per-class
score thresholding with `_greater_scalar` / `where` / `zeros_like` /
`ones_like`, anchors cut from a constant with `slice_like`, box decoding with
broadcast arithmetic, and `_contrib_box_nms`. The graph is fully
convolutional and the anchors are sliced to the feature maps, so a
128x128 input keeps the test small: 390 anchors, 7800 class-box rows.

The cnocr 1.2 and 1.0 OCR graphs (a Gluon DenseNet-lite and a bidirectional
Gluon rnn.GRU layer; a symbolic conv net and a 2-layer bidirectional Gluon
rnn.LSTM layer; i.e. Reshape(-1) of each RNN weight, _rnn_param_concat,
_zeros begin states of unknown batch and the fused RNN; parameters generated
by gen_cnocr_params.py): only their prediction head is bound: the CTC loss
head needs a label and a 280-pixel-wide input (its Reshape fixes 70 steps). Their output rows are time-major
(T*N, 6426), T = width / 4 (GRU) or width / 8 (LSTM).

Also a D2L MLP exported under npx.set_np() (numpy-shape graph and V3 params
records; the closest to an MXNet 2.0 numpy-mode export found in public
repositories: its ops are still the legacy ones)."""

import os

import numpy as np

import mxref_creation  # noqa: F401  (zeros_like, ones_like, _zeros)
import mxref_det  # noqa: F401  (_contrib_box_nms)
import mxref_elem  # noqa: F401  (_greater_scalar)
import mxref_ctc  # noqa: F401  (CTCLoss)
import mxref_index  # noqa: F401  (where, slice_like)
import mxref_layer  # noqa: F401  (MakeLoss)
import mxref_rnn  # noqa: F401  (RNN, _rnn_param_concat)

SSD_DIR = "djl-gluoncv-ssd512-resnet50"
SSD_SYMBOL = "ssd_512_resnet50_v1-symbol.json"
SSD_PARAMS = "ssd_512_resnet50_v1-0000.params.gz"  # gzip: see gen_gluon_ssd_params.py
SSD_INPUT_SHAPE = (1, 3, 128, 128)


def ssd_input():
    # a normalised image (GluonCV subtracts the ImageNet mean, divides by the std)
    rng = np.random.default_rng(20261207)
    return rng.uniform(-2, 2, size=SSD_INPUT_SHAPE).astype(np.float32)


CNOCR_DIR = "cnocr-densenet-lite-gru"
CNOCR_INPUT_SHAPE = (1, 1, 32, 28)  # 7 time steps


def cnocr_input():
    # cnocr feeds a grey text-line image 32 rows high, scaled to [0, 1]
    rng = np.random.default_rng(20261211)
    return rng.uniform(0, 1, size=CNOCR_INPUT_SHAPE).astype(np.float32)


CNOCR_LSTM_DIR = "cnocr-conv-lstm"
CNOCR_LSTM_INPUT_SHAPE = (1, 1, 32, 24)  # 3 time steps (the conv net is the costly part)


def cnocr_lstm_input():
    rng = np.random.default_rng(20261213)
    return rng.uniform(0, 1, size=CNOCR_LSTM_INPUT_SHAPE).astype(np.float32)


D2L_DIR = "d2l-mlp-npshape"


def d2l_input():
    # the D2L example feeds np.random.normal(size=(1, 512))
    rng = np.random.default_rng(20261208)
    return rng.standard_normal((1, 512)).astype(np.float32)


def models():
    return [
        dict(case="gluoncv-ssd512-resnet50", dir=SSD_DIR, symbol=SSD_SYMBOL, params=SSD_PARAMS,
             prefix=None, epoch=None, input_name="data", input=ssd_input,
             internal=["ssd0_softmax0_output", "ssd0_concat23_output"],
             classifier=False),
        dict(case="cnocr-densenet-lite-gru", dir=CNOCR_DIR, symbol="cnocr-v1.2.0-densenet-lite-gru-symbol.json",
             params="cnocr-v1.2.0-densenet-lite-gru-0000.params.gz", prefix=None, epoch=None,
             input_name="data", input=cnocr_input, heads=["blockgrad0_output"],
             internal=["gru0_rnn0_output", "densenet0_stage3_pool0_fwd_output"], classifier=False),
        dict(case="cnocr-conv-lstm", dir=CNOCR_LSTM_DIR, symbol="model-v1.0.0-symbol.json",
             params="model-v1.0.0-0000.params.gz", prefix=None, epoch=None,
             input_name="data", input=cnocr_lstm_input, heads=["blockgrad0_output"],
             internal=["lstm0_rnn0_output", "_minus0_output"], classifier=False),
        # A numpy-shape export (is_np_shape 1, unknown dims -1 in __shape__)
        # from MXNet 1.7.0 with V3 params records (gen_d2l_params.py).
        dict(case="d2l-mlp-npshape", dir=D2L_DIR, symbol="my_mlp-symbol.json", params="my_mlp-0000.params",
             prefix="my_mlp", epoch=0, input_name="data", input=d2l_input,
             internal=["dense3_relu_fwd_output"], classifier=False),
    ]


# The whole cnocr GRU graph at the width its CTC branch is built for (a
# 280-pixel line, 70 steps), both heads, with a label: the CTC loss of each
# sample checks every step's 6426-way softmax end to end.
# executor/ctc_model_test.go reads these files.
CNOCR_CTC_LABEL = [[5, 17, 17, 2, 0, 0], [6425, 1, 300, 301, 302, 0]]  # 0-padded, blank first


def extra(outdir, gm):
    d = os.path.join(gm.MX, CNOCR_DIR)
    nodes, _ = gm.load_symbol(os.path.join(d, "cnocr-v1.2.0-densenet-lite-gru-symbol.json"))
    params = gm.read_params(os.path.join(d, "cnocr-v1.2.0-densenet-lite-gru-0000.params.gz"))
    x = np.random.default_rng(20261216).uniform(0, 1, size=(2, 1, 32, 280)).astype(np.float32)
    label = np.array(CNOCR_CTC_LABEL, np.float32)
    head = gm.find_output(nodes, "makeloss0_output")
    vals = gm.forward(nodes, params, {"data": x, "label": label}, need=gm.ancestors(nodes, [head]))
    case = "cnocr-densenet-lite-gru-ctc"
    gm.save_npy(os.path.join(outdir, case + "-input.npy"), x)
    gm.save_npy(os.path.join(outdir, case + "-label.npy"), label)
    gm.save_npy(os.path.join(outdir, case + "-makeloss0_output.npy"), vals[head])
