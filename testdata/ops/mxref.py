"""Independent float64 numpy reference of MXNet 1.9.1 forward semantics.

This is mxgo's golden reference: every operator mxgo registers is written
here again, from the semantics in /work/shared/spec/FORMATS.md section 5
(and MXNet's sources where the spec is silent), without looking at mxgo's Go
kernels. The reference follows MXNet 1.9.1 as shipped on PyPI (a oneDNN
build) at inference (is_train false).

Usage: ``run(op, attrs, inputs) -> list of outputs`` where ``op`` is an MXNet
operator name or alias, ``attrs`` the attribute strings exactly as MXNet
stores them on a node ({"kernel": "(3, 3)", "no_bias": "True"}), and
``inputs`` numpy arrays in FListInputNames order (auxiliary states
included). Every output is returned, hidden ones included; an output MXNet
leaves unwritten at inference (rrelu's mask, max Pooling's oneDNN workspace)
is returned as None. Arithmetic is float64 on the float64-converted inputs;
where MXNet's result depends on a float32 constant (BatchNorm eps, rrelu
slope, SoftmaxActivation) that constant is rounded to float32 first.

Build-dependent behaviour followed here (oneDNN pip build):
  * SoftmaxOutput without multi_output on 1-, 2- or 4-D float32 input
    normalises over the LAST axis (MKLDNNSoftmaxOutputForward); 3-D and 5-D
    inputs take the native path: softmax over the flattened (N, rest) rows.
  * max Pooling has a hidden second output (workspace), never compared.
  * BatchNorm's hidden outputs are moving_mean and 1/sqrt(moving_var + eps).
"""

import math

import numpy as np

# ---------------------------------------------------------------------------
# dmlc::Parameter-style attribute parsing


def p_bool(s, default=False):
    if s is None:
        return default
    t = s.strip().lower()
    if t in ("true", "1"):
        return True
    if t in ("false", "0"):
        return False
    raise ValueError("bad bool %r" % s)


def p_int(s, default=None):
    if s is None:
        if default is None:
            raise ValueError("missing required int")
        return default
    return int(s.strip().rstrip("L"))


def p_float(s, default=None):
    if s is None:
        if default is None:
            raise ValueError("missing required float")
        return default
    return float(s.strip())


def p_opt_int(s):
    """optional<int>: None (absent or the literal None) or an int."""
    if s is None or s.strip() == "None":
        return None
    return int(s.strip().rstrip("L"))


def p_opt_float(s):
    if s is None or s.strip() == "None":
        return None
    return float(s.strip())


def p_tuple(s, default=(), allow_none=False):
    """Tuple/TShape: "3", "(3, 3)", "[3,3]", "()", "(3,)"; None entries when
    allow_none (slice's Tuple<optional<int>>)."""
    if s is None:
        return tuple(default)
    t = s.strip()
    if t == "None":
        return None
    if t[0] not in "([":
        return (int(t.rstrip("L")),)
    body = t[1:-1].strip()
    if not body:
        return ()
    out = []
    for part in body.split(","):
        part = part.strip()
        if not part:
            continue
        if part == "None":
            if not allow_none:
                raise ValueError("None in tuple %r" % s)
            out.append(None)
        else:
            out.append(int(part.rstrip("L")))
    return tuple(out)


def f32(x):
    """Round a Python float to float32 and back to float64."""
    return float(np.float32(x))


# ---------------------------------------------------------------------------
# helpers


def _softmax(x, axis, t=1.0):
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp((x - m) / t)
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(x, axis, t=1.0):
    m = np.max(x, axis=axis, keepdims=True)
    z = (x - m) / t
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def _sigmoid(x):
    # stable in float64 for the ranges the goldens use
    return 1.0 / (1.0 + np.exp(-x))


def _softrelu(x):
    with np.errstate(over="ignore"):
        return np.where(x > 20.0, x, np.log1p(np.exp(np.minimum(x, 20.0))))


_erf = np.vectorize(math.erf, otypes=[np.float64])

# ---------------------------------------------------------------------------
# operators: each takes (attrs, inputs) and returns a list of outputs

OPS = {}


def op(*names):
    def reg(f):
        for n in names:
            OPS[n] = f
        return f
    return reg


