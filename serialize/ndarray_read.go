package serialize

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mxgo/mxgo/internal/ndarray"
)

// ListMagic is the u64 that starts an MXNet NDArray list file.
const ListMagic = 0x112

// kind of NDArray container, sniffed from the first bytes as MXNet does.
type container int

const (
	containerList container = iota
	containerNPY
	containerNPZ
	containerPickle
)

func sniff(head []byte) container {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return containerNPZ
	case bytes.HasPrefix(head, []byte("\x93NUM")):
		return containerNPY
	case len(head) > 0 && head[0] == PickleProto:
		return containerPickle
	}
	return containerList
}

// sizer is implemented by readers that know their length (bytes.Reader,
// strings.Reader, io.SectionReader).
type sizer interface{ Size() int64 }

// ReadNDArrays reads an NDArray file of any kind MXNet writes: the list
// container (legacy/V1/V2/V3 records, dense, sparse or none), a 2.0 .npz, a
// single .npy or a Python pickle of NDArrays (see PickleNDArrayList). Data blocks are read into fresh aligned storage, each exactly
// once, so memory peaks at about the data's size. Errors about the input are
// *FormatError with the byte offset. The input is bounded by the Limits
// given with WithLimits (DefaultLimits otherwise).
func ReadNDArrays(r io.Reader, opts ...Option) (*NDArrayList, error) {
	size := int64(-1)
	atStart := false
	switch v := r.(type) {
	case sizer:
		if s, ok := r.(io.Seeker); ok {
			if cur, err := s.Seek(0, io.SeekCurrent); err == nil {
				size, atStart = v.Size()-cur, cur == 0
			}
		}
	case *os.File:
		if st, err := v.Stat(); err == nil && st.Mode().IsRegular() {
			if cur, err := v.Seek(0, io.SeekCurrent); err == nil {
				size, atStart = st.Size()-cur, cur == 0
			}
		}
	}
	var ra io.ReaderAt
	if atStart {
		ra, _ = r.(io.ReaderAt)
	}
	return readNDArrays(r, size, ra, newBudget(opts))
}

