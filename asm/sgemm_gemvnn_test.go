package asm

import (
	"math/rand/v2"
	"testing"
)

// TestSgemmSmallMNN covers the small-M C = A·B path: every m up to
// gemvMaxM (row pairs and the odd row), k across the row chunks, n across
// 32-column strips, the narrow last strip and the column blocks.
func TestSgemmSmallMNN(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	ForEachImpl(func(impl string) {
		i := 0
		for m := 1; m <= gemvMaxM; m++ {
			for _, n := range []int{32, 33, 64, 95} {
				for _, k := range []int{1, 7, 8, 9, 17} {
					i++
					tc := gemmCase{m: m, n: n, k: k, alpha: []float32{1, -0.5, 0}[i%3],
						beta: []float32{0, 1, 2}[(i/3)%3], pad: i % 3, nanC: i%7 == 0}
					if tc.nanC {
						tc.beta = 0
					}
					checkGemm(t, r, 1+i%2, tc)
				}
			}
			checkGemm(t, r, 1, gemmCase{m: m, n: 4096 + 37, k: 11, alpha: 1, beta: 0.5, pad: 1})
		}
	})
}
