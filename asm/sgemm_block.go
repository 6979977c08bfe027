package asm

import (
	"github.com/mxgo/mxgo/internal/parallel"
)

// Cache blocking. A packed B micro-panel (kc×nr floats, 16 KiB at nr=16)
// stays in the 32 KiB L1 while the kernels walk down an mc×kc block of
// packed A (144 KiB) held in L2; the kc×nc packed B block (4 MiB at most)
// lives in L2/L3. mc and nc are multiples of 4, 6, 8, 12 and 16.
const (
	sgemmKC = 256
	sgemmMC = 144
	sgemmNC = 4080
)

// blocks returns the kernel's cache blocking: its own where set, else the
// package defaults.
func (k *sgemmKernel) blocks() (kc, mc, nc int) {
	kc, mc, nc = sgemmKC, sgemmMC, sgemmNC
	if k.kc > 0 {
		kc = k.kc
	}
	if k.mc > 0 {
		mc = k.mc
	}
	if k.nc > 0 {
		nc = k.nc
	}
	return kc, mc, nc
}

// scaleC multiplies the m×n matrix c by beta; beta = 0 stores zeros without
// reading c.
func scaleC(c []float32, ldc, m, n int, beta float32) {
	if beta == 1 {
		return
	}
	for i := range m {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
			continue
		}
		for j := range ci {
			ci[j] *= beta
		}
	}
}

// gemmJob is one blocked Sgemm call, shared by its goroutines.
type gemmJob struct {
	kern           sgemmKernel
	threads        int
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int
	kc, mc, nc     int
	// apack holds all of op(A)'s panels for one kc slice; bpack one kc×nc
	// block of op(B). Both are shared: every goroutine packs a share, then
	// all compute from them.
	apack, bpack []float32
	// splitM: goroutines divide the rows (mr panels) of C, else its
	// columns (nr panels).
	splitM bool
	// ownB (column split only): A is packed once for the whole of k
	// (apack holds every kc slice, slice pc at mp·mr·pc), shared after a
	// single barrier; each goroutine then packs its own B panels into its
	// own part of bpack (bstride floats) and never waits again.
	ownB    bool
	bstride int
	// bpre: B's panels packed ahead (PackPanels), read in place.
	bpre []float32
	// aRows: the kernels read A in place (kern.rows), nothing packs it.
	aRows bool
	// apk packs A's panels, packB full nr-column panels of untransposed
	// B, packBT those of transposed B (nil: the generic loops).
	apk    aPackers
	packB  func(d, b []float32, ldb, kb int)
	packBT func(d, b []float32, ldb, kb int)
	// epi is applied to each part of C by the goroutine that computed it,
	// right after its last kc slice.
	epi epilogue
	// tmp holds one edge tile per goroutine.
	tmp  []float32
	bar  parallel.Barrier
	join parallel.Join
}

var gemmJobs parallel.FreeList[gemmJob]

// blockSize splits n into ceil(n/max) near-equal blocks, rounded up to a
// multiple of unit, and returns the block size.
func blockSize(n, maxBlock, unit int) int {
	if n <= maxBlock {
		return n
	}
	nb := (n + maxBlock - 1) / maxBlock
	s := (n + nb - 1) / nb
	return (s + unit - 1) / unit * unit
}

// sgemmBlocked is the packed, cache-blocked, multi-threaded SGEMM.
func sgemmBlocked(kern sgemmKernel, threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmBlockedEpi(kern, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue{}, nil)
}

