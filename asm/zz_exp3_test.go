//go:build linux && amd64 && !purego

package asm

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkExpFC1(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	m, k, n := 256, 784, 512
	x := randSlice(r, m*k)
	w := randSlice(r, k*n)
	bias := randSlice(r, n)
	c := make([]float32, m*n)
	p := make([]float32, PanelsMaxLen(k, n))
	PackPanels(p, k, n, w, n)
	for b.Loop() {
		SgemmBiasReLUPanels(1, m, n, k, x, k, w, n, p, c, n, bias, true)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
