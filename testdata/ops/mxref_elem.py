"""Float64 reference of MXNet 1.9.1's elementwise operator family.

Written from MXNet 1.9.1's sources (src/operator/mshadow_op.h, the
elemwise_unary_op_*.cc, elemwise_binary_*_logic.cc and *_extended.cc files,
contrib/erfinv-inl.h, contrib/stes_op.cc), not from mxgo's kernels:

  * unary math ops are the libm functions of their names (float32 inputs,
    one rounding to float32 in MXNet; float64 here). Results beyond
    float32's range are +-inf, as MXNet's float32 output holds them.
  * relu lets NaN through; sign is -1/0/1 with 0 for NaN; round rounds half
    away from zero; rint is MXNet's own (the nearer of floor and ceil, floor
    on a tie: rint(1.5) = 1, rint(-1.5) = -2); fix is whichever of floor and
    ceil is nearer zero; logical_not is 1 where x == 0 (NaN gives 0).
  * degrees/radians multiply by the float32 constants 180.0f / PI and
    PI / 180.0f (PI a float32).
  * hard_sigmoid is max(0, min(1, alpha * x + beta)) with float32 alpha and
    beta; NaN stays NaN.
  * erfinv is the inverse error function: +-inf at +-1, NaN outside [-1, 1].
  * comparisons and logic ops give 1.0 or 0.0 in the input dtype (float32);
    logic treats any non-zero (NaN included) as true.
  * mod is Python's floor modulo (the result takes the divisor's sign) with
    mod(a, 0) = 0; rmod swaps the operands; hypot is sqrt(a^2 + b^2).
  * tensor-scalar ops use the scalar rounded to float32 (DType(alpha)).
"""

import math

import numpy as np

import mxref
from mxref import f32, op, p_float

# The smallest float64 magnitude that rounds to float32 infinity.
_F32_OVERFLOW = (2.0 - 2.0 ** -24) * 2.0 ** 127


def _f32_range(y):
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(y) >= _F32_OVERFLOW, np.copysign(np.inf, y), y)


def _vec(f):
    return np.vectorize(f, otypes=[np.float64])


def _gamma1(x):
    if math.isnan(x):
        return x
    if x == 0:
        return math.copysign(math.inf, x)
    if math.isinf(x):
        return math.inf if x > 0 else math.nan
    if x < 0 and x == math.floor(x):
        return math.nan
    try:
        return math.gamma(x)
    except OverflowError:
        return math.inf


def _gammaln1(x):
    if math.isnan(x):
        return x
    if math.isinf(x) or (x <= 0 and x == math.floor(x)):
        return math.inf
    return math.lgamma(x)


def _erfinv1(y):
    """Inverse error function by Newton's method on erf (erfc near +-1,
    where 1 - |y| is exact for a float32 y), from Winitzki's estimate."""
    if math.isnan(y) or abs(y) > 1:
        return math.nan
    if abs(y) == 1:
        return math.copysign(math.inf, y)
    if y == 0:
        return y
    a = abs(y)
    ln = math.log((1 - a) * (1 + a))
    t = 2 / (math.pi * 0.147) + ln / 2
    x = math.sqrt(math.sqrt(t * t - ln / 0.147) - t)
    for _ in range(100):
        if a < 0.5:
            err = math.erf(x) - a
        else:
            err = (1 - a) - math.erfc(x)
        dx = err / (2 / math.sqrt(math.pi) * math.exp(-x * x))
        x -= dx
        if abs(dx) <= 1e-17 * abs(x):
            break
    return math.copysign(x, y)


def _round(x):
    with np.errstate(invalid="ignore"):
        return np.copysign(np.floor(np.abs(x) + 0.5), x)


def _rint(x):
    with np.errstate(invalid="ignore"):
        f, c = np.floor(x), np.ceil(x)
        return np.where((x - f) <= (c - x), f, c)


def _fix(x):
    f, c = np.floor(x), np.ceil(x)
    return np.where(np.abs(f) < np.abs(c), f, c)


