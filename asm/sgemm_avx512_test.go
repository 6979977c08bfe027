//go:build amd64 && !purego

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// requireAVX512 skips t where the CPU (or the OS) cannot run the avx512
// implementation.
func requireAVX512(tb testing.TB) {
	tb.Helper()
	if !slices.Contains(Impls(), AVX512) {
		tb.Skip("skipped: no AVX-512")
	}
}

// guardedBuf returns a slice of n floats starting off floats into a buffer
// filled with sentinel, with guard floats of sentinel after it.
func guardedBuf(n, off, guard int) (s, all []float32) {
	all = make([]float32, off+n+guard)
	for i := range all {
		all[i] = sentinel
	}
	return all[off : off+n], all
}

// checkGuards fails if anything outside s's window [off, off+n) of all
// changed.
func checkGuards(t *testing.T, what string, all []float32, off, n int) {
	t.Helper()
	for i, v := range all {
		if (i < off || i >= off+n) && v != sentinel {
			t.Fatalf("%s: guard float %d overwritten (%v)", what, i, v)
		}
	}
}

// TestSgemmKernelAVX512 compares the mr×32 AVX-512 micro-kernels (adding
// and storing variants) with sgemmKernelGeneric at every k from 0 to 33
// and a few long ones, on unaligned C with a row-stride gap and guard bands.
func TestSgemmKernelAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(41, 42))
	ks := []int{64, 259}
	for k := range 2*16 + 2 {
		ks = append(ks, k)
	}
	kernels := []struct {
		mr         int
		fn, storeF func(k int, a, b, c *float32, ldc int)
	}{
		{12, sgemmKernel12x32AVX512, sgemmKernel12x32AVX512Store},
		{14, sgemmKernel14x32AVX512, sgemmKernel14x32AVX512Store},
	}
	for _, kern := range kernels {
		mr := kern.mr
		for _, k := range ks {
			for _, store := range []bool{false, true} {
				off := 1 + k%3
				ldc := 32 + k%5
				// a and b are over-allocated by one float so &a[0] is valid
				// at k = 0.
				a := randSlice(r, mr*k+1)
				b := randSlice(r, 32*k+1)
				c, all := guardedBuf((mr-1)*ldc+32, off, 7)
				want := make([]float32, len(c))
				for i := range mr {
					for j := range 32 {
						c[i*ldc+j] = r.Float32()*2 - 1
						if !store {
							want[i*ldc+j] = c[i*ldc+j]
						}
					}
				}
				sgemmKernelGeneric(mr, 32, k, a, b, want, ldc)
				fn := kern.fn
				if store {
					fn = kern.storeF
				}
				fn(k, &a[0], &b[0], &c[0], ldc)
				what := fmt.Sprintf("%dx32 k=%d store=%v", mr, k, store)
				for i := range mr {
					for j := range 32 {
						got, w := c[i*ldc+j], want[i*ldc+j]
						if math.Abs(float64(got-w)) > 1e-5*float64(k+1) {
							t.Fatalf("%s: C[%d][%d] = %v, want %v", what, i, j, got, w)
						}
					}
					if i < mr-1 {
						for j := 32; j < ldc; j++ {
							if c[i*ldc+j] != sentinel {
								t.Fatalf("%s: stride gap C[%d][%d] overwritten", what, i, j)
							}
						}
					}
				}
				checkGuards(t, what, all, off, len(c))
			}
		}
	}
}

