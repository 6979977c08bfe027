package ops

import "fmt"

// CropParam is the legacy Crop operator's parameters [src/operator/crop-inl.h].
type CropParam struct {
	NumArgs    int   `mx:"num_args" required:"" min:"1" max:"3"`
	Offset     []int `mx:"offset" default:"(0, 0)"`
	HW         []int `mx:"h_w" default:"(0, 0)"`
	CenterCrop bool  `mx:"center_crop"`
}

func init() {
	Register(&Op{
		Name:          "Crop",
		PerSample:     perSampleAlways,
		Params:        NewParams[CropParam](),
		KeyVarNumArgs: "num_args",
		InputNames:    func(params any) []string { return argNames(params.(*CropParam).NumArgs) },
		InferShape:    cropShape,
		InferType:     SameType,
		Supports:      float32Data,
		Forward:       cropForward,
		Backward:      cropBackward,
	})
}

// cropShape follows CropProp::InferShape: the data is NCHW; the output
// keeps N and C and takes its height and width from h_w (one input) or
// from dims 2 and 3 of the second input (crop_like). It also applies the
// checks MXNet's forward makes on the offsets, so that a bad offset fails
// at bind time.
func cropShape(params any, in, out []Shape) error {
	p := params.(*CropParam)
	if p.NumArgs == 3 {
		return fmt.Errorf("num_args 3: Crop takes 1 input (with h_w) or 2 (data, crop_like)")
	}
	d := in[0]
	if d == nil {
		return nil
	}
	if len(d) != 4 {
		return fmt.Errorf("data %s must be 4-D (batch, num_filter, y, x)", ShapeString(d))
	}
	var h, w int
	if p.NumArgs == 1 {
		if len(p.HW) != 2 {
			return fmt.Errorf("h_w %v must have 2 elements (h, w)", p.HW)
		}
		h, w = p.HW[0], p.HW[1]
		if h < 1 || w < 1 {
			return fmt.Errorf("h_w %v: the crop height and width must be at least 1", p.HW)
		}
	} else {
		l := in[1]
		if l == nil {
			return nil
		}
		if len(l) < 4 {
			return fmt.Errorf("crop_like %s must be 4-D", ShapeString(l))
		}
		h, w = l[2], l[3]
	}
	if d[2] >= 0 && h > d[2] || d[3] >= 0 && w > d[3] {
		return fmt.Errorf("crop size %dx%d is larger than the data %s", h, w, ShapeString(d))
	}
	if !p.CenterCrop && h >= 0 && w >= 0 && d[2] >= 0 && d[3] >= 0 {
		if _, _, err := cropOffset(p, d[2], d[3], h, w); err != nil {
			return err
		}
	}
	return assignShape(&out[0], Shape{d[0], d[1], h, w}, "output")
}

// cropOffset returns the (y, x) offset of an h×w crop of an H×W image, as
// InferCropOfferset: centred with center_crop, else offset, which must
// leave the crop inside the image.
func cropOffset(p *CropParam, H, W, h, w int) (int, int, error) {
	if h > H || w > W {
		return 0, 0, fmt.Errorf("crop size %dx%d is larger than the data %dx%d", h, w, H, W)
	}
	if p.CenterCrop {
		return (H - h) / 2, (W - w) / 2, nil
	}
	if len(p.Offset) != 2 {
		return 0, 0, fmt.Errorf("offset %v must have 2 elements (y, x)", p.Offset)
	}
	oy, ox := p.Offset[0], p.Offset[1]
	if oy < 0 || ox < 0 || oy > H-h || ox > W-w {
		return 0, 0, fmt.Errorf("offset (%d, %d) puts the %dx%d crop outside the %dx%d data", oy, ox, h, w, H, W)
	}
	return oy, ox, nil
}