def _sign(x):
    return np.where(x < 0, -1.0, np.where(x > 0, 1.0, 0.0))


_DEG = f32(np.float32(180.0) / np.float32(math.pi))
_RAD = f32(np.float32(math.pi) / np.float32(180.0))

UNARY = {
    "relu": lambda x: np.where(np.isnan(x) | (x > 0), x, 0.0),
    "sigmoid": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "erf": _vec(math.erf),
    "erfinv": _vec(_erfinv1),
    "gamma": _vec(_gamma1),
    "gammaln": _vec(_gammaln1),
    "sign": _sign,
    "round": _round,
    "rint": _rint,
    "ceil": np.ceil,
    "floor": np.floor,
    "trunc": np.trunc,
    "fix": _fix,
    "logical_not": lambda x: np.where(x != 0, 0.0, 1.0),
    "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan,
    "degrees": lambda x: _DEG * x,
    "radians": lambda x: _RAD * x,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh,
    "arcsinh": np.arcsinh, "arccosh": np.arccosh, "arctanh": np.arctanh,
    "log10": np.log10, "log2": np.log2, "log1p": np.log1p, "expm1": np.expm1,
    "reciprocal": lambda x: 1.0 / x,
    "rsqrt": lambda x: 1.0 / np.sqrt(x),
    "cbrt": np.cbrt,
    "rcbrt": lambda x: 1.0 / np.cbrt(x),
    "_contrib_round_ste": _round,
    "_contrib_sign_ste": _sign,
}

# Aliases MXNet 1.9.1 registers on the same operators.
UNARY_ALIASES = {
    "_sparse_relu": "relu", "_sparse_sigmoid": "sigmoid", "_npx_erf": "erf", "_npx_erfinv": "erfinv",
    "_sparse_gamma": "gamma", "_npx_gamma": "gamma", "_sparse_gammaln": "gammaln", "_npx_gammaln": "gammaln",
    "_sparse_sign": "sign", "_sparse_round": "round", "_sparse_rint": "rint", "_sparse_ceil": "ceil",
    "_sparse_floor": "floor", "_sparse_trunc": "trunc", "_sparse_fix": "fix",
    "_sparse_sin": "sin", "_sparse_cos": "cos", "_sparse_tan": "tan", "_sparse_arcsin": "arcsin",
    "_sparse_arccos": "arccos", "_sparse_arctan": "arctan", "_sparse_degrees": "degrees",
    "_sparse_radians": "radians", "_sparse_sinh": "sinh", "_sparse_cosh": "cosh", "_sparse_tanh": "tanh",
    "_sparse_arcsinh": "arcsinh", "_sparse_arccosh": "arccosh", "_sparse_arctanh": "arctanh",
    "_sparse_log10": "log10", "_sparse_log2": "log2", "_sparse_log1p": "log1p", "_sparse_expm1": "expm1",
    "_sparse_rsqrt": "rsqrt", "_sparse_cbrt": "cbrt",
    "_sparse__contrib_round_ste": "_contrib_round_ste", "_sparse__contrib_sign_ste": "_contrib_sign_ste",
}


def _unary(f):
    def run(a, x):
        with np.errstate(all="ignore"):
            return [_f32_range(f(x[0]))]
    return run


for _n, _f in UNARY.items():
    op(_n)(_unary(_f))
for _al, _n in UNARY_ALIASES.items():
    op(_al)(_unary(UNARY[_n]))

# The operators that already had a reference under their canonical name.
for _al, _n in [("_sparse_exp", "exp"), ("_sparse_log", "log"), ("_sparse_sqrt", "sqrt"),
                ("_sparse_square", "square"), ("_sparse_abs", "abs"), ("_sparse_negative", "negative"),
                ("_sparse_stop_gradient", "BlockGrad"), ("_sparse_make_loss", "make_loss")]:
    op(_al)(mxref.OPS[_n])

