package ops

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/mxgo/mxgo/tensor"
)

// ShapeKnown reports whether s is fully known: not nil and no -1 dims.
func ShapeKnown(s Shape) bool {
	if s == nil {
		return false
	}
	for _, d := range s {
		if d < 0 {
			return false
		}
	}
	return true
}

// ShapeString formats a possibly partial shape for messages as
// tensor.ShapeString does ("(32,100)", "(3,)", "()", "?" for an unknown
// dim), and "?" for an unknown (nil) shape.
func ShapeString(s Shape) string {
	if s == nil {
		return "?"
	}
	return tensor.ShapeString(s)
}

// MergeShape combines two partial descriptions of the same shape. It
// reports false when they contradict each other (different ndim or a known
// dim that differs).
func MergeShape(a, b Shape) (Shape, bool) {
	if a == nil {
		return cloneShape(b), true
	}
	if b == nil {
		return a, true
	}
	if len(a) != len(b) {
		return a, false
	}
	out := cloneShape(a)
	for i := range out {
		switch {
		case out[i] < 0:
			out[i] = b[i]
		case b[i] >= 0 && b[i] != out[i]:
			return a, false
		}
	}
	return out, true
}

func cloneShape(s Shape) Shape {
	if s == nil {
		return nil
	}
	return append(Shape{}, s...)
}

// assignShape merges want into *dst; on a contradiction it returns an error
// "<what> shape <have> does not match expected <want>".
func assignShape(dst *Shape, want Shape, what string) error {
	m, ok := MergeShape(*dst, want)
	if !ok {
		return fmt.Errorf("%s shape %s does not match expected %s", what, ShapeString(*dst), ShapeString(want))
	}
	*dst = m
	return nil
}

// unknownShape returns a shape of ndim unknown dims.
func unknownShape(ndim int) Shape {
	s := make(Shape, ndim)
	for i := range s {
		s[i] = -1
	}
	return s
}

// prod multiplies dims, returning -1 if any is unknown or the product
// overflows int (no tensor can have such a shape, so it stays unknown and
// binding reports it).
func prod(s Shape) int {
	p := 1
	for _, d := range s {
		if d < 0 {
			return -1
		}
		var err error
		if p, err = mulDim(p, d); err != nil {
			return -1
		}
	}
	return p
}

// normAxis maps a possibly negative axis into [0, ndim), or reports an
// error naming the parameter.
func normAxis(axis, ndim int, what string) (int, error) {
	a := axis
	if a < 0 {
		a += ndim
	}
	if a < 0 || a >= ndim {
		return 0, fmt.Errorf("%s %d out of range for %d-d input", what, axis, ndim)
	}
	return a, nil
}

// assignType merges want into *dst (UnknownType is unknown).
func assignType(dst *tensor.DType, want tensor.DType, what string) error {
	switch {
	case want == UnknownType:
	case *dst == UnknownType:
		*dst = want
	case *dst != want:
		return fmt.Errorf("%s dtype %s does not match expected %s", what, *dst, want)
	}
	return nil
}

// SameType is MXNet's ElemwiseType: all inputs and outputs share one
// dtype, taken from whichever is known. It is the InferType of ops that
// leave the field nil.
func SameType(_ any, in, out []tensor.DType) error {
	t := UnknownType
	for _, l := range [][]tensor.DType{in, out} {
		for _, d := range l {
			if d != UnknownType {
				if t == UnknownType {
					t = d
				} else if d != t {
					return fmt.Errorf("dtypes differ: %s and %s", t, d)
				}
			}
		}
	}
	for _, l := range [][]tensor.DType{in, out} {
		for i := range l {
			l[i] = t
		}
	}
	return nil
}

