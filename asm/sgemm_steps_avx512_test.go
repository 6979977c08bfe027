//go:build linux && amd64 && !purego

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// zeroSteps fills rows×k of a (row stride lda) with values in [-1, 1),
// then zeroes whole steps of row tiles and single elements, as a ReLU
// leaves them: each element is +0 or −0 with probability zero; among the
// rest are NaN, ±Inf and the smallest subnormal (nonzero) when special.
func zeroSteps(r *rand.Rand, a []float32, rows, k, lda int, zero float64, special bool) {
	odd := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), math.Float32frombits(1)}
	for i := range rows {
		for p := range k {
			v := r.Float32()*2 - 1
			switch {
			case r.Float64() < zero:
				v = 0
				if r.IntN(2) == 0 {
					v = float32(math.Copysign(0, -1))
				}
			case special && r.IntN(30) == 0:
				v = odd[r.IntN(len(odd))]
			}
			a[i*lda+p] = v
		}
	}
}

// nonzeroStepsRef is nonzeroSteps4AVX512's reference.
func nonzeroStepsRef(k int, a []float32, lda int) []int32 {
	var l []int32
	for p := range k {
		for r := range 4 {
			if a[r*lda+p] != 0 || a[r*lda+p] != a[r*lda+p] {
				l = append(l, int32(p))
				break
			}
		}
	}
	return l
}

// TestNonzeroStepsAVX512 compares the lister with nonzeroStepsRef for
// every k up to 70 and some longer, densities from all zero to none, −0
// (zero), NaN, ±Inf and a subnormal (nonzero), the last row ending where
// an unreadable page begins; it must write no more than count + 16
// entries.
func TestNonzeroStepsAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(3, 4))
	ks := []int{200, 511, 512, 784, 1024}
	for k := 1; k <= 70; k++ {
		ks = append(ks, k)
	}
	for _, k := range ks {
		for _, zero := range []float64{1, 0.97, 0.8, 0.5, 0} {
			lda := k + k%5
			a, free := pageEndFloats(t, 3*lda+k)
			zeroSteps(r, a, 4, k, lda, zero, true)
			want := nonzeroStepsRef(k, a, lda)
			const canary = -7
			list := make([]int32, k+16+8)
			for i := range list {
				list[i] = canary
			}
			n := nonzeroSteps4AVX512(k, &a[0], lda, &list[0])
			if n != len(want) || !slices.Equal(list[:n], want) {
				t.Fatalf("k=%d zero=%v: got %d steps %v, want %d %v", k, zero, n, list[:n], len(want), want)
			}
			for i := n + 16; i < len(list); i++ {
				if list[i] != canary {
					t.Fatalf("k=%d zero=%v: wrote list[%d], past count %d + 16", k, zero, i, n)
				}
			}
			free()
		}
	}
}

