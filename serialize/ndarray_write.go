package serialize

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/tensor"
)

// WriteNDArrays writes l in the given format. A list file (legacy, v1, v2,
// v3) re-uses the record each array was read from when it is of that
// generation and still describes the array, so re-saving a loaded file
// reproduces it byte for byte; other arrays get new records with context
// cpu(0), as MXNet's checkpoint writers store them. V2 refuses scalars and
// empty arrays (MXNet misreads them); sparse arrays are densified for
// formats other than v2.
// NPZ writes MXNet 2.0's layout (or numpy's, for a list read from a numpy
// npz); NPY needs exactly one dense array. Pickle writes a list read from a
// pickle back in its structure, and other lists as a Python list (unnamed)
// or dict of name → NDArray (see WritePickle).
func WriteNDArrays(w io.Writer, l *NDArrayList, format NDArrayFormat) error {
	switch format {
	case FormatPickle:
		return WritePickle(w, l.PickleValue())
	case FormatNPY:
		if len(l.Arrays) != 1 {
			return fmt.Errorf("npy holds exactly one array, the list has %d", len(l.Arrays))
		}
		t, err := l.Arrays[0].Dense()
		if err != nil {
			return err
		}
		style := styleNumPy
		if l.Format == FormatNPZ && l.zip == zipMiniz {
			style = styleMXNet
		}
		return writeNPY(w, t, style)
	case FormatNPZ:
		names := make([]string, len(l.Arrays))
		ts := make([]*tensor.Tensor, len(l.Arrays))
		for i := range l.Arrays {
			a := &l.Arrays[i]
			names[i] = a.Name
			if !l.Named {
				names[i] = fmt.Sprintf("arr_%d", i)
			}
			t, err := a.Dense()
			if err != nil {
				return err
			}
			ts[i] = t
		}
		style := zipMiniz
		if l.Format == FormatNPZ {
			style = l.zip
		}
		return writeNPZ(w, names, ts, style)
	}
	gen, ok := format.recordGen()
	if !ok {
		return fmt.Errorf("unknown NDArray format %d", int(format))
	}
	recs := make([]*ndarray.Record, len(l.Arrays))
	for i := range l.Arrays {
		r, err := recordFor(&l.Arrays[i], gen)
		if err != nil {
			return fmt.Errorf("array %d %s: %w", i, quote.String(l.Arrays[i].Name), err)
		}
		if err := r.Check(); err != nil {
			return fmt.Errorf("array %d %s: %w", i, quote.String(l.Arrays[i].Name), err)
		}
		recs[i] = r
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	le := binary.LittleEndian
	var hdr []byte
	hdr = le.AppendUint64(hdr, ListMagic)
	hdr = le.AppendUint64(hdr, 0)
	hdr = le.AppendUint64(hdr, uint64(len(recs)))
	if _, err := bw.Write(hdr); err != nil {
		return err
	}
	for _, r := range recs {
		if err := ndarray.WriteRecord(bw, r); err != nil {
			return err
		}
	}
	var names []byte
	if l.Named {
		names = le.AppendUint64(names, uint64(len(l.Arrays)))
		for _, a := range l.Arrays {
			names = le.AppendUint64(names, uint64(len(a.Name)))
			names = append(names, a.Name...)
		}
	} else {
		names = le.AppendUint64(names, 0)
	}
	if _, err := bw.Write(names); err != nil {
		return err
	}
	return bw.Flush()
}

// recordFor returns the record to write for a in generation gen.
func recordFor(a *NDArray, gen ndarray.RecordGen) (*ndarray.Record, error) {
	r := a.rec
	if r != nil && r.Gen == gen && (a.Tensor == nil || sharesData(r, a.Tensor)) {
		return r, nil
	}
	if a.Tensor != nil {
		return newRecord(a.Tensor, gen), nil
	}
	if r == nil || r.None {
		none := &ndarray.Record{Gen: gen, None: true}
		if gen == ndarray.RecordV3 {
			none.Shape = []int{-1}
		}
		return none, nil
	}
	// Sparse: keep the sparse form in v2, densify otherwise.
	if gen == ndarray.RecordV2 {
		c := *r
		c.Gen = gen
		return &c, nil
	}
	t, err := denseTensor(r)
	if err != nil {
		return nil, err
	}
	return newRecord(t, gen), nil
}
