package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkSgemmInvariance measures the cost of batch invariance in one
// run: each shape under the invariant path choice (inv) and the earlier,
// m-dependent one (variant: dot and small-M paths), e.g.
//
//	go test ./asm -run '^$' -bench SgemmInvariance -benchtime 200ms
//
// fc* are FullyConnected 784→512 (C = A·Wᵀ) at batch 1, 8 and 256.
func BenchmarkSgemmInvariance(b *testing.B) {
	type shape struct {
		name    string
		transB  bool
		m, n, k int
		threads int
	}
	shapes := []shape{
		{"fc784x512/b1/t1", true, 1, 512, 784, 1},
		{"fc784x512/b8/t1", true, 8, 512, 784, 1},
		{"fc784x512/b256/t2", true, 256, 512, 784, 2},
		{"fc500x10/b1/t1", true, 1, 10, 500, 1},
		{"fc500x10/b64/t1", true, 64, 10, 500, 1},
		{"nn/m4/n1024/k512/t1", false, 4, 1024, 512, 1},
		{"nn/m64/n64/k64/t1", false, 64, 64, 64, 1},
		{"nn/m256/n256/k256/t1", false, 256, 256, 256, 1},
		{"nn/m128/n128/k384/t1", false, 128, 128, 384, 1},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, sh := range shapes {
		a := randSlice(r, sh.m*sh.k)
		w := randSlice(r, sh.n*sh.k)
		c := make([]float32, sh.m*sh.n)
		ldb := sh.n
		if sh.transB {
			ldb = sh.k
		}
		if sh.transB {
			pb := PackB(true, sh.k, sh.n, w, sh.k)
			b.Run(fmt.Sprintf("%s/%s/packed", Impl(), sh.name), func(b *testing.B) {
				for b.Loop() {
					SgemmPacked(sh.threads, false, sh.m, 1, a, sh.k, pb, 0, c, sh.n)
				}
				b.ReportMetric(2*float64(sh.m*sh.n*sh.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
		for _, variant := range []bool{false, true} {
			mode := "inv"
			if variant {
				mode = "variant"
			}
			b.Run(fmt.Sprintf("%s/%s/%s", Impl(), sh.name, mode), func(b *testing.B) {
				sgemmVariant = variant
				defer func() { sgemmVariant = false }()
				for b.Loop() {
					SgemmThreads(sh.threads, false, sh.transB, sh.m, sh.n, sh.k, 1, a, sh.k, w, ldb, 0, c, sh.n)
				}
				b.ReportMetric(2*float64(sh.m*sh.n*sh.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
