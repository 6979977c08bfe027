package ndarray

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// decoder wraps a Source with field readers that turn short reads into
// RecordErrors naming the field and its offset.
type decoder struct {
	src Source
}

func (d decoder) fail(off int64, format string, args ...any) error {
	return &RecordError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (d decoder) short(off int64, what string, n int, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return d.fail(off, "truncated: %s needs %d bytes", what, n)
	}
	return d.fail(off, "reading %s: %v", what, err)
}

func (d decoder) u32(what string) (uint32, error) {
	off := d.src.Offset()
	p, err := d.src.Next(4)
	if err != nil {
		return 0, d.short(off, what, 4, err)
	}
	return binary.LittleEndian.Uint32(p), nil
}

func (d decoder) u64(what string) (uint64, error) {
	off := d.src.Offset()
	p, err := d.src.Next(8)
	if err != nil {
		return 0, d.short(off, what, 8, err)
	}
	return binary.LittleEndian.Uint64(p), nil
}

// shape reads ndim (u32 in legacy/V1, i32 later — the same bytes) and the
// dims (u32 in legacy, i64 later). Negative dims are returned as is and
// checked by the caller, which knows the generation's semantics.
func (d decoder) shape(gen RecordGen, what string) ([]int, error) {
	off := d.src.Offset()
	nd, err := d.u32(what + " ndim")
	if err != nil {
		return nil, err
	}
	if int32(nd) < 0 && gen >= RecordV2 {
		return nil, d.fail(off, "%s ndim %d is negative", what, int32(nd))
	}
	if nd > MaxNDim {
		return nil, d.fail(off, "%s ndim %d exceeds %d", what, nd, MaxNDim)
	}
	dsize := 8
	if gen == RecordLegacy {
		dsize = 4
	}
	doff := d.src.Offset()
	p, err := d.src.Next(int(nd) * dsize)
	if err != nil {
		return nil, d.short(doff, what+" dims", int(nd)*dsize, err)
	}
	s := make([]int, nd)
	for i := range s {
		if dsize == 4 {
			s[i] = int(binary.LittleEndian.Uint32(p[4*i:]))
			continue
		}
		v := int64(binary.LittleEndian.Uint64(p[8*i:]))
		if v < -1 {
			return nil, d.fail(doff+int64(8*i), "%s dim %d is %d", what, i, v)
		}
		s[i] = int(v)
	}
	return s, nil
}

// size checks a shape and returns its byte size for dtype dt.
func (d decoder) size(off int64, what string, shape []int, dt DType) (int, error) {
	n, err := NumElements(shape, dt.Size())
	if err != nil {
		return 0, d.fail(off, "%s: %v", what, err)
	}
	return n * dt.Size(), nil
}

func (d decoder) dtype(what string) (DType, error) {
	off := d.src.Offset()
	v, err := d.u32(what)
	if err != nil {
		return 0, err
	}
	dt := DType(int32(v))
	if !dt.Valid() {
		return 0, d.fail(off, "unknown %s flag %d", what, int32(v))
	}
	return dt, nil
}

// block reads an n-byte data block after checking it against the bytes left.
func (d decoder) block(what string, n int) ([]byte, error) {
	off := d.src.Offset()
	if rem := d.src.Remaining(); rem >= 0 && int64(n) > rem {
		return nil, d.fail(off, "truncated: %s needs %d bytes, %d left", what, n, rem)
	}
	p, err := d.src.Block(n)
	if err != nil {
		return nil, d.short(off, what, n, err)
	}
	return p, nil
}

