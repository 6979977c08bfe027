//go:build amd64 && !purego

package asm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSgemmAmd64Blockings runs the batch-invariance check and an avx2 /
// avx512 bit-for-bit comparison with the amd64 kernels blocked both ways
// amd64KC can set them (kc 1024 where avx512 is the default, kc 256
// elsewhere), with and without packAliased (packed A for rows 4 KiB
// apart, set where the L1 is 32 KiB), so that the blocking this machine
// does not use is tested here too: shapes for the narrow, small-M, direct and blocked paths, k
// over several slices of either kc, transposed B, alpha ≠ 1 and beta ≠ 0.
func TestSgemmAmd64Blockings(t *testing.T) {
	saved := map[string]sgemmKernel{}
	for name, k := range sgemmKernels {
		saved[name] = k
	}
	prev := Impl()
	defer func() {
		for name, k := range saved {
			sgemmKernels[name] = k
		}
		_ = SetImpl(prev)
	}()
	var simd []string
	for _, impl := range Impls() {
		if impl == AVX2 || impl == AVX512 {
			simd = append(simd, impl)
		}
	}
	if len(simd) == 0 {
		t.Skip("no avx2 on this CPU")
	}
	if len(simd) == 1 {
		t.Log("no AVX-512 on this CPU: avx2 alone, no avx2/avx512 comparison")
	}
	r := rand.New(rand.NewPCG(81, 82))
	for _, bl := range []struct{ kc, mc, nc, aliased int }{{1024, 96, 128, 96}, {1024, 96, 128, 0}, {256, 144, 768, 0}} {
		for name, k := range saved {
			if name != AVX2 && name != AVX512 {
				continue
			}
			k.kc, k.mc = bl.kc, bl.mc
			if name == AVX512 {
				k.nc, k.packAliased = bl.nc, bl.aliased
			}
			sgemmKernels[name] = k
		}
		// {150, 97, 1024} and {100, 70, 2048}: rows of A 4 KiB apart
		// (packed with packAliased).
		for _, s := range [][3]int{{5, 10, 1100}, {7, 300, 2100}, {40, 12, 600}, {20, 33, 90}, {150, 97, 1300}, {150, 97, 1024}, {100, 70, 2048}} {
			m, n, k := s[0], s[1], s[2]
			for _, transB := range []bool{false, true} {
				ldb := n
				if transB {
					ldb = k
				}
				a, b, c0 := randSlice(r, m*k), randSlice(r, k*n), randSlice(r, m*n)
				var first []float32
				for _, impl := range simd {
					if err := SetImpl(impl); err != nil {
						t.Fatal(err)
					}
					what := fmt.Sprintf("kc=%d aliased=%d %s m=%d n=%d k=%d transB=%v", bl.kc, bl.aliased, impl, m, n, k, transB)
					t.Run(what, func(t *testing.T) {
						checkRowInvariance(t, n, k, false, transB, 1.25, 0.5, []int{1, 3, 8, 9, 20})
					})
					c := slices.Clone(c0)
					SgemmThreads(2, false, transB, m, n, k, 1, a, k, b, ldb, 0.5, c, n)
					if first == nil {
						first = c
						continue
					}
					checkSameBits(t, what+" against "+simd[0], c, first)
				}
			}
		}
	}
}
