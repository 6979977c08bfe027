package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// upSamplingForward is nearest-neighbour UpSampling of NCHW inputs: input i
// is repeated by OH/H_i rows and OW/W_i columns; the results are stacked
// along the channels (multi_input_mode concat) or added (sum). Bilinear
// sampling (a Deconvolution with the bilinear weight) is not supported.
func upSamplingForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*UpSamplingParam)
	if p.SampleType != UpNearest {
		return fmt.Errorf("upsampling: sample_type bilinear not supported")
	}
	y := out[0]
	if y.DType() != tensor.Float32 || y.NDim() != 4 {
		return fmt.Errorf("upsampling: output must be 4-D float32, got %s", y)
	}
	n, oc, oh, ow := y.Dim(0), y.Dim(1), y.Dim(2), y.Dim(3)
	yd := y.Float32s()
	sum := p.MultiInputMode == 1
	ch := 0
	for i, x := range in {
		if x.DType() != tensor.Float32 || x.NDim() != 4 || x.Dim(0) != n {
			return fmt.Errorf("upsampling: input %d must be 4-D float32 with batch %d, got %s", i, n, x)
		}
		c, h, w := x.Dim(1), x.Dim(2), x.Dim(3)
		if h == 0 || w == 0 || oh%h != 0 || ow%w != 0 {
			return fmt.Errorf("upsampling: input %d %s does not divide the output %dx%d", i, x, oh, ow)
		}
		if (sum && c != oc) || (!sum && ch+c > oc) {
			return fmt.Errorf("upsampling: input %d has %d channels, output %d", i, c, oc)
		}
		add := sum && i > 0
		sh, sw := oh/h, ow/w
		xd := x.Float32s()
		for b := range n {
			for k := range c {
				src := xd[((b*c)+k)*h*w : ((b*c)+k+1)*h*w]
				dst := yd[(b*oc+ch+k)*oh*ow : (b*oc+ch+k+1)*oh*ow]
				upNearestPlane(dst, src, h, w, sh, sw, add)
			}
		}
		if !sum {
			ch += c
		}
	}
	if !sum && ch != oc {
		return fmt.Errorf("upsampling: inputs have %d channels, output %d", ch, oc)
	}
	return nil
}

// upNearestPlane writes (or adds) src (h×w) repeated sh×sw times into dst.
func upNearestPlane(dst, src []float32, h, w, sh, sw int, add bool) {
	ow := w * sw
	for r := range h {
		row := dst[r*sh*ow : (r*sh+1)*ow]
		s := src[r*w : (r+1)*w]
		if add {
			for j := range row {
				row[j] += s[j/sw]
			}
			for k := 1; k < sh; k++ {
				rk := dst[(r*sh+k)*ow : (r*sh+k+1)*ow]
				for j := range rk {
					rk[j] += s[j/sw]
				}
			}
			continue
		}
		for j, v := range s {
			seg := row[j*sw : (j+1)*sw]
			for k := range seg {
				seg[k] = v
			}
		}
		for k := 1; k < sh; k++ {
			copy(dst[(r*sh+k)*ow:(r*sh+k+1)*ow], row)
		}
	}
}
