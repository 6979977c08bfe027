package asm

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestSgemmDirectPath covers the direct path, B in place and transposed
// (packed): row and column edges (the overlapping, masked or padded last
// tiles), alpha/beta, strides and the multi-threaded splits of column
// panels and of row tiles.
func TestSgemmDirectPath(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	ForEachImpl(func(impl string) {
		i := 0
		for _, m := range []int{6, 7, 11, 12, 13, 64} {
			for _, n := range []int{16, 17, 31, 32, 33, 100} {
				for _, k := range []int{1, 2, 3, 5, 64, 257} {
					i++
					tc := gemmCase{transB: i%2 == 1, m: m, n: n, k: k, alpha: []float32{1, -0.5, 0}[i%3],
						beta: []float32{0, 1, 2}[(i/3)%3], pad: i % 4, nanC: i%5 == 0}
					if tc.nanC {
						tc.beta = 0
					}
					checkGemm(t, r, 1, tc)
				}
			}
		}
		for _, threads := range []int{2, 3} {
			checkGemm(t, r, threads, gemmCase{m: 131, n: 140, k: 100, alpha: 1.5, beta: -1, pad: 1})
			checkGemm(t, r, threads, gemmCase{transB: true, m: 131, n: 140, k: 100, alpha: 1.5, beta: -1, pad: 1})
			// Large products: B packed per call, each goroutine its own
			// column groups (several kc slices, a partial last group).
			checkGemm(t, r, threads, gemmCase{m: 130, n: 300, k: 1100, alpha: 1, beta: -0.5, pad: 1})
			checkGemm(t, r, threads, gemmCase{transB: true, m: 70, n: 200, k: 1300, alpha: 1, beta: 0, nanC: true})
			// Few column panels: the goroutines split the row tiles.
			checkGemm(t, r, threads, gemmCase{m: 131, n: 40, k: 200, alpha: 1, beta: 0, pad: 2})
			checkGemm(t, r, threads, gemmCase{transB: true, m: 97, n: 64, k: 200, alpha: 1, beta: 1})
		}
	})
}

// directModel is the pure-Go model of a directFunc (Go's float32
// arithmetic does not fuse, so it matches the kernels within rounding):
// columns colSkip..colEnd-1 of rows rowSkip..mr-1.
func directModel(mr, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd int) {
	for i := rowSkip; i < mr; i++ {
		for j := colSkip; j < colEnd; j++ {
			var acc float32
			for p := range k {
				acc += a[i*lda+p] * b[p*ldb+j]
			}
			v := acc * alpha
			if beta != 0 {
				v += beta * c[i*ldc+j]
			}
			c[i*ldc+j] = v
		}
	}
}

// TestDirectKernel checks the selected direct kernel against its Go model
// for beta = 0 (C holds NaN, which must not be read) and beta ≠ 0, full
// and edge tiles (rows and columns to leave alone).
func TestDirectKernel(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	ForEachImpl(func(impl string) {
		kern := sgemmSel.kern.direct
		if kern.fn == nil {
			return
		}
		mr, nr := kern.mr, kern.nr
		for k := 1; k <= 19; k++ {
			for _, beta := range []float32{0, 0.5} {
				lda, ldb, ldc := k+1, nr+3, nr+2
				a := randSlice(r, (mr-1)*lda+k)
				b := randSlice(r, (k-1)*ldb+nr)
				got := randSlice(r, (mr-1)*ldc+nr)
				if beta == 0 {
					for i := range got {
						got[i] = float32(math.NaN())
					}
				}
				want := append([]float32(nil), got...)
				rs, cs, ce := k%mr, (k*5)%nr, nr
				if k < 4 {
					rs, cs = 0, 0
				}
				if k%3 == 1 {
					cs, ce = k%4, nr-k%11
				}
				kern.fn(k, &a[0], lda, &b[0], ldb, 32, &got[0], ldc, -1.5, beta, rs, cs, ce, 1, nil, 0)
				directModel(kern.mr, k, a, lda, b, ldb, want, ldc, -1.5, beta, rs, cs, ce)
				for i := range got {
					if j := i % ldc; j >= ce || j < cs || i/ldc < rs {
						if !math.IsNaN(float64(want[i])) && got[i] != want[i] {
							t.Fatalf("%s k=%d: c[%d] outside the tile changed", impl, k, i)
						}
						continue
					}
					if math.Abs(float64(got[i]-want[i])) > 1e-5*float64(k+1) {
						t.Fatalf("%s k=%d beta=%g: c[%d] = %v, want %v", impl, k, beta, i, got[i], want[i])
					}
				}
			}
		}
	})
}

