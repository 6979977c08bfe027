package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// takeBackward is take's gradient [indexing_op.h TakeOpBackward]: every
// output row's gradient is added to the data row its index selected (clip
// mode clips the index, raise and wrap wrap it); the indices get a zero
// gradient.
func takeBackward(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("take", outGrad, inGrad[:1]); err != nil {
		return err
	}
	if len(inGrad) > 1 && inGrad[1] != nil && req[1] == GradWrite {
		clear(inGrad[1].Bytes())
	}
	if inGrad[0] == nil {
		return nil
	}
	p := params.(*TakeParam)
	a, idx := in[0], in[1]
	ax := p.Axis
	if ax < 0 {
		ax += a.NDim()
	}
	if ax < 0 || ax >= a.NDim() {
		return fmt.Errorf("take backward: axis %d out of range for %d-D data", p.Axis, a.NDim())
	}
	dx, dy := inGrad[0].Float32s(), outGrad[0].Float32s()
	if req[0] == GradWrite {
		clear(dx)
	}
	ni := idx.Len()
	outer, n, inner := splitAt(a, ax)
	if ni == 0 {
		return nil
	}
	if n == 0 || len(dy) != outer*ni*inner || len(dx) != outer*n*inner {
		return fmt.Errorf("take backward: gradient sizes do not match data %s and %d indices", a, ni)
	}
	clip := p.Mode == TakeClip
	for o := range outer {
		for i := range ni {
			j := resolveIndex(indexAt(idx, i), n, clip)
			src := dy[(o*ni+i)*inner : (o*ni+i+1)*inner]
			dst := dx[(o*n+j)*inner : (o*n+j+1)*inner]
			for k, v := range src {
				dst[k] += v
			}
		}
	}
	return nil
}

// cropBackward is Crop's gradient [src/operator/crop-inl.h Backward]: dy
// lands in the crop window of a zero dx; crop_like gets a zero gradient.
func cropBackward(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("Crop", outGrad, inGrad[:1]); err != nil {
		return err
	}
	if len(inGrad) > 1 && inGrad[1] != nil && req[1] == GradWrite {
		clear(inGrad[1].Bytes())
	}
	if inGrad[0] == nil {
		return nil
	}
	x, g := in[0], outGrad[0]
	if x.NDim() != 4 || g.NDim() != 4 {
		return fmt.Errorf("Crop backward: data %s and output gradient %s must be 4-D", x, g)
	}
	H, W, h, w := x.Dim(2), x.Dim(3), g.Dim(2), g.Dim(3)
	oy, ox, err := cropOffset(params.(*CropParam), H, W, h, w)
	if err != nil {
		return fmt.Errorf("Crop backward: %w", err)
	}
	var st dimArray
	contiguousStrides(x, &st)
	sliceGradInto(req[0], inGrad[0], g, &st, oy*W+ox)
	return nil
}