@op("FullyConnected", "_npx_fully_connected")
def fully_connected(a, x):
    nh = p_int(a.get("num_hidden"))
    no_bias = p_bool(a.get("no_bias"))
    flatten = p_bool(a.get("flatten"), True)
    d, w = x[0], x[1]
    if flatten:
        y = d.reshape(d.shape[0], -1) @ w.T
    else:
        y = d @ w.T
    if not no_bias:
        y = y + x[2].reshape(nh)
    return [y]


@op("Activation", "_npx_activation")
def activation(a, x):
    t = a["act_type"]
    d = x[0]
    if t == "relu":
        y = np.maximum(d, 0.0)
        y = np.where(np.isnan(d), d, y)
    elif t == "sigmoid":
        y = _sigmoid(d)
    elif t == "tanh":
        y = np.tanh(d)
    elif t == "softrelu":
        y = _softrelu(d)
    elif t == "softsign":
        y = d / (1.0 + np.abs(d))
    elif t == "log_sigmoid":
        y = np.log(_sigmoid(d))
    elif t == "mish":
        y = d * np.tanh(_softrelu(d))
    else:
        raise ValueError("act_type " + t)
    return [y]


def _prelu_gamma(g, shape):
    """MXNet's expand_shape: gamma's dims matched right to left against data
    axes 1 and 0 only."""
    g = np.asarray(g)
    if g.ndim > 2:
        raise ValueError("Cannot broadcast gamma to data")
    full = [1] * len(shape)
    axes = [1, 0][: g.ndim]
    for k, ax in enumerate(axes):
        full[ax] = g.shape[g.ndim - 1 - k]
    return g.reshape(full)


@op("LeakyReLU")
def leaky_relu(a, x):
    t = a.get("act_type", "leaky")
    slope = f32(p_float(a.get("slope"), 0.25))
    lo = np.float32(p_float(a.get("lower_bound"), 0.125))
    hi = np.float32(p_float(a.get("upper_bound"), 0.334))
    d = x[0]
    if t == "leaky":
        return [np.where(d > 0, d, slope * d)]
    if t == "prelu":
        g = _prelu_gamma(x[1], d.shape)
        return [np.where(d > 0, d, g * d)]
    if t == "elu":
        return [np.where(d > 0, d, slope * np.expm1(d))]
    if t == "selu":
        lam, alpha = 1.0507009873554805, 1.6732632423543772
        return [lam * np.where(d > 0, d, alpha * np.expm1(d))]
    if t in ("gelu", "gelu_erf"):
        return [0.5 * d * (1.0 + _erf(d / math.sqrt(2.0)))]
    if t == "gelu_tanh":
        k = math.sqrt(2.0 / math.pi)
        return [0.5 * d * (1.0 + np.tanh(k * (d + 0.044715 * d ** 3)))]
    if t == "rrelu":
        s = float((lo + hi) / np.float32(2))
        return [np.where(d > 0, d, s * d), None]
    raise ValueError("LeakyReLU act_type " + t)


def _softmax_family(a, x, log):
    axis = p_int(a.get("axis"), -1)
    temp = p_opt_float(a.get("temperature"))
    use_length = p_bool(a.get("use_length"), False) if a.get("use_length", "None") != "None" else False
    d = x[0]
    t = 1.0 if temp is None else f32(temp)
    f = _log_softmax if log else _softmax
    if not use_length:
        return [f(d, axis, t)]
    ax = axis % d.ndim
    length = np.asarray(x[1]).astype(np.int64)
    dm = np.moveaxis(d, ax, -1)
    lm = length.reshape(dm.shape[:-1]) if d.ndim > 1 else length.reshape(())
    out = np.zeros_like(dm)
    for idx in np.ndindex(dm.shape[:-1]):
        n = int(lm[idx]) if d.ndim > 1 else int(lm)
        if n > 0:
            out[idx][:n] = f(dm[idx][:n], -1, t)
    return [np.moveaxis(out, -1, ax)]


@op("softmax", "_npx_softmax")
def softmax(a, x):
    return _softmax_family(a, x, False)


@op("log_softmax", "_npx_log_softmax")
def log_softmax(a, x):
    return _softmax_family(a, x, True)


@op("SoftmaxActivation")
def softmax_activation(a, x):
    mode = a.get("mode", "instance")
    d = x[0]
    if mode == "instance":
        return [_softmax(d.reshape(-1, d.shape[-1]), -1).reshape(d.shape)]
    if d.ndim < 3:
        raise ValueError("channel mode needs ndim >= 3")
    return [_softmax(d, 1)]


