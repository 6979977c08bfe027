"""Golden cases of the detection operators (box_nms, box_iou, MultiBox*).

Box coordinates are mostly multiples of 1/32 so that sums, differences,
areas and intersections are exact in float32 and only the final divisions
round: IoU decisions then agree between a float32 kernel and the float64
reference (mxref_det also checks a margin on every such decision).
"""

import numpy as np

import mxref_det  # noqa: F401  (registers the reference)

rng = np.random.default_rng(20261206)


def q32(*shape, lo=0.0, hi=1.0):
    """Coordinates on a 1/32 grid in [lo, hi]."""
    return (rng.integers(int(lo * 32), int(hi * 32) + 1, size=shape) / 32.0).astype(np.float32)


def corner_boxes(n, lo=0.0, hi=1.0, minw=2, maxw=12):
    """n corner boxes on the 1/32 grid, width/height minw..maxw (in 1/32)."""
    x1 = rng.integers(int(lo * 32), int(hi * 32) - maxw, size=n)
    y1 = rng.integers(int(lo * 32), int(hi * 32) - maxw, size=n)
    w = rng.integers(minw, maxw + 1, size=n)
    h = rng.integers(minw, maxw + 1, size=n)
    return (np.stack([x1, y1, x1 + w, y1 + h], axis=-1) / 32.0).astype(np.float32)


def distinct_scores(n, lo=0.05, hi=1.0):
    """Distinct scores on a 1/1024 grid."""
    v = rng.choice(np.arange(int(lo * 1024), int(hi * 1024)), size=n, replace=False)
    return (v / 1024.0).astype(np.float32)