// TestDirectPanelsInsideB checks where the direct path points its kernel
// when it reads B from PackPanels' panels (the large products' panels
// packed per call are located by the same directB.at): every
// vector the kernel loads for its columns 0..31 and 32..63 over the kb
// rows of a slice, masked or not, must lie inside the panels. A masked
// load does not fault, but one on an unmapped page costs an assist per
// k step: a last group of one panel pointed at a second panel past the
// buffer's end ran LeNet's 120→84 FullyConnected 16× slower.
func TestDirectPanelsInsideB(t *testing.T) {
	ForEachImpl(func(impl string) {
		kern := sgemmSel.kern.direct
		if kern.fn == nil || !kern.panels {
			return
		}
		r := rand.New(rand.NewPCG(41, 42))
		for _, s := range [][3]int{{256, 84, 120}, {64, 20, 300}, {40, 100, 2100}, {33, 96, 70}, {130, 150, 200}, {256, 300, 1000}} {
			m, n, k := s[0], s[1], s[2]
			b := randSlice(r, k*n)
			panels := make([]float32, PanelsLen(k, n))
			PackPanels(panels, k, n, b, n)
			kc, _, nc := sgemmSel.kern.blocks()
			kc, nc = blockSize(k, kc, 1), blockSize(n, nc, sgemmSel.kern.nr)
			pre := panelsFor(panels, k, n, sgemmSel.kern.nr, kc, nc)
			lo, hi := uintptr(unsafe.Pointer(&pre[0])), uintptr(unsafe.Pointer(&pre[len(pre)-1]))+4
			checkRange := func(what string, p *float32, kb, ldb int) {
				first := uintptr(unsafe.Pointer(p))
				last := first + uintptr(((kb-1)*ldb+32)*4)
				if first < lo || last > hi {
					t.Fatalf("%s %dx%dx%d: the kernel reads %s at [%#x, %#x), outside B [%#x, %#x)", impl, m, n, k, what, first, last, lo, hi)
				}
			}
			check := kern
			check.fn = func(kb int, a *float32, lda int, b *float32, ldb, bhi int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd, tiles int, bias *float32, flags int) {
				checkRange("columns 0..31", b, kb, ldb)
				checkRange("columns 32..63", (*float32)(unsafe.Add(unsafe.Pointer(b), bhi*4)), kb, ldb)
				kern.fn(kb, a, lda, b, ldb, bhi, c, ldc, alpha, beta, rowSkip, colSkip, colEnd, tiles, bias, flags)
			}
			if kern.steps != nil {
				check.steps = func(kb int, a *float32, lda int, b *float32, ldb, bhi int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd, tiles int, bias *float32, flags int, steps *int32, stride int) {
					checkRange("columns 0..31", b, kb, ldb)
					checkRange("columns 32..63", (*float32)(unsafe.Add(unsafe.Pointer(b), bhi*4)), kb, ldb)
					kern.steps(kb, a, lda, b, ldb, bhi, c, ldc, alpha, beta, rowSkip, colSkip, colEnd, tiles, bias, flags, steps, stride)
				}
			}
			// A dense, and A zero at most steps (the listed steps).
			for _, zero := range []float64{0, 0.9} {
				a := randSlice(r, m*k)
				for i := range a {
					if r.Float64() < zero {
						a[i] = 0
					}
				}
				got, want := make([]float32, m*n), make([]float32, m*n)
				sgemmDirect(directPre, check, kc, nc, 1, false, false, m, n, k, 1, a, k, b, n, 0, got, n, epilogue{}, pre, true)
				SgemmThreads(1, false, false, m, n, k, 1, a, k, b, n, 0, want, n)
				if i := firstDiff(got, want); i >= 0 {
					t.Fatalf("%s %dx%dx%d: c[%d] = %v, want %v", impl, m, n, k, i, got[i], want[i])
				}
			}
		}
	})
}
