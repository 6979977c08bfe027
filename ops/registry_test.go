package ops

import (
	"slices"
	"testing"
)

// The operators of the inference issue, by canonical name, with the aliases
// MXNet 1.9.1 registers for them.
var wantOps = map[string][]string{
	"FullyConnected": {"_npx_fully_connected"}, "Activation": {"_npx_activation"}, "LeakyReLU": nil,
	"softmax": {"_npx_softmax"}, "log_softmax": {"_npx_log_softmax"}, "SoftmaxActivation": nil,
	"SoftmaxOutput": {"Softmax"}, "LinearRegressionOutput": nil, "LogisticRegressionOutput": nil,
	"MAERegressionOutput": nil, "Dropout": {"_npx_dropout"}, "BatchNorm": {"_npx_batch_norm"}, "LayerNorm": nil,
	"Flatten": {"flatten", "_npx_batch_flatten"}, "Reshape": {"reshape"}, "Concat": {"concat"},
	"SliceChannel": {"split"}, "slice": {"crop", "_npx_slice"}, "slice_axis": nil, "transpose": nil, "expand_dims": nil,
	"elemwise_add": {"_add", "_plus", "_Plus"}, "elemwise_sub": {"_sub", "_minus", "_Minus"},
	"elemwise_mul": {"_mul", "_Mul"}, "elemwise_div": {"_div", "_Div"},
	"broadcast_add": {"broadcast_plus"}, "broadcast_sub": {"broadcast_minus"}, "broadcast_mul": nil,
	"broadcast_div": nil, "broadcast_maximum": nil, "broadcast_minimum": nil, "broadcast_power": nil,
	"add_n":        {"ElementWiseSum"},
	"_plus_scalar": {"_PlusScalar"}, "_minus_scalar": {"_MinusScalar"}, "_rminus_scalar": {"_RMinusScalar"},
	"_mul_scalar": {"_MulScalar"}, "_div_scalar": {"_DivScalar"}, "_rdiv_scalar": {"_RDivScalar"},
	"_power_scalar": {"_PowerScalar"}, "_rpower_scalar": {"_RPowerScalar"},
	"_maximum_scalar": {"_MaximumScalar"}, "_minimum_scalar": {"_MinimumScalar"},
	"_power": {"_Power"}, "_maximum": {"_Maximum"}, "_minimum": {"_Minimum"},
	"dot": nil, "batch_dot": nil, "Embedding": {"_npx_embedding"}, "clip": nil,
	"exp": nil, "log": nil, "sqrt": nil, "square": nil, "abs": nil, "negative": nil,
	"sum": {"sum_axis"}, "mean": nil, "max": {"max_axis"}, "min": {"min_axis"}, "argmax": nil, "argmin": nil,
	"_copy": {"identity"}, "BlockGrad": {"stop_gradient"}, "make_loss": nil, "Cast": {"cast"},
	"Convolution": {"_npx_convolution"}, "Deconvolution": {"_npx_deconvolution"}, "Pooling": {"_npx_pooling"},
	"UpSampling": nil,
}

func TestRegistryCoversTheOpList(t *testing.T) {
	for name, aliases := range wantOps {
		op, ok := Lookup(name)
		if !ok || op.Name != name {
			t.Errorf("%s not registered under its canonical name", name)
			continue
		}
		for _, a := range aliases {
			if got, ok := Lookup(a); !ok || got != op {
				t.Errorf("alias %s does not resolve to %s", a, name)
			}
		}
		if op.InferShape == nil {
			t.Errorf("%s has no shape inference", name)
		}
	}
	if n := len(Names()); n != len(wantOps) {
		t.Errorf("%d ops registered, want %d: %v", n, len(wantOps), Names())
	}
}

func parsed(t *testing.T, name string, attrs map[string]string) (*Op, any) {
	t.Helper()
	op, _ := Lookup(name)
	if op.Parse == nil {
		return op, nil
	}
	p, err := op.Parse(attrs)
	if err != nil {
		t.Fatalf("%s %v: %v", name, attrs, err)
	}
	return op, p
}

