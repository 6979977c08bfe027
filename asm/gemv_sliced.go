package asm

import (
	"unsafe"

	"github.com/mxgo/mxgo/internal/parallel"
)

// gemvMaxM is the largest m that takes the small-M path: with few rows of
// A, Sgemm is memory-bound on B (the weights), so it streams B once instead
// of packing it.
const gemvMaxM = 8

// The invariant small-M path (m <= gemvMaxM, implementations with a
// two-row chunk kernel): C = alpha·A·op(B) + beta·C with each element of C
// rounded exactly as the blocked path rounds it (sgemm_block.go): k is cut
// into the same kc slices, each slice of an element is one FMA chain over
// p ascending from zero, with alpha applied to A first, and the slices are
// added to C, scaled by beta first, in order. It vectorises over the
// columns of C and streams B by rows; a transposed B (FullyConnected
// weights) is transposed block by block, each block multiplied while it
// is in cache (see PackB for doing that once per weight matrix).

// chunk2Func is a two-row chunk kernel (gemvNNChunk2AVX2 with width 32,
// gemvNNChunk2AVX512 with width 64): for nw strips of width columns and m2
// row pairs it adds to C the chain
//
//	for i := range 2 * m2 { for p := range kc { acc[i][j] = fma(a[i*lda+p], b[p*ldb+j], acc[i][j]) } }
//
// started from zero, i.e. c[i*ldc+j] += acc[i][j].
type chunk2Func func(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, nw, m2 int)

// rowsFunc is a row-block kernel (gemvNNRows8AVX512, gemvNNRows4AVX512):
// chunk2Func's sum for a fixed number of rows and n32 32-column strips,
// reading B once for all of them.
type rowsFunc func(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, n32 int)

// panelsFunc is a one-row panel kernel (gemvPanels1x128AVX512): the row
// a[0:kc] times np adjacent 32-column panels at b (pstride floats apart,
// kc rows of 32 floats each), one FMA chain per element over p ascending
// from zero, added to c[0:32·np] once.
type panelsFunc func(kc int, a, b *float32, pstride int, c *float32)

// panelsStepsFunc is a panelsFunc over listed steps
// (gemvPanelsSteps1x128AVX512): only the n steps p at steps (ascending)
// are summed.
type panelsStepsFunc func(n int, steps *int32, a, b *float32, pstride int, c *float32)

// slicedNN is one implementation's invariant small-M kernel.
type slicedNN struct {
	chunk2 chunk2Func
	// rows8 and rows4, when set, take blocks of 8 and 4 rows before
	// chunk2 takes the remaining pairs (width is then a multiple of 32).
	rows8, rows4 rowsFunc
	// row128 and row64, when set, take a single row (an odd last one) on
	// 128- and 64-column strips (width is then 64).
	row128, row64 rowsFunc
	// panels1, when set, multiplies one row with 1–4 adjacent 32-column
	// panels of B packed by PackPanels (panels1[np-1] for np panels).
	panels1 [4]panelsFunc
	// panelsSteps, when set, are panels1 over listed steps, and nonzero
	// lists the steps of a row where it is nonzero (nonzeroSteps4AVX512
	// with lda 0): with finite panels, one row skips its zero inputs (see
	// directSteps; the same bits).
	panelsSteps [4]panelsStepsFunc
	nonzero     func(k int, a *float32, lda int, list *int32) int
	width       int
	// packT16, when set, transposes 16 rows of B into rows ldd floats
	// apart (packBT16StrideAVX2).
	packT16 func(d []float32, ldd int, b []float32, ldb, kb int)
	// narrow, when set, is a kernel with narrower strips (and the same
	// rounding) for n below width, which pads less.
	narrow *slicedNN
}

// slicedBufs holds the per-call buffers of the invariant small-M path.
var slicedBufs parallel.FreeList[[]float32]

