"""Golden cases of CTCLoss's forward (reference: mxref_ctc.py).

Tolerance "composed": the cost is a log-sum-exp recursion over at most 9
steps of softmaxes over at most 7 channels, each term a few roundings.
Only the loss (output 0) is compared; the hidden gradient output is not.
"""

import itertools

import numpy as np

import mxref
import mxref_ctc  # noqa: F401  (registers CTCLoss)

rng = np.random.default_rng(20261215)


def act(T, N, C, scale=3.0):
    return rng.uniform(-scale, scale, size=(T, N, C)).astype(np.float32)


def f32(rows):
    return np.array(rows, np.float32)


def _check_against_enumeration():
    """The reference's recursion equals the definition: the probability
    summed over every length-T path that collapses (merge repeats, drop
    blanks) to the label; or 0 when no path does."""
    check = np.random.default_rng(5)
    for T, C, lab, last in [(4, 3, [1, 2], False), (5, 3, [1, 1], False), (4, 4, [0, 0], True),
                            (3, 3, [1, 1], False), (4, 3, [], False), (6, 3, [2, 1, 2], False),
                            (3, 3, [2, 2, 1], False)]:
        blank = C - 1 if last else 0
        x = check.uniform(-3, 3, (T, 1, C))
        lp = x[:, 0, :] - np.log(np.exp(x[:, 0, :]).sum(axis=1, keepdims=True))
        p = 0.0
        for path in itertools.product(range(C), repeat=T):
            out, prev = [], None
            for k in path:
                if k != prev and k != blank:
                    out.append(k)
                prev = k
            if out == lab:
                p += np.exp(sum(lp[t, k] for t, k in enumerate(path)))
        row = lab + [-1 if last else 0] * (T - len(lab))
        got = mxref.run("CTCLoss", {"blank_label": "last" if last else "first"}, [x, np.array([row], float)])[0][0]
        want = -np.log(p) if p > 0 else 0.0
        if abs(got - want) > 1e-9:
            raise SystemExit("mxref_ctc: %s over %d steps: %r, enumeration %r" % (lab, T, got, want))


def register(case):
    _check_against_enumeration()

    def ctc(name, attrs, inputs, op="CTCLoss"):
        case("CTCLoss_" + name, op, attrs, inputs, "composed", outputs=2, visible=1)

    # blank first (channel 0), rows padded with 0; a repeat (3, 3) needs a
    # blank between; a full-width row
    ctc("default_pad0", {}, [act(6, 3, 5), f32([[1, 2, 0, 0], [3, 3, 0, 0], [4, 1, 2, 3]])])
    # blank last (channel C-1), rows padded with -1; 0 is a real label
    ctc("blank_last_pad_neg1", {"blank_label": "last"},
        [act(7, 3, 4), f32([[0, 1, -1], [2, 2, 2], [1, -1, -1]])])
    # a label that cannot fit: 3 labels + 2 repeats > 3 steps -> cost 0
    # (MXNet's CPU kernel), next to one that fits exactly (2 + 1 repeat)
    ctc("infeasible_zero", {}, [act(3, 2, 3), f32([[1, 1, 1], [2, 2, 0]])])
    # an empty label: -sum log p(blank)
    ctc("empty_label", {}, [act(4, 2, 3), f32([[0, 0], [2, 0]])])
    # per-sample sequence lengths (one too short for its label -> 0), int32 labels
    ctc("data_lengths_int32_label", {"use_data_lengths": "True"},
        [act(6, 3, 5), np.array([[1, 2, 3], [4, 4, 0], [2, 0, 0]], np.int32), f32([5, 2, 6])])
    # label lengths instead of padding: 0 inside a row is then a value
    # (with blank last), and a length of 0
    ctc("label_lengths_blank_last", {"use_label_lengths": "True", "blank_label": "last"},
        [act(5, 3, 4), f32([[0, 2, 0], [1, 1, 1], [2, 0, 1]]), f32([3, 0, 2])])
    # both lengths, int32 label and label_lengths (the label's dtype)
    ctc("both_lengths", {"use_data_lengths": "True", "use_label_lengths": "True"},
        [act(9, 2, 7, 5.0), np.array([[3, 6, 6, 1], [5, 2, 0, 0]], np.int32), f32([9, 4]),
         np.array([4, 2], np.int32)])
    # aliases; batch 1, alphabet of 2 (blank and one symbol)
    ctc("alias_ctc_loss_c2", {}, [act(5, 1, 2), f32([[1, 1]])], op="ctc_loss")
    ctc("alias_contrib", {"blank_label": "first"}, [act(4, 2, 3), f32([[2, 1], [1, 0]])], op="_contrib_CTCLoss")
