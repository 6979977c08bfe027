"""Real-model goldens of the model-zoo family (issue 9): the GluonCV
SSD-512 ResNet-50 (VOC) export that DJL ships as a test resource, with
generated parameters (gen_gluon_ssd_params.py; DJL keeps the trained weights
on its CDN). Its post-processing is Gluon's, not MultiBoxDetection: per-class
score thresholding with `_greater_scalar` / `where` / `zeros_like` /
`ones_like`, anchors cut from a constant with `slice_like`, box decoding with
broadcast arithmetic, and `_contrib_box_nms`. The graph is fully
convolutional and the anchors are sliced to the feature maps, so a
128x128 input keeps the test small: 390 anchors, 7800 class-box rows."""

import numpy as np

import mxref_creation  # noqa: F401  (zeros_like, ones_like)
import mxref_det  # noqa: F401  (_contrib_box_nms)
import mxref_elem  # noqa: F401  (_greater_scalar)
import mxref_index  # noqa: F401  (where, slice_like)

SSD_DIR = "djl-gluoncv-ssd512-resnet50"
SSD_SYMBOL = "ssd_512_resnet50_v1-symbol.json"
SSD_PARAMS = "ssd_512_resnet50_v1-0000.params.gz"  # gzip: see gen_gluon_ssd_params.py
SSD_INPUT_SHAPE = (1, 3, 128, 128)


def ssd_input():
    # a normalised image (GluonCV subtracts the ImageNet mean, divides by the std)
    rng = np.random.default_rng(20261207)
    return rng.uniform(-2, 2, size=SSD_INPUT_SHAPE).astype(np.float32)


def models():
    return [
        dict(case="gluoncv-ssd512-resnet50", dir=SSD_DIR, symbol=SSD_SYMBOL, params=SSD_PARAMS,
             prefix=None, epoch=None, input_name="data", input=ssd_input,
             internal=["ssd0_softmax0_output", "ssd0_concat23_output"],
             classifier=False),
    ]