// gemmNN adds a·b to C for columns [lo, hi) (lo a multiple of width): a
// is m×k (row stride lda, alpha applied), b is k×n (row stride ldb), C already
// scaled by beta; k in slices of kc.
func (s slicedNN) gemmNN(m, k, kc, lo, hi int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	width := s.width
	nfull := lo + (hi-lo)/width*width
	// Column blocks whose kc-slice of B stays in L2 while every row pair
	// walks it.
	blk := max(width, (256<<10)/(4*kc)/width*width)
	bufp := slicedBufs.Get()
	defer slicedBufs.Put(bufp)
	odd := m%2 == 1
	if s.row64 != nil && odd {
		// The last row goes through the one-row kernels; no scratch.
		odd = false
		defer s.lastRow(m, k, kc, lo, hi, a, lda, b, ldb, c, ldc)
		if m--; m == 0 {
			return
		}
	}
	for jb := lo; jb < nfull; jb += blk {
		bw := min(blk, nfull-jb)
		_ = c[(m-1)*ldc+jb+bw-1]
		_ = b[(k-1)*ldb+jb+bw-1]
		var scratch []float32
		if odd {
			// The last row runs as a pair of that row with itself
			// (lda = 0) into two scratch rows.
			scratch = grow(bufp, 2*bw)
			copy(scratch, c[(m-1)*ldc+jb:(m-1)*ldc+jb+bw])
		}
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			bp := &b[pc*ldb+jb]
			for i := s.rowBlocks(kb, m, a[pc:], lda, bp, ldb, c[jb:], ldc, bw); i+2 <= m; i += 2 {
				s.chunk2(kb, &a[i*lda+pc], lda, bp, ldb, &c[i*ldc+jb], ldc, bw/width, 1)
			}
			if odd {
				s.chunk2(kb, &a[(m-1)*lda+pc], 0, bp, ldb, &scratch[0], bw, bw/width, 1)
			}
		}
		if odd {
			copy(c[(m-1)*ldc+jb:(m-1)*ldc+jb+bw], scratch[:bw])
		}
	}
	if nfull == hi {
		return
	}
	// Tail columns: a zero-padded k×width copy of B's last columns and
	// m+1 (even) rows of C.
	w := hi - nfull
	buf := grow(bufp, k*width+(m+1)*width)
	bb, ldbb, tmp := buf[:k*width], width, buf[k*width:]
	if ldb >= nfull+width && len(b) >= (k-1)*ldb+nfull+width {
		// b is zero-padded to whole strips (a transposed copy).
		bb, ldbb = b[nfull:], ldb
	} else {
		for p := range k {
			d := bb[p*width : p*width+width]
			copy(d, b[p*ldb+nfull:p*ldb+hi])
			clear(d[w:])
		}
	}
	clear(tmp)
	for i := range m {
		copy(tmp[i*width:i*width+w], c[i*ldc+nfull:i*ldc+hi])
	}
	for pc := 0; pc < k; pc += kc {
		kb := min(kc, k-pc)
		for i := s.rowBlocks(kb, m, a[pc:], lda, &bb[pc*ldbb], ldbb, tmp, width, width); i+2 <= m; i += 2 {
			s.chunk2(kb, &a[i*lda+pc], lda, &bb[pc*ldbb], ldbb, &tmp[i*width], width, 1, 1)
		}
		if odd {
			s.chunk2(kb, &a[(m-1)*lda+pc], 0, &bb[pc*ldbb], ldbb, &tmp[(m-1)*width], width, 1, 1)
		}
	}
	for i := range m {
		copy(c[i*ldc+nfull:i*ldc+hi], tmp[i*width:i*width+w])
	}
}

// lastRow is gemmNN for row m-1 alone with the one-row kernels.
func (s slicedNN) lastRow(m, k, kc, lo, hi int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	a, c = a[(m-1)*lda:(m-1)*lda+k], c[(m-1)*ldc:]
	nfull := lo + (hi-lo)/64*64
	_ = c[hi-1]
	_ = b[(k-1)*ldb+max(nfull, lo+1)-1]
	for pc := 0; pc < k; pc += kc {
		kb := min(kc, k-pc)
		j := lo
		if n := (nfull - j) / 128; n > 0 {
			s.row128(kb, &a[pc], 0, &b[pc*ldb+j], ldb, &c[j], 0, n)
			j += n * 128
		}
		if j < nfull {
			s.row64(kb, &a[pc], 0, &b[pc*ldb+j], ldb, &c[j], 0, 1)
		}
	}
	if nfull == hi {
		return
	}
	// Tail columns through a zero-padded copy as in gemmNN.
	w := hi - nfull
	bufp := slicedBufs.Get()
	defer slicedBufs.Put(bufp)
	buf := grow(bufp, k*64+64)
	bb, ldbb, tmp := buf[:k*64], 64, buf[k*64:]
	if ldb >= nfull+64 && len(b) >= (k-1)*ldb+nfull+64 {
		bb, ldbb = b[nfull:], ldb
	} else {
		for p := range k {
			d := bb[p*64 : p*64+64]
			copy(d, b[p*ldb+nfull:p*ldb+hi])
			clear(d[w:])
		}
	}
	clear(tmp)
	copy(tmp[:w], c[nfull:hi])
	for pc := 0; pc < k; pc += kc {
		kb := min(kc, k-pc)
		s.row64(kb, &a[pc], 0, &bb[pc*ldbb], ldbb, &tmp[0], 0, 1)
	}
	copy(c[nfull:hi], tmp[:w])
}

