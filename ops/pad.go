package ops

import (
	"fmt"
	"math"
)

// maxDim bounds a dim computed from attributes, so that sums of dims and
// widths cannot overflow an int (the tensor layer bounds the element count).
const maxDim = math.MaxInt >> 2

// Pad modes.
const (
	PadConstant = iota
	PadEdge
	PadReflect
)

// PadParam is Pad's parameters [src/operator/pad-inl.h].
type PadParam struct {
	Mode          int     `mx:"mode" required:"" enum:"constant,edge,reflect"`
	PadWidth      []int   `mx:"pad_width" required:""`
	ConstantValue float64 `mx:"constant_value" default:"0"`
}

func init() {
	Register(&Op{
		Name:        "Pad",
		Aliases:     []string{"pad"},
		Params:      NewParams[PadParam](),
		OutputNames: outputNames("output"),
		InferShape:  padShape,
		InferType:   SameType,
		Supports:    float32Kernel,
		Forward:     padForward,
		Backward:    padBackward,
	})
}

// padShape follows PadProp::InferShape: 4-D or 5-D data, pad_width of
// length 2·ndim with zeros for the batch and channel axes, and (reflect)
// widths smaller than the padded axis. Negative widths, which MXNet's
// kernels cannot handle, are rejected too.
func padShape(params any, in, out []Shape) error {
	p := params.(*PadParam)
	for i, v := range p.PadWidth {
		if v < 0 {
			return fmt.Errorf("pad_width %v: element %d is negative", p.PadWidth, i)
		}
	}
	d := in[0]
	if d == nil {
		return nil
	}
	if len(d) != 4 && len(d) != 5 {
		return fmt.Errorf("data %s: Pad supports only 4-D or 5-D input", ShapeString(d))
	}
	pw := p.PadWidth
	if len(pw) != 2*len(d) {
		return fmt.Errorf("pad_width %v must have %d elements (before and after each of the %d axes)", pw, 2*len(d), len(d))
	}
	if pw[0] != 0 || pw[1] != 0 || pw[2] != 0 || pw[3] != 0 {
		return fmt.Errorf("pad_width %v: padding of the first two axes must be zero", pw)
	}
	o := make(Shape, len(d))
	for i, n := range d {
		if n < 0 {
			o[i] = -1
			continue
		}
		if p.Mode == PadReflect && i >= 2 && (pw[2*i] >= n || pw[2*i+1] >= n) {
			return fmt.Errorf("pad_width %v: reflect padding of axis %d must be smaller than its size %d", pw, i, n)
		}
		if pw[2*i] > maxDim-n || pw[2*i+1] > maxDim-n-pw[2*i] {
			return fmt.Errorf("pad_width %v: axis %d of size %d overflows", pw, i, n)
		}
		o[i] = n + pw[2*i] + pw[2*i+1]
	}
	return assignShape(&out[0], o, "output")
}
