package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmDirectPath covers the direct path, B in place and transposed
// (packed): row and column edges (the overlapping or padded last tiles),
// alpha/beta, strides and the multi-threaded split of column panels.
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
		}
	})
}

// TestDirectKernel checks the selected direct kernel against its Go model
// for beta = 0 (C holds NaN, which must not be read) and beta ≠ 0, full
// and edge tiles (rows and columns to leave alone).
func TestDirectKernel(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	ForEachImpl(func(impl string) {
		kern := sgemmSel.kern.direct
		if kern == nil {
			return
		}
		for k := 1; k <= 19; k++ {
			for _, beta := range []float32{0, 0.5} {
				lda, ldb, ldc := k+1, 19, 18
				a := randSlice(r, 5*lda+k)
				b := randSlice(r, (k-1)*ldb+16)
				got := randSlice(r, 5*ldc+16)
				if beta == 0 {
					for i := range got {
						got[i] = float32(math.NaN())
					}
				}
				want := append([]float32(nil), got...)
				rs, cs, ce := k%6, (k*5)%16, 16
				if k < 4 {
					rs, cs = 0, 0
				}
				if k%3 == 1 {
					cs, ce = k%4, 16-k%11
				}
				kern(k, &a[0], lda, &b[0], ldb, &got[0], ldc, -1.5, beta, rs, cs, ce)
				directGeneric(k, &a[0], lda, &b[0], ldb, &want[0], ldc, -1.5, beta, rs, cs, ce)
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
