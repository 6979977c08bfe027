"""Golden cases of the elementwise family (see mxref_elem.py): every unary
math op, the tensor-scalar, same-shape and broadcast comparisons and logic
ops, mod and hypot, with their defaults, attributes, aliases, odd sizes,
size-1 and empty dims, broadcasting edge cases and the NaN/inf/+-0 inputs
whose results MXNet's definitions fix."""

import numpy as np

import mxref_elem  # noqa: F401  (registers the reference operators)

rng = np.random.default_rng(20261206)

NAN, INF = np.nan, np.inf


def uni(n, lo, hi):
    return rng.uniform(lo, hi, size=n)


def arr(values, shape=None):
    a = np.asarray(values, dtype=np.float32)
    return a.reshape(shape) if shape is not None else a


def ints(shape, lo=-3, hi=4):
    return rng.integers(lo, hi, size=shape).astype(np.float32)


def with_specials(random, specials, shape):
    """random values followed by specials, as float32 of the given shape."""
    v = np.concatenate([np.asarray(random, np.float64), np.asarray(specials, np.float64)])
    assert v.size == int(np.prod(shape)), (v.size, shape)
    return arr(v, shape)


ROUNDING = [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.0, -0.0, 1.0, -1.0, 3.4999998, -0.49999997, 1e-3, NAN, INF, -INF,
            8388607.5, -8388607.5]


