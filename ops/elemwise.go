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

// The same-shape binary operators [src/operator/tensor/
// elemwise_binary_op_basic.cc, elemwise_binary_op_extended.cc]: no
// broadcasting, inputs lhs and rhs.
var elemwiseBinary = []struct {
	name    string
	aliases []string
	fn      string // key of binaryFuncs
}{
	{"elemwise_add", []string{"_add", "_plus", "_Plus"}, "add"},
	{"elemwise_sub", []string{"_sub", "_minus", "_Minus"}, "sub"},
	{"elemwise_mul", []string{"_mul", "_Mul"}, "mul"},
	{"elemwise_div", []string{"_div", "_Div"}, "div"},
	{"_power", []string{"_Power"}, "power"},
	{"_maximum", []string{"_Maximum"}, "maximum"},
	{"_minimum", []string{"_Minimum"}, "minimum"},
}

// The elementwise unary operators without parameters. identity-like ops
// (_copy, BlockGrad, make_loss) compute y = x.
var elemwiseUnary = []struct {
	name    string
	aliases []string
}{
	{"exp", nil},
	{"log", nil},
	{"sqrt", nil},
	{"square", nil},
	{"abs", nil},
	{"negative", nil},
	{"_copy", []string{"identity"}},
	{"BlockGrad", []string{"stop_gradient"}},
	{"make_loss", nil},
}

func init() {
	lhsRHS := func(any) []string { return []string{"lhs", "rhs"} }
	for _, b := range elemwiseBinary {
		Register(&Op{
			Name:       b.name,
			Aliases:    b.aliases,
			InputNames: lhsRHS,
			InferShape: sameShape,
			InferType:  SameType,
			InPlace:    func(any) [][2]int { return [][2]int{{0, 0}, {1, 0}} },
			Forward:    elemwiseBinaryForward(b.name, binaryFuncs[b.fn]),
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
			InferShape: sameShape,
			InferType:  SameType,
			InPlace:    inPlace00,
			Forward:    forward,
		})
	}
	Register(&Op{
		Name:          "add_n",
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
		Aliases:    []string{"cast"},
		Params:     NewParams[CastParam](),
		InferShape: sameShape,
		InferType: func(params any, _, out []tensor.DType) error {
			return assignType(&out[0], params.(*CastParam).DType, "output")
		},
		Forward: castForward,
	})
}
