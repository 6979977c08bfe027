"""Goldens for the convolution engine's fast paths (issue 10 item 2):
3x3 depthwise convolutions with stride 1 and 2, every padding, odd and
even widths around the 8/16/32-lane vector steps, channel multipliers,
no_bias and batches. The reference is mxref's Convolution (float64)."""

import numpy as np

rng = np.random.default_rng(20261207)


def rnd(*shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def dw(case, name, n, c, h, w, stride, pad, mult=1, no_bias=False):
    attrs = {"kernel": "(3, 3)", "num_filter": str(c * mult), "num_group": str(c),
             "stride": f"({stride}, {stride})", "pad": f"({pad}, {pad})"}
    if no_bias:
        attrs["no_bias"] = "True"
    ins = [rnd(n, c, h, w), rnd(c * mult, 1, 3, 3, lo=-0.5, hi=0.5)] + ([] if no_bias else [rnd(c * mult)])
    case(name, "Convolution", attrs, ins, "accum", k=9 + (0 if no_bias else 1))


def register(case):
    dw(case, "Convolution_dw3x3_s1", 2, 4, 9, 37, 1, 1)
    dw(case, "Convolution_dw3x3_s1_w16", 1, 3, 5, 16, 1, 1)
    dw(case, "Convolution_dw3x3_s1_pad0", 1, 2, 6, 35, 1, 0)
    dw(case, "Convolution_dw3x3_s1_pad2", 1, 2, 4, 5, 1, 2)
    dw(case, "Convolution_dw3x3_s2_odd", 3, 3, 11, 67, 2, 1)
    dw(case, "Convolution_dw3x3_s2_even", 1, 4, 8, 34, 2, 1)
    dw(case, "Convolution_dw3x3_s2_pad0", 2, 2, 7, 9, 2, 0)
    dw(case, "Convolution_dw3x3_mult2_nobias", 2, 3, 6, 7, 1, 1, mult=2, no_bias=True)
    dw(case, "Convolution_dw3x3_s2_mult3", 1, 2, 5, 6, 2, 1, mult=3)
    dw(case, "Convolution_dw3x3_tiny", 1, 1, 3, 3, 1, 0)
