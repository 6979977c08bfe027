package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// deconvolutionBackward is Deconvolution's gradient [src/operator/nn/
// deconvolution-inl.h Backward]: with dcol the im2col matrix of dy (the
// forward's column geometry), per sample and group dx = W·dcol (a
// convolution of dy), dW += x·dcolᵀ, and db = Σ dy over batch and space.
// Groups, stride, dilate, pad (or target_shape) and adj follow the
// forward geometry.
func deconvolutionBackward(ctx *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*DeconvolutionParam)
	if p.Layout.Value.ChannelLast() {
		return fmt.Errorf("Deconvolution backward: layout %s not supported", p.Layout.Value)
	}
	if err := float32Grads("Deconvolution", in, outGrad, inGrad); err != nil {
		return err
	}
	x, dy := in[0], outGrad[0]
	g, err := newDeconvDims(p, x, dy)
	if err != nil {
		return fmt.Errorf("Deconvolution backward: %w", err)
	}
	var dx, dw []float32
	if inGrad[0] != nil {
		dx = inGrad[0].Float32s()
	}
	if inGrad[1] != nil {
		dw = inGrad[1].Float32s()
	}
	if err := deconvBackwardRun(ctx, &g, x.Float32s(), in[1].Float32s(), dy.Float32s(), dx, dw, req[0], req[1]); err != nil {
		return fmt.Errorf("Deconvolution backward: %w", err)
	}
	if !p.NoBias && len(inGrad) > 2 && inGrad[2] != nil {
		db := inGrad[2].Float32s()
		ys := g.inSize()
		d := dy.Float32s()
		if len(db) != g.f {
			return fmt.Errorf("Deconvolution backward: bias gradient has %d elements, want %d", len(db), g.f)
		}
		if req[2] == GradWrite {
			clear(db)
		}
		for n := range g.n {
			for f := range g.f {
				var s float32
				for _, v := range d[(n*g.f+f)*ys : (n*g.f+f+1)*ys] {
					s += v
				}
				db[f] += s
			}
		}
	}
	return nil
}

// deconvBackwardRun computes the data (dx, when not nil) and weight (dw)
// gradients of a deconvolution of geometry g (see newDeconvDims) from dy,
// with ctx.Scratch as the column matrix of dy.
func deconvBackwardRun(ctx *Ctx, g *convDims, xd, wd, dy, dx, dw []float32, reqX, reqW GradReq) error {
	cg, fg := g.c/g.groups, g.f/g.groups
	rows := fg * g.kSize()
	xs, ys := g.outSize(), g.inSize()
	if len(xd) != g.n*g.c*xs || len(wd) != g.c*rows || len(dy) != g.n*g.f*ys ||
		(dx != nil && len(dx) != len(xd)) || (dw != nil && len(dw) != len(wd)) {
		return fmt.Errorf("tensor sizes do not match the geometry")
	}
	if dx == nil && dw == nil {
		return nil
	}
	if len(ctx.Scratch) < rows*xs {
		return fmt.Errorf("scratch has %d floats, need %d", len(ctx.Scratch), rows*xs)
	}
	dcol := ctx.Scratch[:rows*xs]
	if dw != nil && reqW == GradWrite {
		clear(dw)
	}
	threads := max(ctx.Threads, 1)
	for n := range g.n {
		for gi := range g.groups {
			if err := convIm2col(ctx, g, fg, dy[(n*g.f+gi*fg)*ys:(n*g.f+(gi+1)*fg)*ys], dcol); err != nil {
				return err
			}
			wg := wd[gi*cg*rows : (gi+1)*cg*rows]
			xo := (n*g.c + gi*cg) * xs
			if dx != nil {
				if err := sgemmCtx(ctx, threads, false, false, cg, xs, rows, 1, wg, rows, dcol, xs, betaFor(reqX), dx[xo:xo+cg*xs], xs); err != nil {
					return err
				}
			}
			if dw != nil {
				if err := sgemmCtx(ctx, threads, false, true, cg, rows, xs, 1, xd[xo:xo+cg*xs], xs, dcol, xs, 1, dw[gi*cg*rows:(gi+1)*cg*rows], rows); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
