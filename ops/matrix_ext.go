package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// The shape operators of src/operator/tensor/matrix_op.cc (slice_like,
// tile, repeat, squeeze, stack, reverse), src/operator/swapaxis.cc and
// src/operator/sequence_mask.cc.

// SliceLikeParam is slice_like's parameters.
type SliceLikeParam struct {
	Axes []int `mx:"axes" default:"()"`
}

// TileParam is tile's parameters.
type TileParam struct {
	Reps []int `mx:"reps" required:""`
}

// RepeatParam is repeat's parameters; Axis unset repeats the flattened
// input.
type RepeatParam struct {
	Repeats int           `mx:"repeats" required:""`
	Axis    Optional[int] `mx:"axis"`
}

// SqueezeParam is squeeze's parameters; Axis unset squeezes every size-1
// axis.
type SqueezeParam struct {
	Axis Optional[[]int] `mx:"axis"`
}

// StackParam is stack's parameters.
type StackParam struct {
	Axis    int `mx:"axis" default:"0"`
	NumArgs int `mx:"num_args" required:"" min:"1" max:"65536"`
}

// ReverseParam is reverse's (flip's) parameters.
type ReverseParam struct {
	Axis []int `mx:"axis" required:""`
}

// SwapAxisParam is SwapAxis's parameters [src/operator/swapaxis-inl.h].
type SwapAxisParam struct {
	Dim1 int `mx:"dim1" default:"0"`
	Dim2 int `mx:"dim2" default:"0"`
}

// SequenceMaskParam is SequenceMask's parameters
// [src/operator/sequence_mask-inl.h].
type SequenceMaskParam struct {
	UseSequenceLength bool    `mx:"use_sequence_length"`
	Value             float32 `mx:"value" default:"0"`
	Axis              int     `mx:"axis" default:"0"`
}

// reverseMaxDim is REVERSE_MAX_DIM: reverse takes fewer axes than this.
const reverseMaxDim = 10

func init() {
	Register(&Op{
		Name:       "slice_like",
		Params:     NewParams[SliceLikeParam](),
		InputNames: func(any) []string { return []string{"data", "shape_like"} },
		InferShape: sliceLikeShape,
		InferType:  firstInputType,
		Forward:    sliceLikeForward,
		Backward:   sliceLikeBackward,
	})
	Register(&Op{
		Name:       "tile",
		Aliases:    []string{"_npi_tile"},
		Params:     NewParams[TileParam](),
		InferShape: tileShape,
		InferType:  SameType,
		Forward:    tileForward,
	})
	Register(&Op{
		Name:       "repeat",
		Aliases:    []string{"_np_repeat"},
		Params:     NewParams[RepeatParam](),
		InferShape: repeatShape,
		InferType:  SameType,
		Forward:    repeatForward,
	})
	Register(&Op{
		Name:       "squeeze",
		Params:     NewParams[SqueezeParam](),
		InferShape: squeezeShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    copyForward,
	})
	Register(&Op{
		// _np_squeeze shares squeeze's parameters but follows numpy: all
		// axes may go (a 0-d result) and a 0-d input is accepted.
		Name:   "_np_squeeze",
		Params: NewParams[SqueezeParam](),
		InferShape: func(params any, in, out []Shape) error {
			return squeezeShapeImpl(params.(*SqueezeParam), in, out, true)
		},
		InferType: SameType,
		InPlace:   inPlace00,
		Forward:   copyForward,
	})
	Register(&Op{
		Name:          "stack",
		Aliases:       []string{"_npi_stack"},
		Params:        NewParams[StackParam](),
		KeyVarNumArgs: "num_args",
		InputNames: func(params any) []string {
			return argNames(params.(*StackParam).NumArgs)
		},
		InferShape: stackShape,
		InferType:  SameType,
		Forward:    stackForward,
	})
	Register(&Op{
		Name:       "reverse",
		Aliases:    []string{"flip"},
		Params:     NewParams[ReverseParam](),
		InferShape: reverseShape,
		InferType:  SameType,
		Forward:    reverseForward,
	})
	Register(&Op{
		// The numpy flip: FlipParam is ReverseParam's twin, but axis None
		// flips every axis.
		Name:       "_npi_flip",
		Params:     NewParams[ReverseParam](),
		InferShape: reverseShape,
		InferType:  SameType,
		Forward:    npFlipForward,
	})
	Register(&Op{
		Name:       "SwapAxis",
		Aliases:    []string{"swapaxes", "_npi_swapaxes"},
		Params:     NewParams[SwapAxisParam](),
		InferShape: swapAxisShape,
		InferType:  SameType,
		Forward:    swapAxisForward,
	})
	Register(&Op{
		Name:    "SequenceMask",
		Aliases: []string{"_npx_sequence_mask"},
		Params:  NewParams[SequenceMaskParam](),
		InputNames: func(params any) []string {
			if params.(*SequenceMaskParam).UseSequenceLength {
				return []string{"data", "sequence_length"}
			}
			return []string{"data"}
		},
		InferShape: sequenceMaskShape,
		InferType:  sequenceMaskType,
		InPlace:    inPlace00,
		Forward:    sequenceMaskForward,
	})
}

