package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSgemmBatchInvariance checks that every row of C is bit-identical
// whatever the other rows of A are, how many there are (m = 1..20 and 256),
// where the row sits and how many goroutines run: each row of a batch is
// compared with the same row computed alone (m = 1, one goroutine), for
// both layouts of B, a transposed A, alpha ≠ 1 and beta ≠ 0, under every
// implementation.
func TestSgemmBatchInvariance(t *testing.T) {
	type shape struct{ n, k int }
	// (200, 300): m = 256 takes the direct path with B in place and the
	// blocked path with B transposed on avx512, smaller m the small-M and
	// direct paths.
	shapes := []shape{{1, 1}, {10, 500}, {17, 7}, {64, 256}, {33, 257}, {512, 784}, {40, 1100}, {200, 300}}
	ms := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 256}
	if testing.Short() {
		shapes = shapes[:5]
		ms = []int{1, 2, 5, 6, 8, 9, 13, 20, 256}
	}
	ForEachImpl(func(impl string) {
		for _, sh := range shapes {
			for _, tc := range []struct {
				transA, transB bool
				alpha, beta    float32
			}{{false, true, 1, 0}, {false, false, 1, 0}, {false, true, 1, 1}, {true, false, 0.75, 0.5}, {false, true, -1.5, 2}} {
				name := fmt.Sprintf("%s/n=%d/k=%d/tA=%v/tB=%v/alpha=%g/beta=%g", impl, sh.n, sh.k, tc.transA, tc.transB, tc.alpha, tc.beta)
				t.Run(name, func(t *testing.T) {
					checkRowInvariance(t, sh.n, sh.k, tc.transA, tc.transB, tc.alpha, tc.beta, ms)
				})
			}
		}
	})
}

func checkRowInvariance(t *testing.T, n, k int, transA, transB bool, alpha, beta float32, ms []int) {
	r := rand.New(rand.NewPCG(uint64(n), uint64(k)))
	const maxM = 256
	rows := randSlice(r, maxM*k) // row i of op(A)
	c0 := randSlice(r, maxM*n)   // initial C rows (beta ≠ 0)
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	b := randSlice(r, br*bc)
	// opA builds op(A) from rows [off, off+m) of rows, stored as the
	// layout asks (transA: k×m).
	opA := func(off, m int) ([]float32, int) {
		if !transA {
			return rows[off*k : (off+m)*k], k
		}
		a := make([]float32, k*m)
		for i := range m {
			for p := range k {
				a[p*m+i] = rows[(off+i)*k+p]
			}
		}
		return a, m
	}
	run := func(threads, off, m int) []float32 {
		a, lda := opA(off, m)
		c := append([]float32(nil), c0[off*n:(off+m)*n]...)
		SgemmThreads(threads, transA, transB, m, n, k, alpha, a, lda, b, bc, beta, c, n)
		return c
	}
	alone := make([]float32, maxM*n)
	for i := range maxM {
		copy(alone[i*n:], run(1, i, 1))
	}
	// alone is itself right (within float32 rounding of the reference).
	ref := append([]float32(nil), c0[:3*n]...)
	a, lda := opA(0, 3)
	sgemmReference(transA, transB, 3, n, k, alpha, a, lda, b, bc, beta, ref, n)
	for i, v := range ref {
		if d := math.Abs(float64(v - alone[i])); d > 1e-4*float64(k+1) {
			t.Fatalf("row %d col %d: %g, reference %g", i/n, i%n, alone[i], v)
		}
	}
	for _, m := range ms {
		for _, threads := range []int{1, 2, 3} {
			// Every offset for small m places each row at every position
			// across the calls; m = 256 covers all positions at once.
			offs := []int{0, 1, maxM - m}
			if m == maxM {
				offs = []int{0}
			}
			for _, off := range offs {
				got := run(threads, off, m)
				for i, v := range got {
					if w := alone[off*n+i]; math.Float32bits(v) != math.Float32bits(w) {
						t.Fatalf("m=%d threads=%d off=%d: row %d (position %d) col %d = %g, alone %g",
							m, threads, off, off+i/n, i/n, i%n, v, w)
					}
				}
			}
		}
	}
}

// TestSgemmAVX2AVX512Identical checks that avx2 and avx512 give the same
// bits (same slices and FMA chains on every path), where the CPU has both.
func TestSgemmAVX2AVX512Identical(t *testing.T) {
	if !slices.Contains(Impls(), AVX512) || !slices.Contains(Impls(), AVX2) {
		t.Skip("skipped: this CPU lacks AVX-512 or AVX2")
	}
	defer func(impl string) { _ = SetImpl(impl) }(Impl())
	r := rand.New(rand.NewPCG(5, 6))
	for _, sh := range [][3]int{{1, 512, 784}, {3, 10, 500}, {8, 100, 300}, {9, 70, 257}, {64, 64, 64}, {200, 130, 600}} {
		m, n, k := sh[0], sh[1], sh[2]
		for _, transB := range []bool{true, false} {
			a := randSlice(r, m*k)
			b := randSlice(r, n*k)
			ldb := n
			if transB {
				ldb = k
			}
			var got [2][]float32
			for i, impl := range []string{AVX2, AVX512} {
				if err := SetImpl(impl); err != nil {
					t.Fatal(err)
				}
				got[i] = make([]float32, m*n)
				SgemmThreads(2, false, transB, m, n, k, 1, a, k, b, ldb, 0, got[i], n)
			}
			for i := range got[0] {
				if math.Float32bits(got[0][i]) != math.Float32bits(got[1][i]) {
					t.Fatalf("m=%d n=%d k=%d transB=%v: c[%d] avx2 %g, avx512 %g", m, n, k, transB, i, got[0][i], got[1][i])
				}
			}
		}
	}
}