func TestOpMetadata(t *testing.T) {
	cases := []struct {
		op                string
		attrs             map[string]string
		inputs            []string
		aux               []int
		outputs, visible  int
		names             []string
		varAttrInput      int
		varAttr, varValue string
	}{
		{"FullyConnected", map[string]string{"num_hidden": "1"}, []string{"data", "weight", "bias"}, nil, 1, 1, []string{"output"}, -1, "", ""},
		{"FullyConnected", map[string]string{"num_hidden": "1", "no_bias": "True"}, []string{"data", "weight"}, nil, 1, 1, []string{"output"}, -1, "", ""},
		{"BatchNorm", nil, []string{"data", "gamma", "beta", "moving_mean", "moving_var"}, []int{3, 4}, 3, 1, []string{"output", "mean", "var"}, 3, "__init__", `["zero", {}]`},
		{"BatchNorm", map[string]string{"output_mean_var": "True"}, nil, []int{3, 4}, 3, 3, nil, 4, "__init__", `["one", {}]`},
		{"LayerNorm", nil, []string{"data", "gamma", "beta"}, nil, 3, 1, []string{"output", "mean", "std"}, -1, "", ""},
		{"Dropout", nil, []string{"data"}, nil, 2, 1, []string{"output", "mask"}, -1, "", ""},
		{"LeakyReLU", map[string]string{"act_type": "prelu"}, []string{"data", "gamma"}, nil, 1, 1, []string{"output"}, 1, "__init__", `["Constant", {"value": 0.25}]`},
		{"LeakyReLU", map[string]string{"act_type": "rrelu"}, []string{"data"}, nil, 2, 2, []string{"output", "mask"}, -1, "", ""},
		{"Pooling", map[string]string{"kernel": "(2, 2)"}, []string{"data"}, nil, 2, 1, []string{"output", "workspace"}, -1, "", ""},
		{"Pooling", map[string]string{"kernel": "(2, 2)", "pool_type": "avg"}, nil, nil, 1, 1, []string{"output"}, -1, "", ""},
		{"Pooling", map[string]string{"kernel": "(2, 2)", "layout": "NHWC"}, nil, nil, 1, 1, nil, -1, "", ""},
		{"Pooling", map[string]string{"global_pool": "True", "pool_type": "max"}, nil, nil, 1, 1, nil, -1, "", ""},
		{"Pooling", map[string]string{"global_pool": "True", "kernel": "(7, 7)"}, nil, nil, 2, 1, nil, -1, "", ""},
		{"SliceChannel", map[string]string{"num_outputs": "1"}, nil, nil, 1, 1, []string{"output0"}, -1, "", ""},
		{"SliceChannel", map[string]string{"num_outputs": "3"}, nil, nil, 3, 3, []string{"output0", "output1", "output2"}, -1, "", ""},
		{"Concat", map[string]string{"num_args": "3"}, []string{"arg0", "arg1", "arg2"}, nil, 1, 1, nil, -1, "", ""},
		{"SoftmaxOutput", nil, []string{"data", "label"}, nil, 1, 1, nil, -1, "", ""},
		{"softmax", map[string]string{"use_length": "True"}, []string{"data", "length"}, nil, 1, 1, nil, -1, "", ""},
		{"elemwise_add", nil, []string{"lhs", "rhs"}, nil, 1, 1, nil, -1, "", ""},
		{"Embedding", map[string]string{"input_dim": "2", "output_dim": "3"}, []string{"data", "weight"}, nil, 1, 1, nil, -1, "", ""},
		{"UpSampling", map[string]string{"scale": "2", "sample_type": "bilinear", "num_args": "2"}, []string{"data", "weight"}, nil, 1, 1, nil, 1, "__init__", `["bilinear", {}]`},
		{"UpSampling", map[string]string{"scale": "2", "sample_type": "nearest", "num_args": "2"}, []string{"arg0", "arg1"}, nil, 1, 1, nil, -1, "", ""},
	}
	for _, c := range cases {
		op, p := parsed(t, c.op, c.attrs)
		if c.inputs != nil && !slices.Equal(op.Inputs(p), c.inputs) {
			t.Errorf("%s %v: inputs %v, want %v", c.op, c.attrs, op.Inputs(p), c.inputs)
		}
		if !slices.Equal(op.Aux(p), c.aux) {
			t.Errorf("%s: aux %v, want %v", c.op, op.Aux(p), c.aux)
		}
		if op.Outputs(p) != c.outputs || op.VisibleOutputs(p) != c.visible {
			t.Errorf("%s %v: outputs %d/%d, want %d/%d", c.op, c.attrs, op.Outputs(p), op.VisibleOutputs(p), c.outputs, c.visible)
		}
		for i, n := range c.names {
			if got := op.OutputName(p, i, c.outputs); got != n {
				t.Errorf("%s output %d named %q, want %q", c.op, i, got, n)
			}
		}
		if c.varAttrInput >= 0 {
			if got := op.InputVarAttrs(p, c.varAttrInput)[c.varAttr]; got != c.varValue {
				t.Errorf("%s input %d var attr %q, want %q", c.op, c.varAttrInput, got, c.varValue)
			}
		}
	}
	if got := defaultOutputName(1, 2); got != "output1" {
		t.Errorf("default output name %q", got)
	}
}