// TestSgemmKernelEdgeAVX512 checks the partial-panel kernels against the
// full 12×32 kernel (adding and storing variants): for every row count
// 1..11 and k from 0 to 33 and a few long ones, on unaligned C with a
// row-stride gap, the first rows rows must be the full kernel's bits and
// nothing else may change (the rows after them, the gaps, the guards).
func TestSgemmKernelEdgeAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(45, 46))
	ks := []int{64, 259}
	for k := range 2*16 + 2 {
		ks = append(ks, k)
	}
	const mr = 12
	for rows := 1; rows < mr; rows++ {
		for _, k := range ks {
			for _, store := range []bool{false, true} {
				off := 1 + (k+rows)%3
				ldc := 32 + k%5
				a := randSlice(r, mr*k+1)
				b := randSlice(r, 32*k+1)
				c, all := guardedBuf((mr-1)*ldc+32, off, 7)
				full := make([]float32, len(c))
				for i := range rows {
					for j := range 32 {
						c[i*ldc+j] = r.Float32()*2 - 1
						full[i*ldc+j] = c[i*ldc+j]
					}
				}
				fn, edge := sgemmKernel12x32AVX512, sgemmKernel12x32EdgeAVX512
				if store {
					fn, edge = sgemmKernel12x32AVX512Store, sgemmKernel12x32EdgeAVX512Store
				}
				fn(k, &a[0], &b[0], &full[0], ldc)
				edge(k, rows, &a[0], &b[0], &c[0], ldc)
				what := fmt.Sprintf("rows=%d k=%d store=%v", rows, k, store)
				for i := range mr {
					for j := range ldc {
						if i == mr-1 && j >= 32 {
							break
						}
						got := c[i*ldc+j]
						if i >= rows || j >= 32 {
							if got != sentinel {
								t.Fatalf("%s: C[%d][%d] outside the rows overwritten", what, i, j)
							}
							continue
						}
						if w := full[i*ldc+j]; math.Float32bits(got) != math.Float32bits(w) {
							t.Fatalf("%s: C[%d][%d] = %v, the full kernel gives %v", what, i, j, got, w)
						}
					}
				}
				checkGuards(t, what, all, off, len(c))
			}
		}
	}
}

// TestPackAPartAVX512 checks the packers of a partial panel of A and of a
// panel of transposed A against packA's generic loops (rows 1..11, or
// 1..12 transposed, of a 12-row panel, kb 0..33 and 259, alpha ≠ 1, a
// dirty destination): the same floats, the other rows zero.
func TestPackAPartAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(47, 48))
	const mr = 12
	part, trans := packAPartAVX512(mr), packATAVX512(mr)
	kbs := []int{259}
	for k := range 34 {
		kbs = append(kbs, k)
	}
	for rows := 1; rows < mr; rows++ {
		for _, kb := range kbs {
			lda := kb + rows%3
			a := randSlice(r, rows*lda+1)
			got := randSlice(r, mr*kb)
			want := randSlice(r, mr*kb)
			packA(want, a, lda, false, 0, rows, 0, kb, mr, -1.5, aPackers{})
			packA(got, a, lda, false, 0, rows, 0, kb, mr, -1.5, aPackers{part: part})
			checkSameBits(t, fmt.Sprintf("rows=%d kb=%d", rows, kb), got, want)
		}
	}
	for rows := 1; rows <= mr; rows++ {
		for _, kb := range kbs {
			// op(A) is rows×kb, stored transposed (kb×lda) from column 1.
			lda := rows + 1 + kb%3
			a := randSlice(r, max(kb*lda, 1))
			got := randSlice(r, mr*kb)
			want := randSlice(r, mr*kb)
			packA(want, a, lda, true, 1, rows, 0, kb, mr, -1.5, aPackers{})
			packA(got, a, lda, true, 1, rows, 0, kb, mr, -1.5, aPackers{trans: trans})
			checkSameBits(t, fmt.Sprintf("transposed rows=%d kb=%d", rows, kb), got, want)
		}
	}
}

// TestPackGatherAVX512 checks the gather packer against its definition
// d[p*dstride+r] = alpha*a[r*lda+p] for every row count 1..16, every kb
// 0..33, unaligned source and destination, and floats between the
// destination's groups left untouched.
func TestPackGatherAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(43, 44))
	for rows := 1; rows <= 16; rows++ {
		for kb := range 2*16 + 2 {
			dstride := rows + kb%3
			lda := kb + 1 + rows%4
			src := randSlice(r, 1+rows*lda)
			a := src[1:]
			alpha := float32(-1.5)
			d, all := guardedBuf(max(kb*dstride, 1), 3, 17)
			if kb > 0 {
				sgemmPackGatherAVX512(&d[0], dstride, &a[0], lda, kb, rows, alpha)
			}
			what := fmt.Sprintf("rows=%d kb=%d", rows, kb)
			for p := range kb {
				for i := range dstride {
					got := d[p*dstride+i]
					if i >= rows {
						if got != sentinel {
							t.Fatalf("%s: d[%d*%d+%d] overwritten", what, p, dstride, i)
						}
						continue
					}
					if want := alpha * a[i*lda+p]; got != want {
						t.Fatalf("%s: d[%d*%d+%d] = %v, want %v", what, p, dstride, i, got, want)
					}
				}
			}
			checkGuards(t, what, all, 3, kb*dstride)
		}
	}
}

