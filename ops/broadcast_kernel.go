package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/asm"

	"github.com/mxgo/mxgo/tensor"
)

// scalarBinary are the per-element forms of binaryFuncs.
var scalarBinary = map[string]func(a, b float32) float32{
	"add":     func(a, b float32) float32 { return a + b },
	"sub":     func(a, b float32) float32 { return a - b },
	"mul":     func(a, b float32) float32 { return a * b },
	"div":     func(a, b float32) float32 { return a / b },
	"power":   func(a, b float32) float32 { return float32(math.Pow(float64(a), float64(b))) },
	"maximum": maximum32,
	"minimum": minimum32,

	"mod":           mod32,
	"hypot":         hypot32,
	"copysign":      copysign32,
	"arctan2":       arctan232,
	"ldexp":         ldexp32,
	"equal":         func(a, b float32) float32 { return b2f(a == b) },
	"not_equal":     func(a, b float32) float32 { return b2f(a != b) },
	"greater":       func(a, b float32) float32 { return b2f(a > b) },
	"greater_equal": func(a, b float32) float32 { return b2f(a >= b) },
	"lesser":        func(a, b float32) float32 { return b2f(a < b) },
	"lesser_equal":  func(a, b float32) float32 { return b2f(a <= b) },
	"logical_and":   func(a, b float32) float32 { return b2f(a != 0 && b != 0) },
	"logical_or":    func(a, b float32) float32 { return b2f(a != 0 || b != 0) },
	"logical_xor":   func(a, b float32) float32 { return b2f((a != 0) != (b != 0)) },
}

// vecBinary returns the slice form of op: its vector kernel when
// binaryFuncs has one, else a loop over the per-element form.
func vecBinary(op string) binaryFunc {
	if f := binaryFuncs[op]; f != nil {
		return f
	}
	if f := compareVec[op]; f != nil {
		return f
	}
	if g := scalarBinary[op]; g != nil {
		return zipBinary(g)
	}
	return nil
}

// rowScalarFunc computes dst[j] = op(x[j], s) (rhs repeated) or op(s, x[j])
// (lhs repeated), for broadcast rows where one side is one element.
type rowScalarFunc func(dst, x []float32, s float32)

// rowScalarRHS and rowScalarLHS are the row forms of binaryFuncs with the
// rhs or the lhs repeated; the asm kernels give the same results as the
// per-element expressions (x − s is x + (−s), −1·x + s rounds once).
var (
	rowScalarRHS = map[string]rowScalarFunc{
		"add": asm.AddScalar,
		"sub": func(dst, x []float32, s float32) { asm.AddScalar(dst, x, -s) },
		"mul": asm.Scale,

		"equal": compareScalar["equal"], "not_equal": compareScalar["not_equal"],
		"greater": compareScalar["greater"], "greater_equal": compareScalar["greater_equal"],
		"lesser": compareScalar["lesser"], "lesser_equal": compareScalar["lesser_equal"],
	}
	// With the lhs repeated, s > x[j] is x[j] < s (false for NaN alike).
	rowScalarLHS = map[string]rowScalarFunc{
		"add": asm.AddScalar,
		"sub": func(dst, x []float32, s float32) { asm.Affine(dst, x, -1, s) },
		"mul": asm.Scale,

		"equal": compareScalar["equal"], "not_equal": compareScalar["not_equal"],
		"greater": compareScalar["lesser"], "greater_equal": compareScalar["lesser_equal"],
		"lesser": compareScalar["greater"], "lesser_equal": compareScalar["greater_equal"],
	}
)

// rowScalar returns the row function of op with one side repeated: the asm
// form when there is one, else a loop over g.
func rowScalar(op string, rhs bool) rowScalarFunc {
	table := rowScalarLHS
	if rhs {
		table = rowScalarRHS
	}
	if f := table[op]; f != nil {
		return f
	}
	g := scalarBinary[op]
	if rhs {
		return func(dst, x []float32, s float32) {
			x = x[:len(dst)]
			for j, v := range x {
				dst[j] = g(v, s)
			}
		}
	}
	return func(dst, x []float32, s float32) {
		x = x[:len(dst)]
		for j, v := range x {
			dst[j] = g(s, v)
		}
	}
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

// collapseDims drops size-1 dims and merges each dim into the next inner
// one where both operands advance uniformly across the pair (contiguous or
// both repeating), so rows get as long as possible: an (N, C, H, W) + (1,
// C, 1, 1) bias add walks rows of H·W. It rewrites dims and the strides in
// place and returns the new number of dims (>= 1). The output must be
// non-empty.
func collapseDims(nd int, dims, ls, rs *dimArray) int {
	m := -1 // index of the innermost kept dim, counting outward
	var d2, l2, r2 dimArray
	for d := nd - 1; d >= 0; d-- {
		switch {
		case dims[d] == 1:
		case m >= 0 && ls[d] == l2[m]*d2[m] && rs[d] == r2[m]*d2[m]:
			d2[m] *= dims[d]
		default:
			m++
			d2[m], l2[m], r2[m] = dims[d], ls[d], rs[d]
		}
	}
	if m < 0 { // a single element
		dims[0], ls[0], rs[0] = 1, 0, 0
		return 1
	}
	for i := 0; i <= m; i++ {
		dims[i], ls[i], rs[i] = d2[m-i], l2[m-i], r2[m-i]
	}
	return m + 1
}

// broadcastForward applies an elementwise op with NumPy broadcasting: the
// output is walked row by row (last dim); rows where both sides are
// contiguous use the vector kernel, rows where one side repeats one element
// its row-scalar form.
func broadcastForward(name, fn string) Kernel {
	vec, g := vecBinary(fn), scalarBinary[fn]
	withR, withL := rowScalar(fn, true), rowScalar(fn, false)
	if vec == nil || g == nil {
		panic(fmt.Sprintf("ops: no broadcast kernel for %s", fn))
	}
	return func(ctx *Ctx, _ any, in, out []*tensor.Tensor) error {
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
		if len(o) == 0 {
			return nil
		}
		nd = collapseDims(nd, &dims, &ls, &rs)
		n := dims[nd-1]
		li, ri := ls[nd-1], rs[nd-1]
		var idx dimArray
		lo, ro := 0, 0
		cc := cancelCheck{ctx: ctx}
		for r := range len(o) / n {
			// Rows go in chunks of cancelChunk elements with a context
			// check between them. Every row function computes each
			// element on its own, rounded once, in its vector and scalar
			// paths alike, so chunking does not change any result.
			for c0 := 0; c0 < n; c0 += cancelChunk {
				c1 := min(n, c0+cancelChunk)
				if err := cc.tick(c1 - c0); err != nil {
					return err
				}
				dst := o[r*n+c0 : r*n+c1]
				switch {
				case li == 1 && ri == 1:
					vec(dst, x[lo+c0:lo+c1], y[ro+c0:ro+c1])
				case li == 1:
					withR(dst, x[lo+c0:lo+c1], y[ro])
				case ri == 1:
					withL(dst, y[ro+c0:ro+c1], x[lo])
				default:
					v := g(x[lo], y[ro])
					for j := range dst {
						dst[j] = v
					}
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
		return ctx.Err()
	}
}
