package train_test

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
	"github.com/mxgo/mxgo/train"
)

func mlp(t *testing.T, classes int) *graph.Symbol {
	t.Helper()
	apply := func(op string, c graph.Call) *graph.Symbol {
		s, err := graph.Apply(op, c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	data := graph.Variable("data")
	fc1 := apply("FullyConnected", graph.Call{Name: "fc1", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"num_hidden": "16"}})
	r := apply("Activation", graph.Call{Name: "relu1", Inputs: []*graph.Symbol{fc1}, Attrs: map[string]string{"act_type": "relu"}})
	fc2 := apply("FullyConnected", graph.Call{Name: "fc2", Inputs: []*graph.Symbol{r}, Attrs: map[string]string{"num_hidden": "3"}})
	return apply("SoftmaxOutput", graph.Call{Name: "softmax", Inputs: []*graph.Symbol{fc2}})
}

// blobs returns n samples of 3 Gaussian blobs in 4-D.
func blobs(seed uint64, n int) (x, y *tensor.Tensor) {
	rng := rand.New(rand.NewPCG(seed, 1))
	xs, ys := make([]float32, n*4), make([]float32, n)
	for i := range n {
		c := i % 3
		ys[i] = float32(c)
		for k := range 4 {
			xs[i*4+k] = float32(rng.NormFloat64() * 0.5)
		}
		xs[i*4+c] += 2
	}
	x, _ = tensor.FromSlice(xs, n, 4)
	y, _ = tensor.FromSlice(ys, n)
	return x, y
}

func iterOf(t *testing.T, x, y *tensor.Tensor, bs int, shuffle bool) *train.NDArrayIter {
	it, err := train.NewNDArrayIter([]train.NamedArray{{Name: "data", Array: x}}, []train.NamedArray{{Name: "softmax_label", Array: y}},
		train.IterOptions{BatchSize: bs, Shuffle: shuffle, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestModuleFitCheckpoint(t *testing.T) {
	x, y := blobs(1, 300)
	ex, ey := blobs(2, 90)
	m, err := train.NewModule(mlp(t, 3), []string{"data"}, []string{"softmax_label"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Bind(map[string][]int{"data": {30, 4}}, map[string][]int{"softmax_label": {30}}); err != nil {
		t.Fatal(err)
	}
	if err := m.InitParams(train.NewXavier(), 1, nil, nil, false, false); err != nil {
		t.Fatal(err)
	}
	if err := m.InitOptimizer("sgd", map[string]float64{"learning_rate": 0.1, "momentum": 0.9}); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(t.TempDir(), "mlp")
	var results []train.EpochResult
	err = m.Fit(context.Background(), iterOf(t, x, y, 30, true), iterOf(t, ex, ey, 30, false), train.FitOptions{
		Epochs:   3,
		EpochEnd: []train.EpochEndCallback{train.DoCheckpoint(prefix, 1)},
		OnEpoch:  func(r train.EpochResult) error { results = append(results, r); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 || results[2].Eval < 0.95 || results[2].Samples != 300 {
		t.Fatalf("results %+v: want 3 epochs reaching 95%% eval accuracy", results)
	}
	// The last checkpoint loads with serialize and predicts as the module.
	ck, err := serialize.LoadCheckpoint(prefix, 3)
	if err != nil {
		t.Fatal(err)
	}
	model, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {30, 4}})
	if err != nil {
		t.Fatal(err)
	}
	it := iterOf(t, ex, ey, 30, false)
	b, _ := it.Next()
	if err := m.Forward(context.Background(), b, false); err != nil {
		t.Fatal(err)
	}
	out, err := model.Predict(context.Background(), b.Data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range out[0].Float32s() {
		if w := m.Outputs()[0].Float32s()[i]; math.Abs(float64(v-w)) > 1e-6 {
			t.Fatalf("prediction %d: checkpoint %g, module %g", i, v, w)
		}
	}
	// Symbol JSON re-prints byte-identically; params re-save identically.
	symPath, paramsPath := serialize.CheckpointPaths(prefix, 3)
	again := filepath.Join(t.TempDir(), "again")
	if err := serialize.SaveCheckpoint(again, 3, ck); err != nil {
		t.Fatal(err)
	}
	s2, p2 := serialize.CheckpointPaths(again, 3)
	for _, pair := range [][2]string{{symPath, s2}, {paramsPath, p2}} {
		a, _ := os.ReadFile(pair[0])
		b, _ := os.ReadFile(pair[1])
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs from its re-save", filepath.Base(pair[0]))
		}
	}
	if fi, err := os.Stat(paramsPath); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("params file mode: %v %v", fi, err)
	}
	// A module loaded from the checkpoint resumes with the same parameters.
	m2, err := train.LoadModule(prefix, 3, []string{"data"}, []string{"softmax_label"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := m2.Bind(map[string][]int{"data": {30, 4}}, map[string][]int{"softmax_label": {30}}); err != nil {
		t.Fatal(err)
	}
	a1, _ := m.GetParams()
	a2, _ := m2.GetParams()
	for n, v := range a1 {
		if string(v.Bytes()) != string(a2[n].Bytes()) {
			t.Errorf("loaded %s differs", n)
		}
	}
	if err := m2.SetParams(map[string]*tensor.Tensor{"nope": a1["fc1_bias"]}, nil, true, false); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("extra parameter: %v", err)
	}
	if err := m2.SaveCheckpoint(prefix, 4, true); err == nil || !strings.Contains(err.Error(), "optimizer") {
		t.Errorf("optimizer states without an optimizer: %v", err)
	}
	// With optimizer states (PREFIX-0005.states, the pickle MXNet writes),
	// a reloaded module takes the same next step as the original: momentum
	// included.
	if err := m.SaveCheckpoint(prefix, 5, true); err != nil {
		t.Fatal(err)
	}
	if _, err := serialize.LoadOptimizerStates(serialize.OptimizerStatesPath(prefix, 5)); err != nil {
		t.Fatalf("states file: %v", err)
	}
	m3, err := train.LoadModule(prefix, 5, []string{"data"}, []string{"softmax_label"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := m3.Bind(map[string][]int{"data": {30, 4}}, map[string][]int{"softmax_label": {30}}); err != nil {
		t.Fatal(err)
	}
	if err := m3.InitOptimizer("sgd", map[string]float64{"learning_rate": 0.1, "momentum": 0.9}); err != nil {
		t.Fatal(err)
	}
	step := func(mod *train.Module) map[string]*tensor.Tensor {
		b, _ := iterOf(t, ex, ey, 30, false).Next()
		if err := mod.Forward(context.Background(), b, true); err != nil {
			t.Fatal(err)
		}
		if err := mod.Backward(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := mod.Update(); err != nil {
			t.Fatal(err)
		}
		args, _ := mod.GetParams()
		return args
	}
	want, got := step(m), step(m3)
	for n, v := range want {
		if string(v.Bytes()) != string(got[n].Bytes()) {
			t.Errorf("after one resumed step %s differs", n)
		}
	}
}

func TestModuleBadInput(t *testing.T) {
	data := graph.Variable("data")
	fc, _ := graph.Apply("FullyConnected", graph.Call{Name: "fc", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"num_hidden": "3"}})
	if _, err := train.NewModule(fc, []string{"data"}, nil); err == nil || !strings.Contains(err.Error(), "no loss head") {
		t.Errorf("no loss head: %v", err)
	}
	m, err := train.NewModule(mlp(t, 3), []string{"data"}, []string{"softmax_label"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Bind(map[string][]int{"data": {3, 4}}, map[string][]int{"softmax_label": {3}}); err != nil {
		t.Fatal(err)
	}
	if err := m.InitParams(nil, 0, nil, nil, false, false); err != nil {
		t.Fatal(err)
	}
	if err := m.InitOptimizer("sgd", nil); err != nil {
		t.Fatal(err)
	}
	x, _ := tensor.FromSlice(make([]float32, 12), 3, 4)
	y, _ := tensor.FromSlice([]float32{0, 1, 3}, 3)
	ctx := context.Background()
	err = m.Fit(ctx, iterOf(t, x, y, 3, false), nil, train.FitOptions{Epochs: 1})
	if err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("label out of range: %v", err)
	}
	x.Float32s()[5] = float32(math.NaN())
	y.Float32s()[2] = 2
	err = m.Forward(ctx, &train.DataBatch{Data: []*tensor.Tensor{x}, Label: []*tensor.Tensor{y}}, true)
	if err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN data: %v", err)
	}
	y2, _ := tensor.FromSlice([]float32{0, 1}, 2)
	if _, err := train.NewNDArrayIter([]train.NamedArray{{Name: "data", Array: x}}, []train.NamedArray{{Name: "softmax_label", Array: y2}}, train.IterOptions{BatchSize: 1}); err == nil {
		t.Error("mismatched data/label counts: no error")
	}
}

// TestModuleStepNoAllocs checks that a training step (forward, backward,
// SGD update, metric) allocates nothing after warm-up.
func TestModuleStepNoAllocs(t *testing.T) {
	x, y := blobs(3, 30)
	m, err := train.NewModule(mlp(t, 3), []string{"data"}, []string{"softmax_label"})
	if err != nil {
		t.Fatal(err)
	}
	m.Threads = 1
	if err := m.Bind(map[string][]int{"data": {30, 4}}, map[string][]int{"softmax_label": {30}}); err != nil {
		t.Fatal(err)
	}
	if err := m.InitParams(train.NewXavier(), 1, nil, nil, false, false); err != nil {
		t.Fatal(err)
	}
	if err := m.InitOptimizer("sgd", map[string]float64{"learning_rate": 0.1, "momentum": 0.9}); err != nil {
		t.Fatal(err)
	}
	b := &train.DataBatch{Data: []*tensor.Tensor{x}, Label: []*tensor.Tensor{y}}
	acc := train.NewAccuracy()
	ctx := context.Background()
	step := func() {
		if err := m.Forward(ctx, b, true); err != nil {
			t.Fatal(err)
		}
		if err := m.Backward(ctx); err != nil {
			t.Fatal(err)
		}
		if err := m.Update(); err != nil {
			t.Fatal(err)
		}
		if err := m.UpdateMetric(acc, b); err != nil {
			t.Fatal(err)
		}
	}
	step()
	if n := testing.AllocsPerRun(10, step); n != 0 {
		t.Errorf("%v allocations per training step", n)
	}
}
