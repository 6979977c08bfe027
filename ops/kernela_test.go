package ops_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// Test helpers of the ops-A kernel tests (FullyConnected, activations,
// elementwise, broadcast, scalar, shape ops, reductions, dot, Embedding,
// Cast), prefixed ka.

// kaRand returns a float32 tensor of shape with values uniform in [-2, 2)
// from a fixed seed.
func kaRand(seed uint64, shape ...int) *tensor.Tensor {
	r := rand.New(rand.NewPCG(seed, 11))
	t, err := tensor.New(tensor.Float32, shape...)
	if err != nil {
		panic(err)
	}
	for i := range t.Float32s() {
		t.Float32s()[i] = r.Float32()*4 - 2
	}
	return t
}

// kaT builds a float32 tensor of shape from values.
func kaT(shape []int, v ...float32) *tensor.Tensor {
	t, err := tensor.FromSlice(slices.Clone(v), shape...)
	if err != nil {
		panic(err)
	}
	return t
}

// kaF64 returns t's elements widened to float64.
func kaF64(t *tensor.Tensor) []float64 {
	out := make([]float64, t.Len())
	for i := range out {
		out[i] = t.Float64At(i)
	}
	return out
}

// kaRun runs op name once and fails the test on error.
func kaRun(t *testing.T, name string, attrs map[string]string, in ...*tensor.Tensor) []*tensor.Tensor {
	t.Helper()
	out, err := opstest.Run(name, attrs, in, nil)
	if err != nil {
		t.Fatalf("%s %v: %v", name, attrs, err)
	}
	return out
}

// kaCheck compares got's shape and values with a float64 reference
// (NaN must match NaN).
func kaCheck(t *testing.T, what string, got *tensor.Tensor, shape []int, want []float64, rtol, atol float64) {
	t.Helper()
	if !slices.Equal(got.Shape(), shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape(), shape)
	}
	w, err := tensor.FromSlice(slices.Clone(want), shape...)
	if err != nil {
		t.Fatal(err)
	}
	if err := tensor.Compare(got, w, rtol, atol); err != nil {
		t.Fatalf("%s: %v\ngot  %v\nwant %v", what, err, kaF64(got), want)
	}
}

// kaNoAllocs checks that op name's forward kernel makes no allocation once
// its outputs (and scratch) exist. Under -race it only runs the kernel.
func kaNoAllocs(t *testing.T, name string, attrs map[string]string, in ...*tensor.Tensor) {
	t.Helper()
	op, ok := ops.Lookup(name)
	if !ok {
		t.Fatalf("no op %s", name)
	}
	var params any
	if op.Parse != nil {
		p, err := op.Parse(attrs)
		if err != nil {
			t.Fatal(err)
		}
		params = p
	}
	out := kaRun(t, name, attrs, in...)
	ctx := &ops.Ctx{Threads: 1}
	if op.Workspace != nil {
		shapes := make([]ops.Shape, len(in))
		for i, x := range in {
			shapes[i] = x.Shape()
		}
		ctx.Scratch = make([]float32, op.Workspace(params, shapes))
	}
	var ferr error
	n := testing.AllocsPerRun(5, func() { ferr = op.Forward(ctx, params, in, out) })
	if ferr != nil {
		t.Fatal(ferr)
	}
	if n != 0 && !kaRace {
		t.Errorf("%s %v: %v allocations per forward, want 0", name, attrs, n)
	}
}

// kaMap applies f to every element of x in float64.
func kaMap(x *tensor.Tensor, f func(float64) float64) []float64 {
	v := kaF64(x)
	for i := range v {
		v[i] = f(v[i])
	}
	return v
}
