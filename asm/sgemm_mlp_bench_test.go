//go:build linux && amd64 && !purego

package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkSgemmMLPCPU times the MLP 784-512-512-10's products as the
// executor runs them (weights pre-transposed, C = X·W with W k×ld, ld
// the width rounded up to 64) on one thread, in thread CPU time (see
// rate), for the selected implementation.
func BenchmarkSgemmMLPCPU(b *testing.B) {
	for _, m := range []int{1, 8, 256} {
		for _, kn := range [][2]int{{784, 512}, {512, 512}, {512, 10}} {
			k, n := kn[0], kn[1]
			ld := (n + 63) / 64 * 64
			b.Run(fmt.Sprintf("%s/m=%d/n=%d/k=%d", Impl(), m, n, k), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 1))
				x := randSlice(r, m*k)
				w := randSlice(r, k*ld)
				c := make([]float32, m*n)
				flops := 2 * float64(m*n*k)
				var best float64
				for b.Loop() {
					best = max(best, rate(flops, func() { SgemmThreads(1, false, false, m, n, k, 1, x, k, w, ld, 0, c, n) }))
				}
				b.ReportMetric(best, "cpu-GFLOP/s")
			})
		}
	}
}
