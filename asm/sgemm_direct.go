package asm

import (
	"math/bits"

	"github.com/mxgo/mxgo/internal/parallel"
)

// The direct path computes small C = alpha·A·op(B) + beta·C without packing
// A: a tile kernel (6×16 AVX2, 4×64 AVX-512) reads A's rows in place, and
// B's rows in place too when B is untransposed; a transposed B (C = A·Bᵀ) is
// first packed once into panels. For problems whose operands sit in L1/L2
// the packing and barriers of the blocked path cost more than they save.
// With B already packed by PackPanels (a FullyConnected layer's weights)
// the AVX-512 kernel reads two adjacent 32-column panels as one 64-column
// group, for any k, while A (m·k floats) is at most 16 MiB.
const (
	// directMaxK bounds k so a k×nr column panel of B stays in L1/L2.
	directMaxK = 512
	// directMaxWork is the largest m·n·k sent to the direct path.
	directMaxWork = 256 * 256 * 256
	// directPanelsMaxA is the largest m·k sent to the direct path with B
	// in PackPanels' panels (A is read once per 64-column group, in blocks
	// of rows). Zen 4, GFLOP/s, blocked on the panels → direct (1 thread;
	// 2 threads): 512×512×784 115.8 → 116.5; 231.6 → 234.8, 1024×512×784
	// 114.4 → 116.5; 230.6 → 234.0, 512×1024×1024 101.9 → 116.2; 201.1 →
	// 228.1.
	directPanelsMaxA = 1 << 22
	// directLargeMaxA and directLargeMaxB bound m·k and k·n of the large
	// products the direct path takes, B packed per call.
	directLargeMaxA = 1 << 22
	directLargeMaxB = 1 << 21
	// directRowBlockA bounds the floats of A (rows × k) the direct path
	// walks down per column group before it moves to the next rows.
	directRowBlockA = 1 << 16
)

// directKernel is an implementation's direct-path tile kernel.
type directKernel struct {
	fn directFunc
	// mr and nr are the tile's rows and columns (nr a multiple of 16).
	mr, nr int
	// masked: fn reads no column of B at or past colEnd, so a last,
	// partial panel of B is read in place (else it is computed as an
	// overlapping tile over the last nr columns, or from a padded copy).
	masked bool
	// panels: fn reads its columns 32..63 bhi floats after 0..31, so it
	// can read PackPanels' 32-column panels in pairs (nr 64).
	panels bool
	// packT16 transposes 16 rows of B into 16 columns of a row-major
	// buffer (packBT16StrideAVX2's contract).
	packT16 func(d []float32, ldd int, b []float32, ldb, kb int)
	// pack32 and packT32 pack a full 32-column panel of B and of Bᵀ (the
	// blocked path's packers), for large products (with panels set).
	pack32, packT32 func(d, b []float32, ldb, kb int)
	// steps, when set, is fn summing only listed steps of k (A's rows
	// zero at the others), and nonzero lists the steps at which any of mr
	// rows of A is nonzero (room for 16 more): see directSteps.
	steps   directStepsFunc
	nonzero func(k int, a *float32, lda int, list *int32) int
	// maxWork and maxWorkT, when set, replace directMaxWork as the
	// largest m·n·k sent to the direct path (maxWorkT with B transposed),
	// for kernels whose blocked path overtakes them sooner.
	maxWork, maxWorkT int
}

// directFunc computes tiles mr×nr tiles one under the other (tiles >= 1),
// the tile t at c + t·mr·ldc from A's rows at a + t·mr·lda (row strides
// ldc and lda; B's row stride ldb, its columns 32..nr-1 bhi floats after
// its columns 0..31 where nr > 32):
//
//	c[i*ldc+j] = alpha·Σ_p a[i*lda+p]·b[p*ldb+j] + beta·c[i*ldc+j]
//
// for rowSkip <= i%mr and colSkip <= j < colEnd (k > 0, 0 <= rowSkip < mr,
// 0 <= colSkip < colEnd <= nr): an edge tile overlapping its neighbours
// leaves their part alone, and a last, partial panel of B stops at C's last
// column; C is neither read nor written outside. beta = 0 does not read C.
// The sums are one FMA chain per element over p ascending from zero, then
// times alpha, then plus beta·C in one FMA when beta ≠ ±0. With flags ≠ 0
// each stored element then gets FullyConnected's epilogue (the rowKernels'
// flags): + bias[j] (bias nil: none), then ReLU when flags&epiReLU ≠ 0,
// the bits of asm.Add and asm.Relu.
type directFunc func(k int, a *float32, lda int, b *float32, ldb, bhi int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd, tiles int, bias *float32, flags int)