// readNDArrays reads an NDArray file of size bytes (-1: unknown) from r;
// ra, when non-nil, reads the same file by offset (an npz is then decoded
// in place instead of being read into memory first).
func readNDArrays(r io.Reader, size int64, ra io.ReaderAt, bud *budget) (*NDArrayList, error) {
	if size > bud.lim.MaxFileBytes {
		return nil, &FormatError{Msg: fmt.Sprintf("file of %d bytes exceeds the limit of %d (Limits.MaxFileBytes)", size, bud.lim.MaxFileBytes)}
	}
	if size < 0 {
		r = &limitedReader{r: r, n: bud.lim.MaxFileBytes, max: bud.lim.MaxFileBytes}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(8)
	switch sniff(head) {
	case containerNPZ:
		if ra != nil && size >= 0 {
			return readNPZList(ra, size, nil, bud)
		}
		b, err := io.ReadAll(br)
		if err != nil {
			return nil, &FormatError{Msg: fmt.Sprintf("reading npz: %v", err)}
		}
		return readNPZList(bytes.NewReader(b), int64(len(b)), nil, bud)
	case containerNPY:
		t, err := readNPY(ndarray.NewStreamSource(br, size), bud)
		if err != nil {
			return nil, err
		}
		return &NDArrayList{Format: FormatNPY, Arrays: []NDArray{{Tensor: t}}}, nil
	case containerPickle:
		b, err := io.ReadAll(br)
		if err != nil {
			return nil, &FormatError{Msg: fmt.Sprintf("reading pickle: %v", err)}
		}
		return pickleList(b, bud)
	}
	return readList(ndarray.NewStreamSource(br, size), bud)
}

// ParseNDArrays decodes an NDArray file held in b. The tensors alias b (no
// copy), so b must stay unchanged while they are used. Options as for
// ReadNDArrays.
func ParseNDArrays(b []byte, opts ...Option) (*NDArrayList, error) {
	bud := newBudget(opts)
	if int64(len(b)) > bud.lim.MaxFileBytes {
		return nil, &FormatError{Msg: fmt.Sprintf("file of %d bytes exceeds the limit of %d (Limits.MaxFileBytes)", len(b), bud.lim.MaxFileBytes)}
	}
	switch sniff(b) {
	case containerNPZ:
		return readNPZList(bytes.NewReader(b), int64(len(b)), b, bud)
	case containerNPY:
		t, err := readNPY(ndarray.NewBytesSource(b), bud)
		if err != nil {
			return nil, err
		}
		return &NDArrayList{Format: FormatNPY, Arrays: []NDArray{{Tensor: t}}}, nil
	case containerPickle:
		return pickleList(b, bud)
	}
	return readList(ndarray.NewBytesSource(b), bud)
}

// readList decodes the list container (magic 0x112) from src.
func readList(src ndarray.Source, bud *budget) (*NDArrayList, error) {
	fail := func(off int64, format string, args ...any) error {
		return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
	magic, err := ndarray.ReadU64(src, "list magic")
	if err != nil {
		return nil, formatErr(err, 0)
	}
	if magic != ListMagic {
		return nil, fail(0, "not an NDArray file: magic 0x%x, want 0x112", magic)
	}
	if _, err := ndarray.ReadU64(src, "reserved field"); err != nil {
		return nil, formatErr(err, 8)
	}
	n, err := ndarray.ReadU64(src, "array count")
	if err != nil {
		return nil, formatErr(err, 16)
	}
	// Every record takes at least 4 bytes: never trust n beyond that.
	if rem := src.Remaining(); rem >= 0 && n > uint64(rem)/4 {
		return nil, fail(16, "array count %d exceeds what %d remaining bytes can hold", n, rem)
	}
	if n > uint64(bud.lim.MaxArrays) {
		return nil, fail(16, "array count %d exceeds the limit of %d (Limits.MaxArrays)", n, bud.lim.MaxArrays)
	}
	l := &NDArrayList{Format: FormatV2, Arrays: make([]NDArray, 0, min(n, 4096))}
	for i := uint64(0); i < n; i++ {
		off := src.Offset()
		rec, err := ndarray.ReadRecord(src)
		if err != nil {
			fe := formatErr(err, off).(*FormatError)
			fe.Msg = fmt.Sprintf("array %d: %s", i, fe.Msg)
			return nil, fe
		}
		if i == 0 {
			l.Format = formatOfGen(rec.Gen)
		}
		if err := checkRecord(rec, bud); err != nil {
			return nil, fail(off, "array %d: %v", i, err)
		}
		a := NDArray{rec: rec}
		if !rec.None && rec.Storage == ndarray.StorageDefault {
			if a.Tensor, err = denseTensor(rec); err != nil {
				return nil, fail(off, "array %d: %v", i, err)
			}
		}
		l.Arrays = append(l.Arrays, a)
	}
	koff := src.Offset()
	k, err := ndarray.ReadU64(src, "name count")
	if err != nil {
		return nil, formatErr(err, koff)
	}
	if k != 0 && k != n {
		return nil, fail(koff, "name count %d does not match array count %d", k, n)
	}
	l.Named = k > 0
	for i := uint64(0); i < k; i++ {
		off := src.Offset()
		ln, err := ndarray.ReadU64(src, "name length")
		if err != nil {
			return nil, formatErr(fmt.Errorf("name %d: %w", i, err), off)
		}
		if rem := src.Remaining(); rem >= 0 && ln > uint64(rem) {
			return nil, fail(off, "name %d length %d exceeds the bytes left", i, ln)
		}
		if ln > uint64(bud.lim.MaxNameBytes) {
			return nil, fail(off, "name %d length %d exceeds the limit of %d (Limits.MaxNameBytes)", i, ln, bud.lim.MaxNameBytes)
		}
		p, err := src.Next(int(ln))
		if err != nil {
			return nil, fail(off+8, "truncated: name %d needs %d bytes", i, ln)
		}
		l.Arrays[i].Name = string(p)
	}
	off := src.Offset()
	if _, err := src.Next(1); err == nil {
		return nil, fail(off, "trailing bytes after the names section")
	} else if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, formatErr(err, off)
	}
	return l, nil
}
