package train

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// half64 rounds x to float16 (round to nearest even), as MXNet's cast of
// the float32 master copy into the float16 weight, returned as float64.
func half64(x float64) float64 { return float64(tensor.ToHalf(float32(x)).Float32()) }

func f16s(t *testing.T, v ...float64) *tensor.Tensor {
	t.Helper()
	h := make([]tensor.Half, len(v))
	for i, x := range v {
		h[i] = tensor.ToHalf(float32(x))
	}
	ts, err := tensor.FromSlice(h)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func halves(t *testing.T, ts *tensor.Tensor) []float64 {
	t.Helper()
	h, err := tensor.Data[tensor.Half](ts)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(h))
	for i, v := range h {
		out[i] = float64(v.Float32())
	}
	return out
}

// TestMultiPrecisionSGDMatchesMXNet checks SGD with multi_precision on
// float16 weights and float16 gradients over several steps against a
// float64 transcription of MXNet's mp_sgd_mom_update / mp_sgd_update
// (optimizer_op-inl.h MP_SGDMomKernel): with w32 the master copy created
// as weight.astype(float32),
//
//	mom = momentum·mom − lr·wd·w32 − lr·clip(rescale_grad·float(g))
//	w32 = w32 + mom;  weight = float16(w32).
func TestMultiPrecisionSGDMatchesMXNet(t *testing.T) {
	const lr, wd, rg, clip = 0.1, 0.01, 0.5, 0.8
	init := []float64{0.3, -1.7, 2.25, 0.001, -0.6}
	for _, mu := range []float64{0.9, 0} {
		opt, err := NewSGD(Options{LearningRate: lr, WD: wd, RescaleGrad: rg, ClipGradient: clip, MultiPrecision: true}, mu)
		if err != nil {
			t.Fatal(err)
		}
		u := NewUpdater(opt)
		w := f16s(t, init...)
		w32 := make([]float64, len(init))
		for i, x := range init {
			w32[i] = half64(x)
		}
		mom := make([]float64, len(init))
		for k := range 6 {
			gs := gradSeq(k)
			g := f16s(t, gs...)
			if err := u.Update([]int{0}, []*tensor.Tensor{w}, []*tensor.Tensor{g}); err != nil {
				t.Fatal(err)
			}
			for i := range w32 {
				gi := half64(gs[i])
				mom[i] = p32(mu)*mom[i] - p32(lr)*p32(wd)*w32[i] - p32(lr)*clip64(p32(rg)*gi, p32(clip))
				w32[i] += mom[i]
			}
			st := u.States()[0]
			if st.Master == nil {
				t.Fatalf("momentum %v: state has no master copy: %+v", mu, st)
			}
			near(t, "master", st.Master.Float32s(), w32, 1e-5)
			if mu > 0 {
				near(t, "momentum", st.Arrays[0].Float32s(), mom, 1e-4)
			} else if len(st.Arrays) != 0 {
				t.Fatalf("momentum 0: inner state %+v, want None", st)
			}
			got := halves(t, w)
			for i := range w32 {
				if want := half64(w32[i]); math.Abs(got[i]-want) > 1e-3*math.Abs(want) {
					t.Errorf("momentum %v step %d: weight[%d] = %v, want float16(%v) = %v", mu, k, i, got[i], w32[i], want)
				}
			}
		}
	}
}

// TestMultiPrecisionAdam checks the generic update_multi_precision path (no
// mp kernel: update the master copy with the float32 optimizer, cast back)
// against the same optimizer run on a float32 weight holding the master.
func TestMultiPrecisionAdam(t *testing.T) {
	init := []float64{0.3, -1.7, 2.25, 0.001, -0.6}
	mk := func(mp bool) *Updater {
		opt, err := NewAdam(Options{LearningRate: 0.01, MultiPrecision: mp}, 0.9, 0.999, 1e-8)
		if err != nil {
			t.Fatal(err)
		}
		return NewUpdater(opt)
	}
	u16, u32 := mk(true), mk(false)
	w16 := f16s(t, init...)
	w32 := f32s(t, halves(t, w16)...)
	for k := range 4 {
		g := gradSeq(k)
		if err := u16.Update([]int{0}, []*tensor.Tensor{w16}, []*tensor.Tensor{f32s(t, g...)}); err != nil {
			t.Fatal(err)
		}
		if err := u32.Update([]int{0}, []*tensor.Tensor{w32}, []*tensor.Tensor{f32s(t, g...)}); err != nil {
			t.Fatal(err)
		}
	}
	st := u16.States()[0]
	if st.Master == nil || !st.Tuple || len(st.Arrays) != 2 {
		t.Fatalf("adam mp state %+v, want ((mean, var), weight32)", st)
	}
	if !tensor.Equal(st.Master, w32) {
		t.Errorf("master %v, want %v", st.Master, w32)
	}
	got := halves(t, w16)
	for i, v := range w32.Float32s() {
		if got[i] != half64(float64(v)) {
			t.Errorf("weight[%d] = %v, want float16(%v)", i, got[i], v)
		}
	}
}

