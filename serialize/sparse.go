package serialize

import (
	"encoding/binary"
	"fmt"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/tensor"
)

// checkRecord applies the limits to a record just read and validates a
// sparse record's index arrays the way MXNet's check_format does (row_sparse
// indices strictly increasing and below the row count; csr indptr starting
// at 0, non-decreasing and ending at nnz, column indices strictly increasing
// within a row and below the column count), so that a file is refused when
// read rather than when densified. The dense size is charged to the budget.
func checkRecord(rec *ndarray.Record, bud *budget) error {
	if rec.None {
		return nil
	}
	n, err := tensor.NumElements(rec.Shape, rec.DType.Size())
	if err != nil {
		return err
	}
	dense := int64(n) * int64(rec.DType.Size())
	if rec.Storage != ndarray.StorageDefault {
		if int64(n) > bud.lim.MaxElements {
			return fmt.Errorf("%s array of logical shape %s has %d elements, over the limit of %d (Limits.MaxElements)",
				rec.Storage, tensor.ShapeString(rec.Shape), n, bud.lim.MaxElements)
		}
		stored := int64(len(rec.Data))
		for _, a := range rec.Aux {
			stored += int64(len(a.Data))
		}
		if !bud.lim.inflateOK(dense, stored) {
			return fmt.Errorf("%s array of logical shape %s densifies %d stored bytes to %d (over Limits.MaxInflateRatio %d beyond Limits.InflateAllowance)",
				rec.Storage, tensor.ShapeString(rec.Shape), stored, dense, bud.lim.MaxInflateRatio)
		}
		if err := checkSparseIndices(rec); err != nil {
			return err
		}
		// Charge both the stored blocks and the dense form Dense builds.
		dense += stored
	}
	return bud.charge(int64(n), dense)
}

// sparseIndex reads element i of an integer index block as int64.
func sparseIndex(a *ndarray.AuxBlock, i int) int64 {
	le := binary.LittleEndian
	switch tensor.DType(a.DType) {
	case tensor.Int64, tensor.Uint64:
		return int64(le.Uint64(a.Data[8*i:]))
	case tensor.Int32:
		return int64(int32(le.Uint32(a.Data[4*i:])))
	case tensor.Uint32:
		return int64(le.Uint32(a.Data[4*i:]))
	case tensor.Int16:
		return int64(int16(le.Uint16(a.Data[2*i:])))
	case tensor.Uint16:
		return int64(le.Uint16(a.Data[2*i:]))
	case tensor.Int8:
		return int64(int8(a.Data[i]))
	}
	return int64(a.Data[i]) // Uint8, Bool
}

func isIndexDType(dt tensor.DType) bool {
	switch dt {
	case tensor.Int64, tensor.Uint64, tensor.Int32, tensor.Uint32, tensor.Int16, tensor.Uint16, tensor.Int8, tensor.Uint8:
		return true
	}
	return false
}

func checkSparseIndices(r *ndarray.Record) error {
	for i := range r.Aux {
		if !isIndexDType(tensor.DType(r.Aux[i].DType)) {
			return fmt.Errorf("%s index array %d has non-integer dtype %s", r.Storage, i, r.Aux[i].DType)
		}
	}
	switch r.Storage {
	case ndarray.StorageRowSparse:
		if len(r.Aux) != 1 || len(r.Shape) == 0 || len(r.StorageShape) != len(r.Shape) {
			return fmt.Errorf("malformed row_sparse array: shape %s, storage shape %s", tensor.ShapeString(r.Shape), tensor.ShapeString(r.StorageShape))
		}
		for i := 1; i < len(r.Shape); i++ {
			if r.Shape[i] != r.StorageShape[i] {
				return fmt.Errorf("row_sparse storage shape %s does not match shape %s", tensor.ShapeString(r.StorageShape), tensor.ShapeString(r.Shape))
			}
		}
		idx := &r.Aux[0]
		nnz := r.StorageShape[0]
		if len(idx.Shape) != 1 || idx.Shape[0] != nnz {
			return fmt.Errorf("row_sparse index shape %s, want (%d,)", tensor.ShapeString(idx.Shape), nnz)
		}
		prev := int64(-1)
		for i := 0; i < nnz; i++ {
			k := sparseIndex(idx, i)
			if k < 0 || k >= int64(r.Shape[0]) {
				return fmt.Errorf("row_sparse index %d (entry %d) out of range [0,%d)", k, i, r.Shape[0])
			}
			if k <= prev {
				return fmt.Errorf("row_sparse indices not strictly increasing at entry %d (%d after %d)", i, k, prev)
			}
			prev = k
		}
	case ndarray.StorageCSR:
		if len(r.Aux) != 2 || len(r.Shape) != 2 || len(r.StorageShape) != 1 {
			return fmt.Errorf("malformed csr array: shape %s, storage shape %s", tensor.ShapeString(r.Shape), tensor.ShapeString(r.StorageShape))
		}
		rows, cols, nnz := r.Shape[0], r.Shape[1], r.StorageShape[0]
		indptr, indices := &r.Aux[0], &r.Aux[1]
		if len(indptr.Shape) != 1 || indptr.Shape[0] != rows+1 || len(indices.Shape) != 1 || indices.Shape[0] != nnz {
			return fmt.Errorf("csr index shapes %s, %s do not fit shape %s with %d values",
				tensor.ShapeString(indptr.Shape), tensor.ShapeString(indices.Shape), tensor.ShapeString(r.Shape), nnz)
		}
		prev := int64(0)
		for i := 0; i <= rows; i++ {
			p := sparseIndex(indptr, i)
			if (i == 0 && p != 0) || p < prev || p > int64(nnz) || (i == rows && p != int64(nnz)) {
				return fmt.Errorf("csr indptr[%d] = %d is out of order or range (nnz %d)", i, p, nnz)
			}
			last := int64(-1)
			for j := prev; j < p; j++ {
				c := sparseIndex(indices, int(j))
				if c < 0 || c >= int64(cols) {
					return fmt.Errorf("csr column index %d (entry %d) out of range [0,%d)", c, j, cols)
				}
				if c <= last {
					return fmt.Errorf("csr column indices of row %d not strictly increasing at entry %d", i-1, j)
				}
				last = c
			}
			prev = p
		}
	default:
		return fmt.Errorf("unknown storage type %d", int32(r.Storage))
	}
	return nil
}
