package ops

import (
	"errors"
	"fmt"
	"slices"

	"github.com/mxgo/mxgo/tensor"
)

// The NumPy-interface operators that MXNet 2.0's HybridBlock.export writes
// under npx.set_np() (and that MXNet 1.9.1 already registers as separate
// NNVM ops, src/operator/numpy/): they share mxgo's kernels with the legacy
// ops but follow NumPy's shape rules where those differ (a full reduction
// gives a 0-d array, axis=() reduces nothing, concatenate with axis=None
// flattens, reshape knows only -1).

// NumpyReshapeParam is _np_reshape's parameters (NumpyReshapeParam,
// src/operator/numpy/np_matrix_op-inl.h).
type NumpyReshapeParam struct {
	Newshape []int  `mx:"newshape" required:""`
	Order    string `mx:"order" default:"C" enum:"C,F,A"`
}

// NumpyXReshapeParam is _npx_reshape's parameters (NumpyXReshapeParam):
// -1 infers a dim, -2 copies one, -3 drops a dim of size 1, -4 copies the
// rest, -5 merges two dims, -6 splits one into the next two values.
type NumpyXReshapeParam struct {
	Newshape []int  `mx:"newshape" required:""`
	Reverse  bool   `mx:"reverse"`
	Order    string `mx:"order" default:"C" enum:"C,F,A"`
}

// NumpyConcatenateParam is _npi_concatenate's parameters: axis None joins
// the flattened inputs.
type NumpyConcatenateParam struct {
	NumArgs int           `mx:"num_args" required:"" min:"1" max:"65536"`
	Axis    Optional[int] `mx:"axis" default:"0"`

	concat ConcatParam // Concat's parameters for a set axis
}

// NumpyReduceParam is the parameters of _np_sum, _np_max, _np_min and
// _npi_mean (NumpyReduceAxesParam and NumpyReduceAxesNoDTypeParam; the
// latter has no dtype). Axis None reduces everything to a 0-d array, ()
// reduces nothing. MXNet 1.9.1 refuses initial ("not supported yet").
type NumpyReduceParam struct {
	Axis     Optional[[]int]        `mx:"axis"`
	DType    Optional[tensor.DType] `mx:"dtype" enum:"float16,float32,float64,int8,int32,int64,bool"`
	Keepdims bool                   `mx:"keepdims"`
	Initial  Optional[float64]      `mx:"initial"`

	legacy ReduceAxesParam // the same reduction for the shared kernel
}

// npBinary are the NumPy broadcasting binary operators and the legacy
// broadcast op whose kernel they share (same float32 semantics).
var npBinary = []struct{ name, legacy, fn string }{
	{"_npi_add", "broadcast_add", "add"},
	{"_npi_subtract", "broadcast_sub", "sub"},
	{"_npi_multiply", "broadcast_mul", "mul"},
	{"_npi_true_divide", "broadcast_div", "div"},
	{"_npi_power", "broadcast_power", "power"},
}

// npScalar are the NumPy tensor-scalar operators and the legacy scalar op
// whose kernel they share. (_npi_maximum, _npi_minimum and their scalar
// forms are aliases of the legacy ops in MXNet 1.9.1, registered there.)
var npScalar = []struct{ name, legacy string }{
	{"_npi_add_scalar", "_plus_scalar"},
	{"_npi_subtract_scalar", "_minus_scalar"},
	{"_npi_rsubtract_scalar", "_rminus_scalar"},
	{"_npi_multiply_scalar", "_mul_scalar"},
	{"_npi_true_divide_scalar", "_div_scalar"},
	{"_npi_rtrue_divide_scalar", "_rdiv_scalar"},
	{"_npi_power_scalar", "_power_scalar"},
	{"_npi_rpower_scalar", "_rpower_scalar"},
}

