package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// dotGrads computes the gradients of C = op(A)·op(B) (A m×k or k×m with
// transA, B k×n or n×k with transB) for one matrix pair.
func dotGrads(ctx *Ctx, transA, transB bool, m, n, k int, a, b, dc, da, db []float32, reqA, reqB GradReq) error {
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	if da != nil {
		var err error
		if !transA { // dA = dC·op(B)ᵀ
			err = sgemmCtx(ctx, ctx.Threads, false, !transB, m, k, n, 1, dc, n, b, ldb, betaFor(reqA), da, k)
		} else { // dA = op(B)·dCᵀ
			err = sgemmCtx(ctx, ctx.Threads, transB, true, k, m, n, 1, b, ldb, dc, n, betaFor(reqA), da, m)
		}
		if err != nil {
			return err
		}
	}
	if db != nil {
		if !transB { // dB = op(A)ᵀ·dC
			return sgemmCtx(ctx, ctx.Threads, !transA, false, k, n, m, 1, a, lda, dc, n, betaFor(reqB), db, n)
		}
		// dB = dCᵀ·op(A)
		return sgemmCtx(ctx, ctx.Threads, true, transA, n, k, m, 1, dc, n, a, lda, betaFor(reqB), db, k)
	}
	return nil
}

func gradData(t *tensor.Tensor) []float32 {
	if t == nil {
		return nil
	}
	return t.Float32s()
}

// dotBackward is dot's gradient [src/operator/tensor/dot-inl.h]: with A
// and B viewed as matrices as the forward does, dA = dC·op(B)ᵀ (or its
// transpose) and dB = op(A)ᵀ·dC (or its transpose).
func dotBackward(ctx *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*DotParam)
	if err := float32Grads("dot", in, outGrad, inGrad); err != nil {
		return err
	}
	m, n, k, err := dotDims(p, in[0], in[1])
	if err != nil {
		return fmt.Errorf("dot backward: %w", err)
	}
	if k == 0 {
		zeroGrad(req[0], inGrad[0])
		zeroGrad(req[1], inGrad[1])
		return nil
	}
	return dotGrads(ctx, p.TransposeA, p.TransposeB, m, n, k, in[0].Float32s(), in[1].Float32s(), outGrad[0].Float32s(),
		gradData(inGrad[0]), gradData(inGrad[1]), req[0], req[1])
}

// batchDotBackward is batch_dot's gradient: dot's per batch element.
func batchDotBackward(ctx *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*DotParam)
	if err := float32Grads("batch_dot", in, outGrad, inGrad); err != nil {
		return err
	}
	a, b := in[0], in[1]
	if a.NDim() < 3 || b.NDim() != a.NDim() {
		return fmt.Errorf("batch_dot backward: need operands of the same rank >= 3, got %s and %s", a, b)
	}
	nd := a.NDim()
	m, k := a.Dim(nd-2), a.Dim(nd-1)
	if p.TransposeA {
		m, k = k, m
	}
	n := b.Dim(nd - 1)
	if p.TransposeB {
		n = b.Dim(nd - 2)
	}
	batch := a.Len() / max(m*k, 1)
	if m*k == 0 || n == 0 {
		zeroGrad(req[0], inGrad[0])
		zeroGrad(req[1], inGrad[1])
		return nil
	}
	ad, bd, dc := a.Float32s(), b.Float32s(), outGrad[0].Float32s()
	da, db := gradData(inGrad[0]), gradData(inGrad[1])
	for i := range batch {
		var dai, dbi []float32
		if da != nil {
			dai = da[i*m*k : (i+1)*m*k]
		}
		if db != nil {
			dbi = db[i*k*n : (i+1)*k*n]
		}
		if err := dotGrads(ctx, p.TransposeA, p.TransposeB, m, n, k, ad[i*m*k:(i+1)*m*k], bd[i*k*n:(i+1)*k*n],
			dc[i*m*n:(i+1)*m*n], dai, dbi, req[0], req[1]); err != nil {
			return err
		}
	}
	return nil
}

// embeddingBackward is Embedding's gradient [src/operator/tensor/
// indexing_op.h]: the weight gradient adds each output row's gradient to
// the row its index selected (indices clipped to [0, input_dim) as the
// forward does); the indices get a zero gradient.
func embeddingBackward(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*EmbeddingParam)
	if err := float32Grads("Embedding", outGrad, inGrad[1:]); err != nil {
		return err
	}
	if g := inGrad[0]; g != nil && req[0] == GradWrite {
		for i := range g.Len() {
			g.SetFloat64At(i, 0)
		}
	}
	if inGrad[1] == nil {
		return nil
	}
	dw, dy := inGrad[1].Float32s(), outGrad[0].Float32s()
	d := int(p.OutputDim)
	if req[1] == GradWrite {
		clear(dw)
	}
	idx := in[0]
	if len(dy) != idx.Len()*d {
		return fmt.Errorf("Embedding backward: output gradient has %d elements, want %d", len(dy), idx.Len()*d)
	}
	rows := int(p.InputDim)
	for i := range idx.Len() {
		v := idx.Float64At(i)
		if math.IsNaN(v) {
			return fmt.Errorf("Embedding backward: index %d is NaN", i)
		}
		r := min(max(int(v), 0), rows-1)
		dst, src := dw[r*d:(r+1)*d], dy[i*d:(i+1)*d]
		for j, g := range src {
			dst[j] += g
		}
	}
	return nil
}
