package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// adaptivePoolForward averages, for every output cell (oh, ow), the input
// rows [floor(oh·H/OH), ceil((oh+1)·H/OH)) and the matching columns, as
// MXNet's SpatialAdaptiveAveragePooling (sum / kW / kH in float32).
func adaptivePoolForward(ctx *Ctx, _ any, in, out []*tensor.Tensor) error {
	if err := float32Only("_contrib_AdaptiveAvgPooling2D", in, out); err != nil {
		return err
	}
	x, y := in[0], out[0]
	if x.NDim() != 4 || y.NDim() != 4 || x.Dim(0) != y.Dim(0) || x.Dim(1) != y.Dim(1) {
		return fmt.Errorf("adaptive pooling: data %s and output %s must be NCHW with the same N and C", x, y)
	}
	job := layerJobs.Get()
	*job = layerJob{run: adaptivePlanes, n: x.Dim(0) * x.Dim(1), x: x.Float32s(), y: y.Float32s(),
		dims: [8]int{x.Dim(2), x.Dim(3), y.Dim(2), y.Dim(3)}}
	return layerSplit(ctx, job, y.Len())
}

// adaptivePlanes pools planes [lo, hi) of an adaptive pooling job.
func adaptivePlanes(j *layerJob, lo, hi int) {
	H, W, OH, OW := j.dims[0], j.dims[1], j.dims[2], j.dims[3]
	cc := cancelCheck{ctx: j.ctx}
	for k := lo; k < hi; k++ {
		src := j.x[k*H*W : (k+1)*H*W]
		dst := j.y[k*OH*OW : (k+1)*OH*OW]
		for oh := range OH {
			h0, h1 := adaptiveBin(oh, OH, H)
			// A row of outputs reads about (h1-h0)·(W+OW) inputs.
			if cc.tick((h1-h0+1)*(W+OW)) != nil {
				return
			}
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
func bilinearResizeForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*BilinearResizeParam)
	if err := float32Only("_contrib_BilinearResize2D", in[:1], out); err != nil {
		return err
	}
	x, y := in[0], out[0]
	if x.NDim() != 4 || y.NDim() != 4 || x.Dim(0) != y.Dim(0) || x.Dim(1) != y.Dim(1) {
		return fmt.Errorf("bilinear resize: data %s and output %s must be NCHW with the same N and C", x, y)
	}
	H, W, OH, OW := x.Dim(2), x.Dim(3), y.Dim(2), y.Dim(3)
	if H == OH && W == OW {
		copy(y.Float32s(), x.Float32s())
		return nil
	}
	if H == 0 || W == 0 {
		return fmt.Errorf("bilinear resize: cannot resize the empty data %s", x)
	}
	job := layerJobs.Get()
	*job = layerJob{run: bilinearPlanes, n: x.Dim(0) * x.Dim(1), x: x.Float32s(), y: y.Float32s(),
		dims: [8]int{H, W, OH, OW}, resize: p}
	return layerSplit(ctx, job, y.Len())
}

// bilinearPlanes resizes planes [lo, hi) of a bilinear resize job.
func bilinearPlanes(j *layerJob, lo, hi int) {
	H, W, OH, OW := j.dims[0], j.dims[1], j.dims[2], j.dims[3]
	align := j.resize.AlignCorners
	rh := resizeScale(H, OH, align)
	rw := resizeScale(W, OW, align)
	cc := cancelCheck{ctx: j.ctx}
	for k := lo; k < hi; k++ {
		src := j.x[k*H*W : (k+1)*H*W]
		dst := j.y[k*OH*OW : (k+1)*OH*OW]
		for oh := range OH {
			if cc.tick(4*OW) != nil { // a row costs about four times a copy
				return
			}
			h, hp, h1l := resizeSource(rh, oh, H, align)
			h0l := 1 - h1l
			row := dst[oh*OW : (oh+1)*OW]
			for ow := range row {
				w, wp, w1l := resizeSource(rw, ow, W, align)
				w0l := 1 - w1l
				s := h*W + w
				a := float32(w0l*src[s]) + float32(w1l*src[s+wp])
				b := float32(w0l*src[s+hp*W]) + float32(w1l*src[s+hp*W+wp])
				row[ow] = float32(h0l*a) + float32(h1l*b)
			}
		}
	}
}