def register(case):
    # ---- unary: (op, tolerance, input) ---------------------------------
    gen = with_specials(uni(42, -4, 4), ROUNDING, (3, 4, 5))
    wide = with_specials(uni(28, -10, 10), [0.0, -0.0, NAN, INF, -INF, 1e-4, -1e-4, 20, -20, 88, -88, 4.5], (5, 8))
    unit = with_specials(uni(25, -1, 1), [1, -1, 1.5, -1.5, 0.0, -0.0, NAN, 1e-8, 0.9999999, -0.9999999, INF],
                         (4, 9))
    positive = with_specials(uni(17, 1e-3, 100), [0.0, -0.0, -1, INF, NAN, 1, 1e-30], (2, 3, 4))
    unary = [
        ("relu", "exact", gen),
        ("sigmoid", "trans", wide),
        ("softsign", "arith", gen),
        ("tanh", "trans", wide),
        ("erf", "trans", with_specials(uni(25, -3, 3), [0.0, -0.0, INF, -INF, NAN, 10, -10], (4, 8))),
        ("erfinv", "trans", unit),
        ("gamma", "trans", with_specials(uni(20, -4.5, 6),
                                         [1, 2, 5, 0.5, -0.5, 0.0, -0.0, -1, -2, 36, 34.5, INF, -INF, NAN, -3.5,
                                          1e-3], (4, 9))),
        ("gammaln", "trans", with_specials(uni(19, 0.1, 20),
                                           [-0.5, -2.5, 1, 2, 0.0, -1, INF, -INF, NAN, 1e-3, 1e10], (5, 6))),
        ("sign", "exact", gen), ("round", "exact", gen), ("rint", "exact", gen), ("ceil", "exact", gen),
        ("floor", "exact", gen), ("trunc", "exact", gen), ("fix", "exact", gen),
        ("logical_not", "exact", with_specials(ints(10, -2, 3), [NAN, 0.0, -0.0, INF, -INF, 1e-30], (2, 8))),
        ("sin", "trans", wide), ("cos", "trans", wide),
        ("tan", "trans", with_specials(uni(20, -10, 10), [np.float32(np.pi / 2), 0.0, -0.0, NAN, INF], (5, 5))),
        ("arcsin", "trans", unit), ("arccos", "trans", unit), ("arctan", "trans", wide),
        ("degrees", "arith", gen), ("radians", "arith", gen),
        ("sinh", "trans", with_specials(uni(16, -10, 10), [89, -89, 90, -90, INF, -INF, NAN, 0.0], (4, 6))),
        ("cosh", "trans", with_specials(uni(16, -10, 10), [89, -89, 90, -90, INF, -INF, NAN, 0.0], (4, 6))),
        ("arcsinh", "trans", wide),
        ("arccosh", "trans", with_specials(uni(18, 1, 50), [1, 0.5, INF, NAN, -1, 1.0000001], (3, 8))),
        ("arctanh", "trans", unit),
        ("log10", "trans", positive), ("log2", "trans", positive),
        ("log1p", "trans", with_specials(uni(17, -0.99, 10), [-1, -2, 1e-6, -1e-6, INF, NAN, 0.0], (3, 8))),
        ("expm1", "trans", with_specials(uni(16, -5, 5), [1e-5, -1e-5, 89, -INF, INF, NAN, 0.0, -0.0], (4, 6))),
        ("reciprocal", "arith", with_specials(uni(17, -5, 5), [0.0, -0.0, INF, -INF, NAN, 1e-30, -3], (4, 6))),
        ("rsqrt", "arith", positive),
        ("cbrt", "trans", with_specials(uni(15, -8, 8), [0.0, -0.0, INF, -INF, NAN, 27, -8, 1e-30, 64], (4, 6))),
        ("rcbrt", "trans", with_specials(uni(15, -8, 8), [0.0, -0.0, INF, -INF, NAN, 27, -8, 1e-30, 64], (4, 6))),
        ("_contrib_round_ste", "exact", gen),
        ("_contrib_sign_ste", "exact", gen),
    ]
    for name, tol, x in unary:
        case("elem_" + name, name, {}, [x], tol)
    case("elem_relu_odd", "relu", {}, [arr(uni(7 * 3, -2, 2), (1, 7, 3))], "exact")
    case("elem_sigmoid_size1", "sigmoid", {}, [arr([0.25], (1, 1, 1))], "trans")
    case("elem_sin_empty", "sin", {}, [np.zeros((2, 0, 3), np.float32)], "exact")
    case("elem_erf_empty_first", "erf", {}, [np.zeros((0, 4), np.float32)], "exact")
    case("elem_round_1d", "round", {}, [arr(uni(101, -50, 50))], "exact")
    case("elem_tanh_large", "tanh", {}, [arr(uni(1031, -6, 6))], "trans")

    for al in ["_sparse_relu", "_sparse_sigmoid", "_npx_erf", "_npx_erfinv", "_npx_gamma", "_sparse_gammaln",
               "_npx_gammaln", "_sparse_rint", "_sparse_fix", "_sparse_arccosh", "_sparse_log1p", "_sparse_rsqrt",
               "_sparse_cbrt", "_sparse_exp", "_sparse_abs", "_sparse_stop_gradient"]:
        x = arr(uni(12, 1.1, 3), (3, 4))
        if al == "_npx_erfinv":
            x = arr(uni(12, -0.9, 0.9), (3, 4))
        case("elem_alias" + al, al, {}, [x], "trans")

    # numpy-mode unary ops: each on the input of its legacy op's case.
    inputs = {name: x for name, _, x in unary}
    inputs.update(negative=gen, abs=gen, square=gen, _copy=gen, exp=wide, log=positive, sqrt=positive)
    tols = {name: tol for name, tol, _ in unary}
    tols.update(negative="exact", abs="exact", square="arith", _copy="exact", exp="trans", log="trans",
                sqrt="arith")
    for name, legacy in mxref_elem.NUMPY_UNARY.items():
        case("elem_np" + name, name, {}, [inputs[legacy]], tols[legacy])

    # hard_sigmoid: defaults, both attributes, NaN/inf, saturation.
    hs = with_specials(uni(19, -5, 5), [2.5, -2.5, NAN, INF, -INF], (4, 6))
    case("elem_hard_sigmoid_default", "hard_sigmoid", {}, [hs], "arith")
    case("elem_hard_sigmoid_alpha_beta", "hard_sigmoid", {"alpha": "0.3", "beta": "0.1"}, [hs], "arith")
    case("elem_hard_sigmoid_negative_alpha", "hard_sigmoid", {"alpha": "-1.5", "beta": "0"}, [hs], "arith")
    case("elem_gradientmultiplier", "_contrib_gradientmultiplier", {"scalar": "0.25"}, [gen], "exact")
    case("elem_gradientmultiplier_default", "_contrib_gradientmultiplier", {}, [arr(uni(5, -1, 1))], "exact")

    # ---- tensor-scalar --------------------------------------------------
    cmp_x = with_specials(ints(16, -2, 3), [0.5, np.float32(0.1), NAN, INF, -INF, -0.0, 1.0, 2.0], (4, 6))
    cmp_ops = ["_equal_scalar", "_not_equal_scalar", "_greater_scalar", "_greater_equal_scalar",
               "_lesser_scalar", "_lesser_equal_scalar"]
    for n in cmp_ops:
        for tag, s in [("int", "1"), ("half", "0.5"), ("neg", "-2")]:
            case("elem_%s_%s" % (n, tag), n, {"scalar": s}, [cmp_x], "exact")
    case("elem__equal_scalar_f32_rounding", "_equal_scalar", {"scalar": "0.1", "is_int": "False"}, [cmp_x], "exact")
    case("elem__equal_scalar_default", "_equal_scalar", {}, [cmp_x], "exact")
    case("elem__not_equal_scalar_nan", "_not_equal_scalar", {"scalar": "nan"}, [cmp_x], "exact")
    case("elem__greater_scalar_inf", "_greater_scalar", {"scalar": "inf"}, [cmp_x], "exact")
    case("elem__lesser_equal_scalar_zero", "_lesser_equal_scalar", {"scalar": "-0"}, [cmp_x], "exact")
    for n in ["_logical_and_scalar", "_logical_or_scalar", "_logical_xor_scalar"]:
        for tag, s in [("zero", "0"), ("two", "2"), ("nan", "nan")]:
            case("elem_%s_%s" % (n, tag), n, {"scalar": s}, [cmp_x], "exact")
    for al, s in [("_EqualScalar", "2"), ("_NotEqualScalar", "0"), ("_GreaterScalar", "0"),
                  ("_GreaterEqualScalar", "1"), ("_LesserScalar", "1"), ("_LesserEqualScalar", "0"),
                  ("_LogicalAndScalar", "1"), ("_LogicalOrScalar", "0"), ("_LogicalXorScalar", "1")]:
        case("elem_alias_%s" % al, al, {"scalar": s, "is_int": "True"}, [cmp_x], "exact")

    mod_x = with_specials(uni(14, -7, 7), [0.0, -0.0, 3, -3, 6, -6, NAN, INF, -INF, 1e-20], (4, 6))
    for tag, s in [("pos", "3"), ("neg", "-2.5"), ("zero", "0"), ("frac", "0.7"), ("inf", "inf"),
                   ("neginf", "-inf"), ("nan", "nan")]:
        case("elem__mod_scalar_" + tag, "_mod_scalar", {"scalar": s}, [mod_x], "arith")
    for tag, s in [("pos", "5"), ("neg", "-4.5"), ("zero", "0")]:
        case("elem__rmod_scalar_" + tag, "_rmod_scalar", {"scalar": s}, [mod_x], "arith")
    case("elem__mod_scalar_default", "_mod_scalar", {}, [mod_x], "arith")
    case("elem_alias_ModScalar", "_ModScalar", {"scalar": "2"}, [mod_x], "arith")
    case("elem_alias_RModScalar", "_RModScalar", {"scalar": "2"}, [mod_x], "arith")
    for tag, s in [("pos", "3"), ("neg", "-4"), ("zero", "0"), ("inf", "inf")]:
        case("elem__hypot_scalar_" + tag, "_hypot_scalar", {"scalar": s}, [mod_x], "arith")
    case("elem_alias_HypotScalar", "_HypotScalar", {"scalar": "1.5"}, [mod_x], "arith")
    case("elem_alias_npi_hypot_scalar", "_npi_hypot_scalar", {"scalar": "2", "is_int": "True"}, [mod_x], "arith")
    case("elem__equal_scalar_empty", "_equal_scalar", {"scalar": "0"}, [np.zeros((3, 0), np.float32)], "exact")

    # ---- same-shape binary ---------------------------------------------
    lv = with_specials(ints(22, -3, 4), [NAN, 0.0, INF, -INF, 1.5, -0.0, 2.0, NAN], (5, 6))
    rv = with_specials(ints(22, -3, 4), [1.0, NAN, INF, 2.0, 1.5, 0.0, -INF, NAN], (5, 6))
    rv_mod = with_specials(uni(22, -4, 4), [1.0, NAN, INF, 2.0, 0.0, 0.0, -INF, -0.0], (5, 6))
    binary = [("equal", "exact"), ("not_equal", "exact"), ("greater", "exact"), ("greater_equal", "exact"),
              ("lesser", "exact"), ("lesser_equal", "exact"), ("logical_and", "exact"), ("logical_or", "exact"),
              ("logical_xor", "exact"), ("mod", "arith"), ("hypot", "arith")]
    legacy = {"equal": "_Equal", "not_equal": "_Not_Equal", "greater": "_Greater", "greater_equal": "_Greater_Equal",
              "lesser": "_Lesser", "lesser_equal": "_Lesser_Equal", "logical_and": "_Logical_And",
              "logical_or": "_Logical_Or", "logical_xor": "_Logical_Xor", "mod": "_Mod", "hypot": "_Hypot"}
    for fn, tol in binary:
        r = rv_mod if fn in ("mod", "hypot") else rv
        l = lv if fn != "mod" else with_specials(uni(22, -9, 9), [NAN, 0.0, INF, -INF, 7.5, -0.0, 2.0, -6], (5, 6))
        case("elem__" + fn, "_" + fn, {}, [l, r], tol)
        case("elem__%s_legacy_alias" % fn, legacy[fn], {}, [ints((3, 1, 7)), ints((3, 1, 7), 1, 4)], tol)
        case("elem__%s_empty" % fn, "_" + fn, {}, [np.zeros((0, 3), np.float32), np.zeros((0, 3), np.float32)], tol)

    # ---- broadcast ------------------------------------------------------
    shapes = [((2, 3, 4), (1, 3, 1)), ((5, 1), (1, 7)), ((3, 4), (4,)), ((1,), (2, 3)), ((2, 1, 3), (4, 1)),
              ((1, 1), (1, 1)), ((2, 0, 3), (1, 1, 3)), ((3, 5), (3, 5))]
    for fn, tol in binary:
        for j, (sa, sb) in enumerate(shapes):
            a = ints(sa)
            b = ints(sb, 1, 4) if fn == "mod" and j % 2 else ints(sb)
            if fn in ("mod", "hypot") and j < 3:
                a = arr(uni(int(np.prod(sa)), -9, 9), sa)
                b = arr(uni(int(np.prod(sb)), -4, 4), sb)
            case("elem_broadcast_%s_%d" % (fn, j), "broadcast_" + fn, {}, [a, b], tol)
    case("elem_broadcast_equal_nan_inf", "broadcast_equal", {},
         [arr([NAN, INF, -INF, 0.0, -0.0, 1], (6, 1)), arr([NAN, INF, -INF, 0.0], (1, 4))], "exact")
    case("elem_broadcast_greater_nan_inf", "broadcast_greater", {},
         [arr([NAN, INF, -INF, 0.0, -0.0, 1], (6, 1)), arr([NAN, INF, -INF, 0.0], (1, 4))], "exact")
    case("elem_broadcast_logical_or_nan", "broadcast_logical_or", {},
         [arr([NAN, 0.0, -0.0, 2], (4, 1)), arr([0.0, NAN, -0.0], (3,))], "exact")
    case("elem_broadcast_logical_xor_nan", "broadcast_logical_xor", {},
         [arr([NAN, 0.0, -0.0, 2], (4, 1)), arr([0.0, NAN, -0.0], (3,))], "exact")
    case("elem_broadcast_mod_specials", "broadcast_mod", {},
         [arr([-7, 7, -0.0, 0.0, NAN, INF, -INF, 1e-20, -1e-20], (9, 1)),
          arr([3, -3, 0.0, -0.0, INF, -INF, NAN, 0.5], (1, 8))], "arith")
    case("elem_broadcast_hypot_specials", "broadcast_hypot", {},
         [arr([3, -0.0, NAN, INF, -INF, 1e30], (6, 1)), arr([4, NAN, 0.0, 1e30], (4,))], "arith")
    case("elem_broadcast_lesser_rank5", "broadcast_lesser", {}, [ints((2, 1, 3, 1, 2)), ints((1, 4, 1, 2, 1))],
         "exact")

    # ---- numpy-mode binary ops -------------------------------------------
    tols = {"_npi_power": "trans", "_npi_power_scalar": "trans", "_npi_rpower_scalar": "trans"}
    for j, name in enumerate(n for n in mxref_elem.NUMPY_BINARY if not n.endswith("_scalar")):
        sa, sb = shapes[j % 5]
        a, b = arr(uni(int(np.prod(sa)), -4, 4), sa), arr(uni(int(np.prod(sb)), 0.5, 3), sb)
        if name == "_npi_power":
            a = arr(uni(int(np.prod(sa)), 0.1, 3), sa)
        case("elem_np" + name, name, {}, [a, b], tols.get(name, "arith"))
    case("elem_np_npi_mod_empty", "_npi_mod", {}, [np.zeros((0, 3), np.float32), arr([1, 2, 3])], "arith")
    sx = with_specials(uni(19, 0.2, 4), [0.0, NAN, INF, -3, 2], (4, 6))
    for name in [n for n in mxref_elem.NUMPY_BINARY if n.endswith("_scalar")]:
        for tag, sc in [("a", "2.5"), ("b", "-3")]:
            x = np.abs(sx) if "power" in name else sx
            case("elem_np%s_%s" % (name, tag), name, {"scalar": sc, "is_int": "False"}, [x],
                 tols.get(name, "arith"))
    case("elem_np_npi_mod_scalar_default", "_npi_mod_scalar", {}, [sx], "arith")

    # ---- numpy-mode comparisons and predicates (bool output) -------------
    for j, name in enumerate(mxref_elem.NUMPY_COMPARE):
        sa, sb = shapes[j % len(shapes)]
        case("elem_np%s_%d" % (name, j), name, {}, [ints(sa), ints(sb)], "exact", out_dtypes=["bool"])
        case("elem_np%s_specials" % name, name, {},
             [arr([NAN, INF, -INF, 0.0, -0.0, 1], (6, 1)), arr([NAN, INF, -INF, 0.0], (1, 4))], "exact",
             out_dtypes=["bool"])
        case("elem_np%s_scalar" % name, name + "_scalar", {"scalar": "0.1", "is_int": "False"}, [cmp_x], "exact",
             out_dtypes=["bool"])
        case("elem_np%s_scalar_int" % name, name + "_scalar", {"scalar": "1"}, [cmp_x], "exact",
             out_dtypes=["bool"])
    case("elem_np_npi_less_scalar_default", "_npi_less_scalar", {}, [cmp_x], "exact", out_dtypes=["bool"])
    case("elem_np_npi_equal_empty", "_npi_equal", {}, [np.zeros((2, 0), np.float32), np.zeros((1,), np.float32)],
         "exact", out_dtypes=["bool"])
    pred_x = with_specials(uni(16, -3, 3), [NAN, INF, -INF, 0.0, -0.0, 1e-30, -1e30, 2.0], (4, 6))
    for name in mxref_elem.NUMPY_PREDICATE:
        case("elem_np" + name, name, {}, [pred_x], "exact", out_dtypes=["bool"])

    # ---- _npi_around and _npi_nan_to_num ----------------------------------
    ar = with_specials(uni(18, -30, 30),
                       [0.5, 1.5, 2.5, -0.5, -2.5, 0.125, 0.375, -1.25, 12.5, 25.0, NAN, INF, -INF, -0.0, 1234.5678,
                        1e-20, 3e38, 0.0], (6, 6))
    for tag, dec in [("default", None), ("d1", "1"), ("d2", "2"), ("dm1", "-1"), ("dm2", "-2"), ("d50", "50"),
                     ("dm50", "-50")]:
        case("elem_np_npi_around_" + tag, "_npi_around", {} if dec is None else {"decimals": dec}, [ar], "exact")
    nx = with_specials(uni(10, -3, 3), [NAN, INF, -INF, 0.0, -0.0, NAN], (4, 4))
    for tag, attrs in [("default", {}), ("values", {"nan": "-1", "posinf": "1e3", "neginf": "-5.5", "copy": "False"}),
                       ("inf_nan", {"nan": "inf"}), ("big", {"posinf": "1e40", "neginf": "None"})]:
        case("elem_np_npi_nan_to_num_" + tag, "_npi_nan_to_num", attrs, [nx], "exact")

    # ---- _npi_copysign, _npi_arctan2, _npi_ldexp and their scalar forms ------
    cs_l = with_specials(uni(10, -3, 3), [0.0, -0.0, NAN, INF, -INF, 2.0], (4, 4))
    cs_r = arr([1.0, -1.0, 0.0, -0.0], (4,))
    case("elem_np_npi_copysign", "_npi_copysign", {}, [cs_l, cs_r], "exact")
    case("elem_np_npi_copysign_nan_rhs", "_npi_copysign", {}, [cs_l, arr([NAN, 2.0, -INF, 0.5], (4, 1))], "exact")
    case("elem_np_npi_arctan2", "_npi_arctan2", {},
         [cs_l, arr([1.0, -1.0, 0.0, -0.0], (4,))], "trans")
    case("elem_np_npi_arctan2_bcast", "_npi_arctan2", {}, [arr(uni(6, -3, 3), (2, 3, 1)), arr(uni(4, -3, 3), (4,))],
         "trans")
    ld_l = with_specials(uni(10, -3, 3), [0.0, -0.0, NAN, INF, -INF, 1.0], (4, 4))
    case("elem_np_npi_ldexp", "_npi_ldexp", {}, [ld_l, arr([3.0, -2.0, 0.5, 200.0], (4,))], "trans")
    case("elem_np_npi_ldexp_bcast", "_npi_ldexp", {}, [arr(uni(6, -3, 3), (3, 1, 2)), arr(uni(8, -10, 10), (4, 2))],
         "trans")
    for name in ["_npi_copysign_scalar", "_npi_rcopysign_scalar", "_npi_arctan2_scalar", "_npi_rarctan2_scalar",
                 "_npi_ldexp_scalar", "_npi_rldexp_scalar"]:
        for tag, sc in [("pos", "2.5"), ("neg", "-1.5"), ("zero", "-0")]:
            tol = "exact" if "copysign" in name else "trans"
            case("elem_np%s_%s" % (name, tag), name, {"scalar": sc}, [ld_l], tol)

    # Masks chain: the numpy comparisons and predicates also read bool,
    # integer and float64 inputs (dtype-independent cases; the scalar's
    # conversion to an integer dtype is tested in Go).
    mask_a = rng.integers(0, 2, size=(3, 4)).astype(np.bool_)
    mask_b = rng.integers(0, 2, size=(4,)).astype(np.bool_)
    case("elem_np_npi_logical_not_bool", "_npi_logical_not", {}, [mask_a], "exact", out_dtypes=["bool"])
    case("elem_np_npi_equal_bool", "_npi_equal", {}, [mask_a, mask_b], "exact", out_dtypes=["bool"])
    case("elem_np_npi_not_equal_bool", "_npi_not_equal", {}, [mask_a, mask_b], "exact", out_dtypes=["bool"])
    case("elem_np_npi_less_int32", "_npi_less", {},
         [rng.integers(-3, 4, size=(2, 3, 1)).astype(np.int32), rng.integers(-3, 4, size=(4,)).astype(np.int32)],
         "exact", out_dtypes=["bool"])
    case("elem_np_npi_greater_scalar_int32", "_npi_greater_scalar", {"scalar": "0.5", "is_int": "False"},
         [rng.integers(-3, 4, size=(3, 5)).astype(np.int32)], "exact", out_dtypes=["bool"])
    case("elem_np_npi_equal_scalar_bool", "_npi_equal_scalar", {"scalar": "1"}, [mask_a], "exact",
         out_dtypes=["bool"])
    case("elem_np_npi_isinf_float64", "_npi_isinf", {}, [np.array([1e300, -np.inf, np.inf, np.nan, 0.0, 1.0])],
         "exact", out_dtypes=["bool"])
    case("elem_np_npi_isfinite_uint8", "_npi_isfinite", {}, [np.arange(6, dtype=np.uint8)], "exact",
         out_dtypes=["bool"])
