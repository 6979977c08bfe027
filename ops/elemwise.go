package ops

import "github.com/mxgo/mxgo/tensor"

// AddNParam is add_n's (ElementWiseSum's) parameters.
type AddNParam struct {
	NumArgs int `mx:"num_args" required:"" min:"1" max:"65536"`
}

// CastParam is Cast's parameters.
type CastParam struct {
	DType tensor.DType `mx:"dtype" required:"" enum:"float32,float64,float16,bfloat16,uint8,int8,int32,int64,bool"`
}

// HardSigmoidParam is hard_sigmoid's parameters
// [src/operator/tensor/elemwise_unary_op.h].
type HardSigmoidParam struct {
	Alpha float32 `mx:"alpha" default:"0.2"`
	Beta  float32 `mx:"beta" default:"0.5"`
}

// The same-shape binary operators [src/operator/tensor/
// elemwise_binary_op_basic.cc, elemwise_binary_op_extended.cc]: no
// broadcasting, inputs lhs and rhs.
var elemwiseBinary = []struct {
	name    string
	aliases []string
	fn      string // key of scalarBinary (and binaryFuncs)
}{
	{"elemwise_add", []string{"_add", "_plus", "_Plus"}, "add"},
	{"elemwise_sub", []string{"_sub", "_minus", "_Minus"}, "sub"},
	{"elemwise_mul", []string{"_mul", "_Mul"}, "mul"},
	{"elemwise_div", []string{"_div", "_Div"}, "div"},
	{"_power", []string{"_Power"}, "power"},
	{"_maximum", []string{"_Maximum"}, "maximum"},
	{"_minimum", []string{"_Minimum"}, "minimum"},
	{"_mod", []string{"_Mod"}, "mod"},
	{"_hypot", []string{"_Hypot"}, "hypot"},
	// elemwise_binary_op_logic.cc: 1 or 0 in the inputs' dtype
	{"_equal", []string{"_Equal"}, "equal"},
	{"_not_equal", []string{"_Not_Equal"}, "not_equal"},
	{"_greater", []string{"_Greater"}, "greater"},
	{"_greater_equal", []string{"_Greater_Equal"}, "greater_equal"},
	{"_lesser", []string{"_Lesser"}, "lesser"},
	{"_lesser_equal", []string{"_Lesser_Equal"}, "lesser_equal"},
	{"_logical_and", []string{"_Logical_And"}, "logical_and"},
	{"_logical_or", []string{"_Logical_Or"}, "logical_or"},
	{"_logical_xor", []string{"_Logical_Xor"}, "logical_xor"},
}

