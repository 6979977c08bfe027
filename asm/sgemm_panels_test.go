package asm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSgemmBiasReLUPanels checks that products reading B from PackPanels'
// panels give the bits SgemmBiasReLU gives, on every implementation, for
// shapes that take each path (small-M, direct, narrow, blocked with
// several kc slices and nc blocks, column and row splits), and that panels
// packed for other kernels or another shape are ignored rather than
// misread.
func TestSgemmBiasReLUPanels(t *testing.T) {
	shapes := [][3]int{{1, 10, 500}, {8, 512, 784}, {40, 1700, 530}, {128, 512, 784}, {256, 512, 784}, {150, 10, 300}, {97, 257, 65}, {64, 4200, 300}, {300, 33, 1000},
		// avx512's direct path reads the panels in pairs: several kc
		// slices, nc blocks of an odd number of panels, a partial last
		// pair, row tiles split over goroutines.
		{16, 200, 2101}, {13, 130, 3000}, {30, 270, 100},
		// Small m: 4 and 8 read the panels (every strip, several nc
		// blocks, a partial last strip, narrow n); 5 reads B.
		{4, 1000, 300}, {8, 10, 500}, {4, 33, 257}, {8, 1700, 70}, {5, 64, 100},
		// m = 1 reads the panels too: whole nc blocks, blocks of 1–3
		// panels, a partial last panel, several kc slices.
		{1, 512, 784}, {1, 1000, 1300}, {1, 97, 70}, {1, 200, 2100}, {1, 65, 33}, {1, 160, 5}}
	r := rand.New(rand.NewPCG(7, 8))
	type operands struct{ a, b, bias, stale []float32 }
	ops := make([]operands, len(shapes))
	for i, s := range shapes {
		ops[i] = operands{a: randSlice(r, s[0]*s[2]), b: randSlice(r, s[2]*(s[1]+5)), bias: randSlice(r, s[1])}
	}
	ForEachImpl(func(impl string) {
		for si, s := range shapes {
			m, n, k := s[0], s[1], s[2]
			ldb := n + 5
			a, b, bias, stale := ops[si].a, ops[si].b, ops[si].bias, ops[si].stale // stale: packed by the previous implementation
			panels := make([]float32, PanelsLen(k, n))
			PackPanels(panels, k, n, b, ldb)
			for _, threads := range []int{1, 2, 3} {
				t.Run(fmt.Sprintf("%s/%dx%dx%d/t=%d", impl, m, n, k, threads), func(t *testing.T) {
					want := make([]float32, m*n)
					SgemmBiasReLU(threads, false, false, m, n, k, 1, a, k, b, ldb, 0, want, n, bias, true)
					for _, p := range [][]float32{panels, stale, panels[:len(panels)-1]} {
						got := randSlice(r, m*n)
						SgemmBiasReLUPanels(threads, m, n, k, a, k, b, ldb, p, got, n, bias, true)
						if i := firstDiff(got, want); i >= 0 {
							t.Fatalf("panels of %d floats: element %d is %g, want %g", len(p), i, got[i], want[i])
						}
					}
				})
			}
			ops[si].stale = slices.Clone(panels)
			if m >= 128 && n >= 64 || (impl == AVX512 && (m%4 == 0 || m == 1 && n > narrowMaxN) && m <= gemvMaxM) {
				// The blocked path (and avx512's small-M path at m = 1,
				// 4 and 8) reads the panels: changing one changes C.
				bad := slices.Clone(panels)
				bad[panelsHeader] += 1
				bad[len(bad)-1] += 1
				got, want := make([]float32, m*n), make([]float32, m*n)
				SgemmBiasReLUPanels(1, m, n, k, a, k, b, ldb, bad, got, n, nil, false)
				SgemmBiasReLUPanels(1, m, n, k, a, k, b, ldb, panels, want, n, nil, false)
				if firstDiff(got, want) < 0 {
					t.Errorf("%s %dx%dx%d: the panels are not read", impl, m, n, k)
				}
			}
		}
	})
}

// firstDiff is the first index where got and want differ in bits, or -1.
func firstDiff(got, want []float32) int {
	for i := range want {
		if got[i] != want[i] && !(got[i] != got[i] && want[i] != want[i]) {
			return i
		}
	}
	return -1
}
