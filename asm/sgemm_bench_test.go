package asm

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchExplicit reports whether the -bench pattern names this size, so the
// slowest shapes run only when asked for (e.g. -bench 'Sgemm/m=2048').
func benchExplicit(size string) bool {
	f := flag.Lookup("test.bench")
	return f != nil && strings.Contains(f.Value.String(), size)
}

// benchGemm times one shape with the selected implementation and reports
// GFLOP/s.
func benchGemm(b *testing.B, threads int, transB bool, m, n, k int) {
	r := rand.New(rand.NewPCG(1, 1))
	a := randSlice(r, m*k)
	w := randSlice(r, k*n)
	c := make([]float32, m*n)
	ldb := n
	if transB {
		ldb = k
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		SgemmThreads(threads, false, transB, m, n, k, 1, a, k, w, ldb, 0, c, n)
	}
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkSgemm runs square C = A·B shapes (single-threaded, plus 1024³ on
// two threads) and FullyConnected C = A·Wᵀ shapes for every implementation.
// 2048³ and the 4096×4096 shapes run only when the -bench pattern names
// them.
func BenchmarkSgemm(b *testing.B) {
	type shape struct {
		m, n, k, threads int
		transB           bool
	}
	var shapes []shape
	for _, s := range []int{64, 128, 256, 512, 1024, 2048} {
		shapes = append(shapes, shape{s, s, s, 1, false})
		if s == 1024 {
			shapes = append(shapes, shape{s, s, s, 2, false})
		}
	}
	for _, kn := range [][2]int{{784, 512}, {512, 512}, {512, 10}, {1024, 4096}, {4096, 4096}, {4096, 1000}} {
		for _, m := range []int{1, 8, 64, 256} {
			shapes = append(shapes, shape{m, kn[1], kn[0], 1, true})
		}
	}
	ForEachImpl(func(impl string) {
		for _, s := range shapes {
			name := fmt.Sprintf("m=%d/n=%d/k=%d", s.m, s.n, s.k)
			if s.threads > 1 {
				name += fmt.Sprintf("/threads=%d", s.threads)
			}
			if s.transB {
				name += "/layout=nt"
			}
			name += "/impl=" + impl
			big := s.m == 2048 || (s.n == 4096 && s.k == 4096)
			if big && !benchExplicit(fmt.Sprintf("m=%d", s.m)) && !benchExplicit("n=4096/k=4096") {
				continue
			}
			b.Run(name, func(b *testing.B) { benchGemm(b, s.threads, s.transB, s.m, s.n, s.k) })
		}
	})
}

// BenchmarkSgemmNN is the small-M path for C = A·B (weights stored [K,N]).
func BenchmarkSgemmNN(b *testing.B) {
	ForEachImpl(func(impl string) {
		for _, kn := range [][2]int{{784, 512}, {1024, 4096}} {
			for _, m := range []int{1, 8} {
				b.Run(fmt.Sprintf("m=%d/n=%d/k=%d/impl=%s", m, kn[1], kn[0], impl), func(b *testing.B) {
					benchGemm(b, 1, false, m, kn[1], kn[0])
				})
			}
		}
	})
}
