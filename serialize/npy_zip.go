package serialize

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"strings"

	"github.com/mxgo/mxgo/tensor"
)

// zipStyle is the zip writer whose layout an npz reproduces.
type zipStyle int

const (
	// zipMiniz is MXNet 2.0's writer (miniz): zero dates, flags 0x808, sizes
	// in a data descriptor after each member.
	zipMiniz zipStyle = iota
	// zipNumPy is Python's zipfile as np.savez drives it: 1980-01-01 dates,
	// a zip64 extra field in each local header, mode 0600.
	zipNumPy
)

// ReadNPZ reads an .npz archive (numpy's np.savez/np.savez_compressed or
// MXNet 2.0's npx.savez) of size bytes from r. Names are the member names
// without ".npy", in archive order.
func ReadNPZ(r io.ReaderAt, size int64) ([]string, []*tensor.Tensor, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nil, &FormatError{Msg: "npz: " + err.Error()}
	}
	var names []string
	var ts []*tensor.Tensor
	for _, f := range zr.File {
		name, t, err := readNPZMember(f, nil, r)
		if err != nil {
			return nil, nil, err
		}
		names = append(names, name)
		ts = append(ts, t)
	}
	return names, ts, nil
}

// parseNPZList decodes an npz held in b; with copy false the tensors of stored
// members alias b.
func parseNPZList(b []byte, copyData bool) (*NDArrayList, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, &FormatError{Msg: "npz: " + err.Error()}
	}
	l := &NDArrayList{Format: FormatNPZ, Named: true, zip: zipNumPy}
	for i, f := range zr.File {
		if i == 0 && f.Flags&0x8 != 0 {
			l.zip = zipMiniz
		}
		var src []byte
		if !copyData {
			src = b
		}
		name, t, err := readNPZMember(f, src, bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		l.Arrays = append(l.Arrays, NDArray{Name: name, Tensor: t})
	}
	return l, nil
}

// readNPZMember decodes one member. Stored members are read in place: from
// whole (aliased) when it is non-nil, else through ra.
func readNPZMember(f *zip.File, whole []byte, ra io.ReaderAt) (string, *tensor.Tensor, error) {
	name, ok := strings.CutSuffix(f.Name, ".npy")
	if !ok {
		return "", nil, &FormatError{Msg: fmt.Sprintf("npz: member %q is not a .npy file", f.Name)}
	}
	var off int64
	wrap := func(err error) error {
		fe, ok := err.(*FormatError)
		if !ok {
			return &FormatError{Offset: off, Msg: fmt.Sprintf("npz member %q: %v", f.Name, err)}
		}
		c := *fe
		c.Offset += off
		c.Msg = fmt.Sprintf("npz member %q: %s", f.Name, c.Msg)
		return &c
	}
	switch f.Method {
	case zip.Store:
		var err error
		if off, err = f.DataOffset(); err != nil {
			return "", nil, wrap(err)
		}
		n := int64(f.CompressedSize64)
		if n != int64(f.UncompressedSize64) || n < 0 {
			return "", nil, wrap(fmt.Errorf("stored member sizes %d and %d differ", f.CompressedSize64, f.UncompressedSize64))
		}
		var t *tensor.Tensor
		if whole != nil {
			if off+n > int64(len(whole)) {
				return "", nil, wrap(fmt.Errorf("member of %d bytes runs past the end of the archive", n))
			}
			body := whole[off : off+n]
			if crc32.ChecksumIEEE(body) != f.CRC32 {
				return "", nil, wrap(fmt.Errorf("CRC mismatch"))
			}
			src := tensor.NewBytesSource(body)
			if t, err = readNPY(src); err == nil && src.Remaining() != 0 {
				err = &FormatError{Offset: src.Offset(), Msg: "npy: trailing bytes after the array"}
			}
		} else {
			h := crc32.NewIEEE()
			sr := io.TeeReader(io.NewSectionReader(ra, off, n), h)
			src := tensor.NewStreamSource(sr, n)
			if t, err = readNPY(src); err == nil && src.Remaining() != 0 {
				err = &FormatError{Offset: src.Offset(), Msg: "npy: trailing bytes after the array"}
			}
			if err == nil && h.Sum32() != f.CRC32 {
				err = fmt.Errorf("CRC mismatch")
			}
		}
		if err != nil {
			return "", nil, wrap(err)
		}
		return name, t, nil
	default:
		rc, err := f.Open()
		if err != nil {
			return "", nil, wrap(err)
		}
		defer rc.Close()
		// The uncompressed size is a claim: read with growth, not preallocation.
		t, err := readNPY(tensor.NewStreamSource(rc, -1))
		if err == nil {
			if _, err2 := io.Copy(io.Discard, rc); err2 != nil {
				err = err2
			}
		}
		if err != nil {
			return "", nil, wrap(err)
		}
		return name, t, nil
	}
}

// WriteNPZ writes an .npz archive byte-identical to numpy's np.savez(f,
// **dict(zip(names, ts))) (stored members named NAME.npy, in order).
func WriteNPZ(w io.Writer, names []string, ts []*tensor.Tensor) error {
	return writeNPZ(w, names, ts, zipNumPy)
}

type zipEntry struct {
	name       string
	crc        uint32
	size       uint32
	headerOffs uint32
}