// The elementwise unary operators without parameters. identity-like ops
// (_copy, BlockGrad, make_loss) compute y = x.
var elemwiseUnary = []struct {
	name    string
	aliases []string
}{
	{"exp", []string{"_sparse_exp"}},
	{"log", []string{"_sparse_log"}},
	{"sqrt", []string{"_sparse_sqrt"}},
	{"square", []string{"_sparse_square"}},
	{"abs", []string{"_sparse_abs"}},
	{"negative", []string{"_sparse_negative"}},
	{"_copy", []string{"identity"}},
	{"BlockGrad", []string{"stop_gradient", "_sparse_stop_gradient"}},
	{"make_loss", []string{"_sparse_make_loss"}},
	// elemwise_unary_op_basic.cc
	{"relu", []string{"_sparse_relu"}},
	{"sigmoid", []string{"_sparse_sigmoid"}},
	{"softsign", nil},
	{"erf", []string{"_npx_erf"}},
	{"erfinv", []string{"_npx_erfinv"}},
	{"gamma", []string{"_sparse_gamma", "_npx_gamma"}},
	{"gammaln", []string{"_sparse_gammaln", "_npx_gammaln"}},
	{"sign", []string{"_sparse_sign"}},
	{"round", []string{"_sparse_round"}},
	{"rint", []string{"_sparse_rint"}},
	{"ceil", []string{"_sparse_ceil"}},
	{"floor", []string{"_sparse_floor"}},
	{"trunc", []string{"_sparse_trunc"}},
	{"fix", []string{"_sparse_fix"}},
	{"logical_not", nil},
	// elemwise_unary_op_trig.cc
	{"sin", []string{"_sparse_sin"}},
	{"cos", []string{"_sparse_cos"}},
	{"tan", []string{"_sparse_tan"}},
	{"arcsin", []string{"_sparse_arcsin"}},
	{"arccos", []string{"_sparse_arccos"}},
	{"arctan", []string{"_sparse_arctan"}},
	{"degrees", []string{"_sparse_degrees"}},
	{"radians", []string{"_sparse_radians"}},
	{"sinh", []string{"_sparse_sinh"}},
	{"cosh", []string{"_sparse_cosh"}},
	{"tanh", []string{"_sparse_tanh"}},
	{"arcsinh", []string{"_sparse_arcsinh"}},
	{"arccosh", []string{"_sparse_arccosh"}},
	{"arctanh", []string{"_sparse_arctanh"}},
	// elemwise_unary_op_logexp.cc
	{"log10", []string{"_sparse_log10"}},
	{"log2", []string{"_sparse_log2"}},
	{"log1p", []string{"_sparse_log1p"}},
	{"expm1", []string{"_sparse_expm1"}},
	// elemwise_unary_op_pow.cc
	{"reciprocal", nil},
	{"rsqrt", []string{"_sparse_rsqrt"}},
	{"cbrt", []string{"_sparse_cbrt"}},
	{"rcbrt", nil},
	// contrib/stes_op.cc: straight-through estimators, round and sign
	// forward.
	{"_contrib_round_ste", []string{"_sparse__contrib_round_ste"}},
	{"_contrib_sign_ste", []string{"_sparse__contrib_sign_ste"}},
}

// MXNet 1.9.1's numpy-mode unary operators
// [src/operator/numpy/np_elemwise_unary_op_basic.cc] are NNVM ops of their
// own, with input x (data for the _npx_ ones); on float32
// their forward is the legacy operator's kernel (mshadow_op::rint included,
// so _npi_rint rounds ties down like rint, not to even like NumPy).
var numpyUnary = []struct {
	name, input, fn string // fn: the legacy op whose kernel it runs
	aliases         []string
}{
	{"_npx_relu", "data", "relu", nil},
	{"_npx_sigmoid", "data", "sigmoid", nil},
	{"_npi_negative", "x", "negative", nil},
	{"_npi_reciprocal", "x", "reciprocal", nil},
	{"_npi_absolute", "x", "abs", []string{"_npi_abs"}},
	{"_npi_sign", "x", "sign", nil},
	{"_npi_rint", "x", "rint", nil},
	{"_npi_ceil", "x", "ceil", nil},
	{"_npi_floor", "x", "floor", nil},
	{"_npi_trunc", "x", "trunc", nil},
	{"_npi_fix", "x", "fix", nil},
	{"_npi_square", "x", "square", nil},
	{"_npi_sqrt", "x", "sqrt", nil},
	{"_npi_cbrt", "x", "cbrt", nil},
	{"_npi_exp", "x", "exp", nil},
	{"_npi_log", "x", "log", nil},
	{"_npi_log10", "x", "log10", nil},
	{"_npi_log2", "x", "log2", nil},
	{"_npi_log1p", "x", "log1p", nil},
	{"_npi_expm1", "x", "expm1", nil},
	{"_npi_sin", "x", "sin", nil},
	{"_npi_cos", "x", "cos", nil},
	{"_npi_tan", "x", "tan", nil},
	{"_npi_arcsin", "x", "arcsin", nil},
	{"_npi_arccos", "x", "arccos", nil},
	{"_npi_arctan", "x", "arctan", nil},
	{"_npi_degrees", "x", "degrees", nil},
	{"_npi_radians", "x", "radians", nil},
	{"_npi_sinh", "x", "sinh", nil},
	{"_npi_cosh", "x", "cosh", nil},
	{"_npi_tanh", "x", "tanh", nil},
	{"_npi_arcsinh", "x", "arcsinh", nil},
	{"_npi_arccosh", "x", "arccosh", nil},
	{"_npi_arctanh", "x", "arctanh", nil},
}

