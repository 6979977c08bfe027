"""Detection model goldens: the MXNet SSD deploy graph (MobileNet-512,
MultiBoxPrior + MultiBoxDetection) from apivovarov/mxnet-ssd-tvm with
generated parameters (gen_ssd_params.py; the original weights are not in
the repository). The graph is fully convolutional with automatic anchor
steps, so a 64x64 input keeps the test small: 114 anchors."""

import numpy as np

import mxref_det  # noqa: F401  (registers the detection reference)

SSD_DIR = "mxnet-ssd-mobilenet-512"
SSD_SYMBOL = "deploy_ssd_mobilenet_512-symbol.json"
SSD_PARAMS = "deploy_ssd_mobilenet_512-0000.params"
SSD_INPUT_SHAPE = (1, 3, 64, 64)


def ssd_input():
    rng = np.random.default_rng(20261206)
    return rng.uniform(-1, 1, size=SSD_INPUT_SHAPE).astype(np.float32)


def models():
    return [
        dict(case="mxnet-ssd-mobilenet", dir=SSD_DIR, symbol=SSD_SYMBOL, params=SSD_PARAMS,
             prefix="deploy_ssd_mobilenet_512", epoch=0, input_name="data", input=ssd_input,
             internal=["cls_prob_output", "multibox_loc_pred_output", "multibox_anchors_output"],
             classifier=False),
    ]
