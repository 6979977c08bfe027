package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// The explicit broadcasts of src/operator/tensor/broadcast_reduce_op_value.cc.

// BroadcastAxesParam is broadcast_axis's parameters: each axis (which must
// have size 1) becomes the matching size.
type BroadcastAxesParam struct {
	Axis []int `mx:"axis" default:"()"`
	Size []int `mx:"size" default:"()"`
}

// BroadcastToParam is broadcast_to's parameters; a 0 in shape keeps the
// input's dim.
type BroadcastToParam struct {
	Shape []int `mx:"shape" default:"()"`
}

// BroadcastLikeParam is broadcast_like's parameters.
type BroadcastLikeParam struct {
	LhsAxes Optional[[]int] `mx:"lhs_axes"`
	RhsAxes Optional[[]int] `mx:"rhs_axes"`
}

func init() {
	Register(&Op{
		Name:       "broadcast_axis",
		Aliases:    []string{"broadcast_axes"},
		Params:     NewParams[BroadcastAxesParam](),
		InferShape: broadcastAxisShape,
		InferType:  SameType,
		Forward:    broadcastToForward,
	})
	Register(&Op{
		Name:       "broadcast_to",
		Params:     NewParams[BroadcastToParam](),
		InferShape: broadcastToShape,
		InferType:  SameType,
		Forward:    broadcastToForward,
	})
	Register(&Op{
		// The numpy form: the rank may grow, -2 keeps the input's dim and
		// 0 is a zero-size dim.
		Name:       "_npi_broadcast_to",
		Params:     NewParams[BroadcastToParam](),
		InputNames: func(any) []string { return []string{"array"} },
		InferShape: npBroadcastToShape,
		InferType:  SameType,
		Forward:    broadcastToForward,
	})
	Register(&Op{
		Name:       "broadcast_like",
		Params:     NewParams[BroadcastLikeParam](),
		InputNames: func(any) []string { return []string{"lhs", "rhs"} },
		InferShape: broadcastLikeShape,
		InferType:  firstInputType,
		Forward:    broadcastToForward,
	})
}

// broadcastAxisShape is BroadcastAxesShape. MXNet indexes the shape with
// the axes as given, so a negative axis is an error.
func broadcastAxisShape(params any, in, out []Shape) error {
	p := params.(*BroadcastAxesParam)
	d := in[0]
	if !ShapeKnown(d) {
		return nil
	}
	if len(p.Axis) != len(p.Size) {
		return fmt.Errorf("axis %s and size %s differ in length", ShapeString(p.Axis), ShapeString(p.Size))
	}
	o := cloneShape(d)
	for i, a := range p.Axis {
		if a < 0 || a >= len(d) {
			return fmt.Errorf("axis %d out of range [0, %d)", a, len(d))
		}
		if o[a] != 1 {
			return fmt.Errorf("broadcasting axis %d must have size 1, has %d", a, o[a])
		}
		if p.Size[i] < 0 {
			return fmt.Errorf("size %d for axis %d is negative", p.Size[i], a)
		}
		o[a] = p.Size[i]
	}
	if err := checkSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}

// broadcastToShape is BroadcastToShape: same rank; each target dim equals
// the input's, or the input's is 1; a target 0 keeps the input's dim.
func broadcastToShape(params any, in, out []Shape) error {
	shape := params.(*BroadcastToParam).Shape
	d := in[0]
	if !ShapeKnown(d) {
		return nil
	}
	if len(d) != len(shape) {
		return fmt.Errorf("operand of shape %s cannot be broadcast to %s", ShapeString(d), ShapeString(shape))
	}
	o := cloneShape(shape)
	for i := range d {
		switch {
		case o[i] == 0:
			o[i] = d[i]
		case o[i] < 0 || (d[i] != o[i] && d[i] != 1):
			return fmt.Errorf("array cannot be broadcast from %s to %s", ShapeString(d), ShapeString(shape))
		}
	}
	if err := checkSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}