func init() {
	lhsRHS := func(any) []string { return []string{"lhs", "rhs"} }
	for _, b := range elemwiseBinary {
		Register(&Op{
			Name:       b.name,
			Aliases:    b.aliases,
			InputNames: lhsRHS,
			PerSample:  perSampleAlways,
			InferShape: sameShape,
			InferType:  SameType,
			InPlace:    func(any) [][2]int { return [][2]int{{0, 0}, {1, 0}} },
			Forward:    elemwiseBinaryForward(b.name, vecBinary(b.fn)),
			Backward:   binaryBackward(b.fn),
		})
	}
	for _, u := range elemwiseUnary {
		forward := copyForward
		if f, ok := unaryFuncs[u.name]; ok {
			forward = unaryForward(u.name, f)
		}
		Register(&Op{
			Name:       u.name,
			Aliases:    u.aliases,
			PerSample:  perSampleAlways,
			InferShape: sameShape,
			InferType:  SameType,
			InPlace:    inPlace00,
			Forward:    forward,
		})
	}
	for _, u := range numpyUnary {
		f, ok := unaryFuncs[u.fn]
		if !ok {
			panic("ops: no unary kernel " + u.fn + " for " + u.name)
		}
		forward := unaryForward(u.name, f)
		input := []string{u.input}
		Register(&Op{
			Name:       u.name,
			Aliases:    u.aliases,
			PerSample:  perSampleAlways,
			InputNames: func(any) []string { return input },
			InferShape: sameShape,
			InferType:  SameType,
			InPlace:    inPlace00,
			Forward:    forward,
		})
	}
	Register(&Op{
		Name:       "hard_sigmoid",
		PerSample:  perSampleAlways,
		Params:     NewParams[HardSigmoidParam](),
		InferShape: sameShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    hardSigmoidForward,
	})
	// _contrib_gradientmultiplier is the identity forward; its scalar
	// scales only the gradient [src/operator/contrib/gradient_multiplier_op.cc].
	Register(&Op{
		Name:       "_contrib_gradientmultiplier",
		PerSample:  perSampleAlways,
		Params:     NewParams[ScalarParam](),
		InferShape: sameShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    copyForward,
	})
	Register(&Op{
		Name:          "add_n",
		PerSample:     perSampleAlways,
		Aliases:       []string{"ElementWiseSum"},
		Params:        NewParams[AddNParam](),
		KeyVarNumArgs: "num_args",
		InputNames: func(params any) []string {
			return argNames(params.(*AddNParam).NumArgs)
		},
		InferShape: sameShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    addNForward,
	})
	Register(&Op{
		Name:       "Cast",
		PerSample:  perSampleAlways,
		Aliases:    []string{"cast"},
		Params:     NewParams[CastParam](),
		InferShape: sameShape,
		InferType: func(params any, _, out []tensor.DType) error {
			return assignType(&out[0], params.(*CastParam).DType, "output")
		},
		Forward: castForward,
	})
}

// AroundParam is _npi_around's parameters
// [src/operator/tensor/elemwise_unary_op.h].
type AroundParam struct {
	Decimals int `mx:"decimals" default:"0"`
}

// NanToNumParam is _npi_nan_to_num's parameters (NumpyNanToNumParam): the
// values NaN, +Inf and -Inf become (defaults 0 and the dtype's largest and
// lowest finite values). copy only says whether NumPy may work in place.
type NanToNumParam struct {
	Copy   bool              `mx:"copy" default:"true"`
	NaN    float64           `mx:"nan" default:"0"`
	PosInf Optional[float64] `mx:"posinf"`
	NegInf Optional[float64] `mx:"neginf"`
}

func init() {
	Register(&Op{
		Name:       "_npi_around",
		Params:     NewParams[AroundParam](),
		InputNames: func(any) []string { return []string{"x"} },
		InferShape: sameShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    aroundForward,
	})
	Register(&Op{
		Name:       "_npi_nan_to_num",
		Params:     NewParams[NanToNumParam](),
		InferShape: sameShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    nanToNumForward,
	})
}
