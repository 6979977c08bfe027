package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// boolBinary are the numpy comparisons by the scalarBinary key of their
// legacy form (mshadow_op::np_equal, ...).
var boolBinary = map[string]func(a, b float32) bool{
	"equal":         func(a, b float32) bool { return a == b },
	"not_equal":     func(a, b float32) bool { return a != b },
	"greater":       func(a, b float32) bool { return a > b },
	"greater_equal": func(a, b float32) bool { return a >= b },
	"lesser":        func(a, b float32) bool { return a < b },
	"lesser_equal":  func(a, b float32) bool { return a <= b },
}

// boolBinary64 are the same comparisons on float64 operands (the inputs
// other than float32).
var boolBinary64 = map[string]func(a, b float64) bool{
	"equal":         func(a, b float64) bool { return a == b },
	"not_equal":     func(a, b float64) bool { return a != b },
	"greater":       func(a, b float64) bool { return a > b },
	"greater_equal": func(a, b float64) bool { return a >= b },
	"lesser":        func(a, b float64) bool { return a < b },
	"lesser_equal":  func(a, b float64) bool { return a <= b },
}

// boolUnary are the numpy predicates (mshadow_op::np_logical_not, isnan,
// ...), on the input converted exactly to float64.
var boolUnary = map[string]func(a float64) bool{
	"logical_not": func(a float64) bool { return a == 0 },
	"isnan":       math.IsNaN,
	"isinf":       func(a float64) bool { return math.IsInf(a, 0) },
	"isposinf":    func(a float64) bool { return math.IsInf(a, 1) },
	"isneginf":    func(a float64) bool { return math.IsInf(a, -1) },
	"isfinite":    func(a float64) bool { return !math.IsInf(a, 0) && !math.IsNaN(a) },
}

// boolOpInput reports whether t's dtype is one the bool-output kernels
// read: float32 on the fast path, and the dtypes float64 holds exactly
// (float64, bool, int8, uint8, int32) element by element, as MXNet's masks
// chain (logical_not of a comparison's bool output).
func boolOpInput(op string, i int, t *tensor.Tensor) error {
	switch t.DType() {
	case tensor.Float32, tensor.Float64, tensor.Bool, tensor.Int8, tensor.Uint8, tensor.Int32:
		return nil
	}
	return fmt.Errorf("%s: input %d is %s; float32, float64, bool, int8, uint8 and int32 are supported", op, i, t.DType())
}

// boolOutput checks the inputs and returns the bool output's elements.
func boolOutput(op string, in, out []*tensor.Tensor) ([]bool, error) {
	for i, t := range in {
		if err := boolOpInput(op, i, t); err != nil {
			return nil, err
		}
	}
	return tensor.Data[bool](out[0])
}

// walkBroadcast visits the output of a broadcast of a against b row by
// row (as broadcastForward does: collapsed dims, last dim innermost),
// calling row(off, n, lo, li, ro, ri) for the n outputs from offset off
// whose operands are a[lo + j·li] and b[ro + j·ri]. The output must be
// non-empty.
func walkBroadcast(a, b, z *tensor.Tensor, row func(off, n, lo, li, ro, ri int)) {
	nd := z.NDim()
	if nd == 0 {
		row(0, 1, 0, 0, 0, 0)
		return
	}
	var ls, rs dimArray
	broadcastStrides(a, nd, &ls)
	broadcastStrides(b, nd, &rs)
	dims := outDims(z)
	nd = collapseDims(nd, &dims, &ls, &rs)
	n := dims[nd-1]
	li, ri := ls[nd-1], rs[nd-1]
	var idx dimArray
	lo, ro := 0, 0
	for r := range z.Len() / n {
		row(r*n, n, lo, li, ro, ri)
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
}

// compareBoolForward broadcasts lhs against rhs and writes the comparison
// as bool.
func compareBoolForward(name, fn string) Kernel {
	g := boolBinary[fn]
	g64 := boolBinary64[fn]
	if g == nil || g64 == nil {
		panic("ops: no bool comparison " + fn)
	}
	return func(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
		o, err := boolOutput(name, in, out)
		if err != nil {
			return err
		}
		if len(o) == 0 {
			return nil
		}
		a, b := in[0], in[1]
		if a.DType() == tensor.Float32 && b.DType() == tensor.Float32 {
			x, y := a.Float32s(), b.Float32s()
			walkBroadcast(a, b, out[0], func(off, n, lo, li, ro, ri int) {
				dst := o[off : off+n]
				for j := range dst {
					dst[j] = g(x[lo+j*li], y[ro+j*ri])
				}
			})
			return nil
		}
		walkBroadcast(a, b, out[0], func(off, n, lo, li, ro, ri int) {
			dst := o[off : off+n]
			for j := range dst {
				dst[j] = g64(a.Float64At(lo+j*li), b.Float64At(ro+j*ri))
			}
		})
		return nil
	}
}

// scalarOperand is the scalar as MXNet compares it with an input of dtype
// dt: DType(alpha) (float32 rounding, bool(alpha), an integer truncated
// toward zero), except that an integer input meets a non-integer scalar
// (is_int false) as a double.
func scalarOperand(dt tensor.DType, p *ScalarParam) float64 {
	switch dt {
	case tensor.Float32:
		return float64(float32(p.Scalar))
	case tensor.Float64:
		return p.Scalar
	case tensor.Bool:
		if p.Scalar != 0 {
			return 1
		}
		return 0
	}
	if p.IsInt {
		return math.Trunc(p.Scalar)
	}
	return p.Scalar
}

// compareScalarBoolForward compares each element with the scalar.
func compareScalarBoolForward(name, fn string) Kernel {
	g := boolBinary[fn]
	g64 := boolBinary64[fn]
	if g == nil || g64 == nil {
		panic("ops: no bool comparison " + fn)
	}
	return func(_ *Ctx, params any, in, out []*tensor.Tensor) error {
		o, err := boolOutput(name, in, out)
		if err != nil {
			return err
		}
		t := in[0]
		s := scalarOperand(t.DType(), params.(*ScalarParam))
		if t.DType() == tensor.Float32 {
			s32 := float32(s)
			for i, v := range t.Float32s()[:len(o)] {
				o[i] = g(v, s32)
			}
			return nil
		}
		for i := range o {
			o[i] = g64(t.Float64At(i), s)
		}
		return nil
	}
}

// predicateBoolForward applies a predicate elementwise.
func predicateBoolForward(name, fn string) Kernel {
	g := boolUnary[fn]
	if g == nil {
		panic("ops: no predicate " + fn)
	}
	return func(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
		o, err := boolOutput(name, in, out)
		if err != nil {
			return err
		}
		t := in[0]
		if t.DType() == tensor.Float32 {
			for i, v := range t.Float32s()[:len(o)] {
				o[i] = g(float64(v))
			}
			return nil
		}
		for i := range o {
			o[i] = g(t.Float64At(i))
		}
		return nil
	}
}