func TestMultiPrecisionRefusals(t *testing.T) {
	opt, _ := NewSGD(Options{}, 0.9)
	err := NewUpdater(opt).Update([]int{0}, []*tensor.Tensor{f16s(t, 1, 2)}, []*tensor.Tensor{f32s(t, 1, 2)})
	if err == nil {
		t.Error("float16 weight without multi_precision: no error")
	}
	if _, err := Create("sgd", Options{}, map[string]float64{"multi_precision": 2}); err == nil {
		t.Error("multi_precision 2: no error")
	}
	o, err := Create("sgd", Options{}, map[string]float64{"multi_precision": 1, "momentum": 0.9})
	if err != nil || !o.Common().MultiPrecision() {
		t.Errorf("multi_precision 1: %v, %v", o, err)
	}
}

// TestMultiPrecisionStatesRoundTrip saves multi-precision SGD states as a
// .states pickle, reads them back (the (momentum, weight32) pair comes back
// as a two-array tuple, as from MXNet's file) and checks that training
// resumes bit-identically, in float16 with multi_precision and in float32
// from the master copy.
func TestMultiPrecisionStatesRoundTrip(t *testing.T) {
	init := []float64{0.3, -1.7, 2.25, 0.001, -0.6}
	newOpt := func(mp bool) Optimizer {
		o, err := NewSGD(Options{LearningRate: 0.1, MultiPrecision: mp}, 0.9)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	u := NewUpdater(newOpt(true))
	w := f16s(t, init...)
	for k := range 3 {
		if err := u.Update([]int{0}, []*tensor.Tensor{w}, []*tensor.Tensor{f32s(t, gradSeq(k)...)}); err != nil {
			t.Fatal(err)
		}
	}
	data, err := encodeStates(u.States())
	if err != nil {
		t.Fatal(err)
	}
	// Continue the original for two steps.
	savedW := w.Clone()
	for k := 3; k < 5; k++ {
		if err := u.Update([]int{0}, []*tensor.Tensor{w}, []*tensor.Tensor{f32s(t, gradSeq(k)...)}); err != nil {
			t.Fatal(err)
		}
	}
	// Resume in float16 from the file.
	back, err := decodeStates(data)
	if err != nil {
		t.Fatal(err)
	}
	if st := back[0]; st.Master != nil || !st.Tuple || len(st.Arrays) != 2 {
		t.Fatalf("read back %+v, want a two-array tuple", st)
	}
	u2 := NewUpdater(newOpt(true))
	u2.SetStates(back)
	w2 := savedW.Clone()
	// A float32 module resuming the same run from the master copy.
	u3 := NewUpdater(newOpt(false))
	back3, _ := decodeStates(data)
	u3.SetStates(back3)
	w3, _ := tensor.New(tensor.Float32, len(init))
	for k := 3; k < 5; k++ {
		g := f32s(t, gradSeq(k)...)
		if err := u2.Update([]int{0}, []*tensor.Tensor{w2}, []*tensor.Tensor{g}); err != nil {
			t.Fatal(err)
		}
		if err := u3.Update([]int{0}, []*tensor.Tensor{w3}, []*tensor.Tensor{g}); err != nil {
			t.Fatal(err)
		}
	}
	if !tensor.Equal(w2, w) || !tensor.Equal(u2.States()[0].Master, u.States()[0].Master) {
		t.Errorf("float16 resume: weight %v master %v, want %v %v", w2, u2.States()[0].Master, w, u.States()[0].Master)
	}
	if !tensor.Equal(w3, u.States()[0].Master) {
		t.Errorf("float32 resume: weight %v, want the master copy %v", w3, u.States()[0].Master)
	}
	if st := u3.States()[0]; st.Master != nil || len(st.Arrays) != 1 {
		t.Errorf("float32 resume state %+v, want the momentum alone", st)
	}
}

// TestResumeMXNetMultiPrecisionStates resumes in float32 from the states
// file of an MXNet multi_precision SGD run (testdata/pickle/sgd_mp-0001
// .states: {0: (m0, w32_0), 1: (m1, w32_1)}): each weight restarts from
// its master copy and one step with a zero gradient gives
// w = w32 + momentum·m.
func TestResumeMXNetMultiPrecisionStates(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "pickle", "sgd_mp-0001.states"))
	if err != nil {
		t.Fatal(err)
	}
	states, err := decodeStates(data)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][2][]float32{}
	for i, s := range states {
		want[i] = [2][]float32{slices.Clone(s.Arrays[0].Float32s()), slices.Clone(s.Arrays[1].Float32s())}
	}
	opt, _ := NewSGD(Options{LearningRate: 0.1}, 0.9)
	u := NewUpdater(opt)
	u.SetStates(states)
	w0, _ := tensor.New(tensor.Float32, 3, 4)
	w1, _ := tensor.New(tensor.Float32, 3)
	g0, _ := tensor.New(tensor.Float32, 3, 4)
	g1, _ := tensor.New(tensor.Float32, 3)
	if err := u.Update([]int{0, 1}, []*tensor.Tensor{w0, w1}, []*tensor.Tensor{g0, g1}); err != nil {
		t.Fatal(err)
	}
	for i, w := range []*tensor.Tensor{w0, w1} {
		m, w32 := want[i][0], want[i][1]
		exp := make([]float64, len(m))
		mom := make([]float64, len(m))
		for k := range m {
			mom[k] = p32(0.9) * float64(m[k])
			exp[k] = float64(w32[k]) + mom[k]
		}
		near(t, "weight", w.Float32s(), exp, 1e-4)
		st := u.States()[i]
		if st.Master != nil || len(st.Arrays) != 1 {
			t.Fatalf("state %d = %+v, want the momentum alone", i, st)
		}
		near(t, "momentum", st.Arrays[0].Float32s(), mom, 1e-6)
	}
}