// npBroadcastToShape is NumpyBroadcastToShape: the input's dims align
// with the end of shape; each equals the target or is 1; a target -2 takes
// the input's dim.
func npBroadcastToShape(params any, in, out []Shape) error {
	shape := params.(*BroadcastToParam).Shape
	d := in[0]
	if !ShapeKnown(d) {
		return nil
	}
	if len(d) > len(shape) {
		return fmt.Errorf("shape %s is not broadcastable to %s", ShapeString(d), ShapeString(shape))
	}
	o := cloneShape(shape)
	for i := len(o) - 1; i >= 0; i-- {
		j := i - len(o) + len(d)
		if j < 0 {
			break
		}
		if o[i] == -2 {
			o[i] = d[j]
		}
		if d[j] != o[i] && d[j] != 1 {
			return fmt.Errorf("shape %s is not broadcastable to %s", ShapeString(d), ShapeString(shape))
		}
	}
	for _, v := range o {
		if v < 0 {
			return fmt.Errorf("the target shape %s for broadcasting must be known", ShapeString(shape))
		}
	}
	if err := checkSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}

// broadcastLikeShape is BroadcastLikeShape: lhs broadcast to rhs's shape,
// or, with lhs_axes and rhs_axes, each listed lhs axis (of size 1) takes
// the size of the matching rhs axis.
func broadcastLikeShape(params any, in, out []Shape) error {
	p := params.(*BroadcastLikeParam)
	l, r := in[0], in[1]
	if !ShapeKnown(l) || !ShapeKnown(r) {
		return nil
	}
	var o Shape
	if !p.LhsAxes.Set || !p.RhsAxes.Set {
		if len(l) != len(r) {
			return fmt.Errorf("operand of shape %s cannot be broadcast to %s", ShapeString(l), ShapeString(r))
		}
		for i := range l {
			if l[i] != r[i] && l[i] != 1 {
				return fmt.Errorf("array cannot be broadcast from %s to %s", ShapeString(l), ShapeString(r))
			}
		}
		o = cloneShape(r)
	} else {
		la, ra := p.LhsAxes.Value, p.RhsAxes.Value
		if len(la) != len(ra) {
			return fmt.Errorf("lhs_axes %s and rhs_axes %s differ in length", ShapeString(la), ShapeString(ra))
		}
		if len(la) == 0 {
			return fmt.Errorf("empty axes tuple is not allowed")
		}
		o = cloneShape(l)
		for i := range la {
			from, err := normAxis(la[i], len(l), "lhs_axes entry")
			if err != nil {
				return err
			}
			to, err := normAxis(ra[i], len(r), "rhs_axes entry")
			if err != nil {
				return err
			}
			if l[from] != 1 {
				return fmt.Errorf("lhs axis %d has size %d, cannot be broadcast to %d", la[i], l[from], r[to])
			}
			o[from] = r[to]
		}
	}
	return assignShape(&out[0], o, "output")
}

// broadcastToForward repeats the input along its size-1 axes (and the
// leading axes it lacks) to the output's shape: stride 0 there, any dtype.
func broadcastToForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	x, y := in[0], out[0]
	if x.NDim() > y.NDim() {
		return fmt.Errorf("broadcast: input %s has a higher rank than output %s", x, y)
	}
	var xs, st dimArray
	contiguousStrides(x, &xs)
	lead := y.NDim() - x.NDim()
	for d := lead; d < y.NDim(); d++ {
		switch xd := x.Dim(d - lead); {
		case xd == y.Dim(d):
			st[d] = xs[d-lead]
		case xd == 1:
		default:
			return fmt.Errorf("broadcast: input %s does not broadcast to %s", x, y)
		}
	}
	dims := outDims(y)
	if err := stridedView(y, x, y.NDim(), &dims, &st, 0); err != nil {
		return fmt.Errorf("broadcast: %w", err)
	}
	return nil
}
