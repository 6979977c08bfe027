package ops

import (
	"fmt"
	"strconv"
)

// TransposeParam is transpose's parameters.
type TransposeParam struct {
	Axes []int `mx:"axes" default:"()"`
}

// ExpandDimsParam is expand_dims's parameters.
type ExpandDimsParam struct {
	Axis int `mx:"axis" required:""`
}

// SliceParam is slice's parameters [src/operator/tensor/slice-inl.h].
type SliceParam struct {
	Begin []Optional[int] `mx:"begin" required:""`
	End   []Optional[int] `mx:"end" required:""`
	Step  []Optional[int] `mx:"step" default:"()"`
}

// SliceAxisParam is slice_axis's parameters.
type SliceAxisParam struct {
	Axis  int           `mx:"axis" required:""`
	Begin int           `mx:"begin" required:""`
	End   Optional[int] `mx:"end" required:""`
}

// ConcatParam is Concat's parameters [src/operator/nn/concat-inl.h].
type ConcatParam struct {
	NumArgs int `mx:"num_args" required:"" min:"1" max:"65536"`
	Dim     int `mx:"dim" default:"1"`
}

// SliceChannelParam is SliceChannel's (split's) parameters
// [src/operator/slice_channel-inl.h].
type SliceChannelParam struct {
	NumOutputs  int  `mx:"num_outputs" required:"" min:"1" max:"65536"`
	Axis        int  `mx:"axis" default:"1"`
	SqueezeAxis bool `mx:"squeeze_axis"`
}

// ClipParam is clip's parameters.
type ClipParam struct {
	AMin float32 `mx:"a_min" required:""`
	AMax float32 `mx:"a_max" required:""`
}

func init() {
	Register(&Op{
		Name: "transpose",
		PerSample: func(params any, _ []Shape) bool {
			axes := params.(*TransposeParam).Axes
			return len(axes) > 0 && axes[0] == 0
		},
		Params:     NewParams[TransposeParam](),
		InferShape: transposeShape,
		InferType:  SameType,
		Forward:    transposeForward,
		Backward:   transposeBackward,
	})
	Register(&Op{
		Name: "expand_dims",
		PerSample: func(params any, in []Shape) bool {
			return notBatchAxis(params.(*ExpandDimsParam).Axis, firstNDim(in)+1)
		},
		Params:     NewParams[ExpandDimsParam](),
		InferShape: expandDimsShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    copyForward,
		Backward:   copyBackward,
	})
	Register(&Op{
		Name:       "slice",
		Aliases:    []string{"crop", "_npx_slice"},
		Params:     NewParams[SliceParam](),
		InferShape: sliceShape,
		InferType:  SameType,
		Forward:    sliceForward,
		Backward:   sliceBackward,
	})
	Register(&Op{
		Name: "slice_axis",
		PerSample: func(params any, in []Shape) bool {
			return notBatchAxis(params.(*SliceAxisParam).Axis, firstNDim(in))
		},
		Params:     NewParams[SliceAxisParam](),
		InferShape: sliceAxisShape,
		InferType:  SameType,
		Forward:    sliceAxisForward,
		Backward:   sliceAxisBackward,
	})
	Register(&Op{
		Name: "Concat",
		PerSample: func(params any, in []Shape) bool {
			return notBatchAxis(params.(*ConcatParam).Dim, firstNDim(in))
		},
		Aliases:       []string{"concat"},
		Params:        NewParams[ConcatParam](),
		KeyVarNumArgs: "num_args",
		InputNames: func(params any) []string {
			return argNames(params.(*ConcatParam).NumArgs)
		},
		OutputNames: outputNames("output"),
		InferShape:  concatShape,
		InferType:   SameType,
		Forward:     concatForward,
		Backward:    concatBackward,
	})
	Register(&Op{
		Name: "SliceChannel",
		PerSample: func(params any, in []Shape) bool {
			return notBatchAxis(params.(*SliceChannelParam).Axis, firstNDim(in))
		},
		Aliases: []string{"split"},
		Params:  NewParams[SliceChannelParam](),
		NumOutputs: func(params any) int {
			return params.(*SliceChannelParam).NumOutputs
		},
		// output0 ... even for a single output (a legacy OperatorProperty).
		OutputNames: func(_ any, i int) string { return "output" + strconv.Itoa(i) },
		InferShape:  sliceChannelShape,
		InferType:   SameType,
		Forward:     sliceChannelForward,
		Backward:    sliceChannelBackward,
	})
	Register(&Op{
		Name:       "clip",
		PerSample:  perSampleAlways,
		Params:     NewParams[ClipParam](),
		InferShape: sameShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    clipForward,
		Backward:   clipBackward,
	})
}

// argNames returns arg0 ... arg<n-1>, the input names of list-input ops.
func argNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = "arg" + strconv.Itoa(i)
	}
	return names
}