# MXNet 1.9.1's numpy-mode unary ops (numpy/np_elemwise_unary_op_basic.cc):
# separate operators running the legacy kernels (mshadow_op::rint included).
NUMPY_UNARY = {
    "_npx_relu": "relu", "_npx_sigmoid": "sigmoid", "_npi_negative": "negative",
    "_npi_reciprocal": "reciprocal", "_npi_absolute": "abs", "_npi_abs": "abs", "_npi_sign": "sign",
    "_npi_rint": "rint", "_npi_ceil": "ceil", "_npi_floor": "floor", "_npi_trunc": "trunc", "_npi_fix": "fix",
    "_npi_square": "square", "_npi_sqrt": "sqrt", "_npi_cbrt": "cbrt", "_npi_exp": "exp", "_npi_log": "log",
    "_npi_log10": "log10", "_npi_log2": "log2", "_npi_log1p": "log1p", "_npi_expm1": "expm1",
    "_npi_sin": "sin", "_npi_cos": "cos", "_npi_tan": "tan", "_npi_arcsin": "arcsin", "_npi_arccos": "arccos",
    "_npi_arctan": "arctan", "_npi_degrees": "degrees", "_npi_radians": "radians", "_npi_sinh": "sinh",
    "_npi_cosh": "cosh", "_npi_tanh": "tanh", "_npi_arcsinh": "arcsinh", "_npi_arccosh": "arccosh",
    "_npi_arctanh": "arctanh",
}


def _quiet(f):
    def run(a, x):
        with np.errstate(all="ignore"):
            return [_f32_range(y) for y in f(a, x)]
    return run


for _n, _legacy in NUMPY_UNARY.items():
    op(_n)(_quiet(mxref.OPS[_legacy]))


@op("hard_sigmoid")
def hard_sigmoid(a, x):
    alpha = f32(p_float(a.get("alpha"), 0.2))
    beta = f32(p_float(a.get("beta"), 0.5))
    r = alpha * x[0] + beta
    return [np.where(r > 1, 1.0, np.where(r < 0, 0.0, r))]


@op("_contrib_gradientmultiplier")
def gradient_multiplier(a, x):
    p_float(a.get("scalar"), 1.0)
    return [np.copy(x[0])]


# ---------------------------------------------------------------------------
# binary: shared by the same-shape, broadcast and tensor-scalar forms


def _mod(l, r):
    with np.errstate(all="ignore"):
        return np.where(r == 0, 0.0, np.mod(l, r))


BINARY = {
    "mod": _mod,
    "hypot": np.hypot,
    "equal": lambda l, r: (l == r).astype(np.float64),
    "not_equal": lambda l, r: (l != r).astype(np.float64),
    "greater": lambda l, r: (l > r).astype(np.float64),
    "greater_equal": lambda l, r: (l >= r).astype(np.float64),
    "lesser": lambda l, r: (l < r).astype(np.float64),
    "lesser_equal": lambda l, r: (l <= r).astype(np.float64),
    "logical_and": lambda l, r: ((l != 0) & (r != 0)).astype(np.float64),
    "logical_or": lambda l, r: ((l != 0) | (r != 0)).astype(np.float64),
    "logical_xor": lambda l, r: ((l != 0) ^ (r != 0)).astype(np.float64),
}

_SAME_SHAPE = {
    "mod": ["_mod", "_Mod"], "hypot": ["_hypot", "_Hypot"],
    "equal": ["_equal", "_Equal"], "not_equal": ["_not_equal", "_Not_Equal"],
    "greater": ["_greater", "_Greater"], "greater_equal": ["_greater_equal", "_Greater_Equal"],
    "lesser": ["_lesser", "_Lesser"], "lesser_equal": ["_lesser_equal", "_Lesser_Equal"],
    "logical_and": ["_logical_and", "_Logical_And"], "logical_or": ["_logical_or", "_Logical_Or"],
    "logical_xor": ["_logical_xor", "_Logical_Xor"],
}


