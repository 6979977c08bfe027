package ops

import (
	"slices"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// The elementwise family of issue 9 (unary math, scalar and broadcast
// comparisons and logic, mod and hypot), by canonical name, with the
// aliases MXNet 1.9.1 registers on the same NNVM op.
func init() {
	for k, v := range map[string][]string{
		"exp": {"_sparse_exp"}, "log": {"_sparse_log"}, "sqrt": {"_sparse_sqrt"}, "square": {"_sparse_square"},
		"abs": {"_sparse_abs"}, "negative": {"_sparse_negative"},
		"BlockGrad": {"stop_gradient", "_sparse_stop_gradient"}, "make_loss": {"_sparse_make_loss"},

		"relu": {"_sparse_relu"}, "sigmoid": {"_sparse_sigmoid"}, "hard_sigmoid": nil, "softsign": nil,
		"erf": {"_npx_erf"}, "erfinv": {"_npx_erfinv"},
		"gamma": {"_sparse_gamma", "_npx_gamma"}, "gammaln": {"_sparse_gammaln", "_npx_gammaln"},
		"sign": {"_sparse_sign"}, "round": {"_sparse_round"}, "rint": {"_sparse_rint"},
		"ceil": {"_sparse_ceil"}, "floor": {"_sparse_floor"}, "trunc": {"_sparse_trunc"}, "fix": {"_sparse_fix"},
		"logical_not": nil,
		"sin":         {"_sparse_sin"}, "cos": {"_sparse_cos"}, "tan": {"_sparse_tan"},
		"arcsin": {"_sparse_arcsin"}, "arccos": {"_sparse_arccos"}, "arctan": {"_sparse_arctan"},
		"degrees": {"_sparse_degrees"}, "radians": {"_sparse_radians"},
		"sinh": {"_sparse_sinh"}, "cosh": {"_sparse_cosh"}, "tanh": {"_sparse_tanh"},
		"arcsinh": {"_sparse_arcsinh"}, "arccosh": {"_sparse_arccosh"}, "arctanh": {"_sparse_arctanh"},
		"log10": {"_sparse_log10"}, "log2": {"_sparse_log2"}, "log1p": {"_sparse_log1p"}, "expm1": {"_sparse_expm1"},
		"reciprocal": nil, "rsqrt": {"_sparse_rsqrt"}, "cbrt": {"_sparse_cbrt"}, "rcbrt": nil,
		"_contrib_round_ste": {"_sparse__contrib_round_ste"}, "_contrib_sign_ste": {"_sparse__contrib_sign_ste"},
		"_contrib_gradientmultiplier": nil,

		"_maximum_scalar": {"_MaximumScalar"}, "_minimum_scalar": {"_MinimumScalar"},
		"_mod_scalar": {"_ModScalar"}, "_rmod_scalar": {"_RModScalar"},
		"_hypot_scalar": {"_HypotScalar", "_npi_hypot_scalar"},
		"_equal_scalar": {"_EqualScalar"}, "_not_equal_scalar": {"_NotEqualScalar"},
		"_greater_scalar": {"_GreaterScalar"}, "_greater_equal_scalar": {"_GreaterEqualScalar"},
		"_lesser_scalar": {"_LesserScalar"}, "_lesser_equal_scalar": {"_LesserEqualScalar"},
		"_logical_and_scalar": {"_LogicalAndScalar"}, "_logical_or_scalar": {"_LogicalOrScalar"},
		"_logical_xor_scalar": {"_LogicalXorScalar"},

		"_mod": {"_Mod"}, "_hypot": {"_Hypot"},
		"_equal": {"_Equal"}, "_not_equal": {"_Not_Equal"}, "_greater": {"_Greater"},
		"_greater_equal": {"_Greater_Equal"}, "_lesser": {"_Lesser"}, "_lesser_equal": {"_Lesser_Equal"},
		"_logical_and": {"_Logical_And"}, "_logical_or": {"_Logical_Or"}, "_logical_xor": {"_Logical_Xor"},

		"_npx_relu": nil, "_npx_sigmoid": nil,
		"_npi_negative": nil, "_npi_reciprocal": nil, "_npi_absolute": {"_npi_abs"}, "_npi_sign": nil,
		"_npi_rint": nil, "_npi_ceil": nil, "_npi_floor": nil, "_npi_trunc": nil, "_npi_fix": nil,
		"_npi_square": nil, "_npi_sqrt": nil, "_npi_cbrt": nil, "_npi_exp": nil, "_npi_log": nil,
		"_npi_log10": nil, "_npi_log2": nil, "_npi_log1p": nil, "_npi_expm1": nil,
		"_npi_sin": nil, "_npi_cos": nil, "_npi_tan": nil, "_npi_arcsin": nil, "_npi_arccos": nil,
		"_npi_arctan": nil, "_npi_degrees": nil, "_npi_radians": nil, "_npi_sinh": nil, "_npi_cosh": nil,
		"_npi_tanh": nil, "_npi_arcsinh": nil, "_npi_arccosh": nil, "_npi_arctanh": nil,

		"_npi_copysign": nil, "_npi_arctan2": nil, "_npi_ldexp": nil, "_npi_copysign_scalar": nil,
		"_npi_rcopysign_scalar": nil, "_npi_arctan2_scalar": nil, "_npi_rarctan2_scalar": nil,
		"_npi_ldexp_scalar": nil, "_npi_rldexp_scalar": nil,
		"_npi_mod": nil, "_npi_hypot": nil, "_npi_mod_scalar": nil, "_npi_rmod_scalar": nil,

		"_npi_equal": nil, "_npi_not_equal": nil, "_npi_greater": nil, "_npi_less": nil,
		"_npi_greater_equal": nil, "_npi_less_equal": nil, "_npi_equal_scalar": nil, "_npi_not_equal_scalar": nil,
		"_npi_greater_scalar": nil, "_npi_less_scalar": nil, "_npi_greater_equal_scalar": nil,
		"_npi_less_equal_scalar": nil, "_npi_logical_not": nil, "_npi_isnan": nil, "_npi_isinf": nil,
		"_npi_isposinf": nil, "_npi_isneginf": nil, "_npi_isfinite": nil, "_npi_around": nil, "_npi_nan_to_num": nil,

		"broadcast_mod": nil, "broadcast_hypot": nil,
		"broadcast_equal": nil, "broadcast_not_equal": nil, "broadcast_greater": nil,
		"broadcast_greater_equal": nil, "broadcast_lesser": nil, "broadcast_lesser_equal": nil,
		"broadcast_logical_and": nil, "broadcast_logical_or": nil, "broadcast_logical_xor": nil,
	} {
		wantOps[k] = v
	}
}

func TestElemOpInputNames(t *testing.T) {
	for name, want := range map[string][]string{
		"sin": {"data"}, "hard_sigmoid": {"data"}, "_npx_relu": {"data"}, "_npx_sigmoid": {"data"},
		"_npi_sin": {"x"}, "_npi_abs": {"x"}, "_equal_scalar": {"data"},
		"_equal": {"lhs", "rhs"}, "_Mod": {"lhs", "rhs"}, "broadcast_logical_xor": {"lhs", "rhs"},
		"_contrib_gradientmultiplier": {"data"}, "_npi_mod": {"lhs", "rhs"}, "_npi_hypot": {"x1", "x2"}, "_npi_arctan2": {"x1", "x2"},
		"_npi_rmod_scalar": {"data"}, "_npi_less": {"lhs", "rhs"}, "_npi_less_scalar": {"data"},
		"_npi_isfinite": {"x"}, "_npi_around": {"x"}, "_npi_nan_to_num": {"data"},
	} {
		op, p := parsed(t, name, nil)
		if got := op.Inputs(p); !slices.Equal(got, want) {
			t.Errorf("%s inputs %v, want %v", name, got, want)
		}
		if op.Outputs(p) != 1 {
			t.Errorf("%s has %d outputs", name, op.Outputs(p))
		}
	}
}

func TestElemNumpyScalarTypes(t *testing.T) {
	for _, c := range []struct {
		op    string
		attrs map[string]string
		in    tensor.DType
		want  tensor.DType
	}{
		{"_greater_scalar", map[string]string{"scalar": "2"}, tensor.Float32, tensor.Float32},
		{"_npi_mod_scalar", map[string]string{"scalar": "2.5", "is_int": "False"}, tensor.Int32, tensor.Float64},
		{"_npi_rmod_scalar", map[string]string{"scalar": "2", "is_int": "True"}, tensor.Int32, tensor.Int32},
		{"_npi_greater_scalar", map[string]string{"scalar": "2"}, tensor.Float32, tensor.Bool},
		{"_npi_isnan", nil, tensor.Float32, tensor.Bool},
		{"_npi_logical_not", nil, tensor.Int32, tensor.Bool},
	} {
		op, p := parsed(t, c.op, c.attrs)
		in, out := []tensor.DType{c.in}, []tensor.DType{UnknownType}
		if err := op.InferType(p, in, out); err != nil || out[0] != c.want {
			t.Errorf("%s on %s: %s %v, want %s", c.op, c.in, out[0], err, c.want)
		}
	}
}
