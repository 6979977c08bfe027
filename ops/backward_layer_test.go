package ops_test

import (
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// floatsT returns a float32 tensor holding vals with the given shape.
func floatsT(vals []float32, shape ...int) *tensor.Tensor {
	t, _ := tensor.New(tensor.Float32, shape...)
	copy(t.Float32s(), vals)
	return t
}

type gradCase struct {
	name  string
	attrs map[string]string
	in    []*tensor.Tensor
	opt   *opstest.GradOptions
}

func runGradCases(t *testing.T, op string, cases []gradCase) {
	t.Helper()
	for i, c := range cases {
		opt := c.opt
		if opt == nil {
			opt = &opstest.GradOptions{}
		}
		opt.Seed = uint64(i)
		if err := opstest.CheckGrad(op, c.attrs, c.in, opt); err != nil {
			t.Errorf("%s %s: %v", op, c.name, err)
		}
	}
}

func TestBackwardDeconvolution(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	r := func(shape ...int) *tensor.Tensor { return randT(rng, -1, 1, shape...) }
	runGradCases(t, "Deconvolution", []gradCase{
		{"stride pad adj bias", map[string]string{"kernel": "(3, 3)", "num_filter": "3", "stride": "(2, 2)", "pad": "(1, 1)", "adj": "(1, 1)", "no_bias": "False"},
			[]*tensor.Tensor{r(2, 4, 3, 3), r(4, 3, 3, 3), r(3)}, nil},
		{"groups dilate", map[string]string{"kernel": "(2, 2)", "num_filter": "4", "num_group": "2", "dilate": "(2, 1)"},
			[]*tensor.Tensor{r(1, 4, 3, 4), r(4, 2, 2, 2)}, nil},
		{"1-D", map[string]string{"kernel": "(3,)", "num_filter": "2", "stride": "(2,)", "pad": "(1,)", "no_bias": "False"},
			[]*tensor.Tensor{r(2, 3, 5), r(3, 2, 3), r(2)}, nil},
		{"target_shape", map[string]string{"kernel": "(3, 3)", "num_filter": "2", "stride": "(2, 2)", "target_shape": "(6, 5)"},
			[]*tensor.Tensor{r(1, 2, 3, 3), r(2, 2, 3, 3)}, nil},
		{"3-D", map[string]string{"kernel": "(2, 2, 2)", "num_filter": "2", "stride": "(1, 2, 1)"},
			[]*tensor.Tensor{r(1, 2, 2, 2, 3), r(2, 2, 2, 2, 2)}, nil},
		{"2 threads", map[string]string{"kernel": "(3, 3)", "num_filter": "4", "num_group": "2", "stride": "(2, 1)", "pad": "(1, 0)", "no_bias": "False"},
			[]*tensor.Tensor{r(2, 2, 4, 3), r(2, 2, 3, 3), r(4)}, &opstest.GradOptions{Threads: 2}},
	})
}

func TestBackwardLayerNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	r := func(shape ...int) *tensor.Tensor { return randT(rng, -1, 1, shape...) }
	one := &opstest.GradOptions{NumGradOutputs: 1}
	runGradCases(t, "LayerNorm", []gradCase{
		{"axis -1", nil, []*tensor.Tensor{r(3, 5), r(5), r(5)}, one},
		{"axis 1", map[string]string{"axis": "1"}, []*tensor.Tensor{r(2, 3, 4), r(3), r(3)}, one},
		{"axis -3 eps", map[string]string{"axis": "-3", "eps": "0.01", "output_mean_var": "True"}, []*tensor.Tensor{r(4, 2, 3), r(4), r(4)}, one},
	})
}

func TestBackwardSliceFamily(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	r := func(shape ...int) *tensor.Tensor { return randT(rng, -1, 1, shape...) }
	runGradCases(t, "slice", []gradCase{
		{"steps", map[string]string{"begin": "(0, 1, None)", "end": "(2, None, 0)", "step": "(1, 2, -1)"}, []*tensor.Tensor{r(3, 4, 5)}, nil},
		{"leading", map[string]string{"begin": "(1,)", "end": "(-1,)"}, []*tensor.Tensor{r(4, 3)}, nil},
	})
	runGradCases(t, "crop", []gradCase{
		{"alias", map[string]string{"begin": "(0, 1)", "end": "(2, 3)"}, []*tensor.Tensor{r(3, 4)}, nil},
	})
	runGradCases(t, "slice_axis", []gradCase{
		{"axis -1", map[string]string{"axis": "-1", "begin": "1", "end": "4"}, []*tensor.Tensor{r(2, 3, 5)}, nil},
		{"axis 0 end None", map[string]string{"axis": "0", "begin": "-2", "end": "None"}, []*tensor.Tensor{r(4, 3)}, nil},
	})
	runGradCases(t, "slice_like", []gradCase{
		{"all axes", nil, []*tensor.Tensor{r(3, 4), r(2, 3)}, nil},
		{"axes (1,)", map[string]string{"axes": "(1,)"}, []*tensor.Tensor{r(3, 4), r(1, 2)}, nil},
	})
	runGradCases(t, "Crop", []gradCase{
		{"h_w offset", map[string]string{"num_args": "1", "h_w": "(2, 3)", "offset": "(1, 1)"}, []*tensor.Tensor{r(2, 2, 4, 5)}, nil},
		{"crop_like center", map[string]string{"num_args": "2", "center_crop": "True"}, []*tensor.Tensor{r(1, 2, 5, 5), r(1, 1, 2, 3)}, nil},
	})
}