// directStepsFunc is a directFunc over listed steps: tile t sums the
// steps p listed at steps + t·stride (the count, then the steps,
// ascending) instead of every p < k.
type directStepsFunc func(k int, a *float32, lda int, b *float32, ldb, bhi int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd, tiles int, bias *float32, flags int, steps *int32, stride int)

// The direct path's ways of reading B (directMode).
const (
	directOff   = iota
	directSmall // in place, or packed into the kernel's panels
	directPre   // in PackPanels' panels, made ahead
	directLarge // packed into PackPanels' layout per call
)

// directMode reports whether and how a call takes the direct path: the
// kernel exists and the call is small (m <= gemvMaxM: B streamed once, a
// row tile padded; or m·n·k at most the kernel's bound with k <=
// directMaxK), or B comes packed in panels the kernel reads (pre) and A
// is within directPanelsMaxA, or the call is large (largeOK; kc is the
// kernels' largest kc slice).
func directMode(kern *directKernel, transA, transB, pre bool, alpha float32, m, n, k, kc int) int {
	switch {
	case kern.fn == nil:
		return directOff
	case pre:
		if m*k <= directPanelsMaxA {
			return directPre
		}
		return directOff
	}
	maxWork := kern.maxWork
	if transB && kern.maxWorkT > 0 {
		maxWork = kern.maxWorkT
	}
	if maxWork == 0 {
		maxWork = directMaxWork
	}
	switch {
	case m <= gemvMaxM || (n >= 16 && k <= directMaxK && m*n*k <= maxWork):
		return directSmall
	case largeOK(kern, transA, alpha, m, n, k, kc):
		return directLarge
	}
	return directOff
}

// largeOK reports whether the direct path takes a product too large for
// its small bounds, packing B into PackPanels' layout once per call (each
// goroutine its own column groups) and reading A in place: where the
// kernel reads panel pairs, alpha is 1, A untransposed, k one kc slice,
// at least 128 rows, and A and B within bounds. Zen 4, GFLOP/s, blocked →
// direct (1 thread; 2 threads): 512³ 114.6 → 114.7; 217.6 → 230.6, 1024³
// 108.4 → 112.4; 217.8 → 225.9, with B transposed 256×512×784 109.3 →
// 114.2; 214.6 → 223.1, 1024³ 109.4 → 112.7; 219.4 → 227.6. Left to the
// blocked path, where it won: several kc slices (2048³ 109.3 vs 108.3 on
// one thread; 256×1000×4096 Bᵀ 103.1 vs 100.6), 64 rows against a 16 MiB
// B (64×4096×1024 Bᵀ 93.4 vs 87.3), a 16 MiB B on two threads
// (256×4096×1024 Bᵀ 210.0 vs 205.9).
func largeOK(kern *directKernel, transA bool, alpha float32, m, n, k, kc int) bool {
	return kern.panels && alpha == 1 && !transA && k <= kc && m >= 32*kern.mr && n >= 2*kern.nr &&
		m*k <= directLargeMaxA && k*n <= directLargeMaxB
}

// directB is where the direct path reads op(B): in place (ld > 0, row
// stride ld), or packed into panels of w columns, in blocks of nc columns,
// each block's kc slices one after another, each slice's panels one after
// another (kb rows of w floats, zero past n): PackPanels' layout (w 32),
// or the direct path's own copy (w nr, nc n, one slice).
type directB struct {
	b         []float32
	ld, w, nc int
	k, kc     int
	// src, when set, is op(B) (row stride srcLd, transposed when srcT)
	// that each goroutine packs into b's panels (w 32) for its own column
	// groups before it computes them, with pack32 and packT32.
	src             []float32
	srcLd           int
	srcT            bool
	pack32, packT32 func(d, b []float32, ldb, kb int)
}