// TestDirectStepsKernelAVX512 compares the listed-steps kernel bit for
// bit with the dense 4×64 kernel on A whose tiles are zero (±0) at many
// steps, listing each tile's nonzero steps (nonzeroStepsRef), over 1–3
// tiles, column bounds that mask loads, the edge stores (rowSkip,
// colSkip, alpha, beta) and each epilogue, B in place and as two panels,
// NaN and ±Inf in A and the bias (B finite, the condition for skipping),
// a tile with no step listed, and with every step listed.
func TestDirectStepsKernelAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(5, 6))
	type tc struct {
		k, tiles, rowSkip, colSkip, colEnd int
		alpha, beta                        float32
		panels, all                        bool
		flags                              int
		zero                               float64
	}
	var cases []tc
	for i, k := range []int{1, 2, 3, 4, 5, 7, 9, 64, 65, 130, 512} {
		for j, ce := range []int{64, 63, 33, 10} {
			for _, zero := range []float64{0.5, 0.9, 1} {
				for _, rs := range []int{0, 3} {
					cases = append(cases, tc{k: k, tiles: 1 + (i+j)%3, rowSkip: rs, colSkip: (j % 2) * min(5, ce-1), colEnd: ce,
						alpha: []float32{1, 1, -1.5}[(i+j)%3], beta: []float32{0, 1, 0.5}[(i+rs)%3], panels: (i+j)%2 == 0,
						all: (i+j+rs)%5 == 0, flags: []int{0, epiOn, epiOn | epiReLU}[(i+j)%3], zero: zero})
				}
			}
		}
	}
	for _, c := range cases {
		name := fmt.Sprintf("%+v", c)
		rows := 4 * c.tiles
		lda, ldc := c.k+3, 64+7
		ldb, bhi, bLen := directTestB(c.k, c.colEnd, c.panels)
		a, freeA := pageEndFloats(t, (rows-1)*lda+c.k)
		b, freeB := pageEndFloats(t, bLen)
		// Half the tiles share their zero steps (whole steps of the tile
		// zero), the others are zero element by element.
		zeroSteps(r, a, rows, c.k, lda, c.zero*float64(r.IntN(2)), true)
		for p := range c.k {
			if r.Float64() < c.zero {
				tile := r.IntN(c.tiles)
				for i := range 4 {
					a[(4*tile+i)*lda+p] = 0
				}
			}
		}
		copy(b, randSlice(r, len(b)))
		bias := randSlice(r, c.colEnd)
		bias[0] = float32(math.Inf(-1))
		c0, freeC := directTestC(t, r, (rows-1)*ldc+c.colEnd, c.beta)
		want := slices.Clone(c0)
		got := c0
		stride := c.k + 1 + 16 + 3
		lists := make([]int32, c.tiles*stride)
		for tile := range c.tiles {
			l := nonzeroStepsRef(c.k, a[4*tile*lda:], lda)
			if c.all {
				l = l[:0]
				for p := range c.k {
					l = append(l, int32(p))
				}
			}
			lists[tile*stride] = int32(len(l))
			copy(lists[tile*stride+1:], l)
		}
		sgemmDirect4x64AVX512(c.k, &a[0], lda, &b[0], ldb, bhi, &want[0], ldc, c.alpha, c.beta, c.rowSkip, c.colSkip, c.colEnd, c.tiles, &bias[0], c.flags)
		sgemmDirectSteps4x64AVX512(0, &a[0], lda, &b[0], ldb, bhi, &got[0], ldc, c.alpha, c.beta, c.rowSkip, c.colSkip, c.colEnd, c.tiles, &bias[0], c.flags, &lists[0], stride)
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("%s: c[%d] (row %d, column %d) = %v, want %v", name, i, i/ldc, i%ldc, got[i], want[i])
			}
		}
		freeA()
		freeB()
		freeC()
	}
}

