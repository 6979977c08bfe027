"""Golden cases of the NumPy-interface operators (MXNet 2.0 exports)."""

import numpy as np

import mxref_numpy  # noqa: F401  (registers the references)

rng = np.random.default_rng(20261206)


def rnd(*shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def pos(*shape, lo=0.1, hi=3.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def perm(*shape):
    n = int(np.prod(shape))
    return ((rng.permutation(n).astype(np.float32) - n / 2) * 0.25).reshape(shape)


def register(case):
    x = rnd(2, 3, 4)
    case("_np_reshape_infer", "_np_reshape", {"newshape": "(-1, 4)"}, [x])
    case("_np_reshape_flat", "_np_reshape", {"newshape": "24", "order": "C"}, [x])
    case("_np_reshape_zero_size", "_np_reshape", {"newshape": "(0, 3)"}, [rnd(0, 2, 3)])
    case("_np_reshape_to_scalar", "_np_reshape", {"newshape": "()"}, [rnd(1, 1)])
    for name, spec, rev, shape in [
        ("copy_infer", "(-2, -1)", False, (2, 3, 4)),
        ("skip1", "(-3, -2, -2)", False, (1, 3, 4)),
        ("rest", "(-5, -4)", False, (2, 3, 4, 5)),
        ("merge", "(-5, -2)", False, (2, 3, 4)),
        ("split", "(-6, 2, -1, -4)", False, (6, 5, 2)),
        ("split_left", "(-2, -6, -1, 2)", False, (3, 8)),
        ("reverse", "(-1, 5)", True, (2, 3, 5)),
        ("alias_npi", "(3, -1)", False, (3, 4)),
    ]:
        opname = "_npi_reshape" if name == "alias_npi" else "_npx_reshape"
        attrs = {"newshape": spec}
        if rev:
            attrs["reverse"] = "True"
        case("_npx_reshape_" + name, opname, attrs, [rnd(*shape)])

    case("_np_transpose_default", "_np_transpose", {}, [rnd(2, 3, 4)])
    case("_np_transpose_axes_negative", "_np_transpose", {"axes": "(0, -1, 1)"}, [rnd(2, 3, 4)])
    case("_np_transpose_none", "_np_transpose", {"axes": "None"}, [rnd(5, 1)])

    case("_npi_concatenate_axis1", "_npi_concatenate", {"num_args": "3", "axis": "1"},
         [rnd(2, 1, 3), rnd(2, 4, 3), rnd(2, 2, 3)])
    case("_npi_concatenate_default0", "_npi_concatenate", {"num_args": "2"}, [rnd(1, 5), rnd(3, 5)])
    case("_npi_concatenate_negative", "_npi_concatenate", {"num_args": "2", "axis": "-1"},
         [rnd(2, 3, 1), rnd(2, 3, 4)])
    case("_npi_concatenate_none", "_npi_concatenate", {"num_args": "2", "axis": "None"},
         [rnd(2, 3), rnd(4)])
    case("_np_copy", "_np_copy", {}, [rnd(3, 2)])

    rd = rnd(3, 4, 5)
    pm = perm(3, 4, 5)
    case("_np_sum_all_0d", "_np_sum", {}, [rd], "accum", k=60)
    case("_np_sum_all_keepdims", "_np_sum", {"keepdims": "True"}, [rd], "accum", k=60)
    case("_np_sum_axis_negative", "_np_sum", {"axis": "-1"}, [rd], "accum", k=5)
    case("_np_sum_axes", "_np_sum", {"axis": "(0, 2)", "keepdims": "True", "dtype": "float32"}, [rd], "accum", k=15)
    case("_np_sum_empty_axes_identity", "_np_sum", {"axis": "()"}, [rd])
    case("_np_sum_0d_input", "_np_sum", {}, [np.array(1.5, np.float32)])
    case("_npi_mean_axis1", "_npi_mean", {"axis": "1"}, [rd], "accum", k=5)
    case("_npi_mean_all", "_npi_mean", {}, [rd], "accum", k=61)
    case("_np_max_axis", "_np_max", {"axis": "(1,)"}, [pm])
    case("_np_max_all_0d", "_np_max", {}, [pm])
    case("_np_amax_alias_keepdims", "_np_amax", {"axis": "2", "keepdims": "True"}, [pm])
    case("_np_min_axes", "_np_min", {"axis": "(0, -1)"}, [pm])
    case("_np_amin_alias", "_np_amin", {}, [pm])

    shapes = [((2, 3, 4), (1, 3, 1)), ((5, 1), (1, 7)), ((3, 4), (4,)), ((1,), (2, 3)), ((2, 0, 3), (1, 3))]
    for name, tol in [("_npi_add", "arith"), ("_npi_subtract", "arith"), ("_npi_multiply", "arith"),
                      ("_npi_true_divide", "arith"), ("_npi_maximum", "exact"), ("_npi_minimum", "exact")]:
        for j, (sa, sb) in enumerate(shapes):
            b = pos(*sb) if name == "_npi_true_divide" else rnd(*sb)
            case("%s_%d" % (name, j), name, {}, [rnd(*sa), b], tol)
    case("_npi_power", "_npi_power", {}, [pos(2, 3), rnd(3)], "trans")

    sx = rnd(3, 7, lo=-3, hi=3)
    for name, s, tol in [("_npi_add_scalar", "2", "arith"), ("_npi_subtract_scalar", "0.5", "arith"),
                         ("_npi_rsubtract_scalar", "-1.0", "arith"), ("_npi_multiply_scalar", "3.1", "arith"),
                         ("_npi_true_divide_scalar", "7", "arith"), ("_npi_maximum_scalar", "0.25", "exact"),
                         ("_npi_minimum_scalar", "-0.5", "exact"), ("_npi_power_scalar", "2", "arith")]:
        case(name, name, {"scalar": s, "is_int": "False"}, [sx], tol)
    case("_npi_rtrue_divide_scalar", "_npi_rtrue_divide_scalar", {"scalar": "2.5"}, [pos(3, 7)], "arith")
    case("_npi_rpower_scalar", "_npi_rpower_scalar", {"scalar": "2", "is_int": "True"}, [sx], "trans")