// packGroups packs the column groups [lo, hi) of src into b (groups of nr
// columns within blocks of nc), every kc slice.
func (d *directB) packGroups(n, nr, lo, hi int) {
	gi := 0
	for jc := 0; jc < n && gi < hi; jc += d.nc {
		end := min(jc+d.nc, n)
		for j := jc; j < end && gi < hi; j += nr {
			if gi++; gi <= lo {
				continue
			}
			for pc := 0; pc < d.k; pc += d.kc {
				kb := min(d.kc, d.k-pc)
				bp, _, _ := d.at(n, j, pc, kb)
				packB(bp, d.src, d.srcLd, d.srcT, pc, kb, j, min(nr, end-j), 32, d.pack32, d.packT32)
			}
		}
	}
}

// at returns where the group of columns starting at j (within one block)
// is, in the kb-deep slice at pc: its first element, row stride and the
// offset of its columns 32..63 from its columns 0..31.
func (d *directB) at(n, j, pc, kb int) (b []float32, ldb, bhi int) {
	if d.ld > 0 {
		return d.b[pc*d.ld+j:], d.ld, 32
	}
	jc := j / d.nc * d.nc
	np := (min(d.nc, n-jc) + d.w - 1) / d.w
	off := jc*d.k + pc*np*d.w + (j-jc)/d.w*d.w*kb
	if d.w == 32 {
		return d.b[off:], 32, 32 * kb
	}
	return d.b[off:], d.w, 32
}

// block is the width of the blocks of columns the groups stay within.
func (d *directB) block(n int) int {
	if d.ld > 0 {
		return n
	}
	return d.nc
}

// directGroups is the number of nr-column groups of an n-column C whose
// groups stay within blocks of nc columns.
func directGroups(n, nc, nr int) int {
	g := n / nc * ((nc + nr - 1) / nr)
	if r := n % nc; r > 0 {
		g += (r + nr - 1) / nr
	}
	return g
}

// directJob is one direct-path call; goroutines split the column groups
// of C, or its mr-row tiles (splitRows) when the groups would not share
// out evenly.
type directJob struct {
	kern      directKernel
	threads   int
	splitRows bool
	m, n, k   int
	a, c      []float32
	lda, ldc  int
	b         directB
	// beta1: C was already scaled by beta, every slice adds to it.
	beta1 bool
	// steps lists each row tile's nonzero steps (lists nil: none).
	steps directSteps
	epi   epilogue
	// bpack holds op(B) packed into panels, apack alpha·op(A) (rows past m
	// zero) and cpack C's rows padded to mr, when the call needs them; the
	// job keeps them for reuse.
	bpack, apack, cpack []float32
	join                parallel.Join
}

var directJobs parallel.FreeList[directJob]

