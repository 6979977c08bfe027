package ops

import "github.com/mxgo/mxgo/asm"

// The wide im2col for 2-D stride-1 dilation-1 convolutions: each input
// channel is copied once into a zero-padded plane (hp rows of wp), and the
// im2col row of kernel tap (kh, kw) is then one contiguous run of that
// plane starting at kh·wp+kw — one copy per tap instead of one per output
// row. The SGEMM computes a wide output of oh rows of wp (the columns past
// ow read across the padding and are discarded), which is then compacted
// into the output with the bias and epilogue applied while hot.

// wide reports a 2-D convolution with stride 1 and dilation 1 that is not
// pointwise or depthwise.
func (g *convDims) wide() bool {
	return g.in[0] == 1 && g.k[0] == 1 && g.s[1] == 1 && g.s[2] == 1 && g.d[1] == 1 && g.d[2] == 1 &&
		!g.pointwise() && !g.depthwise()
}

// wideDims returns the padded plane's height and width and the wide
// output's length n = (oh-1)·wp + ow.
func (g *convDims) wideDims() (hp, wp, n int) {
	hp, wp = g.in[1]+2*g.p[1], g.in[2]+2*g.p[2]
	return hp, wp, (g.out[1]-1)*wp + g.out[2]
}

// colSize is the scratch one goroutine of the im2col path needs: for the
// wide path the padded planes of a group, its wide im2col matrix and its
// wide output; else the im2col matrix.
func (g *convDims) colSize() int {
	cg, fg := g.c/g.groups, g.f/g.groups
	if g.wide() {
		hp, wp, n := g.wideDims()
		return workspaceSize(cg, hp, wp) + workspaceSize(cg, g.kSize(), n) + workspaceSize(fg, n)
	}
	return workspaceSize(cg, g.kSize(), g.outSize())
}

// convWideGroup convolves group gi of sample n on the wide path, writing
// the group's output channels (bias and epilogue applied).
func convWideGroup(ctx *Ctx, g *convDims, xd, wd, bias, yd []float32, ep *convEpi, scratch []float32, n, gi, threads int) error {
	cg, fg := g.c/g.groups, g.f/g.groups
	kk := cg * g.kSize()
	h, w := g.in[1], g.in[2]
	oh, ow := g.out[1], g.out[2]
	ph, pw := g.p[1], g.p[2]
	kh, kw := g.k[1], g.k[2]
	hp, wp, nw := g.wideDims()
	planes := scratch[:cg*hp*wp]
	col := scratch[cg*hp*wp : cg*hp*wp+kk*nw]
	wide := scratch[cg*hp*wp+kk*nw : cg*hp*wp+kk*nw+fg*nw]
	is, os := g.inSize(), g.outSize()
	r := 0
	for c := range cg {
		if err := ctx.Err(); err != nil { // a check per input channel
			return err
		}
		xc := xd[(n*g.c+gi*cg+c)*is : (n*g.c+gi*cg+c+1)*is]
		plane := planes[c*hp*wp : (c+1)*hp*wp]
		clear(plane[:ph*wp])
		clear(plane[(ph+h)*wp:])
		for y := range h {
			row := plane[(ph+y)*wp : (ph+y+1)*wp]
			clear(row[:pw])
			copy(row[pw:pw+w], xc[y*w:(y+1)*w])
			clear(row[pw+w:])
		}
		for i := range kh {
			for j := range kw {
				copy(col[r*nw:(r+1)*nw], plane[i*wp+j:i*wp+j+nw])
				r++
			}
		}
	}
	if err := sgemmCtx(ctx, threads, false, false, fg, nw, kk, 1, wd[gi*fg*kk:(gi+1)*fg*kk], kk, col, nw, 0, wide, nw); err != nil {
		return err
	}
	for fi := range fg {
		f := gi*fg + fi
		off := (n*g.f + f) * os
		yc := yd[off : off+os]
		src := wide[fi*nw:]
		for y := range oh {
			copy(yc[y*ow:(y+1)*ow], src[y*wp:y*wp+ow])
		}
		if bias != nil {
			asm.AddScalar(yc, yc, bias[f])
		}
		ep.apply(yc, f, off)
	}
	return nil
}
