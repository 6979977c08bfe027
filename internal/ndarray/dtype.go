package ndarray

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"
)

// DType is a record's element type flag, numbered as MXNet's mshadow type
// flags (and so as tensor.DType).
type DType int32

// The flags the codec itself needs (sparse index blocks).
const (
	Float32 DType = 0
	Uint8   DType = 3
	Int32   DType = 4
	Int8    DType = 5
	Int64   DType = 6
	Int16   DType = 8
	Uint16  DType = 9
	Uint32  DType = 10
	Uint64  DType = 11
)

// numDTypes is the number of dtype flags MXNet defines.
const numDTypes = 13

var dtypeNames = [numDTypes]string{
	"float32", "float64", "float16", "uint8", "int32", "int8", "int64",
	"bool", "int16", "uint16", "uint32", "uint64", "bfloat16",
}

var dtypeSizes = [numDTypes]int{4, 8, 2, 1, 4, 1, 8, 1, 2, 2, 4, 8, 2}

// Valid reports whether d is one of MXNet's 13 dtype flags.
func (d DType) Valid() bool { return d >= 0 && d < numDTypes }

// Size is the element size in bytes; 0 for an invalid flag.
func (d DType) Size() int {
	if !d.Valid() {
		return 0
	}
	return dtypeSizes[d]
}

// String returns MXNet's name for d, or "dtype(N)" for an invalid flag.
func (d DType) String() string {
	if !d.Valid() {
		return "dtype(" + strconv.Itoa(int(d)) + ")"
	}
	return dtypeNames[d]
}

// MaxNDim is the most dims a record may have (tensor.MaxNDim).
const MaxNDim = 32

// MaxAllocBytes bounds a dense block Densify builds; tensor.MaxAllocBytes
// is this value.
const MaxAllocBytes = 1 << 47

// Align is the alignment of the blocks the sources and Densify allocate;
// tensor.Align is this value, so tensors built on them are aligned like
// tensor.New's.
const Align = 64

// ErrShape is wrapped by every shape error of NumElements (it is
// tensor.ErrShape).
var ErrShape = errors.New("invalid shape")

// NumElements (tensor.NumElements) returns the element count of shape,
// failing on a negative
// dim, too many dims, or a product (times elemSize, when positive) that
// overflows int.
func NumElements(shape []int, elemSize int) (int, error) {
	if len(shape) > MaxNDim {
		return 0, fmt.Errorf("%w: %d dims (max %d)", ErrShape, len(shape), MaxNDim)
	}
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("%w: negative dim in %s", ErrShape, ShapeString(shape))
		}
		if d != 0 && n > math.MaxInt/d {
			return 0, fmt.Errorf("%w: %s overflows", ErrShape, ShapeString(shape))
		}
		n *= d
	}
	if elemSize > 0 && n > math.MaxInt/elemSize {
		return 0, fmt.Errorf("%w: %s of %d-byte elements overflows", ErrShape, ShapeString(shape), elemSize)
	}
	return n, nil
}

// ShapeString formats a shape as MXNet prints it: "(2,3)", "(5,)", "()";
// an unknown (negative) dim prints as "?". tensor.ShapeString is this.
func ShapeString(shape []int) string {
	var sb strings.Builder
	sb.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			sb.WriteByte(',')
		}
		if d < 0 {
			sb.WriteByte('?')
		} else {
			sb.WriteString(strconv.Itoa(d))
		}
	}
	if len(shape) == 1 {
		sb.WriteByte(',')
	}
	sb.WriteByte(')')
	return sb.String()
}

// AlignedBytes returns n zeroed bytes whose first byte is Align-aligned
// (tensor.AlignedBytes is this).
func AlignedBytes(n int) []byte {
	if n == 0 {
		return []byte{}
	}
	buf := make([]byte, n+Align-1)
	off := int(-uintptr(unsafe.Pointer(&buf[0]))) & (Align - 1)
	return buf[off : off+n : off+n]
}
