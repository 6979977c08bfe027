package train_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
	"github.com/mxgo/mxgo/train"
)

// stepAll runs one training step per batch of it.
func stepAll(t *testing.T, m *train.Module, it *train.NDArrayIter) {
	t.Helper()
	it.Reset()
	for b, ok := it.Next(); ok; b, ok = it.Next() {
		if err := m.Forward(context.Background(), b, true); err != nil {
			t.Fatal(err)
		}
		if err := m.Backward(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := m.Update(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestModuleMultiPrecision trains a float16 parameter set with float32
// master copies: the parameters and the checkpoint are float16, the
// states are (momentum, weight32) pairs whose rounding is the parameter,
// the model learns, and a module loaded from the checkpoint with its
// .states resumes bit-identically.
func TestModuleMultiPrecision(t *testing.T) {
	x, y := blobs(1, 300)
	newMod := func() *train.Module {
		m, err := train.NewModule(mlp(t, 3), []string{"data"}, []string{"softmax_label"})
		if err != nil {
			t.Fatal(err)
		}
		m.MultiPrecision, m.Threads = true, 1
		return m
	}
	m := newMod()
	if err := m.Bind(map[string][]int{"data": {30, 4}}, map[string][]int{"softmax_label": {30}}); err != nil {
		t.Fatal(err)
	}
	if err := m.InitParams(train.NewXavier(), 1, nil, nil, false, false); err != nil {
		t.Fatal(err)
	}
	if err := m.InitOptimizer("sgd", map[string]float64{"learning_rate": 0.1, "momentum": 0.9}); err != nil {
		t.Fatal(err)
	}
	it := iterOf(t, x, y, 30, false)
	acc0, err := m.Score(context.Background(), it, train.NewAccuracy())
	if err != nil {
		t.Fatal(err)
	}
	stepAll(t, m, it)
	stepAll(t, m, it)
	acc, err := m.Score(context.Background(), it, train.NewAccuracy())
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.9 || acc <= acc0 {
		t.Errorf("accuracy %.3f after two epochs (%.3f before), want >= 0.9", acc, acc0)
	}
	args, _ := m.GetParams()
	names := m.ParamNames()
	for i, n := range names {
		w := args[n]
		if w.DType() != tensor.Float16 {
			t.Fatalf("%s is %s, want float16", n, w.DType())
		}
		st := m.Updater().States()[i]
		if st.Master == nil || len(st.Arrays) != 1 {
			t.Fatalf("%s state %+v, want (momentum, weight32)", n, st)
		}
		h, _ := tensor.Data[tensor.Half](w)
		for k, v := range st.Master.Float32s() {
			if h[k] != tensor.ToHalf(v) {
				t.Fatalf("%s[%d] = %v, want float16(master %v)", n, k, h[k].Float32(), v)
			}
		}
	}
	prefix := filepath.Join(t.TempDir(), "mp")
	if err := m.SaveCheckpoint(prefix, 2, true); err != nil {
		t.Fatal(err)
	}
	ck, err := serialize.LoadCheckpoint(prefix, 2)
	if err != nil {
		t.Fatal(err)
	}
	if w := ck.Args[names[0]]; w == nil || w.DType() != tensor.Float16 {
		t.Fatalf("checkpoint %s = %v, want float16", names[0], w)
	}
	m2, err := train.LoadModule(prefix, 2, []string{"data"}, []string{"softmax_label"}, true)
	if err != nil {
		t.Fatal(err)
	}
	m2.MultiPrecision, m2.Threads = true, 1
	if err := m2.Bind(map[string][]int{"data": {30, 4}}, map[string][]int{"softmax_label": {30}}); err != nil {
		t.Fatal(err)
	}
	if err := m2.InitOptimizer("sgd", map[string]float64{"learning_rate": 0.1, "momentum": 0.9}); err != nil {
		t.Fatal(err)
	}
	stepAll(t, m, it)
	stepAll(t, m2, it)
	a1, _ := m.GetParams()
	a2, _ := m2.GetParams()
	for _, n := range names {
		if !tensor.Equal(a1[n], a2[n]) {
			t.Errorf("resumed %s differs: %v vs %v", n, a2[n], a1[n])
		}
	}
	for i := range names {
		if !tensor.Equal(m.Updater().States()[i].Master, m2.Updater().States()[i].Master) {
			t.Errorf("resumed master %d differs", i)
		}
	}
}
