package tensor

import (
	"fmt"
	"math"
	"sort"
)

// rows returns the row count and length of t seen as rows along its last
// axis (a 0-d tensor is one row of one value).
func rows(t *Tensor, what string) (n, cols int, err error) {
	if t == nil {
		return 0, 0, fmt.Errorf("%s: nil tensor", what)
	}
	if !t.dtype.Valid() || t.dtype == Bool {
		return 0, 0, fmt.Errorf("%s: %s tensor has no order", what, t.dtype)
	}
	cols = 1
	if t.NDim() > 0 {
		cols = t.Dim(t.NDim() - 1)
	}
	if cols == 0 {
		return 0, 0, fmt.Errorf("%s: %s has an empty last axis", what, t)
	}
	return t.Len() / cols, cols, nil
}

// greater orders values for ArgMax and TopK as numpy does: NaN is the
// largest, then the usual order.
func greater(a, b float64) bool {
	if math.IsNaN(a) {
		return !math.IsNaN(b)
	}
	return a > b
}

// ArgMax returns, for every row along t's last axis, the index of its
// largest value (the first one on ties; NaN counts as largest, as in
// numpy.argmax). A (batch, classes) output gives one class per sample.
func ArgMax(t *Tensor) ([]int, error) {
	n, cols, err := rows(t, "tensor.ArgMax")
	if err != nil {
		return nil, err
	}
	out := make([]int, n)
	if t.dtype == Float32 {
		v := t.Float32s()
		for r := range n {
			row, best := v[r*cols:(r+1)*cols], 0
			for j, x := range row {
				if greater(float64(x), float64(row[best])) {
					best = j
				}
			}
			out[r] = best
		}
		return out, nil
	}
	for r := range n {
		best := 0
		for j := 1; j < cols; j++ {
			if greater(t.Float64At(r*cols+j), t.Float64At(r*cols+best)) {
				best = j
			}
		}
		out[r] = best
	}
	return out, nil
}

// TopK returns, for every row along t's last axis, the indices of its k
// largest values from the largest down (ties keep index order; k is capped
// at the row length).
func TopK(t *Tensor, k int) ([][]int, error) {
	n, cols, err := rows(t, "tensor.TopK")
	if err != nil {
		return nil, err
	}
	if k < 1 {
		return nil, fmt.Errorf("tensor.TopK: k = %d, need at least 1", k)
	}
	k = min(k, cols)
	out := make([][]int, n)
	idx := make([]int, cols)
	for r := range n {
		for j := range idx {
			idx[j] = j
		}
		base := r * cols
		sort.SliceStable(idx, func(a, b int) bool { return greater(t.Float64At(base+idx[a]), t.Float64At(base+idx[b])) })
		out[r] = append([]int(nil), idx[:k]...)
	}
	return out, nil
}

// Stack copies samples of one dtype and shape into a new batch tensor
// with a leading axis of len(samples): shape (len(samples), shape...).
func Stack(samples ...*Tensor) (*Tensor, error) {
	if len(samples) == 0 {
		return nil, fmt.Errorf("tensor.Stack: no samples")
	}
	first := samples[0]
	if first == nil {
		return nil, fmt.Errorf("tensor.Stack: sample 0 is nil")
	}
	for i, s := range samples {
		if s == nil || s.dtype != first.dtype || !s.SameShape(first) {
			return nil, fmt.Errorf("tensor.Stack: sample %d is %v, sample 0 is %s", i, s, first)
		}
	}
	out, err := New(first.dtype, append([]int{len(samples)}, first.shape...)...)
	if err != nil {
		return nil, fmt.Errorf("tensor.Stack: %w", err)
	}
	size := len(first.data)
	for i, s := range samples {
		copy(out.data[i*size:(i+1)*size], s.data)
	}
	return out, nil
}

// Sample returns sample i of a batch: a view of t[i] along axis 0 with
// shape t.Shape()[1:], sharing t's storage (writes go through).
func (t *Tensor) Sample(i int) (*Tensor, error) {
	if t.NDim() == 0 {
		return nil, fmt.Errorf("tensor.Sample: %s has no batch axis", t)
	}
	n := t.Dim(0)
	if i < 0 || i >= n {
		return nil, fmt.Errorf("tensor.Sample: index %d out of range for %s", i, t)
	}
	size := len(t.data) / n
	return &Tensor{dtype: t.dtype, shape: cloneShape(t.shape[1:]), data: t.data[i*size : (i+1)*size : (i+1)*size]}, nil
}

// ViewRows makes v a view of rows [lo, hi) of t along axis 0: shape
// (hi−lo, t.Shape()[1:]...), sharing t's storage (writes go through),
// like t[lo:hi] in NumPy. It reuses v's shape storage, so a caller that
// keeps v (a worker slicing batches into chunks) allocates nothing once
// v has held a view of as many dims. It fails when t has no axis 0 or
// the range is not within it.
func (t *Tensor) ViewRows(v *Tensor, lo, hi int) error {
	if t.NDim() == 0 {
		return fmt.Errorf("tensor.ViewRows: %s has no batch axis", t)
	}
	n := t.Dim(0)
	if lo < 0 || hi < lo || hi > n {
		return fmt.Errorf("tensor.ViewRows: rows [%d, %d) out of range for %s", lo, hi, t)
	}
	size := 0
	if n > 0 {
		size = len(t.data) / n
	}
	v.dtype = t.dtype
	v.shape = append(append(v.shape[:0], hi-lo), t.shape[1:]...)
	v.data = t.data[lo*size : hi*size : hi*size]
	return nil
}
