package ops_test

import (
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// fuzzRun parses attrs for op name, infers shapes from inShapes and, when
// everything is known and small, runs the kernel on zero inputs. Property:
// no panic anywhere; errors are fine.
func fuzzRun(t *testing.T, name string, attrs map[string]string, inShapes []ops.Shape) {
	op, _ := ops.Lookup(name)
	params, err := op.Parse(attrs)
	if err != nil {
		return
	}
	names := op.Inputs(params)
	in := make([]ops.Shape, len(names))
	copy(in, inShapes)
	out := make([]ops.Shape, op.Outputs(params))
	if err := op.InferShape(params, in, out); err != nil {
		return
	}
	total := 0
	for _, s := range append(append([]ops.Shape{}, in...), out...) {
		if !ops.ShapeKnown(s) {
			return
		}
		n := 1
		for _, d := range s {
			n *= d
		}
		total += n
	}
	if total > 1<<16 {
		return
	}
	if op.Workspace != nil && op.Workspace(params, in) > 1<<20 {
		return
	}
	xs := make([]*tensor.Tensor, len(in))
	for i, s := range in {
		x, err := tensor.New(tensor.Float32, s...)
		if err != nil {
			return
		}
		if names[i] == "sequence_length" {
			for j := range x.Float32s() {
				x.Float32s()[j] = 1
			}
		}
		xs[i] = x
	}
	_, _ = opstest.Run(name, attrs, xs, nil)
}

// FuzzRNNAttrs feeds arbitrary attribute values and data sizes to RNN's
// parser, shape inference and (for small sizes) kernel.
func FuzzRNNAttrs(f *testing.F) {
	f.Add("lstm", "4", "2", "True", "True", "None", "None", "None", "False", "0.3", 3, 2, 5)
	f.Add("lstm", "6", "1", "False", "True", "3", "-1", "1", "True", "0", 2, 1, 1)
	f.Add("gru", "1", "3", "1", "0", "None", "None", "None", "False", "0", 1, 4, 2)
	f.Add("rnn_relu", "2147483647", "2147483647", "True", "True", "None", "None", "None", "True", "0.99", 1, 1, 1)
	f.Add("rnn_tanh", "-1", "0", "x", "", "-5", "nan", "inf", "2", "1e9", -1, 0, 7)
	f.Fuzz(func(t *testing.T, mode, h, l, bi, so, proj, lo, hi, seq, p string, tl, n, i int) {
		attrs := map[string]string{"mode": mode, "state_size": h, "num_layers": l, "bidirectional": bi,
			"state_outputs": so, "projection_size": proj, "lstm_state_clip_min": lo, "lstm_state_clip_max": hi,
			"use_sequence_length": seq, "p": p}
		for k, v := range attrs {
			if v == "" {
				delete(attrs, k)
			}
		}
		fuzzRun(t, "RNN", attrs, []ops.Shape{{tl % 64, n % 64, i % 64}})
	})
}

// FuzzCreationAttrs does the same for the creation ops' parsers.
func FuzzCreationAttrs(f *testing.F) {
	f.Add("_zeros", "(2, 0, 3)", "float32", "1", "", "", "", "", 3)
	f.Add("_full", "(4,)", "int8", "-7.5", "", "", "", "", 1)
	f.Add("_arange", "", "int32", "", "-4", "9", "2", "3", 0)
	f.Add("_npi_arange", "", "float64", "", "5", "1", "-0.5", "1", 0)
	f.Add("one_hot", "", "float16", "", "", "", "", "7", 5)
	f.Add("_arange", "", "float32", "", "0", "1e300", "1e-300", "2147483647", 0)
	f.Add("_ones", "(-1, 2147483647, 2147483647)", "bool", "", "", "", "", "", 0)
	f.Add("_zeros_without_dtype", "(3, 0)", "-1", "", "", "", "", "", 0)
	f.Fuzz(func(t *testing.T, name, shape, dtype, value, start, stop, step, n string, dim int) {
		attrs := map[string]string{}
		var in []ops.Shape
		switch name {
		case "_zeros", "_ones", "_npi_zeros", "_npi_ones", "_zeros_without_dtype":
			attrs["shape"], attrs["dtype"] = shape, dtype
		case "_full", "_npi_full":
			attrs["shape"], attrs["dtype"], attrs["value"] = shape, dtype, value
		case "_arange", "_npi_arange":
			attrs["start"], attrs["stop"], attrs["step"], attrs["repeat"], attrs["dtype"] = start, stop, step, n, dtype
		case "one_hot":
			attrs["depth"], attrs["on_value"], attrs["dtype"] = n, value, dtype
			in = []ops.Shape{{dim % 32, 3}}
		default:
			return
		}
		for k, v := range attrs {
			if v == "" {
				delete(attrs, k)
			}
		}
		fuzzRun(t, name, attrs, in)
	})
}
