package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// ROIAlignParam is _contrib_ROIAlign's parameters
// [src/operator/contrib/roi_align-inl.h].
type ROIAlignParam struct {
	PooledSize        []int   `mx:"pooled_size" required:""`
	SpatialScale      float32 `mx:"spatial_scale" required:"" min:"0" max:"1"`
	SampleRatio       int     `mx:"sample_ratio" default:"-1"`
	PositionSensitive bool    `mx:"position_sensitive"`
	Aligned           bool    `mx:"aligned"`
}

func init() {
	Register(&Op{
		Name:        "_contrib_ROIAlign",
		Params:      NewParams[ROIAlignParam](),
		InputNames:  func(any) []string { return []string{"data", "rois"} },
		OutputNames: outputNames("output"),
		InferShape:  roiAlignShape,
		InferType:   roiAlignType,
		Supports:    float32Kernel,
		Forward:     roiAlignForward,
	})
}

// roiAlignShape follows ROIAlign's FInferShape: data (N, C, H, W), rois
// (R, 5) of [batch index, x1, y1, x2, y2]; the output is (R, C, ph, pw),
// or (R, C/(ph·pw), ph, pw) when position_sensitive. pooled_size must be
// two non-zero values (set_expect_ndim(2).enforce_nonzero()), positive
// here since they are sizes.
func roiAlignShape(params any, in, out []Shape) error {
	p := params.(*ROIAlignParam)
	if len(p.PooledSize) != 2 || p.PooledSize[0] < 1 || p.PooledSize[1] < 1 ||
		p.PooledSize[0] > 1<<20 || p.PooledSize[1] > 1<<20 {
		return fmt.Errorf("pooled_size %v must be two positive sizes (h, w)", p.PooledSize)
	}
	ph, pw := p.PooledSize[0], p.PooledSize[1]
	d, b := in[0], in[1]
	if d != nil && len(d) != 4 {
		return fmt.Errorf("data %s should be a 4D tensor", ShapeString(d))
	}
	if b != nil && (len(b) != 2 || b[1] >= 0 && b[1] != 5) {
		return fmt.Errorf("rois %s should be a 2D tensor of shape (num_rois, 5)", ShapeString(b))
	}
	if d == nil || b == nil {
		return nil
	}
	c := d[1]
	if p.PositionSensitive && c >= 0 {
		if c%(ph*pw) != 0 {
			return fmt.Errorf("data channels %d must be divisible by pooled_size[0]*pooled_size[1] = %d when position_sensitive", c, ph*pw)
		}
		c /= ph * pw
	}
	return assignShape(&out[0], Shape{b[0], c, ph, pw}, "output")
}

// roiAlignType follows ROIAlign's FInferType: data and rois share one
// dtype, which the output takes.
func roiAlignType(_ any, in, out []tensor.DType) error {
	return SameType(nil, in, out)
}
