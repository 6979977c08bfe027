package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// arangeForward is RangeCompute: out[i] = start + (i / repeat) · step,
// evaluated in the output dtype (start and step converted to it first; for
// unsigned dtypes through an integer, as MXNet does). For float32 the
// product and the sum are each rounded to float32.
func arangeForward(_ *Ctx, params any, _, out []*tensor.Tensor) error {
	p := params.(*ArangeParam)
	y := out[0]
	rep := p.Repeat
	switch y.DType() {
	case tensor.Float32:
		d := y.Float32s()
		start, step := float32(p.Start), float32(p.Step)
		for i := range d {
			d[i] = start + float32(i/rep)*step
		}
	case tensor.Float64:
		for i := range y.Len() {
			y.SetFloat64At(i, p.Start+float64(i/rep)*p.Step)
		}
	case tensor.Float16, tensor.BFloat16:
		// half_t operators compute in float32 and round the result to
		// the 16-bit type: half(start + half(float(i/repeat) · step)).
		start, step := float32(roundTo(y, 0, p.Start)), float32(roundTo(y, 0, p.Step))
		for i := range y.Len() {
			v := float32(roundTo(y, i, float64(float32(i/rep)*step)))
			y.SetFloat64At(i, float64(start+v))
		}
	default: // integers: C casts truncate, arithmetic wraps in the type
		start, step := int64(p.Start), int64(p.Step)
		for i := range y.Len() {
			y.SetFloat64At(i, float64(start+int64(i/rep)*step))
		}
	}
	return nil
}

// roundTo stores v in element i of t and reads it back (t's rounding).
func roundTo(t *tensor.Tensor, i int, v float64) float64 {
	t.SetFloat64At(i, v)
	return t.Float64At(i)
}

// shapeArrayForward writes the input's dims as int64.
func shapeArrayForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	x, y := in[0], out[0]
	if y.DType() != tensor.Int64 || y.Len() != x.NDim() {
		return fmt.Errorf("shape_array: output %s for input %s", y, x)
	}
	for i := range x.NDim() {
		y.SetFloat64At(i, float64(x.Dim(i)))
	}
	return nil
}

// sizeArrayForward writes the input's element count as int64.
func sizeArrayForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	y := out[0]
	if y.DType() != tensor.Int64 || y.Len() != 1 {
		return fmt.Errorf("size_array: output %s", y)
	}
	y.SetFloat64At(0, float64(in[0].Len()))
	return nil
}

// oneHotForward is OneHotOpForward: every output is off_value, then for
// each index i with j = (int64)indices[i] (truncated toward zero) in
// [0, depth), out[i·depth + j] = on_value. NaN and out-of-range indices
// set nothing.
func oneHotForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*OneHotParam)
	x, y := in[0], out[0]
	depth := int(p.Depth)
	if y.Len() != x.Len()*depth {
		return fmt.Errorf("one_hot: output %s for indices %s and depth %d", y, x, depth)
	}
	fillTensor(y, p.OffValue)
	if y.Len() == 0 {
		return nil
	}
	on := float32(p.OnValue)
	f32 := y.DType() == tensor.Float32
	var yd []float32
	if f32 {
		yd = y.Float32s()
	}
	for i := range x.Len() {
		v := x.Float64At(i)
		if !(v > -1 && v < float64(depth)) {
			continue
		}
		j := i*depth + int(v)
		if f32 {
			yd[j] = on
		} else {
			y.SetFloat64At(j, p.OnValue)
		}
	}
	return nil
}