// sgemmBlockedEpi is sgemmBlocked followed by the epilogue epi, reading B
// from panels (packed by PackPanels) when they match.
func sgemmBlockedEpi(kern sgemmKernel, threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, epi epilogue, panels []float32) {
	mr, nr := kern.mr, kern.nr
	mp := (m + mr - 1) / mr
	// Each goroutine should get at least a few tiles' work.
	if tiles := mp * ((n + nr - 1) / nr); threads > tiles/4 {
		threads = max(tiles/4, 1)
	}
	if m*n*k < 64*64*64 {
		threads = 1
	}
	aRows := kern.rows.fn != nil && !transA && alpha == 1
	if aRows && kern.packAliased > 0 && lda%1024 == 0 && panels == nil {
		// Rows 4 KiB apart share an L1 set: pack A (once per kc
		// slice, so with B panels in L1 walking down A's blocks).
		aRows = false
		kern.bInner, kern.nc, kern.mc = false, sgemmNC, kern.packAliased
	}
	g := gemmJobs.Get()
	*g = gemmJob{kern: kern, threads: threads, transA: transA, transB: transB,
		m: m, n: n, k: k, alpha: alpha, beta: beta, a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc,
		apack: g.apack, bpack: g.bpack, tmp: g.tmp, epi: epi}
	g.packB, g.packBT = kern.packB, kern.packBT
	g.aRows = aRows
	g.apk = aPackers{full: kern.packA, part: kern.packAPart, trans: kern.packAT}
	if g.apk.full == nil && mr == 6 {
		g.apk.full = packA6
	}
	if g.packB == nil && nr == 16 {
		g.packB = packB16
	}
	if g.packBT == nil && nr == 16 {
		g.packBT = packBT16
	}
	kc, mc, nc := kern.blocks()
	g.kc = blockSize(k, kc, 1)
	g.nc = blockSize(n, nc, nr)
	g.mc = mc
	np := (g.nc + nr - 1) / nr
	g.splitM = mp >= threads && (mp*mr >= n || np < threads)
	if !transB && panels != nil {
		g.bpre = panelsFor(panels, k, n, nr, g.kc, g.nc)
	}
	needA, needB := mp*mr*g.kc, np*nr*g.kc
	if threads > 1 && !g.splitM && mp*mr*k <= ownBMaxA {
		g.ownB = true
		needA = mp * mr * k
		// Each goroutine's B panels, at most one nc block at a time.
		own := ((n+nr-1)/nr + threads - 1) / threads
		g.bstride = min(own, np) * nr * g.kc
		needB = threads * g.bstride
	}
	if g.bpre != nil {
		needB = 0
	}
	if g.aRows {
		needA = 0
	}
	if cap(g.apack) < needA {
		g.apack = make([]float32, needA)
	}
	if cap(g.bpack) < needB {
		g.bpack = make([]float32, needB)
	}
	if need := threads * mr * nr; cap(g.tmp) < need {
		g.tmp = make([]float32, need)
	}
	g.bar.Reset(threads)
	parallel.RunWG(threads, g, &g.join)
	g.a, g.b, g.c, g.epi, g.bpre = nil, nil, nil, epilogue{}, nil
	gemmJobs.Put(g)
}

// share returns goroutine tid's part [lo, hi) of n items split over t.
func share(n, tid, t int) (lo, hi int) {
	return n * tid / t, n * (tid + 1) / t
}

// ownBMaxA bounds the packed A (floats) of the single-barrier column
// split (gemmJob.ownB): 1 MiB, the L2 of the machines it was tuned on.
const ownBMaxA = 1 << 18

// Run is goroutine tid's part of the job: for each kc×nc block, pack a share
// of A and B, wait for the others, then compute its share of C (or, with
// ownB, runOwnB).
func (g *gemmJob) Run(tid int) {
	if g.ownB {
		g.runOwnB(tid)
		return
	}
	mr, nr := g.kern.mr, g.kern.nr
	mp := (g.m + mr - 1) / mr
	for jc := 0; jc < g.n; jc += g.nc {
		nb := min(g.nc, g.n-jc)
		np := (nb + nr - 1) / nr
		for pc := 0; pc < g.k; pc += g.kc {
			kb := min(g.kc, g.k-pc)
			bpack := g.bpack
			lo, hi := share(np, tid, g.threads)
			if g.bpre != nil {
				bpack = g.bpre[jc*g.k+pc*np*nr:]
			} else if lo < hi {
				packB(g.bpack[lo*nr*kb:], g.b, g.ldb, g.transB, pc, kb, jc+lo*nr, min(hi*nr, nb)-lo*nr, nr, g.packB, g.packBT)
			}
			lo, hi = share(mp, tid, g.threads)
			if lo < hi && !g.aRows {
				packA(g.apack[lo*mr*kb:], g.a, g.lda, g.transA, lo*mr, min(hi*mr, g.m)-lo*mr, pc, kb, mr, g.alpha, g.apk)
			}
			g.bar.Wait()
			mlo, mhi, nlo, nhi := 0, mp, 0, np
			if g.splitM {
				mlo, mhi = share(mp, tid, g.threads)
			} else {
				nlo, nhi = share(np, tid, g.threads)
			}
			g.compute(tid, g.apack, bpack, mlo, mhi, nlo, nhi, jc, nb, pc, kb)
			g.bar.Wait()
		}
	}
}

