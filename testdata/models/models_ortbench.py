"""Real-model goldens of the ONNX Runtime comparison (bench/ort): InsightFace's
gender/age network, a MobileNet-0.25 (depthwise-separable) face network on
112x112 aligned faces with a PReLU + global-pool + FullyConnected + BatchNorm
head, the depthwise model that bench/ort/compare.sh times."""

import numpy as np

rng = np.random.default_rng(20261207)


def models():
    return [
        dict(case="insightface-gender-age", dir="insightface-gender-age", symbol="model-symbol.json",
             params="model-0000.params", prefix="model", epoch=0, input_name="data",
             input=lambda: rng.uniform(0, 255, size=(1, 3, 112, 112)).astype(np.float32),
             internal=["conv_3_dw_relu_output", "conv_14_relu_output", "pre_fc1_output"],
             classifier=False),
    ]
