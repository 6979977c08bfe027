package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// stridedView copies into y (contiguous, any dtype) the elements of x at
// off + Σ idx[d]·st[d] over the index space dims (whose product is y's
// length). It is the one kernel behind the data-movement ops here: a
// stride of 0 repeats, a negative stride reverses.
func stridedView(y, x *tensor.Tensor, nd int, dims, st *dimArray, off int) error {
	if y.DType() != x.DType() {
		return fmt.Errorf("output dtype %s differs from input %s", y.DType(), x.DType())
	}
	n := 1
	for _, d := range dims[:nd] {
		n *= d
	}
	if n != y.Len() {
		return fmt.Errorf("index space of %d elements for output %s", n, y)
	}
	if n == 0 {
		return nil
	}
	stridedCopy(y.Bytes(), x.Bytes(), x.DType().Size(), nd, dims, st, off)
	return nil
}

// sliceLikeForward copies the leading box of the data with the output's
// shape.
func sliceLikeForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	var st dimArray
	contiguousStrides(in[0], &st)
	y := out[0]
	dims := outDims(y)
	if err := stridedView(y, in[0], y.NDim(), &dims, &st, 0); err != nil {
		return fmt.Errorf("slice_like: %w", err)
	}
	return nil
}

// tileForward walks (rep, dim) index pairs: the rep index has stride 0.
// Axes tiled once need no rep index.
func tileForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	reps := params.(*TileParam).Reps
	x, y := in[0], out[0]
	n := y.NDim()
	var st, dims, strides dimArray
	contiguousStrides(x, &st)
	nd := 0
	for i := range n {
		r, a, s := 1, 1, 0
		if j := i - (n - len(reps)); j >= 0 {
			r = reps[j]
		}
		if j := i - (n - x.NDim()); j >= 0 {
			a, s = x.Dim(j), st[j]
		}
		if nd+2 > tensor.MaxNDim {
			return fmt.Errorf("tile: more than %d tiled dims", tensor.MaxNDim/2)
		}
		if r != 1 {
			dims[nd], strides[nd] = r, 0
			nd++
		}
		dims[nd], strides[nd] = a, s
		nd++
	}
	if err := stridedView(y, x, nd, &dims, &strides, 0); err != nil {
		return fmt.Errorf("tile: %w", err)
	}
	return nil
}

// repeatForward repeats each element (of the flattened input, or each
// slice along axis) repeats times: a stride-0 index after the axis.
func repeatForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*RepeatParam)
	x, y := in[0], out[0]
	if y.Len() == 0 {
		return nil
	}
	var dims, st dimArray
	nd := 2
	if !p.Axis.Set {
		dims[0], dims[1], st[0], st[1] = x.Len(), p.Repeats, 1, 0
	} else {
		a := p.Axis.Value
		if a < 0 {
			a += x.NDim()
		}
		if x.NDim() >= tensor.MaxNDim {
			return fmt.Errorf("repeat: %d-d input has too many dims", x.NDim())
		}
		var xs dimArray
		contiguousStrides(x, &xs)
		nd = 0
		for d := range x.NDim() {
			dims[nd], st[nd] = x.Dim(d), xs[d]
			nd++
			if d == a {
				dims[nd], st[nd] = p.Repeats, 0
				nd++
			}
		}
	}
	err := stridedView(y, x, nd, &dims, &st, 0)
	if err != nil {
		return fmt.Errorf("repeat: %w", err)
	}
	return nil
}

// stackForward interleaves the inputs along the new axis (any dtype).
func stackForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	y := out[0]
	a := params.(*StackParam).Axis
	if a < 0 {
		a += y.NDim()
	}
	outer, n, inner := splitAt(y, a)
	es := y.DType().Size()
	dst := y.Bytes()
	row := inner * es
	for i, x := range in {
		if x.DType() != y.DType() || x.Len() != outer*inner {
			return fmt.Errorf("stack: input %d is %s, want %d elements of %s", i, x, outer*inner, y.DType())
		}
		src := x.Bytes()
		for o := range outer {
			copy(dst[(o*n+i)*row:(o*n+i+1)*row], src[o*row:(o+1)*row])
		}
	}
	return nil
}