// sgemmDirect runs the direct path in the given mode (directMode's,
// arguments checked), reading B from pre (PackPanels' panels for the
// blocking kc, nc, or nil; finite: they hold no ±Inf or NaN, so A's zero
// steps may be skipped, see directSteps). It rounds exactly as the
// blocked path (sgemm_block.go) with kc slices of at most kc: k is cut
// into the same slices, each element of a slice is one chain over p
// ascending from zero (alpha applied to A first), and the slices are
// added to C (scaled by beta first) in order; the epilogue epi follows the
// last slice, tile by tile.
func sgemmDirect(mode int, kern directKernel, kc, nc, threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, epi epilogue, pre []float32, finite bool) {
	mr, nr := kern.mr, kern.nr
	kc = blockSize(k, kc, 1)
	// A's zero steps are skipped where B is in panels, finite, and k one
	// slice (see directSteps).
	var st directSteps
	if mode == directPre && finite && kern.steps != nil && k == kc && alpha == 1 && !transA && beta == 0 && m >= mr {
		st.list(&kern, m, k, a, lda)
	}
	// op(B) is packed into the kernel's panels when transposed, or when
	// narrower than a tile the kernel would read in full (small calls).
	padded := mode == directSmall && (transB || (n < nr && !kern.masked))
	db := directB{b: b, ld: ldb, nc: n, k: k, kc: kc}
	switch mode {
	case directPre:
		db = directB{b: pre, w: 32, nc: nc, k: k, kc: kc}
	case directLarge:
		db = directB{w: 32, nc: nc, k: k, kc: kc, src: b, srcLd: ldb, srcT: transB, pack32: kern.pack32, packT32: kern.packT32}
	}
	groups := directGroups(n, db.block(n), nr)
	// Column groups per goroutine, or row tiles when the groups would
	// leave a goroutine idle or with less work (n = 64 on two threads:
	// 116 → 197 GFLOP/s on Zen 4); a large call's goroutines pack their
	// own groups of B, so they split columns.
	tiles := (max(m, mr) + mr - 1) / mr
	splitRows := groups%threads != 0 && groups < 4*threads && mode != directLarge
	if splitRows {
		threads = min(threads, tiles)
	} else {
		threads = min(threads, groups)
	}
	if m*n*k < 96*96*96 {
		threads = 1
	}
	if threads == 1 && !padded && mode != directLarge && alpha == 1 && !transA && m >= mr && (beta == 0 || beta == 1) {
		// Nothing to pack or scale: one goroutine on the caller's operands.
		directGroupsRun(&kern, 0, groups, 0, m, n, k, a, lda, &db, c, ldc, beta == 1, &epi, st.get())
		st.release()
		return
	}
	g := directJobs.Get()
	bpack, apack, cpack := g.bpack, g.apack, g.cpack
	if padded {
		d := grow(&bpack, (n+nr-1)/nr*nr*k)
		padB(d, nr, b, ldb, transB, n, k, kern.packT16)
		db = directB{b: d, w: nr, nc: n, k: k, kc: kc}
	}
	if mode == directLarge {
		db.b = grow(&bpack, k*((n+31)/32*32))
	}
	mm := max(m, mr)
	if alpha != 1 || transA || m < mr {
		ap := grow(&apack, mm*k)
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
		clear(ap[m*k:])
		a, lda = ap, k
	}
	beta1 := false
	if beta != 0 && beta != 1 {
		scaleC(c, ldc, m, n, beta)
		beta1 = true
	}
	cOut, ldcOut := c, ldc
	if m < mr {
		cp := grow(&cpack, mm*n)
		clear(cp)
		if beta != 0 {
			for i := range m {
				copy(cp[i*n:i*n+n], c[i*ldc:i*ldc+n])
			}
		}
		c, ldc = cp, n
	}
	*g = directJob{kern: kern, threads: threads, splitRows: splitRows, m: mm, n: n, k: k,
		a: a, c: c, lda: lda, ldc: ldc, b: db, beta1: beta1 || beta == 1, epi: epi, steps: st,
		bpack: bpack, apack: apack, cpack: cpack}
	parallel.RunWG(threads, g, &g.join)
	st.release()
	if m < mr {
		for i := range m {
			copy(cOut[i*ldcOut:i*ldcOut+n], c[i*n:i*n+n])
		}
	}
	g.a, g.c, g.b, g.epi, g.steps = nil, nil, directB{}, epilogue{}, directSteps{}
	directJobs.Put(g)
}

// padB packs op(B) (k×n) into d as panels of nr columns (each k×nr,
// row-major, one after another), the last zero past column n; packT16
// transposes 16 rows of a transposed B at a time.
func padB(d []float32, nr int, b []float32, ldb int, transB bool, n, k int, packT16 func(d []float32, ldd int, b []float32, ldb, kb int)) {
	for j := 0; j < n; j += nr {
		pd := d[j*k : j*k+nr*k]
		cols := min(nr, n-j)
		c := 0
		for ; transB && c+16 <= cols; c += 16 {
			packT16(pd[c:], nr, b[(j+c)*ldb:], ldb, k)
		}
		for p := range k {
			row := pd[p*nr : p*nr+nr]
			if !transB {
				copy(row[:cols], b[p*ldb+j:p*ldb+j+cols])
			}
			for x := c; transB && x < cols; x++ {
				row[x] = b[(j+x)*ldb+p]
			}
			clear(row[cols:])
		}
	}
}

