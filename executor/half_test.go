package executor_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// TestFloat16Checkpoint makes a float16 LeNet checkpoint file from the real
// one (weights cast to float16, the data input declared float16 with
// __dtype__, as MXNet's cast('float16') exports are), loads it back from
// disk, binds and predicts, and compares the float16 outputs with the
// float64 numpy goldens of the float32 model (testdata/models): the
// weights are converted to float32 once at Bind, the input is cast, and
// the outputs come back as float16.
func TestFloat16Checkpoint(t *testing.T) {
	// float16 keeps 11 significant bits, bfloat16 8: weights, input and
	// output each round by up to 2^-11 (2^-8) relative.
	t.Run("float16", func(t *testing.T) { testHalfCheckpoint(t, tensor.Float16, "2", 2e-3) })
	t.Run("bfloat16", func(t *testing.T) { testHalfCheckpoint(t, tensor.BFloat16, "12", 3e-2) })
}

func testHalfCheckpoint(t *testing.T, dt tensor.DType, flag string, rtol float64) {
	ck := loadLeNet(t)
	half := &serialize.Checkpoint{Symbol: ck.Symbol.Copy(), Args: map[string]*tensor.Tensor{}, Aux: map[string]*tensor.Tensor{}}
	for k, v := range ck.Args {
		h, err := v.AsType(dt)
		if err != nil {
			t.Fatal(err)
		}
		half.Args[k] = h
	}
	nodeByName(t, half.Symbol, "data").Attrs["__dtype__"] = flag
	prefix := filepath.Join(t.TempDir(), "LeNet16")
	if err := serialize.SaveCheckpoint(prefix, 1, half); err != nil {
		t.Fatal(err)
	}
	loaded, err := serialize.LoadCheckpoint(prefix, 1)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range loaded.Args {
		if v.DType() != dt {
			t.Fatalf("%s loaded as %s", k, v.DType())
		}
	}
	x32 := readNPY(t, "../testdata/models/lenet-module-input.npy")
	x, err := x32.AsType(dt)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		output, golden string
		atol           float64
	}{
		{"softmax_output", "lenet-module-softmax_output.npy", 1e-2},
		{"fc1_output", "lenet-module-fc1_output.npy", 0},
	} {
		m, err := executor.Bind(loaded.Symbol, loaded.Args, loaded.Aux, map[string][]int{"data": x.Shape()}, executor.WithOutputs(c.output))
		if err != nil {
			t.Fatal(err)
		}
		if got := m.InputNames(); len(got) != 1 || got[0] != "data" {
			t.Fatalf("inputs %v", got)
		}
		out, err := m.Predict(context.Background(), []*tensor.Tensor{x}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if out[0].DType() != dt {
			t.Fatalf("%s: output dtype %s, want %s", c.output, out[0].DType(), dt)
		}
		want := readNPY(t, "../testdata/models/"+c.golden)
		if out[0].Len() != want.Len() {
			t.Fatalf("%s: %d values, want %d", c.output, out[0].Len(), want.Len())
		}
		worst, scale := 0.0, 0.0
		for i := range want.Len() {
			scale = max(scale, math.Abs(want.Float64At(i)))
		}
		tol := c.atol
		if tol == 0 {
			tol = rtol * scale
		}
		for i := range want.Len() {
			d := math.Abs(out[0].Float64At(i) - want.Float64At(i))
			worst = max(worst, d)
			if d > tol {
				t.Fatalf("%s[%d] = %g, golden %g (tolerance %g)", c.output, i, out[0].Float64At(i), want.Float64At(i), tol)
			}
		}
		t.Logf("%s: max abs error %.3g vs float64 golden (max |golden| %.3g)", c.output, worst, scale)
	}
}
