package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmDotPath covers the narrow FullyConnected path: every n below
// dotMaxN, odd m, k around the 8- and 16-float steps, W blocks larger
// than L1, alpha/beta, strides and threads.
func TestSgemmDotPath(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ForEachImpl(func(impl string) {
		i := 0
		for _, m := range []int{1, 2, 3, 11, 64} {
			for n := 1; n <= dotMaxN; n++ {
				for _, k := range []int{1, 7, 8, 9, 16, 23, 515} {
					i++
					tc := gemmCase{transB: true, m: m, n: n, k: k, alpha: []float32{1, -0.5, 0}[i%3],
						beta: []float32{0, 1, 2}[(i/3)%3], pad: i % 4}
					checkGemm(t, r, 1+i%3, tc)
				}
			}
		}
		checkGemm(t, r, 2, gemmCase{transB: true, m: 301, n: 10, k: 1024, alpha: 1, beta: 0.5})
		checkGemm(t, r, 1, gemmCase{transB: true, m: 5, n: 12, k: 6001, alpha: 2, beta: 1, pad: 1})
	})
}

// TestDot2x5 checks the selected dot2x5 kernel against its Go model, with
// rows ending at the end of their slices.
func TestDot2x5(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	ForEachImpl(func(impl string) {
		kern := sgemmSel.kern.dot2x5
		if kern == nil {
			return
		}
		for k := 1; k <= 70; k++ {
			rows := make([][]float32, 7)
			for i := range rows {
				rows[i] = randSlice(r, k)
			}
			var got, want [10]float32
			p := func(i int) *float32 { return &rows[i][0] }
			kern(k, p(0), p(1), p(2), p(3), p(4), p(5), p(6), &got[0])
			dot2x5Generic(k, p(0), p(1), p(2), p(3), p(4), p(5), p(6), &want[0])
			for i := range got {
				if math.Abs(float64(got[i]-want[i])) > 1e-5*float64(k) {
					t.Fatalf("%s k=%d: out[%d] = %v, want %v", impl, k, i, got[i], want[i])
				}
			}
		}
	})
}
