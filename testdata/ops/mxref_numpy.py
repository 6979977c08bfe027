"""Float64 reference of the NumPy-interface operators (_np_*, _npi_*, _npx_*)
that MXNet 2.0's HybridBlock.export writes, following MXNet 1.9.1's
src/operator/numpy/ sources: NumPy's own semantics (numpy is the reference
here), with MXNet's additions (_npx_reshape's special values)."""

import numpy as np

import mxref
from mxref import op, p_bool, p_float, p_opt_int, p_tuple


@op("_np_reshape")
def np_reshape(a, x):
    assert a.get("order", "C") == "C"
    return [np.reshape(x[0], p_tuple(a["newshape"]))]


def npx_reshape_shape(src, spec):
    """NumpyXReshapeInferShape written out for known shapes."""
    out, unknown, si, i = [], None, 0, 0
    while i < len(spec):
        d = spec[i]
        if d == -1:
            unknown = len(out)
            out.append(-1)
            si += 1
        elif d == -2:
            out.append(src[si])
            si += 1
        elif d == -3:
            assert src[si] == 1
            si += 1
        elif d == -4:
            out.extend(src[si:])
            si = len(src)
        elif d == -5:
            out.append(src[si] * src[si + 1])
            si += 2
        elif d == -6:
            d0, d1, d2 = src[si], spec[i + 1], spec[i + 2]
            si += 1
            i += 2
            if d1 == -1:
                d1 = d0 // d2
            if d2 == -1:
                d2 = d0 // d1
            assert d1 * d2 == d0
            out.extend([d1, d2])
        else:
            out.append(d)
            si += 1
        i += 1
    if unknown is not None:
        known = int(np.prod([v for k, v in enumerate(out) if k != unknown]))
        out[unknown] = int(np.prod(src)) // known
    return tuple(out)


@op("_npx_reshape", "_npi_reshape")
def npx_reshape(a, x):
    spec = list(p_tuple(a["newshape"]))
    src = list(x[0].shape)
    if p_bool(a.get("reverse")):
        shape = tuple(reversed(npx_reshape_shape(src[::-1], spec[::-1])))
    else:
        shape = npx_reshape_shape(src, spec)
    return [np.reshape(x[0], shape)]


@op("_np_transpose")
def np_transpose(a, x):
    axes = p_tuple(a["axes"]) if "axes" in a else None
    return [np.transpose(x[0], axes or None)]


@op("_npi_concatenate")
def np_concatenate(a, x):
    axis = p_opt_int(a.get("axis", "0"))
    return [np.concatenate(x, axis=axis)]


@op("_np_copy")
def np_copy(a, x):
    return [np.copy(x[0])]


def _np_axis(a):
    s = a.get("axis")
    if s is None or s.strip() == "None":
        return None
    return tuple(p_tuple(s))


def _np_reducer(f):
    def run(a, x):
        return [np.asarray(f(x[0], axis=_np_axis(a), keepdims=p_bool(a.get("keepdims"))))]
    return run


op("_np_sum")(_np_reducer(np.sum))
op("_npi_mean")(_np_reducer(np.mean))
op("_np_max", "_np_amax")(_np_reducer(np.max))
op("_np_min", "_np_amin")(_np_reducer(np.min))

_BIN = {"_npi_add": np.add, "_npi_subtract": np.subtract, "_npi_multiply": np.multiply,
        "_npi_true_divide": np.true_divide, "_npi_power": np.power, "_npi_maximum": np.maximum,
        "_npi_minimum": np.minimum}
for _name, _f in _BIN.items():
    op(_name)(lambda a, x, f=_f: [f(x[0], x[1])])

_SCALAR = {"_npi_add_scalar": lambda d, s: d + s, "_npi_subtract_scalar": lambda d, s: d - s,
           "_npi_rsubtract_scalar": lambda d, s: s - d, "_npi_multiply_scalar": lambda d, s: d * s,
           "_npi_true_divide_scalar": lambda d, s: d / s, "_npi_rtrue_divide_scalar": lambda d, s: s / d,
           "_npi_power_scalar": lambda d, s: np.power(d, s), "_npi_rpower_scalar": lambda d, s: np.power(s, d),
           "_npi_maximum_scalar": np.maximum, "_npi_minimum_scalar": np.minimum}
for _name, _f in _SCALAR.items():
    # the scalar is rounded to float32 as the float32 kernel uses it
    op(_name)(lambda a, x, f=_f: [f(x[0], mxref.f32(p_float(a["scalar"])))])
