//go:build linux && amd64 && !purego

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pageEndFloats returns n floats that end exactly where a page that cannot
// be read begins, so a kernel reading one float past them faults; free
// unmaps them.
func pageEndFloats(t *testing.T, n int) (s []float32, free func()) {
	t.Helper()
	ps := unix.Getpagesize()
	size := (n*4+ps-1)/ps*ps + ps
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Mprotect(mem[size-ps:], unix.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	all := unsafe.Slice((*float32)(unsafe.Pointer(&mem[0])), (size-ps)/4)
	return all[len(all)-n:], func() { _ = unix.Munmap(mem) }
}

// TestSgemmRowsKernelsAVX512 compares the kernels that read A in place
// (full tile and every row count 1..11 of the edge kernels, adding and
// storing, with each epilogue: none, bias, ReLU, both) bit for bit with the
// packed kernels on A packed from the same rows followed by asm.Add and
// asm.Relu, at every k from 0 to 33 and long ones, with a row-stride gap in
// A and C and NaN, ±Inf and −0 among C's and the bias's values. A's last
// row ends where an unreadable page begins, so reading past the rows or
// the k steps faults; floats of C outside the rows and the guard bands
// must stay untouched.
func TestSgemmRowsKernelsAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(61, 62))
	ks := []int{64, 196, 259}
	for k := range 2*16 + 2 {
		ks = append(ks, k)
	}
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), 0}
	const mr = 12
	for rows := 1; rows <= mr; rows++ {
		for _, k := range ks {
			lda := k + 1 + (k+rows)%5
			// rows rows of A, the last one ending at the unreadable page.
			a, free := pageEndFloats(t, (rows-1)*lda+max(k, 1))
			for i := range a {
				a[i] = r.Float32()*2 - 1
			}
			packed := make([]float32, mr*k+1) // rows past rows zero
			for i := range rows {
				for p := range k {
					packed[p*mr+i] = a[i*lda+p]
				}
			}
			b := randSlice(r, 32*k+1)
			bias := randSlice(r, 33)[1:] // unaligned
			for i, v := range special {
				bias[3*i+1] = v
			}
			for _, store := range []bool{false, true} {
				for _, e := range []struct {
					flags    int
					withBias bool
				}{{0, false}, {epiOn, true}, {epiOn | epiReLU, false}, {epiOn | epiReLU, true}} {
					flags := e.flags
					off := 1 + k%3
					ldc := 32 + 1 + k%4
					c, all := guardedBuf((mr-1)*ldc+32, off, 7)
					want := make([]float32, len(c))
					for i := range rows {
						for j := range 32 {
							c[i*ldc+j] = r.Float32()*2 - 1
							if (i+j)%11 == 0 {
								c[i*ldc+j] = special[(i+j)%len(special)]
							}
							want[i*ldc+j] = c[i*ldc+j]
						}
					}
					var bp *float32
					if e.withBias {
						bp = &bias[0]
					}
					switch {
					case rows == mr && store:
						sgemmKernel12x32AVX512Store(k, &packed[0], &b[0], &want[0], ldc)
						sgemmKernel12x32RowsAVX512Store(k, &a[0], lda, &b[0], &c[0], ldc, bp, flags)
					case rows == mr:
						sgemmKernel12x32AVX512(k, &packed[0], &b[0], &want[0], ldc)
						sgemmKernel12x32RowsAVX512(k, &a[0], lda, &b[0], &c[0], ldc, bp, flags)
					case store:
						sgemmKernel12x32EdgeAVX512Store(k, rows, &packed[0], &b[0], &want[0], ldc)
						sgemmKernel12x32RowsEdgeAVX512Store(k, rows, &a[0], lda, &b[0], &c[0], ldc, bp, flags)
					default:
						sgemmKernel12x32EdgeAVX512(k, rows, &packed[0], &b[0], &want[0], ldc)
						sgemmKernel12x32RowsEdgeAVX512(k, rows, &a[0], lda, &b[0], &c[0], ldc, bp, flags)
					}
					for i := range rows {
						row := want[i*ldc : i*ldc+32]
						if bp != nil {
							Add(row, row, bias)
						}
						if flags&epiReLU != 0 {
							Relu(row, row)
						}
					}
					what := fmt.Sprintf("rows=%d k=%d lda=%d store=%v flags=%d bias=%v", rows, k, lda, store, flags, bp != nil)
					for i := range mr {
						for j := range ldc {
							if i == mr-1 && j >= 32 {
								break
							}
							if i >= rows || j >= 32 {
								if c[i*ldc+j] != sentinel {
									t.Fatalf("%s: C[%d][%d] outside the tile overwritten", what, i, j)
								}
								continue
							}
							checkSameBits(t, fmt.Sprintf("%s: C[%d][%d]", what, i, j), c[i*ldc+j:i*ldc+j+1], want[i*ldc+j:i*ldc+j+1])
						}
					}
					checkGuards(t, what, all, off, len(c))
				}
			}
			free()
		}
	}
}

