package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmDirectPath covers the direct path, B in place and transposed
// (packed): row and column edges (the overlapping, masked or padded last
// tiles), alpha/beta, strides and the multi-threaded splits of column
// panels and of row tiles.
func TestSgemmDirectPath(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	ForEachImpl(func(impl string) {
		i := 0
		for _, m := range []int{6, 7, 11, 12, 13, 64} {
			for _, n := range []int{16, 17, 31, 32, 33, 100} {
				for _, k := range []int{1, 2, 3, 5, 64, 257} {
					i++
					tc := gemmCase{transB: i%2 == 1, m: m, n: n, k: k, alpha: []float32{1, -0.5, 0}[i%3],
						beta: []float32{0, 1, 2}[(i/3)%3], pad: i % 4, nanC: i%5 == 0}
					if tc.nanC {
						tc.beta = 0
					}
					checkGemm(t, r, 1, tc)
				}
			}
		}
		for _, threads := range []int{2, 3} {
			checkGemm(t, r, threads, gemmCase{m: 131, n: 140, k: 100, alpha: 1.5, beta: -1, pad: 1})
			checkGemm(t, r, threads, gemmCase{transB: true, m: 131, n: 140, k: 100, alpha: 1.5, beta: -1, pad: 1})
			// Large products: B packed per call, each goroutine its own
			// column groups (several kc slices, a partial last group).
			checkGemm(t, r, threads, gemmCase{m: 130, n: 300, k: 1100, alpha: 1, beta: -0.5, pad: 1})
			checkGemm(t, r, threads, gemmCase{transB: true, m: 70, n: 200, k: 1300, alpha: 1, beta: 0, nanC: true})
			// Few column panels: the goroutines split the row tiles.
			checkGemm(t, r, threads, gemmCase{m: 131, n: 40, k: 200, alpha: 1, beta: 0, pad: 2})
			checkGemm(t, r, threads, gemmCase{transB: true, m: 97, n: 64, k: 200, alpha: 1, beta: 1})
		}
	})
}

// directModel is the pure-Go model of a directFunc (Go's float32
// arithmetic does not fuse, so it matches the kernels within rounding):
// columns colSkip..colEnd-1 of rows rowSkip..mr-1.
func directModel(mr, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd int) {
	for i := rowSkip; i < mr; i++ {
		for j := colSkip; j < colEnd; j++ {
			var acc float32
			for p := range k {
				acc += a[i*lda+p] * b[p*ldb+j]
			}
			v := acc * alpha
			if beta != 0 {
				v += beta * c[i*ldc+j]
			}
			c[i*ldc+j] = v
		}
	}
}

// TestDirectKernel checks the selected direct kernel against its Go model
// for beta = 0 (C holds NaN, which must not be read) and beta ≠ 0, full
// and edge tiles (rows and columns to leave alone).
func TestDirectKernel(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	ForEachImpl(func(impl string) {
		kern := sgemmSel.kern.direct
		if kern.fn == nil {
			return
		}
		mr, nr := kern.mr, kern.nr
		for k := 1; k <= 19; k++ {
			for _, beta := range []float32{0, 0.5} {
				lda, ldb, ldc := k+1, nr+3, nr+2
				a := randSlice(r, (mr-1)*lda+k)
				b := randSlice(r, (k-1)*ldb+nr)
				got := randSlice(r, (mr-1)*ldc+nr)
				if beta == 0 {
					for i := range got {
						got[i] = float32(math.NaN())
					}
				}
				want := append([]float32(nil), got...)
				rs, cs, ce := k%mr, (k*5)%nr, nr
				if k < 4 {
					rs, cs = 0, 0
				}
				if k%3 == 1 {
					cs, ce = k%4, nr-k%11
				}
				kern.fn(k, &a[0], lda, &b[0], ldb, 32, &got[0], ldc, -1.5, beta, rs, cs, ce, 1, nil, 0)
				directModel(kern.mr, k, a, lda, b, ldb, want, ldc, -1.5, beta, rs, cs, ce)
				for i := range got {
					if j := i % ldc; j >= ce || j < cs || i/ldc < rs {
						if !math.IsNaN(float64(want[i])) && got[i] != want[i] {
							t.Fatalf("%s k=%d: c[%d] outside the tile changed", impl, k, i)
						}
						continue
					}
					if math.Abs(float64(got[i]-want[i])) > 1e-5*float64(k+1) {
						t.Fatalf("%s k=%d beta=%g: c[%d] = %v, want %v", impl, k, beta, i, got[i], want[i])
					}
				}
			}
		}
	})
}
