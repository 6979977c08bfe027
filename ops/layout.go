package ops

import "fmt"

// Layout is a data layout of the convolution and pooling operators.
type Layout int

// Layouts: channel-first (NCW, NCHW, NCDHW) and channel-last (NWC, NHWC,
// NDHWC).
const (
	LayoutNCW Layout = iota
	LayoutNCHW
	LayoutNCDHW
	LayoutNWC
	LayoutNHWC
	LayoutNDHWC
)

var layoutNames = [...]string{"NCW", "NCHW", "NCDHW", "NWC", "NHWC", "NDHWC"}

// String returns MXNet's name for the layout.
func (l Layout) String() string {
	if l < 0 || int(l) >= len(layoutNames) {
		return fmt.Sprintf("Layout(%d)", int(l))
	}
	return layoutNames[l]
}

// ChannelLast reports whether the channel axis is the last one.
func (l Layout) ChannelLast() bool { return l >= LayoutNWC }

// SpatialDims is the number of spatial axes (1, 2 or 3).
func (l Layout) SpatialDims() int { return int(l)%3 + 1 }

// defaultLayout is the channel-first layout for k spatial dims.
func defaultLayout(k int) Layout { return Layout(k - 1) }

// toNC reorders a shape in layout l into (N, C, spatial...).
func toNC(s Shape, l Layout) Shape {
	if s == nil || !l.ChannelLast() {
		return cloneShape(s)
	}
	n := len(s)
	out := make(Shape, 0, n)
	out = append(out, s[0], s[n-1])
	return append(out, s[1:n-1]...)
}

// fromNC reorders an (N, C, spatial...) shape into layout l.
func fromNC(s Shape, l Layout) Shape {
	if s == nil || !l.ChannelLast() {
		return cloneShape(s)
	}
	n := len(s)
	out := make(Shape, 0, n)
	out = append(out, s[0])
	out = append(out, s[2:]...)
	return append(out, s[1])
}

// fillSpatial returns v, or k copies of def when v is empty (the parsers'
// default stride, dilate and pad), and checks the length is k.
func fillSpatial(v []int, k, def int, what string) ([]int, error) {
	if len(v) == 0 {
		out := make([]int, k)
		for i := range out {
			out[i] = def
		}
		return out, nil
	}
	if len(v) != k {
		return nil, fmt.Errorf("%s %s must have the same number of dims as kernel", what, ShapeString(v))
	}
	return v, nil
}
