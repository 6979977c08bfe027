package serialize

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"sort"
	"strings"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/internal/quote"
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
// without ".npy", in archive order. Members are checked before any is
// decoded: duplicate names, overlapping members, and deflated members
// claiming more than the Limits allow are refused.
func ReadNPZ(r io.ReaderAt, size int64, opts ...Option) ([]string, []*tensor.Tensor, error) {
	bud := newBudget(opts)
	if size > bud.lim.MaxFileBytes {
		return nil, nil, &FormatError{Msg: fmt.Sprintf("npz of %d bytes exceeds the limit of %d (Limits.MaxFileBytes)", size, bud.lim.MaxFileBytes)}
	}
	l, err := readNPZList(r, size, nil, bud)
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, len(l.Arrays))
	ts := make([]*tensor.Tensor, len(l.Arrays))
	for i, a := range l.Arrays {
		names[i], ts[i] = a.Name, a.Tensor
	}
	return names, ts, nil
}

// npzMember is a member's place in the archive, as checked before reading.
type npzMember struct {
	f         *zip.File
	dataOff   int64
	end       int64
	inflating bool
}

// readNPZList decodes an npz of size bytes read through ra. With whole
// non-nil (the same bytes as ra) the tensors of stored members alias it.
func readNPZList(ra io.ReaderAt, size int64, whole []byte, bud *budget) (*NDArrayList, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, &FormatError{Msg: "npz: " + err.Error()}
	}
	members, err := checkNPZ(zr, size, bud)
	if err != nil {
		return nil, err
	}
	l := &NDArrayList{Format: FormatNPZ, Named: true, zip: zipNumPy}
	for i, m := range members {
		if i == 0 && m.f.Flags&0x8 != 0 {
			l.zip = zipMiniz
		}
		name, t, err := readNPZMember(m, whole, ra, bud)
		if err != nil {
			return nil, err
		}
		l.Arrays = append(l.Arrays, NDArray{Name: name, Tensor: t})
	}
	return l, nil
}

// checkNPZ validates the central directory against the archive and the
// limits before any member is decoded: member count, name length and
// uniqueness, every member's data inside the archive and no two members
// sharing bytes (zip bombs reuse one deflated stream), stored members
// with equal sizes, and the inflated total of deflated members within
// InflateAllowance + MaxInflateRatio × their compressed size and
// MaxTotalBytes.
func checkNPZ(zr *zip.Reader, size int64, bud *budget) ([]npzMember, error) {
	lim := &bud.lim
	if len(zr.File) > lim.MaxArrays {
		return nil, &FormatError{Msg: fmt.Sprintf("npz: %d members exceed the limit of %d (Limits.MaxArrays)", len(zr.File), lim.MaxArrays)}
	}
	members := make([]npzMember, len(zr.File))
	seen := make(map[string]bool, len(zr.File))
	var packed, inflated int64
	for i, f := range zr.File {
		fail := func(off int64, format string, args ...any) error {
			return &FormatError{Offset: off, Msg: fmt.Sprintf("npz member %d %s: ", i, quote.String(f.Name)) + fmt.Sprintf(format, args...)}
		}
		if len(f.Name) > lim.MaxNameBytes {
			return nil, &FormatError{Msg: fmt.Sprintf("npz member %d name %s exceeds the limit of %d bytes (Limits.MaxNameBytes)", i, quote.N(f.Name, 40), lim.MaxNameBytes)}
		}
		if seen[f.Name] {
			return nil, fail(0, "duplicate member name")
		}
		seen[f.Name] = true
		off, err := f.DataOffset()
		if err != nil {
			return nil, fail(0, "%v", err)
		}
		csize, usize := f.CompressedSize64, f.UncompressedSize64
		if csize > uint64(size) || off < 0 || off > size-int64(csize) {
			return nil, fail(off, "data of %d bytes runs past the end of the %d-byte archive", csize, size)
		}
		m := npzMember{f: f, dataOff: off, end: off + int64(csize)}
		switch f.Method {
		case zip.Store:
			if csize != usize {
				return nil, fail(off, "stored member sizes %d and %d differ", csize, usize)
			}
		case zip.Deflate:
			m.inflating = true
			if usize > uint64(lim.MaxTotalBytes) {
				return nil, fail(off, "inflated size %d exceeds the limit of %d (Limits.MaxTotalBytes)", usize, lim.MaxTotalBytes)
			}
			if int64(usize) > lim.MaxTotalBytes-inflated {
				return nil, fail(off, "deflated members inflate to more than %d bytes (Limits.MaxTotalBytes)", lim.MaxTotalBytes)
			}
			packed += int64(csize)
			inflated += int64(usize)
			if !lim.inflateOK(inflated, packed) {
				return nil, fail(off, "deflated members inflate %d bytes to %d (over Limits.MaxInflateRatio %d beyond Limits.InflateAllowance)",
					packed, inflated, lim.MaxInflateRatio)
			}
		default:
			return nil, fail(off, "unsupported compression method %d", f.Method)
		}
		members[i] = m
	}
	// No two members may share bytes: sort by start and compare neighbours.
	order := make([]int, len(members))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return members[order[a]].dataOff < members[order[b]].dataOff })
	for k := 1; k < len(order); k++ {
		p, q := &members[order[k-1]], &members[order[k]]
		if q.dataOff < p.end || q.dataOff == p.dataOff {
			return nil, &FormatError{Offset: q.dataOff, Msg: fmt.Sprintf("npz members %s and %s overlap", quote.String(p.f.Name), quote.String(q.f.Name))}
		}
	}
	return members, nil
}