func TestBackwardTake(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	r := func(shape ...int) *tensor.Tensor { return randT(rng, -1, 1, shape...) }
	idx := func() *tensor.Tensor { return floatsT([]float32{0, 3, 1, 1, 5, -1}, 2, 3) }
	noIdx := &opstest.GradOptions{NoGrad: []int{1}}
	runGradCases(t, "take", []gradCase{
		{"axis 0 clip", nil, []*tensor.Tensor{r(4, 3), idx()}, noIdx},
		{"axis 0 wrap", map[string]string{"mode": "wrap"}, []*tensor.Tensor{r(4, 3), idx()}, noIdx},
		{"axis 1 clip", map[string]string{"axis": "1"}, []*tensor.Tensor{r(2, 4, 3), idx()}, noIdx},
		{"axis -1 wrap", map[string]string{"axis": "-1", "mode": "wrap"}, []*tensor.Tensor{r(2, 3, 4), idx()}, noIdx},
	})
}

func TestBackwardClip(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	x := randT(rng, -1, 1, 4, 6)
	for i, v := range x.Float32s() { // keep the finite difference off the bounds
		if v > 0.48 && v < 0.52 || v > -0.52 && v < -0.48 {
			x.Float32s()[i] = 0
		}
	}
	runGradCases(t, "clip", []gradCase{
		{"[-0.5, 0.5]", map[string]string{"a_min": "-0.5", "a_max": "0.5"}, []*tensor.Tensor{x}, nil},
		{"a_min > a_max", map[string]string{"a_min": "0.5", "a_max": "-0.5"}, []*tensor.Tensor{x.Clone()}, nil},
	})
}

func TestBackwardPad(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	r := func(shape ...int) *tensor.Tensor { return randT(rng, -1, 1, shape...) }
	runGradCases(t, "Pad", []gradCase{
		{"constant", map[string]string{"mode": "constant", "pad_width": "(0, 0, 0, 0, 1, 2, 2, 1)", "constant_value": "0.5"}, []*tensor.Tensor{r(2, 1, 3, 4)}, nil},
		{"edge", map[string]string{"mode": "edge", "pad_width": "(0, 0, 0, 0, 2, 1, 1, 3)"}, []*tensor.Tensor{r(1, 2, 3, 4)}, nil},
		{"reflect", map[string]string{"mode": "reflect", "pad_width": "(0, 0, 0, 0, 2, 1, 1, 2)"}, []*tensor.Tensor{r(1, 2, 3, 4)}, nil},
		{"5-D edge", map[string]string{"mode": "edge", "pad_width": "(0, 0, 0, 0, 1, 0, 0, 1, 1, 1)"}, []*tensor.Tensor{r(1, 1, 2, 2, 3)}, nil},
		{"5-D reflect", map[string]string{"mode": "reflect", "pad_width": "(0, 0, 0, 0, 1, 1, 1, 0, 0, 2)"}, []*tensor.Tensor{r(1, 1, 3, 2, 3)}, nil},
	})
}

func TestBackwardUpSampling(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	r := func(shape ...int) *tensor.Tensor { return randT(rng, -1, 1, shape...) }
	runGradCases(t, "UpSampling", []gradCase{
		{"nearest", map[string]string{"scale": "2", "sample_type": "nearest", "num_args": "1"}, []*tensor.Tensor{r(2, 2, 2, 3)}, nil},
		{"nearest concat", map[string]string{"scale": "2", "sample_type": "nearest", "num_args": "2"}, []*tensor.Tensor{r(1, 2, 2, 2), r(1, 1, 4, 4)}, nil},
		{"nearest sum", map[string]string{"scale": "3", "sample_type": "nearest", "num_args": "2", "multi_input_mode": "sum"}, []*tensor.Tensor{r(1, 2, 1, 2), r(1, 2, 3, 6)}, nil},
		{"bilinear", map[string]string{"scale": "2", "sample_type": "bilinear", "num_args": "2", "num_filter": "2"}, []*tensor.Tensor{r(1, 2, 3, 3), r(2, 1, 4, 4)}, nil},
	})
}

func TestBackwardBilinearResize(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	r := func(shape ...int) *tensor.Tensor { return randT(rng, -1, 1, shape...) }
	runGradCases(t, "_contrib_BilinearResize2D", []gradCase{
		{"up align", map[string]string{"height": "5", "width": "7"}, []*tensor.Tensor{r(1, 2, 3, 4)}, nil},
		{"up no align", map[string]string{"height": "6", "width": "5", "align_corners": "False"}, []*tensor.Tensor{r(2, 1, 3, 2)}, nil},
		{"down", map[string]string{"height": "2", "width": "3", "align_corners": "False"}, []*tensor.Tensor{r(1, 2, 5, 7)}, nil},
		{"same size", map[string]string{"height": "3", "width": "4"}, []*tensor.Tensor{r(1, 1, 3, 4)}, nil},
		{"like", map[string]string{"mode": "like"}, []*tensor.Tensor{r(1, 2, 3, 3), r(1, 1, 4, 5)}, nil},
	})
}
