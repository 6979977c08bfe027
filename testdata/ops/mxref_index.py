"""Float64 reference of MXNet 1.9.1's indexing and shape operators.

Written from MXNet's sources (src/operator/tensor/matrix_op-inl.h,
control_flow_op.h, indexing_op.h/.cc, ordering_op-inl.h,
broadcast_reduce_op.h, broadcast_reduce_op_value.cc, swapaxis-inl.h,
sequence_mask.cc) and registered into mxref with @mxref.op.

topk, sort and argsort order each row with libstdc++'s std::sort (when
8*k > n) or std::partial_sort, as MXNet's CPU TopKSort does; those
algorithms are not stable, so the order of equal values is reproduced here
by a transcription of libstdc++'s bits/stl_algo.h and bits/stl_heap.h
(introsort with median-of-three, threshold 16, heap select).
"""

import numpy as np

import mxref
from mxref import op, p_bool, p_int, p_float, p_opt_int, p_tuple

# ---------------------------------------------------------------------------
# libstdc++ std::sort / std::partial_sort on a list of positions


class _StdSort:
    def __init__(self, vals, asc):
        self.v = vals
        self.asc = asc

    def lt(self, a, b):
        if self.asc:
            return self.v[a] < self.v[b]
        return self.v[a] > self.v[b]

    # stl_heap.h
    def adjust_heap(self, x, first, hole, length, value):
        top = hole
        child = hole
        while child < (length - 1) // 2:
            child = 2 * (child + 1)
            if self.lt(x[first + child], x[first + child - 1]):
                child -= 1
            x[first + hole] = x[first + child]
            hole = child
        if length % 2 == 0 and child == (length - 2) // 2:
            child = 2 * (child + 1)
            x[first + hole] = x[first + child - 1]
            hole = child - 1
        parent = (hole - 1) // 2
        while hole > top and self.lt(x[first + parent], value):
            x[first + hole] = x[first + parent]
            hole = parent
            parent = (hole - 1) // 2
        x[first + hole] = value

    def make_heap(self, x, first, last):
        length = last - first
        if length < 2:
            return
        parent = (length - 2) // 2
        while True:
            self.adjust_heap(x, first, parent, length, x[first + parent])
            if parent == 0:
                return
            parent -= 1

    def pop_heap(self, x, first, last, result):
        value = x[result]
        x[result] = x[first]
        self.adjust_heap(x, first, 0, last - first, value)

    def heap_select(self, x, first, middle, last):
        self.make_heap(x, first, middle)
        for i in range(middle, last):
            if self.lt(x[i], x[first]):
                self.pop_heap(x, first, middle, i)

    def sort_heap(self, x, first, last):
        while last - first > 1:
            last -= 1
            self.pop_heap(x, first, last, last)

    def partial_sort(self, x, first, middle, last):
        self.heap_select(x, first, middle, last)
        self.sort_heap(x, first, middle)

    # stl_algo.h
    def move_median_to_first(self, x, result, a, b, c):
        if self.lt(x[a], x[b]):
            if self.lt(x[b], x[c]):
                m = b
            elif self.lt(x[a], x[c]):
                m = c
            else:
                m = a
        elif self.lt(x[a], x[c]):
            m = a
        elif self.lt(x[b], x[c]):
            m = c
        else:
            m = b
        x[result], x[m] = x[m], x[result]

    def unguarded_partition(self, x, first, last, pivot):
        end = last
        while True:
            while first < end and self.lt(x[first], x[pivot]):
                first += 1
            last -= 1
            while last > pivot and self.lt(x[pivot], x[last]):
                last -= 1
            if not first < last:
                return first
            x[first], x[last] = x[last], x[first]
            first += 1

    def introsort_loop(self, x, first, last, depth):
        while last - first > 16:
            if depth == 0:
                self.partial_sort(x, first, last, last)
                return
            depth -= 1
            mid = first + (last - first) // 2
            self.move_median_to_first(x, first, first + 1, mid, last - 1)
            cut = self.unguarded_partition(x, first + 1, last, first)
            self.introsort_loop(x, cut, last, depth)
            last = cut

    def linear_insert(self, x, last, lo):
        val = x[last]
        nxt = last - 1
        while nxt >= lo and self.lt(val, x[nxt]):
            x[last] = x[nxt]
            last = nxt
            nxt -= 1
        x[last] = val

    def insertion_sort(self, x, first, last):
        if first == last:
            return
        for i in range(first + 1, last):
            if self.lt(x[i], x[first]):
                val = x[i]
                x[first + 1:i + 1] = x[first:i]
                x[first] = val
            else:
                self.linear_insert(x, i, first)

    def sort(self, x):
        n = len(x)
        if n == 0:
            return
        self.introsort_loop(x, 0, n, 2 * (n.bit_length() - 1))
        if n > 16:
            self.insertion_sort(x, 0, 16)
            for i in range(16, n):
                self.linear_insert(x, i, 0)
        else:
            self.insertion_sort(x, 0, n)