@op("SoftmaxOutput", "Softmax")
def softmax_output(a, x):
    d = x[0]
    if p_bool(a.get("multi_output")):
        return [_softmax(d.reshape(d.shape[0], d.shape[1], -1), 1).reshape(d.shape)]
    if p_bool(a.get("preserve_shape")):
        return [_softmax(d, -1)]
    if d.ndim in (1, 2, 4):  # oneDNN path (pip build): last axis
        return [_softmax(d, -1)]
    return [_softmax(d.reshape(d.shape[0], -1), -1).reshape(d.shape)]


@op("LinearRegressionOutput", "MAERegressionOutput")
def regression_identity(a, x):
    return [x[0].copy()]


@op("LogisticRegressionOutput")
def logistic_regression(a, x):
    return [_sigmoid(x[0])]


@op("Dropout", "_npx_dropout")
def dropout(a, x):
    if a.get("mode", "training") != "training":
        raise ValueError("Dropout mode always is random")
    return [x[0].copy(), None]


@op("BatchNorm", "_npx_batch_norm")
def batch_norm(a, x):
    eps_s = a.get("eps")
    eps = 0.0010000000474974513 if eps_s is None else float(eps_s)
    eps = f32(eps)  # var + DType(eps) with float32 data
    fix_gamma = p_bool(a.get("fix_gamma"), True)
    axis = p_int(a.get("axis"), 1)
    d, g, b, mm, mv = x
    ax = axis % d.ndim
    shp = [1] * d.ndim
    shp[ax] = d.shape[ax]
    if fix_gamma:
        g = np.ones_like(g)
    invstd = 1.0 / np.sqrt(mv + eps)
    y = (d - mm.reshape(shp)) * invstd.reshape(shp) * g.reshape(shp) + b.reshape(shp)
    return [y, mm.copy(), invstd]


@op("LayerNorm")
def layer_norm(a, x):
    axis = p_int(a.get("axis"), -1)
    eps = f32(p_float(a.get("eps"), 1e-5))
    d, g, b = x
    ax = axis % d.ndim
    shp = [1] * d.ndim
    shp[ax] = d.shape[ax]
    mean = d.mean(axis=ax, keepdims=True)
    var = ((d - mean) ** 2).mean(axis=ax, keepdims=True)
    std = np.sqrt(var + eps)
    y = (d - mean) / std * g.reshape(shp) + b.reshape(shp)
    return [y, mean, std]


@op("Flatten", "flatten", "_npx_batch_flatten")
def flatten(a, x):
    d = x[0]
    if d.ndim == 1:
        return [d.reshape(d.shape[0], 1)]
    return [d.reshape(d.shape[0], -1)]


def reshape_shape(ishape, shape, reverse):
    """InferReshapeShape for the well-defined cases (a -1 after -2/-4 is
    refused, as mxgo does)."""
    ish = list(ishape)
    sh = list(shape)
    if reverse:
        if -4 in sh:
            # MXNet reverses the list as is, so "-4 a b" reads "b a -4":
            # not a meaningful use, not referenced.
            raise ValueError("reverse with -4 has no reference")
        ish.reverse()
        sh.reverse()
    out = []
    src = 0
    infer = -1
    i = 0
    seen_wild = False
    while i < len(sh):
        v = sh[i]
        if v > 0:
            out.append(v)
            src += 1
        elif v == 0:
            out.append(ish[src])
            src += 1
        elif v == -1:
            if infer >= 0 or seen_wild:
                raise ValueError("unsupported -1")
            infer = len(out)
            out.append(-1)
            src += 1
        elif v == -2:
            out.extend(ish[src:])
            src = len(ish)
            seen_wild = True
        elif v == -3:
            out.append(ish[src] * ish[src + 1])
            src += 2
        elif v == -4:
            d0 = ish[src]
            p, q = sh[i + 1], sh[i + 2]
            if p == -1:
                p = d0 // q
            if q == -1:
                q = d0 // p
            out.extend([p, q])
            src += 1
            i += 2
            seen_wild = True
        i += 1
    total = int(np.prod(ishape))
    if infer >= 0:
        rest = int(np.prod([o for j, o in enumerate(out) if j != infer]))
        out[infer] = total // rest
    if reverse:
        out.reverse()
    if int(np.prod(out)) != total:
        raise ValueError("size mismatch")
    return tuple(out)


