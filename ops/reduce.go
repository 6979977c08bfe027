package ops

import (
	"fmt"
	"slices"
)

// ReduceAxesParam is the parameters of sum, mean, max and min
// [src/operator/tensor/broadcast_reduce_op.h].
type ReduceAxesParam struct {
	Axis     Optional[[]int] `mx:"axis"`
	Keepdims bool            `mx:"keepdims"`
	Exclude  bool            `mx:"exclude"`
}

// ReduceAxisParam is the parameters of argmax and argmin.
type ReduceAxisParam struct {
	Axis     Optional[int] `mx:"axis"`
	Keepdims bool          `mx:"keepdims"`
}

func init() {
	reduceAxesParams := NewParams[ReduceAxesParam]()
	for _, r := range []struct {
		name    string
		aliases []string
		kind    reduceKind
	}{
		{"sum", []string{"sum_axis"}, reduceSum},
		{"mean", nil, reduceMean},
		{"max", []string{"max_axis"}, reduceMax},
		{"min", []string{"min_axis"}, reduceMin},
	} {
		Register(&Op{
			Name:    r.name,
			Aliases: r.aliases,
			Params:  reduceAxesParams,
			InferShape: func(params any, in, out []Shape) error {
				if in[0] == nil {
					return nil
				}
				o, err := reduceAxesShape(params.(*ReduceAxesParam), in[0])
				if err != nil {
					return err
				}
				return assignShape(&out[0], o, "output")
			},
			InferType: SameType,
			Forward:   reduceForward(r.name, r.kind),
			Backward:  reduceBackward(r.kind),
		})
	}
	reduceAxis := NewParams[ReduceAxisParam]()
	for _, name := range []string{"argmax", "argmin"} {
		Register(&Op{
			Name:   name,
			Params: reduceAxis,
			InferShape: func(params any, in, out []Shape) error {
				if in[0] == nil {
					return nil
				}
				o, err := reduceAxisShape(params.(*ReduceAxisParam), in[0])
				if err != nil {
					return err
				}
				return assignShape(&out[0], o, "output")
			},
			InferType: SameType,
			Forward:   argForward(name, name == "argmax"),
		})
	}
}

// reduceAxes returns the sorted, non-negative axes a reduction over p.Axis
// covers for an ndim-d input (nil when every axis is reduced), honouring
// exclude.
func reduceAxes(p *ReduceAxesParam, ndim int) ([]int, error) {
	if !p.Axis.Set || len(p.Axis.Value) == 0 {
		return nil, nil
	}
	axes := slices.Clone(p.Axis.Value)
	for i := range axes {
		if axes[i] < 0 {
			axes[i] += ndim
		}
	}
	slices.Sort(axes)
	for i := 1; i < len(axes); i++ {
		if axes[i-1] == axes[i] {
			return nil, fmt.Errorf("reduction axes %s have duplicates", ShapeString(p.Axis.Value))
		}
	}
	if axes[0] < 0 || axes[len(axes)-1] >= ndim {
		return nil, fmt.Errorf("reduction axes %s exceed %d input dims", ShapeString(p.Axis.Value), ndim)
	}
	if !p.Exclude {
		return axes, nil
	}
	var rest []int
	for i := 0; i < ndim; i++ {
		if !slices.Contains(axes, i) {
			rest = append(rest, i)
		}
	}
	return rest, nil
}

// reduceAxesShape follows ReduceAxesShapeImpl: the reduced axes are
// removed (set to 1 with keepdims); reducing everything gives (1,), or all
// ones with keepdims. The result has at least one dim.
func reduceAxesShape(p *ReduceAxesParam, in Shape) (Shape, error) {
	if !p.Axis.Set || len(p.Axis.Value) == 0 {
		if p.Keepdims {
			return onesShape(len(in)), nil
		}
		return Shape{1}, nil
	}
	axes, err := reduceAxes(&ReduceAxesParam{Axis: p.Axis}, len(in))
	if err != nil {
		return nil, err
	}
	var out Shape
	for i, d := range in {
		reduced := slices.Contains(axes, i) != p.Exclude
		switch {
		case !reduced:
			out = append(out, d)
		case p.Keepdims:
			out = append(out, 1)
		}
	}
	if len(out) == 0 {
		out = Shape{1}
	}
	return out, nil
}

func onesShape(n int) Shape {
	s := make(Shape, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

// reduceAxisShape follows ReduceAxisShapeImpl (argmax/argmin).
func reduceAxisShape(p *ReduceAxisParam, in Shape) (Shape, error) {
	if !p.Axis.Set || len(in) == 1 {
		if p.Keepdims {
			return onesShape(len(in)), nil
		}
		return Shape{1}, nil
	}
	a, err := normAxis(p.Axis.Value, len(in), "axis")
	if err != nil {
		return nil, err
	}
	if p.Keepdims {
		out := cloneShape(in)
		out[a] = 1
		return out, nil
	}
	return append(cloneShape(in[:a]), in[a+1:]...), nil
}
