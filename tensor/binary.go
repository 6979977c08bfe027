package tensor

import (
	"fmt"

	"github.com/mxgo/mxgo/internal/ndarray"
)

// MarshalBinary encodes t as one MXNet NDArray record, the bytes MXNet's
// pickling (MXNDArraySaveRawBytes) stores: a V2 record with context cpu(0),
// or a V3 record for a 0-dim scalar or an array with a zero dim, which V2
// cannot represent.
func (t *Tensor) MarshalBinary() ([]byte, error) {
	gen := ndarray.RecordV2
	for _, d := range t.shape {
		if d == 0 {
			gen = ndarray.RecordV3
		}
	}
	if len(t.shape) == 0 {
		gen = ndarray.RecordV3
	}
	r := ndarray.NewDense(gen, ndarray.DType(t.dtype), t.shape, t.data)
	b, err := ndarray.AppendRecord(make([]byte, 0, r.HeaderLen()+len(t.data)), r)
	if err != nil {
		return nil, fmt.Errorf("tensor.MarshalBinary: %w", err)
	}
	return b, nil
}

// UnmarshalBinary decodes one record of any generation (dense or sparse;
// sparse records are densified) into t, copying the data into aligned
// storage. Trailing bytes and none records are errors.
func (t *Tensor) UnmarshalBinary(b []byte) error {
	src := ndarray.NewBytesSource(b)
	src.Copy = true
	r, err := ndarray.ReadRecord(src)
	if err != nil {
		return fmt.Errorf("tensor.UnmarshalBinary: %w", err)
	}
	if rem := src.Remaining(); rem != 0 {
		return fmt.Errorf("tensor.UnmarshalBinary: %d trailing bytes after the record", rem)
	}
	if r.None {
		return fmt.Errorf("tensor.UnmarshalBinary: record is a none array")
	}
	data, err := r.Densify()
	if err != nil {
		return fmt.Errorf("tensor.UnmarshalBinary: %w", err)
	}
	d, err := FromBytes(DType(r.DType), r.Shape, data)
	if err != nil {
		return fmt.Errorf("tensor.UnmarshalBinary: %w", err)
	}
	*t = *d
	return nil
}
