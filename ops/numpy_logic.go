package ops

import "github.com/mxgo/mxgo/tensor"

// MXNet 1.9.1's numpy-mode comparison and predicate operators
// [src/operator/numpy/np_elemwise_broadcast_logic_op.cc,
// np_elemwise_unary_op_basic.cc]: unlike the legacy ones (1.0/0.0 in the
// input dtype) they give bool. The comparisons broadcast, take two
// operands of one dtype (lhs, rhs) or one operand and a scalar (data, the
// scalar rounded to the operand's dtype); the predicates take x.
var (
	numpyCompareOps = []struct{ name, fn string }{
		{"_npi_equal", "equal"},
		{"_npi_not_equal", "not_equal"},
		{"_npi_greater", "greater"},
		{"_npi_less", "lesser"},
		{"_npi_greater_equal", "greater_equal"},
		{"_npi_less_equal", "lesser_equal"},
	}
	numpyPredicateOps = []struct{ name, fn string }{
		{"_npi_logical_not", "logical_not"},
		{"_npi_isnan", "isnan"},
		{"_npi_isinf", "isinf"},
		{"_npi_isposinf", "isposinf"},
		{"_npi_isneginf", "isneginf"},
		{"_npi_isfinite", "isfinite"},
	}
)

func init() {
	params := NewParams[ScalarParam]()
	for _, c := range numpyCompareOps {
		Register(&Op{
			Name:       c.name,
			InputNames: func(any) []string { return []string{"lhs", "rhs"} },
			InferShape: broadcastShape,
			InferType:  compareBoolType,
			Forward:    compareBoolForward(c.name, c.fn),
		})
		Register(&Op{
			Name:       c.name + "_scalar",
			Params:     params,
			InferShape: sameShape,
			InferType:  predicateBoolType,
			Forward:    compareScalarBoolForward(c.name+"_scalar", c.fn),
		})
	}
	for _, p := range numpyPredicateOps {
		Register(&Op{
			Name:       p.name,
			InputNames: func(any) []string { return []string{"x"} },
			InferShape: sameShape,
			InferType:  predicateBoolType,
			Forward:    predicateBoolForward(p.name, p.fn),
		})
	}
}

// compareBoolType is NumpyBinaryLogicOpType: both operands share a dtype,
// the output is bool.
func compareBoolType(_ any, in, out []tensor.DType) error {
	if in[0] == UnknownType && in[1] == UnknownType {
		return nil
	}
	if err := assignType(&in[0], in[1], "lhs"); err != nil {
		return err
	}
	if err := assignType(&in[1], in[0], "rhs"); err != nil {
		return err
	}
	return assignType(&out[0], tensor.Bool, "output")
}

// predicateBoolType is NumpyUnaryBoolOpType and
// NumpyBinaryScalarLogicOpType: any input dtype, a bool output.
func predicateBoolType(_ any, in, out []tensor.DType) error {
	if in[0] == UnknownType {
		return nil
	}
	return assignType(&out[0], tensor.Bool, "output")
}
