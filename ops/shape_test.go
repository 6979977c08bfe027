package ops

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// s is a compact shape literal for tests.
func s(d ...int) Shape { return append(Shape{}, d...) }

// inferOnce parses attrs for op and runs one InferShape call.
func inferOnce(t *testing.T, name string, attrs map[string]string, in ...Shape) ([]Shape, []Shape, error) {
	t.Helper()
	op, ok := Lookup(name)
	if !ok {
		t.Fatalf("op %s not registered", name)
	}
	var params any
	if op.Parse != nil {
		var err error
		if params, err = op.Parse(attrs); err != nil {
			return nil, nil, fmt.Errorf("parse: %w", err)
		}
	}
	if n := len(op.Inputs(params)); n != len(in) {
		t.Fatalf("%s: %d inputs given, op has %d (%v)", name, len(in), n, op.Inputs(params))
	}
	out := make([]Shape, op.Outputs(params))
	err := op.InferShape(params, in, out)
	return in, out, err
}

func shapesString(l []Shape) string {
	parts := make([]string, len(l))
	for i, x := range l {
		parts[i] = ShapeString(x)
	}
	return strings.Join(parts, " ")
}

func TestInferShapeCases(t *testing.T) {
	a := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		op      string
		attrs   map[string]string
		in      []Shape
		wantIn  string
		wantOut string
	}{
		{"FullyConnected", a("num_hidden", "10"), []Shape{s(2, 3, 4), nil, nil}, "(2,3,4) (10,12) (10,)", "(2,10)"},
		{"FullyConnected", a("num_hidden", "10", "flatten", "False", "no_bias", "True"), []Shape{s(2, 3, 4), nil}, "(2,3,4) (10,4)", "(2,3,10)"},
		{"FullyConnected", a("num_hidden", "10"), []Shape{s(7), nil, s(10, 1)}, "(7,) (10,1) (10,1)", "(7,10)"},
		{"FullyConnected", a("num_hidden", "10"), []Shape{s(-1, 5), nil, nil}, "(?,5) (10,5) (10,)", "(?,10)"},
		{"Activation", a("act_type", "relu"), []Shape{s(2, 3)}, "(2,3)", "(2,3)"},
		{"LeakyReLU", a("act_type", "prelu"), []Shape{s(1, 10, 5, 5), nil}, "(1,10,5,5) (10,)", "(1,10,5,5)"},
		{"LeakyReLU", a("act_type", "rrelu"), []Shape{s(4, 3)}, "(4,3)", "(4,3) (4,3)"},
		{"softmax", a("axis", "1", "use_length", "True"), []Shape{s(2, 5, 3), nil}, "(2,5,3) (2,3)", "(2,5,3)"},
		{"softmax", a("use_length", "1"), []Shape{s(5), nil}, "(5,) (1,)", "(5,)"},
		{"SoftmaxActivation", a("mode", "channel"), []Shape{s(1, 2, 3, 3)}, "(1,2,3,3)", "(1,2,3,3)"},
		{"SoftmaxOutput", nil, []Shape{s(8, 10), nil}, "(8,10) (8,)", "(8,10)"},
		{"SoftmaxOutput", nil, []Shape{s(8, 10), s(8, 10)}, "(8,10) (8,10)", "(8,10)"},
		{"SoftmaxOutput", a("multi_output", "True"), []Shape{s(2, 3, 4, 5), nil}, "(2,3,4,5) (2,20)", "(2,3,4,5)"},
		{"SoftmaxOutput", a("multi_output", "True"), []Shape{s(2, 3, 4, 5), s(2, 4, 5)}, "(2,3,4,5) (2,4,5)", "(2,3,4,5)"},
		{"LinearRegressionOutput", nil, []Shape{s(4, 1), nil}, "(4,1) (4,)", "(4,1)"},
		{"LogisticRegressionOutput", nil, []Shape{s(4, 3), nil}, "(4,3) (4,3)", "(4,3)"},
		{"MAERegressionOutput", nil, []Shape{s(4, 3), s(4, 3, 1)}, "(4,3) (4,3,1)", "(4,3)"},
		{"Dropout", a("axes", "(2, 3)"), []Shape{s(2, 3, 4, 5)}, "(2,3,4,5)", "(2,3,4,5) (2,3,1,1)"},
		{"BatchNorm", nil, []Shape{s(2, 3, 4, 4), nil, nil, nil, nil}, "(2,3,4,4) (3,) (3,) (3,) (3,)", "(2,3,4,4) (3,) (3,)"},
		{"BatchNorm", a("axis", "-1"), []Shape{s(2, 7), nil, nil, nil, nil}, "(2,7) (7,) (7,) (7,) (7,)", "(2,7) (7,) (7,)"},
		{"LayerNorm", nil, []Shape{s(2, 3, 8), nil, nil}, "(2,3,8) (8,) (8,)", "(2,3,8) (2,3,1) (2,3,1)"},
		{"Flatten", nil, []Shape{s(2, 3, 4)}, "(2,3,4)", "(2,12)"},
		{"Flatten", nil, []Shape{s(5)}, "(5,)", "(5,1)"},
		{"Reshape", a("shape", "(-1)"), []Shape{s(4, 3)}, "(4,3)", "(12,)"},
		{"Reshape", a("shape", "(0, -1)"), []Shape{s(2, 3, 4)}, "(2,3,4)", "(2,12)"},
		{"Reshape", a("shape", "(-4, 1, 2, -2)"), []Shape{s(2, 3, 4)}, "(2,3,4)", "(1,2,3,4)"},
		{"Reshape", a("shape", "(-3, -2)"), []Shape{s(2, 3, 4)}, "(2,3,4)", "(6,4)"},
		{"Reshape", a("shape", "(-1, 0)", "reverse", "True"), []Shape{s(10, 5, 4)}, "(10,5,4)", "(50,4)"},
		{"Reshape", a("shape", "(0, 0, 12, -1)"), []Shape{s(1, 384, 768)}, "(1,384,768)", "(1,384,12,64)"},
		{"Reshape", a("target_shape", "(0, 6)"), []Shape{s(2, 3, 4)}, "(2,3,4)", "(4,6)"},
		{"Reshape", a("shape", "(-1, 4)"), []Shape{s(-1, 2, 2)}, "(?,2,2)", "(?,4)"},
		{"transpose", nil, []Shape{s(2, 3, 4)}, "(2,3,4)", "(4,3,2)"},
		{"transpose", a("axes", "(0, 2, 1, 3)"), []Shape{s(1, 2, 3, 4)}, "(1,2,3,4)", "(1,3,2,4)"},
		{"expand_dims", a("axis", "-1"), []Shape{s(2, 3)}, "(2,3)", "(2,3,1)"},
		{"expand_dims", a("axis", "0"), []Shape{s(5)}, "(5,)", "(1,5)"},
		{"slice", a("begin", "(1, None)", "end", "(3, None)"), []Shape{s(4, 5, 6)}, "(4,5,6)", "(2,5,6)"},
		{"slice", a("begin", "(None,)", "end", "(None,)", "step", "(-2,)"), []Shape{s(5, 2)}, "(5,2)", "(3,2)"},
		{"slice", a("begin", "(-3,)", "end", "(100,)"), []Shape{s(5)}, "(5,)", "(3,)"},
		{"slice_axis", a("axis", "1", "begin", "0", "end", "1"), []Shape{s(1, 2, 8, 8)}, "(1,2,8,8)", "(1,1,8,8)"},
		{"slice_axis", a("axis", "-1", "begin", "-3", "end", "None"), []Shape{s(2, 10)}, "(2,10)", "(2,3)"},
		{"Concat", a("num_args", "3", "dim", "1"), []Shape{s(1, 2, 4), s(1, 3, 4), s(1, 5, 4)}, "(1,2,4) (1,3,4) (1,5,4)", "(1,10,4)"},
		{"Concat", a("num_args", "2"), []Shape{s(1, 2, 4), s(-1, 3, -1)}, "(1,2,4) (1,3,4)", "(1,5,4)"},
		{"SliceChannel", a("num_outputs", "5"), []Shape{s(1, 15, 24, 24)}, "(1,15,24,24)", "(1,3,24,24) (1,3,24,24) (1,3,24,24) (1,3,24,24) (1,3,24,24)"},
		{"SliceChannel", a("num_outputs", "2", "axis", "0", "squeeze_axis", "True"), []Shape{s(2, 3)}, "(2,3)", "(3,) (3,)"},
		{"clip", a("a_min", "0", "a_max", "6"), []Shape{s(3)}, "(3,)", "(3,)"},
		{"elemwise_add", nil, []Shape{s(2, 3), nil}, "(2,3) (2,3)", "(2,3)"},
		{"_Plus", nil, []Shape{s(-1, 3), s(4, -1)}, "(4,3) (4,3)", "(4,3)"},
		{"broadcast_add", nil, []Shape{s(2, 1, 3), s(4, 1)}, "(2,1,3) (4,1)", "(2,4,3)"},
		{"broadcast_mul", nil, []Shape{s(5), s(2, 1)}, "(5,) (2,1)", "(2,5)"},
		{"add_n", a("num_args", "3"), []Shape{s(2), nil, nil}, "(2,) (2,) (2,)", "(2,)"},
		{"_mul_scalar", a("scalar", "-1e+18"), []Shape{s(7)}, "(7,)", "(7,)"},
		{"_power", nil, []Shape{s(2), s(2)}, "(2,) (2,)", "(2,)"},
		{"sum", nil, []Shape{s(2, 3)}, "(2,3)", "(1,)"},
		{"sum", a("axis", "1"), []Shape{s(2, 3, 4)}, "(2,3,4)", "(2,4)"},
		{"mean", a("axis", "(0, -1)", "keepdims", "True"), []Shape{s(2, 3, 4)}, "(2,3,4)", "(1,3,1)"},
		{"max", a("axis", "1", "exclude", "True"), []Shape{s(2, 3, 4)}, "(2,3,4)", "(3,)"},
		{"min", a("keepdims", "1"), []Shape{s(2, 3)}, "(2,3)", "(1,1)"},
		{"argmax", a("axis", "1"), []Shape{s(2, 3, 4)}, "(2,3,4)", "(2,4)"},
		{"argmin", nil, []Shape{s(2, 3)}, "(2,3)", "(1,)"},
		{"dot", nil, []Shape{s(2, 3), s(3, 4)}, "(2,3) (3,4)", "(2,4)"},
		{"dot", a("transpose_a", "True"), []Shape{s(3, 2), s(3, 4)}, "(3,2) (3,4)", "(2,4)"},
		{"dot", a("transpose_b", "True"), []Shape{s(2, 3), s(4, 3)}, "(2,3) (4,3)", "(2,4)"},
		{"dot", nil, []Shape{s(3), s(3)}, "(3,) (3,)", "(1,)"},
		{"dot", nil, []Shape{s(2, 3, 4), s(4, 5, 6)}, "(2,3,4) (4,5,6)", "(2,3,5,6)"},
		{"dot", nil, []Shape{s(4), s(4, 5)}, "(4,) (4,5)", "(5,)"},
		{"batch_dot", a("transpose_b", "True"), []Shape{s(12, 384, 64), s(12, 384, 64)}, "(12,384,64) (12,384,64)", "(12,384,384)"},
		{"Embedding", a("input_dim", "30522", "output_dim", "768"), []Shape{s(1, 384), nil}, "(1,384) (30522,768)", "(1,384,768)"},
		{"exp", nil, []Shape{s(2)}, "(2,)", "(2,)"},
		{"Cast", a("dtype", "float16"), []Shape{s(2)}, "(2,)", "(2,)"},
		{"Convolution", a("kernel", "(5, 5)", "num_filter", "6"), []Shape{s(1, 1, 28, 28), nil, nil}, "(1,1,28,28) (6,1,5,5) (6,)", "(1,6,24,24)"},
		{"Convolution", a("kernel", "(3,3)", "num_filter", "8", "pad", "(1,1)", "stride", "(2,2)", "no_bias", "True", "num_group", "2"), []Shape{s(2, 4, 9, 9), nil}, "(2,4,9,9) (8,2,3,3)", "(2,8,5,5)"},
		{"Convolution", a("kernel", "(3, 3)", "num_filter", "16", "dilate", "(6, 6)", "pad", "(6, 6)"), []Shape{s(1, 8, 20, 20), nil, nil}, "(1,8,20,20) (16,8,3,3) (16,)", "(1,16,20,20)"},
		{"Convolution", a("kernel", "(3,)", "num_filter", "4"), []Shape{s(1, 2, 10), nil, nil}, "(1,2,10) (4,2,3) (4,)", "(1,4,8)"},
		{"Convolution", a("kernel", "(3, 3)", "num_filter", "4", "layout", "NHWC"), []Shape{s(1, 10, 10, 2), nil, nil}, "(1,10,10,2) (4,3,3,2) (4,)", "(1,8,8,4)"},
		{"Convolution", a("kernel", "(5, 5)", "num_filter", "6"), []Shape{s(1, -1, 28, 28), s(6, 3, 5, 5), nil}, "(1,3,28,28) (6,3,5,5) (6,)", "(1,6,24,24)"},
		{"Deconvolution", a("kernel", "(4, 4)", "num_filter", "3", "stride", "(2, 2)", "pad", "(1, 1)"), []Shape{s(1, 8, 5, 5), nil}, "(1,8,5,5) (8,3,4,4)", "(1,3,10,10)"},
		{"Deconvolution", a("kernel", "(3, 3)", "num_filter", "2", "stride", "(2, 2)", "target_shape", "(8, 8)", "no_bias", "False"), []Shape{s(1, 4, 4, 4), nil, nil}, "(1,4,4,4) (4,2,3,3) (2,)", "(1,2,8,8)"},
		{"Pooling", a("kernel", "(2, 2)", "pool_type", "max", "stride", "(2, 2)"), []Shape{s(1, 6, 24, 24)}, "(1,6,24,24)", "(1,6,12,12) (1,6,12,12)"},
		{"Pooling", a("kernel", "(3,3)", "pool_type", "max", "stride", "(2,2)", "pooling_convention", "full"), []Shape{s(1, 10, 10, 10)}, "(1,10,10,10)", "(1,10,5,5) (1,10,5,5)"},
		{"Pooling", a("kernel", "(2,2)", "pool_type", "avg"), []Shape{s(1, 2, 5, 5)}, "(1,2,5,5)", "(1,2,4,4)"},
		{"Pooling", a("global_pool", "True", "kernel", "(7, 7)", "pool_type", "avg"), []Shape{s(2, 512, 7, 7)}, "(2,512,7,7)", "(2,512,1,1)"},
		{"Pooling", a("global_pool", "True", "pool_type", "max"), []Shape{s(2, 8, 3, 3)}, "(2,8,3,3)", "(2,8,1,1)"},
		{"Pooling", a("kernel", "(3,)", "pool_type", "max", "pooling_convention", "same", "stride", "(2,)"), []Shape{s(1, 2, 7)}, "(1,2,7)", "(1,2,4) (1,2,4)"},
		{"Pooling", a("kernel", "(2,2)", "pool_type", "sum", "layout", "NHWC"), []Shape{s(1, 5, 5, 3)}, "(1,5,5,3)", "(1,4,4,3)"},
		{"UpSampling", a("scale", "2", "sample_type", "nearest", "num_args", "1"), []Shape{s(1, 3, 4, 4)}, "(1,3,4,4)", "(1,3,8,8)"},
		{"UpSampling", a("scale", "2", "sample_type", "bilinear", "num_args", "2", "num_filter", "3"), []Shape{s(1, 3, 4, 4), nil}, "(1,3,4,4) (3,1,4,4)", "(1,3,8,8)"},
	}
	for _, c := range cases {
		in, out, err := inferOnce(t, c.op, c.attrs, c.in...)
		if err != nil {
			t.Errorf("%s %v: %v", c.op, c.attrs, err)
			continue
		}
		if got := shapesString(in); got != c.wantIn {
			t.Errorf("%s %v: inputs %s, want %s", c.op, c.attrs, got, c.wantIn)
		}
		if got := shapesString(out); got != c.wantOut {
			t.Errorf("%s %v: outputs %s, want %s", c.op, c.attrs, got, c.wantOut)
		}
	}
}

