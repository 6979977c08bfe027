package executor_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// loadCheckpoint reads case c's checkpoint and input.
func loadCheckpoint(t testing.TB, c modelCase) (*serialize.Checkpoint, *tensor.Tensor) {
	t.Helper()
	dir := filepath.Join("../testdata/mxnet", c.Dir)
	symData, err := os.ReadFile(filepath.Join(dir, c.Symbol))
	if err != nil {
		t.Fatal(err)
	}
	paramsData, err := readParamsFile(filepath.Join(dir, c.Params))
	if err != nil {
		t.Fatal(err)
	}
	ck, err := serialize.ParseCheckpoint(symData, paramsData)
	if err != nil {
		t.Fatal(err)
	}
	in := readNPY(t, filepath.Join("../testdata/models", c.InputFile))
	if in.DType() != tensor.Float32 {
		if in, err = in.AsType(tensor.Float32); err != nil {
			t.Fatal(err)
		}
	}
	return ck, in
}

func findCase(t testing.TB, name string) modelCase {
	t.Helper()
	for _, c := range loadModelCases(t) {
		if c.Case == name {
			return c
		}
	}
	t.Fatalf("no model case %s", name)
	return modelCase{}
}

func predict1(t testing.TB, m *executor.Model, in *tensor.Tensor) []*tensor.Tensor {
	t.Helper()
	out, err := m.Predict(context.Background(), []*tensor.Tensor{in}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOptimizeRealModels binds every real checkpoint with only its heads as
// outputs (so every fusion applies) with the optimisation on and off, and
// compares both with the float64 references and with each other, under
// every kernel implementation.
func TestOptimizeRealModels(t *testing.T) {
	for _, c := range loadModelCases(t) {
		t.Run(c.Case, func(t *testing.T) {
			ck, in := loadCheckpoint(t, c)
			var names []string
			for _, g := range c.Outputs {
				names = append(names, g.Name)
			}
			shapes := map[string][]int{c.InputName: in.Shape()}
			on, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, shapes, executor.WithOutputs(names...))
			if err != nil {
				t.Fatal(err)
			}
			off, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, shapes, executor.WithOutputs(names...), executor.WithOptimize(false))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("steps: %d optimised, %d not", on.PlanInfo().Steps, off.PlanInfo().Steps)
			if on.PlanInfo().Steps > off.PlanInfo().Steps {
				t.Errorf("optimised plan has more steps (%d) than the plain one (%d)", on.PlanInfo().Steps, off.PlanInfo().Steps)
			}
			asm.ForEachImpl(func(impl string) {
				a, b := predict1(t, on, in), predict1(t, off, in)
				for i, g := range c.Outputs {
					want := readNPY(t, filepath.Join("../testdata/models", g.File))
					compareGolden(t, impl+" optimised "+g.Name, a[i], want, g.Rtol, g.Atol)
					compareGolden(t, impl+" plain "+g.Name, b[i], want, g.Rtol, g.Atol)
					compareGolden(t, impl+" optimised vs plain "+g.Name, a[i], b[i], 1e-4, g.Atol)
				}
			})
		})
	}
}

// bindOptimized binds the real model of case name with the optimisation
// on and off, and returns both, its indexed graph and the case's input.
func bindOptimized(t *testing.T, name string) (on, off *executor.Model, g *graph.Indexed, in *tensor.Tensor) {
	t.Helper()
	c := findCase(t, name)
	ck, in := loadCheckpoint(t, c)
	shapes := map[string][]int{c.InputName: in.Shape()}
	on, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, shapes)
	if err != nil {
		t.Fatal(err)
	}
	if off, err = executor.Bind(ck.Symbol, ck.Args, ck.Aux, shapes, executor.WithOptimize(false)); err != nil {
		t.Fatal(err)
	}
	if g, err = graph.Index(ck.Symbol); err != nil {
		t.Fatal(err)
	}
	return on, off, g, in
}

