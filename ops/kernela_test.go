package ops_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// Test helpers of the ops-A kernel tests (FullyConnected, activations,
// elementwise, broadcast, scalar, shape, reduction, dot, Embedding and cast
// families), prefixed ka.

// kaRand returns a float32 tensor of shape with values uniform in
// [-scale, scale) from a fixed seed.
func kaRand(seed uint64, scale float32, shape ...int) *tensor.Tensor {
	r := rand.New(rand.NewPCG(seed, 11))
	t, err := tensor.New(tensor.Float32, shape...)
	if err != nil {
		panic(err)
	}
	for i := range t.Float32s() {
		t.Float32s()[i] = (r.Float32()*2 - 1) * scale
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

// kaS is shorthand for a shape literal.
func kaS(d ...int) []int { return d }

// kaF64 returns t's elements widened to float64.
func kaF64(t *tensor.Tensor) []float64 {
	out := make([]float64, t.Len())
	for i := range out {
		out[i] = t.Float64At(i)
	}
	return out
}

// kaRun runs op name once with the current asm implementation and fails
// the test on error.
func kaRun(t *testing.T, name string, attrs map[string]string, in ...*tensor.Tensor) []*tensor.Tensor {
	t.Helper()
	outs, err := opstest.Run(name, attrs, in, nil)
	if err != nil {
		t.Fatalf("%s %v: %v", name, attrs, err)
	}
	return outs
}

// kaExpect runs op name under every asm implementation and compares
// output 0 with want (float64 reference values of shape).
func kaExpect(t *testing.T, name string, attrs map[string]string, in []*tensor.Tensor, shape []int, want []float64, rtol, atol float64) {
	t.Helper()
	asm.ForEachImpl(func(impl string) {
		outs := kaRun(t, name, attrs, in...)
		kaCheck(t, name+" impl="+impl, outs[0], shape, want, rtol, atol)
	})
}

// kaCheck compares got with want (float64 reference values) and shape;
// NaN in want must be NaN in got.
func kaCheck(t *testing.T, what string, got *tensor.Tensor, shape []int, want []float64, rtol, atol float64) {
	t.Helper()
	if !slices.Equal(got.Shape(), shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape(), shape)
	}
	if got.Len() != len(want) {
		t.Fatalf("%s: %d elements, want %d", what, got.Len(), len(want))
	}
	for i, w := range want {
		g := got.Float64At(i)
		switch {
		case math.IsNaN(w):
			if !math.IsNaN(g) {
				t.Fatalf("%s: [%d] = %v, want NaN", what, i, g)
			}
		case math.IsInf(w, 0):
			if g != w {
				t.Fatalf("%s: [%d] = %v, want %v", what, i, g, w)
			}
		case math.Abs(g-w) > atol+rtol*math.Abs(w) || math.IsNaN(g):
			t.Fatalf("%s: [%d] = %v, want %v (rtol %g, atol %g)", what, i, g, w, rtol, atol)
		}
	}
}

// kaNoAllocs checks that op name's forward kernel does not allocate once
// its outputs (and scratch) exist, under every asm implementation.
func kaNoAllocs(t *testing.T, name string, attrs map[string]string, in ...*tensor.Tensor) {
	t.Helper()
	op, ok := ops.Lookup(name)
	if !ok {
		t.Fatalf("unknown op %s", name)
	}
	var params any
	if op.Parse != nil {
		var err error
		if params, err = op.Parse(attrs); err != nil {
			t.Fatal(err)
		}
	}
	out, err := opstest.Run(name, attrs, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := &ops.Ctx{Threads: 1}
	if op.Workspace != nil {
		shapes := make([]ops.Shape, len(in))
		for i, x := range in {
			shapes[i] = x.Shape()
		}
		ctx.Scratch = make([]float32, op.Workspace(params, shapes))
	}
	asm.ForEachImpl(func(impl string) {
		var ferr error
		n := testing.AllocsPerRun(5, func() { ferr = op.Forward(ctx, params, in, out) })
		if ferr != nil {
			t.Fatal(ferr)
		}
		if n != 0 {
			t.Errorf("%s %v impl=%s: %v allocations per forward, want 0", name, attrs, impl, n)
		}
	})
}

// kaMap applies f to every element of x in float64.
func kaMap(x *tensor.Tensor, f func(float64) float64) []float64 {
	v := kaF64(x)
	for i := range v {
		v[i] = f(v[i])
	}
	return v
}

// kaIndex converts the flat index i of a row-major shape into indices.
func kaIndex(i int, shape []int) []int {
	idx := make([]int, len(shape))
	for d := len(shape) - 1; d >= 0; d-- {
		if shape[d] > 0 {
			idx[d] = i % shape[d]
			i /= shape[d]
		}
	}
	return idx
}

// kaFlat converts indices into the flat row-major offset.
func kaFlat(idx, shape []int) int {
	off := 0
	for d := range shape {
		off = off*shape[d] + idx[d]
	}
	return off
}

// kaNaN is a float32 NaN for test inputs.
var kaNaN = float32(math.NaN())

// kaInf is float32 +Inf.
var kaInf = float32(math.Inf(1))

// kaRunThreads runs op name with a goroutine bound.
func kaRunThreads(name string, attrs map[string]string, in []*tensor.Tensor, threads int) ([]*tensor.Tensor, error) {
	return opstest.Run(name, attrs, in, &opstest.Options{Threads: threads})
}

// kaRunErr runs op name and returns its error.
func kaRunErr(name string, attrs map[string]string, in ...*tensor.Tensor) ([]*tensor.Tensor, error) {
	return opstest.Run(name, attrs, in, nil)
}

// kaForwardInPlace runs op name's kernel with output 0 sharing input 0's
// storage, as the executor does for ops that allow it.
func kaForwardInPlace(name string, attrs map[string]string, in ...*tensor.Tensor) error {
	op, _ := ops.Lookup(name)
	params, err := op.Parse(attrs)
	if err != nil {
		return err
	}
	return op.Forward(&ops.Ctx{Threads: 1}, params, in, []*tensor.Tensor{in[0]})
}

// kaForward runs op name's kernel on given outputs (which may share
// storage with inputs).
func kaForward(name string, attrs map[string]string, in, out []*tensor.Tensor) error {
	op, _ := ops.Lookup(name)
	var params any
	if op.Parse != nil {
		var err error
		if params, err = op.Parse(attrs); err != nil {
			return err
		}
	}
	return op.Forward(&ops.Ctx{Threads: 1}, params, in, out)
}

// asmEach runs f under every asm implementation.
func asmEach(t *testing.T, f func(impl string)) {
	t.Helper()
	asm.ForEachImpl(f)
}

// runOnce allocates op's outputs for inputs in (via opstest) and returns
// them, for benchmarks that then call Forward directly.
func runOnce(op *ops.Op, _ any, attrs map[string]string, in []*tensor.Tensor) ([]*tensor.Tensor, error) {
	return opstest.Run(op.Name, attrs, in, nil)
}
