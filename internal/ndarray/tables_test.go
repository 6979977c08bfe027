package ndarray_test

import (
	"errors"
	"testing"
	"unsafe"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/tensor"
)

// The codec keeps its own copies of tensor's dtype tables (it imports
// nothing of mxgo, see the package doc); they must agree. (Shape checks,
// ShapeString, the alignment and the allocation bound are the codec's,
// which tensor uses: TestShapeHelpers.)
func TestTablesMatchTensor(t *testing.T) {
	if ndarray.NumDTypes != tensor.NumDTypes {
		t.Fatalf("%d dtypes, tensor has %d", ndarray.NumDTypes, tensor.NumDTypes)
	}
	for i := -1; i <= tensor.NumDTypes; i++ {
		d, td := ndarray.DType(i), tensor.DType(i)
		if d.Valid() != td.Valid() || d.Size() != td.Size() || d.String() != td.String() {
			t.Errorf("dtype %d: %v %d %s, tensor %v %d %s", i, d.Valid(), d.Size(), d, td.Valid(), td.Size(), td)
		}
	}
	for _, c := range []struct {
		name string
		n    ndarray.DType
		t    tensor.DType
	}{{"float32", ndarray.Float32, tensor.Float32}, {"uint8", ndarray.Uint8, tensor.Uint8}, {"int32", ndarray.Int32, tensor.Int32},
		{"int8", ndarray.Int8, tensor.Int8}, {"int64", ndarray.Int64, tensor.Int64}, {"int16", ndarray.Int16, tensor.Int16},
		{"uint16", ndarray.Uint16, tensor.Uint16}, {"uint32", ndarray.Uint32, tensor.Uint32}, {"uint64", ndarray.Uint64, tensor.Uint64}} {
		if int32(c.n) != int32(c.t) {
			t.Errorf("%s: flag %d, tensor %d", c.name, c.n, c.t)
		}
	}
	for _, n := range []int{0, 1, 63, 64, 1000} {
		b := ndarray.AlignedBytes(n)
		if len(b) != n || (n > 0 && uintptr(unsafe.Pointer(&b[0]))%tensor.Align != 0) {
			t.Errorf("AlignedBytes(%d): len %d", n, len(b))
		}
	}
}

// TestShapeHelpers checks NumElements, ShapeString and AlignedBytes (which
// package tensor exports as its own) on ordinary, empty, unknown, too
// large and too many dims.
func TestShapeHelpers(t *testing.T) {
	for _, c := range []struct {
		shape []int
		str   string
		n     int // element count; -1: an error wrapping ErrShape
	}{
		{[]int{}, "()", 1}, {[]int{5}, "(5,)", 5}, {[]int{2, 3}, "(2,3)", 6}, {[]int{0, 4}, "(0,4)", 0},
		{[]int{-1, 2}, "(?,2)", -1}, {[]int{-3}, "(?,)", -1}, {[]int{1 << 40, 1 << 40}, "(1099511627776,1099511627776)", -1},
		{make([]int, ndarray.MaxNDim+1), "", -1},
	} {
		if c.str != "" {
			if got := ndarray.ShapeString(c.shape); got != c.str {
				t.Errorf("ShapeString(%v) = %s, want %s", c.shape, got, c.str)
			}
		}
		n, err := ndarray.NumElements(c.shape, 0)
		if c.n < 0 {
			if !errors.Is(err, ndarray.ErrShape) || !errors.Is(err, tensor.ErrShape) {
				t.Errorf("NumElements(%v) = %d, %v: want an ErrShape error", c.shape, n, err)
			}
			continue
		}
		if err != nil || n != c.n {
			t.Errorf("NumElements(%v) = %d, %v: want %d", c.shape, n, err, c.n)
		}
	}
	// The element size joins the overflow check.
	if _, err := ndarray.NumElements([]int{1 << 40}, 1<<40); !errors.Is(err, ndarray.ErrShape) {
		t.Errorf("NumElements of 2^40 elements of 2^40 bytes: %v, want an overflow", err)
	}
	if n, err := ndarray.NumElements([]int{1 << 20}, 1<<20); err != nil || n != 1<<20 {
		t.Errorf("NumElements of 2^20 elements of 2^20 bytes: %d, %v", n, err)
	}
	if ndarray.Align != 64 || ndarray.MaxAllocBytes != 1<<47 {
		t.Errorf("Align %d, MaxAllocBytes %d", ndarray.Align, ndarray.MaxAllocBytes)
	}
}
