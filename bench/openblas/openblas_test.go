//go:build openblas

package openblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/asm"
)

// shape is one compared Sgemm call; nt means B is stored [n,k]
// (FullyConnected weights).
type shape struct {
	m, n, k, threads int
	nt               bool
}

func (s shape) name() string {
	layout := "nn"
	if s.nt {
		layout = "nt"
	}
	return fmt.Sprintf("m=%d/n=%d/k=%d/layout=%s/threads=%d", s.m, s.n, s.k, layout, s.threads)
}

var shapes = func() []shape {
	var s []shape
	for _, d := range []int{64, 128, 256, 512, 1024, 2048} {
		s = append(s, shape{d, d, d, 1, false})
	}
	s = append(s, shape{1024, 1024, 1024, 2, false})
	// Small square C = A·Bᵀ.
	s = append(s, shape{64, 64, 64, 1, true}, shape{128, 128, 128, 1, true})
	for _, kn := range [][2]int{{784, 512}, {512, 512}, {512, 10}, {1024, 4096}, {4096, 1000}} {
		for _, m := range []int{1, 8, 64, 256} {
			s = append(s, shape{m, kn[1], kn[0], 1, true})
		}
	}
	// The small-M path for C = A·B (weights stored [k,n]).
	for _, kn := range [][2]int{{784, 512}, {1024, 4096}} {
		for _, m := range []int{1, 8} {
			s = append(s, shape{m, kn[1], kn[0], 1, false})
		}
	}
	return s
}()

type operands struct {
	a, b, c []float32
	ldb     int
}

func newOperands(s shape) operands {
	r := rand.New(rand.NewPCG(7, 8))
	fill := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = r.Float32()*2 - 1
		}
		return x
	}
	ldb := s.n
	if s.nt {
		ldb = s.k
	}
	return operands{a: fill(s.m * s.k), b: fill(s.k * s.n), c: make([]float32, s.m*s.n), ldb: ldb}
}

func (o operands) mxgo(s shape) {
	asm.SgemmThreads(s.threads, false, s.nt, s.m, s.n, s.k, 1, o.a, s.k, o.b, o.ldb, 0, o.c, s.n)
}

func (o operands) openblas(s shape) {
	Sgemm(false, s.nt, s.m, s.n, s.k, 1, o.a, s.k, o.b, o.ldb, 0, o.c, s.n)
}

// TestAgree checks that the two libraries compute the same products, so
// the benchmark compares like with like.
func TestAgree(t *testing.T) {
	SetThreads(1)
	for _, s := range shapes {
		if s.m*s.n*s.k > 1<<24 {
			continue
		}
		o := newOperands(s)
		o.mxgo(s)
		got := append([]float32(nil), o.c...)
		o.openblas(s)
		for i, w := range o.c {
			if math.Abs(float64(got[i]-w)) > 1e-4*float64(s.k) {
				t.Fatalf("%s: C[%d] mxgo %v, OpenBLAS %v", s.name(), i, got[i], w)
			}
		}
	}
}

// BenchmarkCompare alternates mxgo and OpenBLAS on each shape (OpenBLAS
// always single-threaded; mxgo with the shape's thread count).
func BenchmarkCompare(b *testing.B) {
	SetThreads(1)
	for _, s := range shapes {
		o := newOperands(s)
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		for _, lib := range []string{"mxgo", "openblas"} {
			f := o.mxgo
			if lib == "openblas" {
				f = o.openblas
			}
			b.Run(s.name()+"/lib="+lib, func(b *testing.B) {
				for b.Loop() {
					f(s)
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
