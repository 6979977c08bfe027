package asm

import (
	"github.com/mxgo/mxgo/internal/parallel"
)

// The direct path computes small C = alpha·A·op(B) + beta·C without packing
// A: a tile kernel (6×16 AVX2, 6×64 AVX-512) reads A's rows in place, and
// B's rows in place too when B is untransposed; a transposed B (C = A·Bᵀ) is
// first transposed once into a row-major k×n buffer. For problems whose
// operands sit in L1/L2 the packing and barriers of the blocked path cost
// more than they save.
const (
	// directMaxK bounds k so a k×nr column panel of B stays in L1/L2.
	directMaxK = 512
	// directMaxWork is the largest m·n·k sent to the direct path.
	directMaxWork = 256 * 256 * 256
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
	// packT16 transposes 16 rows of B into 16 columns of a row-major
	// buffer (packBT16StrideAVX2's contract).
	packT16 func(d []float32, ldd int, b []float32, ldb, kb int)
	// maxWork and maxWorkT, when set, replace directMaxWork as the
	// largest m·n·k sent to the direct path (maxWorkT with B transposed),
	// for kernels whose blocked path overtakes them sooner.
	maxWork, maxWorkT int
}

// directFunc computes tiles mr×nr tiles one under the other (tiles >= 1),
// the tile t at c + t·mr·ldc from A's rows at a + t·mr·lda (row strides
// ldc and lda, B's row stride ldb):
//
//	c[i*ldc+j] = alpha·Σ_p a[i*lda+p]·b[p*ldb+j] + beta·c[i*ldc+j]
//
// for rowSkip <= i%mr and colSkip <= j < colEnd (k > 0, 0 <= rowSkip < mr,
// 0 <= colSkip < colEnd <= nr): an edge tile overlapping its neighbours
// leaves their part alone, and a last, partial panel of B stops at C's last
// column; C is neither read nor written outside. beta = 0 does not read C.
// The sums are one FMA chain per element over p ascending from zero, then
// times alpha, then plus beta·C in one FMA when beta ≠ ±0.
type directFunc func(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd, tiles int)

// useDirect reports whether a call takes the direct path: the kernel
// exists and the call is small (m <= gemvMaxM: B streamed once, a row tile
// padded; or m·n·k at most the kernel's bound with k <= directMaxK).
func useDirect(kern *directKernel, transB bool, m, n, k int) bool {
	if kern.fn == nil {
		return false
	}
	maxWork := kern.maxWork
	if transB && kern.maxWorkT > 0 {
		maxWork = kern.maxWorkT
	}
	if maxWork == 0 {
		maxWork = directMaxWork
	}
	return m <= gemvMaxM || (n >= 16 && k <= directMaxK && m*n*k <= maxWork)
}

// directJob is one direct-path call; goroutines split the nr-column
// panels of C, or its mr-row tiles (splitRows) when the panels would not
// share out evenly.
type directJob struct {
	kern          directKernel
	threads       int
	splitRows     bool
	m, n, k, kc   int
	a, b, c       []float32
	lda, ldb, ldc int
	// padded: b holds op(B) as panels of nr columns (k×nr each, zero
	// past n; bpack, which the job keeps for reuse).
	padded bool
	// beta1: C was already scaled by beta, every slice adds to it.
	beta1 bool
	// apack holds alpha·op(A) (rows past m zero) and cpack C's rows padded
	// to mr, when the call needs them; the job keeps both for reuse.
	bpack, apack, cpack []float32
	join                parallel.Join
}

var directJobs parallel.FreeList[directJob]

