package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmBiasReLU checks SgemmBiasReLU bit for bit against SgemmThreads
// followed by AddBias and Relu, on shapes that take every path (small-M,
// direct, blocked with row and column splits, several kc slices and nc
// blocks), with and without bias and ReLU, 1–3 goroutines, a padded C and
// every implementation.
func TestSgemmBiasReLU(t *testing.T) {
	shapes := [][3]int{{1, 10, 500}, {3, 70, 33}, {8, 512, 784}, {9, 40, 17}, {24, 64, 27}, {40, 1700, 530}, {256, 512, 784}, {150, 10, 300}, {97, 257, 65}}
	r := rand.New(rand.NewPCG(5, 6))
	ForEachImpl(func(impl string) {
		for _, s := range shapes {
			m, n, k := s[0], s[1], s[2]
			for _, tB := range []bool{false, true} {
				ldb := n + 3
				if tB {
					ldb = k + 1
				}
				a := randSlice(r, m*k)
				b := randSlice(r, max(n, k)*ldb)
				bias := randSlice(r, n+5)
				c0 := randSlice(r, m*(n+2))
				for _, threads := range []int{1, 2, 3} {
					for mode := range 3 {
						hasBias, relu := mode != 1, mode != 0
						t.Run(fmt.Sprintf("%s/%dx%dx%d/tB=%v/t=%d/bias=%v/relu=%v", impl, m, n, k, tB, threads, hasBias, relu), func(t *testing.T) {
							want := append([]float32(nil), c0...)
							got := append([]float32(nil), c0...)
							beta := float32(threads-1) * 0.5 // 0, 0.5, 1
							SgemmThreads(threads, false, tB, m, n, k, 1.5, a, k, b, ldb, beta, want, n+2)
							var bs []float32
							if hasBias {
								bs = bias
								AddBias(want, m, n, n+2, bias)
							}
							if relu {
								for i := range m {
									Relu(want[i*(n+2):i*(n+2)+n], want[i*(n+2):i*(n+2)+n])
								}
							}
							SgemmBiasReLU(threads, false, tB, m, n, k, 1.5, a, k, b, ldb, beta, got, n+2, bs, relu)
							for i := range got {
								if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
									t.Fatalf("C[%d][%d] = %g, want %g", i/(n+2), i%(n+2), got[i], want[i])
								}
							}
						})
					}
				}
			}
		}
	})
}
