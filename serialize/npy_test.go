package serialize

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// goldenArr rebuilds gen_npy.py's arr(descr, shape): arange(n) % 7 cast to
// the dtype (bool: % 2).
func goldenArr(t *testing.T, dt tensor.DType, shape ...int) *tensor.Tensor {
	t.Helper()
	x, err := tensor.New(dt, shape...)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < x.Len(); i++ {
		v := float64(i % 7)
		if dt == tensor.Bool {
			v = float64(i % 7 % 2)
		}
		x.SetFloat64At(i, v)
	}
	return x
}

var npyGoldens = []struct {
	file  string
	dt    tensor.DType
	shape []int
}{
	{"f4_2x3", tensor.Float32, []int{2, 3}},
	{"f8_5", tensor.Float64, []int{5}},
	{"f2_3x2", tensor.Float16, []int{3, 2}},
	{"i1_4", tensor.Int8, []int{4}},
	{"u1_2x2x2", tensor.Uint8, []int{2, 2, 2}},
	{"i2_3", tensor.Int16, []int{3}},
	{"u2_3", tensor.Uint16, []int{3}},
	{"i4_2x1", tensor.Int32, []int{2, 1}},
	{"u4_2", tensor.Uint32, []int{2}},
	{"i8_3", tensor.Int64, []int{3}},
	{"u8_2", tensor.Uint64, []int{2}},
	{"b1_5", tensor.Bool, []int{5}},
	{"f4_scalar", tensor.Float32, []int{}},
	{"f4_0x3", tensor.Float32, []int{0, 3}},
	{"f4_20d", tensor.Float32, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
	{"f4_big0", tensor.Float32, []int{123456789012345, 0}},
}

func npyPath(name string) string { return filepath.Join("..", "testdata", "npy", name) }

func TestNPYMatchesNumPy(t *testing.T) {
	for _, g := range npyGoldens {
		t.Run(g.file, func(t *testing.T) {
			want, err := os.ReadFile(npyPath(g.file + ".npy"))
			if err != nil {
				t.Fatal(err)
			}
			x := goldenArr(t, g.dt, g.shape...)
			var b bytes.Buffer
			if err := WriteNPY(&b, x); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Fatalf("WriteNPY differs from numpy:\n got %q\nwant %q", b.Bytes(), want)
			}
			got, err := ReadNPY(bytes.NewReader(want))
			if err != nil {
				t.Fatal(err)
			}
			if !tensor.Equal(got, x) {
				t.Fatalf("ReadNPY = %v, want %v", got, x)
			}
			l, err := ParseNDArrays(want)
			if err != nil || l.Format != FormatNPY || !tensor.Equal(l.Arrays[0].Tensor, x) {
				t.Fatalf("ParseNDArrays: %v %+v", err, l)
			}
		})
	}
}

func TestNPYFortranAndBigEndian(t *testing.T) {
	b, _ := os.ReadFile(npyPath("fortran_f4_2x3.npy"))
	got, err := ReadNPY(bytes.NewReader(b))
	if err != nil || !tensor.Equal(got, goldenArr(t, tensor.Float32, 2, 3)) {
		t.Fatalf("fortran: %v %v", err, got)
	}
	b, _ = os.ReadFile(npyPath("big_endian_i4_3.npy"))
	got, err = ReadNPY(bytes.NewReader(b))
	if err != nil || !tensor.Equal(got, goldenArr(t, tensor.Int32, 3)) {
		t.Fatalf("big endian: %v %v", err, got)
	}
}

func TestNPZMatchesNumPy(t *testing.T) {
	want, err := os.ReadFile(npyPath("mixed.npz"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"arg:w", "b", "s"}
	ts := []*tensor.Tensor{goldenArr(t, tensor.Float32, 2, 3), goldenArr(t, tensor.Int64, 3), goldenArr(t, tensor.Float64)}
	var b bytes.Buffer
	if err := WriteNPZ(&b, names, ts); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Fatalf("WriteNPZ differs from np.savez:\n got %x\nwant %x", b.Bytes(), want)
	}
	gn, gt, err := ReadNPZ(bytes.NewReader(want), int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range names {
		if gn[i] != names[i] || !tensor.Equal(gt[i], ts[i]) {
			t.Fatalf("member %d: %q %v", i, gn[i], gt[i])
		}
	}
	// A numpy npz re-saves in numpy's layout.
	l, err := ParseNDArrays(want)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := WriteNDArrays(&b, l, FormatNPZ); err != nil || !bytes.Equal(b.Bytes(), want) {
		t.Fatalf("re-save: %v", err)
	}
	// Deflated members (np.savez_compressed) read too.
	c, _ := os.ReadFile(npyPath("compressed.npz"))
	gn, gt, err = ReadNPZ(bytes.NewReader(c), int64(len(c)))
	if err != nil || len(gn) != 1 || gn[0] != "x" || !tensor.Equal(gt[0], goldenArr(t, tensor.Float32, 4, 4)) {
		t.Fatalf("compressed: %v %v %v", err, gn, gt)
	}
}

func TestNPYHeaderMXNetStyle(t *testing.T) {
	// MXNet's cnpy pads to 64 without numpy's spare growth room.
	h, err := npyHeaderBytes(tensor.Float32, []int{15, 16}, styleMXNet)
	if err != nil {
		t.Fatal(err)
	}
	want := "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (15, 16), }" + strings.Repeat(" ", 56) + "\n"
	if string(h) != want {
		t.Fatalf("got %q", h)
	}
}

func TestNPYBadInput(t *testing.T) {
	good, _ := os.ReadFile(npyPath("f4_2x3.npy"))
	hdr := func(dict string) []byte {
		b := []byte("\x93NUMPY\x01\x00")
		b = append(b, byte(len(dict)), byte(len(dict)>>8))
		return append(b, dict...)
	}
	cases := map[string][]byte{
		"bad magic": append([]byte("\x93NUMPZ"), good[6:]...),
		"version 9": append(append([]byte{}, good[:6]...), append([]byte{9, 0}, good[8:]...)...),
		"header too long": func() []byte {
			b := append([]byte{}, good[:10]...)
			b[8], b[9] = 0xff, 0xff
			return b
		}(),
		"no shape":        hdr("{'descr': '<f4', 'fortran_order': False, }"),
		"bad descr":       hdr("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"),
		"structured":      hdr("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"),
		"negative dim":    hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"),
		"overflow":        hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"),
		"huge claim":      hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }"),
		"junk after dict": hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x"),
		"unknown key":     hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}"),
	}
	for i := 1; i < len(good); i += 7 {
		cases[fmt.Sprintf("truncated at %d", i)] = good[:i]
	}
	for name, b := range cases {
		if _, err := ReadNPY(bytes.NewReader(b)); err == nil {
			t.Errorf("%s: no error", name)
		} else if _, ok := err.(*FormatError); !ok {
			t.Errorf("%s: %T %v is not a FormatError", name, err, err)
		}
		// Unknown size: a plain reader.
		if _, err := ReadNPY(struct{ *bytes.Reader }{bytes.NewReader(b)}); err == nil {
			t.Errorf("%s (stream): no error", name)
		}
	}
}