@op("Reshape", "reshape")
def reshape(a, x):
    shape = p_tuple(a.get("shape"), ())
    rev = p_bool(a.get("reverse"))
    return [x[0].reshape(reshape_shape(x[0].shape, shape, rev))]


@op("Concat", "concat")
def concat(a, x):
    return [np.concatenate(x, axis=p_int(a.get("dim"), 1))]


@op("SliceChannel", "split")
def slice_channel(a, x):
    n = p_int(a.get("num_outputs"))
    axis = p_int(a.get("axis"), 1)
    sq = p_bool(a.get("squeeze_axis"))
    parts = np.split(x[0], n, axis=axis)
    if sq:
        parts = [np.squeeze(p, axis=axis) for p in parts]
    return parts


@op("slice", "crop", "_npx_slice")
def slice_op(a, x):
    d = x[0]
    b = p_tuple(a["begin"], allow_none=True)
    e = p_tuple(a["end"], allow_none=True)
    s = p_tuple(a.get("step"), (), allow_none=True)
    idx = []
    for i in range(len(b)):
        st = s[i] if i < len(s) else None
        idx.append(slice(b[i], e[i], st))
    return [d[tuple(idx)].copy()]


@op("slice_axis")
def slice_axis(a, x):
    d = x[0]
    axis = p_int(a["axis"]) % d.ndim
    n = d.shape[axis]
    b = p_int(a["begin"])
    e = p_opt_int(a["end"])
    if b < 0:
        b += n
    if e is None:
        e = n
    elif e < 0:
        e += n
    idx = [slice(None)] * d.ndim
    idx[axis] = slice(b, e)
    return [d[tuple(idx)].copy()]


@op("transpose")
def transpose(a, x):
    axes = p_tuple(a.get("axes"), ())
    return [np.transpose(x[0], axes if axes else None).copy()]


@op("expand_dims")
def expand_dims(a, x):
    axis = p_int(a["axis"])
    d = x[0]
    if axis < 0:
        axis += d.ndim + 1
    return [np.expand_dims(d, axis)]


def _binary(f):
    return lambda a, x: [f(x[0], x[1])]


BIN = {
    "add": lambda l, r: l + r,
    "sub": lambda l, r: l - r,
    "mul": lambda l, r: l * r,
    "div": lambda l, r: l / r,
    "power": lambda l, r: np.power(l, r),
    "maximum": np.maximum,
    "minimum": np.minimum,
}

for _k, _aliases in [("add", ["elemwise_add", "_add", "_plus", "_Plus", "broadcast_add", "broadcast_plus"]),
                     ("sub", ["elemwise_sub", "_sub", "_minus", "_Minus", "broadcast_sub", "broadcast_minus"]),
                     ("mul", ["elemwise_mul", "_mul", "_Mul", "broadcast_mul"]),
                     ("div", ["elemwise_div", "_div", "_Div", "broadcast_div"]),
                     ("power", ["_power", "_Power", "broadcast_power"]),
                     ("maximum", ["_maximum", "_Maximum", "broadcast_maximum"]),
                     ("minimum", ["_minimum", "_Minimum", "broadcast_minimum"])]:
    op(*_aliases)(_binary(BIN[_k]))


@op("add_n", "ElementWiseSum")
def add_n(a, x):
    y = np.zeros_like(x[0])
    for t in x:
        y = y + t
    return [y]


SCALAR = {
    "_plus_scalar": lambda d, s: d + s,
    "_minus_scalar": lambda d, s: d - s,
    "_rminus_scalar": lambda d, s: s - d,
    "_mul_scalar": lambda d, s: d * s,
    "_div_scalar": lambda d, s: d / s,
    "_rdiv_scalar": lambda d, s: s / d,
    "_power_scalar": lambda d, s: np.power(d, s),
    "_rpower_scalar": lambda d, s: np.power(s, d),
    "_maximum_scalar": lambda d, s: np.maximum(d, s),
    "_minimum_scalar": lambda d, s: np.minimum(d, s),
}
SCALAR_ALIAS = {"_PlusScalar": "_plus_scalar", "_MinusScalar": "_minus_scalar",
                "_RMinusScalar": "_rminus_scalar", "_MulScalar": "_mul_scalar",
                "_DivScalar": "_div_scalar", "_RDivScalar": "_rdiv_scalar",
                "_PowerScalar": "_power_scalar", "_RPowerScalar": "_rpower_scalar",
                "_MaximumScalar": "_maximum_scalar", "_MinimumScalar": "_minimum_scalar"}


