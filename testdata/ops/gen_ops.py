#!/usr/bin/python3
"""Generate mxgo's operator goldens from the mxref float64 reference.

    /usr/bin/python3 testdata/ops/gen_ops.py [OUTDIR]

writes OUTDIR/cases.json and one OUTDIR/<case>.npz per case (default OUTDIR
is this script's directory). Inputs are float32 (or the dtype a case states)
drawn from a fixed seed, so the output is byte-for-byte reproducible with the
same numpy; `make goldens-check` regenerates into a temp dir and diffs.

Each npz holds in0, in1, ... (the op's inputs in FListInputNames order, aux
states included) and out0, out1, ... (reference outputs, float64, or the
target dtype for Cast; outputs MXNet leaves unwritten at inference are
absent and listed in "unchecked_outputs").

Tolerances (|got - want| <= atol + rtol*|want|, got from a float32 kernel):
  exact     rtol 0, atol 0: data movement, max/min, Cast, Embedding, argmax.
            The float32 inputs are exactly representable, so the kernel must
            reproduce the reference bit for bit.
  arith     rtol 1e-6: one float32 rounding (2^-24 = 6e-8 relative) of an
            add/sub/mul/div/sqrt; slack for x*(1/s) instead of x/s.
  trans     rtol 1e-6, atol 1e-7: exp/log/tanh/sigmoid, ~4 float32 ulp
            (4 * 1.2e-7 relative including the output rounding), with an
            absolute floor for results near 0 (log near 1, tanh near 0).
  composed  rtol 1e-5, atol 1e-6: several transcendentals or a normalisation
            (softmax, gelu, mish, softrelu, BatchNorm, LayerNorm): errors of
            the parts add up and cancellation (x - mean, log(1 + tiny)) loses
            a few bits.
  accum     rtol 1e-5 and atol = K * 2^-24 * max(M), where K is the number
            of float32 terms summed per output (contraction length) and M is
            the reference run on |inputs| (the sum of |terms| per output):
            the standard worst-case bound for float32 summation in any
            order (blocked, FMA, pairwise all stay within it).
"""

import glob
import importlib
import io
import json
import os
import sys
import zipfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import mxref  # noqa: E402

U32 = 2.0 ** -24

TOL = {
    "exact": (0.0, 0.0),
    "arith": (1e-6, 0.0),
    "trans": (1e-6, 1e-7),
    "composed": (1e-5, 1e-6),
}

rng = np.random.default_rng(20261129)