// padBackward is Pad's gradient [src/operator/pad.cc single_image_*_grad]:
// every output position's gradient is added to the input position the
// forward read (constant-mode borders read none; edge and reflect borders
// add into the edge or the reflected element).
func padBackward(_ *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("Pad", outGrad, inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	p := params.(*PadParam)
	x, y := in[0], out[0]
	nd := x.NDim()
	if (nd != 4 && nd != 5) || y.NDim() != nd || len(p.PadWidth) != 2*nd {
		return fmt.Errorf("Pad backward: data %s, output %s and pad_width %v do not match", x, y, p.PadWidth)
	}
	var id, od, before [3]int
	off := 5 - nd
	for a := range 3 {
		id[a], od[a] = 1, 1
		if ax := a + 2 - off; ax >= 2 {
			id[a], od[a], before[a] = x.Dim(ax), y.Dim(ax), p.PadWidth[2*ax]
		}
	}
	dx, dy := inGrad[0].Float32s(), outGrad[0].Float32s()
	isz, osz := id[0]*id[1]*id[2], od[0]*od[1]*od[2]
	if len(dx) != x.Dim(0)*x.Dim(1)*isz || len(dy) != x.Dim(0)*x.Dim(1)*osz {
		return fmt.Errorf("Pad backward: gradient sizes do not match data %s and output %s", x, y)
	}
	if req[0] == GradWrite {
		clear(dx)
	}
	for k := range x.Dim(0) * x.Dim(1) {
		src, dst := dy[k*osz:(k+1)*osz], dx[k*isz:(k+1)*isz]
		o := 0
		for z := range od[0] {
			iz, okz := padIndex(p.Mode, z, before[0], id[0])
			for i := range od[1] {
				iy, oky := padIndex(p.Mode, i, before[1], id[1])
				row := src[o : o+od[2]]
				o += od[2]
				if !okz || !oky {
					continue
				}
				drow := dst[(iz*id[1]+iy)*id[2] : (iz*id[1]+iy+1)*id[2]]
				for j, v := range row {
					if ix, ok := padIndex(p.Mode, j, before[2], id[2]); ok {
						drow[ix] += v
					}
				}
			}
		}
	}
	return nil
}

// upSamplingBackward is UpSampling's gradient [src/operator/nn/
// upsampling-inl.h UpSamplingBackward]. Nearest: each input's gradient is
// the sum of dy over its sh×sw blocks (of its channel slice with concat,
// of all of dy with sum). Bilinear: the depthwise Deconvolution's data and
// weight gradients.
func upSamplingBackward(ctx *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*UpSamplingParam)
	if err := float32Grads("UpSampling", outGrad, inGrad); err != nil {
		return err
	}
	dy := outGrad[0]
	if dy.NDim() != 4 {
		return fmt.Errorf("UpSampling backward: output gradient %s must be 4-D", dy)
	}
	n, oc, oh, ow := dy.Dim(0), dy.Dim(1), dy.Dim(2), dy.Dim(3)
	if p.SampleType == UpBilinear {
		x := in[0]
		if x.NDim() != 4 {
			return fmt.Errorf("UpSampling backward: data %s must be 4-D", x)
		}
		g := upBilinearDims(p, x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3))
		var dx, dw []float32
		if inGrad[0] != nil {
			dx = inGrad[0].Float32s()
		}
		if inGrad[1] != nil {
			dw = inGrad[1].Float32s()
		}
		if err := deconvBackwardRun(ctx, &g, x.Float32s(), in[1].Float32s(), dy.Float32s(), dx, dw, req[0], req[1]); err != nil {
			return fmt.Errorf("UpSampling backward: %w", err)
		}
		return nil
	}
	g := dy.Float32s()
	sum := p.MultiInputMode == 1
	ch := 0
	for i, x := range in {
		if x.NDim() != 4 {
			return fmt.Errorf("UpSampling backward: input %d %s must be 4-D", i, x)
		}
		c, h, w := x.Dim(1), x.Dim(2), x.Dim(3)
		if x.Dim(0) != n || h == 0 || w == 0 || oh%h != 0 || ow%w != 0 || (!sum && ch+c > oc) || (sum && c != oc) {
			return fmt.Errorf("UpSampling backward: input %d %s does not match the output gradient %s", i, x, dy)
		}
		sh, sw := oh/h, ow/w
		if inGrad[i] != nil {
			dx := inGrad[i].Float32s()
			if req[i] == GradWrite {
				clear(dx)
			}
			for b := range n {
				for k := range c {
					src := g[(b*oc+ch+k)*oh*ow : (b*oc+ch+k+1)*oh*ow]
					dst := dx[(b*c+k)*h*w : (b*c+k+1)*h*w]
					for r := range oh {
						drow := dst[(r/sh)*w : (r/sh+1)*w]
						for j, v := range src[r*ow : (r+1)*ow] {
							drow[j/sw] += v
						}
					}
				}
			}
		}
		if !sum {
			ch += c
		}
	}
	return nil
}

// bilinearResizeBackward is _contrib_BilinearResize2D's gradient
// [src/operator/contrib/bilinear_resize.cc
// SpatialUpSamplingBilinearUpdateGradInput]: every output pixel's gradient
// is added to the four input pixels it blends, with the forward's
// weights; equal sizes pass dy through. mode like's second input gets a
// zero gradient.
func bilinearResizeBackward(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*BilinearResizeParam)
	if err := float32Grads("_contrib_BilinearResize2D", outGrad, inGrad[:1]); err != nil {
		return err
	}
	if len(inGrad) > 1 && inGrad[1] != nil && req[1] == GradWrite {
		clear(inGrad[1].Bytes())
	}
	if inGrad[0] == nil {
		return nil
	}
	x, dy := in[0], outGrad[0]
	if x.NDim() != 4 || dy.NDim() != 4 || x.Dim(0) != dy.Dim(0) || x.Dim(1) != dy.Dim(1) {
		return fmt.Errorf("_contrib_BilinearResize2D backward: data %s and output gradient %s must be NCHW with the same N and C", x, dy)
	}
	H, W, OH, OW := x.Dim(2), x.Dim(3), dy.Dim(2), dy.Dim(3)
	dx, g := inGrad[0].Float32s(), dy.Float32s()
	if req[0] == GradWrite {
		clear(dx)
	}
	if H == OH && W == OW {
		for i, v := range g {
			dx[i] += v
		}
		return nil
	}
	if H == 0 || W == 0 {
		return nil
	}
	align := p.AlignCorners
	rh, rw := resizeScale(H, OH, align), resizeScale(W, OW, align)
	for k := range x.Dim(0) * x.Dim(1) {
		d := dx[k*H*W : (k+1)*H*W]
		src := g[k*OH*OW : (k+1)*OH*OW]
		for oh := range OH {
			h, hp, h1l := resizeSource(rh, oh, H, align)
			h0l := 1 - h1l
			for ow, v := range src[oh*OW : (oh+1)*OW] {
				w, wp, w1l := resizeSource(rw, ow, W, align)
				w0l := 1 - w1l
				s := h*W + w
				d[s] += h0l * w0l * v
				d[s+wp] += h0l * w1l * v
				d[s+hp*W] += h1l * w0l * v
				d[s+hp*W+wp] += h1l * w1l * v
			}
		}
	}
	return nil
}