// transposeAxes returns the permutation transpose applies to an ndim-d
// input: axes (negative entries count from the end), or the reversed axes
// when axes is empty. It checks axes is a permutation.
func transposeAxes(axes []int, ndim int) ([]int, error) {
	perm := make([]int, ndim)
	if len(axes) == 0 {
		for i := range perm {
			perm[i] = ndim - 1 - i
		}
		return perm, nil
	}
	if len(axes) != ndim {
		return nil, fmt.Errorf("axes %s do not match a %d-d input", ShapeString(axes), ndim)
	}
	seen := make([]bool, ndim)
	for i, a := range axes {
		n, err := normAxis(a, ndim, "axes entry")
		if err != nil {
			return nil, err
		}
		if seen[n] {
			return nil, fmt.Errorf("axes %s repeat axis %d", ShapeString(axes), n)
		}
		seen[n] = true
		perm[i] = n
	}
	return perm, nil
}

// transposeShape follows TransposeShape in both directions.
func transposeShape(params any, in, out []Shape) error {
	p := params.(*TransposeParam)
	ndim := len(in[0])
	switch {
	case in[0] != nil:
	case out[0] != nil:
		ndim = len(out[0])
	default:
		return nil
	}
	perm, err := transposeAxes(p.Axes, ndim)
	if err != nil {
		return err
	}
	o, i := unknownShape(ndim), unknownShape(ndim)
	for k, a := range perm {
		if in[0] != nil {
			o[k] = in[0][a]
		}
		if out[0] != nil {
			i[a] = out[0][k]
		}
	}
	if err := assignShape(&out[0], o, "output"); err != nil {
		return err
	}
	return assignShape(&in[0], i, "data")
}

// expandDimsShape inserts a 1 at axis (in [-ndim-1, ndim]); the input can
// come back from the output.
func expandDimsShape(params any, in, out []Shape) error {
	axis := params.(*ExpandDimsParam).Axis
	if in[0] == nil {
		if out[0] == nil || len(out[0]) == 0 {
			return nil
		}
		a := axis
		if a < 0 {
			a += len(out[0])
		}
		if a < 0 || a >= len(out[0]) {
			return fmt.Errorf("axis %d out of range for %d-d output", axis, len(out[0]))
		}
		in[0] = append(cloneShape(out[0][:a]), out[0][a+1:]...)
		return nil
	}
	d := in[0]
	a := axis
	if a < 0 {
		a += len(d) + 1
	}
	if a < 0 || a > len(d) {
		return fmt.Errorf("axis %d out of range [%d, %d]", axis, -len(d)-1, len(d))
	}
	o := append(append(cloneShape(d[:a]), 1), d[a:]...)
	if err := assignShape(&out[0], o, "output"); err != nil {
		return err
	}
	return assignShape(&in[0], append(cloneShape(out[0][:a]), out[0][a+1:]...), "data")
}

// sliceRange resolves slice's begin/end/step for one axis of length n
// (GetIndexRange): b is -1 when the slice is empty from the start.
func sliceRange(begin, end, step Optional[int], n int) (b, e, s int, err error) {
	s = step.Get(1)
	if s == 0 {
		return 0, 0, 0, fmt.Errorf("slice step cannot be 0")
	}
	if n <= 0 {
		return 0, 0, s, nil
	}
	if s < 0 {
		b, e = begin.Get(n-1), end.Get(-1)
	} else {
		b, e = begin.Get(0), end.Get(n)
	}
	if b < 0 {
		b += n
	}
	if e < 0 && end.Set {
		e += n
	}
	if b < 0 && s > 0 {
		b = 0
	}
	if b > n-1 && s < 0 {
		b = n - 1
	}
	if b < 0 || b > n-1 {
		b = -1
	}
	e = max(e, -1)
	e = min(e, n)
	return b, e, s, nil
}

// sliceLen is the number of elements a resolved slice selects.
func sliceLen(b, e, s int) int {
	switch {
	case e == b || b < 0:
		return 0
	case s > 0 && e > b:
		return (e-b-1)/s + 1
	case s < 0 && e < b:
		return (b-e-1)/(-s) + 1
	}
	return 0
}

// sliceShape follows SliceOpShape: Python-style slicing of the first
// len(begin) axes.
func sliceShape(params any, in, out []Shape) error {
	p := params.(*SliceParam)
	d := in[0]
	if d == nil {
		return nil
	}
	if len(p.Begin) != len(p.End) {
		return fmt.Errorf("begin and end must have the same length")
	}
	if len(p.Step) > 0 && len(p.Step) != len(p.Begin) {
		return fmt.Errorf("step and begin must have the same length")
	}
	if len(p.Begin) > len(d) {
		return fmt.Errorf("slice of %d axes on a %d-d input", len(p.Begin), len(d))
	}
	o := cloneShape(d)
	for i := range p.Begin {
		var step Optional[int]
		if len(p.Step) > 0 {
			step = p.Step[i]
		}
		b, e, s, err := sliceRange(p.Begin[i], p.End[i], step, d[i])
		if err != nil {
			return err
		}
		if d[i] < 0 {
			o[i] = -1
		} else {
			o[i] = sliceLen(b, e, s)
		}
	}
	return assignShape(&out[0], o, "output")
}

