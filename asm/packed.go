package asm

import "fmt"

// PackedB is the right-hand operand op(B) of C = A·op(B) prepared once for
// many Sgemm calls, e.g. FullyConnected weights (stored n×k) at bind time:
// a k×n row-major copy, which the small-M path streams by rows without
// transposing per call (rows zero-padded to whole 64-column strips). Results are bit-identical to Sgemm on the original
// operand (every path rounds each element of C the same way, whatever its
// layout), so packing is purely a speed choice.
type PackedB struct {
	k, n int
	ld   int // row stride: n rounded up to 64 columns, zero-padded
	b    []float32
}

// PackB copies op(B) (k×n; b stored n×k with row stride ldb when transB,
// else k×n) into a PackedB. It panics, like slice indexing, when b is too
// short.
func PackB(transB bool, k, n int, b []float32, ldb int) *PackedB {
	if k < 0 || n < 0 {
		panic(fmt.Sprintf("asm.PackB: negative dimension k=%d n=%d", k, n))
	}
	ld := max((n+63)/64*64, 1)
	p := &PackedB{k: k, n: n, ld: ld, b: make([]float32, k*ld)}
	if k == 0 || n == 0 {
		return p
	}
	if transB {
		checkSgemm(false, true, 1, n, k, make([]float32, k), k, b, ldb, make([]float32, n), n)
		transposeInto(p.b, ld, b, ldb, n, k, nil, nil)
		return p
	}
	checkSgemm(false, false, 1, n, k, make([]float32, k), k, b, ldb, make([]float32, n), n)
	for r := range k {
		copy(p.b[r*ld:r*ld+n], b[r*ldb:r*ldb+n])
	}
	return p
}

// K returns the inner dimension of the packed operand.
func (p *PackedB) K() int { return p.k }

// N returns the number of columns of the packed operand.
func (p *PackedB) N() int { return p.n }

// SgemmPacked is SgemmThreads with op(B) given as a PackedB: C = alpha·op(A)·B
// + beta·C, op(A) m×k, C m×n (row stride ldc). The result is bit-identical
// to SgemmThreads on the operand b was packed from.
func SgemmPacked(threads int, transA bool, m int, alpha float32, a []float32, lda int, b *PackedB, beta float32, c []float32, ldc int) {
	SgemmThreads(threads, transA, false, m, b.n, b.k, alpha, a, lda, b.b, b.ld, beta, c, ldc)
}