// TestOptimizeFusesResNet checks the optimisation really rewrites ResNet-20
// v1: its 21 convolutions absorb every BatchNorm, ReLU and residual add.
func TestOptimizeFusesResNet(t *testing.T) {
	on, off, g, in := bindOptimized(t, "gluoncv-cifar-resnet20-v1")
	ops := map[string]int{}
	for _, n := range g.Nodes {
		ops[n.OpName]++
	}
	removed := off.PlanInfo().Steps - on.PlanInfo().Steps
	if want := ops["BatchNorm"] + ops["Activation"] + ops["elemwise_add"]; removed != want || ops["BatchNorm"] != 21 {
		t.Errorf("optimisation removed %d steps, want %d (BatchNorm %d, Activation %d, elemwise_add %d)",
			removed, want, ops["BatchNorm"], ops["Activation"], ops["elemwise_add"])
	}
	a, b := predict1(t, on, in), predict1(t, off, in)
	compareGolden(t, "optimised vs plain", a[0], b[0], 1e-4, 1e-6)
}

// TestOptimizeFusesPReLU checks that MTCNN's PReLUs (LeakyReLU prelu, a
// slope per channel) after convolutions become the convolutions'
// epilogues, and that the outputs stay within 1e-5 of the plain graph's
// (the epilogue applies the slopes as the separate op does; the 3×3
// layers with enough channels and filters run on Winograd weights,
// which round differently).
func TestOptimizeFusesPReLU(t *testing.T) {
	for _, name := range []string{"mtcnn-det1", "mtcnn-det4"} {
		on, off, g, in := bindOptimized(t, name)
		afterConv := 0
		for _, n := range g.Nodes {
			if n.OpName == "LeakyReLU" && n.Attrs["act_type"] == "prelu" && n.Inputs[0].Node.OpName == "Convolution" {
				afterConv++
			}
		}
		if removed := off.PlanInfo().Steps - on.PlanInfo().Steps; removed < afterConv || afterConv == 0 {
			t.Errorf("%s: optimisation removed %d steps, want at least the %d PReLUs after convolutions", name, removed, afterConv)
		}
		a, b := predict1(t, on, in), predict1(t, off, in)
		for i := range a {
			compareGolden(t, fmt.Sprintf("%s output %d: optimised vs plain", name, i), a[i], b[i], 1e-5, 1e-6)
		}
	}
}

// TestOptimizeKeepsBoundOutputs binds internal outputs that the
// optimisation would otherwise fuse away (a convolution's output read by a
// BatchNorm, the BatchNorm's output read by a ReLU, a residual sum): they
// must be computed and agree with the unoptimised model and the reference.
func TestOptimizeKeepsBoundOutputs(t *testing.T) {
	c := findCase(t, "gluoncv-cifar-resnet20-v1")
	ck, in := loadCheckpoint(t, c)
	names := []string{"cifarresnetv10_conv0_fwd_output", "cifarresnetv10_batchnorm0_fwd_output",
		"cifarresnetv10_stage1__plus0_output", "cifarresnetv10_dense0_fwd_output",
		"cifarresnetv10_stage2_batchnorm1_fwd_output", "cifarresnetv10_stage3_relu0_fwd_output"}
	shapes := map[string][]int{c.InputName: in.Shape()}
	on, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, shapes, executor.WithOutputs(names...))
	if err != nil {
		t.Fatal(err)
	}
	off, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, shapes, executor.WithOutputs(names...), executor.WithOptimize(false))
	if err != nil {
		t.Fatal(err)
	}
	if on.PlanInfo().Steps >= off.PlanInfo().Steps {
		t.Errorf("bound outputs disabled all optimisation (%d steps, %d unoptimised)", on.PlanInfo().Steps, off.PlanInfo().Steps)
	}
	a, b := predict1(t, on, in), predict1(t, off, in)
	for i, name := range names {
		compareGolden(t, name, a[i], b[i], 1e-4, 1e-5)
	}
	// conv0 and batchnorm0 are outputs, so conv0 is not folded: both are
	// the plain kernels' values exactly.
	for i := range 2 {
		if !slices32Equal(a[i].Float32s(), b[i].Float32s()) {
			t.Errorf("%s differs from the unoptimised model", names[i])
		}
	}
	for _, g := range c.InternalOutputs {
		for i, name := range names {
			if name == g.Name {
				compareGolden(t, "reference "+name, a[i], readNPY(t, filepath.Join("../testdata/models", g.File)), g.Rtol, g.Atol)
			}
		}
	}
}