// sliceAxisRange resolves slice_axis on an input dim of size n
// (GetSliceAxisParams).
func sliceAxisRange(p *SliceAxisParam, n int) (b, e int, err error) {
	b, e = p.Begin, -1
	if b < 0 {
		b += n
	}
	if n > 0 {
		e = p.End.Get(n)
		if e < 0 && p.End.Set {
			e += n
		}
		if e > n {
			return 0, 0, fmt.Errorf("invalid end %d for axis size %d", e, n)
		}
		if b >= e {
			return 0, 0, fmt.Errorf("invalid begin %d, end %d", b, e)
		}
	}
	if b < 0 {
		return 0, 0, fmt.Errorf("invalid begin %d", p.Begin)
	}
	return b, e, nil
}

func sliceAxisShape(params any, in, out []Shape) error {
	p := params.(*SliceAxisParam)
	d := in[0]
	if d == nil {
		return nil
	}
	a, err := normAxis(p.Axis, len(d), "axis")
	if err != nil {
		return err
	}
	o := cloneShape(d)
	if d[a] < 0 {
		o[a] = -1
	} else {
		b, e, err := sliceAxisRange(p, d[a])
		if err != nil {
			return err
		}
		o[a] = e - b
	}
	return assignShape(&out[0], o, "output")
}

// concatShape follows ConcatShape: all dims but dim agree; the output's dim
// is the sum. With the output and all inputs but one known along dim, the
// missing one is inferred.
func concatShape(params any, in, out []Shape) error {
	p := params.(*ConcatParam)
	var common Shape
	axis := -1
	sum, unknown, missing := 0, 0, -1
	merge := func(s Shape, what string) error {
		a, err := normAxis(p.Dim, len(s), "dim")
		if err != nil {
			return err
		}
		if axis >= 0 && a != axis {
			return fmt.Errorf("%s shape %s has a different rank", what, ShapeString(s))
		}
		axis = a
		t := cloneShape(s)
		t[a] = -1
		m, ok := MergeShape(common, t)
		if !ok {
			return fmt.Errorf("%s shape %s does not match %s outside dim %d", what, ShapeString(s), ShapeString(common), a)
		}
		common = m
		return nil
	}
	for i, s := range in {
		if s == nil {
			unknown++
			missing = i
			continue
		}
		if len(s) == 0 {
			return fmt.Errorf("zero-dimensional arrays cannot be concatenated")
		}
		if err := merge(s, fmt.Sprintf("input %d", i)); err != nil {
			return err
		}
		if s[axis] < 0 {
			unknown++
			missing = i
		} else {
			var err error
			if sum, err = addDim(sum, s[axis]); err != nil {
				return err
			}
		}
	}
	if out[0] != nil {
		if err := merge(out[0], "output"); err != nil {
			return err
		}
	}
	if common == nil {
		return nil
	}
	for i := range in {
		t := cloneShape(common)
		if in[i] != nil {
			t[axis] = in[i][axis]
		}
		if err := assignShape(&in[i], t, fmt.Sprintf("input %d", i)); err != nil {
			return err
		}
	}
	o := cloneShape(common)
	if unknown == 0 {
		o[axis] = sum
	}
	if err := assignShape(&out[0], o, "output"); err != nil {
		return err
	}
	if unknown == 1 && out[0][axis] >= 0 {
		if rest := out[0][axis] - sum; rest >= 0 {
			in[missing][axis] = rest
		} else {
			return fmt.Errorf("output dim %d is smaller than the sum of the known inputs", out[0][axis])
		}
	}
	return nil
}

// sliceChannelShape follows SliceChannelProp::InferShape: axis is split
// into num_outputs equal parts (removed with squeeze_axis); the input can
// be recovered from an output.
func sliceChannelShape(params any, in, out []Shape) error {
	p := params.(*SliceChannelParam)
	d := in[0]
	if d == nil {
		return nil
	}
	a, err := normAxis(p.Axis, len(d), "axis")
	if err != nil {
		return err
	}
	n := p.NumOutputs
	if d[a] >= 0 && d[a]%n != 0 {
		return fmt.Errorf("cannot split axis %d of %s into %d equal parts", a, ShapeString(d), n)
	}
	if p.SqueezeAxis && d[a] >= 0 && d[a] != n {
		return fmt.Errorf("squeeze_axis needs axis %d of %s to equal num_outputs %d", a, ShapeString(d), n)
	}
	o := cloneShape(d)
	if o[a] >= 0 {
		o[a] /= n
	}
	if p.SqueezeAxis {
		o = append(o[:a], o[a+1:]...)
	}
	for i := range out {
		if err := assignShape(&out[i], o, fmt.Sprintf("output %d", i)); err != nil {
			return err
		}
		back := cloneShape(d)
		if p.SqueezeAxis {
			copy(back[:a], out[i][:a])
			back[a] = n
			copy(back[a+1:], out[i][a:])
		} else {
			copy(back, out[i])
			if out[i][a] >= 0 {
				v, err := mulDim(out[i][a], n)
				if err != nil {
					return err
				}
				back[a] = v
			}
		}
		if err := assignShape(&in[0], back, "data"); err != nil {
			return err
		}
	}
	return nil
}
