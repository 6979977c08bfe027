package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// cropForward copies the (h, w) window at the crop offset of every NCHW
// plane of the data; a crop_like input is only used for its shape.
func cropForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*CropParam)
	x, y := in[0], out[0]
	if err := float32Only("Crop", in[:1], out); err != nil {
		return err
	}
	if x.NDim() != 4 || y.NDim() != 4 || x.Dim(0) != y.Dim(0) || x.Dim(1) != y.Dim(1) {
		return fmt.Errorf("crop: data %s and output %s must be 4-D with the same batch and channels", x, y)
	}
	H, W, h, w := x.Dim(2), x.Dim(3), y.Dim(2), y.Dim(3)
	oy, ox, err := cropOffset(p, H, W, h, w)
	if err != nil {
		return fmt.Errorf("crop: %w", err)
	}
	xd, yd := x.Float32s(), y.Float32s()
	planes := x.Dim(0) * x.Dim(1)
	for k := range planes {
		src := xd[k*H*W:]
		dst := yd[k*h*w:]
		for i := range h {
			copy(dst[i*w:(i+1)*w], src[(i+oy)*W+ox:])
		}
	}
	return nil
}
