package tensor

import (
	"fmt"
	"strconv"
)

// DType is an element type, numbered exactly as MXNet's mshadow type flags
// (the i32 stored in NDArray files and in the `__dtype__` graph attribute).
type DType int32

// The MXNet dtype flags 0–12.
const (
	Float32  DType = 0
	Float64  DType = 1
	Float16  DType = 2
	Uint8    DType = 3
	Int32    DType = 4
	Int8     DType = 5
	Int64    DType = 6
	Bool     DType = 7
	Int16    DType = 8
	Uint16   DType = 9
	Uint32   DType = 10
	Uint64   DType = 11
	BFloat16 DType = 12
)

// NumDTypes is the number of dtype flags MXNet defines (0 to NumDTypes-1).
const NumDTypes = 13

var dtypeNames = [NumDTypes]string{
	"float32", "float64", "float16", "uint8", "int32", "int8", "int64",
	"bool", "int16", "uint16", "uint32", "uint64", "bfloat16",
}

var dtypeSizes = [NumDTypes]int{4, 8, 2, 1, 4, 1, 8, 1, 2, 2, 4, 8, 2}

// Valid reports whether d is one of MXNet's 13 dtype flags.
func (d DType) Valid() bool { return d >= 0 && d < NumDTypes }

// String returns MXNet's name for d ("float32", "bfloat16", ...), or
// "dtype(N)" for an invalid flag.
func (d DType) String() string {
	if !d.Valid() {
		return "dtype(" + strconv.Itoa(int(d)) + ")"
	}
	return dtypeNames[d]
}

// Size is the element size in bytes; 0 for an invalid flag.
func (d DType) Size() int {
	if !d.Valid() {
		return 0
	}
	return dtypeSizes[d]
}

// IsFloat reports whether d is a floating-point type (float16/32/64, bfloat16).
func (d DType) IsFloat() bool {
	return d == Float32 || d == Float64 || d == Float16 || d == BFloat16
}

// ParseDType returns the dtype named s (one of MXNet's names, e.g. "float16").
func ParseDType(s string) (DType, error) {
	for i, n := range dtypeNames {
		if n == s {
			return DType(i), nil
		}
	}
	return 0, fmt.Errorf("unknown dtype %q", s)
}

// MarshalText encodes d as its MXNet name, so JSON output shows "float32".
func (d DType) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("invalid dtype flag %d", int32(d))
	}
	return []byte(d.String()), nil
}

// UnmarshalText parses an MXNet dtype name.
func (d *DType) UnmarshalText(b []byte) error {
	v, err := ParseDType(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