func init() {
	inputA := func(any) []string { return []string{"a"} }
	Register(&Op{
		Name:       "_np_reshape",
		Params:     NewParams[NumpyReshapeParam](),
		InputNames: inputA,
		InferShape: npReshapeShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    copyForward,
	})
	Register(&Op{
		Name:       "_npx_reshape",
		Aliases:    []string{"_npi_reshape"},
		Params:     NewParams[NumpyXReshapeParam](),
		InputNames: inputA,
		InferShape: npxReshapeShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    copyForward,
	})
	Register(&Op{
		Name:       "_np_transpose",
		Params:     NewParams[TransposeParam](),
		InputNames: inputA,
		InferShape: transposeShape,
		InferType:  SameType,
		Forward:    transposeForward,
	})
	concatParams := NewParams[NumpyConcatenateParam]()
	Register(&Op{
		Name:   "_npi_concatenate",
		Params: concatParams,
		Parse: func(attrs map[string]string) (any, error) {
			p, err := concatParams.Parse(attrs)
			if err != nil {
				return nil, err
			}
			p.concat = ConcatParam{NumArgs: p.NumArgs, Dim: p.Axis.Value}
			return p, nil
		},
		KeyVarNumArgs: "num_args",
		InputNames: func(params any) []string {
			n := params.(*NumpyConcatenateParam).NumArgs
			names := make([]string, n)
			for i := range names {
				names[i] = fmt.Sprintf("data%d", i)
			}
			return names
		},
		OutputNames: outputNames("out"),
		InferShape:  npConcatenateShape,
		InferType:   SameType,
		Forward:     npConcatenateForward,
	})
	Register(&Op{
		Name:       "_np_copy",
		InputNames: inputA,
		InferShape: sameShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    copyForward,
	})
	reduceParams := NewParams[NumpyReduceParam]()
	parseReduce := func(noDType bool) func(map[string]string) (any, error) {
		return func(attrs map[string]string) (any, error) {
			if _, ok := attrs["dtype"]; ok && noDType {
				return nil, errors.New(`unknown parameter "dtype" (this reduction has none)`)
			}
			p, err := reduceParams.Parse(attrs)
			if err != nil {
				return nil, err
			}
			if p.Initial.Set {
				return nil, errors.New("initial: not supported (MXNet 1.9.1: initial is not supported yet)")
			}
			if p.DType.Set && p.DType.Value != tensor.Float32 {
				return nil, fmt.Errorf("dtype %s: mxgo reduces float32 only", p.DType.Value)
			}
			p.legacy = ReduceAxesParam{Axis: p.Axis, Keepdims: p.Keepdims}
			return p, nil
		}
	}
	for _, r := range []struct {
		name    string
		aliases []string
		kind    reduceKind
		noDType bool
	}{
		{"_np_sum", nil, reduceSum, false},
		{"_npi_mean", nil, reduceMean, false},
		{"_np_max", []string{"_np_amax"}, reduceMax, true},
		{"_np_min", []string{"_np_amin"}, reduceMin, true},
	} {
		Register(&Op{
			Name:       r.name,
			Aliases:    r.aliases,
			Params:     reduceParams,
			Parse:      parseReduce(r.noDType),
			InputNames: inputA,
			InferShape: npReduceShape,
			InferType:  SameType,
			Forward:    npReduceForward(r.name, r.kind),
		})
	}
	for _, b := range npBinary {
		legacy, ok := Lookup(b.legacy)
		if !ok {
			panic("ops: " + b.name + " needs " + b.legacy)
		}
		Register(&Op{
			Name:       b.name,
			InputNames: legacy.InputNames,
			InferShape: legacy.InferShape,
			InferType:  SameType,
			Forward:    broadcastForward(b.name, b.fn),
			Backward:   binaryBackward(b.fn),
		})
	}
	scalarParams := NewParams[ScalarParam]()
	for _, s := range npScalar {
		inferType := scalarType
		if s.name == "_npi_true_divide_scalar" || s.name == "_npi_rtrue_divide_scalar" {
			inferType = trueDivideType
		}
		Register(&Op{
			Name:       s.name,
			Params:     scalarParams,
			InferShape: sameShape,
			InferType:  inferType,
			InPlace:    inPlace00,
			Forward:    scalarForward(s.legacy),
		})
	}
}

// trueDivideType follows TrueDivideType: a floating-point input keeps its
// dtype, any other becomes float32.
func trueDivideType(_ any, in, out []tensor.DType) error {
	if in[0] == UnknownType {
		return nil
	}
	t := in[0]
	if !t.IsFloat() {
		t = tensor.Float32
	}
	return assignType(&out[0], t, "output")
}

// checkOrder refuses a reshape order other than C (row-major), which is
// all MXNet implements.
func checkOrder(order string) error {
	if order != "C" {
		return fmt.Errorf("order %q: only order C is supported", order)
	}
	return nil
}

