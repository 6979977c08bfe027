package serialize

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/tensor"
)

// maxNPYHeader bounds the header dict we are willing to read.
const maxNPYHeader = 1 << 20

// ReadNPY reads one .npy array (format version 1, 2 or 3; any float, int,
// uint or bool descr, either byte order, C or Fortran order) into a C-order
// little-endian tensor. It reads exactly the array's bytes from r.
//
// The array is bounded by the Limits given with WithLimits (DefaultLimits
// otherwise): its element count, and its bytes against the input's size when
// r knows it.
func ReadNPY(r io.Reader, opts ...Option) (*tensor.Tensor, error) {
	size := int64(-1)
	if s, ok := r.(sizer); ok {
		if sk, ok := r.(io.Seeker); ok {
			if cur, err := sk.Seek(0, io.SeekCurrent); err == nil {
				size = s.Size() - cur
			}
		}
	}
	bud := newBudget(opts)
	if size > bud.lim.MaxFileBytes {
		return nil, &FormatError{Msg: fmt.Sprintf("npy of %d bytes exceeds the limit of %d (Limits.MaxFileBytes)", size, bud.lim.MaxFileBytes)}
	}
	if size < 0 {
		r = &limitedReader{r: r, n: bud.lim.MaxFileBytes, max: bud.lim.MaxFileBytes}
	}
	return readNPY(ndarray.NewStreamSource(r, size), bud)
}

func readNPY(src ndarray.Source, bud *budget) (*tensor.Tensor, error) {
	fail := func(off int64, format string, args ...any) error {
		return &FormatError{Offset: off, Msg: "npy: " + fmt.Sprintf(format, args...)}
	}
	pre, err := src.Next(8)
	if err != nil {
		return nil, fail(0, "truncated: preamble needs 8 bytes")
	}
	if !bytes.Equal(pre[:6], []byte("\x93NUMPY")) {
		return nil, fail(0, "not an npy file: magic %s", quote.String(string(pre[:6])))
	}
	major := pre[6]
	var hlen int
	switch major {
	case 1:
		p, err := src.Next(2)
		if err != nil {
			return nil, fail(8, "truncated: header length needs 2 bytes")
		}
		hlen = int(binary.LittleEndian.Uint16(p))
	case 2, 3:
		p, err := src.Next(4)
		if err != nil {
			return nil, fail(8, "truncated: header length needs 4 bytes")
		}
		hlen = int(binary.LittleEndian.Uint32(p))
	default:
		return nil, fail(6, "unsupported format version %d.%d", major, pre[7])
	}
	hoff := src.Offset()
	if rem := src.Remaining(); (rem >= 0 && int64(hlen) > rem) || hlen > maxNPYHeader {
		return nil, fail(hoff-2, "header length %d exceeds the bytes left", hlen)
	}
	hb, err := src.Next(hlen)
	if err != nil {
		return nil, fail(hoff, "truncated: header needs %d bytes", hlen)
	}
	h, err := parseNPYHeader(string(hb))
	if err != nil {
		return nil, fail(hoff, "%v", err)
	}
	n, err := tensor.NumElements(h.shape, h.dtype.Size())
	if err != nil {
		return nil, fail(hoff, "%v", err)
	}
	nb := n * h.dtype.Size()
	if err := bud.charge(int64(n), int64(nb)); err != nil {
		return nil, fail(hoff, "%s %s: %v", h.dtype, tensor.ShapeString(h.shape), err)
	}
	doff := src.Offset()
	if rem := src.Remaining(); rem >= 0 && int64(nb) > rem {
		return nil, fail(doff, "truncated: data %s %s needs %d bytes, %d left", h.dtype, tensor.ShapeString(h.shape), nb, rem)
	}
	data, err := src.Block(nb)
	if err != nil {
		return nil, fail(doff, "truncated: data %s %s needs %d bytes", h.dtype, tensor.ShapeString(h.shape), nb)
	}
	if h.bigEndian {
		data = swapBytes(data, h.dtype.Size())
	}
	if h.fortran && len(h.shape) > 1 {
		data = fortranToC(data, h.shape, h.dtype.Size())
	}
	t, err := tensor.FromBytes(h.dtype, h.shape, data)
	if err != nil {
		return nil, fail(doff, "%v", err)
	}
	return t, nil
}

// swapBytes returns a byte-swapped copy of big-endian elements.
func swapBytes(b []byte, size int) []byte {
	out := tensor.AlignedBytes(len(b))
	for i := 0; i+size <= len(b); i += size {
		for j := 0; j < size; j++ {
			out[i+j] = b[i+size-1-j]
		}
	}
	return out
}

// fortranToC reorders column-major elements of shape into row-major order.
func fortranToC(b []byte, shape []int, size int) []byte {
	out := tensor.AlignedBytes(len(b))
	nd := len(shape)
	// Fortran strides (in elements) of each axis.
	fs := make([]int, nd)
	s := 1
	for i := 0; i < nd; i++ {
		fs[i] = s
		s *= shape[i]
	}
	idx := make([]int, nd)
	for o := 0; o < len(b)/size; o++ {
		src := 0
		for i := 0; i < nd; i++ {
			src += idx[i] * fs[i]
		}
		copy(out[o*size:(o+1)*size], b[src*size:(src+1)*size])
		for i := nd - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return out
}

// WriteNPY writes t as a .npy file byte-identical to numpy's np.save of the
// same array (format 1.0, numpy's header padding).
func WriteNPY(w io.Writer, t *tensor.Tensor) error {
	return writeNPY(w, t, styleNumPy)
}

func writeNPY(w io.Writer, t *tensor.Tensor, style npyStyle) error {
	h, err := npyHeaderBytes(t.DType(), t.Shape(), style)
	if err != nil {
		return err
	}
	if _, err := w.Write(h); err != nil {
		return fmt.Errorf("npy: %w", err)
	}
	if _, err := w.Write(t.Bytes()); err != nil {
		return fmt.Errorf("npy: %w", err)
	}
	return nil
}
