package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// dotDims returns dot's matrix view: lhs as (m, k) — all but its last dim
// by the last, or with transpose_a its first dim (k) by the rest (m) — and
// rhs as (k, n) — its first dim by the rest, or with transpose_b all but
// its last dim (n) by the last (k).
func dotDims(p *DotParam, lhs, rhs *tensor.Tensor) (m, n, k int, err error) {
	ll, rl := lhs.Len(), rhs.Len()
	if lhs.NDim() == 0 || rhs.NDim() == 0 {
		return 0, 0, 0, fmt.Errorf("dot: scalar operands are not supported")
	}
	if p.TransposeA {
		k = lhs.Dim(0)
	} else {
		k = lhs.Dim(lhs.NDim() - 1)
	}
	kr := rhs.Dim(0)
	if p.TransposeB {
		kr = rhs.Dim(rhs.NDim() - 1)
	}
	if k != kr {
		return 0, 0, 0, fmt.Errorf("dot: lhs %s and rhs %s disagree on the reduced dim", lhs, rhs)
	}
	if k == 0 {
		return 0, 0, 0, nil
	}
	return ll / k, rl / k, k, nil
}

// dotForward is dot: one Sgemm on the matrix views (1-D operands are
// vectors, so vec·vec gives a 1-element output).
func dotForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*DotParam)
	if err := float32Only("dot", in, out); err != nil {
		return err
	}
	m, n, k, err := dotDims(p, in[0], in[1])
	if err != nil {
		return err
	}
	y := out[0].Float32s()
	if k == 0 { // empty contraction: zeros of the inferred output shape
		clear(y)
		return nil
	}
	if m*n != len(y) {
		return fmt.Errorf("dot: output %s does not match %s·%s", out[0], in[0], in[1])
	}
	lda, ldb := k, n
	if p.TransposeA {
		lda = m
	}
	if p.TransposeB {
		ldb = k
	}
	asm.SgemmThreads(ctx.Threads, p.TransposeA, p.TransposeB, m, n, k, 1, in[0].Float32s(), lda, in[1].Float32s(), ldb, 0, y, n)
	return nil
}

// batchDotForward is batch_dot: one Sgemm per batch of (..., M, K)·(...,
// K, N) operands with optional transposes of either; every leading dim is
// a batch dim (MXNet 1.x accepts only 3-D operands, 2.0 any rank >= 3).
func batchDotForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*DotParam)
	if err := float32Only("batch_dot", in, out); err != nil {
		return err
	}
	a, b, y := in[0], in[1], out[0]
	nd := y.NDim()
	if nd < 3 || a.NDim() != nd || b.NDim() != nd {
		return fmt.Errorf("batch_dot: operands must have the same rank >= 3, got %s and %s", a, b)
	}
	m, n := y.Dim(nd-2), y.Dim(nd-1)
	k := a.Dim(nd - 1)
	if p.TransposeA {
		k = a.Dim(nd - 2)
	}
	as, bs, ys := a.Float32s(), b.Float32s(), y.Float32s()
	if m*n == 0 {
		return nil
	}
	batch := len(ys) / (m * n)
	if len(as) != batch*m*k || len(bs) != batch*k*n {
		return fmt.Errorf("batch_dot: %s and %s do not give output %s", a, b, y)
	}
	if k == 0 {
		clear(ys)
		return nil
	}
	lda, ldb := k, n
	if p.TransposeA {
		lda = m
	}
	if p.TransposeB {
		ldb = k
	}
	for i := range batch {
		asm.SgemmThreads(ctx.Threads, p.TransposeA, p.TransposeB, m, n, k, 1,
			as[i*m*k:(i+1)*m*k], lda, bs[i*k*n:(i+1)*k*n], ldb, 0, ys[i*m*n:(i+1)*m*n], n)
	}
	return nil
}

// embeddingForward looks up rows of weight: each index is truncated toward
// zero and clipped to [0, input_dim-1], as MXNet's Take with clip mode does.
func embeddingForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	if err := float32Only("Embedding", in[1:], out); err != nil {
		return err
	}
	idx, w, y := in[0], in[1].Float32s(), out[0].Float32s()
	rows, dim := in[1].Dim(0), in[1].Dim(1)
	for i := range idx.Len() {
		r := int(idx.Float64At(i))
		r = min(max(r, 0), rows-1)
		copy(y[i*dim:(i+1)*dim], w[r*dim:(r+1)*dim])
	}
	return nil
}
