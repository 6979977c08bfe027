package ops_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// Test helpers of the ops-B kernel tests (conv, pooling, norm, softmax,
// loss, dropout, upsampling), prefixed kb.

// kbRand returns a float32 tensor of shape with values uniform in [-1, 1)
// from a fixed seed.
func kbRand(seed uint64, shape ...int) *tensor.Tensor {
	r := rand.New(rand.NewPCG(seed, 7))
	t, err := tensor.New(tensor.Float32, shape...)
	if err != nil {
		panic(err)
	}
	for i := range t.Float32s() {
		t.Float32s()[i] = r.Float32()*2 - 1
	}
	return t
}

// kbTensor builds a float32 tensor from values.
func kbTensor(shape []int, v ...float32) *tensor.Tensor {
	t, err := tensor.FromSlice(slices.Clone(v), shape...)
	if err != nil {
		panic(err)
	}
	return t
}

// kbF64 returns t's elements widened to float64.
func kbF64(t *tensor.Tensor) []float64 {
	out := make([]float64, t.Len())
	for i := range out {
		out[i] = t.Float64At(i)
	}
	return out
}

// kbRun runs op name and fails the test on error.
func kbRun(t *testing.T, name string, attrs map[string]string, in ...*tensor.Tensor) []*tensor.Tensor {
	t.Helper()
	out, err := opstest.Run(name, attrs, in, nil)
	if err != nil {
		t.Fatalf("%s %v: %v", name, attrs, err)
	}
	return out
}

// kbCheck compares got with want (float64 reference values) and shape.
func kbCheck(t *testing.T, what string, got *tensor.Tensor, shape []int, want []float64, rtol, atol float64) {
	t.Helper()
	if !slices.Equal(got.Shape(), shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape(), shape)
	}
	w, err := tensor.FromSlice(want, shape...)
	if err != nil {
		t.Fatal(err)
	}
	if err := tensor.Compare(got, w, rtol, atol); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// kbNoAllocs checks that op name's forward kernel does not allocate once
// its outputs and scratch exist.
func kbNoAllocs(t *testing.T, name string, attrs map[string]string, in ...*tensor.Tensor) {
	t.Helper()
	op, _ := ops.Lookup(name)
	params, err := op.Parse(attrs)
	if err != nil {
		t.Fatal(err)
	}
	out := kbRun(t, name, attrs, in...)
	ctx := &ops.Ctx{Threads: 1}
	if op.Workspace != nil {
		shapes := make([]ops.Shape, len(in))
		for i, x := range in {
			shapes[i] = x.Shape()
		}
		ctx.Scratch = make([]float32, op.Workspace(params, shapes))
	}
	var ferr error
	n := testing.AllocsPerRun(10, func() { ferr = op.Forward(ctx, params, in, out) })
	if ferr != nil {
		t.Fatal(ferr)
	}
	if n != 0 {
		t.Errorf("%s %v: %v allocations per forward, want 0", name, attrs, n)
	}
}

// runOnce allocates op's outputs for inputs in (via opstest) and returns
// them, for benchmarks that then call Forward directly.
func runOnce(op *ops.Op, _ any, attrs map[string]string, in []*tensor.Tensor) ([]*tensor.Tensor, error) {
	return opstest.Run(op.Name, attrs, in, nil)
}
