package serialize

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	ogorek "github.com/kisielk/og-rek"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/tensor"
)

// Pickle opcodes the writer emits around og-rek's encodings: containers are
// built as Python's pickler builds them (so that dict order is kept) and an
// NDArray is REDUCE + BUILD, which og-rek cannot express.
const (
	pkMark       = '('
	pkStop       = '.'
	pkAppend     = 'a'
	pkAppends    = 'e'
	pkBuild      = 'b'
	pkEmptyList  = ']'
	pkEmptyTuple = ')'
	pkEmptyDict  = '}'
	pkSetItem    = 's'
	pkSetItems   = 'u'
	pkTuple      = 't'
	pkReduce     = 'R'
	pkNone       = 'N'
	pkTuple1     = 0x85
	pkBatch      = 1000 // Python's _BATCHSIZE for APPENDS/SETITEMS
)

// ndarrayClassPickle is mxnet.ndarray.ndarray.NDArray, which every pickled
// NDArray names.
var ndarrayClassPickle = ogorek.Class{Module: "mxnet.ndarray.ndarray", Name: "NDArray"}

// WritePickle writes v as a protocol-4 pickle that Python's pickle.loads
// turns into the same objects with MXNet 1.x imported. v is built from the
// Go types ReadPickle returns (nil, bool, int, int64, float64, string,
// []byte as bytes, []any, PickleTuple, PickleDict, *NDArray) and
// *tensor.Tensor, written as an NDArray.
//
// An NDArray is written as MXNet's NDArray.__reduce__ gives it:
// NDArray(None) then __setstate__({'handle': bytearray(record)}) with the
// array's V2 record and context cpu(0) (V3 for a 0-dim or zero-size array,
// which V2 cannot hold); an NDArray read from a pickle keeps its record
// (context, sparse storage) byte for byte.
//
// The opcodes are those of Python's pickle.dumps(v, protocol=4) except that
// no memo (MEMOIZE) and no FRAME opcodes are written, and ints beyond int32
// use the text INT opcode instead of LONG1 (og-rek's encoding); see
// testdata/pickle/README.md.
func WritePickle(w io.Writer, v any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	pw := &pickleWriter{w: bw}
	pw.raw(PickleProto, 4)
	if err := pw.value(v, 0); err != nil {
		return err
	}
	pw.raw(pkStop)
	if pw.err != nil {
		return pw.err
	}
	return bw.Flush()
}

type pickleWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *ogorek.Encoder
	err error
}

func (p *pickleWriter) raw(b ...byte) {
	if p.err == nil {
		_, p.err = p.w.Write(b)
	}
}

// leaf writes one scalar (or class) with og-rek, without its PROTO and STOP.
func (p *pickleWriter) leaf(v any) error {
	if p.enc == nil {
		p.enc = ogorek.NewEncoderWithConfig(&p.buf, &ogorek.EncoderConfig{Protocol: 4, StrictUnicode: true})
	}
	p.buf.Reset()
	if err := p.enc.Encode(v); err != nil {
		return fmt.Errorf("pickle: %w", err)
	}
	b := p.buf.Bytes()
	if len(b) < 3 || b[0] != PickleProto || b[len(b)-1] != pkStop {
		return errors.New("pickle: unexpected encoder output")
	}
	if p.err == nil {
		_, p.err = p.w.Write(b[2 : len(b)-1])
	}
	return p.err
}