// sameShape is MXNet's ElemwiseShape: all inputs and outputs have one
// shape, merged from every known part.
func sameShape(_ any, in, out []Shape) error {
	var s Shape
	names := func(i int) string {
		if i < len(in) {
			return fmt.Sprintf("input %d", i)
		}
		return fmt.Sprintf("output %d", i-len(in))
	}
	all := append(append([]Shape{}, in...), out...)
	for i, x := range all {
		m, ok := MergeShape(s, x)
		if !ok {
			return fmt.Errorf("%s shape %s does not match %s", names(i), ShapeString(x), ShapeString(s))
		}
		s = m
	}
	for i := range in {
		in[i] = cloneShape(s)
	}
	for i := range out {
		out[i] = cloneShape(s)
	}
	return nil
}

// sameShapeAsInput0 is the shape function of ops whose every output has the
// shape of input 0 (and vice versa), ignoring other inputs.
func sameShapeAsInput0(_ any, in, out []Shape) error {
	return sameShape(nil, in[:1], out)
}

// maxAttrDim bounds the attributes that enter shape arithmetic (kernel,
// stride, dilate, pad, adj, scale): 2^31-1, MXNet's index_t range in its
// default (non-large-tensor) build. Larger values only serve to overflow
// output-size arithmetic.
const maxAttrDim = 1<<31 - 1

// addDim returns a+b for shape arithmetic, or an error when the sum
// overflows int.
func addDim(a, b int) (int, error) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, fmt.Errorf("shape arithmetic overflows: %d + %d", a, b)
	}
	return s, nil
}

// mulDim returns a*b for non-negative shape arithmetic, or an error when
// the product overflows int.
func mulDim(a, b int) (int, error) {
	if a < 0 || b < 0 {
		return 0, fmt.Errorf("shape arithmetic on negative values: %d * %d", a, b)
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi != 0 || lo > math.MaxInt {
		return 0, fmt.Errorf("shape arithmetic overflows: %d * %d", a, b)
	}
	return int(lo), nil
}

// checkRange reports an error unless every entry of v lies in [lo, hi];
// what names the attribute ("stride").
func checkRange(v []int, lo, hi int, what string) error {
	for _, x := range v {
		if x < lo || x > hi {
			if hi == maxAttrDim {
				return fmt.Errorf("%s %s: every entry must be at least %d (and below 2^31)", what, ShapeString(v), lo)
			}
			return fmt.Errorf("%s %s: every entry must be in [%d, %d]", what, ShapeString(v), lo, hi)
		}
	}
	return nil
}

// workspaceSize multiplies the factors of a Workspace length, saturating at
// math.MaxInt on overflow (or a negative factor) so the executor's memory
// limit refuses the plan instead of a wrapped-around size being allocated.
func workspaceSize(factors ...int) int {
	n := 1
	for _, f := range factors {
		var err error
		if n, err = mulDim(n, f); err != nil {
			return math.MaxInt
		}
	}
	return n
}

// oneShare is WorkspaceShares for kernels that use one scratch part
// whatever their thread count.
func oneShare(any, []Shape, int) int { return 1 }

// float32Kernel is Op.Supports for ops whose kernel computes float32 only.
func float32Kernel(_ any, in []tensor.DType) error {
	for i, d := range in {
		if d != tensor.Float32 {
			return fmt.Errorf("input %d is %s; the CPU kernel supports float32 only", i, d)
		}
	}
	return nil
}

// convSupports is Supports for Convolution and Deconvolution: float32
// inputs in a channel-first layout.
func convSupports(params any, in []tensor.DType) error {
	var l Layout
	switch p := params.(type) {
	case *ConvolutionParam:
		l = p.Layout.Value
	case *DeconvolutionParam:
		l = p.Layout.Value
	}
	if l.ChannelLast() {
		return fmt.Errorf("layout %s not supported on CPU (use a channel-first layout)", l)
	}
	return float32Kernel(nil, in)
}

// float32Data is Op.Supports for ops whose kernel computes float32 data
// (input 0) only; other inputs (labels) are not read at inference.
func float32Data(_ any, in []tensor.DType) error {
	if len(in) > 0 && in[0] != tensor.Float32 {
		return fmt.Errorf("data is %s; the CPU kernel supports float32 only", in[0])
	}
	return nil
}