// npReshapeShape follows NumpyReshapeShape: one -1 is inferred, no other
// negative value is allowed, sizes must agree; the input can be inferred
// back from the output.
func npReshapeShape(params any, in, out []Shape) error {
	p := params.(*NumpyReshapeParam)
	if err := checkOrder(p.Order); err != nil {
		return err
	}
	unknown := false
	for _, d := range p.Newshape {
		if d < 0 {
			if d != -1 {
				return fmt.Errorf("newshape %s: the dim to infer must be -1", ShapeString(p.Newshape))
			}
			if unknown {
				return fmt.Errorf("newshape %s: only one dim can be inferred", ShapeString(p.Newshape))
			}
			unknown = true
		}
	}
	if !ShapeKnown(in[0]) {
		if ShapeKnown(out[0]) && in[0] != nil {
			// The output's size fixes a single unknown input dim.
			s, err := inferOneDim(out[0], in[0])
			if err != nil {
				return err
			}
			return assignShape(&in[0], s, "a")
		}
		return nil
	}
	target, err := inferOneDim(in[0], Shape(p.Newshape))
	if err != nil {
		return err
	}
	return assignShape(&out[0], target, "output")
}

// inferOneDim returns dst with its one -1 dim set so that it has src's
// size, or an error when the sizes cannot agree.
func inferOneDim(src, dst Shape) (Shape, error) {
	size, err := shapeSize(src)
	if err != nil {
		return nil, err
	}
	out := cloneShape(dst)
	prod, unknown := 1, -1
	for i, d := range out {
		if d < 0 {
			if unknown >= 0 {
				return nil, nil
			}
			unknown = i
			continue
		}
		if prod, err = mulDim(prod, d); err != nil {
			return nil, err
		}
	}
	if unknown < 0 {
		if prod != size {
			return nil, fmt.Errorf("cannot reshape array of size %d into shape %s", size, ShapeString(dst))
		}
		return out, nil
	}
	if prod == 0 || size%prod != 0 {
		return nil, fmt.Errorf("cannot reshape array of size %d into shape %s", size, ShapeString(dst))
	}
	out[unknown] = size / prod
	return out, nil
}

