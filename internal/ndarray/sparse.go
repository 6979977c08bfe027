package ndarray

import (
	"encoding/binary"
	"fmt"
)

// Densify returns the dense contents of a record, the bytes of an array of
// r.DType and r.Shape: the data block itself for dense storage, or freshly
// built aligned storage for row_sparse and csr. It checks every index
// against the shape before allocating.
func (r *Record) Densify() ([]byte, error) {
	if r.None {
		return nil, fmt.Errorf("record is a none array")
	}
	switch r.Storage {
	case StorageDefault:
		if err := checkBlock("data", r.Shape, r.DType, r.Data); err != nil {
			return nil, err
		}
		return r.Data, nil
	case StorageRowSparse:
		return r.denseRowSparse()
	case StorageCSR:
		return r.denseCSR()
	}
	return nil, fmt.Errorf("unknown storage type %d", int32(r.Storage))
}

// indexAt reads element i of an integer aux block as int64.
func indexAt(a *AuxBlock, i int) (int64, error) {
	le := binary.LittleEndian
	switch a.DType {
	case Int64, Uint64:
		return int64(le.Uint64(a.Data[8*i:])), nil
	case Int32:
		return int64(int32(le.Uint32(a.Data[4*i:]))), nil
	case Uint32:
		return int64(le.Uint32(a.Data[4*i:])), nil
	case Int16:
		return int64(int16(le.Uint16(a.Data[2*i:]))), nil
	case Uint16:
		return int64(le.Uint16(a.Data[2*i:])), nil
	case Int8:
		return int64(int8(a.Data[i])), nil
	case Uint8:
		return int64(a.Data[i]), nil
	}
	return 0, fmt.Errorf("sparse index of non-integer dtype %s", a.DType)
}

// newDense allocates the zeroed dense block of r's dtype and shape.
func (r *Record) newDense() ([]byte, error) {
	if !r.DType.Valid() {
		return nil, fmt.Errorf("invalid dtype flag %d", int32(r.DType))
	}
	n, err := NumElements(r.Shape, r.DType.Size())
	if err != nil {
		return nil, err
	}
	if int64(n)*int64(r.DType.Size()) > MaxAllocBytes {
		return nil, fmt.Errorf("%s %s needs %d bytes, over %d", r.DType, ShapeString(r.Shape), int64(n)*int64(r.DType.Size()), int64(MaxAllocBytes))
	}
	return AlignedBytes(n * r.DType.Size()), nil
}

func (r *Record) denseRowSparse() ([]byte, error) {
	if len(r.Aux) != 1 || len(r.Shape) == 0 || len(r.StorageShape) != len(r.Shape) {
		return nil, fmt.Errorf("malformed row_sparse record: shape %v, storage shape %v", r.Shape, r.StorageShape)
	}
	for i := 1; i < len(r.Shape); i++ {
		if r.Shape[i] != r.StorageShape[i] {
			return nil, fmt.Errorf("row_sparse storage shape %v does not match shape %v", r.StorageShape, r.Shape)
		}
	}
	idx := &r.Aux[0]
	nnz := r.StorageShape[0]
	if len(idx.Shape) != 1 || idx.Shape[0] != nnz {
		return nil, fmt.Errorf("row_sparse index shape %v, want (%d,)", idx.Shape, nnz)
	}
	row := 0
	if nnz > 0 {
		row = len(r.Data) / nnz
	}
	// Validate every index before allocating the dense result.
	for i := 0; i < nnz; i++ {
		k, err := indexAt(idx, i)
		if err != nil {
			return nil, err
		}
		if k < 0 || k >= int64(r.Shape[0]) {
			return nil, fmt.Errorf("row_sparse row index %d out of range [0,%d)", k, r.Shape[0])
		}
	}
	t, err := r.newDense()
	if err != nil {
		return nil, err
	}
	for i := 0; i < nnz; i++ {
		k, _ := indexAt(idx, i)
		copy(t[int(k)*row:int(k+1)*row], r.Data[i*row:(i+1)*row])
	}
	return t, nil
}

func (r *Record) denseCSR() ([]byte, error) {
	if len(r.Aux) != 2 || len(r.Shape) != 2 || len(r.StorageShape) != 1 {
		return nil, fmt.Errorf("malformed csr record: shape %v, storage shape %v", r.Shape, r.StorageShape)
	}
	rows, cols, nnz := r.Shape[0], r.Shape[1], r.StorageShape[0]
	indptr, indices := &r.Aux[0], &r.Aux[1]
	if len(indptr.Shape) != 1 || indptr.Shape[0] != rows+1 || len(indices.Shape) != 1 || indices.Shape[0] != nnz {
		return nil, fmt.Errorf("csr index shapes %v, %v do not fit shape %v with %d values", indptr.Shape, indices.Shape, r.Shape, nnz)
	}
	// Pass 0 validates every index; pass 1 allocates and fills.
	var t []byte
	es := r.DType.Size()
	for pass := 0; pass < 2; pass++ {
		if pass == 1 {
			var err error
			if t, err = r.newDense(); err != nil {
				return nil, err
			}
		}
		prev := int64(0)
		for i := 0; i <= rows; i++ {
			p, err := indexAt(indptr, i)
			if err != nil {
				return nil, err
			}
			if p < prev || p > int64(nnz) || (i == 0 && p != 0) || (i == rows && p != int64(nnz)) {
				return nil, fmt.Errorf("csr indptr[%d] = %d is out of order or range", i, p)
			}
			for j := prev; j < p; j++ {
				c, err := indexAt(indices, int(j))
				if err != nil {
					return nil, err
				}
				if c < 0 || c >= int64(cols) {
					return nil, fmt.Errorf("csr column index %d out of range [0,%d)", c, cols)
				}
				if pass == 1 {
					dst := ((i-1)*cols + int(c)) * es
					copy(t[dst:dst+es], r.Data[int(j)*es:int(j+1)*es])
				}
			}
			prev = p
		}
	}
	return t, nil
}