// TestSgemmBlockedRowsAVX512 runs the blocked path with A read in place
// and with A packed (the same kernel without its in-place variants) on
// shapes with partial row panels, partial column panels, several kc
// slices and nc blocks, a row-stride gap, beta 0, 1 and 0.5, the epilogue
// and the pre-packed B panels, on 1 and 2 threads: the bits must agree.
// A ends at an unreadable page.
func TestSgemmBlockedRowsAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(63, 64))
	kern := sgemmKernels[AVX512]
	packedKern := kern
	packedKern.rows = rowKernels{}
	if kern.rows.fn == nil {
		t.Fatal("the avx512 kernel has no in-place variants")
	}
	for _, s := range [][3]int{{1, 32, 5}, {12, 32, 300}, {13, 64, 257}, {37, 70, 300}, {150, 97, 777}, {256, 512, 784}, {25, 800, 64}, {11, 33, 1}} {
		m, n, k := s[0], s[1], s[2]
		lda := k + 3
		a, free := pageEndFloats(t, (m-1)*lda+k)
		for i := range a {
			a[i] = r.Float32()*2 - 1
		}
		b := randSlice(r, k*n)
		bias := randSlice(r, n)
		for _, beta := range []float32{0, 1, 0.5} {
			for _, threads := range []int{1, 2} {
				for _, epi := range []bool{false, true} {
					c0 := randSlice(r, m*n)
					c1 := slices.Clone(c0)
					e := epilogue{}
					var panels []float32
					if epi {
						e = epilogue{bias: bias, relu: true}
						panels = make([]float32, PanelsMaxLen(k, n))
						PackPanels(panels, k, n, b, n)
					}
					sgemmBlockedEpi(packedKern, threads, false, false, m, n, k, 1, a, lda, b, n, beta, c0, n, e, panels)
					sgemmBlockedEpi(kern, threads, false, false, m, n, k, 1, a, lda, b, n, beta, c1, n, e, panels)
					checkSameBits(t, fmt.Sprintf("m=%d n=%d k=%d beta=%v threads=%d epilogue=%v", m, n, k, beta, threads, epi), c1, c0)
				}
			}
		}
		free()
	}
}

// directTestB is the layout of B the direct kernels' tests use: in place
// (row stride 69, columns 32..63 right after 0..31) or as two 32-column
// panels (bhi = 32·k); bLen floats reach B's last loaded element of
// columns below colEnd.
func directTestB(k, colEnd int, panels bool) (ldb, bhi, bLen int) {
	if !panels {
		return 64 + 5, 32, (k-1)*(64+5) + colEnd
	}
	bhi = 32 * k
	if colEnd > 32 {
		return 32, bhi, bhi + (k-1)*32 + colEnd - 32
	}
	return 32, bhi, (k-1)*32 + colEnd
}

// directTestC is C for the direct kernels' tests: n floats ending where
// a page that cannot be read begins, random, or NaN when beta is 0 (C
// must then not be read).
func directTestC(t *testing.T, r *rand.Rand, n int, beta float32) (c []float32, free func()) {
	c, free = pageEndFloats(t, n)
	copy(c, randSlice(r, n))
	if beta == 0 {
		for i := range c {
			c[i] = float32(math.NaN())
		}
	}
	return c, free
}

