//go:build linux && amd64 && !purego

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSgemmNarrowKernelAVX512 compares the narrow kernel, every row count
// 1..12 and column count 1..16, adding and storing, with each epilogue,
// bit for bit with the 32-column in-place kernels on the same rows (B's
// columns past n zero), NaN, ±Inf and −0 among C's and the bias's values.
// A's last row ends at an unreadable page; C's columns past n and the
// guard bands must stay untouched.
func TestSgemmNarrowKernelAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(71, 72))
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), 0}
	for rows := 1; rows <= 12; rows++ {
		for _, n := range []int{1, 5, 10, 16} {
			for _, k := range []int{0, 1, 3, 4, 7, 64, 259} {
				lda := k + 1 + (k+rows)%3
				a, free := pageEndFloats(t, (rows-1)*lda+max(k, 1))
				for i := range a {
					a[i] = r.Float32()*2 - 1
				}
				ldb := 16 + rows%3 // rows of 16 readable floats, zero past n
				b := make([]float32, max(k, 1)*ldb)
				b32 := make([]float32, max(k, 1)*32)
				for p := range k {
					for j := range n {
						v := r.Float32()*2 - 1
						b[p*ldb+j], b32[p*32+j] = v, v
					}
				}
				bias := randSlice(r, 32)
				for i, v := range special {
					bias[(3*i+1)%n] = v
				}
				for _, store := range []bool{false, true} {
					for _, flags := range []int{0, epiOn, epiOn | epiReLU} {
						for _, withBias := range []bool{false, true} {
							if flags == 0 && withBias {
								continue
							}
							var bp *float32
							if withBias {
								bp = &bias[0]
							}
							ldc := n + 1 + k%3
							c, all := guardedBuf((rows-1)*ldc+n, 1+k%2, 7)
							tile := make([]float32, 12*32)
							for i := range rows {
								for j := range n {
									v := r.Float32()*2 - 1
									if (i+j)%7 == 0 {
										v = special[(i+j)%len(special)]
									}
									c[i*ldc+j], tile[i*32+j] = v, v
								}
							}
							switch {
							case rows == 12 && store:
								sgemmKernel12x32RowsAVX512Store(k, &a[0], lda, &b32[0], &tile[0], 32, bp, flags)
							case rows == 12:
								sgemmKernel12x32RowsAVX512(k, &a[0], lda, &b32[0], &tile[0], 32, bp, flags)
							case store:
								sgemmKernel12x32RowsEdgeAVX512Store(k, rows, &a[0], lda, &b32[0], &tile[0], 32, bp, flags)
							default:
								sgemmKernel12x32RowsEdgeAVX512(k, rows, &a[0], lda, &b32[0], &tile[0], 32, bp, flags)
							}
							if store {
								sgemmNarrowRowsAVX512Store(k, rows, &a[0], lda, &b[0], ldb, &c[0], ldc, bp, flags, n)
							} else {
								sgemmNarrowRowsAVX512(k, rows, &a[0], lda, &b[0], ldb, &c[0], ldc, bp, flags, n)
							}
							what := fmt.Sprintf("rows=%d n=%d k=%d store=%v flags=%d bias=%v", rows, n, k, store, flags, withBias)
							for i := range rows {
								checkSameBits(t, fmt.Sprintf("%s row %d", what, i), c[i*ldc:i*ldc+n], tile[i*32:i*32+n])
								if i < rows-1 {
									for j := n; j < ldc; j++ {
										if c[i*ldc+j] != sentinel {
											t.Fatalf("%s: C[%d][%d] past n written", what, i, j)
										}
									}
								}
							}
							checkGuards(t, what, all, 1+k%2, len(c))
						}
					}
				}
				free()
			}
		}
	}
}

// TestSgemmNarrowPathAVX512 runs narrow products (n ≤ 16) through Sgemm,
// SgemmBiasReLU and SgemmBiasReLUPanels on avx512 (the narrow path) and
// avx2 (the swapped blocked path, or the direct path): the bits must
// agree, for row counts that leave partial groups, several kc slices,
// transposed B, beta 0, 1 and 0.5, 1 and 3 goroutines, row-stride gaps in
// A and C (whose gaps must stay untouched), A ending at an unreadable
// page.
func TestSgemmNarrowPathAVX512(t *testing.T) {
	requireAVX512(t)
	if sgemmKernels[AVX512].narrow.fn == nil {
		t.Fatal("avx512 has no narrow kernel")
	}
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	r := rand.New(rand.NewPCG(73, 74))
	for _, s := range [][3]int{{1, 10, 512}, {4, 16, 300}, {8, 3, 1030}, {9, 10, 512}, {13, 1, 100}, {37, 16, 1030}, {100, 7, 64}, {256, 10, 512}, {300, 15, 2100}, {25, 2, 3}} {
		m, n, k := s[0], s[1], s[2]
		lda, ldc := k+2, n+3
		a, free := pageEndFloats(t, (m-1)*lda+k)
		for i := range a {
			a[i] = r.Float32()*2 - 1
		}
		bias := randSlice(r, n)
		for _, transB := range []bool{false, true} {
			ldb := n + 1
			if transB {
				ldb = k + 1
			}
			b := randSlice(r, max(n, k)*ldb)
			panels := []float32(nil)
			for _, beta := range []float32{0, 1, 0.5} {
				for _, epi := range []bool{false, true} {
					for _, threads := range []int{1, 3} {
						c0 := randSlice(r, (m-1)*ldc+n)
						for i := range m - 1 {
							for j := n; j < ldc; j++ {
								c0[i*ldc+j] = sentinel
							}
						}
						var got, want []float32
						for _, impl := range []string{AVX2, AVX512} {
							if err := SetImpl(impl); err != nil {
								t.Fatal(err)
							}
							c := slices.Clone(c0)
							switch {
							case epi && beta == 0 && !transB:
								if panels == nil || impl == AVX512 {
									panels = make([]float32, PanelsMaxLen(k, n))
									PackPanels(panels, k, n, b, ldb)
								}
								SgemmBiasReLUPanels(threads, m, n, k, a, lda, b, ldb, panels, c, ldc, bias, true)
							case epi:
								SgemmBiasReLU(threads, false, transB, m, n, k, 1, a, lda, b, ldb, beta, c, ldc, bias, true)
							default:
								SgemmThreads(threads, false, transB, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
							}
							if impl == AVX2 {
								want = c
							} else {
								got = c
							}
						}
						checkSameBits(t, fmt.Sprintf("m=%d n=%d k=%d transB=%v beta=%v epi=%v threads=%d", m, n, k, transB, beta, epi, threads), got, want)
						panels = nil
					}
				}
			}
		}
		free()
	}
}
