"""Golden cases for the indexing and shape operators (reference:
mxref_index.py). Inputs come from this module's own generator."""

import numpy as np

import mxref_index  # noqa: F401  (registers the reference ops)

rng = np.random.default_rng(9091)


def rnd(*shape):
    return rng.uniform(-2.0, 2.0, size=shape).astype(np.float32)


def ties(*shape, levels=4):
    """Few distinct values, so sort/topk meet many equal keys."""
    return (rng.integers(0, levels, size=shape) * 0.5 - 1.0).astype(np.float32)


def register(case):
    # where -----------------------------------------------------------------
    cond = rng.integers(0, 2, size=(3, 4)).astype(np.float32) * rnd(3, 4)
    case("where_same_shape", "where", {}, [cond, rnd(3, 4), rnd(3, 4)])
    case("where_1d_cond", "where", {}, [np.array([1, 0, -2.5], np.float32), rnd(3, 2, 5), rnd(3, 2, 5)])
    case("where_int_cond", "where", {}, [rng.integers(-1, 2, size=(2, 7)).astype(np.int32), rnd(2, 7), rnd(2, 7)])
    case("where_empty", "where", {}, [np.zeros((0, 3), np.float32), rnd(0, 3), rnd(0, 3)])

    # take ------------------------------------------------------------------
    case("take_default_clip", "take", {}, [rnd(5, 3), np.array([0, 4, -3, 7, 2], np.int32)])
    case("take_axis1_wrap_int64", "take", {"axis": "1", "mode": "wrap"},
         [rnd(2, 5, 3), np.array([[-1, 6], [12, -13]], np.int64)])
    case("take_raise_float_idx", "take", {"axis": "-1", "mode": "raise"},
         [rnd(3, 4), np.array([0.0, 3.0, 2.7, 1.2], np.float32)])
    case("take_clip_float_neg", "take", {"axis": "0", "mode": "clip"},
         [rnd(4, 2), np.array([[-0.7, 3.9], [9.5, 1.0]], np.float32)])
    case("take_empty_indices", "take", {"axis": "1"}, [rnd(2, 3), np.zeros((0,), np.int32)])
    case("take_alias_npi", "_npi_take", {"axis": "2", "mode": "wrap"},
         [rnd(2, 2, 3), np.array([5, -1, 0], np.int32)])

    # pick ------------------------------------------------------------------
    case("pick_default", "pick", {}, [rnd(4, 5), np.array([0, 4, 9, -2], np.float32)])
    case("pick_axis0_wrap_keepdims", "pick", {"axis": "0", "mode": "wrap", "keepdims": "True"},
         [rnd(3, 4), np.array([-1, 5, 2, 0], np.int32)])
    case("pick_axis1_3d_keep_index", "pick", {"axis": "1", "keepdims": "True"},
         [rnd(2, 3, 4), rng.integers(0, 3, size=(2, 1, 4)).astype(np.int64)])
    case("pick_1d", "pick", {"axis": "0"}, [rnd(6), np.array([3], np.int32)])
    case("pick_alias_choose", "choose_element_0index", {"axis": "-1"},
         [rnd(3, 7), np.array([6, 0, 3], np.float32)])

    # gather_nd -------------------------------------------------------------
    case("gather_nd_m2_neg", "gather_nd", {}, [rnd(3, 4, 2), np.array([[0, -1, 2], [3, -4, 0]], np.int32)])
    case("gather_nd_m1_float", "gather_nd", {}, [rnd(4, 3), np.array([[1.7, -0.5, 3.0]], np.float32)])
    case("gather_nd_full_int64", "gather_nd", {},
         [rnd(2, 3, 4), np.array([[[1, 0]], [[2, -3]], [[3, -1]]], np.int64)])
    case("gather_nd_alias_npx", "_npx_gather_nd", {}, [rnd(5), np.array([[4, 0, -5]], np.int32)])

    # topk / sort / argsort -------------------------------------------------
    t = ties(3, 11)
    case("topk_default", "topk", {}, [rnd(4, 7)])
    case("topk_value_k3_axis1", "topk", {"k": "3", "axis": "1", "ret_typ": "value"}, [rnd(2, 5, 3)], outputs=2,
         visible=1)
    case("topk_both_axis0_asc_int64", "topk", {"k": "2", "axis": "0", "ret_typ": "both", "is_ascend": "True",
                                               "dtype": "int64"}, [ties(5, 3)], outputs=2,
         out_dtypes=["float32", "int64"])
    case("topk_mask_k2", "topk", {"k": "2", "ret_typ": "mask"}, [t])
    case("topk_mask_axis0", "topk", {"k": "1", "axis": "0", "ret_typ": "mask"}, [ties(4, 3, 2)])
    case("topk_flat_value", "topk", {"axis": "None", "k": "5", "ret_typ": "value"}, [rnd(3, 4)], outputs=2,
         visible=1)
    case("topk_flat_mask", "topk", {"axis": "None", "k": "4", "ret_typ": "mask"}, [ties(2, 5)])
    case("topk_k0_all_ties", "topk", {"k": "0", "ret_typ": "both"}, [t], outputs=2)
    case("topk_partial_ties", "topk", {"k": "3", "ret_typ": "both"}, [ties(2, 40, levels=3)], outputs=2)
    case("topk_partial_ties_asc", "topk", {"k": "2", "ret_typ": "indices", "is_ascend": "1"},
         [ties(3, 37, levels=5)])
    case("topk_full_ties_long", "topk", {"k": "9", "ret_typ": "both"}, [ties(2, 60, levels=4)], outputs=2)
    case("topk_uint8", "topk", {"k": "2", "dtype": "uint8"}, [rnd(3, 6)], out_dtypes=["uint8"])
    case("topk_float16", "topk", {"k": "3", "dtype": "float16", "axis": "-2"}, [rnd(7, 2)], out_dtypes=["float16"])
    case("topk_float64_size1", "topk", {"dtype": "float64", "ret_typ": "both", "axis": "1"}, [rnd(1, 5, 1)],
         outputs=2, out_dtypes=["float32", "float64"])
    case("topk_zero_size_k0", "topk", {"k": "0", "ret_typ": "value"}, [rnd(3, 0)], outputs=2, visible=1)
    case("topk_alias_npx", "_npx_topk", {"k": "2", "ret_typ": "value"}, [rnd(2, 3)], outputs=2, visible=1)

    case("sort_default", "sort", {}, [rnd(3, 5)], outputs=2, visible=1)
    case("sort_axis0_desc", "sort", {"axis": "0", "is_ascend": "False"}, [ties(6, 3)], outputs=2, visible=1)
    case("sort_flat", "sort", {"axis": "None"}, [rnd(2, 3, 2)], outputs=2, visible=1)
    case("sort_alias_npi", "_npi_sort", {"axis": "-1"}, [ties(2, 33)], outputs=2, visible=1)

    case("argsort_default", "argsort", {}, [rnd(4, 6)])
    case("argsort_ties_long", "argsort", {}, [ties(2, 70, levels=6)])
    case("argsort_ties_desc_int64_axis0", "argsort", {"axis": "0", "is_ascend": "False", "dtype": "int64"},
         [ties(25, 2, levels=3)], out_dtypes=["int64"])
    case("argsort_int32_flat", "argsort", {"axis": "None", "dtype": "int32"}, [ties(3, 7)], out_dtypes=["int32"])
    case("argsort_ties_huge", "argsort", {"is_ascend": "False"}, [ties(1, 300, levels=2)])
    case("argsort_alias_npi", "_npi_argsort", {"axis": "1"}, [rnd(2, 4, 3)])

    # tile / repeat ---------------------------------------------------------
    case("tile_2d", "tile", {"reps": "(2, 3)"}, [rnd(2, 3)])
    case("tile_more_reps", "tile", {"reps": "(2, 1, 2)"}, [rnd(3, 2)])
    case("tile_fewer_reps", "tile", {"reps": "(3,)"}, [rnd(2, 1, 2)])
    case("tile_empty_reps", "tile", {"reps": "()"}, [rnd(2, 3)])
    case("tile_zero_rep", "tile", {"reps": "(0, 2)"}, [rnd(2, 3)])
    case("tile_alias_npi", "_npi_tile", {"reps": "[1, 2]"}, [rnd(3, 1)])
    case("repeat_flat", "repeat", {"repeats": "2"}, [rnd(2, 3)])
    case("repeat_axis1", "repeat", {"repeats": "3", "axis": "1"}, [rnd(2, 2, 3)])
    case("repeat_axis_neg", "repeat", {"repeats": "2", "axis": "-1"}, [rnd(3, 1)])
    case("repeat_zero", "repeat", {"repeats": "0", "axis": "0"}, [rnd(2, 3)])
    case("repeat_alias_np", "_np_repeat", {"repeats": "1", "axis": "None"}, [rnd(2, 2)])

    # squeeze / stack / reverse / slice_like --------------------------------
    case("squeeze_default", "squeeze", {}, [rnd(1, 3, 1, 2)])
    case("squeeze_axes", "squeeze", {"axis": "(0, 2)"}, [rnd(1, 3, 1, 1)])
    case("squeeze_neg_axis", "squeeze", {"axis": "-1"}, [rnd(2, 1)])
    case("squeeze_all_ones", "squeeze", {}, [rnd(1, 1, 1)])
    case("squeeze_zero_size", "squeeze", {}, [rnd(0, 1, 3)])
    case("np_squeeze_default", "_np_squeeze", {}, [rnd(1, 3, 1)])
    case("np_squeeze_axis", "_np_squeeze", {"axis": "(-1,)"}, [rnd(2, 1)])
    case("stack_alias_npi", "_npi_stack", {"num_args": "2", "axis": "-2"}, [rnd(3, 2), rnd(3, 2)])
    case("stack_axis0", "stack", {"num_args": "2"}, [rnd(2, 3), rnd(2, 3)])
    case("stack_axis1_3", "stack", {"axis": "1", "num_args": "3"}, [rnd(2, 3), rnd(2, 3), rnd(2, 3)])
    case("stack_axis_last", "stack", {"axis": "-1", "num_args": "2"}, [rnd(3, 1, 2), rnd(3, 1, 2)])
    case("stack_single", "stack", {"num_args": "1", "axis": "2"}, [rnd(2, 3)])
    case("reverse_axis0", "reverse", {"axis": "0"}, [rnd(3, 4)])
    case("reverse_axes12", "reverse", {"axis": "(1, 2)"}, [rnd(2, 3, 5)])
    case("reverse_twice", "reverse", {"axis": "(1, 1)"}, [rnd(2, 3)])
    case("reverse_zero_size", "reverse", {"axis": "(0,)"}, [rnd(0, 3)])
    case("flip_alias", "flip", {"axis": "(2,)"}, [rnd(2, 1, 3)])
    case("slice_like_all", "slice_like", {}, [rnd(4, 5, 3), rnd(2, 5, 1)])
    case("slice_like_axes", "slice_like", {"axes": "(1,)"}, [rnd(3, 6), rnd(1, 4)])
    case("slice_like_neg_axes_int", "slice_like", {"axes": "(0, -1)"},
         [rnd(3, 4, 5), np.zeros((2, 9, 3), np.int32)])

    # broadcasts ------------------------------------------------------------
    case("broadcast_axis_one", "broadcast_axis", {"axis": "1", "size": "4"}, [rnd(2, 1, 3)])
    case("broadcast_axis_two", "broadcast_axis", {"axis": "(0, 2)", "size": "(2, 3)"}, [rnd(1, 2, 1)])
    case("broadcast_axis_zero_size", "broadcast_axis", {"axis": "(0,)", "size": "(0,)"}, [rnd(1, 3)])
    case("broadcast_axes_alias", "broadcast_axes", {"axis": "(1,)", "size": "(3,)"}, [rnd(4, 1)])
    case("broadcast_to_basic", "broadcast_to", {"shape": "(2, 3)"}, [rnd(1, 3)])
    case("broadcast_to_keep0", "broadcast_to", {"shape": "(4, 0, 0)"}, [rnd(1, 2, 3)])
    case("broadcast_to_multi", "broadcast_to", {"shape": "(2, 3, 4)"}, [rnd(2, 1, 1)])
    case("broadcast_like_default", "broadcast_like", {}, [rnd(1, 3, 1), rnd(2, 3, 4)])
    case("broadcast_like_axes", "broadcast_like", {"lhs_axes": "(0, -1)", "rhs_axes": "(-1, 0)"},
         [rnd(1, 2, 1), rnd(5, 7)])

    # SwapAxis / SequenceMask -----------------------------------------------
    case("SwapAxis_default", "SwapAxis", {}, [rnd(2, 3)])
    case("SwapAxis_1_3", "SwapAxis", {"dim1": "1", "dim2": "3"}, [rnd(2, 3, 4, 5)])
    case("SwapAxis_neg", "swapaxes", {"dim1": "-1", "dim2": "0"}, [rnd(3, 1, 2)])
    case("SwapAxis_alias_npi", "_npi_swapaxes", {"dim1": "2", "dim2": "1"}, [rnd(2, 3, 4)])
    case("SequenceMask_no_length", "SequenceMask", {}, [rnd(3, 2, 2)])
    case("SequenceMask_axis0", "SequenceMask", {"use_sequence_length": "True", "value": "-1"},
         [rnd(5, 3, 2), np.array([2, 5, 0], np.float32)])
    case("SequenceMask_axis1_int", "SequenceMask", {"use_sequence_length": "1", "axis": "1", "value": "0.1"},
         [rnd(3, 4, 2, 2), np.array([1, 9, 3], np.int32)])
    case("SequenceMask_float_len", "_npx_sequence_mask", {"use_sequence_length": "True"},
         [rnd(4, 2), np.array([2.9, 0.5], np.float32)])

    # 0-d results and inputs of the numpy squeeze (drawn last so the
    # inputs above stay as they were).
    case("np_squeeze_all", "_np_squeeze", {}, [rnd(1, 1, 1)])
    case("np_squeeze_0d", "_np_squeeze", {"axis": "-1"}, [np.array(1.5, np.float32)])

    # numpy broadcast_to (rank growth, -2 keeps a dim, 0 is zero-size).
    case("np_broadcast_to_rank", "_npi_broadcast_to", {"shape": "(2, 3, 4)"}, [rnd(3, 1)])
    case("np_broadcast_to_keep", "_npi_broadcast_to", {"shape": "(2, -2, 1)"}, [rnd(5, 1)])
    case("np_broadcast_to_zero", "_npi_broadcast_to", {"shape": "(0, 3)"}, [rnd(3)])
    case("np_broadcast_to_scalar", "_npi_broadcast_to", {"shape": "(2, 2)"}, [np.array(-0.5, np.float32)])

    # numpy where (broadcasting, scalar forms).
    c = rng.integers(0, 2, size=(3, 1, 4)).astype(np.float32)
    case("np_where_broadcast", "_npi_where", {}, [c, rnd(2, 4), rnd(3, 2, 1)])
    case("np_where_same", "_npi_where", {}, [rng.integers(0, 2, size=(2, 3)).astype(np.int32), rnd(2, 3), rnd(2, 3)])
    case("np_where_lscalar", "_npi_where_lscalar", {"scalar": "0.1"}, [c, rnd(5, 4)])
    case("np_where_rscalar", "_npi_where_rscalar", {"scalar": "-inf"}, [c, rnd(3, 2, 4)])
    case("np_where_scalar2", "_npi_where_scalar2", {"x": "1.5", "y": "-2"}, [c])
    case("np_where_scalar_cond", "_npi_where", {}, [np.array(1, np.float32), rnd(2), rnd(3, 1)])

    # numpy flip.
    case("np_flip_none", "_npi_flip", {"axis": "None"}, [rnd(2, 3, 2)])
    case("np_flip_axes", "_npi_flip", {"axis": "(0, 2)"}, [rnd(2, 3, 2)])
    case("np_flip_0d", "_npi_flip", {"axis": "None"}, [np.array(3.25, np.float32)])
