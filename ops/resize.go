package ops

import (
	"fmt"
	"math"
)

// AdaptiveAvgPoolParam is _contrib_AdaptiveAvgPooling2D's parameters
// [src/operator/contrib/adaptive_avg_pooling-inl.h].
type AdaptiveAvgPoolParam struct {
	OutputSize []int `mx:"output_size" default:"()"`
}

// BilinearResize2D modes (MXNet's enum values).
const (
	ResizeSize = iota
	ResizeOddScale
	ResizeLike
	ResizeToEvenDown
	ResizeToEvenUp
	ResizeToOddDown
	ResizeToOddUp
)

// BilinearResizeParam is _contrib_BilinearResize2D's parameters
// [src/operator/contrib/bilinear_resize-inl.h].
type BilinearResizeParam struct {
	Height       int               `mx:"height" default:"1" min:"1"`
	Width        int               `mx:"width" default:"1" min:"1"`
	ScaleHeight  Optional[float32] `mx:"scale_height"`
	ScaleWidth   Optional[float32] `mx:"scale_width"`
	Mode         int               `mx:"mode" default:"size" enum:"size,odd_scale,like,to_even_down,to_even_up,to_odd_down,to_odd_up"`
	AlignCorners bool              `mx:"align_corners" default:"true"`
}

func init() {
	Register(&Op{
		Name:       "_contrib_AdaptiveAvgPooling2D",
		Params:     NewParams[AdaptiveAvgPoolParam](),
		InferShape: adaptivePoolShape,
		InferType:  SameType,
		Supports:   float32Kernel,
		Forward:    adaptivePoolForward,
	})
	Register(&Op{
		Name:   "_contrib_BilinearResize2D",
		Params: NewParams[BilinearResizeParam](),
		InputNames: func(params any) []string {
			if params.(*BilinearResizeParam).Mode == ResizeLike {
				return []string{"data", "like"}
			}
			return []string{"data"}
		},
		InferShape: bilinearResizeShape,
		InferType:  SameType,
		Supports:   float32Data,
		Forward:    bilinearResizeForward,
		Backward:   bilinearResizeBackward,
	})
}

// adaptivePoolShape follows AdaptiveAvgPoolOpInferShape: NCHW data; the
// output is output_size × output_size (one value), (h, w) (two) or 1×1
// (none, or more than two as MXNet does).
func adaptivePoolShape(params any, in, out []Shape) error {
	p := params.(*AdaptiveAvgPoolParam)
	h, w := 1, 1
	switch len(p.OutputSize) {
	case 1:
		h, w = p.OutputSize[0], p.OutputSize[0]
	case 2:
		h, w = p.OutputSize[0], p.OutputSize[1]
	}
	if h < 1 || w < 1 || h > maxDim || w > maxDim {
		return fmt.Errorf("output_size %v must be positive", p.OutputSize)
	}
	d := in[0]
	if d == nil {
		return nil
	}
	if len(d) != 4 {
		return fmt.Errorf("data %s must be 4-D (NCHW)", ShapeString(d))
	}
	return assignShape(&out[0], Shape{d[0], d[1], h, w}, "output")
}

// resizeDim is MXNet's int16_t new_height/new_width: values wrap to 16
// bits as the C++ assignment does, and must end up positive.
func resizeDim(v int, what string) (int, error) {
	r := int(int16(v))
	if r < 1 {
		return 0, fmt.Errorf("output %s %d (as MXNet's int16) is not positive", what, r)
	}
	return r, nil
}

// scaledDim is static_cast<int>(scale * dim) in float32 arithmetic,
// bounded so that the float-to-int conversion is defined.
func scaledDim(scale float32, dim int) int {
	v := float64(scale * float32(dim))
	if !(v > -1<<31 && v < 1<<31) {
		return 0
	}
	return int(v)
}

// bilinearResizeShape follows BilinearSampleOpInferShape, quirks included:
// in mode size the width is scaled only when scale_height is set, and the
// new sizes go through int16.
func bilinearResizeShape(params any, in, out []Shape) error {
	p := params.(*BilinearResizeParam)
	d := in[0]
	if d == nil {
		return nil
	}
	if len(d) != 4 {
		return fmt.Errorf("data %s must be 4-D (NCHW)", ShapeString(d))
	}
	H, W := d[2], d[3]
	var nh, nw int
	switch p.Mode {
	case ResizeSize:
		nh, nw = p.Height, p.Width
		if p.ScaleHeight.Set {
			if !p.ScaleWidth.Set {
				return fmt.Errorf("scale_width must be set when scale_height is (mode size)")
			}
			if H < 0 || W < 0 {
				return nil
			}
			nh, nw = scaledDim(p.ScaleHeight.Value, H), scaledDim(p.ScaleWidth.Value, W)
		}
	case ResizeOddScale:
		if !p.ScaleHeight.Set || !p.ScaleWidth.Set {
			return fmt.Errorf("mode odd_scale needs scale_height and scale_width")
		}
		if H < 0 || W < 0 {
			return nil
		}
		odd := func(n int, s float32) int {
			if n%2 == 0 {
				return scaledDim(s, n)
			}
			return scaledDim(s, n-1) + 1
		}
		nh, nw = odd(H, p.ScaleHeight.Value), odd(W, p.ScaleWidth.Value)
	case ResizeLike:
		l := in[1]
		if l == nil {
			return nil
		}
		if len(l) < 4 {
			return fmt.Errorf("like %s must be 4-D", ShapeString(l))
		}
		nh, nw = l[2], l[3]
		if nh < 0 || nw < 0 {
			return nil
		}
	default:
		if H < 0 || W < 0 {
			return nil
		}
		// to_even_down, to_even_up, to_odd_down, to_odd_up
		want := 0
		if p.Mode >= ResizeToOddDown {
			want = 1
		}
		step := -1
		if p.Mode == ResizeToEvenUp || p.Mode == ResizeToOddUp {
			step = 1
		}
		nh, nw = H, W
		if H%2 != want {
			nh = H + step
		}
		if W%2 != want {
			nw = W + step
		}
	}
	var err error
	if nh, err = resizeDim(nh, "height"); err != nil {
		return err
	}
	if nw, err = resizeDim(nw, "width"); err != nil {
		return err
	}
	return assignShape(&out[0], Shape{d[0], d[1], nh, nw}, "output")
}

// adaptiveBin is MXNet's START_IND/END_IND: floor(a·c/b) and
// ceil((a+1)·c/b) with the division in float32.
func adaptiveBin(a, b, c int) (int, int) {
	s := math.Floor(float64(float32(a*c) / float32(b)))
	e := math.Ceil(float64(float32((a+1)*c) / float32(b)))
	return int(s), int(e)
}