func slices32Equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// perturbed returns copies of args and aux with every value changed, so
// outputs computed from them differ from the original ones.
func perturbed(t testing.TB, args, aux map[string]*tensor.Tensor, seed uint64) (map[string]*tensor.Tensor, map[string]*tensor.Tensor) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	cp := func(src map[string]*tensor.Tensor) map[string]*tensor.Tensor {
		dst := map[string]*tensor.Tensor{}
		// In name order: ranging over the map would hand the seeded
		// numbers out in a different order on every run.
		for _, k := range slices.Sorted(maps.Keys(src)) {
			v := src[k]
			c := v.Clone()
			if c.DType() == tensor.Float32 {
				f := c.Float32s()
				for i := range f {
					switch {
					case strings.HasSuffix(k, "running_var") || strings.HasSuffix(k, "moving_var"):
						f[i] *= 0.5 + rng.Float32() // stays positive
					default:
						f[i] = f[i]*(0.8+0.4*rng.Float32()) + 0.05*(rng.Float32()-0.5)
					}
				}
			}
			dst[k] = c
		}
		return dst
	}
	return cp(args), cp(aux)
}

// TestOptimizeSetParams checks that GetParams returns the given
// (unfolded) parameters and that SetParams re-derives the folded ones: the
// optimised model after SetParams agrees with a fresh unoptimised Bind of
// the new parameters, and no longer with the old ones.
func TestOptimizeSetParams(t *testing.T) {
	c := findCase(t, "gluoncv-cifar-resnet20-v1")
	ck, in := loadCheckpoint(t, c)
	shapes := map[string][]int{c.InputName: in.Shape()}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, shapes)
	if err != nil {
		t.Fatal(err)
	}
	before := predict1(t, m, in)
	args, aux := m.GetParams()
	for name, v := range args {
		if lookup(ck.Args, "arg:", name) != v {
			t.Errorf("GetParams: argument %s is not the given tensor", name)
		}
	}
	for name, v := range aux {
		if lookup(ck.Aux, "aux:", name) != v {
			t.Errorf("GetParams: auxiliary state %s is not the given tensor", name)
		}
	}
	if want := len(ck.Symbol.ListArguments()) - 1; len(args) != want {
		t.Errorf("GetParams: %d arguments, want %d", len(args), want)
	}
	if want := len(ck.Symbol.ListAuxiliaryStates()); len(aux) != want {
		t.Errorf("GetParams: %d auxiliary states, want %d", len(aux), want)
	}

	args2, aux2 := perturbed(t, ck.Args, ck.Aux, 7)
	if err := m.SetParams(args2, aux2); err != nil {
		t.Fatal(err)
	}
	after := predict1(t, m, in)
	plain, err := executor.Bind(ck.Symbol, args2, aux2, shapes, executor.WithOptimize(false))
	if err != nil {
		t.Fatal(err)
	}
	want := predict1(t, plain, in)
	compareGolden(t, "after SetParams", after[0], want[0], 1e-4, 1e-6)
	diff := 0.0
	for i := range before[0].Len() {
		diff = math.Max(diff, math.Abs(before[0].Float64At(i)-after[0].Float64At(i)))
	}
	if diff < 1e-3 {
		t.Errorf("SetParams changed the output by only %g: folded parameters not re-derived", diff)
	}
	gotArgs, _ := m.GetParams()
	for name, v := range gotArgs {
		if lookup(args2, "arg:", name) != v {
			t.Errorf("GetParams after SetParams: %s is not the given tensor", name)
		}
	}
}

func lookup(m map[string]*tensor.Tensor, prefix, name string) *tensor.Tensor {
	if v := m[prefix+name]; v != nil {
		return v
	}
	return m[name]
}

