// Package malformed generates hostile and malformed model files for mxgo's
// readers: NDArray list files, .npy, .npz and symbol JSON. Every case is
// deterministic. Tests feed each case to the readers (and to `mxgo
// inspect`) and require a clean one-line error with bounded memory, or
// success where the input is valid.
//
// Cases(false) is the fast subset run by `go test`; Cases(true) is the full
// set run by `make fuzz`.
package malformed

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"strings"
)

// Kind is the reader a case is meant for.
type Kind int

// The kinds of input.
const (
	NDArray Kind = iota // an NDArray list, .npy or .npz file
	Symbol              // symbol JSON
)

// Case is one generated input.
type Case struct {
	// Name identifies the case ("list/trunc/57", "npz/overlap", ...); it
	// is usable as a file name.
	Name string
	Kind Kind
	Data []byte
	// Invalid is true when the input is certainly malformed and must be
	// refused. Mutated cases (truncations of an array's data aside, bit
	// flips) may happen to stay valid; they have Invalid false and must
	// either load or fail cleanly.
	Invalid bool
}

var le = binary.LittleEndian

// Record magics and flags as MXNet writes them.
const (
	listMagic = 0x112
	magicV1   = 0xF993FAC8
	magicV2   = 0xF993FAC9
	magicV3   = 0xF993FACA
	f32       = 0 // float32 dtype flag
	i64       = 6 // int64 dtype flag
	rowSparse = 1
	csr       = 2
)

// List builds an NDArray list file from raw records and names (nil: an
// unnamed list).
func List(records [][]byte, names []string) []byte {
	b := le.AppendUint64(nil, listMagic)
	b = le.AppendUint64(b, 0)
	b = le.AppendUint64(b, uint64(len(records)))
	for _, r := range records {
		b = append(b, r...)
	}
	b = le.AppendUint64(b, uint64(len(names)))
	for _, n := range names {
		b = le.AppendUint64(b, uint64(len(n)))
		b = append(b, n...)
	}
	return b
}

func appendShape(b []byte, dims []int64) []byte {
	b = le.AppendUint32(b, uint32(len(dims)))
	for _, d := range dims {
		b = le.AppendUint64(b, uint64(d))
	}
	return b
}

// Dense builds a dense V2 record of float32 values with the given dims
// (the data block holds exactly the values given, whatever the dims say).
func Dense(dims []int64, vals []float32) []byte {
	b := le.AppendUint32(nil, magicV2)
	b = le.AppendUint32(b, 0)
	b = appendShape(b, dims)
	b = le.AppendUint32(b, 1) // cpu
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, f32)
	for _, v := range vals {
		b = le.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// RowSparse builds a row_sparse V2 record: logical shape, stored rows of
// width cols (float32) and int64 row indices.
func RowSparse(shape []int64, idx []int64, cols int) []byte {
	b := le.AppendUint32(nil, magicV2)
	b = le.AppendUint32(b, rowSparse)
	b = appendShape(b, append([]int64{int64(len(idx))}, shape[1:]...))
	b = appendShape(b, shape)
	b = le.AppendUint32(b, 1)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, f32)
	b = le.AppendUint32(b, i64)
	b = appendShape(b, []int64{int64(len(idx))})
	for i := 0; i < len(idx)*cols; i++ {
		b = le.AppendUint32(b, math.Float32bits(float32(i+1)))
	}
	for _, k := range idx {
		b = le.AppendUint64(b, uint64(k))
	}
	return b
}

// CSR builds a csr V2 record of a rows×cols float32 matrix.
func CSR(rows, cols int64, indptr, indices []int64) []byte {
	nnz := int64(len(indices))
	b := le.AppendUint32(nil, magicV2)
	b = le.AppendUint32(b, csr)
	b = appendShape(b, []int64{nnz})
	b = appendShape(b, []int64{rows, cols})
	b = le.AppendUint32(b, 1)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, f32)
	b = le.AppendUint32(b, i64)
	b = appendShape(b, []int64{int64(len(indptr))})
	b = le.AppendUint32(b, i64)
	b = appendShape(b, []int64{nnz})
	for i := int64(0); i < nnz; i++ {
		b = le.AppendUint32(b, math.Float32bits(float32(i+1)))
	}
	for _, p := range indptr {
		b = le.AppendUint64(b, uint64(p))
	}
	for _, c := range indices {
		b = le.AppendUint64(b, uint64(c))
	}
	return b
}