func (p *pickleWriter) value(v any, depth int) error {
	if depth > maxPickleDepth {
		return fmt.Errorf("pickle: value nests deeper than %d levels", maxPickleDepth)
	}
	switch x := v.(type) {
	case nil:
		p.raw(pkNone)
		return p.err
	case bool, int, int64, int32, float64, string:
		return p.leaf(x)
	case []byte:
		return p.leaf(ogorek.Bytes(x))
	case *tensor.Tensor:
		if x == nil {
			p.raw(pkNone)
			return p.err
		}
		return p.ndarray(&NDArray{Tensor: x})
	case *NDArray:
		if x == nil {
			p.raw(pkNone)
			return p.err
		}
		return p.ndarray(x)
	case []any:
		p.raw(pkEmptyList)
		return p.batches(len(x), pkAppend, pkAppends, func(i int) error { return p.value(x[i], depth+1) })
	case PickleTuple:
		switch n := len(x); {
		case n == 0:
			p.raw(pkEmptyTuple)
		case n <= 3:
			for _, e := range x {
				if err := p.value(e, depth+1); err != nil {
					return err
				}
			}
			p.raw(pkTuple1 + byte(n) - 1)
		default:
			p.raw(pkMark)
			for _, e := range x {
				if err := p.value(e, depth+1); err != nil {
					return err
				}
			}
			p.raw(pkTuple)
		}
		return p.err
	case PickleDict:
		p.raw(pkEmptyDict)
		return p.batches(len(x), pkSetItem, pkSetItems, func(i int) error {
			if !hashable(x[i].Key, 0) {
				return fmt.Errorf("pickle: dict key of type %T is not hashable", x[i].Key)
			}
			if err := p.value(x[i].Key, depth+1); err != nil {
				return err
			}
			return p.value(x[i].Value, depth+1)
		})
	}
	return fmt.Errorf("pickle: cannot write a value of Go type %T", v)
}

// batches writes n items as Python's _batch_appends/_batch_setitems do: in
// batches of 1000, one item with the single opcode, more between MARK and
// the batch opcode.
func (p *pickleWriter) batches(n int, one, many byte, item func(int) error) error {
	for start := 0; start < n; start += pkBatch {
		end := min(start+pkBatch, n)
		if end-start > 1 {
			p.raw(pkMark)
		}
		for i := start; i < end; i++ {
			if err := item(i); err != nil {
				return err
			}
		}
		if end-start > 1 {
			p.raw(many)
		} else {
			p.raw(one)
		}
	}
	return p.err
}

// ndarray writes NDArray.__reduce__'s (NDArray, (None,), state) as
// NDArray(None) followed by BUILD with state.
func (p *pickleWriter) ndarray(a *NDArray) error {
	raw, err := rawRecord(a)
	if err != nil {
		return fmt.Errorf("pickle: NDArray %s: %w", a.Name, err)
	}
	if len(raw) >= 1<<32 {
		return fmt.Errorf("pickle: NDArray of %d bytes exceeds the 4 GiB a protocol-4 bytes object holds here", len(raw))
	}
	if err := p.leaf(ndarrayClassPickle); err != nil {
		return err
	}
	p.raw(pkNone, pkTuple1, pkReduce, pkEmptyDict)
	if err := p.leaf("handle"); err != nil {
		return err
	}
	if raw == nil {
		p.raw(pkNone)
	} else if err := p.leaf(raw); err != nil { // []byte: og-rek writes bytearray(bytes)
		return err
	}
	p.raw(pkSetItem, pkBuild)
	return p.err
}

// rawRecord returns the bytes MXNDArraySaveRawBytes gives for a, or nil for
// an NDArray without a handle (read from handle None).
func rawRecord(a *NDArray) ([]byte, error) {
	r := a.rec
	if r != nil && (r.Gen == ndarray.RecordV2 || r.Gen == ndarray.RecordV3) && (a.Tensor == nil || sharesData(r, a.Tensor)) {
		if err := r.Check(); err != nil {
			return nil, err
		}
		return ndarray.AppendRecord(make([]byte, 0, r.HeaderLen()+len(r.Data)), r)
	}
	if a.Tensor != nil {
		return a.Tensor.MarshalBinary()
	}
	if r == nil {
		return nil, nil
	}
	if r.None {
		return ndarray.AppendRecord(nil, &ndarray.Record{Gen: ndarray.RecordV2, None: true})
	}
	t, err := denseTensor(r)
	if err != nil {
		return nil, err
	}
	return t.MarshalBinary()
}
