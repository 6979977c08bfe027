package executor_test

import (
	"context"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

func mustApply(t *testing.T, op string, c graph.Call) *graph.Symbol {
	t.Helper()
	s, err := graph.Apply(op, c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mlpSym is data(N,6) → fc1(5) → act → fc2(3) → SoftmaxOutput.
func mlpSym(t *testing.T, act string) *graph.Symbol {
	data := graph.Variable("data")
	fc1 := mustApply(t, "FullyConnected", graph.Call{Name: "fc1", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"num_hidden": "5"}})
	a := mustApply(t, "Activation", graph.Call{Name: "act1", Inputs: []*graph.Symbol{fc1}, Attrs: map[string]string{"act_type": act}})
	fc2 := mustApply(t, "FullyConnected", graph.Call{Name: "fc2", Inputs: []*graph.Symbol{a}, Attrs: map[string]string{"num_hidden": "3"}})
	return mustApply(t, "SoftmaxOutput", graph.Call{Name: "softmax", Inputs: []*graph.Symbol{fc2}})
}

func randParams(rng *rand.Rand, shapes map[string][]int) map[string]*tensor.Tensor {
	out := map[string]*tensor.Tensor{}
	names := slices.Sorted(maps.Keys(shapes)) // a fixed draw order
	for _, name := range names {
		s := shapes[name]
		v, _ := tensor.New(tensor.Float32, s...)
		for i := range v.Float32s() {
			v.Float32s()[i] = float32(rng.Float64()*2 - 1)
		}
		out[name] = v
	}
	return out
}

func mlpParams(rng *rand.Rand) map[string]*tensor.Tensor {
	return randParams(rng, map[string][]int{"fc1_weight": {5, 6}, "fc1_bias": {5}, "fc2_weight": {3, 5}, "fc2_bias": {3}})
}

// TestTrainerGradFiniteDifference checks every parameter gradient of a
// bound MLP against central differences of the cross-entropy that
// SoftmaxOutput's gradient belongs to, computed in float64 from Forward's
// outputs.
func TestTrainerGradFiniteDifference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	args := mlpParams(rng)
	tr, err := executor.BindTrain(mlpSym(t, "tanh"), args, nil, map[string][]int{"data": {4, 6}, "softmax_label": {4}}, executor.WithTrainThreads(1))
	if err != nil {
		t.Fatal(err)
	}
	x, lab := tr.Arg("data").Float32s(), tr.Arg("softmax_label").Float32s()
	for i := range x {
		x[i] = float32(rng.Float64()*2 - 1)
	}
	for i := range lab {
		lab[i] = float32(i % 3)
	}
	ctx := context.Background()
	loss := func() float64 {
		if err := tr.Forward(ctx, true); err != nil {
			t.Fatal(err)
		}
		y := tr.Output(0).Float32s()
		s := 0.0
		for b := range 4 {
			s -= math.Log(float64(y[b*3+int(lab[b])]))
		}
		return s
	}
	loss()
	if err := tr.Backward(ctx); err != nil {
		t.Fatal(err)
	}
	if tr.Grad("data") != nil || tr.GradReq("data") != ops.GradNull {
		t.Error("data input has a gradient by default")
	}
	for _, name := range []string{"fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias"} {
		g := tr.Grad(name).Clone().Float32s()
		w := args[name].Float32s()
		for k := range w {
			orig := w[k]
			const eps = 1e-3
			w[k] = orig + eps
			fp := loss()
			w[k] = orig - eps
			fm := loss()
			w[k] = orig
			num := (fp - fm) / (2 * eps)
			if math.Abs(float64(g[k])-num) > 1e-3+3e-3*math.Abs(num) {
				t.Errorf("%s[%d]: backward %g, finite difference %g", name, k, g[k], num)
			}
		}
	}
}

// TestTrainerGradReq checks grad_req add (accumulates over Backward calls)
// and null (no gradient, other gradients unchanged).
func TestTrainerGradReq(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	args := mlpParams(rng)
	shapes := map[string][]int{"data": {4, 6}, "softmax_label": {4}}
	fill := func(tr *executor.Trainer) {
		r := rand.New(rand.NewPCG(3, 3))
		for i, x := range tr.Arg("data").Float32s() {
			_ = x
			tr.Arg("data").Float32s()[i] = float32(r.Float64())
		}
		for i := range tr.Arg("softmax_label").Float32s() {
			tr.Arg("softmax_label").Float32s()[i] = float32(i % 3)
		}
	}
	ref, err := executor.BindTrain(mlpSym(t, "relu"), args, nil, shapes)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := executor.BindTrain(mlpSym(t, "relu"), args, nil, shapes,
		executor.WithGradReq(map[string]ops.GradReq{"fc1_weight": ops.GradAdd, "fc2_bias": ops.GradNull}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, x := range []*executor.Trainer{ref, tr} {
		fill(x)
		for range 2 {
			if err := x.Forward(ctx, true); err != nil {
				t.Fatal(err)
			}
			if err := x.Backward(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if tr.Grad("fc2_bias") != nil {
		t.Error("fc2_bias: grad_req null has a gradient")
	}
	for k, v := range tr.Grad("fc1_weight").Float32s() {
		if want := 2 * ref.Grad("fc1_weight").Float32s()[k]; math.Abs(float64(v-want)) > 1e-5 {
			t.Fatalf("fc1_weight[%d] with add after 2 steps = %g, want %g", k, v, want)
		}
	}
	for k, v := range tr.Grad("fc2_weight").Float32s() {
		if want := ref.Grad("fc2_weight").Float32s()[k]; v != want {
			t.Fatalf("fc2_weight[%d] = %g, want %g", k, v, want)
		}
	}
}

// TestTrainerHeadGrads binds a non-loss head and checks that Backward uses
// the caller's head gradient: for y = x·Wᵀ + b, dW = dyᵀ·x and db = Σ dy.
func TestTrainerHeadGrads(t *testing.T) {
	data := graph.Variable("data")
	fc := mustApply(t, "FullyConnected", graph.Call{Name: "fc", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"num_hidden": "2"}})
	rng := rand.New(rand.NewPCG(4, 4))
	args := randParams(rng, map[string][]int{"fc_weight": {2, 3}, "fc_bias": {2}})
	tr, err := executor.BindTrain(fc, args, nil, map[string][]int{"data": {2, 3}}, executor.WithGradReq(map[string]ops.GradReq{"data": ops.GradWrite}))
	if err != nil {
		t.Fatal(err)
	}
	copy(tr.Arg("data").Float32s(), []float32{1, 2, 3, 4, 5, 6})
	hg, _ := tensor.FromSlice([]float32{1, -1, 0.5, 2}, 2, 2)
	ctx := context.Background()
	if err := tr.Forward(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := tr.Backward(ctx, hg); err != nil {
		t.Fatal(err)
	}
	// dW[j][k] = Σ_b dy[b][j]·x[b][k]
	wantW := []float32{1*1 + 0.5*4, 1*2 + 0.5*5, 1*3 + 0.5*6, -1*1 + 2*4, -1*2 + 2*5, -1*3 + 2*6}
	for k, v := range tr.Grad("fc_weight").Float32s() {
		if v != wantW[k] {
			t.Fatalf("fc_weight grad = %v, want %v", tr.Grad("fc_weight").Float32s(), wantW)
		}
	}
	if g := tr.Grad("fc_bias").Float32s(); g[0] != 1.5 || g[1] != 1 {
		t.Fatalf("fc_bias grad = %v, want [1.5 1]", g)
	}
	w := args["fc_weight"].Float32s()
	if g := tr.Grad("data").Float32s(); g[0] != 1*w[0]-1*w[3] {
		t.Fatalf("data grad[0] = %g, want %g", g[0], w[0]-w[3])
	}
	bad, _ := tensor.New(tensor.Float32, 3, 2)
	if err := tr.Backward(ctx, bad); err == nil || !strings.Contains(err.Error(), "head gradient") {
		t.Fatalf("mis-shaped head gradient: %v", err)
	}
}

// TestTrainerLearns runs plain SGD on a separable problem and expects the
// training accuracy to reach 100%.
func TestTrainerLearns(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	args := mlpParams(rng)
	for _, v := range args {
		for i := range v.Float32s() {
			v.Float32s()[i] *= 0.3
		}
	}
	tr, err := executor.BindTrain(mlpSym(t, "relu"), args, nil, map[string][]int{"data": {30, 6}, "softmax_label": {30}})
	if err != nil {
		t.Fatal(err)
	}
	x, lab := tr.Arg("data").Float32s(), tr.Arg("softmax_label").Float32s()
	for b := range 30 {
		c := b % 3
		lab[b] = float32(c)
		for k := range 6 {
			x[b*6+k] = float32(rng.NormFloat64() * 0.3)
		}
		x[b*6+c] += 2
	}
	ctx := context.Background()
	for range 200 {
		if err := tr.Forward(ctx, true); err != nil {
			t.Fatal(err)
		}
		if err := tr.Backward(ctx); err != nil {
			t.Fatal(err)
		}
		for _, name := range tr.ArgNames() {
			if g := tr.Grad(name); g != nil {
				w := args[name].Float32s()
				for i, v := range g.Float32s() {
					w[i] -= 0.1 / 30 * v
				}
			}
		}
	}
	if err := tr.Forward(ctx, false); err != nil {
		t.Fatal(err)
	}
	y := tr.Output(0).Float32s()
	for b := range 30 {
		best := 0
		for j := range 3 {
			if y[b*3+j] > y[b*3+best] {
				best = j
			}
		}
		if best != int(lab[b]) {
			t.Fatalf("sample %d predicted %d, label %v", b, best, lab[b])
		}
	}
}

func TestBindTrainErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	args := mlpParams(rng)
	shapes := map[string][]int{"data": {4, 6}, "softmax_label": {4}}
	delete(args, "fc2_bias")
	if _, err := executor.BindTrain(mlpSym(t, "relu"), args, nil, shapes); err == nil || !strings.Contains(err.Error(), "fc2_bias") {
		t.Errorf("missing parameter: %v", err)
	}
	args = mlpParams(rng)
	if _, err := executor.BindTrain(mlpSym(t, "relu"), args, nil, map[string][]int{"data": {4, 6}, "labels": {4}}); err == nil || !strings.Contains(err.Error(), "labels") {
		t.Errorf("unknown input: %v", err)
	}
	tr, err := executor.BindTrain(mlpSym(t, "relu"), args, nil, shapes)
	if err != nil {
		t.Fatal(err)
	}
	tr.Arg("softmax_label").Float32s()[0] = 7
	ctx := context.Background()
	if err := tr.Forward(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := tr.Backward(ctx); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("label out of range: %v", err)
	}
}

// TestTrainerLeNetGrad checks a small LeNet's gradients (Convolution,
// tanh, max Pooling with its hidden argmax output, Flatten, FullyConnected,
// SoftmaxOutput) against central differences of the cross-entropy.
func TestTrainerLeNetGrad(t *testing.T) {
	data := graph.Variable("data")
	c1 := mustApply(t, "Convolution", graph.Call{Name: "conv1", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"kernel": "(3, 3)", "num_filter": "2"}})
	a1 := mustApply(t, "Activation", graph.Call{Name: "tanh1", Inputs: []*graph.Symbol{c1}, Attrs: map[string]string{"act_type": "tanh"}})
	p1 := mustApply(t, "Pooling", graph.Call{Name: "pool1", Inputs: []*graph.Symbol{a1}, Attrs: map[string]string{"kernel": "(2, 2)", "stride": "(2, 2)", "pool_type": "max"}})
	f := mustApply(t, "Flatten", graph.Call{Name: "flat", Inputs: []*graph.Symbol{p1}})
	fc := mustApply(t, "FullyConnected", graph.Call{Name: "fc", Inputs: []*graph.Symbol{f}, Attrs: map[string]string{"num_hidden": "3"}})
	sym := mustApply(t, "SoftmaxOutput", graph.Call{Name: "softmax", Inputs: []*graph.Symbol{fc}})
	rng := rand.New(rand.NewPCG(7, 7))
	args := randParams(rng, map[string][]int{"conv1_weight": {2, 1, 3, 3}, "conv1_bias": {2}, "fc_weight": {3, 8}, "fc_bias": {3}})
	tr, err := executor.BindTrain(sym, args, nil, map[string][]int{"data": {2, 1, 6, 6}, "softmax_label": {2}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range tr.Arg("data").Float32s() {
		tr.Arg("data").Float32s()[i] = float32(rng.Float64()*2 - 1)
	}
	lab := tr.Arg("softmax_label").Float32s()
	lab[0], lab[1] = 2, 0
	ctx := context.Background()
	loss := func() float64 {
		if err := tr.Forward(ctx, true); err != nil {
			t.Fatal(err)
		}
		y := tr.Output(0).Float32s()
		return -math.Log(float64(y[0*3+2])) - math.Log(float64(y[1*3+0]))
	}
	loss()
	if err := tr.Backward(ctx); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"conv1_weight", "conv1_bias", "fc_weight", "fc_bias"} {
		g := tr.Grad(name).Clone().Float32s()
		w := args[name].Float32s()
		for k := range w {
			orig := w[k]
			const eps = 1e-3
			w[k] = orig + eps
			fp := loss()
			w[k] = orig - eps
			fm := loss()
			w[k] = orig
			num := (fp - fm) / (2 * eps)
			if math.Abs(float64(g[k])-num) > 2e-3+5e-3*math.Abs(num) {
				t.Errorf("%s[%d]: backward %g, finite difference %g", name, k, g[k], num)
			}
		}
	}
}

// TestTrainerNoAllocs checks that a training step (forward, backward)
// allocates nothing once bound.
func TestTrainerNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	args := mlpParams(rng)
	tr, err := executor.BindTrain(mlpSym(t, "relu"), args, nil, map[string][]int{"data": {4, 6}, "softmax_label": {4}}, executor.WithTrainThreads(1))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	step := func() {
		if err := tr.Forward(ctx, true); err != nil {
			t.Fatal(err)
		}
		if err := tr.Backward(ctx); err != nil {
			t.Fatal(err)
		}
	}
	step()
	if n := testing.AllocsPerRun(10, step); n != 0 {
		t.Errorf("%v allocations per training step", n)
	}
}

// TestTrainerThreadsDeterministic checks that gradients do not depend on
// the thread count (mxgo train's -shuffle=false determinism).
func TestTrainerThreadsDeterministic(t *testing.T) {
	data := graph.Variable("data")
	c := mustApply(t, "Convolution", graph.Call{Name: "conv", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"kernel": "(3, 3)", "num_filter": "8"}})
	fc := mustApply(t, "FullyConnected", graph.Call{Name: "fc", Inputs: []*graph.Symbol{c}, Attrs: map[string]string{"num_hidden": "10"}})
	sym := mustApply(t, "SoftmaxOutput", graph.Call{Name: "softmax", Inputs: []*graph.Symbol{fc}})
	var grads [2]map[string][]float32
	for i, threads := range []int{1, 2} {
		rng := rand.New(rand.NewPCG(9, 9))
		args := randParams(rng, map[string][]int{"conv_weight": {8, 3, 3, 3}, "conv_bias": {8}, "fc_weight": {10, 8 * 14 * 14}, "fc_bias": {10}})
		tr, err := executor.BindTrain(sym, args, nil, map[string][]int{"data": {16, 3, 16, 16}, "softmax_label": {16}}, executor.WithTrainThreads(threads))
		if err != nil {
			t.Fatal(err)
		}
		for k := range tr.Arg("data").Float32s() {
			tr.Arg("data").Float32s()[k] = float32(rng.Float64())
		}
		for k := range tr.Arg("softmax_label").Float32s() {
			tr.Arg("softmax_label").Float32s()[k] = float32(k % 10)
		}
		ctx := context.Background()
		if err := tr.Forward(ctx, true); err != nil {
			t.Fatal(err)
		}
		if err := tr.Backward(ctx); err != nil {
			t.Fatal(err)
		}
		grads[i] = map[string][]float32{}
		for _, n := range []string{"conv_weight", "conv_bias", "fc_weight", "fc_bias"} {
			grads[i][n] = tr.Grad(n).Clone().Float32s()
		}
	}
	for n, g := range grads[0] {
		for k, v := range g {
			if grads[1][n][k] != v {
				t.Fatalf("%s[%d]: %g with 1 thread, %g with 2", n, k, v, grads[1][n][k])
			}
		}
	}
}