// NPY builds a .npy file (version 1) with the given header dict and data.
func NPY(dict string, data []byte) []byte {
	h := dict
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), byte(len(h)>>8))
	b = append(b, h...)
	return append(b, data...)
}

// npyF32 is a valid float32 .npy of shape (n,).
func npyF32(n int) []byte {
	data := make([]byte, 4*n)
	for i := 0; i < n; i++ {
		le.PutUint32(data[4*i:], math.Float32bits(float32(i)*0.5))
	}
	return NPY(fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d,), }", n), data)
}

// ZipMember is one member of a hand-built zip. Body is the stored or
// deflated bytes; CRC and USize are what the headers claim.
type ZipMember struct {
	Name    string
	Method  uint16 // 0 stored, 8 deflate
	Body    []byte
	CRC     uint32
	USize   uint64
	Zip64   bool // write sizes in a zip64 extra field (0xFFFFFFFF in the header)
	DataRef int  // with Alias, the member whose local header the entry points at
	Alias   bool
}

// Zip builds a zip archive. A member with Alias set gets no local header or
// data of its own: its central directory entry points at member DataRef's.
// With zip64 set the archive ends in zip64 end records.
func Zip(members []ZipMember, zip64 bool) []byte {
	var b []byte
	offs := make([]uint64, len(members))
	for i, m := range members {
		if m.Alias {
			offs[i] = offs[m.DataRef]
			continue
		}
		offs[i] = uint64(len(b))
		b = le.AppendUint32(b, 0x04034b50)
		b = le.AppendUint16(b, 45)
		b = le.AppendUint16(b, 0)
		b = le.AppendUint16(b, m.Method)
		b = le.AppendUint32(b, 0x00210000) // 1980-01-01
		b = le.AppendUint32(b, m.CRC)
		if m.Zip64 {
			b = le.AppendUint32(b, 0xFFFFFFFF)
			b = le.AppendUint32(b, 0xFFFFFFFF)
		} else {
			b = le.AppendUint32(b, uint32(len(m.Body)))
			b = le.AppendUint32(b, uint32(m.USize))
		}
		b = le.AppendUint16(b, uint16(len(m.Name)))
		if m.Zip64 {
			b = le.AppendUint16(b, 20)
		} else {
			b = le.AppendUint16(b, 0)
		}
		b = append(b, m.Name...)
		if m.Zip64 {
			b = le.AppendUint16(b, 1)
			b = le.AppendUint16(b, 16)
			b = le.AppendUint64(b, m.USize)
			b = le.AppendUint64(b, uint64(len(m.Body)))
		}
		b = append(b, m.Body...)
	}
	cdStart := uint64(len(b))
	for i, m := range members {
		body := m
		if m.Alias {
			body = members[m.DataRef]
			body.Name = m.Name
		}
		z := body.Zip64 || zip64
		b = le.AppendUint32(b, 0x02014b50)
		b = le.AppendUint16(b, 45)
		b = le.AppendUint16(b, 45)
		b = le.AppendUint16(b, 0)
		b = le.AppendUint16(b, body.Method)
		b = le.AppendUint32(b, 0x00210000)
		b = le.AppendUint32(b, body.CRC)
		if z {
			b = le.AppendUint32(b, 0xFFFFFFFF)
			b = le.AppendUint32(b, 0xFFFFFFFF)
		} else {
			b = le.AppendUint32(b, uint32(len(body.Body)))
			b = le.AppendUint32(b, uint32(body.USize))
		}
		b = le.AppendUint16(b, uint16(len(m.Name)))
		if z {
			b = le.AppendUint16(b, 28)
		} else {
			b = le.AppendUint16(b, 0)
		}
		b = le.AppendUint16(b, 0)
		b = le.AppendUint16(b, 0)
		b = le.AppendUint16(b, 0)
		b = le.AppendUint32(b, 0)
		if z {
			b = le.AppendUint32(b, 0xFFFFFFFF)
		} else {
			b = le.AppendUint32(b, uint32(offs[i]))
		}
		b = append(b, m.Name...)
		if z {
			b = le.AppendUint16(b, 1)
			b = le.AppendUint16(b, 24)
			b = le.AppendUint64(b, body.USize)
			b = le.AppendUint64(b, uint64(len(body.Body)))
			b = le.AppendUint64(b, offs[i])
		}
	}
	cdLen := uint64(len(b)) - cdStart
	if zip64 {
		eocd64 := uint64(len(b))
		b = le.AppendUint32(b, 0x06064b50)
		b = le.AppendUint64(b, 44)
		b = le.AppendUint16(b, 45)
		b = le.AppendUint16(b, 45)
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, 0)
		b = le.AppendUint64(b, uint64(len(members)))
		b = le.AppendUint64(b, uint64(len(members)))
		b = le.AppendUint64(b, cdLen)
		b = le.AppendUint64(b, cdStart)
		b = le.AppendUint32(b, 0x07064b50)
		b = le.AppendUint32(b, 0)
		b = le.AppendUint64(b, eocd64)
		b = le.AppendUint32(b, 1)
	}
	b = le.AppendUint32(b, 0x06054b50)
	b = le.AppendUint32(b, 0)
	if zip64 {
		b = le.AppendUint16(b, 0xFFFF)
		b = le.AppendUint16(b, 0xFFFF)
		b = le.AppendUint32(b, 0xFFFFFFFF)
		b = le.AppendUint32(b, 0xFFFFFFFF)
	} else {
		b = le.AppendUint16(b, uint16(len(members)))
		b = le.AppendUint16(b, uint16(len(members)))
		b = le.AppendUint32(b, uint32(cdLen))
		b = le.AppendUint32(b, uint32(cdStart))
	}
	return le.AppendUint16(b, 0)
}