def rnd(*shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def rndn(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def pos(*shape, lo=0.1, hi=3.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def ints(*shape, lo=-5, hi=6):
    """Distinct-ish integer-valued float32 (exact in every op)."""
    return rng.integers(lo, hi, size=shape).astype(np.float32)


def perm(*shape):
    """Distinct values (no ties) for max/min/argmax."""
    n = int(np.prod(shape))
    v = rng.permutation(n).astype(np.float32) - n / 2
    return (v * 0.25).reshape(shape)


CASES = []


def case(name, op, attrs, inputs, tol="exact", k=None, outputs=1, visible=None,
         out_dtypes=None):
    """Record one case. tol is a TOL class or "accum" (needs k, the number
    of summed terms per output)."""
    CASES.append(dict(name=name, op=op, attrs=attrs, inputs=inputs, tol=tol, k=k,
                      outputs=outputs, visible=outputs if visible is None else visible,
                      out_dtypes=out_dtypes))


# ---------------------------------------------------------------------------
# MLP family

case("FullyConnected_flatten_4d", "FullyConnected", {"num_hidden": "7"},
     [rnd(3, 2, 5, 3), rnd(7, 30), rnd(7)], "accum", k=31)
case("FullyConnected_batch1_nobias", "FullyConnected", {"num_hidden": "13", "no_bias": "True"},
     [rnd(1, 37), rnd(13, 37)], "accum", k=37)
case("FullyConnected_noflatten_3d", "FullyConnected", {"num_hidden": "5", "flatten": "False"},
     [rnd(2, 3, 11), rnd(5, 11), rnd(5)], "accum", k=12)
case("FullyConnected_k1_n1", "FullyConnected", {"num_hidden": "1"},
     [rnd(4, 1), rnd(1, 1), rnd(1)], "accum", k=2)
case("FullyConnected_big_k", "FullyConnected", {"num_hidden": "17"},
     [rnd(5, 257), rnd(17, 257, lo=-0.1, hi=0.1), rnd(17)], "accum", k=258)

act_x = np.concatenate([rnd(50, lo=-8, hi=8), np.array([0, -0.0, 1e-3, -1e-3, 19.5, 20.5, 25, -25, 30, -30],
                                                       np.float32)]).reshape(3, 4, 5)
for t, tol in [("relu", "exact"), ("sigmoid", "trans"), ("tanh", "trans"), ("softrelu", "composed"),
               ("softsign", "arith"), ("log_sigmoid", "composed"), ("mish", "composed")]:
    case("Activation_" + t, "Activation", {"act_type": t}, [act_x], tol)
case("Activation_relu_odd", "Activation", {"act_type": "relu"}, [rnd(1, 7, 3)], "exact")

lr_x = rnd(2, 3, 5, lo=-4, hi=4)
case("LeakyReLU_default", "LeakyReLU", {}, [lr_x], "arith")
case("LeakyReLU_leaky_slope", "LeakyReLU", {"act_type": "leaky", "slope": "0.1"}, [lr_x], "arith")
case("LeakyReLU_prelu_c", "LeakyReLU", {"act_type": "prelu"}, [rnd(2, 3, 4, 5), rnd(3, lo=0, hi=0.5)], "arith")
case("LeakyReLU_prelu_scalar", "LeakyReLU", {"act_type": "prelu"}, [rnd(3, 4, 2), rnd(1, lo=0, hi=0.5)], "arith")
case("LeakyReLU_prelu_2d", "LeakyReLU", {"act_type": "prelu"}, [rnd(5, 7), rnd(7, lo=0, hi=0.5)], "arith")
case("LeakyReLU_elu", "LeakyReLU", {"act_type": "elu", "slope": "1.0"}, [lr_x], "composed")
case("LeakyReLU_selu", "LeakyReLU", {"act_type": "selu"}, [lr_x], "composed")
case("LeakyReLU_gelu", "LeakyReLU", {"act_type": "gelu"}, [lr_x], "composed")
case("LeakyReLU_gelu_tanh", "LeakyReLU", {"act_type": "gelu_tanh"}, [lr_x], "composed")
case("LeakyReLU_rrelu_inference", "LeakyReLU", {"act_type": "rrelu", "lower_bound": "0.1", "upper_bound": "0.3"},
     [lr_x], "arith", outputs=2)

sm_x = rnd(3, 4, 5, lo=-5, hi=5)
case("softmax_default", "softmax", {}, [sm_x], "composed")
case("softmax_axis0", "softmax", {"axis": "0"}, [sm_x], "composed")
case("softmax_axis1_temp", "softmax", {"axis": "1", "temperature": "2.5"}, [sm_x], "composed")
case("softmax_1d", "softmax", {}, [rnd(11, lo=-30, hi=30)], "composed")
case("softmax_use_length", "softmax", {"axis": "-1", "use_length": "True"},
     [sm_x, np.array([[1, 5, 0, 3], [2, 4, 5, 1], [0, 0, 5, 2]], np.float32)], "composed")
case("softmax_dtype_float64", "softmax", {"axis": "-1", "dtype": "float64"}, [sm_x], "composed",
     out_dtypes=["float64"])
case("log_softmax_default", "log_softmax", {}, [sm_x], "composed")
case("log_softmax_axis1_temp", "log_softmax", {"axis": "1", "temperature": "0.5"}, [sm_x], "composed")
case("log_softmax_large", "log_softmax", {"axis": "-1"}, [rnd(2, 7, lo=-80, hi=80)], "composed")

case("SoftmaxActivation_instance_2d", "SoftmaxActivation", {}, [rnd(4, 9, lo=-4, hi=4)], "composed")
case("SoftmaxActivation_instance_4d", "SoftmaxActivation", {"mode": "instance"}, [rnd(2, 3, 2, 5, lo=-4, hi=4)],
     "composed")
case("SoftmaxActivation_channel", "SoftmaxActivation", {"mode": "channel"}, [rnd(2, 5, 3, 4, lo=-4, hi=4)],
     "composed")
case("SoftmaxActivation_channel_3d", "SoftmaxActivation", {"mode": "channel"}, [rnd(3, 4, 7, lo=-4, hi=4)],
     "composed")

case("SoftmaxOutput_2d", "SoftmaxOutput", {}, [rnd(5, 10, lo=-6, hi=6), np.zeros(5, np.float32)], "composed")
case("SoftmaxOutput_batch1_alias", "Softmax", {}, [rnd(1, 3, lo=-6, hi=6), np.zeros(1, np.float32)], "composed")
case("SoftmaxOutput_multi_output_4d", "SoftmaxOutput", {"multi_output": "True"},
     [rnd(2, 4, 3, 5, lo=-4, hi=4), np.zeros((2, 15), np.float32)], "composed")
case("SoftmaxOutput_multi_output_3d", "SoftmaxOutput", {"multi_output": "True"},
     [rnd(2, 3, 7, lo=-4, hi=4), np.zeros((2, 7), np.float32)], "composed")
case("SoftmaxOutput_4d_onednn_last_axis", "SoftmaxOutput", {},
     [rnd(2, 3, 4, 5, lo=-4, hi=4), np.zeros((2, 3, 4), np.float32)], "composed")
case("SoftmaxOutput_3d_native_flat", "SoftmaxOutput", {},
     [rnd(2, 3, 4, lo=-4, hi=4), np.zeros((2, 3), np.float32)], "composed")
case("SoftmaxOutput_preserve_shape", "SoftmaxOutput", {"preserve_shape": "True"},
     [rnd(2, 3, 4, lo=-4, hi=4), np.zeros((2, 3), np.float32)], "composed")

reg_x = rnd(4, 3, lo=-6, hi=6)
case("LinearRegressionOutput", "LinearRegressionOutput", {}, [reg_x, np.zeros((4, 3), np.float32)], "exact")
case("LinearRegressionOutput_n1", "LinearRegressionOutput", {"grad_scale": "0.5"},
     [rnd(5, 1), np.zeros(5, np.float32)], "exact")
case("MAERegressionOutput", "MAERegressionOutput", {}, [reg_x, np.zeros((4, 3), np.float32)], "exact")
case("LogisticRegressionOutput", "LogisticRegressionOutput", {}, [reg_x, np.zeros((4, 3), np.float32)], "trans")

case("Dropout_inference", "Dropout", {"p": "0.5"}, [rnd(3, 7)], "exact", outputs=2, visible=1)
case("Dropout_axes", "Dropout", {"p": "0.3", "axes": "(1,)"}, [rnd(2, 3, 5)], "exact", outputs=2, visible=1)

C = 5
bn_in = lambda shape, ax: [rnd(*shape, lo=-3, hi=3), pos(shape[ax], lo=0.5, hi=2.0), rnd(shape[ax]),  # noqa: E731
                           rnd(shape[ax], lo=-1, hi=1), pos(shape[ax], lo=0.05, hi=4.0)]
case("BatchNorm_default_fix_gamma", "BatchNorm", {}, bn_in((2, C, 3, 4), 1), "composed", outputs=3, visible=1)
case("BatchNorm_gamma_eps", "BatchNorm", {"eps": "2e-05", "fix_gamma": "False", "momentum": "0.9"},
     bn_in((3, C, 2, 2), 1), "composed", outputs=3, visible=1)
case("BatchNorm_global_stats_2d", "BatchNorm", {"fix_gamma": "False", "use_global_stats": "True"},
     bn_in((4, 7), 1), "composed", outputs=3, visible=1)
case("BatchNorm_axis_last_mean_var", "BatchNorm", {"axis": "-1", "fix_gamma": "False", "output_mean_var": "True"},
     bn_in((2, 3, 6), 2), "composed", outputs=3, visible=3)
case("BatchNorm_batch1_tiny_var", "BatchNorm", {"eps": "0.001", "fix_gamma": "False"},
     [rnd(1, 3, 5, 5), pos(3), rnd(3), rnd(3), np.array([0, 1e-6, 1e-3], np.float32)], "composed",
     outputs=3, visible=1)

case("LayerNorm_default", "LayerNorm", {}, [rnd(3, 4, 10, lo=-3, hi=5), pos(10), rnd(10)], "composed",
     outputs=3, visible=1)
case("LayerNorm_axis1_mean_std", "LayerNorm", {"axis": "1", "eps": "1e-3", "output_mean_var": "True"},
     [rnd(2, 6, 3), pos(6), rnd(6)], "composed", outputs=3, visible=3)
case("LayerNorm_row1", "LayerNorm", {"axis": "-1"}, [rnd(1, 7), pos(7), rnd(7)], "composed", outputs=3, visible=1)

# ---------------------------------------------------------------------------
# shape and data movement

case("Flatten_4d", "Flatten", {}, [rnd(2, 3, 1, 5)])
case("Flatten_1d", "flatten", {}, [rnd(7)])
case("Flatten_2d", "Flatten", {}, [rnd(3, 4)])

rs = rnd(2, 3, 4)
case("Reshape_0_m1", "Reshape", {"shape": "(0, -1)"}, [rs])
case("Reshape_m2", "Reshape", {"shape": "(-3, -2)"}, [rs])
case("Reshape_m4", "Reshape", {"shape": "(-4, 1, 2, -2)"}, [rs])
case("Reshape_m4_infer", "Reshape", {"shape": "(0, -4, -1, 2, 0)"}, [rnd(2, 6, 5)])
case("Reshape_reverse", "Reshape", {"shape": "(-1, 0)", "reverse": "True"}, [rnd(10, 5, 4)])
case("Reshape_positive_alias", "reshape", {"shape": "(4, 6)"}, [rs])

case("Concat_dim1", "Concat", {"dim": "1", "num_args": "3"}, [rnd(2, 1, 3), rnd(2, 4, 3), rnd(2, 2, 3)])
case("Concat_dim0", "concat", {"dim": "0", "num_args": "2"}, [rnd(1, 5), rnd(3, 5)])
case("Concat_last", "Concat", {"dim": "-1", "num_args": "2"}, [rnd(2, 3, 1), rnd(2, 3, 4)])
case("Concat_single", "Concat", {"num_args": "1"}, [rnd(2, 3)])

case("SliceChannel_axis1", "SliceChannel", {"num_outputs": "3"}, [rnd(2, 6, 2)], outputs=3)
case("SliceChannel_squeeze", "SliceChannel", {"num_outputs": "2", "axis": "0", "squeeze_axis": "True"},
     [rnd(2, 3, 5)], outputs=2)
case("SliceChannel_last_alias", "split", {"num_outputs": "5", "axis": "-1", "squeeze_axis": "1"},
     [rnd(3, 5)], outputs=5)

sl = rnd(5, 7, 3)
case("slice_basic", "slice", {"begin": "(1, 2)", "end": "(4, 7)"}, [sl])
case("slice_none_negative", "slice", {"begin": "(None, -5)", "end": "(-1, None)"}, [sl])
case("slice_step", "slice", {"begin": "(0, 1, None)", "end": "(5, 7, None)", "step": "(2, 3, None)"}, [sl])
case("slice_negative_step", "slice", {"begin": "(None, 5)", "end": "(None, 0)", "step": "(-2, -1)"}, [sl])
case("slice_alias_crop", "crop", {"begin": "(1,)", "end": "(2,)"}, [sl])

case("slice_axis_basic", "slice_axis", {"axis": "1", "begin": "2", "end": "5"}, [sl])
case("slice_axis_none", "slice_axis", {"axis": "0", "begin": "-2", "end": "None"}, [sl])
case("slice_axis_negative", "slice_axis", {"axis": "-1", "begin": "0", "end": "-1"}, [sl])

case("transpose_reverse", "transpose", {}, [rnd(2, 3, 4)])
case("transpose_axes", "transpose", {"axes": "(0, 2, 3, 1)"}, [rnd(2, 3, 1, 5)])
case("transpose_2d", "transpose", {"axes": "(1, 0)"}, [rnd(7, 3)])

case("expand_dims_0", "expand_dims", {"axis": "0"}, [rnd(3, 4)])
case("expand_dims_last", "expand_dims", {"axis": "-1"}, [rnd(3, 4)])
case("expand_dims_mid", "expand_dims", {"axis": "1"}, [rnd(3, 4)])

# ---------------------------------------------------------------------------
# elementwise

for n, tol in [("elemwise_add", "arith"), ("elemwise_sub", "arith"), ("elemwise_mul", "arith"),
               ("elemwise_div", "arith")]:
    rhs = pos(3, 5, 2) if n == "elemwise_div" else rnd(3, 5, 2)
    case(n, n, {}, [rnd(3, 5, 2), rhs], tol)
case("elemwise_add_alias_plus", "_plus", {}, [rnd(7), rnd(7)], "arith")
case("elemwise_power", "_power", {}, [pos(2, 5), rnd(2, 5)], "trans")
case("elemwise_maximum", "_maximum", {}, [rnd(4, 3), rnd(4, 3)])
case("elemwise_minimum", "_minimum", {}, [rnd(4, 3), rnd(4, 3)])

bc_shapes = [((2, 3, 4), (1, 3, 1)), ((5, 1), (1, 7)), ((3, 4), (4,)), ((1,), (2, 3))]
for n in ["broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_maximum",
          "broadcast_minimum"]:
    tol = "exact" if n.endswith("imum") else "arith"
    for j, (sa, sb) in enumerate(bc_shapes[:3] if n not in ("broadcast_add",) else bc_shapes):
        b = pos(*sb) if n == "broadcast_div" else rnd(*sb)
        case("%s_%d" % (n, j), n, {}, [rnd(*sa), b], tol)
case("broadcast_plus_alias", "broadcast_plus", {}, [rnd(2, 3), rnd(2, 1)], "arith")
case("broadcast_minus_alias", "broadcast_minus", {}, [rnd(1, 3), rnd(4, 1)], "arith")
case("broadcast_power", "broadcast_power", {}, [pos(2, 3), rnd(3)], "trans")

case("add_n_3", "add_n", {"num_args": "3"}, [rnd(3, 4), rnd(3, 4), rnd(3, 4)], "accum", k=3)
case("add_n_1", "add_n", {"num_args": "1"}, [rnd(5)], "exact")
case("add_n_alias_5", "ElementWiseSum", {"num_args": "5"}, [rnd(2, 3) for _ in range(5)], "accum", k=5)

sc_x = rnd(3, 7, lo=-3, hi=3)
for n, s, tol in [("_plus_scalar", "2", "arith"), ("_minus_scalar", "0.5", "arith"),
                  ("_rminus_scalar", "-1.0", "arith"), ("_mul_scalar", "3.1", "arith"),
                  ("_div_scalar", "7", "arith"), ("_maximum_scalar", "0.25", "exact"),
                  ("_minimum_scalar", "-0.5", "exact")]:
    case(n, n, {"scalar": s}, [sc_x], tol)
case("_rdiv_scalar", "_rdiv_scalar", {"scalar": "2.5"}, [pos(3, 7)], "arith")
case("_power_scalar_2", "_power_scalar", {"scalar": "2"}, [sc_x], "arith")
case("_power_scalar_frac", "_power_scalar", {"scalar": "0.5"}, [pos(3, 7)], "trans")
case("_power_scalar_neg", "_power_scalar", {"scalar": "-1.5"}, [pos(3, 7)], "trans")
case("_rpower_scalar", "_rpower_scalar", {"scalar": "2"}, [sc_x], "trans")
case("_PlusScalar_legacy_alias", "_PlusScalar", {"scalar": "1.5"}, [sc_x], "arith")
case("_mul_scalar_is_int", "_mul_scalar", {"scalar": "2", "is_int": "True"}, [sc_x], "arith")

case("clip_basic", "clip", {"a_min": "-0.5", "a_max": "1"}, [rnd(4, 5)], "exact")
case("clip_nan_passes", "clip", {"a_min": "0", "a_max": "1"},
     [np.array([np.nan, -1, 0.5, 2, np.nan, 0], np.float32)], "exact")
case("clip_min_gt_max", "clip", {"a_min": "1", "a_max": "-1"}, [rnd(9)], "exact")

un_x = rnd(3, 5, lo=-4, hi=4)
case("exp", "exp", {}, [un_x], "trans")
case("log", "log", {}, [pos(3, 5, lo=1e-3, hi=100)], "trans")
case("sqrt", "sqrt", {}, [pos(3, 5, lo=0, hi=100)], "arith")
case("square", "square", {}, [un_x], "arith")
case("abs", "abs", {}, [un_x], "exact")
case("negative", "negative", {}, [un_x], "exact")
case("_copy", "_copy", {}, [un_x], "exact")
case("identity", "identity", {}, [rnd(1, 3)], "exact")
case("BlockGrad", "BlockGrad", {}, [un_x], "exact")
case("stop_gradient", "stop_gradient", {}, [rnd(2, 2)], "exact")
case("make_loss", "make_loss", {}, [rnd(4)], "exact")

# ---------------------------------------------------------------------------
# reductions

rd = rnd(3, 4, 5)
case("sum_all", "sum", {}, [rd], "accum", k=60)
case("sum_axis1", "sum", {"axis": "1"}, [rd], "accum", k=4)
case("sum_axes_keepdims", "sum", {"axis": "(0, 2)", "keepdims": "True"}, [rd], "accum", k=15)
case("sum_exclude", "sum", {"axis": "1", "exclude": "True"}, [rd], "accum", k=15)
case("sum_axis_alias", "sum_axis", {"axis": "-1"}, [rd], "accum", k=5)
case("mean_axis0", "mean", {"axis": "0"}, [rd], "accum", k=4)
case("mean_all_keepdims", "mean", {"keepdims": "True"}, [rd], "accum", k=61)
case("mean_exclude", "mean", {"axis": "(0,)", "exclude": "True", "keepdims": "True"}, [rd], "accum", k=21)
pm = perm(3, 4, 5)
case("max_axis2", "max", {"axis": "2"}, [pm])
case("max_all", "max", {}, [pm])
case("max_exclude_keepdims", "max_axis", {"axis": "(1,)", "exclude": "True", "keepdims": "True"}, [pm])
case("min_axis1", "min", {"axis": "1"}, [pm])
case("min_axes", "min_axis", {"axis": "(0, -1)"}, [pm])

case("argmax_axis1", "argmax", {"axis": "1"}, [pm])
case("argmax_keepdims", "argmax", {"axis": "-1", "keepdims": "True"}, [pm])
case("argmax_none", "argmax", {}, [pm])
case("argmax_ties_first", "argmax", {"axis": "1"}, [np.array([[1, 3, 3, 0], [2, 2, 2, 2]], np.float32)])
case("argmin_axis0", "argmin", {"axis": "0"}, [pm])

# ---------------------------------------------------------------------------
# dot

case("dot_2d", "dot", {}, [rnd(3, 5), rnd(5, 4)], "accum", k=5)
case("dot_transpose_a", "dot", {"transpose_a": "True"}, [rnd(5, 3), rnd(5, 4)], "accum", k=5)
case("dot_transpose_b", "dot", {"transpose_b": "True"}, [rnd(3, 5), rnd(4, 5)], "accum", k=5)
case("dot_transpose_ab", "dot", {"transpose_a": "True", "transpose_b": "True"}, [rnd(6, 2), rnd(3, 6)],
     "accum", k=6)
case("dot_vec_vec", "dot", {}, [rnd(7), rnd(7)], "accum", k=7)
case("dot_3d_2d", "dot", {}, [rnd(2, 3, 4), rnd(4, 5)], "accum", k=4)
case("dot_mat_vec", "dot", {}, [rnd(3, 4), rnd(4)], "accum", k=4)

case("batch_dot", "batch_dot", {}, [rnd(3, 2, 5), rnd(3, 5, 4)], "accum", k=5)
case("batch_dot_ta", "batch_dot", {"transpose_a": "True"}, [rnd(2, 5, 3), rnd(2, 5, 4)], "accum", k=5)
case("batch_dot_tb", "batch_dot", {"transpose_b": "True"}, [rnd(1, 3, 7), rnd(1, 2, 7)], "accum", k=7)

emb_w = rnd(6, 4)
case("Embedding", "Embedding", {"input_dim": "6", "output_dim": "4"},
     [np.array([[0, 5, 2], [3, 3, 1]], np.float32), emb_w])
case("Embedding_clip_trunc", "Embedding", {"input_dim": "6", "output_dim": "4", "dtype": "float32"},
     [np.array([-3, 7, 2.7, 100, 0.2, 5], np.float32), emb_w])

cast_x = np.array([[-2.7, -1.5, -0.5, 0, 0.5, 1.5], [2.5, 3.99, 100.2, -100.7, 65504, 1e-8]], np.float32)
for dt in ["float32", "float64", "float16", "int32", "int64", "int8", "uint8", "bool"]:
    x = cast_x
    if dt == "int8":
        x = np.clip(cast_x, -127, 127)
    if dt == "uint8":
        x = np.abs(np.clip(cast_x, -255, 255))
    case("Cast_" + dt, "Cast", {"dtype": dt}, [x], out_dtypes=[dt])

# ---------------------------------------------------------------------------
# CNN


def conv_case(name, attrs, n, c, hw, f, k, g=1, no_bias=False, op="Convolution"):
    kernel = mxref.p_tuple(attrs["kernel"])
    data = rnd(n, c, *hw)
    if op == "Convolution":
        w = rnd(f, c // g, *kernel, lo=-0.5, hi=0.5)
    else:
        w = rnd(c, f // g, *kernel, lo=-0.5, hi=0.5)
    ins = [data, w] + ([] if no_bias else [rnd(f)])
    kk = (c // g) * int(np.prod(kernel)) + (0 if no_bias else 1)
    if op == "Deconvolution":
        kk = c // g * int(np.prod(kernel)) + (0 if no_bias else 1)
    case(name, op, attrs, ins, "accum", k=kk)


conv_case("Convolution_3x3", {"kernel": "(3, 3)", "num_filter": "4"}, 2, 3, (7, 5), 4, 3)
conv_case("Convolution_stride_pad", {"kernel": "(3, 3)", "num_filter": "5", "stride": "(2, 2)", "pad": "(1, 1)"},
          1, 2, (9, 8), 5, 3)
conv_case("Convolution_dilate", {"kernel": "(3, 2)", "num_filter": "3", "dilate": "(2, 3)", "pad": "(2, 0)"},
          2, 2, (7, 11), 3, 3)
conv_case("Convolution_groups_nobias", {"kernel": "(3, 3)", "num_filter": "6", "num_group": "2",
                                        "no_bias": "True", "pad": "(1, 1)"}, 2, 4, (5, 5), 6, 3, g=2, no_bias=True)
conv_case("Convolution_depthwise", {"kernel": "(3, 3)", "num_filter": "3", "num_group": "3", "stride": "(1, 2)",
                                    "pad": "(1, 1)"}, 2, 3, (6, 7), 3, 3, g=3)
conv_case("Convolution_1x1", {"kernel": "(1, 1)", "num_filter": "7"}, 3, 5, (3, 2), 7, 1)
conv_case("Convolution_asym_stride", {"kernel": "(2, 3)", "num_filter": "2", "stride": "(3, 1)", "pad": "(0, 2)"},
          1, 1, (11, 4), 2, 3)
conv_case("Convolution_1d", {"kernel": "(3,)", "num_filter": "4", "stride": "(2,)", "pad": "(1,)",
                             "layout": "NCW"}, 2, 3, (13,), 4, 3)
conv_case("Convolution_3d", {"kernel": "(2, 3, 2)", "num_filter": "3", "stride": "(1, 2, 1)", "pad": "(1, 1, 0)"},
          1, 2, (4, 5, 3), 3, 2)

conv_case("Deconvolution_basic", {"kernel": "(3, 3)", "num_filter": "4", "no_bias": "False"}, 2, 3, (4, 5), 4, 3,
          op="Deconvolution")
conv_case("Deconvolution_stride_pad_adj", {"kernel": "(4, 4)", "num_filter": "2", "stride": "(2, 2)",
                                           "pad": "(1, 1)", "adj": "(1, 1)"}, 1, 3, (3, 4), 2, 4, no_bias=True,
          op="Deconvolution")
conv_case("Deconvolution_groups", {"kernel": "(3, 3)", "num_filter": "4", "num_group": "2", "stride": "(2, 1)",
                                   "dilate": "(1, 2)", "no_bias": "False"}, 2, 4, (3, 3), 4, 3, g=2,
          op="Deconvolution")
conv_case("Deconvolution_target_shape", {"kernel": "(3, 3)", "num_filter": "3", "stride": "(2, 2)",
                                         "target_shape": "(8, 9)"}, 1, 2, (4, 5), 3, 3, no_bias=True,
          op="Deconvolution")

pl = rnd(2, 3, 7, 8, lo=-3, hi=3)
case("Pooling_max_2x2", "Pooling", {"kernel": "(2, 2)", "stride": "(2, 2)", "pool_type": "max"}, [pl],
     outputs=2, visible=1)
case("Pooling_max_full_pad", "Pooling", {"kernel": "(3, 3)", "stride": "(2, 2)", "pad": "(1, 1)",
                                         "pooling_convention": "full"}, [pl], outputs=2, visible=1)
case("Pooling_max_full_ceil", "Pooling", {"kernel": "(3, 3)", "stride": "(2, 2)", "pool_type": "max",
                                          "pooling_convention": "full"}, [rnd(1, 2, 12, 12)], outputs=2, visible=1)
case("Pooling_max_negative_pad", "Pooling", {"kernel": "(3, 3)", "pad": "(1, 1)"}, [rnd(1, 2, 4, 4, lo=-5, hi=-1)],
     outputs=2, visible=1)
case("Pooling_avg_pad_include", "Pooling", {"kernel": "(3, 3)", "stride": "(2, 2)", "pad": "(1, 1)",
                                            "pool_type": "avg"}, [pl], "accum", k=9)
case("Pooling_avg_pad_exclude", "Pooling", {"kernel": "(3, 3)", "stride": "(2, 2)", "pad": "(1, 1)",
                                            "pool_type": "avg", "count_include_pad": "False"}, [pl], "accum", k=9)
case("Pooling_avg_full", "Pooling", {"kernel": "(3, 2)", "stride": "(2, 3)", "pool_type": "avg",
                                     "pooling_convention": "full"}, [pl], "accum", k=6)
case("Pooling_avg_full_pad_include", "Pooling", {"kernel": "(3, 3)", "stride": "(2, 2)", "pad": "(1, 1)",
                                                 "pool_type": "avg", "pooling_convention": "full",
                                                 "count_include_pad": "True"}, [rnd(1, 2, 6, 6)], "accum", k=9)
case("Pooling_sum", "Pooling", {"kernel": "(2, 3)", "stride": "(1, 2)", "pool_type": "sum", "pad": "(1, 0)"},
     [pl], "accum", k=6)
case("Pooling_global_avg", "Pooling", {"kernel": "(1, 1)", "global_pool": "True", "pool_type": "avg"}, [pl],
     "accum", k=56)
case("Pooling_global_max", "Pooling", {"kernel": "(3, 3)", "global_pool": "True"}, [pl], outputs=2, visible=1)
case("Pooling_1d_max", "Pooling", {"kernel": "(3,)", "stride": "(2,)", "pool_type": "max"}, [rnd(2, 3, 9)],
     outputs=2, visible=1)
case("Pooling_1d_same", "Pooling", {"kernel": "(3,)", "stride": "(2,)", "pool_type": "avg",
                                    "pooling_convention": "same"}, [rnd(2, 3, 9)], "accum", k=3)

case("Pooling_lp_p2", "Pooling", {"kernel": "(2, 2)", "stride": "(2, 2)", "pool_type": "lp", "p_value": "2"},
     [pl], "composed")
case("Pooling_lp_p3_signed", "Pooling", {"kernel": "(3, 3)", "pad": "(1, 1)", "pool_type": "lp", "p_value": "3"},
     [rnd(1, 2, 4, 5)], "composed")
case("Pooling_lp_p1", "Pooling", {"kernel": "(2, 3)", "pool_type": "lp", "p_value": "1"}, [rnd(1, 2, 4, 5)],
     "accum", k=6)
case("Pooling_3d_max", "Pooling", {"kernel": "(2, 2, 2)", "stride": "(2, 1, 2)", "pool_type": "max"},
     [rnd(1, 2, 5, 3, 4)], outputs=2, visible=1)
case("Pooling_3d_avg", "Pooling", {"kernel": "(2, 2, 2)", "pad": "(1, 0, 1)", "pool_type": "avg",
                                   "count_include_pad": "False"}, [rnd(1, 2, 3, 3, 4)], "accum", k=8)

case("UpSampling_nearest_2", "UpSampling", {"scale": "2", "sample_type": "nearest", "num_args": "1"},
     [rnd(2, 3, 3, 4)])
case("UpSampling_nearest_3", "UpSampling", {"scale": "3", "sample_type": "nearest", "num_args": "1"},
     [rnd(1, 1, 2, 5)])
case("UpSampling_nearest_concat", "UpSampling", {"scale": "2", "sample_type": "nearest", "num_args": "2"},
     [rnd(1, 2, 2, 3), rnd(1, 3, 4, 6)])
case("UpSampling_nearest_sum", "UpSampling", {"scale": "2", "sample_type": "nearest", "num_args": "2",
                                              "multi_input_mode": "sum"}, [rnd(1, 2, 2, 3), rnd(1, 2, 4, 6)], "arith")


# ---------------------------------------------------------------------------
# Further op families live in cases_<family>.py beside this file: each module
# defines register(case) and draws its inputs from its own seeded generator
# (so adding a family does not change the inputs of any other), and imports
# the mxref_<family>.py module that holds its float64 reference.


def load_family_cases():
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "cases_*.py"))):
        mod = importlib.import_module(os.path.basename(path)[:-3])
        mod.register(case)


load_family_cases()

# ---------------------------------------------------------------------------


def write_npz(path, arrays):
    """np.savez layout (members NAME.npy, stored) with fixed timestamps so
    regeneration is byte-identical."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for k in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.require(arrays[k], requirements="C"), allow_pickle=False)  # keeps 0-d
            info = zipfile.ZipInfo(k + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, buf.getvalue())


def npdtype_name(a):
    return str(a.dtype)


def build(outdir):
    os.makedirs(outdir, exist_ok=True)
    meta = []
    names = set()
    for c in CASES:
        if c["name"] in names:
            raise SystemExit("duplicate case " + c["name"])
        names.add(c["name"])
        outs = mxref.run(c["op"], c["attrs"], c["inputs"])
        if len(outs) != c["outputs"]:
            raise SystemExit("%s: reference gave %d outputs, case says %d" % (c["name"], len(outs), c["outputs"]))
        arrays = {}
        for i, x in enumerate(c["inputs"]):
            arrays["in%d" % i] = x
        unchecked = []
        out_dtypes = []
        for i, y in enumerate(outs):
            if y is None:
                unchecked.append(i)
                out_dtypes.append(None)
                continue
            if c["out_dtypes"]:
                y = np.asarray(y).astype(c["out_dtypes"][i])
            else:
                y = np.asarray(y, dtype=np.float64)
            arrays["out%d" % i] = y
            out_dtypes.append(c["out_dtypes"][i] if c["out_dtypes"] else "float32")
        if c["tol"] == "accum":
            mag = mxref.run(c["op"], c["attrs"], [np.abs(x.astype(np.float64)) for x in c["inputs"]])
            m = max(float(np.max(np.abs(y))) for y in mag if y is not None and np.size(y))
            rtol, atol = 1e-5, float("%.3g" % (c["k"] * U32 * m * 1.01))
        else:
            rtol, atol = TOL[c["tol"]]
        fname = c["name"] + ".npz"
        write_npz(os.path.join(outdir, fname), arrays)
        meta.append({
            "name": c["name"], "op": c["op"], "attrs": c["attrs"], "file": fname,
            "input_names": ["in%d" % i for i in range(len(c["inputs"]))],
            "input_dtypes": [npdtype_name(x) for x in c["inputs"]],
            "num_aux": {"BatchNorm": 2}.get(c["op"], 0),
            "outputs": c["outputs"], "num_visible_outputs": c["visible"],
            "unchecked_outputs": unchecked,
            "out_dtypes": out_dtypes, "rtol": rtol, "atol": atol, "tolerance_class": c["tol"],
        })
    with open(os.path.join(outdir, "cases.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
        f.write("\n")
    return meta


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    m = build(out)
    print("wrote %d cases to %s" % (len(m), out))