// Run computes goroutine tid's share of the column groups, or of the row
// tiles (directGroupsRun).
func (g *directJob) Run(tid int) {
	groups := directGroups(g.n, g.b.block(g.n), g.kern.nr)
	if g.splitRows {
		mr := g.kern.mr
		lo, hi := share((g.m+mr-1)/mr, tid, g.threads)
		directGroupsRun(&g.kern, 0, groups, lo*mr, min(hi*mr, g.m), g.n, g.k, g.a, g.lda, &g.b, g.c, g.ldc, g.beta1, &g.epi, g.steps.get())
		return
	}
	lo, hi := share(groups, tid, g.threads)
	if g.b.src != nil {
		g.b.packGroups(g.n, g.kern.nr, lo, hi)
	}
	directGroupsRun(&g.kern, lo, hi, 0, g.m, g.n, g.k, g.a, g.lda, &g.b, g.c, g.ldc, g.beta1, &g.epi, g.steps.get())
}

// directGroupsRun computes rows [i0, i1) of the column groups [lo, hi) of
// C (C has at least kern.mr rows; groups of nr columns, counted block by
// block of b), each group down the rows, one kc slice after another; beta1:
// C already holds beta·C, each slice adds to it; the last slice applies
// epi. A last partial row tile is computed over the mr rows that end at i1
// (reaching back before i0 if need be), storing only the rows not already
// done. A last partial group stops at C's last column when the kernel
// masks its loads or B is packed, else it is computed over the last nr
// columns, storing only those not already done. With st, the tiles sum
// only their listed steps (one kc slice).
func directGroupsRun(kern *directKernel, lo, hi, i0, i1, n, k int, a []float32, lda int, b *directB, c []float32, ldc int, beta1 bool, epi *epilogue, st *directSteps) {
	// Blocks of rows whose A stays in L2 beside a group's B.
	rb := max(directRowBlockA/k/kern.mr*kern.mr, kern.mr)
	for r0 := i0; r0 < i1; r0 += rb {
		directGroupsRows(kern, lo, hi, r0, min(r0+rb, i1), n, k, a, lda, b, c, ldc, beta1, epi, st)
	}
}

// directGroupsRows is directGroupsRun on one block of rows.
func directGroupsRows(kern *directKernel, lo, hi, i0, i1, n, k int, a []float32, lda int, b *directB, c []float32, ldc int, beta1 bool, epi *epilogue, st *directSteps) {
	mr, nr, nc := kern.mr, kern.nr, b.block(n)
	full := (i1 - i0) / mr
	rest := i1 - i0 - full*mr
	gi := 0
	for jc := 0; jc < n && gi < hi; jc += nc {
		end := min(jc+nc, n)
		for j := jc; j < end; j += nr {
			if gi++; gi <= lo {
				continue
			} else if gi > hi {
				break
			}
			jt, colSkip, colEnd := j, 0, min(nr, end-j)
			if colEnd < nr && b.ld > 0 && !kern.masked {
				// Overlap the previous columns, storing only these.
				jt, colSkip, colEnd = n-nr, j-(n-nr), nr
			}
			var bias *float32
			flags := 0
			if epi.on() {
				flags = epiOn
				if epi.relu {
					flags |= epiReLU
				}
				if epi.bias != nil {
					bias = &epi.bias[jt]
				}
			}
			cp := c[jt:]
			for pc := 0; pc < k; pc += b.kc {
				kb := min(b.kc, k-pc)
				bp, ldb, bhi := b.at(n, jt, pc, kb)
				if colEnd <= 32 {
					// Columns 32..63 are not there (a last group of one
					// panel): the kernel's loads of them, all masked
					// off, stay inside B. Past its end they can touch
					// an unmapped page, and a masked load there costs a
					// fault-suppression assist per step: LeNet's 120→84
					// at batch 256 took 1.0–1.3 ms instead of 60 µs.
					bhi = 0
				}
				var beta float32
				if pc > 0 || beta1 {
					beta = 1
				}
				f := 0
				if pc+kb == k {
					f = flags
				}
				if st != nil {
					// One slice (pc 0); the full tiles' lists from i0/mr on,
					// the last partial tile's at st.rest.
					if full > 0 {
						kern.steps(kb, &a[i0*lda], lda, &bp[0], ldb, bhi, &cp[i0*ldc], ldc, 1, beta, 0, colSkip, colEnd, full, bias, f, &st.lists[i0/mr*st.stride], st.stride)
					}
					if rest > 0 {
						i := i1 - mr
						kern.steps(kb, &a[i*lda], lda, &bp[0], ldb, bhi, &cp[i*ldc], ldc, 1, beta, mr-rest, colSkip, colEnd, 1, bias, f, &st.lists[st.rest*st.stride], st.stride)
					}
					continue
				}
				if full > 0 {
					kern.fn(kb, &a[i0*lda+pc], lda, &bp[0], ldb, bhi, &cp[i0*ldc], ldc, 1, beta, 0, colSkip, colEnd, full, bias, f)
				}
				if rest > 0 {
					i := i1 - mr
					kern.fn(kb, &a[i*lda+pc], lda, &bp[0], ldb, bhi, &cp[i*ldc], ldc, 1, beta, mr-rest, colSkip, colEnd, 1, bias, f)
				}
			}
		}
	}
}