// runOwnB is Run for a column split with ownB: pack a share of A's panels
// for every kc slice, wait once, then for each of this goroutine's nc
// blocks of columns and each kc slice pack its B panels and compute.
func (g *gemmJob) runOwnB(tid int) {
	mr, nr := g.kern.mr, g.kern.nr
	mp := (g.m + mr - 1) / mr
	lo, hi := share(mp, tid, g.threads)
	for pc := 0; pc < g.k && !g.aRows; pc += g.kc {
		kb := min(g.kc, g.k-pc)
		if lo < hi {
			packA(g.apack[mp*mr*pc+lo*mr*kb:], g.a, g.lda, g.transA, lo*mr, min(hi*mr, g.m)-lo*mr, pc, kb, mr, g.alpha, g.apk)
		}
	}
	g.bar.Wait()
	plo, phi := share((g.n+nr-1)/nr, tid, g.threads)
	if g.bpre != nil {
		// The panels of each nc block in this goroutine's columns.
		for jc := 0; jc < g.n; jc += g.nc {
			nb := min(g.nc, g.n-jc)
			np := (nb + nr - 1) / nr
			nlo, nhi := max(plo-jc/nr, 0), min(phi-jc/nr, np)
			if nlo >= nhi {
				continue
			}
			for pc := 0; pc < g.k; pc += g.kc {
				kb := min(g.kc, g.k-pc)
				g.compute(tid, g.apackAt(mp, pc), g.bpre[jc*g.k+pc*np*nr:], 0, mp, nlo, nhi, jc, nb, pc, kb)
			}
		}
		return
	}
	bown := g.bpack[tid*g.bstride : (tid+1)*g.bstride]
	step := max(g.nc/nr, 1)
	for p0 := plo; p0 < phi; p0 += step {
		jc := p0 * nr
		nb := min(min(p0+step, phi)*nr, g.n) - jc
		np := (nb + nr - 1) / nr
		for pc := 0; pc < g.k; pc += g.kc {
			kb := min(g.kc, g.k-pc)
			packB(bown, g.b, g.ldb, g.transB, pc, kb, jc, nb, nr, g.packB, g.packBT)
			g.compute(tid, g.apackAt(mp, pc), bown, 0, mp, 0, np, jc, nb, pc, kb)
		}
	}
}

// apackAt is the ownB layout's packed A for the kc slice at pc (mp
// panels), or nil when A is read in place.
func (g *gemmJob) apackAt(mp, pc int) []float32 {
	if g.aRows {
		return nil
	}
	return g.apack[mp*g.kern.mr*pc:]
}

// compute runs the micro-kernels over A panels [mlo, mhi) of apack (or of
// A in place) and B panels [nlo, nhi) of bpack (columns jc..jc+nb of C,
// the kc slice of depth kb at pc). On the first kc slice it applies beta
// to each tile just before the tile's first kernel call, while the tile is
// in cache; after the last it applies the epilogue to the rows it
// computed, with bInner while each A panel's rows are in cache (with A in
// place, tile does, per tile).
//
// Two loop orders: by default each B panel stays in L1 while the kernels
// walk down an mc-row block of A panels (from L2); with kern.bInner each A
// panel stays in L1 while the kernels walk along the B panels of the nc
// block (from L2).
func (g *gemmJob) compute(tid int, apack, bpack []float32, mlo, mhi, nlo, nhi, jc, nb, pc, kb int) {
	mr, nr := g.kern.mr, g.kern.nr
	tmp := g.tmp[tid*mr*nr : (tid+1)*mr*nr]
	epi := pc+kb == g.k && g.epi.on() && !g.aRows
	j0, j1 := jc+nlo*nr, min(jc+nhi*nr, jc+nb)
	if g.kern.bInner {
		for ir := mlo; ir < mhi; ir++ {
			for jr := nlo; jr < nhi; jr++ {
				g.tile(tmp, apack, bpack, ir, jr, jc, nb, pc, kb)
			}
			if epi {
				g.epi.apply(g.c, g.ldc, ir*mr, min(ir*mr+mr, g.m), j0, j1)
			}
		}
		return
	}
	if epi {
		defer g.epi.apply(g.c, g.ldc, mlo*mr, min(mhi*mr, g.m), j0, j1)
	}
	mcp := max(g.mc/mr, 1)
	for ic := mlo; ic < mhi; ic += mcp {
		icEnd := min(ic+mcp, mhi)
		for jr := nlo; jr < nhi; jr++ {
			for ir := ic; ir < icEnd; ir++ {
				g.tile(tmp, apack, bpack, ir, jr, jc, nb, pc, kb)
			}
		}
	}
}