func TestInferShapeBackward(t *testing.T) {
	// Outputs flowing back to inputs where MXNet does it.
	op, _ := Lookup("FullyConnected")
	params, _ := op.Parse(map[string]string{"num_hidden": "10"})
	in := []Shape{s(-1, 5), nil, nil}
	out := []Shape{s(32, 10)}
	if err := op.InferShape(params, in, out); err != nil || ShapeString(in[0]) != "(32,5)" {
		t.Errorf("FC batch from output: %s %v", ShapeString(in[0]), err)
	}
	op, _ = Lookup("Convolution")
	params, _ = op.Parse(map[string]string{"kernel": "(3, 3)", "num_filter": "4", "pad": "(1, 1)"})
	in = []Shape{s(-1, 2, -1, -1), nil, nil}
	out = []Shape{s(8, 4, 16, 16)}
	if err := op.InferShape(params, in, out); err != nil || ShapeString(in[0]) != "(8,2,16,16)" {
		t.Errorf("conv data from output: %s %v", ShapeString(in[0]), err)
	}
	op, _ = Lookup("transpose")
	params, _ = op.Parse(nil)
	in, out = []Shape{nil}, []Shape{s(2, 3)}
	if err := op.InferShape(params, in, out); err != nil || ShapeString(in[0]) != "(3,2)" {
		t.Errorf("transpose back: %s %v", ShapeString(in[0]), err)
	}
	op, _ = Lookup("Concat")
	params, _ = op.Parse(map[string]string{"num_args": "2"})
	in, out = []Shape{s(1, 2, 4), nil}, []Shape{s(1, 7, 4)}
	if err := op.InferShape(params, in, out); err != nil || ShapeString(in[1]) != "(1,5,4)" {
		t.Errorf("concat back: %s %v", ShapeString(in[1]), err)
	}
}

