package ndarray_test

import (
	"testing"
	"unsafe"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/tensor"
)

// The codec keeps its own copies of tensor's tables (it imports nothing of
// mxgo, see the package doc); they must agree.
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
	if ndarray.MaxNDim != tensor.MaxNDim || ndarray.Align != tensor.Align || ndarray.MaxAllocBytes != tensor.MaxAllocBytes {
		t.Fatalf("MaxNDim %d/%d, Align %d/%d, MaxAllocBytes %d/%d", ndarray.MaxNDim, tensor.MaxNDim,
			ndarray.Align, tensor.Align, ndarray.MaxAllocBytes, tensor.MaxAllocBytes)
	}
	for _, s := range [][]int{{}, {5}, {2, 3}, {0, 4}, {-1, 2}, {1 << 40, 1 << 40}, {-3}, make([]int, 33)} {
		if a, b := ndarray.ShapeString(s), tensor.ShapeString(s); a != b {
			t.Errorf("ShapeString(%v) = %s, tensor %s", s, a, b)
		}
		for _, es := range []int{0, 4, 1 << 40} {
			n, err := ndarray.NumElements(s, es)
			tn, terr := tensor.NumElements(s, es)
			if n != tn || (err == nil) != (terr == nil) || (err != nil && err.Error() != terr.Error()) {
				t.Errorf("NumElements(%v, %d) = %d %v, tensor %d %v", s, es, n, err, tn, terr)
			}
		}
	}
	for _, n := range []int{0, 1, 63, 64, 1000} {
		b := ndarray.AlignedBytes(n)
		if len(b) != n || (n > 0 && uintptr(unsafe.Pointer(&b[0]))%tensor.Align != 0) {
			t.Errorf("AlignedBytes(%d): len %d", n, len(b))
		}
	}
}
