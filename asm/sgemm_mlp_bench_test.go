//go:build linux && amd64 && !purego

package asm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkSgemmMLPCPU times the MLP 784-512-512-10's products as the
// executor runs them (weights pre-transposed, C = X·W with W k×ld, ld
// the width rounded up to 64; "panels": W packed by PackPanels, with the
// bias and ReLU, as the executor's FullyConnected) on one thread, in
// thread CPU time (see rate), for the selected implementation, and as a
// fraction of the AVX-512 FMA peak measured in the same rounds where the
// CPU has AVX-512. "relu-input" gives the layers that follow a ReLU in
// the MLP (k = 512) an input as a ReLU leaves it, max(0, x + b_p) with x
// and b_p uniform in [-1, 1): half of it zero, some columns mostly, so
// the direct path skips steps (GFLOP/s and of-peak then count the dense
// product's FLOPs).
func BenchmarkSgemmMLPCPU(b *testing.B) {
	for _, m := range []int{1, 8, 256} {
		for _, kn := range [][2]int{{784, 512}, {512, 512}, {512, 10}} {
			for _, v := range []struct{ panels, relu bool }{{false, false}, {true, false}, {true, true}} {
				panels := v.panels
				k, n := kn[0], kn[1]
				if v.relu && k != 512 {
					continue
				}
				ld := (n + 63) / 64 * 64
				name := fmt.Sprintf("%s/m=%d/n=%d/k=%d", Impl(), m, n, k)
				if panels {
					name += "/panels"
				}
				if v.relu {
					name += "/relu-input"
				}
				b.Run(name, func(b *testing.B) {
					r := rand.New(rand.NewPCG(1, 1))
					x := randSlice(r, m*k)
					if v.relu {
						off := randSlice(r, k)
						for i := range x {
							x[i] = max(0, x[i]+off[i%k])
						}
					}
					w := randSlice(r, k*ld)
					bias := randSlice(r, n)
					c := make([]float32, m*n)
					var pan []float32
					if panels {
						pan = make([]float32, PanelsLen(k, n))
						PackPanels(pan, k, n, w, ld)
					}
					flops := 2 * float64(m*n*k)
					var best, peak float64
					for b.Loop() {
						if slices.Contains(Impls(), AVX512) {
							peak = max(peak, fmaPeak512())
						}
						best = max(best, rate(flops, func() {
							if panels {
								SgemmBiasReLUPanels(1, m, n, k, x, k, w, ld, pan, c, n, bias, true)
							} else {
								SgemmThreads(1, false, false, m, n, k, 1, x, k, w, ld, 0, c, n)
							}
						}))
					}
					b.ReportMetric(best, "cpu-GFLOP/s")
					if peak > 0 {
						b.ReportMetric(best/peak, "of-peak")
					}
				})
			}
		}
	}
}
