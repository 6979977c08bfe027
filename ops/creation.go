package ops

import (
	"errors"
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// InitParam is the parameters of _zeros and _ones (InitOpParam,
// src/operator/tensor/init_op.h). MXNet's free-form ctx string (the device
// of an imperative call) is accepted with any value and ignored, as by
// every creation op here.
type InitParam struct {
	Shape []int        `mx:"shape" default:"()"`
	DType tensor.DType `mx:"dtype" default:"float32" enum:"float32,float64,float16,bfloat16,uint8,int8,int32,int64,bool"`
}

// ZerosWithoutDTypeParam is _zeros_without_dtype's parameters
// (InitOpWithoutDTypeParam): dtype is a plain dtype flag, -1 for none.
type ZerosWithoutDTypeParam struct {
	Shape []int `mx:"shape" default:"()"`
	DType int   `mx:"dtype" default:"-1"`
}

// FullParam is _full's parameters (InitOpWithScalarParam).
type FullParam struct {
	InitParam
	Value float64 `mx:"value" required:""`
}

// ArangeParam is _arange's parameters (RangeParam). Without infer_range an
// absent stop means the range [0, start) (RangeParamParser).
type ArangeParam struct {
	Start      float64           `mx:"start" required:""`
	Stop       Optional[float64] `mx:"stop"`
	Step       float64           `mx:"step" default:"1"`
	Repeat     int               `mx:"repeat" default:"1"`
	InferRange bool              `mx:"infer_range"`
	DType      tensor.DType      `mx:"dtype" default:"float32" enum:"float32,float64,float16,bfloat16,uint8,int8,int32,int64"`
}

// OneHotParam is one_hot's parameters (src/operator/tensor/indexing_op.h).
type OneHotParam struct {
	Depth    int64        `mx:"depth" required:""`
	OnValue  float64      `mx:"on_value" default:"1"`
	OffValue float64      `mx:"off_value" default:"0"`
	DType    tensor.DType `mx:"dtype" default:"float32" enum:"float32,float64,float16,bfloat16,uint8,int8,int32,int64"`
}

// maxInitSize is MXNet's bound on a created tensor without
// USE_INT64_TENSOR_SIZE (the PyPI build): fewer than 2^31 - 1 elements.
const maxInitSize = 1<<31 - 1

// The parsers are built in init: package variables of this file are
// initialized before params.go's (file order), which NewParams needs.
var (
	initParams   *Params[InitParam]
	fullParams   *Params[FullParam]
	arangeParams *Params[ArangeParam]
	oneHotParams *Params[OneHotParam]

	zerosNoDTypeParams *Params[ZerosWithoutDTypeParam]
)

func noInputs(any) []string { return []string{} }

func init() {
	initParams = NewParams[InitParam]()
	fullParams = NewParams[FullParam]()
	arangeParams = NewParams[ArangeParam]()
	oneHotParams = NewParams[OneHotParam]()
	zerosNoDTypeParams = NewParams[ZerosWithoutDTypeParam]()
	// _npi_zeros and _npi_ones are separate registrations in MXNet 1.9.1
	// (np_init_op.cc) with the same parameters, shape, type and kernel, so
	// they keep their own names in symbol JSON.
	for _, c := range []struct {
		name  string
		value float64
	}{{"_zeros", 0}, {"_npi_zeros", 0}, {"_ones", 1}, {"_npi_ones", 1}} {
		v := c.value
		Register(&Op{
			Name:       c.name,
			Params:     initParams,
			Parse:      parseInit,
			InputNames: noInputs,
			InferShape: func(params any, _, out []Shape) error {
				return initShape(params.(*InitParam).Shape, out)
			},
			InferType: func(params any, _, out []tensor.DType) error {
				return assignType(&out[0], params.(*InitParam).DType, "output")
			},
			Forward: func(_ *Ctx, _ any, _, out []*tensor.Tensor) error {
				fillTensor(out[0], v)
				return nil
			},
		})
	}
	// _zeros_without_dtype: dtype -1 (the default) leaves the output's
	// dtype to inference from its consumers.
	Register(&Op{
		Name:       "_zeros_without_dtype",
		Params:     zerosNoDTypeParams,
		Parse:      parseZerosNoDType,
		InputNames: noInputs,
		InferShape: func(params any, _, out []Shape) error {
			return initShape(params.(*ZerosWithoutDTypeParam).Shape, out)
		},
		InferType: func(params any, _, out []tensor.DType) error {
			if dt := params.(*ZerosWithoutDTypeParam).DType; dt >= 0 {
				return assignType(&out[0], tensor.DType(dt), "output")
			}
			return nil
		},
		Forward: func(_ *Ctx, _ any, _, out []*tensor.Tensor) error {
			fillTensor(out[0], 0)
			return nil
		},
	})
	Register(&Op{
		Name:       "_full",
		Aliases:    []string{"_npi_full"},
		Params:     fullParams,
		Parse:      parseFull,
		InputNames: noInputs,
		InferShape: func(params any, _, out []Shape) error {
			return initShape(params.(*FullParam).Shape, out)
		},
		InferType: func(params any, _, out []tensor.DType) error {
			return assignType(&out[0], params.(*FullParam).DType, "output")
		},
		Forward: func(_ *Ctx, params any, _, out []*tensor.Tensor) error {
			fillTensor(out[0], params.(*FullParam).Value)
			return nil
		},
	})
	Register(&Op{
		Name:       "_arange",
		Params:     arangeParams,
		Parse:      parseArange,
		InputNames: noInputs,
		InferShape: arangeShape,
		InferType:  arangeType,
		Forward:    arangeForward,
	})
	// _npi_arange shares the parser and kernel but not the shape function
	// (NumpyRangeShape): repeat must be 1, stop is required and an empty
	// range is size 0 rather than an error.
	Register(&Op{
		Name:       "_npi_arange",
		Params:     arangeParams,
		Parse:      parseArange,
		InputNames: noInputs,
		InferShape: npArangeShape,
		InferType:  arangeType,
		Forward:    arangeForward,
	})
	Register(&Op{
		Name:       "zeros_like",
		Aliases:    []string{"_sparse_zeros_like"},
		InferShape: sameShape,
		InferType:  SameType,
		Forward: func(_ *Ctx, _ any, _, out []*tensor.Tensor) error {
			fillTensor(out[0], 0)
			return nil
		},
	})
	Register(&Op{
		Name:       "ones_like",
		InferShape: sameShape,
		InferType:  SameType,
		Forward: func(_ *Ctx, _ any, _, out []*tensor.Tensor) error {
			fillTensor(out[0], 1)
			return nil
		},
	})
	Register(&Op{
		Name:    "shape_array",
		Aliases: []string{"_npx_shape_array"},
		InferShape: func(_ any, in, out []Shape) error {
			if in[0] == nil {
				return nil
			}
			return assignShape(&out[0], Shape{len(in[0])}, "output")
		},
		InferType: int64Output,
		Forward:   shapeArrayForward,
	})
	Register(&Op{
		Name: "size_array",
		InferShape: func(_ any, _, out []Shape) error {
			return assignShape(&out[0], Shape{1}, "output")
		},
		InferType: int64Output,
		Forward:   sizeArrayForward,
	})
	Register(&Op{
		Name:       "one_hot",
		Aliases:    []string{"_npx_one_hot"},
		Params:     oneHotParams,
		Parse:      parseOneHot,
		InputNames: func(any) []string { return []string{"indices"} },
		InferShape: oneHotShape,
		InferType: func(params any, in, out []tensor.DType) error {
			return assignType(&out[0], params.(*OneHotParam).DType, "output")
		},
		Forward: oneHotForward,
	})
}

// checkInitShape validates a shape attribute: dims are >= -1 (-1 and, in
// MXNet 1.x semantics, 0 are unknown) and the known part has fewer than
// 2^31 - 1 elements.
func checkInitShape(s []int) error {
	n := 1
	for _, d := range s {
		if d < -1 {
			return fmt.Errorf("shape %v: dimension %d is negative", s, d)
		}
		if d > 0 {
			if d >= maxInitSize || n > maxInitSize/d {
				return fmt.Errorf("shape %s: %d or more elements, MXNet's limit is 2^31-1", ShapeString(s), maxInitSize)
			}
			n *= d
		}
	}
	return nil
}

// withoutCtx returns attrs without the ctx key, which names a device and
// takes any string.
func withoutCtx(attrs map[string]string) map[string]string {
	if _, ok := attrs["ctx"]; !ok {
		return attrs
	}
	m := make(map[string]string, len(attrs))
	for k, v := range attrs {
		if k != "ctx" {
			m[k] = v
		}
	}
	return m
}

func parseInit(attrs map[string]string) (any, error) {
	p, err := initParams.Parse(withoutCtx(attrs))
	if err != nil {
		return nil, err
	}
	return p, checkInitShape(p.Shape)
}

func parseZerosNoDType(attrs map[string]string) (any, error) {
	p, err := zerosNoDTypeParams.Parse(withoutCtx(attrs))
	if err != nil {
		return nil, err
	}
	if p.DType < -1 || p.DType >= int(tensor.NumDTypes) {
		return nil, fmt.Errorf("dtype %d is not a dtype flag", p.DType)
	}
	return p, checkInitShape(p.Shape)
}

func parseFull(attrs map[string]string) (any, error) {
	p, err := fullParams.Parse(withoutCtx(attrs))
	if err != nil {
		return nil, err
	}
	return p, checkInitShape(p.Shape)
}

// initShape is InitShape in MXNet 1.x shape semantics
// (ConvertToNumpyShape): an empty shape is unknown and dims of 0 are
// unknown, to be inferred from the output's consumers. When the output is
// already known and the attribute is not fully known, the attribute is not
// checked against it, as in MXNet.
func initShape(attr []int, out []Shape) error {
	var s Shape
	if len(attr) > 0 {
		s = make(Shape, len(attr))
		for i, d := range attr {
			s[i] = d
			if d == 0 {
				s[i] = -1
			}
		}
	}
	if ShapeKnown(out[0]) && !ShapeKnown(s) {
		return nil
	}
	if s == nil {
		return nil
	}
	return assignShape(&out[0], s, "output")
}

func int64Output(_ any, _, out []tensor.DType) error {
	return assignType(&out[0], tensor.Int64, "output")
}

// fillTensor sets every element of t to v converted to t's dtype.
func fillTensor(t *tensor.Tensor, v float64) {
	if v == 0 {
		clear(t.Bytes())
		return
	}
	if t.DType() == tensor.Float32 {
		d := t.Float32s()
		f := float32(v)
		for i := range d {
			d[i] = f
		}
		return
	}
	for i := range t.Len() {
		t.SetFloat64At(i, v)
	}
}

// parseArange is RangeParamParser plus RangeShape's checks: step != 0,
// repeat > 0, and without infer_range an absent stop makes the range
// [0, start).
func parseArange(attrs map[string]string) (any, error) {
	p, err := arangeParams.Parse(withoutCtx(attrs))
	if err != nil {
		return nil, err
	}
	if !p.InferRange && !p.Stop.Set {
		p.Stop = Some(p.Start)
		p.Start = 0
	}
	if p.Step == 0 || math.IsNaN(p.Step) {
		return nil, fmt.Errorf("step %g: range does not support step=0", p.Step)
	}
	if p.Repeat <= 0 {
		return nil, fmt.Errorf("repeat %d: range only supports repeat > 0", p.Repeat)
	}
	return p, nil
}

// arangeShape is RangeShape: ceil((stop - start) / step) · repeat elements;
// start must lie before stop in the step's direction. With infer_range and
// no stop the size comes from the output's consumers.
func arangeShape(params any, _, out []Shape) error {
	p := params.(*ArangeParam)
	if p.InferRange && !p.Stop.Set {
		return nil
	}
	stop := p.Stop.Value
	if (p.Step > 0 && !(p.Start < stop)) || (p.Step < 0 && !(p.Start > stop)) {
		return fmt.Errorf("invalid range (start, stop, step) = (%g, %g, %g)", p.Start, stop, p.Step)
	}
	return arangeAssign(math.Ceil((stop-p.Start)/p.Step)*float64(p.Repeat), out)
}

// npArangeShape is NumpyRangeShape: repeat must be 1, stop is required,
// and a range running the wrong way is empty.
func npArangeShape(params any, _, out []Shape) error {
	p := params.(*ArangeParam)
	if p.Repeat != 1 {
		return fmt.Errorf("repeat %d: _npi_arange only supports repeat=1", p.Repeat)
	}
	if !p.Stop.Set {
		return errors.New("_npi_arange requires stop to have a value")
	}
	return arangeAssign(max(math.Ceil((p.Stop.Value-p.Start)/p.Step), 0), out)
}

func arangeAssign(size float64, out []Shape) error {
	if !(size < maxInitSize) {
		return fmt.Errorf("range of %g elements exceeds MXNet's limit 2^31-1", size)
	}
	return assignShape(&out[0], Shape{int(size)}, "output")
}

func arangeType(params any, _, out []tensor.DType) error {
	return assignType(&out[0], params.(*ArangeParam).DType, "output")
}

// parseOneHot checks depth >= 0 (GetOneHotParams).
func parseOneHot(attrs map[string]string) (any, error) {
	p, err := oneHotParams.Parse(attrs)
	if err != nil {
		return nil, err
	}
	if p.Depth < 0 || p.Depth >= maxInitSize {
		return nil, fmt.Errorf("depth %d must be a non-negative integer below 2^31-1", p.Depth)
	}
	return p, nil
}

// oneHotShape is OneHotOpShape: the indices' shape plus a last dim depth.
func oneHotShape(params any, in, out []Shape) error {
	p := params.(*OneHotParam)
	if !ShapeKnown(in[0]) {
		return nil
	}
	o := append(cloneShape(in[0]), int(p.Depth))
	if n, ok := checkedMul(o...); !ok || n >= maxInitSize {
		return fmt.Errorf("output %s has 2^31-1 or more elements", ShapeString(o))
	}
	return assignShape(&out[0], o, "output")
}