def _order(row, k, asc):
    """Positions of the first k of row in MXNet's CPU TopKSort order."""
    n = len(row)
    pos = list(range(n))
    s = _StdSort([float(v) for v in row], asc)
    if k * 8 > n:
        s.sort(pos)
    else:
        s.partial_sort(pos, 0, k, n)
    return pos[:k]


def _topk(d, axis, k, ret, asc, idx_dtype):
    """TopKImpl: returns (values, indices, mask) as requested by ret."""
    if axis is None:
        flat = d.reshape(1, -1)
        n = flat.shape[1]
        if k <= 0:
            k = n
        assert 0 <= k <= n, "k %d out of range %d" % (k, n)
        if d.size == 0:
            rows = np.zeros((1, 0), dtype=np.int64)
        else:
            rows = np.array([_order(flat[0], k, asc)], dtype=np.int64)
        vals = np.take_along_axis(flat, rows, axis=1).reshape(k)
        ids = rows.reshape(k)
        mask = np.zeros(d.size)
        mask[ids] = 1
        return vals, ids, mask.reshape(d.shape)
    ax = axis % d.ndim
    n = d.shape[ax]
    if k <= 0:
        k = n
    assert 0 <= k <= n, "k %d out of range %d" % (k, n)
    m = np.moveaxis(d, ax, -1)
    lead = m.shape[:-1]
    flat = m.reshape(int(np.prod(lead)), n)
    ids = np.zeros((flat.shape[0], k), dtype=np.int64)
    for r in range(flat.shape[0]):
        ids[r] = _order(flat[r], k, asc)
    vals = np.take_along_axis(flat, ids, axis=1)
    mask = np.zeros_like(flat)
    np.put_along_axis(mask, ids, 1.0, axis=1)
    back = lambda t, last: np.moveaxis(t.reshape(lead + (last,)), -1, ax)
    return back(vals, k), back(ids, k), back(mask, n)


_RET = {"value": 0, "indices": 1, "mask": 2, "both": 3}


def _axis_opt(a, default=-1):
    s = a.get("axis")
    if s is None:
        return default
    return p_opt_int(s)


@op("topk", "_npx_topk")
def topk(a, x):
    ret = _RET[a.get("ret_typ", "indices")]
    dt = a.get("dtype", "float32")
    vals, ids, mask = _topk(x[0], _axis_opt(a), p_int(a.get("k"), 1), ret,
                            p_bool(a.get("is_ascend"), False), dt)
    if ret == 0:
        return [vals, None]
    if ret == 1:
        return [ids.astype(np.float64)]
    if ret == 2:
        return [mask]
    return [vals, ids.astype(np.float64)]


@op("sort", "_npi_sort")
def sort(a, x):
    vals, _, _ = _topk(x[0], _axis_opt(a), 0, 0, p_bool(a.get("is_ascend"), True), "int32")
    return [vals, None]


@op("argsort", "_npi_argsort")
def argsort(a, x):
    _, ids, _ = _topk(x[0], _axis_opt(a), 0, 1, p_bool(a.get("is_ascend"), True), "float32")
    return [ids.astype(np.float64)]


# ---------------------------------------------------------------------------
# indexing


