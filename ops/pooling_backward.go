package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// poolingBackward is Pooling's gradient [src/operator/nn/pool.h
// unpool_*]: max sends each output gradient to the window element the
// forward pass picked (the first maximum; none when the window saw no
// element above the lowest float32), avg spreads it over the clipped window
// divided by the forward's divisor, sum adds it to every window element.
// Windows follow the output shape, so global pooling and every
// pooling_convention are covered. lp pooling is not differentiated.
func poolingBackward(ctx *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*PoolingParam)
	if err := float32Grads("Pooling", in, out[:1], outGrad[:1], inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	if p.PoolType == PoolLp {
		return fmt.Errorf("Pooling backward: lp pooling not supported")
	}
	x, y := in[0], out[0]
	g, err := newPoolDims(p, x, y)
	if err != nil {
		return err
	}
	xd, dy, dx := x.Float32s(), outGrad[0].Float32s(), inGrad[0].Float32s()
	if len(xd) != g.n*g.inBatch || len(dy) != g.n*g.outBatch || len(dx) != len(xd) {
		return fmt.Errorf("Pooling backward: tensor sizes do not match the geometry")
	}
	if req[0] == GradWrite {
		clear(dx)
	}
	includePad := p.CountIncludePad.Get(true)
	for n := range g.n {
		if err := ctx.Err(); err != nil {
			return err
		}
		for c := range g.c {
			xb, yb := n*g.inBatch+c, n*g.outBatch+c
			if !g.channelLast {
				xb, yb = n*g.inBatch+c*g.inPlane, n*g.outBatch+c*g.outPlane
			}
			oi := 0
			for od := range g.out[0] {
				d0, d1, dn := poolWindow(od, g.in[0], g.k[0], g.s[0], g.p[0])
				for oh := range g.out[1] {
					h0, h1, hn := poolWindow(oh, g.in[1], g.k[1], g.s[1], g.p[1])
					for ow := range g.out[2] {
						w0, w1, wn := poolWindow(ow, g.in[2], g.k[2], g.s[2], g.p[2])
						gy := dy[yb+oi*g.spStride]
						oi++
						if p.PoolType == PoolMax {
							m, arg := float32(-math.MaxFloat32), -1
							for id := d0; id < d1; id++ {
								for ih := h0; ih < h1; ih++ {
									s := (id*g.in[1] + ih) * g.in[2]
									for iw := w0; iw < w1; iw++ {
										if v := xd[xb+(s+iw)*g.spStride]; v > m {
											m, arg = v, s+iw
										}
									}
								}
							}
							if arg >= 0 {
								dx[xb+arg*g.spStride] += gy
							}
							continue
						}
						if p.PoolType == PoolAvg {
							size := dn * hn * wn
							if !includePad {
								size = max(d1-d0, 0) * max(h1-h0, 0) * max(w1-w0, 0)
							}
							if size == 0 {
								continue
							}
							gy /= float32(size)
						}
						for id := d0; id < d1; id++ {
							for ih := h0; ih < h1; ih++ {
								s := (id*g.in[1] + ih) * g.in[2]
								for iw := w0; iw < w1; iw++ {
									dx[xb+(s+iw)*g.spStride] += gy
								}
							}
						}
					}
				}
			}
		}
	}
	return nil
}
