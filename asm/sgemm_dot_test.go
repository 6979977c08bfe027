package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmDotPath covers the dot path: every n below dotMaxN, small m with
// wide n, odd m, k around the 8- and 16-float steps, W blocks larger than
// L1, alpha/beta, strides and threads.
func TestSgemmDotPath(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ForEachImpl(func(impl string) {
		i := 0
		for _, m := range []int{1, 2, 3, 11, 64} {
			for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 14, 15, 16, 17, 43} {
				for _, k := range []int{1, 7, 8, 9, 16, 23, 515} {
					i++
					tc := gemmCase{transB: true, m: m, n: n, k: k, alpha: []float32{1, -0.5, 0}[i%3],
						beta: []float32{0, 1, 2}[(i/3)%3], pad: i % 4}
					checkGemm(t, r, 1+i%3, tc)
				}
			}
		}
		// Multi-threaded: split rows of A, then (few rows) rows of W.
		for _, threads := range []int{2, 3} {
			checkGemm(t, r, threads, gemmCase{transB: true, m: 301, n: 10, k: 1024, alpha: 1, beta: 0.5})
			checkGemm(t, r, threads, gemmCase{transB: true, m: 7, n: 1033, k: 200, alpha: -1, beta: 1, pad: 2})
		}
		checkGemm(t, r, 1, gemmCase{transB: true, m: 5, n: 12, k: 6001, alpha: 2, beta: 1, pad: 1})
	})
}

// TestDot2x5 checks the selected dot2x5 kernel against its Go model, with
// rows ending at the end of their slices, every cols, one and two rows,
// beta = 0 (C holds NaN, which must not be read) and beta ≠ 0, and guard
// values after each row of C.
func TestDot2x5(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	nan := float32(math.NaN())
	ForEachImpl(func(impl string) {
		kern := sgemmSel.kern.dot2x5
		if kern == nil {
			return
		}
		for k := 1; k <= 41; k++ {
			rows := make([][]float32, 7)
			for i := range rows {
				rows[i] = randSlice(r, k)
			}
			p := func(i int) *float32 { return &rows[i][0] }
			for cols := 1; cols <= 5; cols++ {
				for _, two := range []bool{false, true} {
					for _, beta := range []float32{0, -0.5} {
						var got, want [2][8]float32
						for i := range got {
							for j := range got[i] {
								got[i][j] = r.Float32()
								if beta == 0 && j < cols {
									got[i][j] = nan
								}
							}
						}
						want = got
						a1, c1, w1 := (*float32)(nil), (*float32)(nil), (*float32)(nil)
						if two {
							a1, c1, w1 = p(1), &got[1][0], &want[1][0]
						}
						kern(k, p(0), a1, p(2), p(3), p(4), p(5), p(6), &got[0][0], c1, cols, 1.5, beta)
						dot2x5Generic(k, p(0), a1, p(2), p(3), p(4), p(5), p(6), &want[0][0], w1, cols, 1.5, beta)
						for i := range got {
							for j := range got[i] {
								g, w := got[i][j], want[i][j]
								if j >= cols || (i == 1 && !two) {
									if g != w && !(math.IsNaN(float64(g)) && math.IsNaN(float64(w))) {
										t.Fatalf("%s k=%d cols=%d: c[%d][%d] outside the outputs changed", impl, k, cols, i, j)
									}
									continue
								}
								if math.IsNaN(float64(g)) || math.Abs(float64(g-w)) > 1e-5*float64(k) {
									t.Fatalf("%s k=%d cols=%d two=%v beta=%g: c[%d][%d] = %v, want %v", impl, k, cols, two, beta, i, j, g, w)
								}
							}
						}
					}
				}
			}
		}
	})
}
