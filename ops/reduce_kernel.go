package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// reduceKind is the reduction a reduceAxes op performs.
type reduceKind int

const (
	reduceSum reduceKind = iota
	reduceMean
	reduceMax
	reduceMin
)

// reducedAxes marks the input axes p reduces, as reduceAxes lists them
// (every axis when axis is None or empty), without allocating.
func reducedAxes(p *ReduceAxesParam, nd int, mask *[tensor.MaxNDim]bool) {
	if !p.Axis.Set || len(p.Axis.Value) == 0 {
		for d := range nd {
			mask[d] = true
		}
		return
	}
	for _, a := range p.Axis.Value {
		if a < 0 {
			a += nd
		}
		mask[a] = true
	}
	if p.Exclude {
		for d := range nd {
			mask[d] = !mask[d]
		}
	}
}

// reduceForward reduces over the selected axes: the input is walked row by
// row with each element's output offset from strides that are 0 on reduced
// axes.
func reduceForward(name string, kind reduceKind) Kernel {
	return func(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
		if err := float32Only(name, in, out); err != nil {
			return err
		}
		x, y := in[0], out[0]
		xs, ys := x.Float32s(), y.Float32s()
		nd := x.NDim()
		var mask [tensor.MaxNDim]bool
		reducedAxes(params.(*ReduceAxesParam), nd, &mask)
		var os dimArray
		s, count := 1, 1
		for d := nd - 1; d >= 0; d-- {
			if mask[d] {
				count *= x.Dim(d)
				continue
			}
			os[d] = s
			s *= x.Dim(d)
		}
		if s != len(ys) {
			return fmt.Errorf("%s: output %s does not match the reduction of %s", name, y, x)
		}
		init := float32(0)
		switch kind {
		case reduceMax:
			init = float32(math.Inf(-1))
		case reduceMin:
			init = float32(math.Inf(1))
		}
		for i := range ys {
			ys[i] = init
		}
		if nd == 0 {
			if len(xs) > 0 {
				ys[0] = xs[0]
			}
			return nil
		}
		if len(xs) > 0 {
			var dims, os dimArray
			var red [tensor.MaxNDim]bool
			m := collapseReduced(x, &mask, &dims, &red)
			s := 1
			for d := m - 1; d >= 0; d-- {
				if !red[d] {
					os[d] = s
					s *= dims[d]
				}
			}
			n := dims[m-1]
			var idx dimArray
			off := 0
			cc := cancelCheck{ctx: ctx}
			for r := range len(xs) / n {
				// Rows are never split: that would change the summation order.
				if err := cc.tick(n); err != nil {
					return err
				}
				row := xs[r*n : (r+1)*n]
				if red[m-1] {
					ys[off] = reduceRow(kind, ys[off], row)
				} else {
					reduceInto(kind, ys[off:off+n], row)
				}
				for d := m - 2; d >= 0; d-- {
					idx[d]++
					off += os[d]
					if idx[d] < dims[d] {
						break
					}
					off -= os[d] * dims[d]
					idx[d] = 0
				}
			}
		}
		if kind == reduceMean {
			// MXNet divides by the count (not a multiply by its inverse).
			c := float32(count)
			for i := range ys {
				ys[i] /= c
			}
		}
		return ctx.Err()
	}
}

// collapseReduced merges adjacent dims of the (non-empty) input x that are
// both reduced or both kept, dropping size-1 dims, so the walk has as few
// and as long rows as possible (a spatial mean over (2, 3) of NCHW data
// reduces rows of H·W). It fills dims and red (reduced or not) and returns
// the number of merged dims (>= 1).
func collapseReduced(x *tensor.Tensor, mask *[tensor.MaxNDim]bool, dims *dimArray, red *[tensor.MaxNDim]bool) int {
	m := 0
	for d := range x.NDim() {
		switch n := x.Dim(d); {
		case n == 1:
		case m > 0 && red[m-1] == mask[d]:
			dims[m-1] *= n
		default:
			dims[m], red[m] = n, mask[d]
			m++
		}
	}
	if m == 0 {
		dims[0], red[0] = 1, true
		m = 1
	}
	return m
}

// reduceRow folds a whole row into acc.
func reduceRow(kind reduceKind, acc float32, row []float32) float32 {
	switch kind {
	case reduceMax:
		return maximum32(asm.Max(row), acc)
	case reduceMin:
		for _, v := range row {
			acc = minimum32(v, acc)
		}
		return acc
	default:
		return acc + asm.Sum(row)
	}
}

// reduceInto folds row into acc elementwise.
func reduceInto(kind reduceKind, acc, row []float32) {
	switch kind {
	case reduceMax:
		for i, v := range row {
			acc[i] = maximum32(v, acc[i])
		}
	case reduceMin:
		for i, v := range row {
			acc[i] = minimum32(v, acc[i])
		}
	default:
		asm.Add(acc, acc, row)
	}
}

// argForward is argmax (max=true) or argmin along axis, or over all
// elements when axis is None; indices are written as floats. It replays
// MXNet's reduce_with_axis loop: a running extreme starting at ∓Inf that
// NaN-aware maximum/minimum update (NaN sticks once seen), and an index
// that moves whenever the running value changes. Ties therefore go to the
// first index, and once a NaN is met the index follows every later
// element (NaN != NaN), ending at the axis' last index.
func argForward(name string, max bool) Kernel {
	return func(_ *Ctx, params any, in, out []*tensor.Tensor) error {
		if err := float32Only(name, in, out); err != nil {
			return err
		}
		p := params.(*ReduceAxisParam)
		x, ys := in[0], out[0].Float32s()
		xs := x.Float32s()
		outer, n, inner := 1, len(xs), 1
		if p.Axis.Set {
			// MXNet's shape rule ignores the axis of a 1-D input, but its
			// kernel still checks it (CheckAxis): an error, not a panic.
			a, err := normAxis(p.Axis.Value, x.NDim(), "axis")
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			outer, n, inner = splitAt(x, a)
		}
		if n == 0 {
			return fmt.Errorf("%s: cannot reduce an empty axis", name)
		}
		init := float32(math.Inf(-1))
		if !max {
			init = float32(math.Inf(1))
		}
		for o := range outer {
			for i := range inner {
				base := o*n*inner + i
				best, res := 0, init
				for j := range n {
					v, prev := xs[base+j*inner], res
					if res == res && ((max && !(res >= v)) || (!max && !(res <= v))) {
						res = v
					}
					if prev != res {
						best = j
					}
				}
				ys[o*inner+i] = float32(best)
			}
		}
		return nil
	}
}
