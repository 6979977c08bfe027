package ops

import "fmt"

// The broadcasting binary operators
// [src/operator/tensor/elemwise_binary_broadcast_op_basic.cc, _extended.cc,
// _logic.cc].
var broadcastOps = []struct {
	name    string
	aliases []string
	fn      string // key of scalarBinary (and binaryFuncs)
}{
	{"broadcast_add", []string{"broadcast_plus"}, "add"},
	{"broadcast_sub", []string{"broadcast_minus"}, "sub"},
	{"broadcast_mul", nil, "mul"},
	{"broadcast_div", nil, "div"},
	{"broadcast_power", nil, "power"},
	{"broadcast_maximum", []string{"_npi_maximum"}, "maximum"},
	{"broadcast_minimum", []string{"_npi_minimum"}, "minimum"},
	{"broadcast_mod", nil, "mod"},
	{"broadcast_hypot", nil, "hypot"},
	// elemwise_binary_broadcast_op_logic.cc: 1 or 0 in the inputs' dtype
	{"broadcast_equal", nil, "equal"},
	{"broadcast_not_equal", nil, "not_equal"},
	{"broadcast_greater", nil, "greater"},
	{"broadcast_greater_equal", nil, "greater_equal"},
	{"broadcast_lesser", nil, "lesser"},
	{"broadcast_lesser_equal", nil, "lesser_equal"},
	{"broadcast_logical_and", nil, "logical_and"},
	{"broadcast_logical_or", nil, "logical_or"},
	{"broadcast_logical_xor", nil, "logical_xor"},
}

// MXNet 1.9.1's numpy-mode broadcasting operators that numpy.go does not
// register [src/operator/numpy/np_elemwise_broadcast_op.cc, _extended.cc]:
// NNVM ops of their own whose float32 forward is the broadcast kernel of fn
// (on float32 operands their mixed-precision typing gives float32 too).
var numpyBroadcastOps = []struct {
	name, fn string
	inputs   []string
}{
	{"_npi_mod", "mod", []string{"lhs", "rhs"}},
	{"_npi_hypot", "hypot", []string{"x1", "x2"}},
	{"_npi_copysign", "copysign", []string{"lhs", "rhs"}},
	{"_npi_arctan2", "arctan2", []string{"x1", "x2"}},
	{"_npi_ldexp", "ldexp", []string{"lhs", "rhs"}},
}

func init() {
	for _, b := range numpyBroadcastOps {
		inputs := b.inputs
		Register(&Op{
			Name:       b.name,
			InputNames: func(any) []string { return inputs },
			InferShape: broadcastShape,
			PerSample:  perSampleSameRank,
			InferType:  SameType,
			Forward:    broadcastForward(b.name, b.fn),
		})
	}
	for _, b := range broadcastOps {
		Register(&Op{
			Name:       b.name,
			Aliases:    b.aliases,
			InputNames: func(any) []string { return []string{"lhs", "rhs"} },
			InferShape: broadcastShape,
			PerSample:  perSampleSameRank,
			InferType:  SameType,
			Forward:    broadcastForward(b.name, b.fn),
			Backward:   binaryBackward(b.fn),
		})
	}
}

// perSampleSameRank is PerSample for broadcasting ops: rows of axis 0 are
// independent when every input has the output's rank (a lower-rank input
// would be aligned to the trailing axes, not the batch).
func perSampleSameRank(_ any, in []Shape) bool {
	for _, s := range in {
		if len(s) != len(in[0]) {
			return false
		}
	}
	return true
}

// broadcastShapes returns the NumPy broadcast of a and b (dims may be -1):
// the shorter shape is left-padded with 1s and each pair of dims must match
// or contain a 1.
func broadcastShapes(a, b Shape) (Shape, error) {
	n := max(len(a), len(b))
	out := unknownShape(n)
	for i := range out {
		l, r := 1, 1
		if j := i - (n - len(a)); j >= 0 {
			l = a[j]
		}
		if j := i - (n - len(b)); j >= 0 {
			r = b[j]
		}
		switch {
		case l < 0 || r < 0:
		case l == r:
			out[i] = l
		case l == 1:
			out[i] = r
		case r == 1:
			out[i] = l
		default:
			return nil, fmt.Errorf("operands could not be broadcast together with shapes %s %s", ShapeString(a), ShapeString(b))
		}
	}
	return out, nil
}

// broadcastShape follows BinaryBroadcastShapeCommon (forward only).
func broadcastShape(_ any, in, out []Shape) error {
	if in[0] == nil || in[1] == nil {
		return nil
	}
	o, err := broadcastShapes(in[0], in[1])
	if err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}