// TestPackAVX512Panels checks the three panel packers the AVX-512 blocked
// path uses (A by rows of 12 and 14, B and Bᵀ by 32 columns) against the
// generic packers, at every kb 0..33 (tails of the 16-column transpose)
// and two long ones, with unaligned sources.
func TestPackAVX512Panels(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(45, 46))
	kbs := []int{48, 259}
	for kb := range 2*16 + 2 {
		kbs = append(kbs, kb)
	}
	for _, kb := range kbs {
		for _, mr := range []int{12, 14} {
			lda := kb + 2
			a := randSlice(r, 1+mr*lda)[1:]
			want := make([]float32, mr*kb)
			packAGeneric(want, a, lda, kb, mr, 0.5)
			d, all := guardedBuf(mr*kb, 1, 9)
			packAAVX512(mr)(d, a, lda, kb, 0.5)
			if !slices.Equal(d, want) {
				t.Fatalf("packA mr=%d kb=%d: got %v, want %v", mr, kb, d, want)
			}
			checkGuards(t, fmt.Sprintf("packA mr=%d kb=%d", mr, kb), all, 1, mr*kb)
		}
		ldb := 37
		b := randSlice(r, 1+kb*ldb+32)[1:]
		want := make([]float32, 32*kb)
		packB(want, b, ldb, false, 0, kb, 0, 32, 32, nil, nil)
		d, all := guardedBuf(32*kb, 2, 9)
		packB32AVX512(d, b, ldb, kb)
		if !slices.Equal(d, want) {
			t.Fatalf("packB32 kb=%d: got %v, want %v", kb, d, want)
		}
		checkGuards(t, fmt.Sprintf("packB32 kb=%d", kb), all, 2, 32*kb)
		ldbt := kb + 3
		bt := randSlice(r, 1+32*ldbt)[1:]
		packB(want, bt, ldbt, true, 0, kb, 0, 32, 32, nil, nil)
		d, all = guardedBuf(32*kb, 2, 9)
		packBT32AVX512(d, bt, ldbt, kb)
		if !slices.Equal(d, want) {
			t.Fatalf("packBT32 kb=%d: got %v, want %v", kb, d, want)
		}
		checkGuards(t, fmt.Sprintf("packBT32 kb=%d", kb), all, 2, 32*kb)
	}
}

// TestSgemmAVX512Tiles runs the blocked path with both AVX-512 tiles on odd
// shapes and both layouts against the float64 reference.
func TestSgemmAVX512Tiles(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(47, 48))
	shapes := [][3]int{{15, 33, 17}, {29, 65, 300}, {150, 97, 259}, {13, 31, 1}}
	for _, mr := range []int{12, 14} {
		kern := avx512Kernel(sgemmKernels[AVX2], mr)
		for i, s := range shapes {
			for tr := range 4 {
				m, n, k := s[0], s[1], s[2]
				tA, tB := tr&1 != 0, tr&2 != 0
				ar, ac, br, bc := m, k, k, n
				if tA {
					ar, ac = k, m
				}
				if tB {
					br, bc = n, k
				}
				lda, ldb, ldc := ac+1, bc+2, n+3
				a := randSlice(r, ar*lda)
				b := randSlice(r, br*ldb)
				c := randSlice(r, m*ldc)
				want := slices.Clone(c)
				beta := float32(i%3) * 0.5
				sgemmReference(tA, tB, m, n, k, 1.25, a, lda, b, ldb, beta, want, ldc)
				sgemmBlocked(kern, 1+i%2, tA, tB, m, n, k, 1.25, a, lda, b, ldb, beta, c, ldc)
				for x := range c {
					if math.Abs(float64(c[x]-want[x])) > 1e-5*float64(k+2)*(1+math.Abs(float64(want[x]))) {
						t.Fatalf("mr=%d %v tA=%v tB=%v: C[%d] = %v, want %v", mr, s, tA, tB, x, c[x], want[x])
					}
				}
			}
		}
	}
}

