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

// boolUnary are the numpy predicates (mshadow_op::np_logical_not, isnan,
// ...).
var boolUnary = map[string]func(a float32) bool{
	"logical_not": func(a float32) bool { return a == 0 },
	"isnan":       func(a float32) bool { return a != a },
	"isinf":       func(a float32) bool { return math.IsInf(float64(a), 0) },
	"isposinf":    func(a float32) bool { return math.IsInf(float64(a), 1) },
	"isneginf":    func(a float32) bool { return math.IsInf(float64(a), -1) },
	"isfinite":    func(a float32) bool { return !math.IsInf(float64(a), 0) && a == a },
}

// float32ToBool checks the dtypes of the bool-output kernels: float32
// inputs, one bool output.
func float32ToBool(op string, in, out []*tensor.Tensor) ([]bool, error) {
	for i, t := range in {
		if t.DType() != tensor.Float32 {
			return nil, fmt.Errorf("%s: input %d is %s, only float32 is supported", op, i, t.DType())
		}
	}
	return tensor.Data[bool](out[0])
}

// compareBoolForward broadcasts lhs against rhs (as broadcastForward walks
// them: collapsed dims, row by row) and writes the comparison as bool.
func compareBoolForward(name, fn string) Kernel {
	g := boolBinary[fn]
	if g == nil {
		panic("ops: no bool comparison " + fn)
	}
	return func(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
		o, err := float32ToBool(name, in, out)
		if err != nil {
			return err
		}
		z := out[0]
		x, y := in[0].Float32s(), in[1].Float32s()
		nd := z.NDim()
		if len(o) == 0 {
			return nil
		}
		if nd == 0 {
			o[0] = g(x[0], y[0])
			return nil
		}
		var ls, rs dimArray
		broadcastStrides(in[0], nd, &ls)
		broadcastStrides(in[1], nd, &rs)
		dims := outDims(z)
		nd = collapseDims(nd, &dims, &ls, &rs)
		n := dims[nd-1]
		li, ri := ls[nd-1], rs[nd-1]
		var idx dimArray
		lo, ro := 0, 0
		for r := range len(o) / n {
			dst := o[r*n : (r+1)*n]
			for j := range dst {
				dst[j] = g(x[lo+j*li], y[ro+j*ri])
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

// compareScalarBoolForward compares each element with the scalar rounded
// to float32 (DType(alpha)).
func compareScalarBoolForward(name, fn string) Kernel {
	g := boolBinary[fn]
	if g == nil {
		panic("ops: no bool comparison " + fn)
	}
	return func(_ *Ctx, params any, in, out []*tensor.Tensor) error {
		o, err := float32ToBool(name, in, out)
		if err != nil {
			return err
		}
		s := float32(params.(*ScalarParam).Scalar)
		x := in[0].Float32s()[:len(o)]
		for i, v := range x {
			o[i] = g(v, s)
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
		o, err := float32ToBool(name, in, out)
		if err != nil {
			return err
		}
		x := in[0].Float32s()[:len(o)]
		for i, v := range x {
			o[i] = g(v)
		}
		return nil
	}
}
