package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// fullyConnectedForward computes y = x·Wᵀ + b with x viewed as (M, K): M the
// batch and K the flattened rest (flatten=true), or M the product of all
// but the last dim (flatten=false). One asm.SgemmBiasReLU call (nt layout,
// or nn with the executor's transposed weight) adds the bias, and applies
// ReLU for a fused FullyConnected+ReLU, as its goroutines finish each part
// of the output; a cancellable call is cut into blocks (sgemmCtx) and
// finished in one pass after. Each output rounds the same whatever the
// batch (asm's batch invariance).
func fullyConnectedForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*FullyConnectedParam)
	if err := float32Only("FullyConnected", in, out); err != nil {
		return err
	}
	x, w, y := in[0].Float32s(), in[1].Float32s(), out[0].Float32s()
	n, k := p.NumHidden, in[1].Dim(1)
	var panels []float32
	if p.weightLD > 0 {
		// The transposed weight, (K, weightLD), then (optionally) more
		// rows holding it packed by asm.PackPanels.
		k = fcInputK(p, in[0])
		if in[1].NDim() != 2 || in[1].Dim(1) != p.weightLD || p.weightLD < n || in[1].Dim(0) < k {
			return fmt.Errorf("transposed weight %s does not match num_hidden %d, K %d and row stride %d", in[1], n, k, p.weightLD)
		}
		panels, w = w[k*p.weightLD:], w[:k*p.weightLD]
	}
	if k == 0 || n == 0 {
		clear(y)
		if !p.NoBias && n > 0 {
			asm.AddBias(y, len(y)/n, n, n, in[2].Float32s())
		}
		return nil
	}
	m := len(x) / k
	if m*k != len(x) || m*n != len(y) {
		return fmt.Errorf("data %s does not match weight %s and output %s", in[0], in[1], out[0])
	}
	transB, ldb := true, k
	if p.weightLD > 0 {
		transB, ldb = false, p.weightLD
	}
	var bias []float32
	if !p.NoBias {
		bias = in[2].Float32s()
		if len(bias) < n {
			return fmt.Errorf("bias %s does not match num_hidden %d", in[2], n)
		}
	}
	if !ctx.cancellable() || workspaceSize(2, m, n, k) <= sgemmChunkFlops {
		// Bias and ReLU applied by the product's goroutines while each
		// part of the output is in cache.
		if len(panels) > 0 {
			asm.SgemmBiasReLUPanels(ctx.Threads, m, n, k, x, k, w, ldb, panels, y, n, bias, p.relu)
		} else {
			asm.SgemmBiasReLU(ctx.Threads, false, transB, m, n, k, 1, x, k, w, ldb, 0, y, n, bias, p.relu)
		}
		return ctx.Err()
	}
	if workspaceSize(2, fcRowBlock, n, k) <= fcBlockChunks*sgemmChunkFlops {
		mb := max(fcRowBlock, fcBlockChunks*sgemmChunkFlops/max(2*n*k, 1))
		mb = (m + (m+mb-1)/mb - 1) / ((m + mb - 1) / mb) // balanced blocks
		// Blocks of whole rows, the context checked between them: each
		// block keeps the fused bias and ReLU and reads the weights'
		// panels (the rows of a sample round the same in any block).
		for i := 0; i < m; i += mb {
			if err := ctx.Err(); err != nil {
				return err
			}
			r := min(mb, m-i)
			if len(panels) > 0 {
				asm.SgemmBiasReLUPanels(ctx.Threads, r, n, k, x[i*k:], k, w, ldb, panels, y[i*n:], n, bias, p.relu)
			} else {
				asm.SgemmBiasReLU(ctx.Threads, false, transB, r, n, k, 1, x[i*k:], k, w, ldb, 0, y[i*n:], n, bias, p.relu)
			}
		}
		return ctx.Err()
	}
	if err := sgemmCtx(ctx, ctx.Threads, false, transB, m, n, k, 1, x, k, w, ldb, 0, y, n); err != nil {
		return err
	}
	if bias != nil {
		asm.AddBias(y, m, n, n, bias)
	}
	if p.relu {
		asm.Relu(y, y)
	}
	return nil
}

// A cancellable FullyConnected computes blocks of whole rows of up to
// fcBlockChunks times sgemmChunkFlops (well under a millisecond) between
// context checks, at least fcRowBlock rows (layers where that many rows
// are more work are cut into column blocks too). Smaller blocks pack the
// A panels of more partial row tiles: blocks of 64 rows made a batch-128
// MLP 1.12x slower than one call.
const (
	fcRowBlock    = 64
	fcBlockChunks = 8
)

// fcInputK is the K of FullyConnected's data x: the product of all dims
// but the first (flatten), else the last dim.
func fcInputK(p *FullyConnectedParam, x *tensor.Tensor) int {
	if x.NDim() == 0 {
		return 1
	}
	if !p.Flatten {
		return x.Dim(x.NDim() - 1)
	}
	k := 1
	for i := 1; i < x.NDim(); i++ {
		k *= x.Dim(i)
	}
	return k
}
