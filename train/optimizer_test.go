package train

import (
	"math"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/tensor"
)

// The references below are float64 transcriptions of MXNet 1.9.1's
// python/mxnet/optimizer/optimizer.py and src/operator/optimizer_op-inl.h,
// written independently of the Go kernels.

func clip64(x, c float64) float64 {
	if c < 0 {
		return x
	}
	return math.Max(-c, math.Min(c, x))
}

// p32 is an operator parameter as MXNet holds it (a float32 field).
func p32(x float64) float64 { return float64(float32(x)) }

func f32s(t *testing.T, v ...float64) *tensor.Tensor {
	t.Helper()
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	ts, err := tensor.FromSlice(f)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func set32(ts *tensor.Tensor, v []float64) {
	f := ts.Float32s()
	for i := range f {
		f[i] = float32(v[i])
	}
}

func near(t *testing.T, what string, got []float32, want []float64, rtol float64) {
	t.Helper()
	for i := range want {
		d := math.Abs(float64(got[i]) - want[i])
		if d > rtol*math.Max(1e-3, math.Abs(want[i])) || math.IsNaN(float64(got[i])) {
			t.Errorf("%s[%d] = %.9g, want %.9g (diff %.3g)", what, i, got[i], want[i], d)
		}
	}
}

// gradSeq gives step k's gradient (varied signs and magnitudes, some above
// the clip bound).
func gradSeq(k int) []float64 {
	return []float64{0.5 + 0.1*float64(k), -2.5, 30 * math.Sin(float64(k)), -0.01 * float64(k+1), 7}
}

var w0 = []float64{0.3, -1.2, 2.0, 0.0, -0.05}

type optCase struct {
	name string
	opt  func() (Optimizer, error)
	// ref advances the float64 reference weight w and state arrays by one
	// step at 1-based update count t.
	ref    func(t int, w, g []float64, st [][]float64)
	nstate int
	tuple  bool
}

func TestOptimizersMatchMXNetFormulas(t *testing.T) {
	const rescale, wd = 0.25, 0.01
	cases := []optCase{
		{"sgd", func() (Optimizer, error) {
			return NewSGD(Options{LearningRate: 0.1, RescaleGrad: rescale, WD: wd}, 0)
		}, func(_ int, w, g []float64, _ [][]float64) {
			for i := range w {
				w[i] += -0.1*wd*w[i] - 0.1*rescale*g[i]
			}
		}, 0, false},
		{"sgd_mom_clip", func() (Optimizer, error) {
			return NewSGD(Options{LearningRate: 0.1, RescaleGrad: rescale, WD: wd, ClipGradient: 1.5}, 0.9)
		}, func(_ int, w, g []float64, st [][]float64) {
			m := st[0]
			for i := range w {
				m[i] = 0.9*m[i] - 0.1*wd*w[i] - 0.1*clip64(rescale*g[i], 1.5)
				w[i] += m[i]
			}
		}, 1, false},
		{"nag_mom", func() (Optimizer, error) {
			return NewNAG(Options{LearningRate: 0.05, RescaleGrad: rescale, WD: wd, ClipGradient: 2}, 0.8)
		}, func(_ int, w, g []float64, st [][]float64) {
			m := st[0]
			for i := range w {
				gr := clip64(rescale*g[i], 2) + wd*w[i]
				m[i] *= 0.8
				w[i] = w[i] - m[i] + 1.8*(m[i]-0.05*gr)
				m[i] -= 0.05 * gr
			}
		}, 1, false},
		{"nag_nomom", func() (Optimizer, error) {
			return NewNAG(Options{LearningRate: 0.05, RescaleGrad: rescale, WD: wd}, 0)
		}, func(_ int, w, g []float64, _ [][]float64) {
			for i := range w {
				w[i] = (1-0.05*wd)*w[i] - 0.05*rescale*g[i]
			}
		}, 0, false},
		{"adam", func() (Optimizer, error) {
			return NewAdam(Options{LearningRate: 0.01, RescaleGrad: rescale, WD: wd, ClipGradient: 3}, 0.9, 0.999, 1e-8)
		}, func(t int, w, g []float64, st [][]float64) {
			m, v := st[0], st[1]
			lr := 0.01 * math.Sqrt(1-math.Pow(0.999, float64(t))) / (1 - math.Pow(0.9, float64(t)))
			for i := range w {
				gr := clip64(rescale*g[i]+wd*w[i], 3)
				// adam_update's beta1/beta2 are float32 operator
				// parameters: 1 - beta2 is 1 - float32(0.999).
				b1, b2 := p32(0.9), p32(0.999)
				m[i] = b1*m[i] + (1-b1)*gr
				v[i] = b2*v[i] + (1-b2)*gr*gr
				w[i] -= lr * m[i] / (math.Sqrt(v[i]) + 1e-8)
			}
		}, 2, true},
		{"adagrad", func() (Optimizer, error) {
			return NewAdaGrad(Options{LearningRate: 0.1, RescaleGrad: rescale, WD: wd, ClipGradient: 4}, 1e-7)
		}, func(_ int, w, g []float64, st [][]float64) {
			h := st[0]
			for i := range w {
				gr := clip64(rescale*g[i], 4)
				h[i] += gr * gr
				w[i] += (gr/math.Sqrt(h[i]+1e-7) + w[i]*wd) * -0.1
			}
		}, 1, false},
		{"rmsprop", func() (Optimizer, error) {
			return NewRMSProp(Options{LearningRate: 0.01, RescaleGrad: rescale, WD: wd},
				RMSPropConfig{Gamma1: 0.9, Gamma2: 0.9, Epsilon: 1e-8, ClipWeights: 1.9})
		}, func(_ int, w, g []float64, st [][]float64) {
			n := st[0]
			for i := range w {
				gr := rescale*g[i] + wd*w[i]
				n[i] = 0.1*gr*gr + 0.9*n[i]
				w[i] = clip64(w[i]-0.01*gr/math.Sqrt(n[i]+1e-8), 1.9)
			}
		}, 1, true},
		{"rmsprop_centered", func() (Optimizer, error) {
			return NewRMSProp(Options{LearningRate: 0.01, RescaleGrad: rescale, WD: wd, ClipGradient: 5},
				RMSPropConfig{Gamma1: 0.95, Gamma2: 0.9, Epsilon: 1e-8, Centered: true})
		}, func(_ int, w, g []float64, st [][]float64) {
			n, gg, d := st[0], st[1], st[2]
			for i := range w {
				gr := clip64(rescale*g[i]+wd*w[i], 5)
				n[i] = 0.05*gr*gr + 0.95*n[i]
				gg[i] = 0.05*gr + 0.95*gg[i]
				d[i] = 0.9*d[i] - 0.01*gr/math.Sqrt(n[i]-gg[i]*gg[i]+1e-8)
				w[i] += d[i]
			}
		}, 3, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opt, err := c.opt()
			if err != nil {
				t.Fatal(err)
			}
			w := f32s(t, w0...)
			st, err := opt.CreateState(3, w)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Arrays) != c.nstate || st.Tuple != c.tuple {
				t.Fatalf("state: %d arrays tuple %v, want %d tuple %v", len(st.Arrays), st.Tuple, c.nstate, c.tuple)
			}
			rw := append([]float64(nil), w0...)
			rs := make([][]float64, c.nstate)
			for i := range rs {
				rs[i] = make([]float64, len(w0))
			}
			g := f32s(t, gradSeq(0)...)
			for k := 1; k <= 6; k++ {
				gk := gradSeq(k)
				set32(g, gk)
				// The reference sees the float32-rounded gradient.
				for i := range gk {
					gk[i] = float64(float32(gk[i]))
				}
				if err := opt.Update(3, w, g, st); err != nil {
					t.Fatal(err)
				}
				c.ref(k, rw, gk, rs)
				near(t, "weight", w.Float32s(), rw, 1e-5)
				for j := range rs {
					near(t, "state", st.Arrays[j].Float32s(), rs[j], 1e-5)
				}
			}
			if n := opt.Common().NumUpdate(); n != 6 {
				t.Errorf("NumUpdate = %d, want 6", n)
			}
		})
	}
}