// Stored returns a stored zip member holding body.
func Stored(name string, body []byte) ZipMember {
	return ZipMember{Name: name, Body: body, CRC: crc32.ChecksumIEEE(body), USize: uint64(len(body))}
}

// Deflated returns a deflated zip member holding body.
func Deflated(name string, body []byte) ZipMember {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(body)
	w.Close()
	return ZipMember{Name: name, Method: 8, Body: buf.Bytes(), CRC: crc32.ChecksumIEEE(body), USize: uint64(len(body))}
}

// ZeroBomb returns a deflated member whose stream is an npy header for a
// float32 array of mib MiB of zeros followed by those zeros: about 1 KiB of
// deflate per MiB, built by repeating one flushed block. The CRC is only
// computed when crc is set (it costs a pass over the inflated bytes).
func ZeroBomb(name string, mib int, crc bool) ZipMember {
	const chunk = 1 << 20
	hdr := NPY(fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d,), }", mib*chunk/4), nil)
	zeros := make([]byte, chunk)
	var head, blk, tail bytes.Buffer
	w, _ := flate.NewWriter(&head, flate.BestCompression)
	w.Write(hdr)
	w.Flush()
	w, _ = flate.NewWriter(&blk, flate.BestCompression)
	w.Write(zeros)
	w.Flush()
	w, _ = flate.NewWriter(&tail, flate.BestCompression)
	w.Close()
	body := append([]byte{}, head.Bytes()...)
	for i := 0; i < mib; i++ {
		body = append(body, blk.Bytes()...)
	}
	body = append(body, tail.Bytes()...)
	m := ZipMember{Name: name, Method: 8, Body: body, USize: uint64(len(hdr) + mib*chunk)}
	if crc {
		h := crc32.NewIEEE()
		h.Write(hdr)
		for i := 0; i < mib; i++ {
			h.Write(zeros)
		}
		m.CRC = h.Sum32()
	}
	return m
}

