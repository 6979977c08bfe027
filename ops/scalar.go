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

// MXNet 1.9.1's numpy-mode tensor-scalar operators [src/operator/numpy/
// np_elemwise_broadcast_op.cc, np_true_divide.cc]: NNVM ops of their own
// with the same parameters, whose float32 forward is the legacy op's
// kernel (fn; the copysign, arctan2 and ldexp ones have their own). true_divide
// gives float32 for integer input.
var numpyScalarOps = []struct{ name, fn string }{
	{"_npi_add_scalar", "_plus_scalar"},
	{"_npi_subtract_scalar", "_minus_scalar"},
	{"_npi_rsubtract_scalar", "_rminus_scalar"},
	{"_npi_multiply_scalar", "_mul_scalar"},
	{"_npi_true_divide_scalar", "_div_scalar"},
	{"_npi_rtrue_divide_scalar", "_rdiv_scalar"},
	{"_npi_mod_scalar", "_mod_scalar"},
	{"_npi_rmod_scalar", "_rmod_scalar"},
	{"_npi_power_scalar", "_power_scalar"},
	{"_npi_rpower_scalar", "_rpower_scalar"},
	// np_elemwise_broadcast_op_extended.cc: kernels of their own
	{"_npi_copysign_scalar", "_npi_copysign_scalar"},
	{"_npi_rcopysign_scalar", "_npi_rcopysign_scalar"},
	{"_npi_arctan2_scalar", "_npi_arctan2_scalar"},
	{"_npi_rarctan2_scalar", "_npi_rarctan2_scalar"},
	{"_npi_ldexp_scalar", "_npi_ldexp_scalar"},
	{"_npi_rldexp_scalar", "_npi_rldexp_scalar"},
}

func init() {
	params := NewParams[ScalarParam]()
	for _, s := range numpyScalarOps {
		// Only the true_divide ones declare FInplaceOption.
		infer, inPlace := scalarType, (func(any) [][2]int)(nil)
		if s.fn == "_div_scalar" || s.fn == "_rdiv_scalar" {
			infer, inPlace = trueDivideType, inPlace00
		}
		Register(&Op{
			Name:       s.name,
			Params:     params,
			InferShape: sameShape,
			InferType:  infer,
			InPlace:    inPlace,
			Forward:    scalarForward(s.name, s.fn),
		})
	}
	for _, s := range scalarOps {
		Register(&Op{
			Name:       s.name,
			Aliases:    s.aliases,
			Params:     params,
			InferShape: sameShape,
			InferType:  scalarType,
			InPlace:    inPlace00,
			Forward:    scalarForward(s.name, s.name),
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

// trueDivideType follows TrueDivideType: floating-point inputs keep their
// dtype, integer and bool inputs give float32.
func trueDivideType(_ any, in, out []tensor.DType) error {
	if in[0] == UnknownType {
		return nil
	}
	t := in[0]
	if !t.IsFloat() {
		t = tensor.Float32
	}
	return assignType(&out[0], t, "output")
}