func TestConvParserDefaults(t *testing.T) {
	_, p := parsed(t, "Convolution", map[string]string{"kernel": "(3, 3)", "num_filter": "8", "cudnn_tune": "off", "workspace": "1024", "cudnn_off": "False"})
	c := p.(*ConvolutionParam)
	if !slices.Equal(c.Stride, []int{1, 1}) || !slices.Equal(c.Dilate, []int{1, 1}) || !slices.Equal(c.Pad, []int{0, 0}) || c.Layout != Some(LayoutNCHW) || c.NumGroup != 1 || c.CudnnTune != Some(0) {
		t.Errorf("conv defaults: %+v", c)
	}
	op, _ := Lookup("Convolution")
	for _, attrs := range []map[string]string{
		{"kernel": "(1, 2, 3, 4)", "num_filter": "1"},
		{"kernel": "(3, 3)", "num_filter": "1", "stride": "(1,)"},
		{"kernel": "(3, 3)", "num_filter": "1", "layout": "NCW"},
		{"kernel": "(3, 3)"},
	} {
		if _, err := op.Parse(attrs); err == nil {
			t.Errorf("%v accepted", attrs)
		}
	}
	_, p = parsed(t, "Deconvolution", map[string]string{"kernel": "(4,)", "num_filter": "2"})
	d := p.(*DeconvolutionParam)
	if !d.NoBias || d.Workspace != 512 || !slices.Equal(d.Adj, []int{0}) || d.Layout != Some(LayoutNCW) {
		t.Errorf("deconv defaults: %+v", d)
	}
	if _, err := op.Parse(map[string]string{"kernel": "(3, 3)", "num_filter": "1", "layout": "NWC"}); err == nil {
		t.Error("NWC with a 2-D kernel accepted")
	}
	dop, _ := Lookup("Deconvolution")
	if _, err := dop.Parse(map[string]string{"kernel": "(3,)", "num_filter": "1", "layout": "NWC"}); err == nil {
		t.Error("Deconvolution accepted layout NWC")
	}
	_, p = parsed(t, "BatchNorm", nil)
	if bn := p.(*BatchNormParam); bn.Eps != float64(float32(1e-3)) || !bn.FixGamma || bn.Momentum != 0.9 || bn.Axis != 1 {
		t.Errorf("BatchNorm defaults: %+v", bn)
	}
	_, p = parsed(t, "Pooling", map[string]string{"kernel": "(2,2)"})
	if pp := p.(*PoolingParam); !slices.Equal(pp.Stride, []int{1, 1}) || !slices.Equal(pp.Pad, []int{0, 0}) {
		t.Errorf("Pooling defaults: %+v", pp)
	}
	pop, _ := Lookup("Pooling")
	if _, err := pop.Parse(map[string]string{"kernel": "(1,2,3,4)"}); err == nil {
		t.Error("4-D pooling accepted")
	}
}

// TestEveryOpHasAKernel keeps the registry runnable: an op registered
// without Forward would load and print but fail at Bind.
func TestEveryOpHasAKernel(t *testing.T) {
	for _, n := range Names() {
		if op, _ := Lookup(n); op.Forward == nil {
			t.Errorf("operator %s has no forward kernel", n)
		}
	}
}