// TestSGDMomentumByHand checks two steps computed by hand:
// w=1, g=2, lr=0.1, momentum 0.9, rescale 0.5, wd 0.1:
// m1 = -0.1*0.1*1 - 0.1*0.5*2 = -0.11, w1 = 0.89;
// m2 = 0.9*-0.11 - 0.01*0.89 - 0.1 = -0.2079, w2 = 0.6821.
func TestSGDMomentumByHand(t *testing.T) {
	opt, err := NewSGD(Options{LearningRate: 0.1, RescaleGrad: 0.5, WD: 0.1}, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	w, g := f32s(t, 1), f32s(t, 2)
	st, _ := opt.CreateState(0, w)
	for k, want := range [][2]float64{{0.89, -0.11}, {0.6821, -0.2079}} {
		if err := opt.Update(0, w, g, st); err != nil {
			t.Fatal(err)
		}
		near(t, "w", w.Float32s(), want[:1], 1e-6)
		near(t, "mom", st.Arrays[0].Float32s(), want[1:], 1e-6)
		_ = k
	}
}

// TestAdamByHand: one step from zero state has m = 0.1·g, v = 0.001·g²,
// lr_1 = lr·sqrt(0.001)/0.1, so w1 = w − lr·sign(g) (up to epsilon).
func TestAdamByHand(t *testing.T) {
	opt, err := NewAdam(Options{LearningRate: 0.02}, 0.9, 0.999, 1e-8)
	if err != nil {
		t.Fatal(err)
	}
	w, g := f32s(t, 1, -1), f32s(t, 3, -0.5)
	st, _ := opt.CreateState(7, w)
	if err := opt.Update(7, w, g, st); err != nil {
		t.Fatal(err)
	}
	near(t, "w", w.Float32s(), []float64{0.98, -0.98}, 1e-6)
}

func TestUpdateCountingAndMultipliers(t *testing.T) {
	// idx2name rule: wd_mult 0 unless _weight/_gamma; attrs then explicit maps.
	o := Options{
		LearningRate: 1, WD: 0.5,
		Idx2Name:   map[int]string{0: "fc1_weight", 1: "fc1_bias", 2: "bn_gamma", 3: "bn_beta", 4: "emb_weight"},
		ParamAttrs: map[string]map[string]string{"fc1_weight": {"__lr_mult__": "2"}, "fc1_bias": {"__wd_mult__": "3"}},
		LRMult:     map[string]float64{"emb_weight": 0.5},
		WDMult:     map[string]float64{"bn_gamma": 0.25},
	}
	opt, err := NewSGD(o, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := opt.Common()
	wantLR := []float64{2, 1, 1, 1, 0.5}
	wantWD := []float64{1, 3, 0.25, 0, 1}
	for i := range wantLR {
		if b.LRMult(i) != wantLR[i] || b.WDMult(i) != wantWD[i] {
			t.Errorf("index %d: lr_mult %v wd_mult %v, want %v %v", i, b.LRMult(i), b.WDMult(i), wantLR[i], wantWD[i])
		}
	}
	if _, err := NewSGD(Options{ParamAttrs: map[string]map[string]string{"x": {"__lr_mult__": "abc"}}}, 0); err == nil {
		t.Error("bad __lr_mult__ accepted")
	}

	// _update_count: per-index counts start at begin_num_update; num_update
	// is their max; Adam's t is the index's own count.
	a, err := NewAdam(Options{LearningRate: 0.01, BeginNumUpdate: 10}, 0.9, 0.999, 1e-8)
	if err != nil {
		t.Fatal(err)
	}
	w, g := f32s(t, 1), f32s(t, 1)
	s0, _ := a.CreateState(0, w)
	s1, _ := a.CreateState(1, w)
	for range 3 {
		if err := a.Update(0, w, g, s0); err != nil {
			t.Fatal(err)
		}
	}
	w1 := f32s(t, 1)
	if err := a.Update(1, w1, g, s1); err != nil {
		t.Fatal(err)
	}
	c0, _ := a.UpdateCount(0)
	c1, _ := a.UpdateCount(1)
	if c0 != 13 || c1 != 11 || a.NumUpdate() != 13 {
		t.Errorf("counts %d %d num_update %d, want 13 11 13", c0, c1, a.NumUpdate())
	}
	// Index 1's first step at t=11: m = 0.1, v = 0.001,
	// lr_t = 0.01·sqrt(1−0.999^11)/(1−0.9^11).
	lr := 0.01 * math.Sqrt(1-math.Pow(0.999, 11)) / (1 - math.Pow(0.9, 11))
	near(t, "w1", w1.Float32s(), []float64{1 - lr*0.1/(math.Sqrt(0.001)+1e-8)}, 1e-6)
}

func TestUpdaterAggregatesSGD(t *testing.T) {
	// Five parameters, aggregation 4: groups {0..3} and {4}. A factor
	// scheduler stepping every update shows the group semantics: within a
	// group all counts advance before the rate is read.
	sch, err := NewFactorScheduler(1, 0.5, 1e-8, 1, Warmup{})
	if err != nil {
		t.Fatal(err)
	}
	opt, err := NewSGD(Options{Scheduler: sch}, 0)
	if err != nil {
		t.Fatal(err)
	}
	u := NewUpdater(opt)
	idx := []int{0, 1, 2, 3, 4}
	var ws, gs []*tensor.Tensor
	for range idx {
		ws = append(ws, f32s(t, 0))
		gs = append(gs, f32s(t, 1))
	}
	for step := 1; step <= 2; step++ {
		if err := u.Update(idx, ws, gs); err != nil {
			t.Fatal(err)
		}
	}
	// num_update = 1 after step 1 (lr 1), 2 after step 2 (lr 0.5): w = -1.5
	// for every parameter.
	for i, w := range ws {
		near(t, "w", w.Float32s(), []float64{-1.5}, 1e-7)
		if c, _ := opt.UpdateCount(i); c != 2 {
			t.Errorf("count %d = %d", i, c)
		}
	}
	if st := u.States(); len(st) != 5 || !st[0].IsNone() {
		t.Errorf("states %v", st)
	}
	if err := u.Update([]int{0}, ws[:1], nil); err == nil {
		t.Error("mismatched lengths accepted")
	}
	if err := u.Update([]int{0}, ws[:1], []*tensor.Tensor{f32s(t, 1, 2)}); err == nil {
		t.Error("gradient of the wrong size accepted")
	}
}

// TestSymbolAttrs: multipliers set on graph variables reach the optimizer
// through Symbol.AttrDict, as MXNet's sym.attr_dict() does.
func TestSymbolAttrs(t *testing.T) {
	w := graph.Variable("fc_weight", graph.LRMult(0.5), graph.WDMult(3))
	b := graph.Variable("fc_bias", graph.Init(`["Constant", {"value": 0.5}]`))
	g := &graph.Symbol{Outputs: append(w.Outputs, b.Outputs...)}
	opt, err := CreateForModule("adam", []string{"fc_weight", "fc_bias"}, 10, g.AttrDict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := opt.Common()
	if c.LRMult(0) != 0.5 || c.WDMult(0) != 3 || c.LRMult(1) != 1 || c.WDMult(1) != 0 {
		t.Errorf("multipliers %v %v %v %v", c.LRMult(0), c.WDMult(0), c.LRMult(1), c.WDMult(1))
	}
	arr := f32s(t, 9, 9)
	if err := NewParamInit(NewXavier(), 0).Init("fc_bias", g.AttrDict()["fc_bias"], arr); err != nil || arr.Float32s()[1] != 0.5 {
		t.Errorf("__init__ from the graph: %v %v", arr.Float32s(), err)
	}
}

func TestCreateByName(t *testing.T) {
	opt, err := CreateForModule("SGD", []string{"fc_weight", "fc_bias"}, 50, nil, map[string]float64{"learning_rate": 0.1, "momentum": 0.9, "wd": 1e-4})
	if err != nil {
		t.Fatal(err)
	}
	b := opt.Common()
	if b.RescaleGrad() != 1.0/50 || b.WDMult(1) != 0 || b.WDMult(0) != 1 || b.LearningRate() != 0.1 {
		t.Errorf("rescale %v wd_mult %v %v lr %v", b.RescaleGrad(), b.WDMult(0), b.WDMult(1), b.LearningRate())
	}
	for name, lr := range map[string]float64{"sgd": 0.01, "nag": 0.01, "adagrad": 0.01, "adam": 0.001, "rmsprop": 0.001} {
		o, err := Create(name, Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if o.Common().LearningRate() != lr {
			t.Errorf("%s default lr %v, want %v", name, o.Common().LearningRate(), lr)
		}
	}
	if _, err := Create("sgd", Options{}, map[string]float64{"momentun": 0.9}); err == nil || !strings.Contains(err.Error(), "momentun") {
		t.Errorf("unknown kwarg: %v", err)
	}
	if _, err := Create("lbfgs", Options{}, nil); err == nil {
		t.Error("unknown optimizer accepted")
	}
	if _, err := Create("sgd", Options{}, map[string]float64{"momentum": math.NaN()}); err == nil {
		t.Error("NaN momentum accepted")
	}
	// Adam passes its default learning rate, overriding the scheduler's base.
	sch, _ := NewFactorScheduler(10, 0.5, 1e-8, 0.3, Warmup{})
	a, _ := Create("adam", Options{Scheduler: sch}, nil)
	if a.Common().LearningRate() != 0.001 {
		t.Errorf("adam with scheduler lr %v, want 0.001", a.Common().LearningRate())
	}
	sch2, _ := NewFactorScheduler(10, 0.5, 1e-8, 0.3, Warmup{})
	s, _ := Create("sgd", Options{Scheduler: sch2}, nil)
	if s.Common().LearningRate() != 0.3 {
		t.Errorf("sgd with scheduler lr %v, want 0.3", s.Common().LearningRate())
	}
}

func TestSchedulers(t *testing.T) {
	// FactorScheduler(step=2, factor=0.5, stop=0.1, base=1): lr changes once
	// num_update exceeds count+step.
	f, err := NewFactorScheduler(2, 0.5, 0.1, 1, Warmup{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		n  int
		lr float64
	}{{1, 1}, {2, 1}, {3, 0.5}, {4, 0.5}, {5, 0.25}, {7, 0.125}, {9, 0.1}, {100, 0.1}} {
		if got := f.LR(c.n); got != c.lr {
			t.Errorf("factor LR(%d) = %v, want %v", c.n, got, c.lr)
		}
	}
	// Jumping ahead applies every missed step (while loop).
	f2, _ := NewFactorScheduler(2, 0.5, 1e-8, 1, Warmup{})
	if got := f2.LR(7); got != 0.125 {
		t.Errorf("factor LR(7) from start = %v, want 0.125", got)
	}
	m, err := NewMultiFactorScheduler([]int{2, 5}, 0.1, 1, Warmup{Steps: 2, BeginLR: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		n  int
		lr float64
	}{{0, 0.5}, {1, 0.75}, {2, 1}, {3, 0.1}, {5, 0.1}, {6, 0.1 * 0.1}} {
		if got := m.LR(c.n); math.Abs(got-c.lr) > 1e-15 {
			t.Errorf("multifactor LR(%d) = %v, want %v", c.n, got, c.lr)
		}
	}
	// PolyScheduler(max_update 10, base 1, pwr 2, final 0.1, warmup 2 from
	// 0): LR(1) = 0.5; LR(6) = 0.1 + 0.9·(1 − 4/8)² = 0.325; LR(20) keeps
	// LR(10) = 0.1.
	poly, err := NewPolyScheduler(10, 1, 2, 0.1, Warmup{Steps: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]float64{{1, 0.5}, {6, 0.325}, {10, 0.1}, {20, 0.1}} {
		if got := poly.LR(int(c[0])); math.Abs(got-c[1]) > 1e-15 {
			t.Errorf("poly LR(%v) = %v, want %v", c[0], got, c[1])
		}
	}
	// CosineScheduler(max_update 4, base 1, final 0): LR(1) = (1+cos(π/4))/2.
	cos, _ := NewCosineScheduler(4, 1, 0, Warmup{})
	for _, c := range [][2]float64{{0, 1}, {1, (1 + math.Sqrt(0.5)) / 2}, {2, 0.5}, {4, 0}, {9, 0}} {
		if got := cos.LR(int(c[0])); math.Abs(got-c[1]) > 1e-15 {
			t.Errorf("cosine LR(%v) = %v, want %v", c[0], got, c[1])
		}
	}
	if _, err := NewCosineScheduler(3, 1, 0, Warmup{Steps: 3}); err == nil {
		t.Error("max_update <= warmup accepted")
	}
	wc, _ := NewFactorScheduler(5, 1, 1e-8, 1, Warmup{Steps: 3, BeginLR: 0.2, Mode: "constant"})
	if wc.LR(2) != 0.2 || wc.LR(3) != 1 {
		t.Errorf("constant warmup: %v %v", wc.LR(2), wc.LR(3))
	}
	for _, bad := range []func() error{
		func() error { _, e := NewFactorScheduler(0, 0.5, 0, 1, Warmup{}); return e },
		func() error { _, e := NewFactorScheduler(1, 1.5, 0, 1, Warmup{}); return e },
		func() error { _, e := NewFactorScheduler(1, 0.5, 0, 1, Warmup{BeginLR: 2}); return e },
		func() error { _, e := NewFactorScheduler(1, 0.5, 0, 1, Warmup{Mode: "cosine"}); return e },
		func() error { _, e := NewMultiFactorScheduler([]int{3, 3}, 0.5, 1, Warmup{}); return e },
		func() error { _, e := NewMultiFactorScheduler(nil, 0.5, 1, Warmup{}); return e },
	} {
		if bad() == nil {
			t.Error("bad scheduler accepted")
		}
	}
}

// TestAggregationSemantics: after two updates of index 0, updating [1, 0]
// reads the learning rate differently with and without aggregation.
// FactorScheduler(step 1, factor 0.5, base 1): LR(1)=1, LR(2)=0.5, LR(3)=0.25.
func TestAggregationSemantics(t *testing.T) {
	run := func(name string) (w0, w1 float32) {
		sch, _ := NewFactorScheduler(1, 0.5, 1e-8, 1, Warmup{})
		opt, err := Create(name, Options{Scheduler: sch}, nil)
		if err != nil {
			t.Fatal(err)
		}
		u := NewUpdater(opt)
		a, b, g := f32s(t, 0), f32s(t, 0), f32s(t, 1)
		for range 2 {
			if err := u.Update([]int{0}, []*tensor.Tensor{a}, []*tensor.Tensor{g}); err != nil {
				t.Fatal(err)
			}
		}
		if err := u.Update([]int{1, 0}, []*tensor.Tensor{b, a}, []*tensor.Tensor{g, g}); err != nil {
			t.Fatal(err)
		}
		return a.Float32s()[0], b.Float32s()[0]
	}
	// SGD (multi_sgd_update): both counts advance first, num_update 3.
	if w0, w1 := run("sgd"); w0 != -1.75 || w1 != -0.25 {
		t.Errorf("sgd: w0 %v w1 %v, want -1.75 -0.25", w0, w1)
	}
	// NAG without momentum (sgd_update, one index at a time): index 1's
	// first update sees num_update 2.
	if w0, w1 := run("nag"); w0 != -1.75 || w1 != -0.5 {
		t.Errorf("nag: w0 %v w1 %v, want -1.75 -0.5", w0, w1)
	}
}

// TestMultipliersInUpdate: Module's defaults give the bias no weight decay
// and lr_mult scales the step. w=1, g=0, wd=0.1, lr=0.5:
// weight: w = 1 − 0.5·0.1·1 = 0.95; bias (wd_mult 0): 1;
// "fast_weight" with lr_mult 2: 1 − 1·0.1 = 0.9.
func TestMultipliersInUpdate(t *testing.T) {
	opt, err := CreateForModule("sgd", []string{"fc_weight", "fc_bias", "fast_weight"}, 1,
		map[string]map[string]string{"fast_weight": {"__lr_mult__": "2"}}, map[string]float64{"learning_rate": 0.5, "wd": 0.1})
	if err != nil {
		t.Fatal(err)
	}
	u := NewUpdater(opt)
	ws := []*tensor.Tensor{f32s(t, 1), f32s(t, 1), f32s(t, 1)}
	gs := []*tensor.Tensor{f32s(t, 0), f32s(t, 0), f32s(t, 0)}
	if err := u.Update([]int{0, 1, 2}, ws, gs); err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.95, 1, 0.9} {
		near(t, "w", ws[i].Float32s(), []float64{want}, 1e-7)
	}
}

func TestUpdateNoAllocs(t *testing.T) {
	for _, c := range []struct {
		name string
		kw   map[string]float64
	}{{"sgd", map[string]float64{"momentum": 0.9}}, {"sgd", nil}, {"nag", map[string]float64{"momentum": 0.9}},
		{"adam", nil}, {"adagrad", nil}, {"rmsprop", nil}, {"rmsprop", map[string]float64{"centered": 1}}} {
		opt, err := Create(c.name, Options{}, c.kw)
		if err != nil {
			t.Fatal(err)
		}
		u := NewUpdater(opt)
		idx := []int{0, 1, 2, 3, 4, 5}
		var ws, gs []*tensor.Tensor
		for range idx {
			ws = append(ws, f32s(t, 1, 2, 3))
			gs = append(gs, f32s(t, 0.1, 0.2, 0.3))
		}
		if err := u.Update(idx, ws, gs); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(20, func() { _ = u.Update(idx, ws, gs) }); n != 0 {
			t.Errorf("%s %v: %v allocations per Update", c.name, c.kw, n)
		}
	}
}

// TestThreadsSameResult: splitting a large update over goroutines gives
// bit-identical weights and states.
func TestThreadsSameResult(t *testing.T) {
	const n = 5*minChunk + 123
	for _, c := range []struct {
		name string
		kw   map[string]float64
	}{{"sgd", map[string]float64{"momentum": 0.9, "clip_gradient": 0.5}}, {"nag", map[string]float64{"momentum": 0.9}},
		{"adam", nil}, {"adagrad", nil}, {"rmsprop", map[string]float64{"centered": 1}}} {
		var out [2][]byte
		for k, threads := range []int{1, 3} {
			opt, err := Create(c.name, Options{WD: 0.01}, c.kw)
			if err != nil {
				t.Fatal(err)
			}
			opt.Common().SetThreads(threads)
			w, _ := tensor.New(tensor.Float32, n)
			g, _ := tensor.New(tensor.Float32, n)
			wf, gf := w.Float32s(), g.Float32s()
			for i := range wf {
				wf[i] = float32(math.Sin(float64(i)))
				gf[i] = float32(math.Cos(float64(i) * 0.7))
			}
			st, _ := opt.CreateState(0, w)
			for range 3 {
				if err := opt.Update(0, w, g, st); err != nil {
					t.Fatal(err)
				}
			}
			out[k] = append([]byte(nil), w.Bytes()...)
			for _, a := range st.Arrays {
				out[k] = append(out[k], a.Bytes()...)
			}
		}
		if string(out[0]) != string(out[1]) {
			t.Errorf("%s: 1 and 3 threads differ", c.name)
		}
	}
}
