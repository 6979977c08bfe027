package tensor

import (
	"errors"
	"math"
	"testing"
	"unsafe"
)

func TestDTypeNamesAndSizes(t *testing.T) {
	want := []string{"float32", "float64", "float16", "uint8", "int32", "int8", "int64", "bool", "int16", "uint16", "uint32", "uint64", "bfloat16"}
	sizes := []int{4, 8, 2, 1, 4, 1, 8, 1, 2, 2, 4, 8, 2}
	for i, n := range want {
		d := DType(i)
		if d.String() != n || d.Size() != sizes[i] {
			t.Errorf("flag %d: %s/%d, want %s/%d", i, d, d.Size(), n, sizes[i])
		}
		p, err := ParseDType(n)
		if err != nil || p != d {
			t.Errorf("ParseDType(%q) = %v, %v", n, p, err)
		}
	}
	if DType(13).Valid() || DType(-1).Valid() || DType(13).String() != "dtype(13)" {
		t.Error("flag 13 / -1 must be invalid")
	}
	if _, err := ParseDType("float"); err == nil {
		t.Error("ParseDType(float) must fail")
	}
}

func TestNewAlignedAndShapes(t *testing.T) {
	for _, shape := range [][]int{{}, {0}, {1}, {3, 5}, {2, 0, 4}, {7, 1, 3}} {
		x, err := New(Float32, shape...)
		if err != nil {
			t.Fatal(err)
		}
		n := 1
		for _, d := range shape {
			n *= d
		}
		if x.Len() != n || x.NDim() != len(shape) {
			t.Errorf("%v: len %d ndim %d", shape, x.Len(), x.NDim())
		}
		if n > 0 && uintptr(unsafe.Pointer(&x.Bytes()[0]))%Align != 0 {
			t.Errorf("%v: storage not %d-byte aligned", shape, Align)
		}
	}
	for _, bad := range [][]int{{-1}, {1 << 40, 1 << 40}, make([]int, 33), {1 << 50}, {1 << 20, 1 << 20, 1 << 10}} {
		if _, err := New(Float32, bad...); !errors.Is(err, ErrShape) {
			t.Errorf("New(%v) err = %v, want ErrShape", bad, err)
		}
	}
	if _, err := New(DType(99), 2); err == nil {
		t.Error("New with dtype 99 must fail")
	}
}

func TestFromSliceDataReshape(t *testing.T) {
	x, err := FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if x.String() != "float32(2,3)" {
		t.Errorf("String = %s", x)
	}
	y, err := x.Reshape(3, -1)
	if err != nil || ShapeString(y.Shape()) != "(3,2)" {
		t.Fatalf("Reshape: %v %v", y, err)
	}
	y.Float32s()[0] = 9 // a view: shares storage
	if x.Float32s()[0] != 9 {
		t.Error("Reshape must share storage")
	}
	if _, err := x.Reshape(4, 2); err == nil {
		t.Error("Reshape to wrong size must fail")
	}
	if _, err := FromSlice([]int64{1, 2, 3}, 2, 2); err == nil {
		t.Error("FromSlice with wrong count must fail")
	}
	if _, err := Data[int32](x); err == nil {
		t.Error("Data[int32] of float32 must fail")
	}
	h, _ := FromSlice([]Half{ToHalf(0.5), ToHalf(-2)})
	if h.DType() != Float16 || h.Float64At(1) != -2 {
		t.Errorf("Half tensor: %v %v", h, h.Float64At(1))
	}
	if ShapeString(nil) != "()" || ShapeString([]int{5}) != "(5,)" {
		t.Error("ShapeString")
	}
}

func TestAsTypeAndCompare(t *testing.T) {
	x, _ := FromSlice([]float32{0.5, -2, 65504, 1e-8, float32(math.NaN())})
	h, err := x.AsType(Float16)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := h.AsType(Float32)
	if err := Compare(back, x, 0, 1e-7); err != nil {
		t.Errorf("float16 round trip: %v", err)
	}
	i, _ := FromSlice([]float64{1.9, -1.9, 300})
	i8, _ := i.AsType(Int8)
	d, _ := Data[int8](i8)
	if d[0] != 1 || d[1] != -1 || d[2] != 44 /* 300 wraps as a C cast */ {
		t.Errorf("float64->int8 = %v", d)
	}
	a, _ := FromSlice([]float32{1, 2})
	b, _ := FromSlice([]float32{1, 2.5})
	if AllClose(a, b, 0.1, 0) || !AllClose(a, b, 0.3, 0) || Equal(a, b) || !Equal(a, a.Clone()) {
		t.Error("AllClose/Equal")
	}
}
