package serialize_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/internal/malformed"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

func TestLimitsDefaultsAndOverrides(t *testing.T) {
	d := serialize.DefaultLimits()
	if d.MaxElements != 1<<31-1 || d.MaxInflateRatio != 32 || d.MaxNodes != 100_000 {
		t.Errorf("defaults changed: %+v", d)
	}
	// A row_sparse array whose dense form is 1 GiB from 4 KiB stored: the
	// default ratio refuses it, a raised ratio loads and densifies it.
	b := malformed.List([][]byte{malformed.RowSparse([]int64{1 << 16, 1 << 10}, []int64{3}, 1<<10)}, []string{"arg:e"})
	if _, err := serialize.ParseNDArrays(b); err == nil || !strings.Contains(err.Error(), "MaxInflateRatio") {
		t.Fatalf("default limits: %v", err)
	}
	l, err := serialize.ParseNDArrays(b, serialize.WithLimits(serialize.Limits{MaxInflateRatio: 1 << 20}))
	if err != nil {
		t.Fatal(err)
	}
	d1, err := l.Arrays[0].Dense()
	if err != nil || d1.Dim(0) != 1<<16 || d1.Float32s()[3<<10] != 1 || d1.Float32s()[0] != 0 {
		t.Fatalf("densified %v %v", d1, err)
	}
	// Lowered limits refuse what the defaults accept.
	b = malformed.List([][]byte{malformed.Dense([]int64{2, 3}, []float32{1, 2, 3, 4, 5, 6})}, []string{"arg:w"})
	for _, lim := range []serialize.Limits{{MaxElements: 5}, {MaxArrays: 0, MaxTotalBytes: 20}, {MaxNameBytes: 4}, {MaxFileBytes: 50}} {
		if _, err := serialize.ParseNDArrays(b); err != nil {
			t.Fatal(err)
		}
		_, err := serialize.ParseNDArrays(b, serialize.WithLimits(lim))
		var fe *serialize.FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "Limits.") {
			t.Errorf("%+v: %v", lim, err)
		}
	}
	// NoLimits lifts the limits (overflow checks stay).
	sym := `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "SliceChannel", "name": "s", "attrs": {"num_outputs": "5000"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 4999, 0]]}`
	if _, err := serialize.ParseSymbol([]byte(sym)); err == nil || !strings.Contains(err.Error(), "MaxOutputsPerNode") {
		t.Errorf("default symbol limits: %v", err)
	}
	if _, err := serialize.ParseSymbol([]byte(sym), serialize.WithLimits(serialize.NoLimits())); err != nil {
		t.Errorf("NoLimits: %v", err)
	}
	if _, err := serialize.ParseSymbol([]byte(sym), serialize.WithLimits(serialize.Limits{MaxNodes: 1})); err == nil || !strings.Contains(err.Error(), "Limits.MaxNodes") {
		t.Errorf("MaxNodes 1: %v", err)
	}
}

func TestLoadSaveNPY(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.npy")
	x, err := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := serialize.SaveNPY(path, x); err != nil {
		t.Fatal(err)
	}
	y, err := serialize.LoadNPY(path)
	if err != nil || !tensor.Equal(x, y) {
		t.Fatalf("round trip: %v %v", y, err)
	}
	// Errors name the file; a missing file is the os error.
	if err := os.WriteFile(path, []byte("\x93NUMPY\x01\x00\x05\x00{'de"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := serialize.LoadNPY(path); err == nil || !strings.HasPrefix(err.Error(), path+": offset ") {
		t.Errorf("bad npy: %v", err)
	}
	if _, err := serialize.LoadNPY(path + ".missing"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	if err := serialize.SaveNPY(filepath.Join(path+".missing", "x.npy"), x); err == nil {
		t.Error("SaveNPY into a missing directory succeeded")
	}
}

// TestNPZInPlace reads an npz from a file without loading it whole and
// from an unsized stream, with the same result.
func TestNPZInPlace(t *testing.T) {
	var buf bytes.Buffer
	a, _ := tensor.FromSlice([]float32{1, 2, 3})
	b, _ := tensor.FromSlice([]int64{7, 8})
	if err := serialize.WriteNPZ(&buf, []string{"a", "b"}, []*tensor.Tensor{a, b}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.npz")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	l1, err := serialize.LoadNDArrays(path)
	if err != nil {
		t.Fatal(err)
	}
	l2, err := serialize.ReadNDArrays(struct{ *bytes.Reader }{bytes.NewReader(buf.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []*serialize.NDArrayList{l1, l2} {
		if l.Format != serialize.FormatNPZ || !tensor.Equal(l.Get("a").Tensor, a) || !tensor.Equal(l.Get("b").Tensor, b) {
			t.Errorf("npz read as %+v", l)
		}
	}
	names, ts, err := serialize.ReadNPZ(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil || len(names) != 2 || !tensor.Equal(ts[1], b) {
		t.Errorf("ReadNPZ: %v %v %v", names, ts, err)
	}
}

func TestInflateRatioArithmetic(t *testing.T) {
	for _, c := range []struct {
		lim             serialize.Limits
		decoded, stored int64
		ok              bool
	}{
		{serialize.Limits{MaxInflateRatio: 2, InflateAllowance: 10}, 10, 0, true},
		{serialize.Limits{MaxInflateRatio: 2, InflateAllowance: 10}, 11, 0, false},
		{serialize.Limits{MaxInflateRatio: 2, InflateAllowance: 10}, 30, 10, true},
		{serialize.Limits{MaxInflateRatio: 2, InflateAllowance: 10}, 31, 10, false},
		{serialize.NoLimits(), 1<<63 - 1, 1<<62 + 1, true},
		{serialize.Limits{MaxInflateRatio: 1 << 62, InflateAllowance: 1}, 1<<63 - 1, 1, false},
	} {
		if got := serialize.InflateOK(c.lim, c.decoded, c.stored); got != c.ok {
			t.Errorf("%+v decoded %d stored %d: %v", c.lim, c.decoded, c.stored, got)
		}
	}
}