def nms_rows(n, ncls=3, clustered=True):
    """[id, score, x1, y1, x2, y2] rows; boxes clustered so NMS suppresses."""
    if clustered:
        base = corner_boxes(max(1, n // 3), lo=0.0, hi=1.0, minw=6, maxw=12)
        idx = rng.integers(0, len(base), size=n)
        jit = rng.integers(-2, 3, size=(n, 4)) / 32.0
        boxes = (base[idx] + jit).astype(np.float32)
        boxes[:, 2] = np.maximum(boxes[:, 2], boxes[:, 0] + 1 / 32.0)
        boxes[:, 3] = np.maximum(boxes[:, 3], boxes[:, 1] + 1 / 32.0)
    else:
        boxes = corner_boxes(n)
    ids = rng.integers(0, ncls, size=(n, 1)).astype(np.float32)
    sc = distinct_scores(n, lo=-0.2, hi=1.0).reshape(n, 1)
    return np.concatenate([ids, sc, boxes], axis=1).astype(np.float32)


def register(case):
    # ---------------------------------------------------------------- box_nms
    case("box_nms_default", "_contrib_box_nms", {}, [nms_rows(12)], outputs=2, visible=1)
    case("box_nms_docstring_example", "_contrib_box_nms",
         {"overlap_thresh": "0.1", "coord_start": "2", "score_index": "1", "id_index": "0",
          "force_suppress": "True", "in_format": "corner", "out_format": "corner"},
         [np.array([[0, 0.5, 0.1, 0.1, 0.2, 0.2], [1, 0.4, 0.1, 0.1, 0.2, 0.2],
                    [0, 0.3, 0.1, 0.1, 0.14, 0.14], [2, 0.6, 0.5, 0.5, 0.7, 0.8]], np.float32)], outputs=2, visible=1)
    case("box_nms_class_aware_batch4d", "_contrib_box_nms",
         {"overlap_thresh": "0.3", "topk": "7", "id_index": "0", "background_id": "0", "valid_thresh": "0.1"},
         [np.stack([nms_rows(9, ncls=3) for _ in range(6)]).reshape(2, 3, 9, 6)], outputs=2, visible=1)
    case("box_nms_force_suppress", "_contrib_box_nms",
         {"overlap_thresh": "0.25", "id_index": "0", "force_suppress": "true"},
         [np.stack([nms_rows(11, ncls=4) for _ in range(3)])], outputs=2, visible=1)
    # exact score ties and duplicate boxes: stable order, the earlier row wins
    tie = nms_rows(10, ncls=2)
    tie[:, 1] = np.array([0.5, 0.75, 0.5, 0.25, 0.75, 0.5, 0.125, 0.75, 0.25, 0.5], np.float32)
    tie[4, 2:] = tie[1, 2:]
    tie[7, 2:] = tie[1, 2:] + np.float32(0.5)
    case("box_nms_ties", "_contrib_box_nms", {"overlap_thresh": "0.5"}, [tie], outputs=2, visible=1)
    case("box_nms_ties_class", "_contrib_box_nms", {"overlap_thresh": "0.4", "id_index": "0"}, [tie],
         outputs=2, visible=1)
    # every box invalid (scores <= valid_thresh) in every batch
    inv = np.stack([nms_rows(6) for _ in range(2)])
    inv[:, :, 1] = -np.abs(inv[:, :, 1]) - 0.25
    case("box_nms_all_invalid", "_contrib_box_nms", {"valid_thresh": "0.0"}, [inv], outputs=2, visible=1)
    # one batch all invalid, the other all background
    mix = np.stack([nms_rows(5) for _ in range(3)])
    mix[0, :, 1] = 0.0
    mix[1, :, 0] = 2
    case("box_nms_batch_invalid_background", "_contrib_box_nms",
         {"id_index": "0", "background_id": "2"}, [mix], outputs=2, visible=1)
    # identical boxes: all but the best suppressed
    same = nms_rows(7)
    same[:, 2:] = same[0, 2:]
    case("box_nms_all_suppressed", "_contrib_box_nms", {"overlap_thresh": "0.99"}, [same], outputs=2, visible=1)
    case("box_nms_topk0_copy", "_contrib_box_nms", {"topk": "0"}, [nms_rows(5)], outputs=2, visible=1)
    case("box_nms_topk_large_alias", "_contrib_box_non_maximum_suppression", {"topk": "100"},
         [nms_rows(13)], outputs=2, visible=1)
    case("box_nms_topk1", "_contrib_box_nms", {"topk": "1"}, [np.stack([nms_rows(4), nms_rows(4)])],
         outputs=2, visible=1)
    # center input, corner output (conversion skipped where the first coordinate < 0)
    cen = nms_rows(9)
    c = cen[:, 2:].copy()
    cen[:, 2:] = np.stack([(c[:, 0] + c[:, 2]) / 2, (c[:, 1] + c[:, 3]) / 2, c[:, 2] - c[:, 0], c[:, 3] - c[:, 1]],
                          axis=1)
    case("box_nms_center_to_corner", "_contrib_box_nms", {"in_format": "center", "out_format": "corner"},
         [cen], "arith", outputs=2, visible=1)
    case("box_nms_center_center", "_contrib_box_nms", {"in_format": "center", "out_format": "center",
                                                       "overlap_thresh": "0.3"}, [cen], outputs=2, visible=1)
    neg = nms_rows(8)
    neg[::3, 2] -= np.float32(0.5)
    case("box_nms_corner_to_center_negative", "_contrib_box_nms", {"out_format": "center"}, [neg], "arith",
         outputs=2, visible=1)
    # custom row layout: [x1, y1, x2, y2, score, id, extra]
    lay = nms_rows(10, ncls=2)
    extra = q32(10, 1, lo=-1, hi=1)
    lay7 = np.concatenate([lay[:, 2:6], lay[:, 1:2], lay[:, 0:1], extra], axis=1)
    case("box_nms_layout_width7", "_contrib_box_nms",
         {"coord_start": "0", "score_index": "4", "id_index": "5", "overlap_thresh": "0.2"}, [lay7],
         outputs=2, visible=1)
    case("box_nms_odd_2d_random", "_contrib_box_nms", {"overlap_thresh": "0.45", "valid_thresh": "0.3"},
         [np.concatenate([rng.integers(0, 3, size=(17, 1)).astype(np.float32),
                          rng.uniform(0, 1, size=(17, 1)).astype(np.float32),
                          np.sort(rng.uniform(0, 1, size=(17, 2)), axis=1)[:, [0]].astype(np.float32),
                          np.sort(rng.uniform(0, 1, size=(17, 2)), axis=1)[:, [0]].astype(np.float32),
                          rng.uniform(0.5, 1, size=(17, 2)).astype(np.float32)], axis=1)],
         outputs=2, visible=1)
    case("box_nms_one_box", "_contrib_box_nms", {}, [nms_rows(1).reshape(1, 1, 6)], outputs=2, visible=1)

    # overlap_thresh < 0: even disjoint boxes suppress (IoU 0 > thresh), except 0/0
    case("box_nms_negative_thresh", "_contrib_box_nms", {"overlap_thresh": "-0.5", "id_index": "0"},
         [nms_rows(9, ncls=2, clustered=False)], outputs=2, visible=1)
    degen = nms_rows(6)
    degen[:3, 4:6] = degen[:3, 2:4]  # zero-area boxes: IoU 0/0 never suppresses
    degen[1, 2:] = degen[0, 2:]
    case("box_nms_zero_area", "_contrib_box_nms", {"overlap_thresh": "0.1"}, [degen], outputs=2, visible=1)
    case("box_nms_empty", "_contrib_box_nms", {}, [np.zeros((2, 0, 6), np.float32)], outputs=2, visible=1)

    # ---------------------------------------------------------------- box_iou
    lb = corner_boxes(12).reshape(3, 4, 4)
    rb = corner_boxes(5)
    rb[1] = rb[1][[2, 3, 0, 1]]  # negative width and height: area 0
    case("box_iou_corner", "_contrib_box_iou", {}, [lb, rb], "arith")
    case("box_iou_disjoint", "_contrib_box_iou", {"format": "corner"},
         [np.array([[0, 0, 0.25, 0.25], [0.5, 0.5, 0.75, 0.75]], np.float32),
          np.array([[0.25, 0, 0.5, 0.25], [0.125, 0.125, 0.625, 0.625], [0.5, 0.5, 0.75, 0.75]], np.float32)],
         "arith")
    cb = np.concatenate([q32(2, 3, 2, lo=0.25, hi=0.75), q32(2, 3, 2, lo=0.0, hi=0.5)], axis=-1)
    case("box_iou_center", "_contrib_box_iou", {"format": "center"},
         [cb, np.concatenate([q32(1, 2, 2, lo=0.25, hi=0.75), q32(1, 2, 2, lo=0.0, hi=0.5)], axis=-1)], "composed")

    case("box_iou_empty_lhs", "_contrib_box_iou", {}, [np.zeros((0, 4), np.float32), corner_boxes(3)], "arith")

    # ---------------------------------------------------------------- MultiBoxPrior
    case("MultiBoxPrior_default", "_contrib_MultiBoxPrior", {}, [np.zeros((1, 2, 3, 5), np.float32)], "composed")
    case("MultiBoxPrior_ssd_attrs", "_contrib_MultiBoxPrior",
         {"clip": "False", "ratios": "(1,2,0.5,3,0.333333333333)", "sizes": "(0.15,0.21213204)",
          "steps": "(-1.0, -1.0)"}, [np.zeros((2, 3, 4, 4), np.float32)], "composed")
    case("MultiBoxPrior_clip_rect", "_contrib_MultiBoxPrior",
         {"sizes": "[0.5, 0.25, 0.9]", "ratios": "(1, 4)", "clip": "True"}, [np.zeros((1, 1, 3, 7), np.float32)],
         "composed")
    case("MultiBoxPrior_steps_offsets_alias", "_npx_multibox_prior",
         {"sizes": "0.3", "ratios": "(2.0, 0.5)", "steps": "(0.125, 0.0625)", "offsets": "(0.25, 0.75)"},
         [np.zeros((1, 4, 5, 2), np.float32)], "composed")
    case("MultiBoxPrior_1x1", "_contrib_MultiBoxPrior", {"sizes": "(0.95,)", "ratios": "(1,)"},
         [np.zeros((1, 1, 1, 1), np.float32)], "composed")

    case("MultiBoxPrior_5d_input", "_contrib_MultiBoxPrior", {"sizes": "(0.4, 0.2)", "ratios": "(1, 0.25)"},
         [np.zeros((1, 2, 3, 2, 4), np.float32)], "composed")

    # ---------------------------------------------------------------- MultiBoxDetection
    def det_inputs(nb, nc, na, peak=4.0):
        logits = rng.normal(size=(nb, nc, na)) * peak
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        cls = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        loc = rng.normal(scale=0.5, size=(nb, na * 4)).astype(np.float32)
        base = corner_boxes(max(1, na // 4), minw=6, maxw=14)
        anc = base[rng.integers(0, len(base), size=na)] + (rng.integers(-1, 2, size=(na, 4)) / 32.0)
        return [cls, loc, anc.astype(np.float32).reshape(1, na, 4)]

    d1 = det_inputs(2, 4, 16)
    case("MultiBoxDetection_default", "_contrib_MultiBoxDetection", {}, d1, "composed")
    case("MultiBoxDetection_ssd_attrs_alias", "_npx_multibox_detection",
         {"force_suppress": "True", "nms_threshold": "0.5", "nms_topk": "400",
          "variances": "(0.1, 0.1, 0.2, 0.2)"}, d1, "composed")
    case("MultiBoxDetection_topk_unclipped", "_contrib_MultiBoxDetection",
         {"nms_topk": "5", "clip": "False", "threshold": "0.2", "nms_threshold": "0.3"}, det_inputs(3, 3, 13),
         "composed")
    case("MultiBoxDetection_no_nms", "_contrib_MultiBoxDetection", {"nms_threshold": "0"}, d1, "composed")
    case("MultiBoxDetection_nms_gt1_variances", "_contrib_MultiBoxDetection",
         {"nms_threshold": "1.5", "variances": "(0.2, 0.2, 0.1, 0.1)", "background_id": "0"}, det_inputs(1, 5, 9),
         "composed")
    d2 = det_inputs(2, 3, 10)
    d2[0][:, 1:, :] = np.minimum(d2[0][:, 1:, :], np.float32(0.25))
    case("MultiBoxDetection_all_background", "_contrib_MultiBoxDetection", {"threshold": "0.3"}, d2, "composed")
    d3 = det_inputs(1, 3, 12)
    d3[0][0, 1, :] = np.float32(0.5)  # score ties: stable order
    d3[0][0, 2, :] = np.float32(0.25)
    d3[1][:] = 0
    case("MultiBoxDetection_ties_force", "_contrib_MultiBoxDetection",
         {"force_suppress": "true", "nms_threshold": "0.45"}, d3, "composed")
    case("MultiBoxDetection_nms_threshold1", "_contrib_MultiBoxDetection", {"nms_threshold": "1"}, d3,
         "composed")

    case("MultiBoxDetection_background_only_class", "_contrib_MultiBoxDetection", {},
         det_inputs(2, 1, 6), "composed")
    case("MultiBoxDetection_one_anchor", "_contrib_MultiBoxDetection", {"clip": "0"}, det_inputs(1, 4, 1),
         "composed")

    # ---------------------------------------------------------------- MultiBoxTarget
    def tgt_inputs(nb, na, nl, nvalid, nc=3, width=5):
        base = corner_boxes(max(2, na // 3), minw=6, maxw=14)
        anc = base[rng.integers(0, len(base), size=na)] + (rng.integers(-2, 3, size=(na, 4)) / 32.0)
        anc[:, 2] = np.maximum(anc[:, 2], anc[:, 0] + 2 / 32.0)
        anc[:, 3] = np.maximum(anc[:, 3], anc[:, 1] + 2 / 32.0)
        lab = -np.ones((nb, nl, width), np.float32)
        for b in range(nb):
            v = nvalid[b]
            g = base[rng.integers(0, len(base), size=v)] + (rng.integers(-3, 4, size=(v, 4)) / 32.0)
            g[:, 2] = np.maximum(g[:, 2], g[:, 0] + 3 / 32.0)
            g[:, 3] = np.maximum(g[:, 3], g[:, 1] + 3 / 32.0)
            lab[b, :v, 0] = rng.integers(0, nc - 1, size=v)
            lab[b, :v, 1:5] = g
            if width > 5:
                lab[b, :v, 5:] = q32(v, width - 5)
        cp = rng.normal(scale=2.0, size=(nb, nc, na)).astype(np.float32)
        return [anc.astype(np.float32).reshape(1, na, 4), lab, cp]

    t1 = tgt_inputs(2, 24, 4, [3, 2])
    case("MultiBoxTarget_default", "_contrib_MultiBoxTarget", {}, t1, "composed", outputs=3)
    case("MultiBoxTarget_mining_alias", "_npx_multibox_target",
         {"negative_mining_ratio": "3", "negative_mining_thresh": "0.5", "minimum_negative_samples": "0",
          "overlap_threshold": ".5", "variances": "(0.1, 0.1, 0.2, 0.2)"}, t1, "composed", outputs=3)
    case("MultiBoxTarget_bipartite_only_ignore", "_contrib_MultiBoxTarget",
         {"overlap_threshold": "0", "ignore_label": "-2", "negative_mining_ratio": "1.5",
          "negative_mining_thresh": "0.3"}, tgt_inputs(3, 17, 3, [1, 3, 2]), "composed", outputs=3)
    case("MultiBoxTarget_padding_batch_width6", "_contrib_MultiBoxTarget",
         {"overlap_threshold": "0.3", "variances": "(0.2, 0.2, 0.5, 0.5)"},
         tgt_inputs(3, 15, 3, [2, 0, 3], width=6), "composed", outputs=3)
    t5 = tgt_inputs(1, 30, 5, [5], nc=4)
    case("MultiBoxTarget_mining_small_ratio", "_contrib_MultiBoxTarget",
         {"negative_mining_ratio": "0.7", "negative_mining_thresh": "0.4", "overlap_threshold": "0.6"}, t5,
         "composed", outputs=3)
    case("MultiBoxTarget_one_anchor_one_label", "_contrib_MultiBoxTarget", {"negative_mining_ratio": "2"},
         tgt_inputs(2, 1, 1, [1, 0]), "composed", outputs=3)

    # Many anchors (more than nms_topk survive the threshold; the top-k
    # selection and sort), scores on a coarse grid (many ties: stable
    # order), boxes on the 1/32 grid (loc 0: exact IoUs).
    d4 = det_inputs(2, 5, 600)
    d4[0][:] = np.round(d4[0] * 16) / 16
    d4[1][:] = 0
    case("MultiBoxDetection_many_topk_ties", "_contrib_MultiBoxDetection",
         {"force_suppress": "True", "nms_threshold": "0.5", "nms_topk": "40", "threshold": "0.05"}, d4,
         "composed")
    case("MultiBoxDetection_many_class_aware", "_contrib_MultiBoxDetection",
         {"nms_threshold": "0.31", "nms_topk": "1000"}, d4, "composed")
