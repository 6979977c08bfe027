package train

import (
	"math"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

func t2(t *testing.T, rows, cols int, v ...float32) *tensor.Tensor {
	t.Helper()
	ts, err := tensor.FromSlice(v, rows, cols)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func t1(t *testing.T, v ...float32) *tensor.Tensor {
	t.Helper()
	ts, err := tensor.FromSlice(v)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestMetrics(t *testing.T) {
	preds := t2(t, 3, 3, 0.3, 0.5, 0.2, 0.1, 0.2, 0.7, 0.6, 0.3, 0.1)
	labels := t1(t, 0, 2, 1)

	acc := NewAccuracy()
	if n, v := acc.Get(); n != "accuracy" || !math.IsNaN(v) {
		t.Errorf("empty accuracy %s %v", n, v)
	}
	// argmax: 1, 2, 0 → one of three correct.
	if err := acc.Update([]*tensor.Tensor{labels}, []*tensor.Tensor{preds}); err != nil {
		t.Fatal(err)
	}
	// Predictions already class indices (same shape as labels): 2 of 2.
	if err := acc.Update([]*tensor.Tensor{t1(t, 4, 1.7)}, []*tensor.Tensor{t1(t, 4.2, 1)}); err != nil {
		t.Fatal(err)
	}
	if _, v := acc.Get(); v != 3.0/5 {
		t.Errorf("accuracy %v, want 0.6", v)
	}
	// Local statistics reset alone (Speedometer's auto_reset); global keep.
	acc.ResetLocal()
	_ = acc.Update([]*tensor.Tensor{t1(t, 1)}, []*tensor.Tensor{t1(t, 1)})
	if _, v := acc.Get(); v != 1 {
		t.Errorf("local accuracy %v, want 1", v)
	}
	if _, v := acc.GetGlobal(); v != 4.0/6 {
		t.Errorf("global accuracy %v, want 4/6", v)
	}
	acc.Reset()
	if _, v := acc.GetGlobal(); !math.IsNaN(v) {
		t.Errorf("after Reset %v", v)
	}

	top2, err := NewTopKAccuracy(2)
	if err != nil {
		t.Fatal(err)
	}
	// top-2 sets: {1,0}, {2,1}, {0,1}: labels 0, 2, 1 all inside.
	if err := top2.Update([]*tensor.Tensor{labels}, []*tensor.Tensor{preds}); err != nil {
		t.Fatal(err)
	}
	if err := top2.Update([]*tensor.Tensor{t1(t, 2)}, []*tensor.Tensor{t2(t, 1, 3, 0.5, 0.4, 0.1)}); err != nil {
		t.Fatal(err)
	}
	if n, v := top2.Get(); n != "top_k_accuracy_2" || v != 3.0/4 {
		t.Errorf("%s %v, want 0.75", n, v)
	}
	if _, err := NewTopKAccuracy(1); err == nil {
		t.Error("top_k 1 accepted")
	}

	ce := NewCrossEntropy(1e-12)
	if err := ce.Update([]*tensor.Tensor{labels}, []*tensor.Tensor{preds}); err != nil {
		t.Fatal(err)
	}
	want := -(math.Log(0.3) + math.Log(0.7) + math.Log(0.3)) / 3
	if _, v := ce.Get(); math.Abs(v-want) > 1e-7 {
		t.Errorf("cross-entropy %v, want %v", v, want)
	}
	if err := ce.Update([]*tensor.Tensor{t1(t, 3)}, []*tensor.Tensor{t2(t, 1, 3, 0.5, 0.4, 0.1)}); err == nil {
		t.Error("label out of range accepted")
	}

	mse := NewMSE()
	// batch 1: diffs 1, -2 → mean 2.5; batch 2: diff 1 → 1; Get = 1.75.
	_ = mse.Update([]*tensor.Tensor{t1(t, 1, 2)}, []*tensor.Tensor{t2(t, 2, 1, 0, 4)})
	_ = mse.Update([]*tensor.Tensor{t1(t, 3)}, []*tensor.Tensor{t1(t, 2)})
	if _, v := mse.Get(); v != 1.75 {
		t.Errorf("mse %v, want 1.75", v)
	}

	for _, bad := range []func() error{
		func() error { return NewAccuracy().Update([]*tensor.Tensor{labels}, nil) },
		func() error { return NewAccuracy().Update([]*tensor.Tensor{t1(t, 1)}, []*tensor.Tensor{preds}) },
		func() error {
			return NewAccuracy().Update([]*tensor.Tensor{t1(t, float32(math.NaN()))}, []*tensor.Tensor{t1(t, 1)})
		},
		func() error { return NewMSE().Update([]*tensor.Tensor{t1(t, 1)}, []*tensor.Tensor{t1(t, 1, 2)}) },
	} {
		if bad() == nil {
			t.Error("bad metric input accepted")
		}
	}
	for name, want := range map[string]string{"acc": "accuracy", "ce": "cross-entropy", "mse": "mse", "top_k_acc_5": "top_k_accuracy_5"} {
		m, err := NewMetric(name)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := m.Get(); n != want {
			t.Errorf("%s: name %s", name, n)
		}
	}
	if _, err := NewMetric("f1"); err == nil {
		t.Error("unknown metric accepted")
	}
}
