package asm

import (
	"unsafe"

	"github.com/mxgo/mxgo/internal/parallel"
)

// The direct path computes small C = alpha·A·op(B) + beta·C without packing
// A: a 6×16 kernel reads A's rows in place, and B's rows in place too when
// B is untransposed; a transposed B (C = A·Bᵀ) is first packed once into
// 16-column panels. For problems whose operands sit in L1/L2 the packing
// and barriers of the blocked path cost more than they save.
const (
	directMR = 6
	directNR = 16
	// directMaxK bounds k so a k×16 column panel of B stays in L1/L2.
	directMaxK = 512
	// directMaxWork is the largest m·n·k sent to the direct path.
	directMaxWork = 256 * 256 * 256
)

// directFunc computes a 6×16 tile at c (row stride ldc):
//
//	c[i*ldc+j] = alpha·Σ_p a[i*lda+p]·b[p*ldb+j] + beta·c[i*ldc+j]
//
// for rowSkip <= i < 6 and colSkip <= j < colEnd (k > 0, 0 <= rowSkip < 6,
// 0 <= colSkip < colEnd <= 16): an edge tile overlapping its neighbours
// leaves their part alone, and a last panel of packed B stops at C's last
// column; C is neither read nor written outside. beta = 0 does not read C.
type directFunc func(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd int)

// directGeneric is the pure-Go directFunc, the model for the assembly.
func directGeneric(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd int) {
	as := unsafe.Slice(a, 5*lda+k)
	bs := unsafe.Slice(b, (k-1)*ldb+directNR)
	cs := unsafe.Slice(c, 5*ldc+colEnd)
	for i := rowSkip; i < directMR; i++ {
		var acc [directNR]float32
		for p := range k {
			av := as[i*lda+p]
			for j, bv := range bs[p*ldb : p*ldb+directNR] {
				acc[j] += av * bv
			}
		}
		cr := cs[i*ldc : i*ldc+colEnd]
		for j := colSkip; j < colEnd; j++ {
			v := acc[j] * alpha
			if beta != 0 {
				v += beta * cr[j]
			}
			cr[j] = v
		}
	}
}

// useDirect reports whether a call takes the direct path: the kernel
// exists and the call is small (m <= gemvMaxM: B streamed once, a row tile
// padded to 6 rows; or m·n·k at most maxWork with k <= directMaxK).
func useDirect(kern directFunc, maxWork, m, n, k int) bool {
	if kern == nil {
		return false
	}
	if maxWork == 0 {
		maxWork = directMaxWork
	}
	return m <= gemvMaxM || (n >= directNR && k <= directMaxK && m*n*k <= maxWork)
}

// directJob is one direct-path call; goroutines split the 16-column
// panels of C.
type directJob struct {
	kern          directFunc
	threads       int
	m, n, k, kc   int
	a, b, c       []float32
	lda, ldb, ldc int
	// packed: b holds op(B) as 16-column panels (k×16 each, zero-padded),
	// in bpack, which the job keeps for reuse.
	packed bool
	// beta1: C was already scaled by beta, every slice adds to it.
	beta1 bool
	// apack holds alpha·op(A) (rows past m zero) and cpack C's rows padded
	// to 6, when the call needs them; the job keeps both for reuse.
	bpack, apack, cpack []float32
	join                parallel.Join
}

var directJobs parallel.FreeList[directJob]

// sgemmDirect runs the direct path (useDirect true, arguments checked);
// packT16 packs full 16-column panels of transposed B. It rounds exactly
// as the blocked path (sgemm_block.go) with kc slices of at most kc: k is
// cut into the same slices, each element of a slice is one chain over p
// ascending from zero (alpha applied to A first), and the slices are added
// to C (scaled by beta first) in order.
func sgemmDirect(kern directFunc, packT16 func(d, b []float32, ldb, kb int), kc, threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	np := (n + directNR - 1) / directNR
	threads = min(threads, np)
	if m*n*k < 96*96*96 {
		threads = 1
	}
	g := directJobs.Get()
	bpack, apack, cpack := g.bpack, g.apack, g.cpack
	packed := transB || n < directNR
	if packed {
		need := np * directNR * k
		if cap(bpack) < need {
			bpack = make([]float32, need)
		}
		bpack = bpack[:need]
		if packT16 == nil {
			packT16 = packBT16
		}
		packB(bpack, b, ldb, transB, 0, k, 0, n, directNR, nil, packT16)
		b, ldb = bpack, directNR
	}
	mm := max(m, directMR)
	if alpha != 1 || transA || m < directMR {
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
	if m < directMR {
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
	*g = directJob{kern: kern, threads: threads, m: mm, n: n, k: k, kc: blockSize(k, kc, 1),
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, packed: packed, beta1: beta1 || beta == 1,
		bpack: bpack, apack: apack, cpack: cpack}
	parallel.RunWG(threads, g, &g.join)
	if m < directMR {
		for i := range m {
			copy(cOut[i*ldcOut:i*ldcOut+n], c[i*n:i*n+n])
		}
	}
	g.a, g.b, g.c = nil, nil, nil
	directJobs.Put(g)
}

// run computes goroutine tid's column panels, each down all rows of C,
// one kc slice after another. A last partial row tile is computed over the
// last 6 rows of C, storing only the rows not already done; a last partial
// panel likewise over the last 16 columns when B is read in place, or from
// its zero-padded packed panel, storing only C's columns.
func (g *directJob) Run(tid int) {
	m, n, k := g.m, g.n, g.k
	lo, hi := share((n+directNR-1)/directNR, tid, g.threads)
	for jp := lo; jp < hi; jp++ {
		j := jp * directNR
		colSkip, colEnd := 0, directNR
		var bp []float32
		ldb := g.ldb
		switch {
		case g.packed:
			colEnd = min(directNR, n-j)
			bp = g.b[jp*directNR*k:]
		case j+directNR > n:
			colSkip = j - (n - directNR)
			j = n - directNR
			bp = g.b[j:]
		default:
			bp = g.b[j:]
		}
		for pc := 0; pc < k; pc += g.kc {
			kb := min(g.kc, k-pc)
			var beta float32
			if pc > 0 || g.beta1 {
				beta = 1
			}
			for i0 := 0; i0 < m; i0 += directMR {
				i, rowSkip := i0, 0
				if i0+directMR > m {
					i = m - directMR
					rowSkip = i0 - i
				}
				g.kern(kb, &g.a[i*g.lda+pc], g.lda, &bp[pc*ldb], ldb, &g.c[i*g.ldc+j], g.ldc, 1, beta, rowSkip, colSkip, colEnd)
			}
		}
	}
}
