package asm

import (
	"sync"

	"github.com/mxgo/mxgo/internal/parallel"
)

// gemvMaxM is the largest m that takes the small-M path: with few rows of
// A, Sgemm is memory-bound on B (the weights), so it streams B once instead
// of packing it.
const gemvMaxM = 8

// gemvNTFunc adds a·wᵀ to C: c[i*ldc+j] += Σ_p a[i*k+p]·w[j*ldw+p] for
// i < m, j < n, where a is m×k and contiguous (alpha applied) and w is
// stored n×k (FullyConnected weights).
type gemvNTFunc func(m, n, k int, a, w []float32, ldw int, c []float32, ldc int)

// gemvNNFunc adds a·b to C: c[i*ldc+j] += Σ_p a[i*k+p]·b[p*ldb+j] for
// i < m, j < n, where a is m×k and contiguous (alpha applied) and b is
// stored k×n.
type gemvNNFunc func(m, n, k int, a, b []float32, ldb int, c []float32, ldc int)

// gemvPair is one implementation's small-M kernels.
type gemvPair struct {
	nt gemvNTFunc
	nn gemvNNFunc
	// sliced, when set, is the invariant small-M path's kernel
	// (gemv_sliced.go).
	sliced slicedNN
}

// gemvJob is one small-M call; goroutines split the columns of C.
type gemvJob struct {
	sel     sgemmFuncs
	threads int
	transB  bool
	m, n, k int
	ap      []float32 // op(A)·alpha, m×k contiguous
	b, c    []float32
	ldb     int
	ldc     int
	beta    float32
	wg      sync.WaitGroup
}

var gemvJobs parallel.FreeList[gemvJob]

// sgemvSmallM computes Sgemm for m <= gemvMaxM: it copies op(A)·alpha into
// a contiguous buffer, then each goroutine scales its columns of C by beta
// and streams its part of B once.
func sgemvSmallM(sel sgemmFuncs, threads int, transA bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, transB bool, beta float32, c []float32, ldc int) {
	g := gemvJobs.Get()
	ap := g.ap
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
	// Below ~256 KiB of B one goroutine is faster than waking another.
	if n*k < 1<<16 {
		threads = 1
	}
	threads = min(threads, max(n/32, 1))
	*g = gemvJob{sel: sel, threads: threads, transB: transB, m: m, n: n, k: k,
		ap: ap, b: b, c: c, ldb: ldb, ldc: ldc, beta: beta}
	parallel.RunWG(threads, g, &g.wg)
	g.b, g.c = nil, nil
	gemvJobs.Put(g)
}

// run computes columns [lo, hi) of C, lo and hi multiples of 32 except at n.
func (g *gemvJob) Run(tid int) {
	blocks := (g.n + 31) / 32
	lo, hi := share(blocks, tid, g.threads)
	lo, hi = lo*32, min(hi*32, g.n)
	if lo >= hi {
		return
	}
	w := hi - lo
	cc := g.c[lo:]
	scaleC(cc, g.ldc, g.m, w, g.beta)
	if g.transB {
		g.sel.gemvNT(g.m, w, g.k, g.ap, g.b[lo*g.ldb:], g.ldb, cc, g.ldc)
	} else {
		g.sel.gemvNN(g.m, w, g.k, g.ap, g.b[lo:], g.ldb, cc, g.ldc)
	}
}

// gemvNTWith returns a gemvNTFunc built on a dot-product kernel: one pass
// over the rows of w, each dotted with every row of a while it is in cache.
func gemvNTWith(dot func(x, y []float32) float32) gemvNTFunc {
	return func(m, n, k int, a, w []float32, ldw int, c []float32, ldc int) {
		for j := range n {
			wj := w[j*ldw : j*ldw+k]
			for i := range m {
				c[i*ldc+j] += dot(a[i*k:i*k+k], wj)
			}
		}
	}
}

// gemvNTGeneric is the pure-Go gemvNTFunc.
var gemvNTGeneric = gemvNTWith(dotGeneric)

// dotGeneric returns Σ x[i]·y[i] with four partial sums; len(y) >= len(x).
func dotGeneric(x, y []float32) float32 {
	var s0, s1, s2, s3 float32
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// gemvNNWith returns a gemvNNFunc built on an axpy kernel: for strips of
// 256 columns it streams the strip of b row by row, adding it into every
// row of C.
func gemvNNWith(axpy func(dst, x []float32, a float32)) gemvNNFunc {
	return func(m, n, k int, a, b []float32, ldb int, c []float32, ldc int) {
		const strip = 256
		for j0 := 0; j0 < n; j0 += strip {
			w := min(strip, n-j0)
			for p := range k {
				bp := b[p*ldb+j0 : p*ldb+j0+w]
				for i := range m {
					axpy(c[i*ldc+j0:i*ldc+j0+w], bp, a[i*k+p])
				}
			}
		}
	}
}

// gemvNNGeneric is the pure-Go gemvNNFunc.
var gemvNNGeneric = gemvNNWith(axpyGeneric)

// axpyGeneric sets dst[j] += a·x[j].
func axpyGeneric(dst, x []float32, a float32) {
	x = x[:len(dst)]
	for j, v := range x {
		dst[j] += a * v
	}
}
