package ops

import (
	"strings"
	"testing"
)

// TestAttributeValidation feeds attribute values outside MXNet 1.9.1's
// domain (its CHECKs in ConvolutionShape, PoolingShape, the oneDNN pooling
// pad check, pool.h's p_value switch, SoftmaxCompute's CheckAxis, ...) and
// values that would overflow the output-size arithmetic. Each must fail at
// Parse or InferShape with an error naming the attribute, never panic, and
// never produce a shape.
func TestAttributeValidation(t *testing.T) {
	conv := func(kv ...string) map[string]string {
		m := map[string]string{"kernel": "(3, 3)", "num_filter": "4"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	pool := func(kv ...string) map[string]string {
		m := map[string]string{"kernel": "(2, 2)", "pool_type": "max"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	nchw := []Shape{{1, 4, 8, 8}}
	cases := []struct {
		name, op string
		attrs    map[string]string
		in       []Shape
		want     string // substring of the error
	}{
		{"conv stride 0", "Convolution", conv("stride", "(0, 0)"), nchw, "stride"},
		{"conv stride negative", "Convolution", conv("stride", "(-1, -1)"), nchw, "stride"},
		{"conv kernel 0", "Convolution", conv("kernel", "(0, 0)"), nchw, "kernel"},
		{"conv dilate 0", "Convolution", conv("dilate", "(0, 0)"), nchw, "dilate"},
		{"conv dilate huge", "Convolution", conv("dilate", "(4611686018427387905, 1)"), nchw, "dilate"},
		{"conv pad negative", "Convolution", conv("pad", "(-1, 0)"), nchw, "pad"},
		{"conv pad min int", "Convolution", conv("pad", "(-9223372036854775808, 0)"), nchw, "pad"},
		{"conv pad huge", "Convolution", conv("pad", "(4294967296, 0)"), nchw, "pad"},
		{"conv num_filter vs num_group", "Convolution", conv("num_group", "3"), []Shape{{1, 3, 8, 8}}, "num_group"},
		{"conv channels vs num_group", "Convolution", conv("num_group", "2"), []Shape{{1, 3, 8, 8}}, "num_group"},
		{"conv kernel exceeds input", "Convolution", conv("kernel", "(9, 9)"), nchw, "exceeds input"},
		{"deconv stride 0", "Deconvolution", conv("stride", "(0, 0)"), nchw, "stride"},
		{"deconv adj negative", "Deconvolution", conv("adj", "(-1, 0)"), nchw, "adj"},
		{"deconv stride overflow", "Deconvolution", conv("stride", "(2147483647, 1)"), []Shape{{1, 4, 1 << 40, 8}}, "overflow"},
		{"pool stride 0", "Pooling", pool("stride", "(0, 0)"), nchw, "stride"},
		{"pool stride negative", "Pooling", pool("stride", "(-2, 1)"), nchw, "stride"},
		{"pool kernel 0", "Pooling", pool("kernel", "(0, 0)"), nchw, "kernel"},
		{"pool pad = kernel", "Pooling", pool("pad", "(2, 2)"), nchw, "pad"},
		{"pool pad min int", "Pooling", pool("pad", "(-9223372036854775808, 0)"), nchw, "pad"},
		{"pool p_value 4", "Pooling", pool("pool_type", "lp", "p_value", "4"), nchw, "p_value"},
		{"pool p_value 0", "Pooling", pool("pool_type", "lp", "p_value", "0"), nchw, "p_value"},
		{"pool lp without p_value", "Pooling", pool("pool_type", "lp"), nchw, "p_value"},
		{"pool output_size 0", "Pooling", pool("output_size", "(0, 0)"), nchw, "output_size"},
		{"upsampling scale overflow", "UpSampling", map[string]string{"scale": "2147483647", "sample_type": "nearest", "num_args": "1"},
			[]Shape{{1, 1, 1 << 40, 1}}, "overflow"},
		{"upsampling scale huge", "UpSampling", map[string]string{"scale": "4294967296", "sample_type": "nearest", "num_args": "1"},
			nchw, "scale"},
		{"softmax axis 9", "softmax", map[string]string{"axis": "9"}, []Shape{{2, 3}}, "axis"},
		{"log_softmax axis -3", "log_softmax", map[string]string{"axis": "-3"}, []Shape{{2, 3}}, "axis"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			op, ok := Lookup(c.op)
			if !ok {
				t.Fatalf("no op %s", c.op)
			}
			params, err := op.Parse(c.attrs)
			if err == nil {
				names := op.Inputs(params)
				in := make([]Shape, len(names))
				copy(in, c.in)
				out := make([]Shape, op.Outputs(params))
				err = op.InferShape(params, in, out)
				if err == nil {
					t.Fatalf("accepted: output shapes %v", out)
				}
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

// TestTypedParamsValidated checks that the shape functions validate params
// that did not come through Parse (typed params built in Go): a zero
// stride is an error, not a division by zero.
func TestTypedParamsValidated(t *testing.T) {
	conv, _ := Lookup("Convolution")
	p := &ConvolutionParam{ConvGeometry: ConvGeometry{Kernel: []int{3, 3}, Stride: []int{0, 0}, Dilate: []int{1, 1}, Pad: []int{0, 0},
		NumFilter: 4, NumGroup: 1}, NoBias: true, Layout: Some(LayoutNCHW)}
	if err := conv.InferShape(p, []Shape{{1, 4, 8, 8}, nil}, make([]Shape, 1)); err == nil || !strings.Contains(err.Error(), "stride") {
		t.Fatalf("conv stride 0: %v", err)
	}
	pool, _ := Lookup("Pooling")
	pp := &PoolingParam{Kernel: []int{2, 2}, Stride: []int{0, 0}, Pad: []int{0, 0}}
	if err := pool.InferShape(pp, []Shape{{1, 4, 8, 8}}, make([]Shape, 2)); err == nil || !strings.Contains(err.Error(), "stride") {
		t.Fatalf("pool stride 0: %v", err)
	}
}

func TestShapeArithmetic(t *testing.T) {
	if _, err := mulDim(1<<62, 4); err == nil {
		t.Fatal("mulDim(2^62, 4) did not overflow")
	}
	if v, err := mulDim(1<<31, 1<<31); err != nil || v != 1<<62 {
		t.Fatalf("mulDim(2^31, 2^31) = %d, %v", v, err)
	}
	if _, err := mulDim(-1, 2); err == nil {
		t.Fatal("mulDim(-1, 2) accepted")
	}
	if _, err := addDim(1<<62, 1<<62); err == nil {
		t.Fatal("addDim(2^62, 2^62) did not overflow")
	}
	if v, err := addDim(3, -5); err != nil || v != -2 {
		t.Fatalf("addDim(3, -5) = %d, %v", v, err)
	}
	if prod(Shape{1 << 40, 1 << 40}) != -1 {
		t.Fatal("prod overflow not reported as unknown")
	}
}