// readNPZMember decodes one member. Stored members are read in place: from
// whole (aliased) when it is non-nil, else through ra.
func readNPZMember(m npzMember, whole []byte, ra io.ReaderAt, bud *budget) (string, *tensor.Tensor, error) {
	f := m.f
	name, ok := strings.CutSuffix(f.Name, ".npy")
	if !ok {
		return "", nil, &FormatError{Offset: m.dataOff, Msg: fmt.Sprintf("npz: member %s is not a .npy file", quote.String(f.Name))}
	}
	off := m.dataOff
	wrap := func(err error) error {
		fe, ok := err.(*FormatError)
		if !ok {
			return &FormatError{Offset: off, Msg: fmt.Sprintf("npz member %s: %v", quote.String(f.Name), err)}
		}
		c := *fe
		c.Offset += off
		c.Msg = fmt.Sprintf("npz member %s: %s", quote.String(f.Name), c.Msg)
		return &c
	}
	n := int64(f.CompressedSize64)
	if !m.inflating {
		var t *tensor.Tensor
		var err error
		if whole != nil {
			body := whole[off : off+n]
			if crc32.ChecksumIEEE(body) != f.CRC32 {
				return "", nil, wrap(fmt.Errorf("CRC mismatch"))
			}
			src := ndarray.NewBytesSource(body)
			if t, err = readNPY(src, bud); err == nil && src.Remaining() != 0 {
				err = &FormatError{Offset: src.Offset(), Msg: "npy: trailing bytes after the array"}
			}
		} else {
			h := crc32.NewIEEE()
			sr := io.TeeReader(io.NewSectionReader(ra, off, n), h)
			src := ndarray.NewStreamSource(sr, n)
			if t, err = readNPY(src, bud); err == nil && src.Remaining() != 0 {
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
	}
	rc, err := f.Open()
	if err != nil {
		return "", nil, wrap(err)
	}
	defer rc.Close()
	// The declared inflated size was checked against the limits, and the
	// zip reader fails if the stream inflates to more than it.
	src := ndarray.NewStreamSource(rc, int64(f.UncompressedSize64))
	t, err := readNPY(src, bud)
	if err == nil && src.Remaining() != 0 {
		err = &FormatError{Offset: src.Offset(), Msg: "npy: trailing bytes after the array"}
	}
	if err == nil {
		// Reach the end so the zip reader verifies the CRC.
		if _, err2 := io.Copy(io.Discard, rc); err2 != nil {
			err = err2
		}
	}
	if err != nil {
		return "", nil, wrap(err)
	}
	return name, t, nil
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
			return fmt.Errorf("npz: array %s is a none array", quote.String(names[i]))
		}
		name := names[i] + ".npy"
		if len(name) > 0xffff {
			return fmt.Errorf("npz: name %s too long", quote.String(names[i]))
		}
		hdr, err := npyHeaderBytes(t.DType(), t.Shape(), npyStyleFor)
		if err != nil {
			return err
		}
		total := int64(len(hdr)) + int64(len(t.Bytes()))
		if total > 0xffffffff || cw.n > 0xffffffff {
			return fmt.Errorf("npz: member %s or archive exceeds 4 GiB (zip64 not written)", quote.String(name))
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