// rowBlocks adds a·b to the first rows of c (columns [0, bw), bw a
// multiple of 32) with the row-block kernels, eight rows and then four at
// a time, and returns how many rows it did (0 without them).
func (s slicedNN) rowBlocks(kb, m int, a []float32, lda int, b *float32, ldb int, c []float32, ldc, bw int) int {
	i := 0
	if s.rows8 == nil {
		return 0
	}
	for ; i+8 <= m; i += 8 {
		s.rows8(kb, &a[i*lda], lda, b, ldb, &c[i*ldc], ldc, bw/32)
	}
	if i+4 <= m {
		s.rows4(kb, &a[i*lda], lda, b, ldb, &c[i*ldc], ldc, bw/32)
		i += 4
	}
	return i
}

// grow returns (*p)[:n], reallocating when too small.
func grow[T any](p *[]T, n int) []T {
	if cap(*p) < n {
		*p = make([]T, n)
	}
	return (*p)[:n]
}

// slicedJob is one invariant small-M call; goroutines split the columns.
type slicedJob struct {
	s           slicedNN
	threads     int
	m, n, k, kc int
	ap          []float32 // alpha·op(A) (m×k)
	pan         panels32  // B's 32-column panels (p nil: read B)
	// steps lists the nonzero steps of a one-row A read against pan (nil:
	// every step); stepBuf holds them between calls.
	steps, stepBuf []int32
	a              []float32 // A as the kernels read it: ap, or A in place
	lda            int
	transB         bool // b is Bᵀ (n×k): Run transposes it block by block
	b, c           []float32
	ldb, ldc       int
	beta           float32
	epi            epilogue
	join           parallel.Join
}

var slicedJobs parallel.FreeList[slicedJob]

// sgemmSlicedSmallM runs the invariant small-M path (m <= gemvMaxM,
// arguments checked), then the epilogue epi.
//
// panels, when not nil, is B packed by PackPanels; for m = 4 and 8 (the
// row-block kernels alone) its 32-column panels are read instead of B's
// rows: each strip of a kc slice is then one contiguous run, which streams
// from L3 faster than 32 columns of every row of a wide B (FullyConnected
// 784→512 at batch 8, B from L3: 42–46 → 48 GB/s on Zen 5). For m = 1
// the one-row panel kernels read up to four panels at once (gemvPanels):
// MLP 784-512-512-10 at batch 1, one thread on Zen 4 (EPYC family 25
// model 17), p50 33.5–34.2 → 31.2–31.3 µs, its two large layers 79 → 85–88
// GB/s from L3. Same sums.
func sgemmSlicedSmallM(s slicedNN, kc, threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, epi epilogue, panels []float32) {
	if s.narrow != nil && n < s.width {
		s = *s.narrow
	}
	g := slicedJobs.Get()
	ap := g.ap
	if transA || alpha != 1 {
		// alpha·op(A), m×k contiguous; else A is read in place.
		if cap(ap) < m*k {
			ap = make([]float32, m*k)
		}
		ap = ap[:m*k]
		for i := range m {
			row := ap[i*k : i*k+k]
			if transA {
				for p := range row {
					row[p] = alpha * a[p*lda+i]
				}
			} else {
				for p, v := range a[i*lda : i*lda+k] {
					row[p] = alpha * v
				}
			}
		}
		a, lda = ap, k
	}
	if n*k < 1<<16 {
		threads = 1
	}
	threads = min(threads, max(n/(2*s.width), 1))
	*g = slicedJob{s: s, threads: threads, m: m, n: n, k: k, kc: blockSize(k, kc, 1), transB: transB,
		ap: ap, a: a, lda: lda, b: b, c: c, ldb: ldb, ldc: ldc, beta: beta, epi: epi, stepBuf: g.stepBuf}
	if panels != nil && !transB && (m%4 == 0 && s.rows8 != nil || m == 1 && s.panels1[0] != nil) {
		if g.pan = slicedPanelsFor(panels, k, n); g.pan.kc != g.kc {
			g.pan = panels32{} // sliced otherwise than this call's k
		}
	}
	if m == 1 && g.pan.p != nil && g.kc == k && s.panelsSteps[0] != nil && panelsFinite(panels) {
		// One row against finite panels, k one slice: list its nonzero
		// steps (room for the lister's 16 more), keep them if they skip
		// enough.
		l := grow(&g.stepBuf, k+16)
		if cnt := s.nonzero(k, &a[0], 0, &l[0]); cnt <= int((1-directStepsMinSkip)*float64(k)) {
			g.steps = l[:cnt]
		}
	}
	parallel.RunWG(threads, g, &g.join)
	g.a, g.b, g.c, g.epi, g.pan, g.steps = nil, nil, nil, epilogue{}, panels32{}, nil
	slicedJobs.Put(g)
}

