package serialize

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
)

// listBytes builds a list file from raw record bytes and names (nil = list).
func listBytes(records [][]byte, names []string) []byte {
	le := binary.LittleEndian
	b := le.AppendUint64(nil, ListMagic)
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

// v2Header builds a dense V2 record header with the given raw ndim and dims.
func v2Header(ndim uint32, dims []int64, dtype uint32) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xF993FAC9)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, ndim)
	for _, d := range dims {
		b = le.AppendUint64(b, uint64(d))
	}
	b = le.AppendUint32(b, 1)
	b = le.AppendUint32(b, 0)
	return le.AppendUint32(b, dtype)
}

// readAll decodes b both as a stream of unknown size, a sized reader and in
// place, requiring the same verdict; it returns the in-place error.
func readAll(t *testing.T, b []byte) error {
	t.Helper()
	_, e1 := ReadNDArrays(struct{ *bytes.Reader }{bytes.NewReader(b)})
	_, e2 := ReadNDArrays(bytes.NewReader(b))
	_, e3 := ParseNDArrays(b)
	if (e1 == nil) != (e3 == nil) || (e2 == nil) != (e3 == nil) {
		t.Fatalf("readers disagree: stream %v, sized %v, bytes %v", e1, e2, e3)
	}
	for _, e := range []error{e1, e2, e3} {
		var fe *FormatError
		if e != nil && !errors.As(e, &fe) {
			t.Fatalf("%T %v is not a FormatError", e, e)
		}
	}
	return e3
}

func TestListBadInput(t *testing.T) {
	f32 := []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0x40}
	good := listBytes([][]byte{append(v2Header(1, []int64{2}, 0), f32...)}, []string{"arg:x"})
	if err := readAll(t, good); err != nil {
		t.Fatalf("good input: %v", err)
	}
	le := binary.LittleEndian
	withStype := func(st uint32) []byte {
		h := v2Header(1, []int64{2}, 0)
		le.PutUint32(h[4:], st)
		return listBytes([][]byte{append(h, f32...)}, nil)
	}
	cases := []struct {
		name, msg string
		b         []byte
	}{
		{"list magic", "magic", append([]byte{0x13}, good[1:]...)},
		{"record magic", "not an NDArray record", listBytes([][]byte{append(le.AppendUint32(nil, 0xF993FACB), f32...)}, nil)},
		{"ndim 33", "exceeds 32", listBytes([][]byte{v2Header(33, nil, 0)}, nil)},
		{"negative ndim", "negative", listBytes([][]byte{v2Header(0xffffffff, nil, 0)}, nil)},
		{"negative dim", "dim", listBytes([][]byte{append(v2Header(1, []int64{-5}, 0), f32...)}, nil)},
		{"v2 unknown dim", "unknown", listBytes([][]byte{append(v2Header(1, []int64{-1}, 0), f32...)}, nil)},
		{"overflow", "overflows", listBytes([][]byte{append(v2Header(2, []int64{1 << 62, 1 << 62}, 0), f32...)}, nil)},
		{"product beyond bytes", "truncated", listBytes([][]byte{append(v2Header(1, []int64{3}, 0), f32...)}, nil)},
		{"unknown dtype", "dtype flag 13", listBytes([][]byte{append(v2Header(1, []int64{2}, 13), f32...)}, nil)},
		{"unknown stype", "storage type 3", withStype(3)},
		{"name count", "name count 2", listBytes([][]byte{append(v2Header(1, []int64{2}, 0), f32...)}, []string{"a", "b"})},
		{"name too long", "name 0 length", func() []byte {
			b := append([]byte{}, good...)
			le.PutUint64(b[len(b)-13:], 1000)
			return b
		}()},
		{"trailing garbage", "trailing", append(append([]byte{}, good...), 0)},
		{"array count", "array count", func() []byte {
			b := append([]byte{}, good...)
			le.PutUint64(b[16:], 1<<50)
			return b
		}()},
		{"legacy dims", "truncated", listBytes([][]byte{le.AppendUint32(nil, 4)}, nil)},
	}
	for _, c := range cases {
		err := readAll(t, c.b)
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "offset") {
			t.Errorf("%s: got %v, want an error with %q and an offset", c.name, err, c.msg)
		}
	}
	for i := 0; i < len(good); i++ {
		if err := readAll(t, good[:i]); err == nil {
			t.Errorf("truncated at %d: no error", i)
		}
	}
}

func TestTruncationOfRealFiles(t *testing.T) {
	for _, p := range []string{"sm-linreg/model-0000.params", "go-predictor-fc/go_test-0001.params", "straightdope-ndarray/test2.ndarray"} {
		b, err := os.ReadFile(realPath(p))
		if err != nil {
			t.Fatal(err)
		}
		step := max(1, len(b)/500)
		for i := 0; i < len(b); i += step {
			if err := readAll(t, b[:i]); err == nil {
				t.Fatalf("%s truncated at %d: no error", p, i)
			}
		}
	}
}

// A 100-byte file claiming a 2^40-element array fails fast with little memory.
func TestHugeClaimSmallFile(t *testing.T) {
	b := listBytes([][]byte{v2Header(1, []int64{1 << 40}, 0)}, nil)
	b = append(b, make([]byte, 100-len(b))...)
	if len(b) != 100 {
		t.Fatalf("%d bytes", len(b))
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	err := readAll(t, b)
	runtime.ReadMemStats(&m1)
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("got %v", err)
	}
	if d := m1.TotalAlloc - m0.TotalAlloc; d > 8<<20 {
		t.Fatalf("allocated %d bytes", d)
	}
}

func TestFormatErrorNamesFile(t *testing.T) {
	p := t.TempDir() + "/bad.params"
	b := listBytes([][]byte{append(v2Header(1, []int64{2}, 13), 0, 0, 0, 0, 0, 0, 0, 0)}, nil)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, load := range []func() error{
		func() error { _, err := LoadNDArrays(p); return err },
		func() error { _, _, err := MapNDArrays(p); return err },
	} {
		err := load()
		var fe *FormatError
		if !errors.As(err, &fe) || fe.File != p || fe.Offset != 52 {
			t.Fatalf("got %#v", err)
		}
		if want := p + ": offset 52: array 0: unknown dtype"; !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("%q lacks %q", err.Error(), want)
		}
	}
}