// TestSgemmZeroSteps runs FullyConnected products (B in panels, bias,
// ReLU) whose A is zero at many steps of its row tiles, as after a ReLU,
// on 1–3 threads, and compares them bit for bit with SgemmBiasReLU on the
// unpacked B (which skips nothing) and each row with the same row alone
// (m = 1, the small-M path): skipping zero steps must not change a bit.
// A B holding ±Inf (0·Inf is NaN) must turn the skipping off: the NaNs
// the dense sums make must appear. It checks that the lists are made for
// such an A and dropped for a dense one.
func TestSgemmZeroSteps(t *testing.T) {
	requireAVX512(t)
	if Impl() != AVX512 {
		t.Skip("skipped: avx512 is not the selected implementation")
	}
	r := rand.New(rand.NewPCG(9, 10))
	shapes := [][3]int{{256, 512, 512}, {130, 512, 784}, {13, 100, 300}, {64, 64, 1024}, {37, 300, 65}, {200, 70, 1500}}
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		ldb := n + 3
		a := make([]float32, m*k)
		zeroSteps(r, a, m, k, k, 0.5, false)
		// Hidden units that are mostly off: zero for most rows.
		for p := range k {
			if p%3 == 0 {
				for i := range m {
					if r.IntN(10) > 0 {
						a[i*k+p] = 0
					}
				}
			}
		}
		b := randSlice(r, k*ldb)
		bias := randSlice(r, n)
		for _, inf := range []bool{false, true} {
			if inf {
				b[5*ldb+7] = float32(math.Inf(1))
				for i := range m {
					a[i*k+5] = 0
				}
			}
			panels := make([]float32, PanelsLen(k, n))
			PackPanels(panels, k, n, b, ldb)
			for _, threads := range []int{1, 2, 3} {
				want := make([]float32, m*n)
				SgemmBiasReLU(threads, false, false, m, n, k, 1, a, k, b, ldb, 0, want, n, bias, true)
				got := randSlice(r, m*n)
				SgemmBiasReLUPanels(threads, m, n, k, a, k, b, ldb, panels, got, n, bias, true)
				if i := firstDiff(got, want); i >= 0 {
					t.Fatalf("%dx%dx%d inf=%v t=%d: c[%d] = %v, want %v", m, n, k, inf, threads, i, got[i], want[i])
				}
				if inf && !math.IsNaN(float64(want[7])) {
					t.Fatalf("%dx%dx%d: the Inf in B made no NaN", m, n, k)
				}
			}
			for _, i := range []int{0, m / 2, m - 1} {
				row := make([]float32, n)
				SgemmBiasReLUPanels(1, 1, n, k, a[i*k:], k, b, ldb, panels, row, n, bias, true)
				full := make([]float32, m*n)
				SgemmBiasReLUPanels(2, m, n, k, a, k, b, ldb, panels, full, n, bias, true)
				if j := firstDiff(full[i*n:(i+1)*n], row); j >= 0 {
					t.Fatalf("%dx%dx%d inf=%v: row %d column %d in the batch %v, alone %v", m, n, k, inf, i, j, full[i*n+j], row[j])
				}
			}
		}
		if m >= 4 {
			kern := sgemmSel.kern.direct
			var st directSteps
			st.list(&kern, m, k, a, k)
			if st.lists == nil {
				t.Errorf("%dx%dx%d: no lists for an A with zero steps", m, n, k)
			}
			st.release()
			st.list(&kern, m, k, randSlice(r, m*k), k)
			if st.lists != nil {
				t.Errorf("%dx%dx%d: lists for a dense A", m, n, k)
			}
			st.release()
		}
	}
}

// TestPanelsStepsAVX512 compares the one-row listed-steps panel kernels
// with the dense ones bit for bit: 1–4 panels, k from 1 to 511, rows zero
// (±0) at most, some or no steps, NaN and ±Inf among the nonzero inputs
// (B finite), C's previous values added.
func TestPanelsStepsAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(11, 12))
	dense := [4]panelsFunc{gemvPanels1x32AVX512, gemvPanels1x64AVX512, gemvPanels1x96AVX512, gemvPanels1x128AVX512}
	listed := [4]panelsStepsFunc{gemvPanelsSteps1x32AVX512, gemvPanelsSteps1x64AVX512, gemvPanelsSteps1x96AVX512, gemvPanelsSteps1x128AVX512}
	for np := 1; np <= 4; np++ {
		for _, k := range []int{1, 2, 3, 17, 64, 511} {
			for _, zero := range []float64{0, 0.5, 0.95, 1} {
				a := make([]float32, k)
				zeroSteps(r, a, 1, k, k, zero, true)
				pstride := k*32 + 5
				b := randSlice(r, (np-1)*pstride+k*32)
				c0 := randSlice(r, 32*np)
				want, got := slices.Clone(c0), slices.Clone(c0)
				dense[np-1](k, &a[0], &b[0], pstride, &want[0])
				steps := make([]int32, k+16)
				n := nonzeroSteps4AVX512(k, &a[0], 0, &steps[0])
				listed[np-1](n, &steps[0], &a[0], &b[0], pstride, &got[0])
				for i := range got {
					if !sameBits(got[i], want[i]) {
						t.Fatalf("np=%d k=%d zero=%v: c[%d] = %v, want %v", np, k, zero, i, got[i], want[i])
					}
				}
			}
		}
	}
}
