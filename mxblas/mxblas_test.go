package mxblas_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/mxblas"
	"github.com/mxgo/mxgo/tensor"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

var impl mxblas.Implementation

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.Float64()*2 - 1)
	}
	return s
}

func f64(s []float32) []float64 {
	d := make([]float64, len(s))
	for i, v := range s {
		d[i] = float64(v)
	}
	return d
}

func abs64(s []float64) []float64 {
	d := make([]float64, len(s))
	for i, v := range s {
		d[i] = math.Abs(v)
	}
	return d
}

// TestSgemmAgainstGonumDgemm checks mxblas's Sgemm (every mxgo kernel
// implementation on this machine) against gonum's float64 Dgemm, an
// independent reference: |got - want| <= K·2^-24·(|alpha|·|A|·|B| + |beta·C|)
// plus one rounding, for every transpose pair, odd sizes, padded strides
// and alpha/beta combinations.
func TestSgemmAgainstGonumDgemm(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var ref gonum.Implementation
	sizes := [][3]int{{1, 1, 1}, {1, 17, 33}, {7, 1, 5}, {5, 7, 1}, {13, 9, 31}, {33, 65, 17}, {64, 64, 64}, {97, 31, 129}, {8, 300, 257}, {130, 3, 70}}
	if testing.Short() {
		sizes = sizes[:7]
	}
	asm.ForEachImpl(func(implName string) {
		for _, sz := range sizes {
			m, n, k := sz[0], sz[1], sz[2]
			for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
					for _, ab := range [][2]float32{{1, 0}, {0.5, 1}, {-2, 0.25}} {
						alpha, beta := ab[0], ab[1]
						ar, ac := m, k
						if tA == blas.Trans {
							ar, ac = k, m
						}
						br, bc := k, n
						if tB == blas.Trans {
							br, bc = n, k
						}
						lda, ldb, ldc := ac+3, bc+1, n+2
						a, b, c := randSlice(r, ar*lda), randSlice(r, br*ldb), randSlice(r, m*ldc)
						want, bound := f64(c), abs64(f64(c))
						ref.Dgemm(tA, tB, m, n, k, float64(alpha), f64(a), lda, f64(b), ldb, float64(beta), want, ldc)
						ref.Dgemm(tA, tB, m, n, k, math.Abs(float64(alpha)), abs64(f64(a)), lda, abs64(f64(b)), ldb, math.Abs(float64(beta)), bound, ldc)
						got := append([]float32(nil), c...)
						impl.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, got, ldc)
						for i := range m {
							for j := range ldc {
								idx := i*ldc + j
								if j >= n {
									if got[idx] != c[idx] {
										t.Fatalf("impl=%s %v: padding C[%d,%d] written", implName, sz, i, j)
									}
									continue
								}
								tol := float64(k+2)*0x1p-24*bound[idx] + 1e-30
								if d := math.Abs(float64(got[idx]) - want[idx]); d > tol {
									t.Fatalf("impl=%s m,n,k=%v tA=%v tB=%v alpha=%v beta=%v: C[%d,%d] = %v, Dgemm %v (err %.3g > %.3g)",
										implName, sz, tA, tB, alpha, beta, i, j, got[idx], want[idx], d, tol)
								}
							}
						}
					}
				}
			}
		}
	})
}

func TestLevel1And2AgainstGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var ref gonum.Implementation
	asm.ForEachImpl(func(implName string) {
		for _, n := range []int{0, 1, 3, 8, 15, 16, 17, 63, 100, 1001} {
			x, y := randSlice(r, n), randSlice(r, n)
			want := ref.Ddot(n, f64(x), 1, f64(y), 1)
			if got := impl.Sdot(n, x, 1, y, 1); math.Abs(float64(got)-want) > float64(n+1)*0x1p-24*ref.Ddot(n, abs64(f64(x)), 1, abs64(f64(y)), 1)+1e-30 {
				t.Errorf("impl=%s Sdot n=%d: %v, want %v", implName, n, got, want)
			}
			yy := append([]float32(nil), y...)
			impl.Saxpy(n, 0.75, x, 1, yy, 1)
			for i := range n {
				if w := float64(y[i]) + 0.75*float64(x[i]); math.Abs(float64(yy[i])-w) > 2*0x1p-24*(math.Abs(float64(y[i]))+math.Abs(0.75*float64(x[i]))) {
					t.Errorf("impl=%s Saxpy n=%d [%d]: %v, want %v", implName, n, i, yy[i], w)
				}
			}
			xx := append([]float32(nil), x...)
			impl.Sscal(n, -3, xx, 1)
			for i := range n {
				if xx[i] != -3*x[i] {
					t.Errorf("impl=%s Sscal n=%d [%d]: %v, want %v", implName, n, i, xx[i], -3*x[i])
				}
			}
		}
		// Sgemv both ways (300×500: the rows split over goroutines), beta
		// 0 (y holds NaN, which must not be read) and not, and a strided
		// call that falls back to gonum.
		for _, mn := range [][2]int{{1, 1}, {5, 9}, {33, 17}, {64, 200}, {300, 500}} {
			m, n := mn[0], mn[1]
			lda := n + 2
			a := randSlice(r, m*lda)
			for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				lx, ly := n, m
				if tA == blas.Trans {
					lx, ly = m, n
				}
				for ci, inc := range []int{1, 2, 1} {
					x, y := randSlice(r, lx*inc), randSlice(r, ly*inc)
					beta := float32(0.5)
					if ci == 2 {
						beta = 0
						for i := range y {
							y[i] = float32(math.NaN())
						}
					}
					want, bound := f64(y), abs64(f64(y))
					ref.Dgemv(tA, m, n, 1.5, f64(a), lda, f64(x), inc, float64(beta), want, inc)
					ref.Dgemv(tA, m, n, 1.5, abs64(f64(a)), lda, abs64(f64(x)), inc, float64(beta), bound, inc)
					got := append([]float32(nil), y...)
					impl.Sgemv(tA, m, n, 1.5, a, lda, x, inc, beta, got, inc)
					for i := 0; i < ly*inc; i += inc {
						if d := math.Abs(float64(got[i]) - want[i]); !(d <= float64(lx+2)*0x1p-24*bound[i]) {
							t.Errorf("impl=%s Sgemv %v m=%d n=%d inc=%d: y[%d] = %v, want %v", implName, tA, m, n, inc, i, got[i], want[i])
						}
					}
				}
			}
		}
	})
}