func (g *slicedJob) Run(tid int) {
	w := g.s.width
	lo, hi := share((g.n+w-1)/w, tid, g.threads)
	lo, hi = lo*w, min(hi*w, g.n)
	if lo >= hi {
		return
	}
	scaleC(g.c[lo:], g.ldc, g.m, hi-lo, g.beta)
	switch {
	case g.pan.p != nil && g.m == 1:
		g.s.gemvPanels(g.k, g.kc, lo, hi, g.a, &g.pan, g.c, g.steps)
	case g.pan.p != nil:
		g.s.gemmPanels(g.m, g.k, g.kc, lo, hi, g.a, g.lda, &g.pan, g.c, g.ldc)
	case g.transB:
		g.transposedNN(lo, hi)
	default:
		g.s.gemmNN(g.m, g.k, g.kc, lo, hi, g.a, g.lda, g.b, g.ldb, g.c, g.ldc)
	}
	if g.epi.on() {
		g.epi.apply(g.c, g.ldc, 0, g.m, lo, hi)
	}
}

// slicedTBufs holds transposedNN's blocks (apart from slicedBufs, whose
// buffers have other sizes).
var slicedTBufs parallel.FreeList[[]float32]

// slicedTBlock bounds a transposed block of B (floats): 256 KiB, so
// that it stays in L2 between its transposition and the kernels.
const slicedTBlock = 1 << 16

// transposedNN is gemmNN for columns [lo, hi) of C when b holds Bᵀ (n×k):
// blocks of columns (a multiple of width, within slicedTBlock floats when
// k allows) are transposed into a zero-padded k×bw buffer of this
// goroutine and multiplied from there while it is in cache, instead of
// transposing all of B into memory first.
func (g *slicedJob) transposedNN(lo, hi int) {
	w := g.s.width
	bw := max(w, min(hi-lo, slicedTBlock/g.k)/w*w)
	bufp := slicedTBufs.Get()
	defer slicedTBufs.Put(bufp)
	tb := grow(bufp, g.k*bw)
	for j0 := lo; j0 < hi; j0 += bw {
		cols := min(bw, hi-j0)
		ld := (cols + w - 1) / w * w
		t := tb[:g.k*ld]
		transposeInto(t, ld, g.b[j0*g.ldb:], g.ldb, cols, g.k, g.s.packT16)
		if ld > cols {
			for p := range g.k {
				clear(t[p*ld+cols : p*ld+ld])
			}
		}
		g.s.gemmNN(g.m, g.k, g.kc, 0, cols, g.a, g.lda, t, ld, g.c[j0:], g.ldc)
	}
}

// transposeInto sets d[p*ldd+j] = b[j*ldb+p] for j < rows, p < cols:
// sixteen rows of b at a time, by packT16 when set (straight into d),
// else in blocks of 128 columns whose row segments stay in L1 (one 64-byte
// line of d per column).
func transposeInto(d []float32, ldd int, b []float32, ldb, rows, cols int, packT16 func(d []float32, ldd int, b []float32, ldb, kb int)) {
	const blk = 128
	j := 0
	for ; j+16 <= rows; j += 16 {
		if packT16 != nil {
			packT16(d[j:], ldd, b[j*ldb:], ldb, cols)
			continue
		}
		for p0 := 0; p0 < cols; p0 += blk {
			p1 := min(p0+blk, cols)
			for r := range 16 {
				row := b[(j+r)*ldb+p0 : (j+r)*ldb+p1]
				for q, v := range row {
					d[(p0+q)*ldd+j+r] = v
				}
			}
		}
	}
	if j == rows {
		return
	}
	// The last rows (< 16): each row of d written as one run.
	for p := range cols {
		dp := d[p*ldd+j : p*ldd+rows]
		for r := range dp {
			dp[r] = b[(j+r)*ldb+p]
		}
	}
}

// panels32 is B packed by PackPanels in 32-column panels, located for the
// small-M path: block (jc, pc) of nc columns and kc rows starts at
// p[jc·k + pc·np·32], np the block's panel count, each panel kb×32.
type panels32 struct {
	p            []float32
	k, n, kc, nc int
}

