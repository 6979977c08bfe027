package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// fullyConnectedBackward is FullyConnected's gradient
// [src/operator/nn/fully_connected-inl.h FCBackward]: with x viewed as
// (M, K) and dy as (M, N), dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy.
func fullyConnectedBackward(ctx *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*FullyConnectedParam)
	if err := float32Grads("FullyConnected", in, outGrad, inGrad); err != nil {
		return err
	}
	x, w, dy := in[0].Float32s(), in[1].Float32s(), outGrad[0].Float32s()
	n, k := p.NumHidden, in[1].Dim(1)
	if k == 0 {
		return nil
	}
	m := len(x) / k
	if m*k != len(x) || m*n != len(dy) {
		return fmt.Errorf("FullyConnected backward: data %s does not match weight %s and output gradient %s", in[0], in[1], outGrad[0])
	}
	if g := inGrad[0]; g != nil {
		if err := sgemmCtx(ctx, ctx.Threads, false, false, m, k, n, 1, dy, n, w, k, betaFor(req[0]), g.Float32s(), k); err != nil {
			return err
		}
	}
	if g := inGrad[1]; g != nil {
		if err := sgemmCtx(ctx, ctx.Threads, true, false, n, k, m, 1, dy, n, x, k, betaFor(req[1]), g.Float32s(), k); err != nil {
			return err
		}
	}
	if !p.NoBias && len(inGrad) > 2 && inGrad[2] != nil {
		db := inGrad[2].Float32s()
		if req[2] == GradWrite {
			clear(db)
		}
		for r := range m {
			row := dy[r*n : (r+1)*n]
			for j, v := range row {
				db[j] += v
			}
		}
	}
	return nil
}
