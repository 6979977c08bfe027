"""Real-model goldens of the layer family (issue 9): a RetinaFace face
detector, whose FPN aligns the upsampled coarse map to the finer one with
the legacy Crop operator."""

import numpy as np

import mxref_layer  # noqa: F401  (registers Crop and the other layer ops)

rng = np.random.default_rng(20261206)


def models():
    return [
        # MobileNet-0.25 RetinaFace: 9 heads (class probabilities, boxes and
        # landmarks at strides 32, 16 and 8). The odd input size makes the
        # stride-32 map upsampled ×2 one row and column larger than the
        # stride-16 map, so both Crops really crop.
        dict(case="retinaface-mnet25", dir="retinaface-mnet25", symbol="mnet.25-symbol.json",
             params="mnet.25-0000.params", prefix="mnet.25", epoch=0, input_name="data",
             input=lambda: rng.uniform(0, 255, size=(1, 3, 100, 130)).astype(np.float32),
             internal=["crop0_output", "crop1_output", "rf_c3_upsampling_output"], classifier=False),
    ]