// Cases returns the generated inputs: the fast subset, or with full the
// whole set (every truncation, thousands of bit flips, the large bombs).
func Cases(full bool) []Case {
	var out []Case
	add := func(kind Kind, invalid bool, name string, data []byte) {
		out = append(out, Case{Name: name, Kind: kind, Data: data, Invalid: invalid})
	}
	rng := rand.New(rand.NewPCG(11, 2026))

	// Valid bases, mutated below.
	vals := []float32{1, 2, 3, 4, 5, 6}
	base := map[string][]byte{
		"list-v2": List([][]byte{
			Dense([]int64{2, 3}, vals),
			RowSparse([]int64{5, 2}, []int64{1, 3}, 2),
			CSR(3, 4, []int64{0, 1, 1, 3}, []int64{2, 0, 3}),
		}, []string{"arg:w", "arg:rs", "aux:c"}),
		"npy": npyF32(16),
		"npz-stored": Zip([]ZipMember{
			Stored("a.npy", npyF32(8)), Stored("b.npy", npyF32(3)),
		}, false),
		"npz-deflated": Zip([]ZipMember{
			Deflated("a.npy", npyF32(64)), Deflated("b.npy", npyF32(5)),
		}, false),
	}
	for _, name := range []string{"list-v2", "npy", "npz-stored", "npz-deflated"} {
		add(NDArray, false, name+"/valid", base[name])
	}
	for _, name := range []string{"list-v2", "npy", "npz-stored", "npz-deflated"} {
		b := base[name]
		step := 1
		if !full {
			step = max(1, len(b)/40)
		}
		for n := 0; n < len(b); n += step {
			add(NDArray, false, fmt.Sprintf("%s/trunc/%d", name, n), b[:n])
		}
		flips := 60
		if full {
			flips = 3000
		}
		for i := 0; i < flips; i++ {
			c := append([]byte{}, b...)
			pos := rng.IntN(len(c))
			c[pos] ^= 1 << rng.IntN(8)
			if rng.IntN(4) == 0 { // sometimes a whole byte
				c[pos] = byte(rng.IntN(256))
			}
			add(NDArray, false, fmt.Sprintf("%s/flip/%d", name, i), c)
		}
	}

	// Wrong magic.
	bad := append([]byte{}, base["list-v2"]...)
	bad[0] = 0x13
	add(NDArray, true, "list/magic", bad)
	add(NDArray, true, "list/record-magic", List([][]byte{append(le.AppendUint32(nil, 0xF993FACF), Dense([]int64{1}, vals[:1])[4:]...)}, nil))
	add(NDArray, true, "npy/magic", append([]byte("\x93NUMPX"), base["npy"][6:]...))
	add(NDArray, true, "npy/version", append([]byte("\x93NUMPY\x09\x00"), base["npy"][8:]...))
	add(NDArray, true, "empty", nil)
	add(NDArray, true, "garbage", []byte("this is not a model file at all"))

	// Absurd dims and ndim.
	add(NDArray, true, "list/ndim33", List([][]byte{Dense(make([]int64, 33), nil)}, nil))
	rec := le.AppendUint32(le.AppendUint32(le.AppendUint32(nil, magicV2), 0), 0xFFFFFFFF)
	add(NDArray, true, "list/ndim-huge", List([][]byte{rec}, nil))
	add(NDArray, true, "list/dim-2^62", List([][]byte{Dense([]int64{1 << 62}, vals)}, nil))
	add(NDArray, true, "list/dims-overflow", List([][]byte{Dense([]int64{1 << 32, 1 << 32, 1 << 32}, vals)}, nil))
	add(NDArray, true, "list/dim-negative", List([][]byte{Dense([]int64{-5, 2}, vals)}, nil))
	add(NDArray, true, "list/dim-claims-more", List([][]byte{Dense([]int64{1 << 28}, vals)}, nil))
	add(NDArray, true, "list/count-huge", append(le.AppendUint64(le.AppendUint64(le.AppendUint64(nil, listMagic), 0), 1<<62), 0, 0, 0, 0))
	add(NDArray, true, "list/count-2^40", append(le.AppendUint64(le.AppendUint64(le.AppendUint64(nil, listMagic), 0), 1<<40), make([]byte, 64)...))
	nameHuge := List([][]byte{Dense([]int64{1}, vals[:1])}, nil)
	nameHuge = le.AppendUint64(nameHuge[:len(nameHuge)-8], 1)
	nameHuge = le.AppendUint64(nameHuge, 1<<40)
	add(NDArray, true, "list/name-len-huge", nameHuge)
	add(NDArray, true, "list/name-count-mismatch", List([][]byte{Dense([]int64{1}, vals[:1]), Dense([]int64{1}, vals[:1])}, []string{"a"}))
	add(NDArray, true, "list/name-5MiB", List([][]byte{Dense([]int64{1}, vals[:1])}, []string{"arg:\x1b[31m" + strings.Repeat("n", 5<<20)}))
	legacy := le.AppendUint32(nil, 0xFFFFFF)
	add(NDArray, true, "list/legacy-ndim-huge", List([][]byte{legacy}, nil))
	add(NDArray, true, "list/v1-dim-negative", List([][]byte{appendShape(le.AppendUint32(nil, magicV1), []int64{-7})}, nil))
	add(NDArray, true, "list/v3-unknown-sparse", List([][]byte{le.AppendUint32(le.AppendUint32(nil, magicV3), rowSparse)}, nil))
	add(NDArray, true, "list/stype-99", List([][]byte{le.AppendUint32(le.AppendUint32(nil, magicV2), 99)}, nil))
	add(NDArray, true, "list/dtype-99", List([][]byte{append(Dense([]int64{1}, nil)[:len(Dense([]int64{1}, nil))-4], 99, 0, 0, 0, 0, 0, 0, 0)}, nil))
	add(NDArray, true, "list/trailing", append(append([]byte{}, base["list-v2"]...), 1, 2, 3))

	// Sparse records: bad indices and huge logical shapes.
	add(NDArray, true, "sparse/rsp-empty-huge-shape", List([][]byte{RowSparse([]int64{1 << 40, 1 << 20}, nil, 0)}, []string{"arg:e"}))
	add(NDArray, true, "sparse/rsp-4PiB", List([][]byte{RowSparse([]int64{1 << 50, 4}, nil, 0)}, []string{"arg:e"}))
	add(NDArray, true, "sparse/rsp-1GiB-from-nothing", List([][]byte{RowSparse([]int64{1 << 18, 1 << 10}, []int64{3}, 1<<10)}, []string{"arg:e"}))
	add(NDArray, true, "sparse/rsp-idx-out-of-range", List([][]byte{RowSparse([]int64{4, 2}, []int64{1, 9}, 2)}, []string{"arg:e"}))
	add(NDArray, true, "sparse/rsp-idx-negative", List([][]byte{RowSparse([]int64{4, 2}, []int64{-1, 2}, 2)}, []string{"arg:e"}))
	add(NDArray, true, "sparse/rsp-idx-unsorted", List([][]byte{RowSparse([]int64{4, 2}, []int64{2, 1}, 2)}, []string{"arg:e"}))
	add(NDArray, true, "sparse/rsp-idx-duplicate", List([][]byte{RowSparse([]int64{4, 2}, []int64{2, 2}, 2)}, []string{"arg:e"}))
	add(NDArray, true, "sparse/csr-indptr-start", List([][]byte{CSR(2, 3, []int64{1, 1, 2}, []int64{0, 1})}, []string{"arg:c"}))
	add(NDArray, true, "sparse/csr-indptr-decreasing", List([][]byte{CSR(3, 3, []int64{0, 2, 1, 2}, []int64{0, 1})}, []string{"arg:c"}))
	add(NDArray, true, "sparse/csr-indptr-end", List([][]byte{CSR(2, 3, []int64{0, 1, 1}, []int64{0, 1})}, []string{"arg:c"}))
	add(NDArray, true, "sparse/csr-col-out-of-range", List([][]byte{CSR(2, 3, []int64{0, 1, 2}, []int64{0, 3})}, []string{"arg:c"}))
	add(NDArray, true, "sparse/csr-col-unsorted", List([][]byte{CSR(1, 3, []int64{0, 2}, []int64{2, 1})}, []string{"arg:c"}))
	add(NDArray, true, "sparse/csr-huge-shape", List([][]byte{CSR(1<<31, 1<<31, append([]int64{0}, make([]int64, 0)...), nil)}, []string{"arg:c"}))
	add(NDArray, false, "sparse/rsp-valid-small", List([][]byte{RowSparse([]int64{1000, 8}, []int64{0, 999}, 8)}, []string{"arg:e"}))

	// npy header attacks.
	npyCase := func(name, dict string, data []byte) { add(NDArray, true, "npy/"+name, NPY(dict, data)) }
	npyCase("shape-huge", "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }", nil)
	npyCase("shape-overflow", "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", nil)
	npyCase("shape-int64-overflow", "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }", nil)
	npyCase("shape-negative", "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", nil)
	npyCase("ndim33", "{'descr': '<f4', 'fortran_order': False, 'shape': ("+strings.Repeat("1,", 33)+"), }", make([]byte, 4))
	npyCase("claims-more", "{'descr': '<f4', 'fortran_order': False, 'shape': (268435456,), }", make([]byte, 16))
	npyCase("descr-object", "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", make([]byte, 8))
	npyCase("descr-structured", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", make([]byte, 4))
	npyCase("unterminated", "{'descr': '<f4", nil)
	npyCase("missing-shape", "{'descr': '<f4', 'fortran_order': False, }", nil)
	npyCase("junk", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } \x1b]0;pwned\x07", make([]byte, 4))
	npyCase("key-control", "{'\x1b[2J"+strings.Repeat("k", 3000)+"': 1}", nil)
	npyCase("fortran-huge", "{'descr': '>f8', 'fortran_order': True, 'shape': (65536, 65536), }", make([]byte, 64))
	hl := append([]byte("\x93NUMPY\x02\x00"), le.AppendUint32(nil, 0xFFFFFFF0)...)
	add(NDArray, true, "npy/header-len-huge", append(hl, "{'descr'"...))

	// npz bombs and zip tricks.
	one := Deflated("w.npy", npyF32(1<<14))
	overlap := []ZipMember{one}
	for i := 1; i < 64; i++ {
		overlap = append(overlap, ZipMember{Name: fmt.Sprintf("w%d.npy", i), Alias: true, DataRef: 0})
	}
	add(NDArray, true, "npz/overlap-64", Zip(overlap, false))
	add(NDArray, true, "npz/duplicate-name", Zip([]ZipMember{Stored("a.npy", npyF32(2)), Stored("a.npy", npyF32(3))}, false))
	add(NDArray, true, "npz/not-npy", Zip([]ZipMember{Stored("a.txt", []byte("hello"))}, false))
	add(NDArray, true, "npz/crc", Zip([]ZipMember{{Name: "a.npy", Body: npyF32(2), CRC: 1, USize: uint64(len(npyF32(2)))}}, false))
	add(NDArray, true, "npz/stored-size-mismatch", Zip([]ZipMember{{Name: "a.npy", Body: npyF32(2), CRC: crc32.ChecksumIEEE(npyF32(2)), USize: 9999}}, false))
	lie := Deflated("a.npy", npyF32(4096))
	lie.USize = 100
	add(NDArray, true, "npz/inflates-past-claim", Zip([]ZipMember{lie}, false))
	bombMiB := 256
	if full {
		bombMiB = 1024
	}
	add(NDArray, true, fmt.Sprintf("npz/zero-bomb-%dMiB", bombMiB), Zip([]ZipMember{ZeroBomb("z.npy", bombMiB, false)}, false))
	add(NDArray, true, "npz/zip64-bomb", Zip([]ZipMember{ZeroBomb("z.npy", bombMiB*4, false)}, true))
	z := ZeroBomb("z.npy", 8, false)
	z.USize = 1 << 40
	z.Zip64 = true
	add(NDArray, true, "npz/zip64-claims-1TiB", Zip([]ZipMember{z}, true))
	if full {
		// The 4 MB zip64 npz of the issue: ~4 GiB of zeros claimed truthfully.
		add(NDArray, true, "npz/zip64-4MB", Zip([]ZipMember{ZeroBomb("z.npy", 4000, false)}, true))
	}
	many := make([]ZipMember, 0, 2000)
	for i := 0; i < 2000; i++ {
		many = append(many, Stored(fmt.Sprintf("m%d.npy", i), npyF32(1)))
	}
	add(NDArray, false, "npz/2000-members", Zip(many, false))
	add(NDArray, true, "npz/name-control", Zip([]ZipMember{Stored("\x1b[31m"+strings.Repeat("x", 5000)+".npy", npyF32(1))}, false))

	out = append(out, symbolCases(full, rng)...)
	out = append(out, pickleCases(full, rng)...)
	return out
}