// checkSize rejects a shape whose element count overflows or that has
// more than tensor.MaxNDim dims.
func checkSize(s Shape) error {
	if !ShapeKnown(s) {
		return nil
	}
	if _, err := tensor.NumElements(s, 1); err != nil {
		return err
	}
	return nil
}

// firstInputType types the output like input 0; the other inputs (shape
// donors, indices) keep any dtype but must be known, as MXNet's
// slice_like/broadcast_like/take/pick type functions require.
func firstInputType(_ any, in, out []tensor.DType) error {
	if err := assignType(&out[0], in[0], "output"); err != nil {
		return err
	}
	return assignType(&in[0], out[0], "data")
}

// sliceLikeShape is SliceLikeShape: the output takes shape_like's size on
// the given axes (all axes when none are given), which must not exceed the
// data's.
func sliceLikeShape(params any, in, out []Shape) error {
	p := params.(*SliceLikeParam)
	d, f := in[0], in[1]
	if !ShapeKnown(d) || !ShapeKnown(f) {
		return nil
	}
	o := cloneShape(d)
	if len(p.Axes) == 0 {
		if len(d) != len(f) {
			return fmt.Errorf("slice_like on all axes needs inputs of equal rank, got %s and %s", ShapeString(d), ShapeString(f))
		}
		copy(o, f)
	} else {
		for _, ax := range p.Axes {
			a := ax
			if a < 0 {
				a += len(d)
			}
			if a < 0 || a >= len(d) {
				return fmt.Errorf("slice axis %d out of range for %d-d data", ax, len(d))
			}
			if a >= len(f) {
				return fmt.Errorf("slice axis %d exceeds the %d-d shape_like input", ax, len(f))
			}
			o[a] = f[a]
		}
	}
	for i := range o {
		if o[i] > d[i] {
			return fmt.Errorf("slice axis %d with size %d exceeds the data's size %d", i, o[i], d[i])
		}
	}
	return assignShape(&out[0], o, "output")
}

// tileShape is TileOpShape: reps is left-padded with 1s (or the data with
// new axes) to a common rank and multiplies the dims. Like MXNet's numpy
// shape mode a zero rep gives a zero-size axis.
func tileShape(params any, in, out []Shape) error {
	reps := params.(*TileParam).Reps
	d := in[0]
	if !ShapeKnown(d) {
		return nil
	}
	for _, r := range reps {
		if r < 0 {
			return fmt.Errorf("reps %s must be non-negative", ShapeString(reps))
		}
	}
	n := max(len(d), len(reps))
	o := make(Shape, n)
	for i := range o {
		a, r := 1, 1
		if j := i - (n - len(d)); j >= 0 {
			a = d[j]
		}
		if j := i - (n - len(reps)); j >= 0 {
			r = reps[j]
		}
		v, err := mulDim(a, r)
		if err != nil {
			return err
		}
		o[i] = v
	}
	if err := checkSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}

// repeatShape is RepeatOpShape: axis multiplied by repeats, or the
// flattened input repeated; repeats 0 gives the empty (0,).
func repeatShape(params any, in, out []Shape) error {
	p := params.(*RepeatParam)
	d := in[0]
	if !ShapeKnown(d) {
		return nil
	}
	if p.Repeats < 0 {
		return fmt.Errorf("repeats %d cannot be negative", p.Repeats)
	}
	var o Shape
	if p.Axis.Set {
		a, err := normAxis(p.Axis.Value, len(d), "axis")
		if err != nil {
			return err
		}
		o = cloneShape(d)
		if o[a], err = mulDim(d[a], p.Repeats); err != nil {
			return err
		}
	} else {
		v, err := mulDim(prod(d), p.Repeats)
		if err != nil {
			return err
		}
		o = Shape{v}
	}
	if p.Repeats == 0 {
		o = Shape{0}
	}
	if err := checkSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}

// squeezeShape is SqueezeShape: the given axes (which must have size 1 and
// not repeat) or every size-1 axis are dropped, keeping at least one dim.
func squeezeShape(params any, in, out []Shape) error {
	return squeezeShapeImpl(params.(*SqueezeParam), in, out, false)
}

