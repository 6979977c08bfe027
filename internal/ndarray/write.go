package ndarray

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Check reports whether r can be written in its generation without producing
// bytes MXNet would misread: a V2 record may not be a scalar or have a zero
// dim (MXNet reads ndim 0 as none and cannot write empty arrays), legacy and
// V1 records must be dense, V3 records must be dense, and the blocks must
// match the shapes.
func (r *Record) Check() error {
	if int(r.Gen) >= len(recordGenNames) {
		return fmt.Errorf("unknown record generation %d", r.Gen)
	}
	nad := r.Storage.numAux()
	if nad < 0 {
		return fmt.Errorf("unknown storage type %d", int32(r.Storage))
	}
	if nad > 0 && r.Gen != RecordV2 {
		return fmt.Errorf("%s storage needs a v2 record, not %s", r.Storage, r.Gen)
	}
	if len(r.Shape) > MaxNDim || len(r.StorageShape) > MaxNDim {
		return fmt.Errorf("record shape has more than %d dims", MaxNDim)
	}
	if r.None {
		switch r.Gen {
		case RecordV3:
			for _, v := range r.Shape {
				if v == -1 {
					return nil
				}
			}
			return fmt.Errorf("a v3 none record needs a -1 dim, shape %v", r.Shape)
		default:
			if len(r.Shape) != 0 {
				return fmt.Errorf("a %s none record has ndim 0, shape %v", r.Gen, r.Shape)
			}
			return nil
		}
	}
	if !r.DType.Valid() {
		return fmt.Errorf("invalid dtype flag %d", int32(r.DType))
	}
	if len(r.Shape) == 0 && r.Gen != RecordV3 {
		return fmt.Errorf("a scalar cannot be written as a %s record (MXNet reads ndim 0 as none); use v3 or shape (1,)", r.Gen)
	}
	for _, v := range r.Shape {
		if v == 0 && r.Gen != RecordV3 {
			return fmt.Errorf("MXNet cannot write the empty array %s as a %s record; use v3", ShapeString(r.Shape), r.Gen)
		}
		if v < 0 || (r.Gen == RecordLegacy && uint64(v) > math.MaxUint32) {
			return fmt.Errorf("shape %v cannot be written as a %s record", r.Shape, r.Gen)
		}
	}
	dataShape := r.Shape
	if nad > 0 {
		dataShape = r.StorageShape
	}
	if err := checkBlock("data", dataShape, r.DType, r.Data); err != nil {
		return err
	}
	if len(r.Aux) != nad {
		return fmt.Errorf("%s record has %d aux blocks, want %d", r.Storage, len(r.Aux), nad)
	}
	for _, a := range r.Aux {
		if err := checkBlock("aux", a.Shape, a.DType, a.Data); err != nil {
			return err
		}
	}
	return nil
}

func checkBlock(what string, shape []int, dt DType, b []byte) error {
	if !dt.Valid() {
		return fmt.Errorf("%s has invalid dtype flag %d", what, int32(dt))
	}
	n, err := NumElements(shape, dt.Size())
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n*dt.Size() != len(b) {
		return fmt.Errorf("%s %s %s needs %d bytes, has %d", what, dt, ShapeString(shape), n*dt.Size(), len(b))
	}
	return nil
}

// AppendRecord appends r's bytes to dst after checking it with Check.
func AppendRecord(dst []byte, r *Record) ([]byte, error) {
	if err := r.Check(); err != nil {
		return dst, err
	}
	dst = appendHeader(dst, r)
	dst = append(dst, r.Data...)
	for _, a := range r.Aux {
		dst = append(dst, a.Data...)
	}
	return dst, nil
}

// WriteRecord writes r's bytes to w after checking it with Check; the data
// blocks are written straight from r without copying.
func WriteRecord(w io.Writer, r *Record) error {
	if err := r.Check(); err != nil {
		return err
	}
	if _, err := w.Write(appendHeader(make([]byte, 0, r.HeaderLen()), r)); err != nil {
		return err
	}
	if r.None {
		return nil
	}
	if _, err := w.Write(r.Data); err != nil {
		return err
	}
	for _, a := range r.Aux {
		if _, err := w.Write(a.Data); err != nil {
			return err
		}
	}
	return nil
}

// appendHeader appends every field of r before the data blocks.
func appendHeader(dst []byte, r *Record) []byte {
	le := binary.LittleEndian
	shape := func(s []int) {
		dst = le.AppendUint32(dst, uint32(len(s)))
		for _, v := range s {
			if r.Gen == RecordLegacy {
				dst = le.AppendUint32(dst, uint32(v))
			} else {
				dst = le.AppendUint64(dst, uint64(int64(v)))
			}
		}
	}
	switch r.Gen {
	case RecordV1:
		dst = le.AppendUint32(dst, MagicV1)
	case RecordV2:
		dst = le.AppendUint32(dst, MagicV2)
	case RecordV3:
		dst = le.AppendUint32(dst, MagicV3)
	}
	if r.Gen >= RecordV2 {
		dst = le.AppendUint32(dst, uint32(r.Storage))
		if r.Storage != StorageDefault {
			shape(r.StorageShape)
		}
	}
	shape(r.Shape)
	if r.None {
		return dst
	}
	dst = le.AppendUint32(dst, uint32(r.DevType))
	dst = le.AppendUint32(dst, uint32(r.DevID))
	dst = le.AppendUint32(dst, uint32(r.DType))
	for _, a := range r.Aux {
		dst = le.AppendUint32(dst, uint32(a.DType))
		shape(a.Shape)
	}
	return dst
}

// HeaderLen returns the number of bytes AppendRecord writes before the data
// block (r must pass Check).
func (r *Record) HeaderLen() int {
	dim := 8
	if r.Gen == RecordLegacy {
		dim = 4
	}
	n := 4 + dim*len(r.Shape)
	if r.Gen != RecordLegacy {
		n += 4
	}
	if r.Gen >= RecordV2 {
		n += 4
		if r.Storage != StorageDefault {
			n += 4 + dim*len(r.StorageShape)
		}
	}
	if r.None {
		return n
	}
	n += 12
	for _, a := range r.Aux {
		n += 8 + dim*len(a.Shape)
	}
	return n
}