// sgemmDirect runs the direct path (useDirect true, arguments checked). It
// rounds exactly as the blocked path (sgemm_block.go) with kc slices of at
// most kc: k is cut into the same slices, each element of a slice is one
// chain over p ascending from zero (alpha applied to A first), and the
// slices are added to C (scaled by beta first) in order.
func sgemmDirect(kern directKernel, kc, threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	mr, nr := kern.mr, kern.nr
	np := (n + nr - 1) / nr
	// Column panels per goroutine, or row tiles when the panels would
	// leave a goroutine idle or with less work (n = 64 on two threads:
	// 116 → 197 GFLOP/s on Zen 4).
	tiles := (max(m, mr) + mr - 1) / mr
	splitRows := np%threads != 0 && np < 4*threads
	if splitRows {
		threads = min(threads, tiles)
	} else {
		threads = min(threads, np)
	}
	if m*n*k < 96*96*96 {
		threads = 1
	}
	// op(B) is packed into panels when transposed, or when narrower than
	// a tile the kernel would read in full.
	padded := transB || (n < nr && !kern.masked)
	if threads == 1 && !padded && alpha == 1 && !transA && m >= kern.mr && (beta == 0 || beta == 1) {
		// Nothing to pack or scale: one goroutine on the caller's operands.
		directPanels(&kern, 0, np, 0, m, n, k, blockSize(k, kc, 1), a, lda, b, ldb, c, ldc, false, beta == 1)
		return
	}
	g := directJobs.Get()
	bpack, apack, cpack := g.bpack, g.apack, g.cpack
	if padded {
		need := np * nr * k
		if cap(bpack) < need {
			bpack = make([]float32, need)
		}
		bpack = bpack[:need]
		padB(bpack, nr, b, ldb, transB, n, k, kern.packT16)
		b, ldb = bpack, nr
	}
	mm := max(m, mr)
	if alpha != 1 || transA || m < mr {
		need := mm * k
		if cap(apack) < need {
			apack = make([]float32, need)
		}
		apack = apack[:need]
		for i := range m {
			row := apack[i*k : i*k+k]
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
		clear(apack[m*k:])
		a, lda = apack, k
	}
	beta1 := false
	if beta != 0 && beta != 1 {
		scaleC(c, ldc, m, n, beta)
		beta1 = true
	}
	cOut, ldcOut := c, ldc
	if m < mr {
		need := mm * n
		if cap(cpack) < need {
			cpack = make([]float32, need)
		}
		cpack = cpack[:need]
		clear(cpack)
		if beta != 0 {
			for i := range m {
				copy(cpack[i*n:i*n+n], c[i*ldc:i*ldc+n])
			}
		}
		c, ldc = cpack, n
	}
	*g = directJob{kern: kern, threads: threads, splitRows: splitRows, m: mm, n: n, k: k, kc: blockSize(k, kc, 1),
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, padded: padded, beta1: beta1 || beta == 1,
		bpack: bpack, apack: apack, cpack: cpack}
	parallel.RunWG(threads, g, &g.join)
	if m < mr {
		for i := range m {
			copy(cOut[i*ldcOut:i*ldcOut+n], c[i*n:i*n+n])
		}
	}
	g.a, g.b, g.c = nil, nil, nil
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

// Run computes goroutine tid's share of the column panels, or of the row
// tiles (directPanels).
func (g *directJob) Run(tid int) {
	np := (g.n + g.kern.nr - 1) / g.kern.nr
	if g.splitRows {
		mr := g.kern.mr
		lo, hi := share((g.m+mr-1)/mr, tid, g.threads)
		directPanels(&g.kern, 0, np, lo*mr, min(hi*mr, g.m), g.n, g.k, g.kc, g.a, g.lda, g.b, g.ldb, g.c, g.ldc, g.padded, g.beta1)
		return
	}
	lo, hi := share(np, tid, g.threads)
	directPanels(&g.kern, lo, hi, 0, g.m, g.n, g.k, g.kc, g.a, g.lda, g.b, g.ldb, g.c, g.ldc, g.padded, g.beta1)
}

// directPanels computes rows [i0, i1) of the column panels [lo, hi) of C
// (C has at least kern.mr rows), each panel down the rows, one kc slice
// after another: b is op(B) in place, or packed into panels (padded);
// beta1: C already holds beta·C, each slice adds to it. A last partial row
// tile is computed over the mr rows that end at i1 (reaching back before
// i0 if need be), storing only the rows not already done. A last partial
// panel stops at C's last column when the kernel masks its loads or B is
// padded, else it is computed over the last nr columns, storing only
// those not already done.
func directPanels(kern *directKernel, lo, hi, i0, i1, n, k, kc int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, padded, beta1 bool) {
	mr, nr := kern.mr, kern.nr
	full := (i1 - i0) / mr
	rest := i1 - i0 - full*mr
	for jp := lo; jp < hi; jp++ {
		j := jp * nr
		colSkip, colEnd := 0, nr
		if j+nr > n {
			if padded || kern.masked {
				colEnd = n - j
			} else {
				colSkip = j - (n - nr)
				j = n - nr
			}
		}
		bp := b[j:]
		if padded {
			bp = b[jp*nr*k:]
		}
		cp := c[j:]
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			var beta float32
			if pc > 0 || beta1 {
				beta = 1
			}
			if full > 0 {
				kern.fn(kb, &a[i0*lda+pc], lda, &bp[pc*ldb], ldb, &cp[i0*ldc], ldc, 1, beta, 0, colSkip, colEnd, full)
			}
			if rest > 0 {
				i := i1 - mr
				kern.fn(kb, &a[i*lda+pc], lda, &bp[pc*ldb], ldb, &cp[i*ldc], ldc, 1, beta, mr-rest, colSkip, colEnd, 1)
			}
		}
	}
}
