package train_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/tensor"
	"github.com/mxgo/mxgo/train"
)

// TestModuleTrainsThroughLayerOps trains, through executor.BindTrain, a
// net using the backward kernels of Deconvolution, LayerNorm, Pad, Crop,
// slice_axis, clip and _contrib_BilinearResize2D on a three-class image
// task (a bright band whose row gives the class), and checks that it
// learns it and that the gradient reaches the first layers. The
// deconvolution keeps 8 channels so that LayerNorm over the channel axis
// does not wash out the band (with 2 it learnt only on some kernels'
// rounding).
func TestModuleTrainsThroughLayerOps(t *testing.T) {
	s := graph.Variable("data")
	apply := func(op, name string, attrs map[string]string) {
		t.Helper()
		var err error
		if s, err = graph.Apply(op, graph.Call{Name: name, Inputs: []*graph.Symbol{s}, Attrs: attrs}); err != nil {
			t.Fatal(err)
		}
	}
	apply("Convolution", "conv", map[string]string{"kernel": "(3, 3)", "pad": "(1, 1)", "num_filter": "4"})
	apply("Deconvolution", "deconv", map[string]string{"kernel": "(2, 2)", "stride": "(2, 2)", "num_filter": "8", "no_bias": "False"})
	apply("LayerNorm", "ln", map[string]string{"axis": "1"})
	apply("Pad", "pad", map[string]string{"mode": "constant", "pad_width": "(0, 0, 0, 0, 1, 1, 1, 1)"})
	apply("Crop", "crop", map[string]string{"num_args": "1", "h_w": "(10, 10)", "offset": "(1, 1)"})
	apply("slice_axis", "slice", map[string]string{"axis": "2", "begin": "0", "end": "10"})
	apply("clip", "clip", map[string]string{"a_min": "-3", "a_max": "3"})
	apply("_contrib_BilinearResize2D", "resize", map[string]string{"height": "4", "width": "4"})
	apply("Flatten", "flat", nil)
	apply("FullyConnected", "fc", map[string]string{"num_hidden": "3"})
	apply("SoftmaxOutput", "softmax", nil)

	const n = 120
	rng := rand.New(rand.NewPCG(5, 6))
	xs, ys := make([]float32, n*36), make([]float32, n)
	for i := range n {
		c := i % 3
		ys[i] = float32(c)
		for k := range 36 {
			xs[i*36+k] = float32(rng.NormFloat64() * 0.3)
			if k/6 == 2*c || k/6 == 2*c+1 {
				xs[i*36+k]++
			}
		}
	}
	x, _ := tensor.FromSlice(xs, n, 1, 6, 6)
	y, _ := tensor.FromSlice(ys, n)
	m, err := train.NewModule(s, []string{"data"}, []string{"softmax_label"})
	if err != nil {
		t.Fatal(err)
	}
	m.Threads = 1
	if err := m.Bind(map[string][]int{"data": {12, 1, 6, 6}}, map[string][]int{"softmax_label": {12}}); err != nil {
		t.Fatal(err)
	}
	if err := m.InitParams(train.NewXavier(), 1, nil, nil, false, false); err != nil {
		t.Fatal(err)
	}
	if err := m.InitOptimizer("sgd", map[string]float64{"learning_rate": 0.05, "momentum": 0.9}); err != nil {
		t.Fatal(err)
	}
	it, err := train.NewNDArrayIter([]train.NamedArray{{Name: "data", Array: x}}, []train.NamedArray{{Name: "softmax_label", Array: y}},
		train.IterOptions{BatchSize: 12, Shuffle: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	args, _ := m.GetParams()
	first := map[string]*tensor.Tensor{}
	for _, n := range []string{"conv_weight", "deconv_weight", "deconv_bias", "ln_gamma", "ln_beta"} {
		first[n] = args[n].Clone()
	}
	var last float64
	err = m.Fit(context.Background(), it, nil, train.FitOptions{Epochs: 8, OnEpoch: func(r train.EpochResult) error {
		last = r.Train
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if last < 0.95 {
		t.Errorf("training accuracy %.3f after 8 epochs, want >= 0.95", last)
	}
	// The gradient reached the first layers through every op.
	for n, w := range first {
		if tensor.Equal(w, args[n]) {
			t.Errorf("%s did not change: no gradient reached it", n)
		}
	}
}
