package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// convBackwardWorkspace is the scratch of Convolution's backward pass: one
// group's im2col matrix and its gradient.
func convBackwardWorkspace(params any, in []Shape) int {
	p := params.(*ConvolutionParam)
	if !ShapeKnown(in[0]) || p.Layout.Value.ChannelLast() {
		return 0
	}
	out := make([]Shape, 1)
	shapes := []Shape{cloneShape(in[0]), nil, nil}
	if err := convolutionShape(p, shapes, out); err != nil || !ShapeKnown(out[0]) {
		return 0
	}
	d, o := in[0], out[0]
	g, err := newConvDims(&p.ConvGeometry, len(d), func(i int) int { return d[i] }, func(i int) int { return o[i] })
	if err != nil {
		return 0
	}
	return workspaceSize(2, g.c/g.groups, g.k[0], g.k[1], g.k[2], g.out[0], g.out[1], g.out[2])
}

// convolutionBackward is Convolution's gradient [src/operator/nn/
// convolution-inl.h BackwardImpl]: per sample and group, with col the
// im2col matrix of the input, dW += dy·colᵀ, dcol = Wᵀ·dy scattered back
// into dx (col2im), and db = Σ dy over batch and space. Groups and
// dilation follow the forward geometry.
func convolutionBackward(ctx *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*ConvolutionParam)
	if p.Layout.Value.ChannelLast() {
		return fmt.Errorf("Convolution backward: layout %s not supported", p.Layout.Value)
	}
	if err := float32Grads("Convolution", in, outGrad, inGrad); err != nil {
		return err
	}
	x, y := in[0], out[0]
	g, err := newConvDims(&p.ConvGeometry, x.NDim(), x.Dim, y.Dim)
	if err != nil {
		return err
	}
	xd, wd, dy := x.Float32s(), in[1].Float32s(), outGrad[0].Float32s()
	cg, fg := g.c/g.groups, g.f/g.groups
	kk := cg * g.kSize()
	is, os := g.inSize(), g.outSize()
	if len(xd) != g.n*g.c*is || len(wd) != g.f*kk || len(dy) != g.n*g.f*os {
		return fmt.Errorf("Convolution backward: tensor sizes do not match the geometry")
	}
	if len(ctx.Scratch) < 2*kk*os {
		return fmt.Errorf("Convolution backward: scratch has %d floats, need %d", len(ctx.Scratch), 2*kk*os)
	}
	col, dcol := ctx.Scratch[:kk*os], ctx.Scratch[kk*os:2*kk*os]
	var dx, dw []float32
	if inGrad[0] != nil {
		dx = inGrad[0].Float32s()
		if req[0] == GradWrite {
			clear(dx)
		}
	}
	if inGrad[1] != nil {
		dw = inGrad[1].Float32s()
		if req[1] == GradWrite {
			clear(dw)
		}
	}
	threads := max(ctx.Threads, 1)
	for n := range g.n {
		for gi := range g.groups {
			dyg := dy[(n*g.f+gi*fg)*os : (n*g.f+(gi+1)*fg)*os]
			if dw != nil {
				xg := xd[(n*g.c+gi*cg)*is : (n*g.c+(gi+1)*cg)*is]
				if err := convIm2col(ctx, &g, cg, xg, col); err != nil {
					return err
				}
				if err := sgemmCtx(ctx, threads, false, true, fg, kk, os, 1, dyg, os, col, os, 1, dw[gi*fg*kk:(gi+1)*fg*kk], kk); err != nil {
					return err
				}
			}
			if dx != nil {
				if err := sgemmCtx(ctx, threads, true, false, kk, os, fg, 1, wd[gi*fg*kk:(gi+1)*fg*kk], kk, dyg, os, 0, dcol, os); err != nil {
					return err
				}
				convCol2im(&g, cg, dcol, dx[(n*g.c+gi*cg)*is:(n*g.c+(gi+1)*cg)*is])
			}
		}
	}
	if !p.NoBias && len(inGrad) > 2 && inGrad[2] != nil {
		db := inGrad[2].Float32s()
		if req[2] == GradWrite {
			clear(db)
		}
		for n := range g.n {
			for f := range g.f {
				var s float32
				for _, v := range dy[(n*g.f+f)*os : (n*g.f+f+1)*os] {
					s += v
				}
				db[f] += s
			}
		}
	}
	return nil
}

// convCol2im adds the im2col-shaped gradient col back into the cg
// channels of dx (the transpose of convIm2col).
func convCol2im(g *convDims, cg int, col, dx []float32) {
	is, os := g.inSize(), g.outSize()
	r := 0
	for c := range cg {
		xc := dx[c*is : (c+1)*is]
		for kd := range g.k[0] {
			dlo, dhi := convRange(g.in[0], g.out[0], g.s[0], g.p[0], kd*g.d[0])
			for kh := range g.k[1] {
				hlo, hhi := convRange(g.in[1], g.out[1], g.s[1], g.p[1], kh*g.d[1])
				for kw := range g.k[2] {
					wlo, whi := convRange(g.in[2], g.out[2], g.s[2], g.p[2], kw*g.d[2])
					row := col[r*os : (r+1)*os]
					r++
					for od := dlo; od < dhi; od++ {
						id := od*g.s[0] - g.p[0] + kd*g.d[0]
						for oh := hlo; oh < hhi; oh++ {
							ih := oh*g.s[1] - g.p[1] + kh*g.d[1]
							src := row[(od*g.out[1]+oh)*g.out[2]:]
							dst := xc[(id*g.in[1]+ih)*g.in[2]:]
							iw := wlo*g.s[2] - g.p[2] + kw*g.d[2]
							for ow := wlo; ow < whi; ow++ {
								dst[iw] += src[ow]
								iw += g.s[2]
							}
						}
					}
				}
			}
		}
	}
}
