package serialize

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/internal/malformed"
	"github.com/mxgo/mxgo/tensor"
)

// fuzzSeeds returns the real NDArray files (large ones cut to their first
// 4 KiB, which still exercises the headers) plus the numpy goldens.
func fuzzSeeds(f *testing.F, npy bool) [][]byte {
	var seeds [][]byte
	if !npy {
		for _, r := range realNDArrayFiles {
			b, err := os.ReadFile(realPath(r.path))
			if err != nil {
				f.Fatal(err)
			}
			if len(b) > 64<<10 {
				b = b[:4<<10]
			}
			seeds = append(seeds, b)
		}
	}
	for _, g := range npyGoldens {
		b, err := os.ReadFile(npyPath(g.file + ".npy"))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	for _, n := range []string{"fortran_f4_2x3.npy", "big_endian_i4_3.npy", "mixed.npz", "compressed.npz"} {
		b, err := os.ReadFile(npyPath(n))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	return seeds
}

// FuzzReadNDArrays feeds arbitrary bytes to the NDArray file readers (list
// container with every record generation, npy, npz). Properties: no panic,
// errors are *FormatError, the stream and in-place readers agree, and
// whatever is accepted and can be re-written reads back equal — for a list
// file with a zero reserved field, byte for byte.
func FuzzReadNDArrays(f *testing.F) {
	for _, s := range fuzzSeeds(f, false) {
		f.Add(s)
	}
	for _, c := range malformed.Cases(false) {
		if c.Kind == malformed.NDArray && len(c.Data) < 4096 && !strings.Contains(c.Name, "/flip/") && !strings.Contains(c.Name, "/trunc/") {
			f.Add(c.Data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseNDArrays(data)
		_, err2 := ReadNDArrays(struct{ *bytes.Reader }{bytes.NewReader(data)})
		if (err == nil) != (err2 == nil) {
			t.Fatalf("in-place %v, stream %v", err, err2)
		}
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			checkErrorText(t, err)
			return
		}
		for i := range l.Arrays {
			if !l.Arrays[i].None() {
				if _, err := l.Arrays[i].Dense(); err != nil {
					t.Fatalf("accepted array %d does not densify: %v", i, err)
				}
			}
		}
		for i := range l.Arrays {
			if !l.Arrays[i].None() {
				if _, err := l.Arrays[i].Dense(); err != nil {
					t.Fatalf("accepted array %d does not densify: %v", i, err)
				}
			}
		}
		var out bytes.Buffer
		if err := WriteNDArrays(&out, l, l.Format); err != nil {
			return // e.g. a v2 zero-size array, which MXNet cannot write
		}
		if l.Format <= FormatV3 && len(data) >= 16 && binary.LittleEndian.Uint64(data[8:]) == 0 && !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("re-save differs:\n in %x\nout %x", data, out.Bytes())
		}
		again, err := ParseNDArrays(out.Bytes())
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		if len(again.Arrays) != len(l.Arrays) {
			t.Fatalf("%d arrays, re-read %d", len(l.Arrays), len(again.Arrays))
		}
		for i := range l.Arrays {
			a, b := &l.Arrays[i], &again.Arrays[i]
			if a.Name != b.Name && l.Named || a.None() != b.None() {
				t.Fatalf("array %d: %q/%q none %v/%v", i, a.Name, b.Name, a.None(), b.None())
			}
			if a.Tensor != nil && !bytes.Equal(a.Tensor.Bytes(), b.Tensor.Bytes()) {
				t.Fatalf("array %d data differs", i)
			}
		}
	})
}

// FuzzReadNPY feeds arbitrary bytes to ReadNPY (header dict parser, data
// sizing). Properties: no panic, *FormatError on failure, and an accepted
// array writes back and reads back equal.
func FuzzReadNPY(f *testing.F) {
	for _, s := range fuzzSeeds(f, true) {
		f.Add(s)
	}
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'descr':'<f4'}\n"))
	f.Add([]byte("\x93NUMPY\x02\x00\x3a\x00\x00\x00{'shape': (2,), 'fortran_order': True, 'descr': '>f8', }\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ReadNPY(bytes.NewReader(data))
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			checkErrorText(t, err)
			return
		}
		var out bytes.Buffer
		if err := WriteNPY(&out, x); err != nil {
			t.Fatalf("write: %v", err)
		}
		y, err := ReadNPY(&out)
		if err != nil || !tensor.Equal(x, y) && !bytes.Equal(x.Bytes(), y.Bytes()) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