func TestInferShapeErrors(t *testing.T) {
	cases := []struct {
		op    string
		attrs map[string]string
		in    []Shape
		want  string
	}{
		{"FullyConnected", map[string]string{"num_hidden": "64"}, []Shape{s(32, 100), s(64, 128), nil}, "data shape (32,100) does not match weight (64,128)"},
		{"elemwise_add", nil, []Shape{s(2, 3), s(3, 2)}, "does not match"},
		{"broadcast_add", nil, []Shape{s(2, 3), s(4, 3)}, "could not be broadcast"},
		{"Convolution", map[string]string{"kernel": "(5, 5)", "num_filter": "6"}, []Shape{s(1, 1, 4, 4), nil, nil}, "exceeds input"},
		{"Convolution", map[string]string{"kernel": "(5, 5)", "num_filter": "6"}, []Shape{s(1, 28, 28), nil, nil}, "must be 4-D"},
		{"Pooling", map[string]string{"kernel": "(5, 5)"}, []Shape{s(1, 1, 4, 4)}, "exceeds input"},
		{"Pooling", map[string]string{"kernel": "(2, 2)", "pool_type": "lp"}, []Shape{s(1, 1, 4, 4)}, "p_value"},
		{"Concat", map[string]string{"num_args": "2"}, []Shape{s(1, 2, 4), s(1, 2, 5)}, "does not match"},
		{"SliceChannel", map[string]string{"num_outputs": "4"}, []Shape{s(1, 6)}, "equal parts"},
		{"Reshape", map[string]string{"shape": "(-2, -1)"}, []Shape{s(2, 3)}, "-1 after -2"},
		{"Reshape", map[string]string{"shape": "(5, 5)"}, []Shape{s(2, 3)}, "different size"},
		{"Reshape", map[string]string{"shape": "(-1, -1)"}, []Shape{s(2, 3)}, "only one"},
		{"sum", map[string]string{"axis": "(1, 1)"}, []Shape{s(2, 3)}, "duplicates"},
		{"sum", map[string]string{"axis": "3"}, []Shape{s(2, 3)}, "exceed"},
		{"dot", nil, []Shape{s(2, 3), s(4, 5)}, "dot shape error"},
		{"batch_dot", nil, []Shape{s(2, 3), s(3, 5)}, "rank >= 3"},
		{"transpose", map[string]string{"axes": "(0, 0)"}, []Shape{s(2, 3)}, "repeat"},
		{"slice_axis", map[string]string{"axis": "0", "begin": "3", "end": "2"}, []Shape{s(5)}, "invalid begin"},
		{"LeakyReLU", map[string]string{"act_type": "prelu"}, []Shape{s(5), nil}, "channel axis"},
		{"SoftmaxOutput", map[string]string{"multi_output": "True"}, []Shape{s(2, 3, 4), s(7)}, "label shape"},
	}
	for _, c := range cases {
		_, _, err := inferOnce(t, c.op, c.attrs, c.in...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v %v: error %v, want %q", c.op, c.attrs, shapesString(c.in), err, c.want)
		}
	}
}