def _trunc(v):
    """static_cast<int64_t> of an index value."""
    return int(np.trunc(v))


@op("where")
def where(a, x):
    c, xv, yv = x
    if c.shape != xv.shape:
        c = c.reshape((-1,) + (1,) * (xv.ndim - 1))
    return [np.where(c != 0, xv, yv)]


def _clip_or_wrap(j, n, mode):
    if mode == "clip":
        return min(max(j, 0), n - 1)
    j = int(np.fmod(j, n))
    return j + n if j < 0 else j


@op("take", "_npi_take")
def take(a, x):
    d, idx = x
    axis = p_int(a.get("axis"), 0) % d.ndim
    mode = a.get("mode", "clip")
    n = d.shape[axis]
    if mode == "raise":
        if np.any((idx < 0) | (idx > n - 1)):
            raise ValueError("take operator contains indices out of bound")
        mode = "wrap"
    j = np.array([_clip_or_wrap(_trunc(v), n, mode) for v in idx.reshape(-1)], dtype=np.int64)
    y = np.take(d, j, axis=axis)
    return [y.reshape(d.shape[:axis] + idx.shape + d.shape[axis + 1:])]


@op("pick", "choose_element_0index", "_npx_pick")
def pick(a, x):
    d, idx = x
    axis = p_opt_int(a.get("axis", "-1")) % d.ndim
    keep = p_bool(a.get("keepdims"))
    mode = a.get("mode", "clip")
    n = d.shape[axis]
    m = np.moveaxis(d, axis, -1)
    flat = m.reshape(int(np.prod(m.shape[:-1])), n)
    ii = idx.reshape(-1)
    y = np.array([flat[r, _clip_or_wrap(_trunc(ii[r]), n, mode)] for r in range(flat.shape[0])])
    y = y.reshape(m.shape[:-1])
    if keep:
        y = np.expand_dims(y, axis)
    if d.ndim == 1:
        y = y.reshape((1,))
    return [y]


@op("gather_nd", "_npi_gather_nd", "_npx_gather_nd")
def gather_nd(a, x):
    d, idx = x
    m = idx.shape[0]
    cols = idx.reshape(m, -1)
    out = []
    for i in range(cols.shape[1]):
        key = []
        for j in range(m):
            size = d.shape[j]
            v = cols[j, i]
            if v < -size or v > size - 1:
                raise ValueError("index %r out of bounds for axis %d" % (v, j))
            key.append(int(np.trunc(v + size)) % size)
        out.append(d[tuple(key)])
    return [np.array(out).reshape(idx.shape[1:] + d.shape[m:])]


# ---------------------------------------------------------------------------
# shape


@op("slice_like")
def slice_like(a, x):
    d, f = x
    axes = p_tuple(a.get("axes"), ())
    if not axes:
        axes = range(d.ndim)
    sl = [slice(None)] * d.ndim
    for ax in axes:
        ax = ax + d.ndim if ax < 0 else ax
        sl[ax] = slice(0, f.shape[ax])
    return [d[tuple(sl)].copy()]


@op("tile", "_npi_tile")
def tile(a, x):
    return [np.tile(x[0], p_tuple(a["reps"]))]


@op("repeat", "_np_repeat")
def repeat(a, x):
    r = p_int(a["repeats"])
    axis = p_opt_int(a.get("axis"))
    if r == 0:
        return [np.zeros((0,))]
    return [np.repeat(x[0], r, axis=axis)]


def _squeeze(a, d, numpy):
    axis = a.get("axis")
    if d.ndim == 0:
        return d.copy()
    if axis is None or axis.strip() == "None":
        shape = [v for v in d.shape if v != 1]
    else:
        drop = {v % d.ndim for v in p_tuple(axis)}
        shape = [v for i, v in enumerate(d.shape) if i not in drop]
    if not shape and not numpy:
        shape = [1]
    return d.reshape(shape)


@op("squeeze")
def squeeze(a, x):
    return [_squeeze(a, x[0], False)]


