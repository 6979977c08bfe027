package executor_test

import (
	"context"
	"math"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/tensor"
)

// TestCnocrWholeGraphCTC binds the whole cnocr GRU graph (both heads) at
// the width its CTC branch is built for (280 pixels, 70 steps) with a
// label, and checks the CTC loss of each sample against the float64
// reference (models_zoo.py's extra goldens), that a sample's loss is
// bit-identical alone (1 thread) and in the batch (2 threads), and that a
// 1-thread Predict does not allocate.
func TestCnocrWholeGraphCTC(t *testing.T) {
	c := modelCase{Dir: "cnocr-densenet-lite-gru", Symbol: "cnocr-v1.2.0-densenet-lite-gru-symbol.json",
		Params: "cnocr-v1.2.0-densenet-lite-gru-0000.params.gz", InputFile: "cnocr-densenet-lite-gru-ctc-input.npy"}
	ck, x := loadCheckpoint(t, c)
	label := readNPY(t, "../testdata/models/cnocr-densenet-lite-gru-ctc-label.npy")
	want := readNPY(t, "../testdata/models/cnocr-densenet-lite-gru-ctc-makeloss0_output.npy")
	run := func(x, label *tensor.Tensor, threads int) *tensor.Tensor {
		t.Helper()
		m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": x.Shape(), "label": label.Shape()},
			executor.WithThreads(threads))
		if err != nil {
			t.Fatal(err)
		}
		in := []*tensor.Tensor{x, label}
		if m.InputNames()[0] != "data" {
			in = []*tensor.Tensor{label, x}
		}
		out, err := m.Predict(context.Background(), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if names := m.OutputNames(); len(names) != 2 || names[1] != "makeloss0_output" {
			t.Fatalf("outputs %v", names)
		}
		if threads > 1 {
			// (with 2 threads, Predict allocates now and then under load
			// for every model, not only this one: left to the pool's tests)
			return out[1]
		}
		if allocs := testing.AllocsPerRun(5, func() {
			if out, err = m.Predict(context.Background(), in, out); err != nil {
				t.Fatal(err)
			}
		}); allocs != 0 {
			t.Errorf("%v allocations per Predict, want 0", allocs)
		}
		return out[1]
	}
	loss := run(x, label, 2)
	compareGolden(t, "makeloss0_output", loss, want, 1e-5, 0)
	for b := range x.Dim(0) {
		xb := takeSample(t, x, 0, b)
		lb := takeSample(t, label, 0, b)
		alone := run(xb, lb, 1).Float32s()[0]
		if got := loss.Float32s()[b]; math.Float32bits(got) != math.Float32bits(alone) {
			t.Errorf("sample %d: loss %g in the batch, %g alone", b, got, alone)
		}
	}
}
