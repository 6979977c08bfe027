package asm

import (
	"fmt"
	"runtime"
	"sync/atomic"

	"github.com/mxgo/mxgo/internal/parallel"
)

// threads is the default goroutine count for Sgemm (0: GOMAXPROCS).
var threads atomic.Int32

// SetThreads sets the number of goroutines Sgemm uses by default; n <= 0
// restores the default, GOMAXPROCS.
func SetThreads(n int) {
	if n < 0 {
		n = 0
	}
	threads.Store(int32(n))
}

// Threads returns the number of goroutines Sgemm uses by default.
func Threads() int {
	if n := int(threads.Load()); n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C on row-major matrices, where
// op(X) is X or its transpose: op(A) is m×k, op(B) is k×n and C is m×n.
// lda, ldb and ldc are the row strides (elements) of A, B and C as stored.
// FullyConnected (weights stored [n,k]) is Sgemm(false, true, ...).
//
// When beta is 0, C is not read (NaNs in C do not propagate), as in BLAS.
// It uses Threads() goroutines; see SgemmThreads.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	SgemmThreads(Threads(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// SgemmThreads is Sgemm with an explicit goroutine count (values < 1 mean 1).
// It panics, like slice indexing, when a slice is too short for its
// dimensions and stride.
func SgemmThreads(threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkSgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	sgemmImpl(threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue{}, nil)
}

// SgemmBiasReLU is SgemmThreads followed by C[i][j] += bias[j] (bias nil:
// none; else at least n long) and then, when relu, C[i][j] = max(C[i][j],
// 0), each done by the goroutine that computed that part of C while it is
// in cache: the FullyConnected epilogue. The results are bit-identical to
// SgemmThreads followed by AddBias and Relu.
func SgemmBiasReLU(threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, bias []float32, relu bool) {
	checkSgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	var epi epilogue
	if bias != nil {
		epi.bias = bias[:n]
	}
	epi.relu = relu
	sgemmImpl(threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epi, nil)
}

// A narrow product (n <= swapMaxN, m >= swapMinM, e.g. a FullyConnected
// classifier layer) fills few of a micro-tile's columns; its transpose
// Cᵀ = op(B)ᵀ·op(A)ᵀ fills them with rows of A instead. With alpha = 1
// and beta = 0 every element is still the same chains of the same
// products (FMA is symmetric in its factors) stored the same way, so the
// bits do not change (batch invariance holds).
const (
	swapMaxN = 16
	swapMinM = 32
)

// swapBufs holds sgemmSwapped's Cᵀ.
var swapBufs parallel.FreeList[[]float32]

// sgemmSwapped computes C = op(A)·op(B) (alpha 1, beta 0) as the blocked
// Cᵀ = op(B)ᵀ·op(A)ᵀ into a buffer, then transposes it into C.
func sgemmSwapped(kern sgemmKernel, threads int, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	bufp := swapBufs.Get()
	if cap(*bufp) < n*m {
		*bufp = make([]float32, n*m)
	}
	t := (*bufp)[:n*m]
	// op(B)ᵀ is B read transposed (or not, when transB); op(A)ᵀ likewise.
	sgemmBlocked(kern, threads, !transB, !transA, n, m, k, 1, b, ldb, a, lda, 0, t, m)
	for i := range m {
		ci := c[i*ldc : i*ldc+n]
		for j := range ci {
			ci[j] = t[j*m+i]
		}
	}
	swapBufs.Put(bufp)
}

// epilogue is the elementwise work SgemmBiasReLU does after the product.
type epilogue struct {
	bias []float32 // nil: none
	relu bool
}

func (e *epilogue) on() bool { return e.bias != nil || e.relu }

// apply runs the epilogue on rows [i0, i1) and columns [j0, j1) of C.
func (e *epilogue) apply(c []float32, ldc, i0, i1, j0, j1 int) {
	if j0 >= j1 {
		return
	}
	for i := i0; i < i1; i++ {
		row := c[i*ldc+j0 : i*ldc+j1]
		if e.bias != nil {
			Add(row, row, e.bias[j0:j1])
		}
		if e.relu {
			Relu(row, row)
		}
	}
}

// sgemmImpl runs C = alpha·op(A)·op(B) + beta·C with the selected kernels
// (arguments checked, m and n > 0). It is where Sgemm chooses between its
// paths (the table in the package doc): the small-M path (gemv_sliced.go),
// the direct path (sgemm_direct.go) and the packed, blocked path
// (sgemm_block.go).
//
// The epilogue epi runs inside the blocked, direct and small-M paths (per
// goroutine, on the part of C it computed), after the others. panels, when
// not nil, is B packed by PackPanels, which the blocked, direct and small-M
// paths read if it matches.
func sgemmImpl(threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, epi epilogue, panels []float32) {
	threads = max(threads, 1)
	sel := &sgemmSel
	// B's panels as the direct path's kernel can read them, when it can.
	var pre []float32
	kc, _, nc := sel.kern.blocks()
	nc = blockSize(n, nc, sel.kern.nr)
	if panels != nil && sel.kern.direct.panels && !transB {
		pre = panelsFor(panels, k, n, sel.kern.nr, blockSize(k, kc, 1), nc)
	}
	dm := directMode(&sel.kern.direct, transA, transB, pre != nil, alpha, m, n, k, kc)
	switch {
	case k == 0:
		scaleC(c, ldc, m, n, beta)
	case sel.kern.narrow.fn != nil && alpha == 1 && !transA && n <= narrowMaxN:
		sgemmNarrow(sel.kern.narrow, kc, threads, transB, m, n, k, a, lda, b, ldb, beta, c, ldc, epi, panels)
		return
	case m <= gemvMaxM && sel.sliced.chunk2 != nil:
		sgemmSlicedSmallM(sel.sliced, kc, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epi, panels)
		return
	case dm != directOff:
		sgemmDirect(dm, sel.kern.direct, kc, nc, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epi, pre, pre != nil && panelsFinite(panels))
		return
	case alpha == 1 && beta == 0 && n <= swapMaxN && m >= swapMinM:
		sgemmSwapped(sel.kern, threads, transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	default:
		sgemmBlockedEpi(sel.kern, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epi, panels)
		return
	}
	if epi.on() {
		epi.apply(c, ldc, 0, m, 0, n)
	}
}

// checkSgemm panics with a clear message on inconsistent arguments.
func checkSgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("asm.Sgemm: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	need := func(name string, rows, cols, ld, have int) {
		if rows == 0 || cols == 0 {
			return
		}
		if ld < cols {
			panic(fmt.Sprintf("asm.Sgemm: %s stride %d < row length %d", name, ld, cols))
		}
		if want := (rows-1)*ld + cols; have < want {
			panic(fmt.Sprintf("asm.Sgemm: %s has %d elements, need %d", name, have, want))
		}
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	need("A", ar, ac, lda, len(a))
	need("B", br, bc, ldb, len(b))
	need("C", m, n, ldc, len(c))
}

// sgemmReference is the pure-Go reference and the test oracle: it scales C
// by beta, then adds alpha·op(A)·op(B) row by row with an axpy inner loop.
func sgemmReference(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := range m {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
		} else if beta != 1 {
			for j := range ci {
				ci[j] *= beta
			}
		}
		for p := range k {
			var av float32
			if transA {
				av = a[p*lda+i]
			} else {
				av = a[i*lda+p]
			}
			av *= alpha
			if transB {
				for j := range ci {
					ci[j] += av * b[j*ldb+p]
				}
			} else {
				bp := b[p*ldb : p*ldb+n]
				for j, bv := range bp {
					ci[j] += av * bv
				}
			}
		}
	}
}