// squeezeShapeImpl is SqueezeShape, or NumpySqueezeShape when numpy is
// set.
func squeezeShapeImpl(p *SqueezeParam, in, out []Shape, numpy bool) error {
	d := in[0]
	if !ShapeKnown(d) {
		return nil
	}
	if numpy && len(d) == 0 {
		if p.Axis.Set && (len(p.Axis.Value) != 1 || (p.Axis.Value[0] != 0 && p.Axis.Value[0] != -1)) {
			return fmt.Errorf("axis %s is out of bounds for a 0-d array", ShapeString(p.Axis.Value))
		}
		return assignShape(&out[0], Shape{}, "output")
	}
	drop := make([]bool, len(d))
	if p.Axis.Set {
		for _, ax := range p.Axis.Value {
			a, err := normAxis(ax, len(d), "axis")
			if err != nil {
				return err
			}
			if d[a] != 1 {
				return fmt.Errorf("cannot squeeze axis %d of size %d, only size 1", ax, d[a])
			}
			if drop[a] {
				return fmt.Errorf("duplicate value %d in axis", ax)
			}
			drop[a] = true
		}
	} else {
		for i, v := range d {
			drop[i] = v == 1
		}
	}
	o := Shape{}
	for i, v := range d {
		if !drop[i] {
			o = append(o, v)
		}
	}
	if len(o) == 0 && !numpy {
		o = Shape{1}
	}
	return assignShape(&out[0], o, "output")
}

// stackShape is StackOpShape: every input has one shape; the output
// inserts num_args at axis (in [-ndim-1, ndim]).
func stackShape(params any, in, out []Shape) error {
	p := params.(*StackParam)
	var d Shape
	for i, s := range in {
		m, ok := MergeShape(d, s)
		if !ok {
			return fmt.Errorf("input %d shape %s does not match %s", i, ShapeString(s), ShapeString(d))
		}
		d = m
	}
	if !ShapeKnown(d) {
		return nil
	}
	a, err := normAxis(p.Axis, len(d)+1, "axis")
	if err != nil {
		return err
	}
	o := append(append(append(Shape{}, d[:a]...), p.NumArgs), d[a:]...)
	if err := checkSize(o); err != nil {
		return err
	}
	for i := range in {
		in[i] = cloneShape(d)
	}
	return assignShape(&out[0], o, "output")
}

// reverseAxes checks reverse's axes against an ndim-d input: each in
// [0, ndim) (MXNet indexes the shape with them unnormalised, so negative
// axes fail) and fewer than REVERSE_MAX_DIM of them.
func reverseAxes(axes []int, ndim int) error {
	if len(axes) >= reverseMaxDim {
		return fmt.Errorf("reverse takes fewer than %d axes, got %d", reverseMaxDim, len(axes))
	}
	for _, a := range axes {
		if a < 0 || a >= ndim {
			return fmt.Errorf("axis %d out of range [0, %d)", a, ndim)
		}
	}
	return nil
}

func reverseShape(params any, in, out []Shape) error {
	if in[0] != nil {
		if err := reverseAxes(params.(*ReverseParam).Axis, len(in[0])); err != nil {
			return err
		}
	}
	return sameShape(nil, in, out)
}

// swapAxes normalises SwapAxis's dim1 and dim2 for an ndim-d input.
func swapAxes(p *SwapAxisParam, ndim int) (a1, a2 int, err error) {
	if a1, err = normAxis(p.Dim1, ndim, "dim1"); err != nil {
		return 0, 0, err
	}
	if a2, err = normAxis(p.Dim2, ndim, "dim2"); err != nil {
		return 0, 0, err
	}
	return a1, a2, nil
}

func swapAxisShape(params any, in, out []Shape) error {
	d := in[0]
	if d == nil {
		return nil
	}
	a1, a2, err := swapAxes(params.(*SwapAxisParam), len(d))
	if err != nil {
		return err
	}
	o := cloneShape(d)
	o[a1], o[a2] = o[a2], o[a1]
	return assignShape(&out[0], o, "output")
}

// sequenceMaskShape is SequenceMaskProp::InferShape: data of rank >= 2,
// axis 0 (time, batch, ...) or 1 (batch, time, ...); sequence_length has
// one entry per batch item.
func sequenceMaskShape(params any, in, out []Shape) error {
	p := params.(*SequenceMaskParam)
	if p.Axis != 0 && p.Axis != 1 {
		return fmt.Errorf("axis %d not supported, only 0 or 1", p.Axis)
	}
	d := in[0]
	if d == nil {
		return nil
	}
	if len(d) < 2 {
		return fmt.Errorf("data %s must have rank 2 or more", ShapeString(d))
	}
	if p.UseSequenceLength {
		if err := assignShape(&in[1], Shape{d[1-p.Axis]}, "sequence_length"); err != nil {
			return err
		}
	}
	return assignShape(&out[0], d, "output")
}

// sequenceMaskType: the output has the data's dtype; sequence_length may
// have any (it defaults to the data's).
func sequenceMaskType(_ any, in, out []tensor.DType) error {
	if in[0] == UnknownType {
		return nil
	}
	for i := range in {
		if in[i] == UnknownType {
			in[i] = in[0]
		}
	}
	return assignType(&out[0], in[0], "output")
}
