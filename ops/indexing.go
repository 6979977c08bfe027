package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// The indexing operators: where [src/operator/tensor/control_flow_op.cc],
// take and gather_nd [indexing_op.cc], pick [broadcast_reduce_op_index.cc].
// Index inputs may have any dtype, as in MXNet; floating indices are
// truncated toward zero.

// Take and pick index modes (TakeParam.Mode, PickParam.Mode).
const (
	TakeRaise = iota
	TakeWrap
	TakeClip
)

// TakeParam is take's parameters.
type TakeParam struct {
	Axis int `mx:"axis" default:"0"`
	Mode int `mx:"mode" default:"clip" enum:"raise,wrap,clip"`
}

// PickParam is pick's parameters; Mode holds TakeWrap or TakeClip.
type PickParam struct {
	Axis     Optional[int] `mx:"axis" default:"-1"`
	Keepdims bool          `mx:"keepdims"`
	Mode     int           `mx:"mode" default:"clip" enum:"wrap=1,clip=2"`
}

// maxGatherDims is gather_nd's limit on indexed dimensions.
const maxGatherDims = 10

func init() {
	Register(&Op{
		Name:       "where",
		InputNames: func(any) []string { return []string{"condition", "x", "y"} },
		InferShape: whereShape,
		InferType:  whereType,
		Forward:    whereForward,
	})
	Register(&Op{
		Name:       "take",
		Aliases:    []string{"_npi_take"},
		Params:     NewParams[TakeParam](),
		InputNames: func(any) []string { return []string{"a", "indices"} },
		InferShape: takeShape,
		InferType:  indexedType,
		Forward:    takeForward,
		Backward:   takeBackward,
	})
	Register(&Op{
		Name:       "pick",
		Aliases:    []string{"choose_element_0index", "_npx_pick"},
		Params:     NewParams[PickParam](),
		InputNames: func(any) []string { return []string{"data", "index"} },
		InferShape: pickShape,
		InferType:  indexedType,
		Forward:    pickForward,
	})
	Register(&Op{
		Name:       "gather_nd",
		Aliases:    []string{"_npi_gather_nd", "_npx_gather_nd"},
		InputNames: func(any) []string { return []string{"data", "indices"} },
		InferShape: gatherNDShape,
		InferType:  firstInputType,
		Forward:    gatherNDForward,
	})
}

// whereShape is WhereOpShape: x, y and the output share a shape; the
// condition has that shape too, or is 1-D with one entry per row (axis 0).
func whereShape(_ any, in, out []Shape) error {
	if !ShapeKnown(in[0]) {
		return nil
	}
	var t Shape
	for i, s := range []Shape{in[1], in[2], out[0]} {
		m, ok := MergeShape(t, s)
		if !ok {
			return fmt.Errorf("x, y and output shapes differ (%s vs %s at %d)", ShapeString(s), ShapeString(t), i)
		}
		t = m
	}
	if t == nil {
		return nil
	}
	in[1], in[2] = cloneShape(t), cloneShape(t)
	out[0] = cloneShape(t)
	c := in[0]
	switch {
	case len(c) == len(t):
		m, ok := MergeShape(t, c)
		if !ok {
			return fmt.Errorf("condition shape %s does not match x %s", ShapeString(c), ShapeString(t))
		}
		in[0], in[1], in[2], out[0] = m, cloneShape(m), cloneShape(m), cloneShape(m)
	case len(c) == 1:
		if len(t) == 0 || (t[0] >= 0 && c[0] != t[0]) {
			return fmt.Errorf("1-D condition %s must have one entry per row of x %s", ShapeString(c), ShapeString(t))
		}
	default:
		return fmt.Errorf("condition shape %s must match x %s or be 1-D", ShapeString(c), ShapeString(t))
	}
	return nil
}

// whereType is WhereOpType: x, y and the output share a dtype; the
// condition may have any.
func whereType(_ any, in, out []tensor.DType) error {
	return SameType(nil, in[1:], out)
}

// indexedType is TakeOpType and PickOpType: the output has the data's
// dtype; the index dtype is free but must be known.
func indexedType(_ any, in, out []tensor.DType) error {
	return firstInputType(nil, in, out)
}

// takeShape is TakeOpShape: the indices' shape replaces the axis.
func takeShape(params any, in, out []Shape) error {
	p := params.(*TakeParam)
	a, idx := in[0], in[1]
	if !ShapeKnown(idx) || a == nil {
		return nil
	}
	ax, err := normAxis(p.Axis, len(a), "axis")
	if err != nil {
		return err
	}
	o := append(append(append(Shape{}, a[:ax]...), idx...), a[ax+1:]...)
	if err := checkSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}

// pickShape is PickOpShape: the axis is reduced (kept as 1 with
// keepdims); the index has the reduced shape (with or without the kept
// axis, following its rank).
func pickShape(params any, in, out []Shape) error {
	p := params.(*PickParam)
	d := in[0]
	if d == nil {
		return nil
	}
	if !p.Axis.Set {
		return fmt.Errorf("axis=None is not supported by pick, specify an axis")
	}
	o, err := reduceAxisShape(&ReduceAxisParam{Axis: p.Axis, Keepdims: p.Keepdims}, d)
	if err != nil {
		return err
	}
	if err := assignShape(&out[0], o, "output"); err != nil {
		return err
	}
	if in[1] == nil {
		return nil
	}
	want, err := reduceAxisShape(&ReduceAxisParam{Axis: p.Axis, Keepdims: len(in[1]) == len(d)}, d)
	if err != nil {
		return err
	}
	return assignShape(&in[1], want, "index")
}

// gatherNDShape is GatherNDShape: indices (M, Y...) address the first M
// axes of the data; the output is (Y..., data[M:]...).
func gatherNDShape(_ any, in, out []Shape) error {
	d, idx := in[0], in[1]
	if d == nil || idx == nil {
		return nil
	}
	if len(idx) < 2 {
		return fmt.Errorf("gather_nd requires an index tensor of at least 2 dims, got %s", ShapeString(idx))
	}
	m := idx[0]
	if m < 0 {
		return nil
	}
	if m > len(d) {
		return fmt.Errorf("%d indices exceed the data's %d dims", m, len(d))
	}
	if m > maxGatherDims {
		return fmt.Errorf("gather_nd indexes at most %d dims, got %d", maxGatherDims, m)
	}
	o := append(append(Shape{}, idx[1:]...), d[m:]...)
	if err := checkSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}
