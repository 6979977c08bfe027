//go:build linux && amd64 && !purego

package asm

import (
	"math/rand/v2"
	"testing"
	"time"
)

func BenchmarkTmpPack(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	x := randSlice(r, 1024*1024)
	d := make([]float32, 1036*256)
	y := randSlice(r, 32*256)
	c := make([]float32, 14*32)
	fs := map[string]func(){
		"transA": func() {
			for q := 0; q < 73; q++ {
				packAAVX512(14)(d[q*14*256:], x[q*14*1024:], 1024, 256, 1)
			}
		},
		"gatherA": func() {
			for q := 0; q < 73; q++ {
				sgemmPackGatherAVX512(&d[q*14*256], 14, &x[q*14*1024], 1024, 256, 14, 1)
			}
		},
		"goA": func() {
			for q := 0; q < 73; q++ {
				packAGeneric(d[q*14*256:], x[q*14*1024:], 1024, 256, 14, 1)
			}
		},
		"B32": func() {
			for q := 0; q < 32; q++ {
				packB32AVX512(d[q*32*256:], x[q*32:], 1024, 256)
			}
		},
		"kernel": func() {
			for q := 0; q < 73*32; q++ {
				sgemmKernel14x32AVX512(256, &d[(q%73)*14*256], &y[0], &c[0], 32)
			}
		},
	}
	for name, f := range fs {
		b.Run(name, func(b *testing.B) {
			best := time.Hour
			for b.Loop() {
				best = min(best, bestOf(1, f))
			}
			b.ReportMetric(float64(best.Microseconds()), "best-us")
		})
	}
}