func TestInferTypes(t *testing.T) {
	u := UnknownType
	cases := []struct {
		op      string
		attrs   map[string]string
		in      []tensor.DType
		wantIn  []tensor.DType
		wantOut []tensor.DType
	}{
		{"FullyConnected", map[string]string{"num_hidden": "2"}, []tensor.DType{tensor.Float32, u, u}, []tensor.DType{0, 0, 0}, []tensor.DType{0}},
		{"BatchNorm", nil, []tensor.DType{tensor.Float16, u, u, u, u}, []tensor.DType{2, 0, 0, 0, 0}, []tensor.DType{2, 0, 0}},
		{"BatchNorm", nil, []tensor.DType{tensor.Float64, u, u, u, u}, []tensor.DType{1, 1, 1, 1, 1}, []tensor.DType{1, 1, 1}},
		{"Cast", map[string]string{"dtype": "int32"}, []tensor.DType{tensor.Float32}, []tensor.DType{0}, []tensor.DType{tensor.Int32}},
		{"softmax", map[string]string{"dtype": "float64"}, []tensor.DType{tensor.Float32}, []tensor.DType{0}, []tensor.DType{1}},
		{"Embedding", map[string]string{"input_dim": "3", "output_dim": "2"}, []tensor.DType{u, u}, []tensor.DType{0, 0}, []tensor.DType{0}},
		{"Pooling", map[string]string{"kernel": "(2,2)"}, []tensor.DType{tensor.Float32}, []tensor.DType{0}, []tensor.DType{0, tensor.Int32}},
		{"_div_scalar", map[string]string{"scalar": "2.5", "is_int": "False"}, []tensor.DType{tensor.Int32}, []tensor.DType{tensor.Int32}, []tensor.DType{tensor.Float64}},
		{"_div_scalar", map[string]string{"scalar": "2"}, []tensor.DType{tensor.Float16}, []tensor.DType{2}, []tensor.DType{2}},
		{"elemwise_add", nil, []tensor.DType{u, tensor.Float64}, []tensor.DType{1, 1}, []tensor.DType{1}},
	}
	for _, c := range cases {
		op, _ := Lookup(c.op)
		var params any
		if op.Parse != nil {
			params, _ = op.Parse(c.attrs)
		}
		out := make([]tensor.DType, op.Outputs(params))
		for i := range out {
			out[i] = u
		}
		infer := op.InferType
		if infer == nil {
			infer = SameType
		}
		if err := infer(params, c.in, out); err != nil {
			t.Errorf("%s: %v", c.op, err)
			continue
		}
		if fmt.Sprint(c.in) != fmt.Sprint(c.wantIn) || fmt.Sprint(out) != fmt.Sprint(c.wantOut) {
			t.Errorf("%s: in %v out %v, want %v %v", c.op, c.in, out, c.wantIn, c.wantOut)
		}
	}
	op, _ := Lookup("BatchNorm")
	if err := op.InferType(nil, []tensor.DType{tensor.Int32, u, u, u, u}, []tensor.DType{u, u, u}); err == nil {
		t.Error("BatchNorm on int32 accepted")
	}
}