@op("_np_squeeze")
def np_squeeze(a, x):
    """numpy squeeze: may squeeze to a 0-d array."""
    return [_squeeze(a, x[0], True)]


@op("stack", "_npi_stack")
def stack(a, x):
    return [np.stack(x, axis=p_int(a.get("axis"), 0))]


@op("reverse", "flip")
def reverse(a, x):
    d = x[0]
    for ax in p_tuple(a["axis"]):
        d = np.flip(d, axis=ax)
    return [d.copy()]


@op("SwapAxis", "swapaxes", "_npi_swapaxes")
def swap_axis(a, x):
    return [np.swapaxes(x[0], p_int(a.get("dim1"), 0), p_int(a.get("dim2"), 0)).copy()]


@op("SequenceMask", "_npx_sequence_mask")
def sequence_mask(a, x):
    d = x[0].copy()
    if not p_bool(a.get("use_sequence_length")):
        return [d]
    axis = p_int(a.get("axis"), 0)
    value = float(np.float32(p_float(a.get("value"), 0.0)))
    lens = x[1]
    for b, ln in enumerate(lens):
        s = int(np.trunc(ln))
        if axis == 0:
            d[s:, b] = value
        else:
            d[b, s:] = value
    return [d]


@op("broadcast_axis", "broadcast_axes")
def broadcast_axis(a, x):
    d = x[0]
    shape = list(d.shape)
    for ax, n in zip(p_tuple(a.get("axis"), ()), p_tuple(a.get("size"), ())):
        assert shape[ax] == 1
        shape[ax] = n
    return [np.broadcast_to(d, shape).copy()]


@op("broadcast_to")
def broadcast_to(a, x):
    d = x[0]
    shape = [t if t != 0 else s for s, t in zip(d.shape, p_tuple(a.get("shape"), ()))]
    return [np.broadcast_to(d, shape).copy()]


@op("_npi_broadcast_to")
def np_broadcast_to(a, x):
    d = x[0]
    shape = list(p_tuple(a.get("shape"), ()))
    for i in range(len(shape)):
        j = i - len(shape) + d.ndim
        if j >= 0 and shape[i] == -2:
            shape[i] = d.shape[j]
    return [np.broadcast_to(d, shape).copy()]


@op("broadcast_like")
def broadcast_like(a, x):
    lhs, rhs = x
    la, ra = a.get("lhs_axes"), a.get("rhs_axes")
    if la is None or ra is None or la.strip() == "None" or ra.strip() == "None":
        return [np.broadcast_to(lhs, rhs.shape).copy()]
    shape = list(lhs.shape)
    for i, j in zip(p_tuple(la), p_tuple(ra)):
        shape[i] = rhs.shape[j]
    return [np.broadcast_to(lhs, shape).copy()]


# ---------------------------------------------------------------------------
# NumPy-interface where (np_where_op.cc): NumPy broadcasting; scalars are
# cast to the output dtype (float32 here).


@op("_npi_where")
def np_where(a, x):
    c, xv, yv = x
    return [np.where(c != 0, xv, yv)]


@op("_npi_where_lscalar")
def np_where_lscalar(a, x):
    c, t = x
    s = mxref.f32(p_float(a.get("scalar"), 0.0))
    return [np.where(c != 0, s, t)]


@op("_npi_where_rscalar")
def np_where_rscalar(a, x):
    c, t = x
    s = mxref.f32(p_float(a.get("scalar"), 0.0))
    return [np.where(c != 0, t, s)]


@op("_npi_where_scalar2")
def np_where_scalar2(a, x):
    c = x[0]
    xs, ys = mxref.f32(p_float(a.get("x"), 0.0)), mxref.f32(p_float(a.get("y"), 0.0))
    return [np.where(c != 0, xs, ys) + np.zeros(c.shape)]


@op("_npi_flip")
def np_flip(a, x):
    """numpy flip: axis None flips every axis (a 0-d array is copied)."""
    d = x[0]
    ax = a["axis"]
    axes = range(d.ndim) if ax.strip() == "None" else p_tuple(ax)
    for v in axes:
        d = np.flip(d, axis=v)
    return [d.copy()]
