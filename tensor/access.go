package tensor

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/mxgo/mxgo/asm"
)

// Half is an IEEE binary16 value as its raw bits (MXNet float16).
type Half uint16

// BF16 is a bfloat16 value as its raw bits (MXNet bfloat16).
type BF16 uint16

// Float32 converts h exactly.
func (h Half) Float32() float32 { return asm.HalfToFloat(uint16(h)) }

// Float32 converts b exactly.
func (b BF16) Float32() float32 { return math.Float32frombits(uint32(b) << 16) }

// Element is the set of Go types that hold one element of some DType.
type Element interface {
	float32 | float64 | Half | BF16 | uint8 | int8 | int16 | uint16 |
		int32 | uint32 | int64 | uint64 | bool
}

// DTypeOf returns the DType whose elements are Go values of type T.
func DTypeOf[T Element]() DType {
	var z T
	switch any(z).(type) {
	case float32:
		return Float32
	case float64:
		return Float64
	case Half:
		return Float16
	case BF16:
		return BFloat16
	case uint8:
		return Uint8
	case int8:
		return Int8
	case int16:
		return Int16
	case uint16:
		return Uint16
	case int32:
		return Int32
	case uint32:
		return Uint32
	case int64:
		return Int64
	case uint64:
		return Uint64
	default: // bool
		return Bool
	}
}

// FromSlice copies data into a new aligned tensor of the matching dtype.
// With no shape the tensor is 1-D of len(data).
func FromSlice[T Element](data []T, shape ...int) (*Tensor, error) {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	t, err := New(DTypeOf[T](), shape...)
	if err != nil {
		return nil, err
	}
	if t.Len() != len(data) {
		return nil, fmt.Errorf("tensor.FromSlice: shape %s needs %d elements, got %d", ShapeString(shape), t.Len(), len(data))
	}
	copy(view[T](t.data), data)
	return t, nil
}

// Data returns t's elements as a []T sharing t's storage. It fails if T does
// not match t's dtype.
func Data[T Element](t *Tensor) ([]T, error) {
	if dt := DTypeOf[T](); dt != t.dtype {
		return nil, fmt.Errorf("tensor: %s data requested as %s", t.dtype, dt)
	}
	return view[T](t.data), nil
}

func view[T Element](b []byte) []T {
	var z T
	n := len(b) / int(unsafe.Sizeof(z))
	if n == 0 {
		return []T{}
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// Float32s returns the elements of a float32 tensor, sharing storage.
// It panics if t is not float32 (a programming error, like a failed type
// assertion); use Data for an error instead.
func (t *Tensor) Float32s() []float32 {
	if t.dtype != Float32 {
		panic("tensor: Float32s on " + t.String())
	}
	return view[float32](t.data)
}

// Float64At returns element i (flat row-major index) converted to float64,
// for any dtype.
func (t *Tensor) Float64At(i int) float64 {
	switch t.dtype {
	case Float32:
		return float64(view[float32](t.data)[i])
	case Float64:
		return view[float64](t.data)[i]
	case Float16:
		return float64(view[Half](t.data)[i].Float32())
	case BFloat16:
		return float64(view[BF16](t.data)[i].Float32())
	case Uint8:
		return float64(t.data[i])
	case Int8:
		return float64(int8(t.data[i]))
	case Int16:
		return float64(view[int16](t.data)[i])
	case Uint16:
		return float64(view[uint16](t.data)[i])
	case Int32:
		return float64(view[int32](t.data)[i])
	case Uint32:
		return float64(view[uint32](t.data)[i])
	case Int64:
		return float64(view[int64](t.data)[i])
	case Uint64:
		return float64(view[uint64](t.data)[i])
	default: // Bool
		if t.data[i] != 0 {
			return 1
		}
		return 0
	}
}

// SetFloat64At stores v at flat index i, converting to t's dtype the way a
// C cast does (float16 rounds to nearest even, bfloat16 truncates as MXNet
// does, integers truncate toward zero, bool is v != 0).
func (t *Tensor) SetFloat64At(i int, v float64) {
	switch t.dtype {
	case Float32:
		view[float32](t.data)[i] = float32(v)
	case Float64:
		view[float64](t.data)[i] = v
	case Float16:
		view[uint16](t.data)[i] = uint16(ToHalf(float32(v)))
	case BFloat16:
		view[uint16](t.data)[i] = uint16(ToBF16(float32(v)))
	case Uint8:
		t.data[i] = uint8(int64(v))
	case Int8:
		t.data[i] = byte(int8(int64(v)))
	case Int16:
		view[int16](t.data)[i] = int16(int64(v))
	case Uint16:
		view[uint16](t.data)[i] = uint16(int64(v))
	case Int32:
		view[int32](t.data)[i] = int32(int64(v))
	case Uint32:
		view[uint32](t.data)[i] = uint32(int64(v))
	case Int64:
		view[int64](t.data)[i] = int64(v)
	case Uint64:
		view[uint64](t.data)[i] = uint64(v)
	default: // Bool
		if v != 0 {
			t.data[i] = 1
		} else {
			t.data[i] = 0
		}
	}
}

// AsType returns a copy of t converted to dt (a plain copy when dt equals t's
// dtype). float32 ↔ float16/bfloat16 use ToHalf/Half.Float32 and
// ToBF16/BF16.Float32; other conversions go through float64.
func (t *Tensor) AsType(dt DType) (*Tensor, error) {
	if dt == t.dtype {
		return t.Clone(), nil
	}
	out, err := New(dt, t.shape...)
	if err != nil {
		return nil, err
	}
	switch {
	case t.dtype == Float32 && dt == Float16:
		src, dst := view[float32](t.data), view[uint16](out.data)
		for i, v := range src {
			dst[i] = uint16(ToHalf(v))
		}
	case t.dtype == Float16 && dt == Float32:
		src, dst := view[uint16](t.data), view[float32](out.data)
		for i, v := range src {
			dst[i] = Half(v).Float32()
		}
	default:
		for i, n := 0, t.Len(); i < n; i++ {
			out.SetFloat64At(i, t.Float64At(i))
		}
	}
	return out, nil
}
