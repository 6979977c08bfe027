package ops

import (
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// TestSupportsNewerOps checks the dtype limits the newer kernels (and the
// float32-only layer kernels) declare for Bind: float32 where the kernel
// computes float32 only, with the inputs it does not compute on (RNN's
// sequence_length, BilinearResize2D's like, Crop's crop_like) left free.
func TestSupportsNewerOps(t *testing.T) {
	f32, f16, i32 := tensor.Float32, tensor.Float16, tensor.Int32
	for _, c := range []struct {
		op    string
		attrs map[string]string
		ok    [][]tensor.DType
		bad   [][]tensor.DType
	}{
		{"RNN", map[string]string{"mode": "lstm", "state_size": "8", "num_layers": "1", "use_sequence_length": "true"},
			[][]tensor.DType{{f32, f32, f32, f32, i32}, {f32, f32, f32, f32, f32}},
			[][]tensor.DType{{f16, f16, f16, f16, i32}, {f32, f32, f16, f32, i32}}},
		{"RNN", map[string]string{"mode": "gru", "state_size": "8", "num_layers": "1"},
			[][]tensor.DType{{f32, f32, f32}}, [][]tensor.DType{{f32, f32, f16}}},
		{"_contrib_ROIAlign", map[string]string{"pooled_size": "(2, 2)", "spatial_scale": "1"},
			[][]tensor.DType{{f32, f32}}, [][]tensor.DType{{f16, f16}}},
		{"_contrib_BilinearResize2D", map[string]string{"mode": "like"},
			[][]tensor.DType{{f32, f32}, {f32, f16}}, [][]tensor.DType{{f16, f32}}},
		{"_contrib_AdaptiveAvgPooling2D", nil, [][]tensor.DType{{f32}}, [][]tensor.DType{{f16}}},
		{"_contrib_box_nms", nil, [][]tensor.DType{{f32}}, [][]tensor.DType{{f16}}},
		{"_contrib_box_iou", nil, [][]tensor.DType{{f32, f32}}, [][]tensor.DType{{tensor.Float64, tensor.Float64}}},
		{"_contrib_MultiBoxPrior", nil, [][]tensor.DType{{f32}}, [][]tensor.DType{{f16}}},
		{"_contrib_MultiBoxDetection", nil, [][]tensor.DType{{f32, f32, f32}}, [][]tensor.DType{{f16, f16, f16}}},
		{"_contrib_MultiBoxTarget", nil, [][]tensor.DType{{f32, f32, f32}}, [][]tensor.DType{{f32, f16, f32}}},
		{"topk", nil, [][]tensor.DType{{f32}}, [][]tensor.DType{{i32}}},
		{"sort", nil, [][]tensor.DType{{f32}}, [][]tensor.DType{{f16}}},
		{"argsort", nil, [][]tensor.DType{{f32}}, [][]tensor.DType{{tensor.Int64}}},
		{"Activation", map[string]string{"act_type": "relu"}, [][]tensor.DType{{f32}}, [][]tensor.DType{{f16}}},
		{"LeakyReLU", map[string]string{"act_type": "prelu"}, [][]tensor.DType{{f32, f32}}, [][]tensor.DType{{f32, f16}}},
		{"dot", nil, [][]tensor.DType{{f32, f32}}, [][]tensor.DType{{f16, f16}}},
		{"batch_dot", nil, [][]tensor.DType{{f32, f32}}, [][]tensor.DType{{tensor.Float64, tensor.Float64}}},
		{"L2Normalization", nil, [][]tensor.DType{{f32}}, [][]tensor.DType{{f16}}},
		{"BatchNorm", nil, [][]tensor.DType{{f32, f32, f32, f32, f32}}, [][]tensor.DType{{f16, f32, f32, f32, f32}}},
		{"LayerNorm", nil, [][]tensor.DType{{f32, f32, f32}}, [][]tensor.DType{{f16, f16, f16}}},
		{"Pad", map[string]string{"mode": "constant", "pad_width": "(0, 0, 0, 0, 1, 1, 1, 1)"}, [][]tensor.DType{{f32}}, [][]tensor.DType{{f16}}},
		{"Crop", map[string]string{"num_args": "2"}, [][]tensor.DType{{f32, f16}}, [][]tensor.DType{{f16, f32}}},
	} {
		op, ok := Lookup(c.op)
		if !ok || op.Supports == nil {
			t.Fatalf("%s: no Supports", c.op)
		}
		params, err := op.Parse(c.attrs)
		if err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		for _, in := range c.ok {
			if err := op.Supports(params, in); err != nil {
				t.Errorf("%s %v: %v", c.op, in, err)
			}
		}
		for _, in := range c.bad {
			if err := op.Supports(params, in); err == nil {
				t.Errorf("%s %v: accepted", c.op, in)
			}
		}
	}
}
