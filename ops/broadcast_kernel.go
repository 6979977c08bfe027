package ops

import (
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// scalarBinary are the per-element forms of binaryFuncs, for broadcast rows
// where one side repeats.
var scalarBinary = map[string]func(a, b float32) float32{
	"add":     func(a, b float32) float32 { return a + b },
	"sub":     func(a, b float32) float32 { return a - b },
	"mul":     func(a, b float32) float32 { return a * b },
	"div":     func(a, b float32) float32 { return a / b },
	"power":   func(a, b float32) float32 { return float32(math.Pow(float64(a), float64(b))) },
	"maximum": maximum32,
	"minimum": minimum32,
}

// broadcastStrides fills st with t's element strides over the output's nd
// dims (t right-aligned; 0 where t has a 1 or lacks the dim).
func broadcastStrides(t *tensor.Tensor, nd int, st *dimArray) {
	s := 1
	for d := nd - 1; d >= 0; d-- {
		j := d - (nd - t.NDim())
		if j < 0 || t.Dim(j) == 1 {
			st[d] = 0
		} else {
			st[d] = s
		}
		if j >= 0 {
			s *= t.Dim(j)
		}
	}
}

// broadcastForward applies an elementwise op with NumPy broadcasting: the
// output is walked row by row (last dim); rows where both sides are
// contiguous use the vector kernel vec, others the scalar form g.
func broadcastForward(name string, vec binaryFunc, g func(a, b float32) float32) Kernel {
	return func(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
		if err := float32Only(name, in, out); err != nil {
			return err
		}
		z := out[0]
		x, y, o := in[0].Float32s(), in[1].Float32s(), z.Float32s()
		nd := z.NDim()
		if nd == 0 {
			o[0] = g(x[0], y[0])
			return nil
		}
		var ls, rs dimArray
		broadcastStrides(in[0], nd, &ls)
		broadcastStrides(in[1], nd, &rs)
		dims := outDims(z)
		n := dims[nd-1]
		if n == 0 || len(o) == 0 {
			return nil
		}
		li, ri := ls[nd-1], rs[nd-1]
		var idx dimArray
		lo, ro := 0, 0
		for r := range len(o) / n {
			dst := o[r*n : (r+1)*n]
			switch {
			case li == 1 && ri == 1:
				vec(dst, x[lo:lo+n], y[ro:ro+n])
			case li == 1:
				b := y[ro]
				for j, a := range x[lo : lo+n] {
					dst[j] = g(a, b)
				}
			case ri == 1:
				a := x[lo]
				for j, b := range y[ro : ro+n] {
					dst[j] = g(a, b)
				}
			default:
				v := g(x[lo], y[ro])
				for j := range dst {
					dst[j] = v
				}
			}
			for d := nd - 2; d >= 0; d-- {
				idx[d]++
				lo += ls[d]
				ro += rs[d]
				if idx[d] < dims[d] {
					break
				}
				lo -= ls[d] * dims[d]
				ro -= rs[d] * dims[d]
				idx[d] = 0
			}
		}
		return nil
	}
}