def _scalar_op(name):
    def f(a, x):
        # float inputs: the scalar is cast to the input type (float32)
        s = f32(p_float(a.get("scalar"), 1.0))
        return [SCALAR[name](x[0], s)]
    return f


for _n in SCALAR:
    op(_n)(_scalar_op(_n))
for _al, _n in SCALAR_ALIAS.items():
    op(_al)(_scalar_op(_n))


@op("dot")
def dot(a, x):
    ta, tb = p_bool(a.get("transpose_a")), p_bool(a.get("transpose_b"))
    l, r = x
    if l.ndim == 1 and r.ndim == 1:
        return [np.array([np.dot(l, r)])]
    if ta:
        lm = l.reshape(l.shape[0], -1).T
        lkeep = l.shape[1:]
    else:
        lm = l.reshape(-1, l.shape[-1])
        lkeep = l.shape[:-1]
    if tb:
        rm = r.reshape(-1, r.shape[-1]).T
        rkeep = r.shape[:-1]
    else:
        rm = r.reshape(r.shape[0], -1)
        rkeep = r.shape[1:]
    y = lm @ rm
    shape = tuple(lkeep) + tuple(rkeep)
    return [y.reshape(shape if shape else (1,))]


@op("batch_dot")
def batch_dot(a, x):
    l, r = x
    if p_bool(a.get("transpose_a")):
        l = np.swapaxes(l, -1, -2)
    if p_bool(a.get("transpose_b")):
        r = np.swapaxes(r, -1, -2)
    return [np.matmul(l, r)]


@op("Embedding", "_npx_embedding")
def embedding(a, x):
    k = p_int(a["input_dim"])
    idx = np.trunc(x[0]).astype(np.int64)  # static_cast to int
    idx = np.clip(idx, 0, k - 1)
    return [x[1][idx]]


@op("clip")
def clip(a, x):
    lo, hi = f32(p_float(a["a_min"])), f32(p_float(a["a_max"]))
    d = x[0]
    return [np.where(d > hi, hi, np.where(d < lo, lo, d))]


UNARY = {
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "square": np.square,
    "abs": np.abs, "negative": np.negative,
    "_copy": np.copy, "identity": np.copy, "BlockGrad": np.copy,
    "stop_gradient": np.copy, "make_loss": np.copy,
}
for _n, _f in UNARY.items():
    op(_n)((lambda f: lambda a, x: [f(x[0])])(_f))


def reduce_axes(a, ndim):
    """The reduced axes of sum/mean/max/min, or None for all."""
    ax = a.get("axis")
    if ax is None or ax.strip() == "None":
        return None
    axes = p_tuple(ax)
    if len(axes) == 0:
        return None
    axes = sorted(v % ndim for v in axes)
    if p_bool(a.get("exclude")):
        axes = [i for i in range(ndim) if i not in axes]
    return tuple(axes)


def _reducer(f):
    def g(a, x):
        d = x[0]
        keep = p_bool(a.get("keepdims"))
        axes = reduce_axes(a, d.ndim)
        if axes is None:
            axes = tuple(range(d.ndim))
            y = f(d, axis=axes, keepdims=keep)
            return [y if keep else np.reshape(y, (1,))]
        y = f(d, axis=axes, keepdims=keep)
        if np.ndim(y) == 0:
            y = np.reshape(y, (1,))
        return [y]
    return g


op("sum", "sum_axis")(_reducer(np.sum))
op("mean")(_reducer(np.mean))
op("max", "max_axis")(_reducer(np.max))
op("min", "min_axis")(_reducer(np.min))


def _arg(f):
    def g(a, x):
        d = x[0]
        keep = p_bool(a.get("keepdims"))
        axis = p_opt_int(a.get("axis"))
        if axis is None or d.ndim == 1:
            i = f(d.reshape(-1))
            return [np.full((1,) * d.ndim if keep else (1,), float(i))]
        y = f(d, axis=axis)
        if keep:
            y = np.expand_dims(y, axis % d.ndim)
        return [y.astype(np.float64)]
    return g


op("argmax")(_arg(np.argmax))
op("argmin")(_arg(np.argmin))


