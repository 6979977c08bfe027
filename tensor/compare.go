package tensor

import (
	"bytes"
	"fmt"
	"math"
)

// Equal reports whether a and b have the same dtype, shape and element bytes
// (so +0 and -0 differ, and identical NaNs are equal).
func Equal(a, b *Tensor) bool {
	return a.dtype == b.dtype && a.SameShape(b) && bytes.Equal(a.data, b.data)
}

// AllClose reports whether a and b have the same shape and every pair of
// elements satisfies |a-b| <= atol + rtol*|b| (numpy.allclose), comparing in
// float64 whatever the dtypes. NaNs must appear at the same positions; equal
// infinities are close.
func AllClose(a, b *Tensor, rtol, atol float64) bool {
	return Compare(a, b, rtol, atol) == nil
}

// Compare is AllClose with an explanation: nil when close, otherwise an error
// naming the first differing element and the largest difference.
func Compare(a, b *Tensor, rtol, atol float64) error {
	if !a.SameShape(b) {
		return fmt.Errorf("shape %s != %s", ShapeString(a.shape), ShapeString(b.shape))
	}
	first, bad, worst, worstAt := -1, 0, 0.0, -1
	for i, n := 0, a.Len(); i < n; i++ {
		x, y := a.Float64At(i), b.Float64At(i)
		if close(x, y, rtol, atol) {
			continue
		}
		bad++
		if first < 0 {
			first = i
		}
		if d := math.Abs(x - y); !(d <= worst) {
			worst, worstAt = d, i
		}
	}
	if first < 0 {
		return nil
	}
	return fmt.Errorf("%d of %d elements differ (rtol %g, atol %g): first at %d: %g vs %g; largest |diff| %g at %d",
		bad, a.Len(), rtol, atol, first, a.Float64At(first), b.Float64At(first), worst, worstAt)
}

func close(x, y, rtol, atol float64) bool {
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.IsNaN(x) && math.IsNaN(y)
	}
	if x == y { // covers equal infinities
		return true
	}
	return math.Abs(x-y) <= atol+rtol*math.Abs(y)
}