def _same_shape(f):
    def run(a, x):
        if x[0].shape != x[1].shape:
            raise ValueError("elementwise operands differ in shape: %s %s" % (x[0].shape, x[1].shape))
        with np.errstate(all="ignore"):
            return [f(x[0], x[1])]
    return run


def _broadcast(f):
    def run(a, x):
        with np.errstate(all="ignore"):
            return [f(x[0], x[1])]
    return run


for _k, _names in _SAME_SHAPE.items():
    op(*_names)(_same_shape(BINARY[_k]))
    op("broadcast_" + _k)(_broadcast(BINARY[_k]))

SCALAR = {
    "_mod_scalar": ("mod", False), "_rmod_scalar": ("mod", True), "_hypot_scalar": ("hypot", False),
    "_equal_scalar": ("equal", False), "_not_equal_scalar": ("not_equal", False),
    "_greater_scalar": ("greater", False), "_greater_equal_scalar": ("greater_equal", False),
    "_lesser_scalar": ("lesser", False), "_lesser_equal_scalar": ("lesser_equal", False),
    "_logical_and_scalar": ("logical_and", False), "_logical_or_scalar": ("logical_or", False),
    "_logical_xor_scalar": ("logical_xor", False),
}
SCALAR_ALIASES = {
    "_ModScalar": "_mod_scalar", "_RModScalar": "_rmod_scalar", "_HypotScalar": "_hypot_scalar",
    "_npi_hypot_scalar": "_hypot_scalar", "_EqualScalar": "_equal_scalar",
    "_NotEqualScalar": "_not_equal_scalar", "_GreaterScalar": "_greater_scalar",
    "_GreaterEqualScalar": "_greater_equal_scalar", "_LesserScalar": "_lesser_scalar",
    "_LesserEqualScalar": "_lesser_equal_scalar", "_LogicalAndScalar": "_logical_and_scalar",
    "_LogicalOrScalar": "_logical_or_scalar", "_LogicalXorScalar": "_logical_xor_scalar",
}


def _scalar(name):
    fn, swap = SCALAR[name]

    def run(a, x):
        s = np.float64(f32(p_float(a.get("scalar"), 1.0)))
        d = x[0]
        with np.errstate(all="ignore"):
            return [BINARY[fn](s, d) if swap else BINARY[fn](d, s)]
    return run


for _n in SCALAR:
    op(_n)(_scalar(_n))
for _al, _n in SCALAR_ALIASES.items():
    op(_al)(_scalar(_n))

# MXNet 1.9.1's numpy-mode binary ops (those mxref_numpy.py does not
# cover): separate operators that on float32 operands compute what the
# broadcast_* / tensor-scalar legacy ops do.
NUMPY_BINARY = {
    "_npi_mod": "broadcast_mod", "_npi_hypot": "broadcast_hypot",
    "_npi_mod_scalar": "_mod_scalar", "_npi_rmod_scalar": "_rmod_scalar",
}
for _n, _legacy in NUMPY_BINARY.items():
    op(_n)(_quiet(mxref.OPS[_legacy]))

# MXNet 1.9.1's numpy-mode comparisons and predicates give bool
# (numpy/np_elemwise_broadcast_logic_op.cc, np_elemwise_unary_op_basic.cc).
NUMPY_COMPARE = {"_npi_equal": "equal", "_npi_not_equal": "not_equal", "_npi_greater": "greater",
                 "_npi_less": "lesser", "_npi_greater_equal": "greater_equal", "_npi_less_equal": "lesser_equal"}


def _bool_broadcast(fn):
    return lambda a, x: [BINARY[fn](x[0], x[1]) != 0]


def _bool_scalar(fn):
    def run(a, x):
        s = np.float64(f32(p_float(a.get("scalar"), 1.0)))
        return [BINARY[fn](x[0], s) != 0]
    return run


for _n, _fn in NUMPY_COMPARE.items():
    op(_n)(_bool_broadcast(_fn))
    op(_n + "_scalar")(_bool_scalar(_fn))

