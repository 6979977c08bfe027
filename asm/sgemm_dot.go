package asm

import (
	"sync"
	"unsafe"
)

// The dot path computes C = alpha·A·Wᵀ + beta·C for FullyConnected calls
// with few outputs (n < dotMaxN, e.g. a 10-class classifier): there the
// 16-column tiles of the blocked path are mostly padding. A kernel dots two
// rows of A with five rows of W at a time straight from the caller's
// memory, with no packing.
const dotMaxN = 16

// dotWBytes is the size of the block of W rows kept in L1 while the rows
// of A stream past it.
const dotWBytes = 24 << 10

// dot2x5Func writes the ten dot products of rows a0, a1 with rows w0..w4,
// all of length k > 0:
//
//	out[r*4+q] = a_r·w_q for r < 2, q < 4
//	out[8+r]   = a_r·w_4
type dot2x5Func func(k int, a0, a1, w0, w1, w2, w3, w4, out *float32)

// dot2x5Generic is the pure-Go dot2x5Func, the model for the assembly.
func dot2x5Generic(k int, a0, a1, w0, w1, w2, w3, w4, out *float32) {
	as := [2][]float32{unsafe.Slice(a0, k), unsafe.Slice(a1, k)}
	ws := [5][]float32{unsafe.Slice(w0, k), unsafe.Slice(w1, k), unsafe.Slice(w2, k), unsafe.Slice(w3, k), unsafe.Slice(w4, k)}
	o := unsafe.Slice(out, 10)
	for r, ar := range as {
		for q, wq := range ws {
			s := dotGeneric(ar, wq)
			if q < 4 {
				o[r*4+q] = s
			} else {
				o[8+r] = s
			}
		}
	}
}

// dotJob is one dot-path call; goroutines split the rows of A (in pairs).
type dotJob struct {
	kern          dot2x5Func
	threads       int
	m, n, k       int
	alpha, beta   float32
	a, w, c       []float32
	lda, ldw, ldc int
	// out holds each goroutine's kernel results (16 floats apart); it
	// lives here because a stack array passed to the kernel through a
	// func value would escape.
	out []float32
	wg  sync.WaitGroup
}

var dotJobs = sync.Pool{New: func() any { return new(dotJob) }}

// sgemmDotNT runs the dot path (m, n, k > 0, arguments checked).
func sgemmDotNT(kern dot2x5Func, threads, m, n, k int, alpha float32, a []float32, lda int, w []float32, ldw int, beta float32, c []float32, ldc int) {
	pairs := (m + 1) / 2
	threads = min(threads, max(pairs/4, 1))
	if m*n*k < 1<<20 {
		threads = 1
	}
	g := dotJobs.Get().(*dotJob)
	out := g.out
	if cap(out) < 16*threads {
		out = make([]float32, 16*threads)
	}
	*g = dotJob{kern: kern, threads: threads, m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: a, w: w, c: c, lda: lda, ldw: ldw, ldc: ldc, out: out}
	runParallel(threads, g, &g.wg)
	g.a, g.w, g.c = nil, nil, nil
	dotJobs.Put(g)
}

// run computes goroutine tid's rows of C: for each block of W rows that
// fits in L1, every pair of its rows of A against the whole block.
func (g *dotJob) run(tid int) {
	m, n, k := g.m, g.n, g.k
	lo, hi := share((m+1)/2, tid, g.threads)
	nbw := max(dotWBytes/(4*k)/5*5, 5)
	out := (*[10]float32)(g.out[16*tid:])
	for jb := 0; jb < n; jb += nbw {
		je := min(jb+nbw, n)
		for ip := lo; ip < hi; ip++ {
			i0 := 2 * ip
			i1 := min(i0+1, m-1)
			a0, a1 := &g.a[i0*g.lda], &g.a[i1*g.lda]
			for j := jb; j < je; j += 5 {
				// Rows past n repeat the last row; their results are dropped.
				wr := func(q int) *float32 { return &g.w[min(j+q, n-1)*g.ldw] }
				g.kern(k, a0, a1, wr(0), wr(1), wr(2), wr(3), wr(4), &out[0])
				cols := min(5, n-j)
				for r := range i1 - i0 + 1 {
					cr := g.c[(i0+r)*g.ldc+j : (i0+r)*g.ldc+j+cols]
					for q := range cr {
						s := out[8+r]
						if q < 4 {
							s = out[r*4+q]
						}
						s *= g.alpha
						if g.beta != 0 {
							s += g.beta * cr[q]
						}
						cr[q] = s
					}
				}
			}
		}
	}
}
