"""Float64 reference of MXNet 1.9.1's creation operators.

Written from src/operator/tensor/init_op.{h,cc} (_zeros, _ones, _full,
_arange, zeros_like, ones_like), src/operator/numpy/np_init_op.{h,cc}
(_npi_arange's NumpyRangeShape), src/operator/tensor/indexing_op.h
(one_hot) and elemwise_unary_op_basic.cc (shape_array, size_array),
independently of mxgo's Go kernels.

Outputs are float64 holding the values MXNet stores; the case states the
output dtype and gen_ops.py converts (every value used is exact in it).
In MXNet 1.x shape semantics a 0 in a shape attribute is an unknown dim
that graph inference fills from the consumer (Gluon and Module begin states
are _zeros(shape=(L, 0, H))). Evaluated node by node here, such a dim is
returned as size 1 with the constant fill value, and the consumer's
reference broadcasts it (mxref_rnn does for RNN's states); the op goldens
use fully known shapes.
"""

import math

import numpy as np

import mxref
from mxref import p_bool, p_float, p_int, p_opt_float, p_tuple


def _shape(a):
    return tuple(d if d != 0 else 1 for d in p_tuple(a.get("shape")))


@mxref.op("_zeros", "_npi_zeros", "_zeros_without_dtype")
def zeros(a, x):
    return [np.zeros(_shape(a))]


@mxref.op("_ones", "_npi_ones")
def ones(a, x):
    return [np.ones(_shape(a))]


@mxref.op("_full", "_npi_full")
def full(a, x):
    return [np.full(_shape(a), p_float(a["value"]))]


@mxref.op("zeros_like")
def zeros_like(a, x):
    return [np.zeros_like(x[0])]


@mxref.op("ones_like")
def ones_like(a, x):
    return [np.ones_like(x[0])]


@mxref.op("shape_array")
def shape_array(a, x):
    return [np.array(x[0].shape, dtype=np.float64)]


@mxref.op("size_array")
def size_array(a, x):
    return [np.array([x[0].size], dtype=np.float64)]


def _range(a, numpy_shape):
    start = p_float(a["start"])
    stop = p_opt_float(a.get("stop"))
    step = p_float(a.get("step"), 1.0)
    repeat = p_int(a.get("repeat"), 1)
    infer = p_bool(a.get("infer_range"))
    dtype = a.get("dtype", "float32")
    if not infer and stop is None:  # RangeParamParser
        start, stop = 0.0, start
    if numpy_shape:
        n = max(int(math.ceil((stop - start) / step)), 0)
    else:
        if step > 0 and not start < stop or step < 0 and not start > stop:
            raise ValueError("invalid range")
        n = int(math.ceil((stop - start) / step)) * repeat
    k = np.arange(n) // repeat
    if dtype.startswith("int") or dtype.startswith("uint"):
        return [float(math.trunc(start)) + k * float(math.trunc(step))]
    return [start + k * step]


@mxref.op("_arange")
def arange(a, x):
    return _range(a, False)


@mxref.op("_npi_arange")
def np_arange(a, x):
    return _range(a, True)


@mxref.op("one_hot", "_npx_one_hot")
def one_hot(a, x):
    depth = p_int(a["depth"])
    on = p_float(a.get("on_value"), 1.0)
    off = p_float(a.get("off_value"), 0.0)
    idx = x[0]
    out = np.full(idx.shape + (depth,), off)
    flat = out.reshape(idx.size, depth)
    for i, v in enumerate(idx.reshape(-1)):
        if v > -1 and v < depth:  # (index_t)v in [0, depth): truncation toward zero
            flat[i, int(math.trunc(v))] = on
    return [out]