NUMPY_PREDICATE = {
    "_npi_logical_not": lambda x: x == 0,
    "_npi_isnan": np.isnan,
    "_npi_isinf": np.isinf,
    "_npi_isposinf": lambda x: np.isinf(x) & (x > 0),
    "_npi_isneginf": lambda x: np.isinf(x) & (x < 0),
    "_npi_isfinite": np.isfinite,
}
for _n, _f in NUMPY_PREDICATE.items():
    op(_n)((lambda f: lambda a, x: [f(x[0])])(_f))


def _around1(v, decimals):
    """around_forward in float32, step for step: scale by 10 per decimal,
    round half away from zero, move an odd result of a tie back to the even
    neighbour, scale back (stopping at 0)."""
    f = np.float32
    with np.errstate(all="ignore"):
        temp = f(v)
        d = 0
        while d != decimals:
            if decimals > 0:
                d += 1
                temp = f(temp * f(10))
            else:
                d -= 1
                temp = f(temp / f(10))
            if temp == 0 or np.isnan(temp) or np.isinf(temp):
                d = decimals  # further scaling leaves temp unchanged
        r = f(math.copysign(math.floor(abs(float(temp)) + 0.5), float(temp))) if np.isfinite(temp) else temp
        if f(r - temp) == f(0.5) and int(r) % 2 != 0:
            r = f(r - f(1))
        elif f(temp - r) == f(0.5) and int(r) % 2 != 0:
            r = f(r + f(1))
        while d != 0:
            if r == 0 or np.isnan(r) or np.isinf(r):
                break
            if decimals > 0:
                d -= 1
                r = f(r / f(10))
            else:
                d += 1
                r = f(r * f(10))
        return float(r)


@op("_npi_around")
def around(a, x):
    dec = mxref.p_int(a.get("decimals"), 0)
    return [np.vectorize(lambda v: _around1(v, dec), otypes=[np.float64])(x[0])]


@op("_npi_nan_to_num")
def nan_to_num(a, x):
    mxref.p_bool(a.get("copy"), True)
    big = float(np.finfo(np.float32).max)
    with np.errstate(over="ignore"):  # static_cast<float> of a larger double is inf
        nan = f32(p_float(a.get("nan"), 0.0))
        pos = f32(mxref.p_opt_float(a.get("posinf")) if mxref.p_opt_float(a.get("posinf")) is not None else big)
        neg = f32(mxref.p_opt_float(a.get("neginf")) if mxref.p_opt_float(a.get("neginf")) is not None else -big)
    d = np.where(np.isnan(x[0]), nan, x[0])
    d = np.where(np.isposinf(d), pos, d)
    return [np.where(np.isneginf(d), neg, d)]


# The numpy-mode binary ops with kernels of their own (numpy/
# np_elemwise_broadcast_op_extended.cc, mshadow_op.h):
def _copysign(l, r):
    """a where a and b are both >= 0 or both < 0, else -a (a NaN or -0 b
    counts by those comparisons, not by its sign bit)."""
    same = ((l >= 0) & (r >= 0)) | ((l < 0) & (r < 0))
    return np.where(same, l, -l)


def _ldexp(l, r):
    """a * powf(2, b): the power rounded to float32 (inf past its range),
    so 0 * 2^200 is 0 * inf = NaN."""
    with np.errstate(all="ignore"):
        p = _f32_range(np.power(2.0, r)).astype(np.float32).astype(np.float64)
        return l * p


EXTRA = {"copysign": _copysign, "arctan2": np.arctan2, "ldexp": _ldexp}
for _k, _f in EXTRA.items():
    op("_npi_" + _k)(_broadcast(_f))
    op("_npi_%s_scalar" % _k)((lambda f: lambda a, x: [f(x[0], np.float64(f32(p_float(a.get("scalar"), 1.0))))])(_f))
    op("_npi_r%s_scalar" % _k)((lambda f: lambda a, x: [f(np.float64(f32(p_float(a.get("scalar"), 1.0))), x[0])])(_f))
