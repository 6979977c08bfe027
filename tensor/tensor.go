// Package tensor is mxgo's dense CPU tensor: a dtype (MXNet's flag numbers),
// a shape, and contiguous row-major little-endian element bytes in 64-byte
// aligned storage. Every MXNet dtype can be held, converted and saved;
// float32 is the type the kernels compute in.
//
// Only little-endian hosts are supported (amd64, arm64), so the element bytes
// are both the in-memory values and the on-disk bytes MXNet writes; a build
// for a big-endian GOARCH fails to compile with an error naming this.
package tensor

import (
	"fmt"

	"github.com/mxgo/mxgo/internal/ndarray"
)

// Align is the byte alignment of storage allocated by this package.
const Align = ndarray.Align

// MaxNDim is the largest number of dimensions a shape may have (MXNet's limit
// for NDArray files is 32 as well).
const MaxNDim = ndarray.MaxNDim

// Tensor is a dense, contiguous, row-major array. The zero value is not
// usable; build tensors with New, FromSlice or FromBytes. A Tensor's shape is
// fixed; Reshape returns a view sharing the same storage.
type Tensor struct {
	dtype DType
	shape []int
	data  []byte
}

// ErrShape is wrapped by every error about an invalid shape.
var ErrShape = ndarray.ErrShape

// NumElements returns the product of shape, checking each dim is non-negative,
// the number of dims is at most MaxNDim, and the product (times elemSize, if
// elemSize > 0) does not overflow an int. (The NDArray codec,
// internal/ndarray, shares it.)
func NumElements(shape []int, elemSize int) (int, error) {
	return ndarray.NumElements(shape, elemSize)
}

// ShapeString formats a shape as MXNet prints it: (2,3), (5,) and () for a
// scalar; a negative (unknown, during shape inference) dim prints as "?".
func ShapeString(shape []int) string { return ndarray.ShapeString(shape) }

// AlignedBytes returns n zeroed bytes whose first byte is Align-aligned.
func AlignedBytes(n int) []byte { return ndarray.AlignedBytes(n) }

// MaxAllocBytes is the largest storage New allocates: 2^47 bytes (128 TiB),
// under the Go runtime's own limit, so that an absurd shape is an error
// rather than a panic in make. (A size below it but beyond the machine's
// memory still exhausts it: bound untrusted shapes before, as serialize's
// Limits do.)
const MaxAllocBytes = ndarray.MaxAllocBytes

// New returns a zero-filled tensor of the given dtype and shape. An empty
// shape is a scalar (one element); a zero dim gives an empty tensor. A shape
// whose product overflows or needs more than MaxAllocBytes is an error
// wrapping ErrShape.
func New(dt DType, shape ...int) (*Tensor, error) {
	if !dt.Valid() {
		return nil, fmt.Errorf("tensor.New: invalid dtype flag %d", int32(dt))
	}
	n, err := NumElements(shape, dt.Size())
	if err != nil {
		return nil, fmt.Errorf("tensor.New: %w", err)
	}
	if int64(n)*int64(dt.Size()) > MaxAllocBytes {
		return nil, fmt.Errorf("tensor.New: %w: %s %s needs %d bytes, over %d", ErrShape, dt, ShapeString(shape), int64(n)*int64(dt.Size()), int64(MaxAllocBytes))
	}
	return &Tensor{dtype: dt, shape: cloneShape(shape), data: AlignedBytes(n * dt.Size())}, nil
}

// FromBytes wraps raw little-endian element bytes (no copy) as a tensor.
// len(b) must equal the shape's element count times the dtype size. The
// storage keeps b's alignment; use Clone for aligned storage.
func FromBytes(dt DType, shape []int, b []byte) (*Tensor, error) {
	if !dt.Valid() {
		return nil, fmt.Errorf("tensor.FromBytes: invalid dtype flag %d", int32(dt))
	}
	n, err := NumElements(shape, dt.Size())
	if err != nil {
		return nil, fmt.Errorf("tensor.FromBytes: %w", err)
	}
	if len(b) != n*dt.Size() {
		return nil, fmt.Errorf("tensor.FromBytes: %s %s needs %d bytes, got %d", dt, ShapeString(shape), n*dt.Size(), len(b))
	}
	return &Tensor{dtype: dt, shape: cloneShape(shape), data: b[:len(b):len(b)]}, nil
}

func cloneShape(s []int) []int {
	out := make([]int, len(s))
	copy(out, s)
	return out
}

// DType returns the element type.
func (t *Tensor) DType() DType { return t.dtype }

// Shape returns a copy of the shape.
func (t *Tensor) Shape() []int { return cloneShape(t.shape) }

// NDim returns the number of dimensions (0 for a scalar).
func (t *Tensor) NDim() int { return len(t.shape) }

// Dim returns the size of axis i.
func (t *Tensor) Dim(i int) int { return t.shape[i] }

// Len returns the number of elements.
func (t *Tensor) Len() int { return len(t.data) / t.dtype.Size() }

// Bytes returns the raw little-endian element bytes (shared, not copied).
func (t *Tensor) Bytes() []byte { return t.data }

// String describes the tensor's dtype and shape, e.g. "float32(2,3)".
func (t *Tensor) String() string { return t.dtype.String() + ShapeString(t.shape) }

// Clone returns a deep copy in freshly allocated aligned storage.
func (t *Tensor) Clone() *Tensor {
	c := &Tensor{dtype: t.dtype, shape: cloneShape(t.shape), data: AlignedBytes(len(t.data))}
	copy(c.data, t.data)
	return c
}

// Reshape returns a view with a new shape and the same storage. One dim may
// be -1 and is inferred from the element count.
func (t *Tensor) Reshape(shape ...int) (*Tensor, error) {
	s := cloneShape(shape)
	infer := -1
	known := 1
	for i, d := range s {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			return nil, fmt.Errorf("tensor.Reshape %s to %s: %w", t, ShapeString(shape), ErrShape)
		default:
			known *= d
		}
	}
	if infer >= 0 {
		if known == 0 {
			return nil, fmt.Errorf("tensor.Reshape %s to %s: cannot infer -1 next to a zero dim", t, ShapeString(shape))
		}
		s[infer] = t.Len() / known
	}
	n, err := NumElements(s, t.dtype.Size())
	if err != nil {
		return nil, fmt.Errorf("tensor.Reshape: %w", err)
	}
	if n != t.Len() {
		return nil, fmt.Errorf("tensor.Reshape %s to %s: element count %d != %d", t, ShapeString(shape), n, t.Len())
	}
	return &Tensor{dtype: t.dtype, shape: s, data: t.data}, nil
}

// SameShape reports whether t and u have equal shapes.
func (t *Tensor) SameShape(u *Tensor) bool {
	if len(t.shape) != len(u.shape) {
		return false
	}
	for i := range t.shape {
		if t.shape[i] != u.shape[i] {
			return false
		}
	}
	return true
}