// slicedPanelsFor returns the selected kernels' panels in buf for a k×n B
// when they are 32 columns wide, else none.
func slicedPanelsFor(buf []float32, k, n int) panels32 {
	nr, kc, nc := panelsLayout(k, n)
	if nr != 32 {
		return panels32{}
	}
	p := panelsFor(buf, k, n, nr, kc, nc)
	if p == nil {
		return panels32{}
	}
	return panels32{p: p, k: k, n: n, kc: kc, nc: nc}
}

// strip returns the panel of columns [j, j+32) (j a multiple of 32) and
// rows [pc, pc+kb) of the kc slice at pc.
func (pp *panels32) strip(j, pc, kb int) *float32 {
	jc := j / pp.nc * pp.nc
	np := (min(pp.nc, pp.n-jc) + 31) / 32
	return &pp.p[jc*pp.k+pc*np*32+(j-jc)/32*kb*32]
}

// gemmPanels is gemmNN for m a multiple of 4 reading B's panels: per kc
// slice, each 32-column strip goes through the row-block kernels with B
// one contiguous kb×32 run (the panels are zero past n, so a last partial
// strip is computed into scratch rows and copied).
func (s slicedNN) gemmPanels(m, k, kc, lo, hi int, a []float32, lda int, pp *panels32, c []float32, ldc int) {
	nfull := lo + (hi-lo)/32*32
	_ = c[(m-1)*ldc+hi-1]
	for pc := 0; pc < k; pc += kc {
		kb := min(kc, k-pc)
		for j := lo; j < nfull; j += 32 {
			s.rowBlocks(kb, m, a[pc:], lda, pp.strip(j, pc, kb), 32, c[j:], ldc, 32)
		}
	}
	if nfull == hi {
		return
	}
	w := hi - nfull
	bufp := slicedBufs.Get()
	defer slicedBufs.Put(bufp)
	tmp := grow(bufp, m*32)
	clear(tmp)
	for i := range m {
		copy(tmp[i*32:i*32+w], c[i*ldc+nfull:i*ldc+hi])
	}
	for pc := 0; pc < k; pc += kc {
		kb := min(kc, k-pc)
		s.rowBlocks(kb, m, a[pc:], lda, pp.strip(nfull, pc, kb), 32, tmp, 32, 32)
	}
	for i := range m {
		copy(c[i*ldc+nfull:i*ldc+hi], tmp[i*32:i*32+w])
	}
}

// gemvPanels is gemmPanels for one row: per kc slice, the panels of each
// nc block in [lo, hi) go through the one-row panel kernels up to four at
// a time, so B streams as up to four contiguous runs (FullyConnected
// weights at batch 1: B's rows are 2 KiB and more apart, and a kernel
// reading a strip of every row crosses a page every row or two, where the
// hardware prefetchers stop). A last partial panel is computed into
// scratch and copied.
//
// With steps (k one slice), only the listed steps are summed (a is zero at
// the others).
func (s slicedNN) gemvPanels(k, kc, lo, hi int, a []float32, pp *panels32, c []float32, steps []int32) {
	nfull := lo + (hi-lo)/32*32
	_ = c[hi-1]
	for pc := 0; pc < k; pc += kc {
		kb := min(kc, k-pc)
		for j := lo; j < nfull; {
			jc := j / pp.nc * pp.nc
			np := min((min(jc+pp.nc, nfull)-j)/32, len(s.panels1))
			if steps != nil {
				s.panelsSteps[np-1](len(steps), unsafe.SliceData(steps), &a[0], pp.strip(j, 0, kb), kb*32, &c[j])
			} else {
				s.panels1[np-1](kb, &a[pc], pp.strip(j, pc, kb), kb*32, &c[j])
			}
			j += np * 32
		}
	}
	if nfull == hi {
		return
	}
	bufp := slicedBufs.Get()
	defer slicedBufs.Put(bufp)
	tmp := grow(bufp, 32)
	clear(tmp)
	copy(tmp, c[nfull:hi])
	for pc := 0; pc < k; pc += kc {
		kb := min(kc, k-pc)
		if steps != nil {
			s.panelsSteps[0](len(steps), unsafe.SliceData(steps), &a[0], pp.strip(nfull, 0, kb), kb*32, &tmp[0])
		} else {
			s.panels1[0](kb, &a[pc], pp.strip(nfull, pc, kb), kb*32, &tmp[0])
		}
	}
	copy(c[nfull:hi], tmp[:hi-nfull])
}