// TestAVX512Default pins the per-microarchitecture table.
func TestAVX512Default(t *testing.T) {
	for _, tc := range []struct {
		vendor        cpuid.Vendor
		family, model int
		want          bool
	}{
		{cpuid.AMD, 26, 2, true},     // Zen 5
		{cpuid.AMD, 25, 0x11, true},  // Zen 4 (Genoa)
		{cpuid.AMD, 25, 0x61, true},  // Zen 4 (Raphael)
		{cpuid.AMD, 25, 0x01, false}, // Zen 3 (no AVX-512 anyway)
		{cpuid.Intel, 6, 0x55, false},
	} {
		if got, why := avx512Default(tc.vendor, tc.family, tc.model); got != tc.want || why == "" {
			t.Errorf("avx512Default(%v, %d, %#x) = %v, %q; want %v", tc.vendor, tc.family, tc.model, got, why, tc.want)
		}
	}
	if slices.Contains(Impls(), AVX512) {
		t.Logf("cpu family %d model %d: impls %v (%s)", cpuid.CPU.Family, cpuid.CPU.Model, Impls(), ImplReason())
	}
}

// TestSgemmBlockedAVX512MatchesAVX2Bitwise pins the blocked path's
// reduction order: each element of C is, per kc slice in order, one FMA
// chain over the slice's p ascending started from zero and then added to C,
// with alpha applied while packing A. The AVX2 6×16 and AVX-512 mr×32
// kernels follow it, so their results are bit-identical whatever the tile
// edges, the column blocking (nc) and the thread split (never along k).
func TestSgemmBlockedAVX512MatchesAVX2Bitwise(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(51, 52))
	for _, s := range [][3]int{{37, 70, 300}, {150, 97, 777}, {13, 800, 64}} {
		for tr := range 4 {
			m, n, k := s[0], s[1], s[2]
			tA, tB := tr&1 != 0, tr&2 != 0
			lda, ldb := k, n
			if tA {
				lda = m
			}
			if tB {
				ldb = k
			}
			a := randSlice(r, m*k)
			b := randSlice(r, k*n)
			c0 := randSlice(r, m*n)
			c1 := slices.Clone(c0)
			sgemmBlocked(sgemmKernels[AVX2], 1, tA, tB, m, n, k, 0.75, a, lda, b, ldb, 0.5, c0, n)
			sgemmBlocked(sgemmKernels[AVX512], 2, tA, tB, m, n, k, 0.75, a, lda, b, ldb, 0.5, c1, n)
			for i := range c0 {
				if math.Float32bits(c0[i]) != math.Float32bits(c1[i]) {
					t.Fatalf("%v tA=%v tB=%v: C[%d] avx2 %v, avx512 %v", s, tA, tB, i, c0[i], c1[i])
				}
			}
		}
	}
}

// TestSgemmSmallMNNAVX512 runs the avx512 small-M C = A·B path across its
// 64-column strips and the AVX2 remainder (a 32-column strip and a narrow
// tail), with every m up to gemvMaxM, against the float64 reference.
func TestSgemmSmallMNNAVX512(t *testing.T) {
	requireAVX512(t)
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	if err := SetImpl(AVX512); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(53, 54))
	for m := 1; m <= gemvMaxM; m++ {
		for _, n := range []int{63, 64, 65, 128 + 33, 200} {
			for _, k := range []int{1, 8, 9, 33} {
				checkGemm(t, r, 1, gemmCase{m: m, n: n, k: k, alpha: 0.5, beta: []float32{0, 1, 2}[(m+k)%3], pad: n % 3})
			}
		}
	}
}

// TestSgemmSmallMNNAVX512MatchesAVX2Bitwise: the small-M C = A·B kernels of
// both implementations sum each chunk of gemvNNKC rows of B in one chain
// per element (two chains, even and odd p, for the odd last row) and add it
// to C, so their results are bit-identical.
func TestSgemmSmallMNNAVX512MatchesAVX2Bitwise(t *testing.T) {
	requireAVX512(t)
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	r := rand.New(rand.NewPCG(55, 56))
	for m := 1; m <= gemvMaxM; m++ {
		const n, k = 200, 45
		a := randSlice(r, m*k)
		b := randSlice(r, k*n)
		c0 := randSlice(r, m*n)
		c1 := slices.Clone(c0)
		for i, c := range [][]float32{c0, c1} {
			if err := SetImpl([]string{AVX2, AVX512}[i]); err != nil {
				t.Fatal(err)
			}
			SgemmThreads(1, false, false, m, n, k, 0.75, a, k, b, n, 0.5, c, n)
		}
		for i := range c0 {
			if math.Float32bits(c0[i]) != math.Float32bits(c1[i]) {
				t.Fatalf("m=%d: C[%d] avx2 %v, avx512 %v", m, i, c0[i], c1[i])
			}
		}
	}
}