// tile runs the micro-kernel for A panel ir of apack (or A's rows in
// place) and B panel jr of bpack, depth kb at pc (tmp holds one edge
// tile).
func (g *gemmJob) tile(tmp, apack, bpack []float32, ir, jr, jc, nb, pc, kb int) {
	mr, nr := g.kern.mr, g.kern.nr
	c, ldc := g.c, g.ldc
	bp := &bpack[jr*nr*kb]
	j := jc + jr*nr
	cols := min(nr, jc+nb-j)
	i := ir * mr
	rows := min(mr, g.m-i)
	first := pc == 0
	// With A in place, the tile's last kc slice applies the epilogue:
	// the kernel on a tile of C, else below.
	epi := g.aRows && pc+kb == g.k && g.epi.on()
	if cols == nr && !g.kern.accFromC && (rows == mr || g.kern.edge != nil) {
		// A full tile, or the rows of a partial A panel (edge kernels):
		// computed on C itself.
		cij := &c[i*ldc+j]
		var bias *float32
		flags := 0
		if epi {
			flags = epiOn
			if g.epi.relu {
				flags |= epiReLU
			}
			if g.epi.bias != nil {
				bias = &g.epi.bias[j]
			}
		}
		if first && g.beta != 1 {
			if g.beta == 0 && (rows < mr || g.kern.store != nil) {
				g.run(true, apack, ir, rows, pc, kb, bp, cij, ldc, bias, flags)
				return
			}
			scaleC(c[i*ldc+j:], ldc, rows, nr, g.beta)
		}
		g.run(false, apack, ir, rows, pc, kb, bp, cij, ldc, bias, flags)
		return
	}
	t := tmp
	clear(t)
	// A packed panel is zero past its rows; A in place has only rows.
	krows := mr
	if g.aRows {
		krows = rows
	}
	g.run(false, apack, ir, krows, pc, kb, bp, &t[0], nr, nil, 0)
	for r := range rows {
		cr := c[(i+r)*ldc+j : (i+r)*ldc+j+cols]
		tr := t[r*nr : r*nr+cols]
		if first {
			switch g.beta {
			case 0:
				copy(cr, tr)
				continue
			case 1:
			default:
				for x := range cr {
					cr[x] *= g.beta
				}
			}
		}
		for x, v := range tr {
			cr[x] += v
		}
	}
	if epi {
		g.epi.apply(c, ldc, i, i+rows, j, j+cols)
	}
}

// run calls the micro-kernel variant for rows rows (the full kernel at
// mr, else the edge kernel) of A panel ir, depth kb at pc, against the B
// panel at bp, adding to the tile at c (row stride ldc) or, with store,
// overwriting it; A is apack's panel ir, or read in place (aRows), when
// the kernel also applies the epilogue given by bias and flags
// (rowKernels).
func (g *gemmJob) run(store bool, apack []float32, ir, rows, pc, kb int, bp, c *float32, ldc int, bias *float32, flags int) {
	k := &g.kern
	if g.aRows {
		a, lda := &g.a[ir*k.mr*g.lda+pc], g.lda
		switch {
		case rows == k.mr && store:
			k.rows.store(kb, a, lda, bp, c, ldc, bias, flags)
		case rows == k.mr:
			k.rows.fn(kb, a, lda, bp, c, ldc, bias, flags)
		case store:
			k.rows.edgeStore(kb, rows, a, lda, bp, c, ldc, bias, flags)
		default:
			k.rows.edge(kb, rows, a, lda, bp, c, ldc, bias, flags)
		}
		return
	}
	ap := &apack[ir*k.mr*kb]
	switch {
	case rows == k.mr && store:
		k.store(kb, ap, bp, c, ldc)
	case rows == k.mr:
		k.fn(kb, ap, bp, c, ldc)
	case store:
		k.edgeStore(kb, rows, ap, bp, c, ldc)
	default:
		k.edge(kb, rows, ap, bp, c, ldc)
	}
}
