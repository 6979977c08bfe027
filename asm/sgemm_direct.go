package asm

import (
	"sync"
	"unsafe"
)

// The direct path computes small C = alpha·A·B + beta·C (both untransposed)
// with no packing: a 6×16 kernel reads A's rows and B's rows in place. For
// problems whose operands sit in L1/L2 the packing and barriers of the
// blocked path cost more than the unit-stride panels save.
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
// for rowSkip <= i < 6, colSkip <= j < 16 (k > 0, skips below 6 and 16):
// an edge tile overlapping its neighbours leaves their part alone (neither
// reads nor writes it). beta = 0 does not read c.
type directFunc func(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip int)

// directGeneric is the pure-Go directFunc, the model for the assembly.
func directGeneric(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip int) {
	as := unsafe.Slice(a, 5*lda+k)
	bs := unsafe.Slice(b, (k-1)*ldb+directNR)
	cs := unsafe.Slice(c, 5*ldc+directNR)
	for i := rowSkip; i < directMR; i++ {
		var acc [directNR]float32
		for p := range k {
			av := as[i*lda+p]
			for j, bv := range bs[p*ldb : p*ldb+directNR] {
				acc[j] += av * bv
			}
		}
		cr := cs[i*ldc : i*ldc+directNR]
		for j := colSkip; j < directNR; j++ {
			v := acc[j] * alpha
			if beta != 0 {
				v += beta * cr[j]
			}
			cr[j] = v
		}
	}
}

// useDirect reports whether an untransposed call takes the direct path.
func useDirect(kern directFunc, m, n, k int) bool {
	return kern != nil && m >= directMR && n >= directNR && k <= directMaxK && m*n*k <= directMaxWork
}

// directJob is one direct-path call; goroutines split the 16-column
// panels of C.
type directJob struct {
	kern          directFunc
	threads       int
	m, n, k       int
	alpha, beta   float32
	a, b, c       []float32
	lda, ldb, ldc int
	wg            sync.WaitGroup
}

var directJobs = sync.Pool{New: func() any { return new(directJob) }}

// sgemmDirect runs the direct path (useDirect true, arguments checked).
func sgemmDirect(kern directFunc, threads, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	np := (n + directNR - 1) / directNR
	threads = min(threads, np)
	if m*n*k < 96*96*96 {
		threads = 1
	}
	g := directJobs.Get().(*directJob)
	*g = directJob{kern: kern, threads: threads, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc}
	runParallel(threads, g, &g.wg)
	g.a, g.b, g.c = nil, nil, nil
	directJobs.Put(g)
}

// run computes goroutine tid's column panels, each down all rows of C. A
// last partial panel (or row tile) is computed over the last 16 columns
// (6 rows) of C, storing only the part not already done.
func (g *directJob) run(tid int) {
	m, n, k := g.m, g.n, g.k
	lo, hi := share((n+directNR-1)/directNR, tid, g.threads)
	for jp := lo; jp < hi; jp++ {
		j := jp * directNR
		colSkip := 0
		if j+directNR > n {
			colSkip = j - (n - directNR)
			j = n - directNR
		}
		bp := &g.b[j]
		for i0 := 0; i0 < m; i0 += directMR {
			i, rowSkip := i0, 0
			if i0+directMR > m {
				i = m - directMR
				rowSkip = i0 - i
			}
			g.kern(k, &g.a[i*g.lda], g.lda, bp, g.ldb, &g.c[i*g.ldc+j], g.ldc, g.alpha, g.beta, rowSkip, colSkip)
		}
	}
}