// reverseForward reverses the listed axes (an axis listed twice is
// reversed twice, as MXNet's index mapping does) with negative strides.
func reverseForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	if err := reverseAxes(params.(*ReverseParam).Axis, in[0].NDim()); err != nil {
		return fmt.Errorf("reverse: %w", err)
	}
	return flipAxes(in[0], out[0], params.(*ReverseParam).Axis, false)
}

// npFlipForward is _npi_flip: axis None (nil) flips every axis.
func npFlipForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	axes := params.(*ReverseParam).Axis
	if err := reverseAxes(axes, in[0].NDim()); err != nil {
		return fmt.Errorf("flip: %w", err)
	}
	return flipAxes(in[0], out[0], axes, axes == nil)
}

func flipAxes(x, y *tensor.Tensor, axes []int, all bool) error {
	var st dimArray
	contiguousStrides(x, &st)
	var flip dimArray
	for _, a := range axes {
		flip[a] ^= 1
	}
	off := 0
	for a := range x.NDim() {
		if (all || flip[a] == 1) && x.Dim(a) > 0 {
			off += (x.Dim(a) - 1) * st[a]
			st[a] = -st[a]
		}
	}
	if x.Len() == 0 {
		return nil
	}
	dims := outDims(x)
	if err := stridedView(y, x, x.NDim(), &dims, &st, off); err != nil {
		return fmt.Errorf("reverse: %w", err)
	}
	return nil
}

// swapAxisForward is a transpose exchanging two axes.
func swapAxisForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	x, y := in[0], out[0]
	a1, a2, err := swapAxes(params.(*SwapAxisParam), x.NDim())
	if err != nil {
		return fmt.Errorf("SwapAxis: %w", err)
	}
	var st dimArray
	contiguousStrides(x, &st)
	var src dimArray
	for d := range x.NDim() {
		src[d] = st[d]
	}
	src[a1], src[a2] = st[a2], st[a1]
	dims := outDims(y)
	if err := stridedView(y, x, y.NDim(), &dims, &src, 0); err != nil {
		return fmt.Errorf("SwapAxis: %w", err)
	}
	return nil
}

// sequenceMaskForward copies the data and, with use_sequence_length, sets
// every step at or after a batch item's length to value (lengths are
// truncated to integers as MXNet's static_cast<int> does).
func sequenceMaskForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*SequenceMaskParam)
	x, y := in[0], out[0]
	if err := copyForward(nil, nil, in[:1], out); err != nil {
		return fmt.Errorf("SequenceMask: %w", err)
	}
	if !p.UseSequenceLength {
		return nil
	}
	lens := in[1]
	steps, batch := x.Dim(0), x.Dim(1)
	if p.Axis == 1 {
		steps, batch = batch, steps
	}
	rest := 1
	for d := 2; d < x.NDim(); d++ {
		rest *= x.Dim(d)
	}
	if lens.Len() != batch {
		return fmt.Errorf("SequenceMask: sequence_length has %d entries, batch is %d", lens.Len(), batch)
	}
	var f32 []float32
	if y.DType() == tensor.Float32 {
		f32 = y.Float32s()
	}
	for b := range batch {
		lf := lens.Float64At(b)
		if lf >= float64(steps) {
			continue
		}
		if !(lf > -1) {
			return fmt.Errorf("SequenceMask: sequence_length[%d] = %v is negative", b, lf)
		}
		for s := int(lf); s < steps; s++ {
			at := (s*batch + b) * rest
			if p.Axis == 1 {
				at = (b*steps + s) * rest
			}
			if f32 != nil {
				for r := range rest {
					f32[at+r] = p.Value
				}
				continue
			}
			for r := range rest {
				y.SetFloat64At(at+r, float64(p.Value))
			}
		}
	}
	return nil
}