// shapeSize is the number of elements of a known shape, or an error when
// it overflows int.
func shapeSize(s Shape) (int, error) {
	n := 1
	for _, d := range s {
		var err error
		if n, err = mulDim(n, d); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// npxReshapeShape follows NumpyXReshapeShape (with reverse: the same rules
// applied to the reversed input and newshape).
func npxReshapeShape(params any, in, out []Shape) error {
	p := params.(*NumpyXReshapeParam)
	if err := checkOrder(p.Order); err != nil {
		return err
	}
	unknown := false
	for _, d := range p.Newshape {
		if d < -6 {
			return fmt.Errorf("newshape %s: dims must be >= -6", ShapeString(p.Newshape))
		}
		if d == -1 {
			if unknown {
				return fmt.Errorf("newshape %s: only one dim can be inferred", ShapeString(p.Newshape))
			}
			unknown = true
		}
	}
	if !ShapeKnown(in[0]) {
		return nil
	}
	src, spec := cloneShape(in[0]), slices.Clone(p.Newshape)
	if p.Reverse {
		slices.Reverse(src)
		slices.Reverse(spec)
	}
	o, err := npxReshapeTarget(src, spec)
	if err != nil {
		return fmt.Errorf("cannot reshape array of shape %s into shape %s, reverse = %v: %w",
			ShapeString(in[0]), ShapeString(p.Newshape), p.Reverse, err)
	}
	if p.Reverse {
		slices.Reverse(o)
	}
	return assignShape(&out[0], o, "output")
}

// npxReshapeTarget is NumpyXReshapeInferShape for a known src.
func npxReshapeTarget(src Shape, spec []int) (Shape, error) {
	size, err := shapeSize(src)
	if err != nil {
		return nil, err
	}
	var out Shape
	unknown, prod, si := -1, 1, 0
	take := func() (int, error) {
		if si >= len(src) {
			return 0, errors.New("newshape consumes more dims than the input has")
		}
		si++
		return src[si-1], nil
	}
	mul := func(d int) error {
		var err error
		prod, err = mulDim(prod, d)
		return err
	}
	for i := 0; i < len(spec); i++ {
		switch d := spec[i]; d {
		case -1:
			unknown = len(out)
			out = append(out, -1)
			si++
		case -2:
			v, err := take()
			if err != nil {
				return nil, err
			}
			if err := mul(v); err != nil {
				return nil, err
			}
			out = append(out, v)
		case -3:
			v, err := take()
			if err != nil {
				return nil, err
			}
			if v != 1 {
				return nil, errors.New("-3 may only skip a dim of size 1")
			}
		case -4:
			for si < len(src) {
				if err := mul(src[si]); err != nil {
					return nil, err
				}
				out = append(out, src[si])
				si++
			}
		case -5:
			if si+1 >= len(src) {
				return nil, errors.New("-5: not enough input dims left for the product")
			}
			v, err := mulDim(src[si], src[si+1])
			if err != nil {
				return nil, err
			}
			si += 2
			if err := mul(v); err != nil {
				return nil, err
			}
			out = append(out, v)
		case -6:
			if i+2 >= len(spec) {
				return nil, errors.New("-6 must be followed by two dims")
			}
			d0, err := take()
			if err != nil {
				return nil, err
			}
			d1, d2 := spec[i+1], spec[i+2]
			i += 2
			if d1 < -1 || d2 < -1 || (d1 == -1 && d2 == -1) {
				return nil, errors.New("-6: the two split dims must be >= 0, at most one -1")
			}
			if d1 == -1 && d2 != 0 {
				d1 = d0 / d2
			}
			if d2 == -1 && d1 != 0 {
				d2 = d0 / d1
			}
			if d1 < 0 || d2 < 0 {
				return nil, fmt.Errorf("split dims %d, %d cannot divide %d", spec[i-1], spec[i], d0)
			}
			if p, err := mulDim(d1, d2); err != nil || p != d0 {
				return nil, fmt.Errorf("split dims %d, %d do not divide original dim %d", d1, d2, d0)
			}
			if err := mul(d0); err != nil {
				return nil, err
			}
			out = append(out, d1, d2)
		default:
			if d < 0 {
				return nil, fmt.Errorf("bad dim %d", d)
			}
			if err := mul(d); err != nil {
				return nil, err
			}
			out = append(out, d)
			si++
		}
	}
	if unknown >= 0 {
		if prod == 0 || size%prod != 0 {
			return nil, errors.New("sizes do not agree")
		}
		out[unknown] = size / prod
	}
	if n, err := shapeSize(out); err != nil || n != size {
		return nil, errors.New("sizes do not agree")
	}
	return out, nil
}

// npConcatenateShape follows NumpyConcatenateShape: with axis None every
// input is flattened and joined along axis 0.
func npConcatenateShape(params any, in, out []Shape) error {
	p := params.(*NumpyConcatenateParam)
	if p.Axis.Set {
		return concatShape(&p.concat, in, out)
	}
	total := 0
	for _, s := range in {
		if !ShapeKnown(s) {
			return nil
		}
		n, err := shapeSize(s)
		if err != nil {
			return err
		}
		if total += n; total < 0 {
			return errors.New("concatenated size overflows")
		}
	}
	return assignShape(&out[0], Shape{total}, "output")
}

// npReduceShape follows NumpyReduceAxesShapeImpl.
func npReduceShape(params any, in, out []Shape) error {
	p := params.(*NumpyReduceParam)
	if !ShapeKnown(in[0]) {
		return nil
	}
	s := in[0]
	var o Shape
	switch {
	case len(s) == 0:
		if p.Axis.Set && len(p.Axis.Value) > 0 {
			if len(p.Axis.Value) != 1 || (p.Axis.Value[0] != 0 && p.Axis.Value[0] != -1) {
				return fmt.Errorf("axis %s out of range for a 0-d input", ShapeString(p.Axis.Value))
			}
		}
		o = Shape{}
	case !p.Axis.Set:
		o = Shape{}
		if p.Keepdims {
			o = onesShape(len(s))
		}
	case len(p.Axis.Value) == 0:
		o = cloneShape(s)
	default:
		axes := make([]int, len(p.Axis.Value))
		for i, a := range p.Axis.Value {
			if a < -len(s) || a >= len(s) {
				return fmt.Errorf("reduction axis %d out of range for %d-d input", a, len(s))
			}
			if a < 0 {
				a += len(s)
			}
			axes[i] = a
		}
		slices.Sort(axes)
		for i := 1; i < len(axes); i++ {
			if axes[i] == axes[i-1] {
				return fmt.Errorf("reduction axes %s have duplicates", ShapeString(p.Axis.Value))
			}
		}
		o = Shape{}
		for i, d := range s {
			switch {
			case !slices.Contains(axes, i):
				o = append(o, d)
			case p.Keepdims:
				o = append(o, 1)
			}
		}
	}
	return assignShape(&out[0], o, "output")
}
