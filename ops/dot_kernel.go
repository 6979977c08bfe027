package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// dotDims returns dot's matrix view: lhs as (m, k) — all but its last dim
// by the last, or with transpose_a its first dim (k) by the rest (m) — and
// rhs as (k, n) — its first dim by the rest, or with transpose_b all but
// its last dim (n) by the last (k).
func dotDims(p *DotParam, lhs, rhs *tensor.Tensor) (m, n, k int, err error) {
	ll, rl := lhs.Len(), rhs.Len()
	if lhs.NDim() == 0 || rhs.NDim() == 0 {
		return 0, 0, 0, fmt.Errorf("scalar operands are not supported")
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
		return 0, 0, 0, fmt.Errorf("lhs %s and rhs %s disagree on the reduced dim", lhs, rhs)
	}
	if k == 0 {
		return 0, 0, 0, nil
	}
	return ll / k, rl / k, k, nil
}

// dotForward is dot: one Sgemm on the matrix views (1-D operands are
// vectors, so vec·vec gives a 1-element output), in cancellable blocks
// (sgemmCtx).
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
	if k == 0 {
		clear(y)
		return nil
	}
	if m*n != len(y) {
		return fmt.Errorf("output %s does not match %s·%s", out[0], in[0], in[1])
	}
	lda, ldb := k, n
	if p.TransposeA {
		lda = m
	}
	if p.TransposeB {
		ldb = k
	}
	return sgemmCtx(ctx, ctx.Threads, p.TransposeA, p.TransposeB, m, n, k, 1, in[0].Float32s(), lda, in[1].Float32s(), ldb, 0, y, n)
}

// batchDotForward is batch_dot: one Sgemm per batch of operands
// (..., M, K)·(..., K, N), the batch being the product of all but the last
// two dims, with optional transposes of either.
func batchDotForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*DotParam)
	if err := float32Only("batch_dot", in, out); err != nil {
		return err
	}
	a, b, y := in[0], in[1], out[0]
	nd := y.NDim()
	if nd < 3 || a.NDim() != nd || b.NDim() != nd {
		return fmt.Errorf("operands must have the same rank >= 3, got %s and %s", a, b)
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
		return fmt.Errorf("%s·%s does not give %s", a, b, y)
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
		if err := sgemmCtx(ctx, ctx.Threads, p.TransposeA, p.TransposeB, m, n, k, 1,
			as[i*m*k:(i+1)*m*k], lda, bs[i*k*n:(i+1)*k*n], ldb, 0, ys[i*m*n:(i+1)*m*n], n); err != nil {
			return err
		}
	}
	return nil
}

// embeddingForward looks up rows of weight: each index is truncated toward
// zero and clipped to [0, input_dim-1], as MXNet's Take with clip mode does.
// Rows are copied as bytes, so every weight dtype works.
func embeddingForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	idx, wt, y := in[0], in[1], out[0]
	if wt.DType() != y.DType() {
		return fmt.Errorf("weight %s and output %s differ in dtype", wt, y)
	}
	if wt.NDim() != 2 {
		return fmt.Errorf("weight %s is not 2-D", wt)
	}
	rows, row := wt.Dim(0), wt.Dim(1)*wt.DType().Size()
	w, dst := wt.Bytes(), y.Bytes()
	if len(dst) != idx.Len()*row {
		return fmt.Errorf("output %s does not fit data %s", y, idx)
	}
	if rows == 0 {
		if len(dst) > 0 {
			return fmt.Errorf("empty weight %s", wt)
		}
		return nil
	}
	for i := range idx.Len() {
		v := idx.Float64At(i)
		r := 0
		switch {
		case v >= float64(rows-1):
			r = rows - 1
		case v > 0:
			r = int(v)
		}
		copy(dst[i*row:(i+1)*row], w[r*row:(r+1)*row])
	}
	return nil
}
