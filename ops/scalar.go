package ops

import "github.com/mxgo/mxgo/tensor"

// ScalarParam is the parameters of the tensor-scalar operators
// (NumpyBinaryScalarParam, MXNet 1.7+): Python writes only scalar.
type ScalarParam struct {
	Scalar float64 `mx:"scalar" default:"1"`
	IsInt  bool    `mx:"is_int" default:"true"`
}

// The tensor-scalar operators [src/operator/tensor/
// elemwise_binary_scalar_op_basic.cc, _extended.cc, _logic.cc]. The
// comparisons and logic ops give 1 or 0 in the input's dtype.
var scalarOps = []struct {
	name    string
	aliases []string
}{
	{"_plus_scalar", []string{"_PlusScalar"}},
	{"_minus_scalar", []string{"_MinusScalar"}},
	{"_rminus_scalar", []string{"_RMinusScalar"}},
	{"_mul_scalar", []string{"_MulScalar"}},
	{"_div_scalar", []string{"_DivScalar"}},
	{"_rdiv_scalar", []string{"_RDivScalar"}},
	{"_mod_scalar", []string{"_ModScalar"}},
	{"_rmod_scalar", []string{"_RModScalar"}},
	{"_power_scalar", []string{"_PowerScalar"}},
	{"_rpower_scalar", []string{"_RPowerScalar"}},
	{"_maximum_scalar", []string{"_MaximumScalar", "_npi_maximum_scalar"}},
	{"_minimum_scalar", []string{"_MinimumScalar", "_npi_minimum_scalar"}},
	{"_hypot_scalar", []string{"_HypotScalar", "_npi_hypot_scalar"}},
	{"_equal_scalar", []string{"_EqualScalar"}},
	{"_not_equal_scalar", []string{"_NotEqualScalar"}},
	{"_greater_scalar", []string{"_GreaterScalar"}},
	{"_greater_equal_scalar", []string{"_GreaterEqualScalar"}},
	{"_lesser_scalar", []string{"_LesserScalar"}},
	{"_lesser_equal_scalar", []string{"_LesserEqualScalar"}},
	{"_logical_and_scalar", []string{"_LogicalAndScalar"}},
	{"_logical_or_scalar", []string{"_LogicalOrScalar"}},
	{"_logical_xor_scalar", []string{"_LogicalXorScalar"}},
}

// MXNet 1.9.1's numpy-mode tensor-scalar operators that numpy.go does not
// register [src/operator/numpy/np_elemwise_broadcast_op.cc, _extended.cc]:
// NNVM ops of their own (no in-place option) with the legacy parameters;
// their kernels are in scalarFuncs under their own names.
var numpyScalarOps = []string{
	"_npi_mod_scalar", "_npi_rmod_scalar",
	"_npi_copysign_scalar", "_npi_rcopysign_scalar",
	"_npi_arctan2_scalar", "_npi_rarctan2_scalar",
	"_npi_ldexp_scalar", "_npi_rldexp_scalar",
}

func init() {
	params := NewParams[ScalarParam]()
	for _, name := range numpyScalarOps {
		Register(&Op{
			Name:       name,
			Params:     params,
			PerSample:  perSampleAlways,
			InferShape: sameShape,
			InferType:  scalarType,
			Forward:    scalarForward(name),
		})
	}
	for _, s := range scalarOps {
		Register(&Op{
			Name:       s.name,
			Aliases:    s.aliases,
			Params:     params,
			PerSample:  perSampleAlways,
			InferShape: sameShape,
			InferType:  scalarType,
			InPlace:    inPlace00,
			Forward:    scalarForward(s.name),
			Backward:   scalarBackward(s.name),
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