// Skipping A's zero steps. After a ReLU about half of a FullyConnected
// layer's inputs are zero, and at a step p where a row tile's mr rows of A
// are all ±0 its mr·nr products add nothing. Where B is in PackPanels'
// panels and finite throughout, and k is one kc slice, the direct path
// lists once per call the steps at which each row tile of A has a nonzero
// element, and its kernel sums only those, in the same ascending order.
// The bits are the dense sums': a chain started at +0 never holds −0 (x +
// y is −0 only when both are −0), and adding the ±0 product of a zero and
// a finite number to it leaves it as it was; so batch and thread
// invariance hold. The lists are dropped when they skip less than
// directStepsMinSkip of the steps (a dense A: listing its first
// directStepsProbe tiles costs about 1% of their products).
const (
	directStepsMinSkip = 1.0 / 32
	directStepsProbe   = 8
)

// directSteps holds, for each row tile of a direct call, the steps to
// sum: tile t's list at lists[t·stride:] (the count, then the steps),
// the tile of the last mr rows (when m is not a multiple of mr) at
// lists[rest·stride:]. lists nil: none.
type directSteps struct {
	lists        []int32
	stride, rest int
	buf          *[]int32
}

// directStepBufs holds directSteps' lists for reuse.
var directStepBufs parallel.FreeList[[]int32]

// list lists the nonzero steps of A's row tiles (m >= mr rows of k), or
// leaves st without lists when they would skip too few.
func (st *directSteps) list(kern *directKernel, m, k int, a []float32, lda int) {
	mr := kern.mr
	full := m / mr
	tiles := full
	if m%mr != 0 {
		tiles++
	}
	// The count, k steps at most and the lister's 16 entries of room,
	// rounded to 64 bytes.
	stride := (k + 1 + 16 + 15) / 16 * 16
	st.buf = directStepBufs.Get()
	if n := tiles * stride; cap(*st.buf) < n {
		// A power of two, so that a buffer grown once serves the layers
		// of a network whichever it meets first.
		*st.buf = make([]int32, 1<<bits.Len(uint(n-1)))
	}
	lists := (*st.buf)[:tiles*stride]
	total, limit := 0, int((1-directStepsMinSkip)*float64(k))
	for t := range tiles {
		row := t * mr
		if t == full {
			row = m - mr
		}
		l := lists[t*stride : (t+1)*stride]
		cnt := kern.nonzero(k, &a[row*lda], lda, &l[1])
		l[0] = int32(cnt)
		total += cnt
		if (t+1 == directStepsProbe || t+1 == tiles) && total > (t+1)*limit {
			st.release()
			return
		}
	}
	st.lists, st.stride, st.rest = lists, stride, full
}

// get returns st, or nil without lists.
func (st *directSteps) get() *directSteps {
	if st.lists == nil {
		return nil
	}
	return st
}

// release returns the lists' buffer.
func (st *directSteps) release() {
	if st.buf != nil {
		directStepBufs.Put(st.buf)
	}
	*st = directSteps{}
}