func writeNPZ(w io.Writer, names []string, ts []*tensor.Tensor, style zipStyle) error {
	if len(names) != len(ts) {
		return fmt.Errorf("npz: %d names for %d arrays", len(names), len(ts))
	}
	le := binary.LittleEndian
	cw := &countWriter{w: w}
	entries := make([]zipEntry, 0, len(ts))
	npyStyleFor := styleNumPy
	if style == zipMiniz {
		npyStyleFor = styleMXNet
	}
	for i, t := range ts {
		if t == nil {
			return fmt.Errorf("npz: array %q is a none array", names[i])
		}
		name := names[i] + ".npy"
		if len(name) > 0xffff {
			return fmt.Errorf("npz: name %q too long", names[i])
		}
		hdr, err := npyHeaderBytes(t.DType(), t.Shape(), npyStyleFor)
		if err != nil {
			return err
		}
		total := int64(len(hdr)) + int64(len(t.Bytes()))
		if total > 0xffffffff || cw.n > 0xffffffff {
			return fmt.Errorf("npz: member %q or archive exceeds 4 GiB (zip64 not written)", name)
		}
		h := crc32.NewIEEE()
		h.Write(hdr)
		h.Write(t.Bytes())
		e := zipEntry{name: name, crc: h.Sum32(), size: uint32(total), headerOffs: uint32(cw.n)}
		var lh []byte
		lh = le.AppendUint32(lh, 0x04034b50)
		if style == zipMiniz {
			lh = le.AppendUint16(lh, 0)      // version needed
			lh = le.AppendUint16(lh, 0x0808) // data descriptor, UTF-8
			lh = le.AppendUint16(lh, 0)      // stored
			lh = le.AppendUint32(lh, 0)      // time, date
			lh = le.AppendUint32(lh, 0)      // crc (in descriptor)
			lh = le.AppendUint64(lh, 0)      // sizes (in descriptor)
			lh = le.AppendUint16(lh, uint16(len(name)))
			lh = le.AppendUint16(lh, 0)
			lh = append(lh, name...)
		} else {
			lh = le.AppendUint16(lh, 20)
			lh = le.AppendUint16(lh, 0)
			lh = le.AppendUint16(lh, 0)
			lh = le.AppendUint16(lh, 0)    // time
			lh = le.AppendUint16(lh, 0x21) // 1980-01-01
			lh = le.AppendUint32(lh, e.crc)
			lh = le.AppendUint32(lh, e.size)
			lh = le.AppendUint32(lh, e.size)
			lh = le.AppendUint16(lh, uint16(len(name)))
			lh = le.AppendUint16(lh, 20)
			lh = append(lh, name...)
			lh = le.AppendUint16(lh, 1) // zip64 extra
			lh = le.AppendUint16(lh, 16)
			lh = le.AppendUint64(lh, uint64(total))
			lh = le.AppendUint64(lh, uint64(total))
		}
		lh = append(lh, hdr...)
		if _, err := cw.Write(lh); err != nil {
			return fmt.Errorf("npz: %w", err)
		}
		if _, err := cw.Write(t.Bytes()); err != nil {
			return fmt.Errorf("npz: %w", err)
		}
		if style == zipMiniz {
			var dd []byte
			dd = le.AppendUint32(dd, 0x08074b50)
			dd = le.AppendUint32(dd, e.crc)
			dd = le.AppendUint32(dd, e.size)
			dd = le.AppendUint32(dd, e.size)
			if _, err := cw.Write(dd); err != nil {
				return fmt.Errorf("npz: %w", err)
			}
		}
		entries = append(entries, e)
	}
	cdStart := cw.n
	var cd []byte
	for _, e := range entries {
		cd = le.AppendUint32(cd, 0x02014b50)
		if style == zipMiniz {
			cd = le.AppendUint16(cd, 0)
			cd = le.AppendUint16(cd, 0)
			cd = le.AppendUint16(cd, 0x0808)
			cd = le.AppendUint16(cd, 0)
			cd = le.AppendUint32(cd, 0)
		} else {
			cd = le.AppendUint16(cd, 0x0314)
			cd = le.AppendUint16(cd, 20)
			cd = le.AppendUint16(cd, 0)
			cd = le.AppendUint16(cd, 0)
			cd = le.AppendUint16(cd, 0)
			cd = le.AppendUint16(cd, 0x21)
		}
		cd = le.AppendUint32(cd, e.crc)
		cd = le.AppendUint32(cd, e.size)
		cd = le.AppendUint32(cd, e.size)
		cd = le.AppendUint16(cd, uint16(len(e.name)))
		cd = le.AppendUint16(cd, 0) // extra
		cd = le.AppendUint16(cd, 0) // comment
		cd = le.AppendUint16(cd, 0) // disk
		cd = le.AppendUint16(cd, 0) // internal attrs
		if style == zipMiniz {
			cd = le.AppendUint32(cd, 0)
		} else {
			cd = le.AppendUint32(cd, 0o600<<16)
		}
		cd = le.AppendUint32(cd, e.headerOffs)
		cd = append(cd, e.name...)
	}
	if len(entries) > 0xffff || cdStart+int64(len(cd)) > 0xffffffff {
		return fmt.Errorf("npz: too many members or too large for a zip without zip64")
	}
	cdLen := len(cd)
	cd = le.AppendUint32(cd, 0x06054b50)
	cd = le.AppendUint32(cd, 0) // disk numbers
	cd = le.AppendUint16(cd, uint16(len(entries)))
	cd = le.AppendUint16(cd, uint16(len(entries)))
	cd = le.AppendUint32(cd, uint32(cdLen))
	cd = le.AppendUint32(cd, uint32(cdStart))
	cd = le.AppendUint16(cd, 0)
	if _, err := cw.Write(cd); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	return nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