// ReadRecord decodes one NDArray record of any generation from src. Data
// blocks come from src.Block (aliasing a byte slice, or freshly read); no
// block is allocated before its size is checked against the bytes left when
// the source knows them.
func ReadRecord(src Source) (*Record, error) {
	d := decoder{src}
	start := src.Offset()
	magic, err := d.u32("record magic")
	if err != nil {
		return nil, err
	}
	r := &Record{}
	switch magic {
	case MagicV2, MagicV3:
		r.Gen = RecordV2
		if magic == MagicV3 {
			r.Gen = RecordV3
		}
		return r, d.readV2(r, start)
	case MagicV1:
		r.Gen = RecordV1
		r.Shape, err = d.shape(RecordV1, "shape")
	default:
		// Legacy: the u32 already read is ndim.
		r.Gen = RecordLegacy
		if magic > MaxNDim {
			return nil, d.fail(start, "not an NDArray record: magic/ndim 0x%08x", magic)
		}
		off := src.Offset()
		var p []byte
		p, err = src.Next(4 * int(magic))
		if err != nil {
			return nil, d.short(off, "shape dims", 4*int(magic), err)
		}
		r.Shape = make([]int, magic)
		for i := range r.Shape {
			r.Shape[i] = int(binary.LittleEndian.Uint32(p[4*i:]))
		}
	}
	if err != nil {
		return nil, err
	}
	shapeOff := src.Offset()
	for i, v := range r.Shape {
		if v < 0 {
			return nil, d.fail(shapeOff, "negative dim %d at axis %d", v, i)
		}
	}
	if len(r.Shape) == 0 {
		r.None = true
		return r, nil
	}
	if err := d.ctx(r); err != nil {
		return nil, err
	}
	if r.DType, err = d.dtype("dtype"); err != nil {
		return nil, err
	}
	n, err := d.size(shapeOff, "shape", r.Shape, r.DType)
	if err != nil {
		return nil, err
	}
	r.Data, err = d.block("data", n)
	return r, err
}

func (d decoder) ctx(r *Record) error {
	dt, err := d.u32("context dev_type")
	if err != nil {
		return err
	}
	id, err := d.u32("context dev_id")
	if err != nil {
		return err
	}
	r.DevType, r.DevID = int32(dt), int32(id)
	return nil
}

func (d decoder) readV2(r *Record, start int64) error {
	off := d.src.Offset()
	st, err := d.u32("storage type")
	if err != nil {
		return err
	}
	r.Storage = StorageType(int32(st))
	nad := r.Storage.numAux()
	if nad < 0 {
		return d.fail(off, "unknown storage type %d", int32(st))
	}
	if r.Gen == RecordV3 && nad > 0 {
		return d.fail(off, "v3 record with %s storage", r.Storage)
	}
	if nad > 0 {
		if r.StorageShape, err = d.shape(r.Gen, "storage shape"); err != nil {
			return err
		}
	}
	shapeOff := d.src.Offset()
	if r.Shape, err = d.shape(r.Gen, "shape"); err != nil {
		return err
	}
	// None: ndim 0 in legacy semantics (V2); a -1 dim in numpy semantics (V3).
	unknown := false
	for _, v := range r.Shape {
		if v == -1 {
			unknown = true
		}
	}
	if unknown && r.Gen == RecordV2 {
		return d.fail(shapeOff, "v2 shape %v has an unknown (-1) dim", r.Shape)
	}
	if (r.Gen == RecordV2 && len(r.Shape) == 0) || unknown {
		r.None = true
		return nil
	}
	for _, v := range r.StorageShape {
		if v < 0 {
			return d.fail(start, "storage shape %v has a negative dim", r.StorageShape)
		}
	}
	if err := d.ctx(r); err != nil {
		return err
	}
	if r.DType, err = d.dtype("dtype"); err != nil {
		return err
	}
	if _, err := d.size(shapeOff, "shape", r.Shape, r.DType); err != nil {
		return err
	}
	dataShape := r.Shape
	if nad > 0 {
		dataShape = r.StorageShape
	}
	r.Aux = make([]AuxBlock, nad)
	for i := range r.Aux {
		if r.Aux[i].DType, err = d.dtype("aux dtype"); err != nil {
			return err
		}
		aoff := d.src.Offset()
		if r.Aux[i].Shape, err = d.shape(r.Gen, "aux shape"); err != nil {
			return err
		}
		for _, v := range r.Aux[i].Shape {
			if v < 0 {
				return d.fail(aoff, "aux shape %v has a negative dim", r.Aux[i].Shape)
			}
		}
	}
	n, err := d.size(shapeOff, "data shape", dataShape, r.DType)
	if err != nil {
		return err
	}
	if r.Data, err = d.block("data", n); err != nil {
		return err
	}
	for i := range r.Aux {
		n, err := d.size(d.src.Offset(), "aux shape", r.Aux[i].Shape, r.Aux[i].DType)
		if err != nil {
			return err
		}
		if r.Aux[i].Data, err = d.block("aux data", n); err != nil {
			return err
		}
	}
	if nad == 0 {
		r.Aux = nil
	}
	return nil
}

// ReadU64 reads a little-endian u64 field named what from src, returning a
// RecordError on short input.
func ReadU64(src Source, what string) (uint64, error) { return decoder{src}.u64(what) }
