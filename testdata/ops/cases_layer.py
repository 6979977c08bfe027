"""Goldens of the layer operators of issue 9 (reference: mxref_layer.py)."""

import numpy as np

import mxref_layer  # noqa: F401  (registers the reference ops)

rng = np.random.default_rng(20261206)


def rnd(*shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def register(case):
    # Crop (legacy): h_w + offset, center_crop, crop_like, size-1 dims
    x = rnd(2, 3, 7, 6)
    case("Crop_h_w_offset", "Crop", {"num_args": "1", "h_w": "(3, 4)", "offset": "(2, 1)"}, [x])
    case("Crop_h_w_default_offset", "Crop", {"num_args": "1", "h_w": "(5, 5)"}, [x])
    case("Crop_h_w_center", "Crop", {"num_args": "1", "h_w": "(4, 3)", "center_crop": "True"}, [x])
    case("Crop_like", "Crop", {"num_args": "2"}, [x, rnd(1, 1, 5, 4)])
    case("Crop_like_offset", "Crop", {"num_args": "2", "offset": "(1, 2)"}, [x, rnd(2, 4, 6, 4)])
    case("Crop_like_center_odd", "Crop", {"num_args": "2", "center_crop": "True"}, [x, rnd(2, 3, 4, 3)])
    case("Crop_like_same_size", "Crop", {"num_args": "2", "center_crop": "True"}, [x, rnd(2, 3, 7, 6)])
    case("Crop_size1", "Crop", {"num_args": "1", "h_w": "(1, 1)", "offset": "(0, 2)"}, [rnd(1, 1, 1, 5)])

    # Pad: every mode, 4-D and 5-D, asymmetric widths, zero widths
    x4 = rnd(2, 3, 4, 5)
    x5 = rnd(1, 2, 3, 4, 3)
    case("Pad_constant_4d", "Pad", {"mode": "constant", "pad_width": "(0, 0, 0, 0, 1, 2, 3, 0)"}, [x4])
    case("Pad_constant_value", "pad", {"mode": "constant", "pad_width": "(0,0,0,0,2,2,1,1)",
                                       "constant_value": "1.7"}, [x4])
    case("Pad_constant_5d", "Pad", {"mode": "constant", "pad_width": "(0, 0, 0, 0, 1, 0, 0, 2, 1, 1)",
                                    "constant_value": "-3"}, [x5])
    case("Pad_edge_4d", "Pad", {"mode": "edge", "pad_width": "(0, 0, 0, 0, 2, 1, 0, 3)"}, [x4])
    case("Pad_edge_5d", "Pad", {"mode": "edge", "pad_width": "(0, 0, 0, 0, 2, 1, 1, 0, 0, 2)"}, [x5])
    case("Pad_edge_size1", "Pad", {"mode": "edge", "pad_width": "(0, 0, 0, 0, 2, 2, 1, 3)"}, [rnd(1, 2, 1, 1)])
    case("Pad_reflect_4d", "Pad", {"mode": "reflect", "pad_width": "(0, 0, 0, 0, 3, 1, 4, 2)"}, [x4])
    case("Pad_reflect_5d", "Pad", {"mode": "reflect", "pad_width": "(0, 0, 0, 0, 2, 1, 1, 3, 2, 0)"}, [x5])
    case("Pad_reflect_zero", "pad", {"mode": "reflect", "pad_width": "(0, 0, 0, 0, 0, 0, 0, 0)"}, [x4])

    # L2Normalization: every mode, default and explicit eps, 2-D to 5-D
    case("L2Normalization_default_2d", "L2Normalization", {}, [rnd(4, 7)], "composed", outputs=2, visible=1)
    case("L2Normalization_instance_4d", "L2Normalization", {"mode": "instance", "eps": "1e-3"},
         [rnd(2, 3, 4, 5)], "composed", outputs=2, visible=1)
    case("L2Normalization_instance_1d", "L2Normalization", {}, [rnd(5)], "composed", outputs=2, visible=1)
    case("L2Normalization_channel_4d", "L2Normalization", {"mode": "channel"}, [rnd(2, 5, 3, 4)], "composed",
         outputs=2, visible=1)
    case("L2Normalization_channel_3d_c1", "L2Normalization", {"mode": "channel", "eps": "0.5"}, [rnd(3, 1, 7)],
         "composed", outputs=2, visible=1)
    case("L2Normalization_spatial_4d", "L2Normalization", {"mode": "spatial"}, [rnd(2, 3, 4, 5)], "composed",
         outputs=2, visible=1)
    case("L2Normalization_spatial_5d", "L2Normalization", {"mode": "spatial", "eps": "1e-6"},
         [rnd(1, 2, 3, 1, 4)], "composed", outputs=2, visible=1)
    case("L2Normalization_zero_row", "L2Normalization", {"eps": "1e-4"},
         [np.vstack([np.zeros((1, 6), np.float32), rnd(2, 6)])], "composed", outputs=2, visible=1)

    # MakeLoss (identity forward), _contrib_div_sqrt_dim, smooth_l1
    case("MakeLoss_default", "MakeLoss", {}, [rnd(3, 4)])
    case("MakeLoss_attrs", "MakeLoss", {"grad_scale": "0.5", "normalization": "valid", "valid_thresh": "0.1"},
         [rnd(2, 3, 5)])
    case("_contrib_div_sqrt_dim_3d", "_contrib_div_sqrt_dim", {}, [rnd(2, 3, 7)], "arith")
    case("_contrib_div_sqrt_dim_1d", "_contrib_div_sqrt_dim", {}, [rnd(16)], "arith")
    sl = rnd(4, 9, lo=-3, hi=3)
    case("smooth_l1_default", "smooth_l1", {}, [sl], "arith")
    case("smooth_l1_sigma2", "smooth_l1", {"scalar": "2.0"}, [sl], "arith")
    case("smooth_l1_sigma_half", "_npx_smooth_l1", {"scalar": "0.5"}, [sl], "arith")
    case("smooth_l1_sigma3_odd", "smooth_l1", {"scalar": "3", "is_int": "True"}, [rnd(1, 7, lo=-0.5, hi=0.5)],
         "arith")

    # _contrib_AdaptiveAvgPooling2D: default 1x1, one value, a pair, output
    # larger than the input (overlapping bins), odd sizes, size-1 input
    ap = rnd(2, 3, 7, 5)
    case("_contrib_AdaptiveAvgPooling2D_default", "_contrib_AdaptiveAvgPooling2D", {}, [ap], "accum", k=36)
    case("_contrib_AdaptiveAvgPooling2D_int3", "_contrib_AdaptiveAvgPooling2D", {"output_size": "3"}, [ap],
         "accum", k=14)
    case("_contrib_AdaptiveAvgPooling2D_pair", "_contrib_AdaptiveAvgPooling2D", {"output_size": "(2, 4)"}, [ap],
         "accum", k=10)
    case("_contrib_AdaptiveAvgPooling2D_upsample", "_contrib_AdaptiveAvgPooling2D", {"output_size": "(9, 7)"},
         [ap], "accum", k=6)
    case("_contrib_AdaptiveAvgPooling2D_odd", "_contrib_AdaptiveAvgPooling2D", {"output_size": "(4, 3)"},
         [rnd(1, 2, 13, 11)], "accum", k=22)
    case("_contrib_AdaptiveAvgPooling2D_size1", "_contrib_AdaptiveAvgPooling2D", {"output_size": "(3, 2)"},
         [rnd(1, 2, 1, 1)], "accum", k=3)
    case("_contrib_AdaptiveAvgPooling2D_tuple1", "_contrib_AdaptiveAvgPooling2D", {"output_size": "(2,)"},
         [rnd(1, 1, 6, 6)], "accum", k=11)

    # _contrib_BilinearResize2D: every mode, both align_corners, up and down
    br = rnd(2, 3, 5, 4)
    B = "_contrib_BilinearResize2D"
    case(B + "_size_up", B, {"height": "9", "width": "7"}, [br], "composed")
    case(B + "_size_down", B, {"height": "3", "width": "2"}, [br], "composed")
    case(B + "_size_no_align", B, {"height": "8", "width": "3", "align_corners": "False"}, [br], "composed")
    case(B + "_size_to_1", B, {"height": "1", "width": "1"}, [br], "composed")
    case(B + "_size_same", B, {"height": "5", "width": "4"}, [br], "exact")
    case(B + "_from_1", B, {"height": "3", "width": "4", "align_corners": "False"}, [rnd(1, 2, 1, 1)], "composed")
    case(B + "_scale", B, {"scale_height": "1.5", "scale_width": "0.7"}, [br], "composed")
    case(B + "_scale_width_ignored", B, {"height": "6", "width": "3", "scale_width": "2"}, [br], "composed")
    case(B + "_scale_no_align", B, {"scale_height": "2", "scale_width": "2.5", "align_corners": "false"}, [br],
         "composed")
    case(B + "_odd_scale", B, {"mode": "odd_scale", "scale_height": "2", "scale_width": "2"}, [br], "composed")
    case(B + "_odd_scale_down", B, {"mode": "odd_scale", "scale_height": "0.5", "scale_width": "0.5",
                                    "align_corners": "False"}, [rnd(1, 2, 7, 8)], "composed")
    case(B + "_like", B, {"mode": "like"}, [br, rnd(1, 1, 8, 6)], "composed")
    case(B + "_like_no_align", B, {"mode": "like", "align_corners": "False"}, [br, rnd(3, 2, 2, 7)], "composed")
    for m in ["to_even_down", "to_even_up", "to_odd_down", "to_odd_up"]:
        case(B + "_" + m, B, {"mode": m}, [br], "composed")
        case(B + "_" + m + "_odd_even", B, {"mode": m, "align_corners": "False"}, [rnd(1, 2, 7, 6)], "composed")

    # _contrib_ROIAlign: adaptive and fixed sampling, aligned,
    # position_sensitive, rois partly or wholly outside the map
    fm = rnd(2, 3, 9, 8)
    rois = np.array([[0, 1.0, 1.5, 6.0, 7.0], [1, 0.0, 0.0, 7.9, 8.9], [1, 3.2, 2.1, 3.9, 2.5],
                     [0, -3.0, -2.0, 4.0, 12.0], [1, 20.0, 20.0, 30.0, 25.0]], np.float32)
    def scaled(f):
        r = rois.copy()
        r[:, 1:] *= np.float32(f)
        return r

    R = "_contrib_ROIAlign"
    case(R + "_default", R, {"pooled_size": "(2, 3)", "spatial_scale": "1.0"}, [fm, rois], "accum", k=4 * 20 + 1)
    case(R + "_sample2", R, {"pooled_size": "(3, 3)", "spatial_scale": "1.0", "sample_ratio": "2"}, [fm, rois],
         "accum", k=17)
    case(R + "_scale_half", R, {"pooled_size": "(2, 2)", "spatial_scale": "0.5"}, [fm, scaled(2)],
         "accum", k=4 * 20 + 1)
    case(R + "_aligned", R, {"pooled_size": "(2, 2)", "spatial_scale": "1.0", "aligned": "True"}, [fm, rois],
         "accum", k=4 * 25 + 1)
    case(R + "_aligned_sample1", R, {"pooled_size": "(4, 3)", "spatial_scale": "0.25", "aligned": "True",
                                      "sample_ratio": "1"}, [fm, scaled(4)], "accum", k=5)
    case(R + "_position_sensitive", R, {"pooled_size": "(2, 2)", "spatial_scale": "1.0",
                                         "position_sensitive": "True"}, [rnd(2, 8, 6, 7), rois], "accum",
         k=4 * 25 + 1)
    case(R + "_pooled_1x1", R, {"pooled_size": "(1, 1)", "spatial_scale": "1.0", "sample_ratio": "3"},
         [rnd(1, 2, 1, 1), np.array([[0, 0, 0, 0.5, 0.5]], np.float32)], "accum", k=37)