func TestBadArgumentsPanicAsGonum(t *testing.T) {
	var g gonum.Implementation
	msg := func(f func()) (s string) {
		defer func() { s = fmt.Sprint(recover()) }()
		f()
		return ""
	}
	a := make([]float32, 12)
	for _, c := range []struct {
		name string
		call func(blas.Float32)
	}{
		{"lda", func(b blas.Float32) { b.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, a, 2, a, 2, 0, a, 2) }},
		{"short C", func(b blas.Float32) { b.Sgemm(blas.NoTrans, blas.NoTrans, 4, 4, 1, 1, a, 1, a, 4, 0, a[:5], 4) }},
		{"transpose", func(b blas.Float32) { b.Sgemm('x', blas.NoTrans, 1, 1, 1, 1, a, 1, a, 1, 0, a, 1) }},
		{"negative n", func(b blas.Float32) { b.Sgemv(blas.NoTrans, 1, -1, 1, a, 1, a, 1, 0, a, 1) }},
		{"zero incX", func(b blas.Float32) { b.Saxpy(2, 1, a, 0, a, 1) }},
	} {
		want := msg(func() { c.call(g) })
		if got := msg(func() { c.call(impl) }); got != want || want == "" {
			t.Errorf("%s: mxblas panics %q, gonum %q", c.name, got, want)
		}
	}
	// alpha == 0 with beta == 1 returns without reading A, as in gonum.
	c := []float32{2}
	impl.Sgemm(blas.NoTrans, blas.NoTrans, 1, 1, 1, 0, []float32{float32(math.NaN())}, 1, []float32{1}, 1, 1, c, 1)
	if c[0] != 2 {
		t.Errorf("alpha 0, beta 1: C = %v, want 2", c[0])
	}
}

func TestGeneralViewsShareStorage(t *testing.T) {
	x, err := tensor.New(tensor.Float32, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	g, err := mxblas.General(x)
	if err != nil {
		t.Fatal(err)
	}
	g.Data[4] = 7
	if x.Float32s()[4] != 7 || g.Rows != 2 || g.Cols != 3 || g.Stride != 3 {
		t.Errorf("General does not view the tensor: %+v, tensor %v", g, x.Float32s())
	}
	back, err := mxblas.FromGeneral(g)
	if err != nil {
		t.Fatal(err)
	}
	back.Float32s()[0] = 5
	if g.Data[0] != 5 || !back.SameShape(x) {
		t.Errorf("FromGeneral does not share g.Data")
	}
	if _, err := mxblas.FromGeneral(blas32.General{Rows: 2, Cols: 2, Stride: 3, Data: make([]float32, 6)}); err == nil {
		t.Error("strided General accepted")
	}
	if _, err := mxblas.FromGeneral(blas32.General{Rows: 3, Cols: 3, Stride: 3, Data: make([]float32, 8)}); err == nil {
		t.Error("short General accepted")
	}
	if y, _ := tensor.New(tensor.Float32, 2, 3, 4); y != nil {
		if _, err := mxblas.General(y); err == nil {
			t.Error("3-D tensor accepted")
		}
	}
}

// BenchmarkSgemm runs gonum's native Sgemm and mxblas's side by side
// (GFLOP/s), single-threaded and with asm.Threads() goroutines.
func BenchmarkSgemm(b *testing.B) {
	for _, n := range []int{64, 256, 512, 1024} {
		r := rand.New(rand.NewPCG(5, 6))
		a, bb, c := randSlice(r, n*n), randSlice(r, n*n), make([]float32, n*n)
		for _, bc := range []struct {
			name string
			impl blas.Float32
		}{{"gonum", gonum.Implementation{}}, {"mxblas", impl}} {
			b.Run(fmt.Sprintf("%s/%d", bc.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					bc.impl.Sgemm(blas.NoTrans, blas.NoTrans, n, n, n, 1, a, n, bb, n, 0, c, n)
				}
				b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkSgemv runs gonum's native Sgemv and mxblas's side by side
// (GFLOP/s), both ways round, on a FullyConnected-sized matrix, one that
// streams from memory and a small one.
func BenchmarkSgemv(b *testing.B) {
	for _, s := range [][2]int{{512, 784}, {1000, 4096}, {64, 64}} {
		m, n := s[0], s[1]
		r := rand.New(rand.NewPCG(5, 6))
		a, x, y := randSlice(r, m*n), randSlice(r, max(m, n)), make([]float32, max(m, n))
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, bc := range []struct {
				name string
				impl blas.Float32
			}{{"gonum", gonum.Implementation{}}, {"mxblas", impl}} {
				b.Run(fmt.Sprintf("%s/%dx%d/%c", bc.name, m, n, tA), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						bc.impl.Sgemv(tA, m, n, 1, a, n, x, 1, 0, y, 1)
					}
					b.ReportMetric(2*float64(m*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
