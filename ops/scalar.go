package ops

import "github.com/mxgo/mxgo/tensor"

// ScalarParam is the parameters of the tensor-scalar operators
// (NumpyBinaryScalarParam, MXNet 1.7+): Python writes only scalar.
type ScalarParam struct {
	Scalar float64 `mx:"scalar" default:"1"`
	IsInt  bool    `mx:"is_int" default:"true"`
}

// The tensor-scalar operators [src/operator/tensor/
// elemwise_binary_scalar_op_basic.cc, _extended.cc].
var scalarOps = []struct{ name, alias string }{
	{"_plus_scalar", "_PlusScalar"},
	{"_minus_scalar", "_MinusScalar"},
	{"_rminus_scalar", "_RMinusScalar"},
	{"_mul_scalar", "_MulScalar"},
	{"_div_scalar", "_DivScalar"},
	{"_rdiv_scalar", "_RDivScalar"},
	{"_power_scalar", "_PowerScalar"},
	{"_rpower_scalar", "_RPowerScalar"},
	{"_maximum_scalar", "_MaximumScalar"},
	{"_minimum_scalar", "_MinimumScalar"},
}

func init() {
	params := NewParams[ScalarParam]()
	for _, s := range scalarOps {
		Register(&Op{
			Name:       s.name,
			Aliases:    []string{s.alias},
			Params:     params,
			InferShape: sameShape,
			InferType:  scalarType,
			InPlace:    inPlace00,
			Forward:    scalarForward(s.name),
		})
	}
}

// scalarType follows NumpyBinaryScalarType: floating-point inputs keep
// their dtype; an integer input stays integer when the scalar is an integer
// (is_int) and becomes float64 otherwise; a bool input becomes int64 or
// float64.
func scalarType(params any, in, out []tensor.DType) error {
	p := params.(*ScalarParam)
	if in[0] == UnknownType {
		if out[0] != UnknownType && out[0].IsFloat() && out[0] != tensor.Float64 {
			in[0] = out[0]
		}
		return nil
	}
	t := in[0]
	switch {
	case t.IsFloat():
	case t == tensor.Bool && p.IsInt:
		t = tensor.Int64
	case t == tensor.Bool || !p.IsInt:
		t = tensor.Float64
	}
	return assignType(&out[0], t, "output")
}