// TestDirectKernelAVX512 compares the 4×64 direct kernel bit for bit with
// the AVX2 6×16 one (directAVX2: each 16-column group of each 4-row tile,
// run on copies padded for it, then asm.Add and asm.Relu), over 1–3 tiles,
// every column bound that masks a load (colEnd 1..64 at several k), the
// edge stores (rowSkip, colSkip, alpha ≠ 1, beta 0/1/other) and each
// epilogue (none, bias, ReLU, both), with B in place (columns 32..63
// right after 0..31) and as two 32-column panels (bhi = 32·k), NaN, ±Inf
// and −0 among A's, B's and the bias's values, and C holding NaN when
// beta is 0 (it must not be read). B's last row ends at colEnd where an
// unreadable page begins, and so do A's last row and C's, so a load past
// any of them faults; floats of C outside the stored rows and columns must
// stay untouched.
func TestDirectKernelAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(71, 72))
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1))}
	fill := func(s []float32) {
		for i := range s {
			s[i] = r.Float32()*2 - 1
			if r.IntN(40) == 0 {
				s[i] = special[r.IntN(len(special))]
			}
		}
	}
	type tc struct {
		k, tiles, rowSkip, colSkip, colEnd int
		alpha, beta                        float32
		panels                             bool
		flags                              int
		bias                               bool
	}
	var cases []tc
	for ce := 1; ce <= 64; ce++ {
		cases = append(cases, tc{k: 1 + ce%9, tiles: 1 + ce%3, colEnd: ce, alpha: 1, panels: ce%2 == 0,
			flags: (ce % 3) * epiOn, bias: ce%4 < 2})
	}
	for _, k := range []int{1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 130} {
		for i, ce := range []int{64, 63, 48, 33, 17} {
			for _, cs := range []int{0, 5, 16} {
				for _, rs := range []int{0, 2} {
					for _, alpha := range []float32{1, -1.5} {
						for j, beta := range []float32{0, 1, 0.5} {
							cases = append(cases, tc{k: k, tiles: 1 + (i+j)%3, rowSkip: rs, colSkip: min(cs, ce-1),
								colEnd: ce, alpha: alpha, beta: beta, panels: (k+j)%2 == 0,
								flags: []int{0, epiOn, epiOn | epiReLU}[(i+j+k)%3], bias: (j+rs)%2 == 0})
						}
					}
				}
			}
		}
	}
	for _, c := range cases {
		name := fmt.Sprintf("%+v", c)
		rows := 4 * c.tiles
		lda, ldc := c.k+3, 64+7
		ldb, bhi, bLen := directTestB(c.k, c.colEnd, c.panels)
		// bAt is B's element (p, j).
		bAt := func(b []float32, p, j int) float32 {
			if j >= 32 {
				return b[bhi+p*ldb+j-32]
			}
			return b[p*ldb+j]
		}
		a, freeA := pageEndFloats(t, (rows-1)*lda+c.k)
		b, freeB := pageEndFloats(t, bLen)
		fill(a)
		fill(b)
		var bias []float32
		var biasP *float32
		if c.bias {
			var freeBias func()
			bias, freeBias = pageEndFloats(t, c.colEnd)
			defer freeBias()
			fill(bias)
			biasP = &bias[0]
		}
		c0, freeC := directTestC(t, r, (rows-1)*ldc+c.colEnd, c.beta)
		orig := slices.Clone(c0)
		got := c0
		sgemmDirect4x64AVX512(c.k, &a[0], lda, &b[0], ldb, bhi, &got[0], ldc, c.alpha, c.beta, c.rowSkip, c.colSkip, c.colEnd, c.tiles, biasP, c.flags)
		// The reference: each tile through directAVX2 on copies (6 rows
		// of A and C, B's 16 columns readable in full).
		want := slices.Clone(orig)
		for tile := range c.tiles {
			a6 := make([]float32, 6*c.k)
			c6 := make([]float32, 6*16)
			for g := 0; g*16 < c.colEnd; g++ {
				cs, ce := max(c.colSkip-16*g, 0), min(c.colEnd-16*g, 16)
				if cs >= ce {
					continue
				}
				b16 := make([]float32, c.k*16)
				for p := range c.k {
					for j := range ce {
						b16[p*16+j] = bAt(b, p, 16*g+j)
					}
				}
				for i := range 4 {
					copy(a6[i*c.k:(i+1)*c.k], a[(4*tile+i)*lda:])
					copy(c6[i*16:(i+1)*16], want[(4*tile+i)*ldc+16*g:])
				}
				var bias16 *float32
				if c.bias {
					bias16 = &bias[16*g]
				}
				directAVX2(c.k, &a6[0], c.k, &b16[0], 16, 0, &c6[0], 16, c.alpha, c.beta, c.rowSkip, cs, ce, 1, bias16, c.flags)
				for i := range 4 {
					copy(want[(4*tile+i)*ldc+16*g:], c6[i*16:(i+1)*16])
				}
			}
		}
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("%s: c[%d] (row %d, column %d) = %v, want %v", name, i, i/ldc, i%ldc, got[i], want[i])
			}
			row, col := i/ldc, i%ldc
			inside := row%4 >= c.rowSkip && col >= c.colSkip && col < c.colEnd
			if !inside && math.Float32bits(got[i]) != math.Float32bits(orig[i]) {
				t.Fatalf("%s: c[%d] (row %d, column %d) outside the stored part changed", name, i, row, col)
			}
		}
		freeA()
		freeB()
		freeC()
	}
}
