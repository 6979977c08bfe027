package asm

import (
	"sync"
	"unsafe"

	"github.com/mxgo/mxgo/internal/parallel"
)

// The dot path computes C = alpha·A·Wᵀ + beta·C for FullyConnected calls
// with few outputs (n < dotMaxN, e.g. a 10-class classifier), where the
// 16-column tiles of the blocked path are mostly padding, and for small
// batches (2 <= m <= gemvMaxM). A kernel dots two rows of A with five rows
// of W at a time straight from the caller's memory, with no packing, and
// applies alpha and beta as it stores.
const dotMaxN = 16

// dotWBytes is the size of the block of W rows kept in L1 while the rows
// of A stream past it.
const dotWBytes = 24 << 10

// dot2x5Func computes the ten dot products of rows a0, a1 with rows
// w0..w4 (all of length k > 0) and stores the first cols (1..5) of each
// row of results into C:
//
//	c_r[q] = alpha·(a_r·w_q) + beta·c_r[q] for r < 2, q < cols
//
// a1 and c1 may be nil (one row). beta = 0 does not read C.
type dot2x5Func func(k int, a0, a1, w0, w1, w2, w3, w4, c0, c1 *float32, cols int, alpha, beta float32)

// dot2x5Generic is the pure-Go dot2x5Func, the model for the assembly.
func dot2x5Generic(k int, a0, a1, w0, w1, w2, w3, w4, c0, c1 *float32, cols int, alpha, beta float32) {
	ws := [5][]float32{unsafe.Slice(w0, k), unsafe.Slice(w1, k), unsafe.Slice(w2, k), unsafe.Slice(w3, k), unsafe.Slice(w4, k)}
	for r, ac := range [2][2]*float32{{a0, c0}, {a1, c1}} {
		if ac[0] == nil || (r == 1 && ac[1] == nil) {
			continue
		}
		ar, cr := unsafe.Slice(ac[0], k), unsafe.Slice(ac[1], cols)
		for q := range cols {
			s := alpha * dotGeneric(ar, ws[q])
			if beta != 0 {
				s += beta * cr[q]
			}
			cr[q] = s
		}
	}
}

// dotArgs is one dot-path call.
type dotArgs struct {
	kern          dot2x5Func
	m, n, k       int
	alpha, beta   float32
	a, w, c       []float32
	lda, ldw, ldc int
}

// dotJob runs a dot-path call on several goroutines, which split the rows
// of A (in pairs) or, when there are few pairs, the rows of W (in fives).
type dotJob struct {
	args    dotArgs
	threads int
	splitN  bool
	wg      sync.WaitGroup
}

var dotJobs parallel.FreeList[dotJob]

// sgemmDotNT runs the dot path (m, n, k > 0, arguments checked).
func sgemmDotNT(kern dot2x5Func, threads, m, n, k int, alpha float32, a []float32, lda int, w []float32, ldw int, beta float32, c []float32, ldc int) {
	d := dotArgs{kern: kern, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, w: w, c: c, lda: lda, ldw: ldw, ldc: ldc}
	pairs, groups := (m+1)/2, (n+4)/5
	splitN := pairs < 4*threads
	if splitN {
		threads = min(threads, max(groups/4, 1))
	} else {
		threads = min(threads, pairs/4)
	}
	if threads <= 1 || m*n*k < 1<<20 {
		d.rows(0, pairs, 0, n)
		return
	}
	g := dotJobs.Get()
	g.args, g.threads, g.splitN = d, threads, splitN
	parallel.RunWG(threads, g, &g.wg)
	g.args = dotArgs{}
	dotJobs.Put(g)
}

func (g *dotJob) Run(tid int) {
	d := &g.args
	if g.splitN {
		lo, hi := share((d.n+4)/5, tid, g.threads)
		d.rows(0, (d.m+1)/2, 5*lo, min(5*hi, d.n))
		return
	}
	lo, hi := share((d.m+1)/2, tid, g.threads)
	d.rows(lo, hi, 0, d.n)
}

// rows computes row pairs [lo, hi) and columns [jlo, jhi) of C: for each
// block of W rows that fits in L1, every pair of rows of A against the
// whole block, five W rows per kernel call (past jhi the kernel reads other
// rows of W, or repeats the last one, and does not store their results).
func (d *dotArgs) rows(lo, hi, jlo, jhi int) {
	m, n, k := d.m, d.n, d.k
	nbw := max(dotWBytes/(4*k)/5*5, 5)
	for jb := jlo; jb < jhi; jb += nbw {
		je := min(jb+nbw, jhi)
		for ip := lo; ip < hi; ip++ {
			i0 := 2 * ip
			a0, c0 := &d.a[i0*d.lda], i0*d.ldc
			var a1 *float32
			if i0+1 < m {
				a1 = &d.a[(i0+1)*d.lda]
			}
			for j := jb; j < je; j += 5 {
				cols := min(5, je-j)
				// The kernel stores cols floats at c0 and c1 (bounds
				// checked here).
				_ = d.c[c0+j+cols-1]
				var c1 *float32
				if a1 != nil {
					_ = d.c[c0+d.ldc+j+cols-1]
					c1 = &d.c[c0+d.ldc+j]
				}
				d.kern(k, a0, a1, &d.w[j*d.ldw], &d.w[min(j+1, n-1)*d.ldw], &d.w[min(j+2, n-1)*d.ldw],
					&d.w[min(j+3, n-1)*d.ldw], &d.w[min(j+4, n-1)*d.ldw], &d.c[c0+j], c1, cols, d.alpha, d.beta)
			}
		}
	}
}
