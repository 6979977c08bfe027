package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// adaptivePoolForward averages, for every output cell (oh, ow), the input
// rows [floor(oh·H/OH), ceil((oh+1)·H/OH)) and the matching columns, as
// MXNet's SpatialAdaptiveAveragePooling (sum / kW / kH in float32).
func adaptivePoolForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	if err := float32Only("_contrib_AdaptiveAvgPooling2D", in, out); err != nil {
		return err
	}
	x, y := in[0], out[0]
	if x.NDim() != 4 || y.NDim() != 4 || x.Dim(0) != y.Dim(0) || x.Dim(1) != y.Dim(1) {
		return fmt.Errorf("adaptive pooling: data %s and output %s must be NCHW with the same N and C", x, y)
	}
	H, W, OH, OW := x.Dim(2), x.Dim(3), y.Dim(2), y.Dim(3)
	xd, yd := x.Float32s(), y.Float32s()
	for k := range x.Dim(0) * x.Dim(1) {
		src := xd[k*H*W : (k+1)*H*W]
		dst := yd[k*OH*OW : (k+1)*OH*OW]
		for oh := range OH {
			h0, h1 := adaptiveBin(oh, OH, H)
			for ow := range OW {
				w0, w1 := adaptiveBin(ow, OW, W)
				var sum float32
				for i := h0; i < h1; i++ {
					for _, v := range src[i*W+w0 : i*W+w1] {
						sum += v
					}
				}
				dst[oh*OW+ow] = sum / float32(w1-w0) / float32(h1-h0)
			}
		}
	}
	return nil
}

// resizeScale is area_pixel_compute_scale<float>.
func resizeScale(in, out int, alignCorners bool) float32 {
	switch {
	case out <= 1:
		return 0
	case alignCorners:
		return float32(in-1) / float32(out-1)
	}
	return float32(in) / float32(out)
}

// resizeSource is area_pixel_compute_source_index<float> followed by the
// kernel's split into an index, a step to the next index (0 at the last
// row or column) and the weight of that next one.
func resizeSource(scale float32, dst, n int, alignCorners bool) (i, step int, lambda float32) {
	var r float32
	if alignCorners {
		r = scale * float32(dst)
	} else {
		t := float64(float64(scale) * (float64(dst) + 0.5)) // no fused multiply-add
		r = float32(t - 0.5)
		if r < 0 {
			r = 0
		}
	}
	i = min(int(r), n-1) // the min only guards against rounding past the end
	if i < n-1 {
		step = 1
	}
	return i, step, r - float32(i)
}

// bilinearResizeForward is SpatialUpSamplingBilinearUpdateOutput: every
// output pixel blends the four input pixels around its source position
// (align_corners maps corner pixel centres onto each other); equal sizes
// copy.
func bilinearResizeForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*BilinearResizeParam)
	if err := float32Only("_contrib_BilinearResize2D", in[:1], out); err != nil {
		return err
	}
	x, y := in[0], out[0]
	if x.NDim() != 4 || y.NDim() != 4 || x.Dim(0) != y.Dim(0) || x.Dim(1) != y.Dim(1) {
		return fmt.Errorf("bilinear resize: data %s and output %s must be NCHW with the same N and C", x, y)
	}
	H, W, OH, OW := x.Dim(2), x.Dim(3), y.Dim(2), y.Dim(3)
	xd, yd := x.Float32s(), y.Float32s()
	planes := x.Dim(0) * x.Dim(1)
	if H == OH && W == OW {
		copy(yd, xd)
		return nil
	}
	if H == 0 || W == 0 {
		return fmt.Errorf("bilinear resize: cannot resize the empty data %s", x)
	}
	rh := resizeScale(H, OH, p.AlignCorners)
	rw := resizeScale(W, OW, p.AlignCorners)
	for oh := range OH {
		h, hp, h1l := resizeSource(rh, oh, H, p.AlignCorners)
		h0l := 1 - h1l
		for ow := range OW {
			w, wp, w1l := resizeSource(rw, ow, W, p.AlignCorners)
			w0l := 1 - w1l
			o := oh*OW + ow
			s := h*W + w
			for k := range planes {
				src := xd[k*H*W:]
				a := float32(w0l*src[s]) + float32(w1l*src[s+wp])
				b := float32(w0l*src[s+hp*W]) + float32(w1l*src[s+hp*W+wp])
				yd[k*OH*OW+o] = float32(h0l*a) + float32(h1l*b)
			}
		}
	}
	return nil
}
