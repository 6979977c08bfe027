//go:build linux && amd64 && !purego

package asm

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkConvImplicit times ConvImplicit on CIFAR ResNet-20's 3×3
// stride-1 shapes (padded planes of c channels, hw×hw outputs, 8 or 4
// filter rows per call; "shift": the shifted-column layout, a plane per
// kernel column and no padding columns, n = hw², as ops uses on 8×8),
// reporting GFLOP/s of the kept outputs by wall time and the best of
// rounds of 20 calls by thread CPU time.
func BenchmarkConvImplicit(b *testing.B) {
	for _, l := range []struct {
		c, hw, m int
		shift    bool
	}{{16, 32, 8, false}, {32, 16, 8, false}, {64, 8, 8, false}, {16, 32, 4, false}, {64, 8, 6, true}} {
		name := fmt.Sprintf("c%d_%dx%d_m%d", l.c, l.hw, l.hw, l.m)
		if l.shift {
			name += "_shift"
		}
		b.Run(name, func(b *testing.B) {
			wp := l.hw + 2
			n := (l.hw-1)*wp + l.hw
			k := l.c * 9
			planes := make([]float32, l.c*wp*wp)
			offs := make([]int32, 0, k)
			if l.shift {
				n = l.hw * l.hw
				planes = make([]float32, l.c*3*wp*l.hw)
			}
			for c := range l.c {
				for kh := range 3 {
					for kw := range 3 {
						if l.shift {
							offs = append(offs, int32(((c*3+kw)*wp+kh)*l.hw))
						} else {
							offs = append(offs, int32(c*wp*wp+kh*wp+kw))
						}
					}
				}
			}
			w := make([]float32, l.m*k)
			out := make([]float32, l.m*n)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			flops := 2 * float64(l.m*k*l.hw*l.hw)
			best := 0.0
			for i := 0; i < b.N; i += 20 {
				t0 := threadCPU()
				for range 20 {
					ConvImplicit(l.m, n, w, k, planes, offs, out, n)
				}
				best = max(best, 20*flops/float64(threadCPU()-t0))
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			b.ReportMetric(best, "cpu-GFLOP/s")
		})
	}
}