// TestOptimizeConcurrentSetParams runs Predict on the optimised ResNet from
// many goroutines while SetParams swaps between two parameter sets: every
// result must be one of the two serial results exactly (run with -race).
func TestOptimizeConcurrentSetParams(t *testing.T) {
	c := findCase(t, "gluoncv-cifar-resnet20-v1")
	ck, in := loadCheckpoint(t, c)
	shapes := map[string][]int{c.InputName: in.Shape()}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, shapes, executor.WithThreads(1))
	if err != nil {
		t.Fatal(err)
	}
	args2, aux2 := perturbed(t, ck.Args, ck.Aux, 11)
	want1 := predict1(t, m, in)[0].Float32s()
	if err := m.SetParams(args2, aux2); err != nil {
		t.Fatal(err)
	}
	want2 := predict1(t, m, in)[0].Float32s()
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out []*tensor.Tensor
			for range 6 {
				var err error
				if out, err = m.Predict(context.Background(), []*tensor.Tensor{in}, out); err != nil {
					errs <- err.Error()
					return
				}
				got := out[0].Float32s()
				if !slices32Equal(got, want1) && !slices32Equal(got, want2) {
					errs <- "a result matches neither parameter set"
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 6 {
			a, x := ck.Args, ck.Aux
			if i%2 == 1 {
				a, x = args2, aux2
			}
			if err := m.SetParams(a, x); err != nil {
				errs <- err.Error()
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// synthParams holds the values of the synthetic graph's parameters.
type synthParams map[string]*tensor.Tensor

func (p synthParams) rand(rng *rand.Rand, name string, lo, hi float32, shape ...int) []float32 {
	n := 1
	for _, d := range shape {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = lo + (hi-lo)*rng.Float32()
	}
	t, err := tensor.FromSlice(v, shape...)
	if err != nil {
		panic(err)
	}
	p[name] = t
	return v
}

func apply(t *testing.T, op, name string, attrs map[string]string, in ...*graph.Symbol) *graph.Symbol {
	t.Helper()
	s, err := graph.Apply(op, graph.Call{Name: name, Inputs: in, Attrs: attrs})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bnRef is MXNet's inference BatchNorm on one value of channel c, in
// float64: (x − mean)/√(var + eps)·γ + β, γ ≡ 1 with fix_gamma.
func bnRef(x float64, c int, gamma, beta, mean, vari []float32, eps float64, fixGamma bool) float64 {
	g := float64(gamma[c])
	if fixGamma {
		g = 1
	}
	return (x-float64(mean[c]))/math.Sqrt(float64(vari[c])+eps)*g + float64(beta[c])
}

// TestOptimizeFullyConnectedChain checks every fusion on FullyConnected
// layers against a float64 reference written from MXNet's op definitions:
// FC without bias, BatchNorm (fix_gamma false), Dropout, LeakyReLU;
// FC, BatchNorm (fix_gamma true), broadcast_add residual, clip as ReLU6,
// BlockGrad, _copy; FC and sigmoid; FC and tanh. The optimised plan must
// run 4 steps.
func TestOptimizeFullyConnectedChain(t *testing.T) {
	const n, k, h = 3, 6, 5
	rng := rand.New(rand.NewPCG(3, 4))
	p := synthParams{}
	w1 := p.rand(rng, "fc1_weight", -1, 1, h, k)
	g1, b1 := p.rand(rng, "bn1_gamma", 0.5, 2, h), p.rand(rng, "bn1_beta", -1, 1, h)
	m1, v1 := p.rand(rng, "bn1_moving_mean", -1, 1, h), p.rand(rng, "bn1_moving_var", 0.1, 2, h)
	w2, bb2 := p.rand(rng, "fc2_weight", -1, 1, h, h), p.rand(rng, "fc2_bias", -1, 1, h)
	g2, b2 := p.rand(rng, "bn2_gamma", 0.5, 2, h), p.rand(rng, "bn2_beta", -1, 1, h)
	m2, v2 := p.rand(rng, "bn2_moving_mean", -1, 1, h), p.rand(rng, "bn2_moving_var", 0.1, 2, h)
	w3, bb3 := p.rand(rng, "fc3_weight", -1, 1, h, h), p.rand(rng, "fc3_bias", -1, 1, h)
	w4, bb4 := p.rand(rng, "fc4_weight", -1, 1, 2, h), p.rand(rng, "fc4_bias", -1, 1, 2)
	x := make(synthParams).rand(rng, "x", -2, 2, n, k)

	data := graph.Variable("data")
	s := apply(t, "FullyConnected", "fc1", map[string]string{"num_hidden": "5", "no_bias": "True"}, data)
	s = apply(t, "BatchNorm", "bn1", map[string]string{"fix_gamma": "False", "eps": "0.001"}, s)
	s = apply(t, "Dropout", "drop", map[string]string{"p": "0.5"}, s)
	a := apply(t, "LeakyReLU", "leaky", map[string]string{"act_type": "leaky", "slope": "0.1"}, s)
	s = apply(t, "FullyConnected", "fc2", map[string]string{"num_hidden": "5"}, a)
	s = apply(t, "BatchNorm", "bn2", map[string]string{"eps": "1e-5"}, s)
	s = apply(t, "broadcast_add", "add", nil, s, a)
	s = apply(t, "clip", "relu6", map[string]string{"a_min": "0", "a_max": "6"}, s)
	s = apply(t, "BlockGrad", "bg", nil, s)
	s = apply(t, "_copy", "cp", nil, s)
	s = apply(t, "FullyConnected", "fc3", map[string]string{"num_hidden": "5"}, s)
	s = apply(t, "Activation", "sig", map[string]string{"act_type": "sigmoid"}, s)
	s = apply(t, "FullyConnected", "fc4", map[string]string{"num_hidden": "2"}, s)
	s = apply(t, "Activation", "tanh", map[string]string{"act_type": "tanh"}, s)

	fc := func(x []float64, w, b []float32, rows, in, out int) []float64 {
		y := make([]float64, rows*out)
		for i := range rows {
			for j := range out {
				v := 0.0
				if b != nil {
					v = float64(b[j])
				}
				for l := range in {
					v += x[i*in+l] * float64(w[j*in+l])
				}
				y[i*out+j] = v
			}
		}
		return y
	}
	xs := make([]float64, len(x))
	for i, v := range x {
		xs[i] = float64(v)
	}
	y1 := fc(xs, w1, nil, n, k, h)
	for i := range y1 {
		v := bnRef(y1[i], i%h, g1, b1, m1, v1, float64(float32(0.001)), false)
		if v < 0 {
			v *= float64(float32(0.1))
		}
		y1[i] = v
	}
	y2 := fc(y1, w2, bb2, n, h, h)
	for i := range y2 {
		v := bnRef(y2[i], i%h, g2, b2, m2, v2, float64(float32(1e-5)), true) + y1[i]
		y2[i] = math.Min(math.Max(v, 0), 6)
	}
	y3 := fc(y2, w3, bb3, n, h, h)
	for i := range y3 {
		y3[i] = 1 / (1 + math.Exp(-y3[i]))
	}
	y4 := fc(y3, w4, bb4, n, h, 2)
	for i := range y4 {
		y4[i] = math.Tanh(y4[i])
	}
	want, err := tensor.FromSlice(y4, n, 2)
	if err != nil {
		t.Fatal(err)
	}
	m, err := executor.Bind(s, p, nil, map[string][]int{"data": {n, k}})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.PlanInfo().Steps; got != 4 {
		t.Errorf("optimised plan has %d steps, want 4", got)
	}
	xt, _ := tensor.FromSlice(x, n, k)
	asm.ForEachImpl(func(impl string) {
		compareGolden(t, impl, predict1(t, m, xt)[0], want, 1e-4, 1e-6)
	})
}

// TestOptimizeConvChain checks folding into a convolution without bias
// (fix_gamma false), a residual elemwise_add and ReLU6, and a second
// convolution with bias, LeakyReLU, against a float64 direct convolution.
func TestOptimizeConvChain(t *testing.T) {
	const n, c, hw, f = 2, 3, 5, 3
	rng := rand.New(rand.NewPCG(5, 6))
	p := synthParams{}
	w1 := p.rand(rng, "c1_weight", -1, 1, f, c, 3, 3)
	g1, b1 := p.rand(rng, "bn1_gamma", 0.5, 2, f), p.rand(rng, "bn1_beta", -1, 1, f)
	m1, v1 := p.rand(rng, "bn1_moving_mean", -1, 1, f), p.rand(rng, "bn1_moving_var", 0.1, 2, f)
	w2, bb2 := p.rand(rng, "c2_weight", -1, 1, f, f, 1, 1), p.rand(rng, "c2_bias", -1, 1, f)
	x := make(synthParams).rand(rng, "x", -2, 2, n, c, hw, hw)

	data := graph.Variable("data")
	s := apply(t, "Convolution", "c1", map[string]string{"num_filter": "3", "kernel": "(3, 3)", "pad": "(1, 1)", "no_bias": "True"}, data)
	s = apply(t, "BatchNorm", "bn1", map[string]string{"fix_gamma": "False"}, s)
	s = apply(t, "elemwise_add", "add", nil, data, s)
	a := apply(t, "clip", "relu6", map[string]string{"a_min": "0", "a_max": "6"}, s)
	s = apply(t, "Convolution", "c2", map[string]string{"num_filter": "3", "kernel": "(1, 1)"}, a)
	s = apply(t, "LeakyReLU", "leaky", map[string]string{"slope": "0.2"}, s)

	conv := func(x []float64, w, b []float32, ci, co, kk, pad int) []float64 {
		y := make([]float64, n*co*hw*hw)
		for b0 := range n {
			for o := range co {
				for i := range hw {
					for j := range hw {
						v := 0.0
						if b != nil {
							v = float64(b[o])
						}
						for ch := range ci {
							for di := range kk {
								for dj := range kk {
									ii, jj := i+di-pad, j+dj-pad
									if ii < 0 || jj < 0 || ii >= hw || jj >= hw {
										continue
									}
									v += x[((b0*ci+ch)*hw+ii)*hw+jj] * float64(w[((o*ci+ch)*kk+di)*kk+dj])
								}
							}
						}
						y[((b0*co+o)*hw+i)*hw+j] = v
					}
				}
			}
		}
		return y
	}
	xs := make([]float64, len(x))
	for i, v := range x {
		xs[i] = float64(v)
	}
	y1 := conv(xs, w1, nil, c, f, 3, 1)
	for i := range y1 {
		ch := i / (hw * hw) % f
		v := bnRef(y1[i], ch, g1, b1, m1, v1, float64(float32(0.001)), false) + xs[i]
		y1[i] = math.Min(math.Max(v, 0), 6)
	}
	y2 := conv(y1, w2, bb2, f, f, 1, 0)
	for i := range y2 {
		if y2[i] < 0 {
			y2[i] *= float64(float32(0.2))
		}
	}
	want, err := tensor.FromSlice(y2, n, f, hw, hw)
	if err != nil {
		t.Fatal(err)
	}
	m, err := executor.Bind(s, p, nil, map[string][]int{"data": {n, c, hw, hw}})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.PlanInfo().Steps; got != 2 {
		t.Errorf("optimised plan has %d steps, want 2", got)
	}
	xt, _ := tensor.FromSlice(x, n, c, hw, hw)
	asm.ForEachImpl(func(impl string) {
		compareGolden(t, impl, predict1(t, m, xt)[0], want, 1e-4, 1e-5)
	})
	// A different batch size compiles a new plan with the same folds.
	x3 := make(synthParams).rand(rng, "x", -2, 2, 1, c, hw, hw)
	xt3, _ := tensor.FromSlice(x3, 1, c, hw, hw)
	out := predict1(t, m, xt3)
	plain, err := executor.Bind(s, p, nil, map[string][]int{"data": {1, c, hw, hw}}, executor.WithOptimize(false))
	if err != nil {
		t.Fatal(err)
	}
	compareGolden(t, "batch 1", out[0], predict1(t, plain, xt3)[0], 1e-4, 1e-5)
}
