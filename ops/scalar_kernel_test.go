package ops_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// scalarBitRefs are the tensor-scalar ops whose kernels are vector passes
// (asm kernels or inlined loops) with the float32 expression each element
// must equal bit for bit (MXNet's kernels: one IEEE operation per element;
// x/s is not x·(1/s)).
var scalarBitRefs = map[string]func(v, s float32) float32{
	"_plus_scalar":   func(v, s float32) float32 { return v + s },
	"_minus_scalar":  func(v, s float32) float32 { return v - s },
	"_rminus_scalar": func(v, s float32) float32 { return s - v },
	"_mul_scalar":    func(v, s float32) float32 { return v * s },
	"_div_scalar":    func(v, s float32) float32 { return v / s },
	"_rdiv_scalar":   func(v, s float32) float32 { return s / v },
	"_maximum_scalar": func(v, s float32) float32 {
		if v != v || v > s {
			return v
		}
		return s
	},
	"_minimum_scalar": func(v, s float32) float32 {
		if v != v || v < s {
			return v
		}
		return s
	},
}

// TestScalarKernelBits checks the vector tensor-scalar kernels against the
// scalar float32 expression bit for bit (NaN against NaN, whatever its
// payload), under every implementation, out of place and in place, on
// lengths around the vector widths and divScalar's 1024-element chunks,
// with scalars and elements that make division round (127.5, 3, 0.1),
// signed zeros, infinities, NaN, subnormals and overflow.
func TestScalarKernelBits(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	special := []float32{0, float32(math.Copysign(0, -1)), 1, -1, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
		1e-40, -3e-39, 3e38, -3.4e38, 127.5, 255, 1e-30}
	scalars := []float32{127.5, 3, 0.1, -0.5, 0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.NaN()), 1e-40, 3e38}
	for name, ref := range scalarBitRefs {
		op, ok := ops.Lookup(name)
		if !ok {
			t.Fatalf("unknown op %s", name)
		}
		asm.ForEachImpl(func(impl string) {
			for _, n := range []int{1, 15, 16, 17, 33, 1023, 1024, 1025, 2500} {
				x := make([]float32, n)
				for i := range x {
					if r.IntN(4) == 0 {
						x[i] = special[r.IntN(len(special))]
					} else {
						x[i] = (r.Float32()*2 - 1) * 300
					}
				}
				for _, s := range scalars {
					params, err := op.Parse(map[string]string{"scalar": fmt.Sprint(s)})
					if err != nil {
						t.Fatal(err)
					}
					for _, inPlace := range []bool{false, true} {
						xt, err := tensor.FromSlice(append([]float32(nil), x...), n)
						if err != nil {
							t.Fatal(err)
						}
						yt := xt
						if !inPlace {
							if yt, err = tensor.New(tensor.Float32, n); err != nil {
								t.Fatal(err)
							}
						}
						if err := op.Forward(&ops.Ctx{Threads: 1}, params, []*tensor.Tensor{xt}, []*tensor.Tensor{yt}); err != nil {
							t.Fatal(err)
						}
						for i, got := range yt.Float32s() {
							want := ref(x[i], s)
							if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
								t.Fatalf("%s impl=%s n=%d s=%g in place=%v: element %d (%g) gives %g (%#x), want %g (%#x)",
									name, impl, n, s, inPlace, i, x[i], got, math.Float32bits(got), want, math.Float32bits(want))
							}
						}
					}
				}
			}
		})
	}
}

// BenchmarkScalarOps times the arithmetic tensor-scalar ops on LFFD's
// input (1,3,480,640: (x - 127.5) / 127.5, out of cache) and on 16k
// elements (in cache), one thread, the selected implementation.
func BenchmarkScalarOps(b *testing.B) {
	for _, shape := range [][]int{{1, 3, 480, 640}, {1 << 14}} {
		x := kaRand(1, 300, shape...)
		y, err := tensor.New(tensor.Float32, shape...)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range []string{"_plus_scalar", "_minus_scalar", "_mul_scalar", "_div_scalar", "_rdiv_scalar", "_maximum_scalar"} {
			b.Run(fmt.Sprintf("%s/n=%d", name, x.Len()), func(b *testing.B) {
				op, _ := ops.Lookup(name)
				params, err := op.Parse(map[string]string{"scalar": "127.5"})
				if err != nil {
					b.Fatal(err)
				}
				ctx := &ops.Ctx{Threads: 1}
				in, out := []*tensor.Tensor{x}, []*tensor.Tensor{y}
				b.ReportAllocs()
				for b.Loop() {
					if err := op.Forward(ctx, params, in, out); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(x.Len())*float64(b.N)/b.Elapsed().Seconds()/1e6, "Melem/s")
			})
		}
	}
}