@op("Cast", "cast")
def cast(a, x):
    dt = a["dtype"]
    d = x[0]
    if dt == "bool":
        return [d != 0]
    if dt in ("uint8", "int8", "int32", "int64"):
        return [np.trunc(d).astype(dt)]
    if dt == "float16":
        return [d.astype(np.float32).astype(np.float16)]
    if dt in ("float32", "float64"):
        return [d.astype(np.float32).astype(dt)]
    raise ValueError("Cast dtype " + dt)


def _conv_params(a, k):
    kernel = p_tuple(a["kernel"])
    stride = p_tuple(a.get("stride"), ()) or (1,) * len(kernel)
    dilate = p_tuple(a.get("dilate"), ()) or (1,) * len(kernel)
    pad = p_tuple(a.get("pad"), ()) or (0,) * len(kernel)
    return kernel, stride, dilate, pad


def _pad_spatial(d, pads, value=0.0):
    width = [(0, 0), (0, 0)] + [(p, p) for p in pads]
    return np.pad(d, width, constant_values=value)


def _correlate(d, w, stride, dilate):
    """d: (N, C, *S) already padded, w: (F, C, *K) -> (N, F, *O), one group."""
    nsp = d.ndim - 2
    ks = w.shape[2:]
    osz = [(d.shape[2 + i] - (dilate[i] * (ks[i] - 1) + 1)) // stride[i] + 1 for i in range(nsp)]
    out = np.zeros((d.shape[0], w.shape[0]) + tuple(osz))
    for kidx in np.ndindex(*ks):
        sl = [slice(None), slice(None)]
        for i in range(nsp):
            st = kidx[i] * dilate[i]
            sl.append(slice(st, st + stride[i] * (osz[i] - 1) + 1, stride[i]))
        patch = d[tuple(sl)]  # (N, C, *O)
        wk = w[(slice(None), slice(None)) + kidx]  # (F, C)
        out += np.einsum("nc...,fc->nf...", patch, wk)
    return out


@op("Convolution", "_npx_convolution")
def convolution(a, x):
    kernel, stride, dilate, pad = _conv_params(a, None)
    g = p_int(a.get("num_group"), 1)
    nf = p_int(a["num_filter"])
    d, w = x[0], x[1]
    dp = _pad_spatial(d, pad)
    cg, fg = d.shape[1] // g, nf // g
    outs = [_correlate(dp[:, i * cg:(i + 1) * cg], w[i * fg:(i + 1) * fg], stride, dilate) for i in range(g)]
    y = np.concatenate(outs, axis=1)
    if not p_bool(a.get("no_bias")):
        y = y + x[2].reshape((1, nf) + (1,) * len(kernel))
    return [y]


@op("Deconvolution", "_npx_deconvolution")
def deconvolution(a, x):
    kernel, stride, dilate, pad = _conv_params(a, None)
    nk = len(kernel)
    adj = p_tuple(a.get("adj"), ()) or (0,) * nk
    target = p_tuple(a.get("target_shape"), ())
    g = p_int(a.get("num_group"), 1)
    nf = p_int(a["num_filter"])
    d, w = x[0], x[1]
    insp = d.shape[2:]
    dk = [dilate[i] * (kernel[i] - 1) + 1 for i in range(nk)]
    pad, adj = list(pad), list(adj)
    if target and any(t != 0 for t in target):
        for i in range(nk):
            t = stride[i] * (insp[i] - 1) + dk[i] - target[i]
            adj[i] = t % 2
            pad[i] = (t + 1) // 2
    # full (unpadded) transposed output, then crop pad from the start
    full = [stride[i] * (insp[i] - 1) + dk[i] + adj[i] for i in range(nk)]
    osz = [full[i] - 2 * pad[i] for i in range(nk)]
    cg, fg = d.shape[1] // g, nf // g
    y = np.zeros((d.shape[0], nf) + tuple(max(f, 1) for f in full))
    for gi in range(g):
        dg = d[:, gi * cg:(gi + 1) * cg]
        wg = w[gi * cg:(gi + 1) * cg]  # (cg, fg, *K)
        for kidx in np.ndindex(*kernel):
            contrib = np.einsum("nc...,cf->nf...", dg, wg[(slice(None), slice(None)) + kidx])
            sl = [slice(None), slice(gi * fg, (gi + 1) * fg)]
            for i in range(nk):
                st = kidx[i] * dilate[i]
                sl.append(slice(st, st + stride[i] * (insp[i] - 1) + 1, stride[i]))
            y[tuple(sl)] += contrib
    crop = [slice(None), slice(None)] + [slice(pad[i], pad[i] + osz[i]) for i in range(nk)]
    y = y[tuple(crop)]
    if not p_bool(a.get("no_bias"), True):
        y = y + x[2].reshape((1, nf) + (1,) * nk)
    return [y]


def pool_out_dim(conv, n, k, p, s):
    if conv == "full":
        return 1 + int(math.ceil(float(np.float32(n + 2 * p - k) / np.float32(s))))
    if conv == "same":
        return int(math.ceil(float(np.float32(n + 2 * p) / np.float32(s))))
    return 1 + (n + 2 * p - k) // s


@op("Pooling", "_npx_pooling")
def pooling(a, x):
    d = x[0]
    nsp = d.ndim - 2
    ptype = a.get("pool_type", "max")
    conv = a.get("pooling_convention", "valid")
    cip = a.get("count_include_pad")
    cip = True if cip is None or cip.strip() == "None" else p_bool(cip)
    if p_bool(a.get("global_pool")):
        kernel, stride, pad = d.shape[2:], (1,) * nsp, (0,) * nsp
    else:
        kernel = p_tuple(a["kernel"])
        stride = p_tuple(a.get("stride"), ()) or (1,) * nsp
        pad = p_tuple(a.get("pad"), ()) or (0,) * nsp
    insp = d.shape[2:]
    if p_bool(a.get("global_pool")):
        osz = [1] * nsp
    else:
        osz = [pool_out_dim(conv, insp[i], kernel[i], pad[i], stride[i]) for i in range(nsp)]
    y = np.zeros(d.shape[:2] + tuple(osz))
    for o in np.ndindex(*osz):
        lo, hi, clo, chi = [], [], [], []
        for i in range(nsp):
            st = o[i] * stride[i] - pad[i]
            en = min(st + kernel[i], insp[i] + pad[i])
            lo.append(st)
            hi.append(en)
            clo.append(max(st, 0))
            chi.append(min(en, insp[i]))
        win = d[(slice(None), slice(None)) + tuple(slice(clo[i], chi[i]) for i in range(nsp))]
        axes = tuple(range(2, 2 + nsp))
        if ptype == "max":
            if win.size == 0:
                v = np.full(d.shape[:2], float(np.finfo(np.float32).min))
            else:
                v = win.max(axis=axes)
        elif ptype == "sum":
            v = win.sum(axis=axes)
        elif ptype == "avg":
            if cip:
                div = np.prod([hi[i] - lo[i] for i in range(nsp)])
            else:
                div = np.prod([chi[i] - clo[i] for i in range(nsp)])
            v = win.sum(axis=axes) / div
        elif ptype == "lp":
            pv = p_opt_int(a.get("p_value"))
            if pv not in (1, 2, 3):
                raise ValueError("lp pooling needs p_value 1, 2 or 3")
            # root_p(sum x^p) over the clipped window, no absolute value
            v = np.cbrt((win ** 3).sum(axis=axes)) if pv == 3 else (win ** pv).sum(axis=axes) ** (1.0 / pv)
        else:
            raise ValueError("pool_type " + ptype)
        y[(slice(None), slice(None)) + o] = v
    if ptype == "max":
        return [y, None]
    return [y]


@op("UpSampling")
def upsampling(a, x):
    if a["sample_type"] != "nearest":
        raise ValueError("only nearest upsampling has a reference")
    scale = p_int(a["scale"])
    mode = a.get("multi_input_mode", "concat")
    oh, ow = x[0].shape[2] * scale, x[0].shape[3] * scale
    ups = []
    for t in x:
        s = oh // t.shape[2]
        ups.append(np.repeat(np.repeat(t, s, axis=2), s, axis=3))
    if mode == "sum":
        y = ups[0].copy()
        for u in ups[1:]:
            y = y + u
        return [y]
    return [np.concatenate(ups, axis=1)]


def run(name, attrs, inputs):
    """Forward of operator name on float64 copies of inputs."""
    if name not in OPS:
        raise KeyError("mxref: no reference for operator %s" % name)
    xs = [np.asarray(t, dtype=np.float64) if name not in ("Cast", "cast") else np.asarray(t) for t in inputs]
    return OPS[name](attrs, xs)
