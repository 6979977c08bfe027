package ndarray_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"runtime"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/tensor"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", "|", "", "\n", "").Replace(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ndarray.Record bytes of [1.0, 2.0] in every generation (FORMATS.md §1.9).
var vecRecords = map[ndarray.RecordGen]string{
	ndarray.RecordLegacy: "01000000 02000000 01000000 00000000 00000000 0000803f 00000040",
	ndarray.RecordV1:     "c8fa93f9 01000000 0200000000000000 0100000000000000 00000000 0000803f00000040",
	ndarray.RecordV2:     "c9fa93f9 00000000 01000000 0200000000000000 0100000000000000 00000000 0000803f00000040",
	ndarray.RecordV3:     "cafa93f9 00000000 01000000 0200000000000000 0100000000000000 00000000 0000803f00000040",
}

// newRecord is the dense record of x in generation gen, sharing x's bytes.
func newRecord(x *tensor.Tensor, gen ndarray.RecordGen) *ndarray.Record {
	return ndarray.NewDense(gen, ndarray.DType(x.DType()), x.Shape(), x.Bytes())
}

// denseTensor is r's densified contents as a tensor.
func denseTensor(r *ndarray.Record) (*tensor.Tensor, error) {
	b, err := r.Densify()
	if err != nil {
		return nil, err
	}
	return tensor.FromBytes(tensor.DType(r.DType), r.Shape, b)
}

func TestRecordGenerationsMatchSpec(t *testing.T) {
	vec, _ := tensor.FromSlice([]float32{1, 2})
	for gen, hx := range vecRecords {
		want := unhex(t, hx)
		got, err := ndarray.AppendRecord(nil, newRecord(vec, gen))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %v\n got %x\nwant %x", gen, err, got, want)
		}
		r, err := ndarray.ReadRecord(ndarray.NewBytesSource(want))
		if err != nil || r.Gen != gen {
			t.Fatalf("%s: read %v %+v", gen, err, r)
		}
		x, err := denseTensor(r)
		if err != nil || !tensor.Equal(x, vec) {
			t.Fatalf("%s: %v %v", gen, err, x)
		}
	}
}

func TestRecordSparseDensify(t *testing.T) {
	le := binary.LittleEndian
	f32 := func(vs ...float32) []byte {
		var b []byte
		for _, v := range vs {
			x, _ := tensor.FromSlice([]float32{v})
			b = append(b, x.Bytes()...)
		}
		return b
	}
	i64 := func(vs ...int64) []byte {
		var b []byte
		for _, v := range vs {
			b = le.AppendUint64(b, uint64(v))
		}
		return b
	}
	rsp := &ndarray.Record{Gen: ndarray.RecordV2, Storage: ndarray.StorageRowSparse, StorageShape: []int{2, 3}, Shape: []int{4, 3},
		DevType: ndarray.DevCPU, DType: ndarray.Float32, Data: f32(1, 2, 3, 4, 5, 6),
		Aux: []ndarray.AuxBlock{{DType: ndarray.Int64, Shape: []int{2}, Data: i64(1, 3)}}}
	csr := &ndarray.Record{Gen: ndarray.RecordV2, Storage: ndarray.StorageCSR, StorageShape: []int{3}, Shape: []int{2, 3},
		DevType: ndarray.DevCPU, DType: ndarray.Float32, Data: f32(5, 7, 8),
		Aux: []ndarray.AuxBlock{{DType: ndarray.Int64, Shape: []int{3}, Data: i64(0, 1, 3)}, {DType: ndarray.Int64, Shape: []int{3}, Data: i64(1, 0, 2)}}}
	cases := []struct {
		r    *ndarray.Record
		want []float32
	}{
		{rsp, []float32{0, 0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6}},
		{csr, []float32{0, 5, 0, 7, 0, 8}},
	}
	for _, c := range cases {
		b, err := ndarray.AppendRecord(nil, c.r)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ndarray.ReadRecord(ndarray.NewBytesSource(b))
		if err != nil {
			t.Fatalf("%s: %v", c.r.Storage, err)
		}
		b2, _ := ndarray.AppendRecord(nil, r)
		if !bytes.Equal(b, b2) {
			t.Fatalf("%s: re-encode differs", c.r.Storage)
		}
		d, err := denseTensor(r)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range d.Float32s() {
			if v != c.want[i] {
				t.Fatalf("%s: dense %v want %v", c.r.Storage, d.Float32s(), c.want)
			}
		}
	}
	// Bad indices are errors, not panics.
	bad := *csr
	bad.Aux = []ndarray.AuxBlock{{DType: ndarray.Int64, Shape: []int{3}, Data: i64(0, 2, 1)}, csr.Aux[1]}
	if _, err := bad.Densify(); err == nil {
		t.Error("non-monotonic indptr accepted")
	}
	bad = *rsp
	bad.Aux = []ndarray.AuxBlock{{DType: ndarray.Int64, Shape: []int{2}, Data: i64(1, 4)}}
	if _, err := bad.Densify(); err == nil {
		t.Error("row index out of range accepted")
	}
	// The spec's row_sparse bytes (FORMATS.md §1.9).
	b, _ := ndarray.AppendRecord(nil, rsp)
	if !bytes.HasPrefix(b, unhex(t, "c9fa93f9 01000000 02000000 0200000000000000 0300000000000000 02000000 0400000000000000 0300000000000000 0100000000000000 00000000 06000000 01000000 0200000000000000")) {
		t.Fatalf("row_sparse layout %x", b)
	}
}

func TestRecordCheckRefuses(t *testing.T) {
	empty, _ := tensor.New(tensor.Float32, 0, 3)
	scalar, _ := tensor.New(tensor.Float32)
	for _, c := range []struct {
		name string
		r    *ndarray.Record
	}{
		{"v2 empty", newRecord(empty, ndarray.RecordV2)},
		{"v2 scalar", newRecord(scalar, ndarray.RecordV2)},
		{"legacy scalar", newRecord(scalar, ndarray.RecordLegacy)},
		{"v1 empty", newRecord(empty, ndarray.RecordV1)},
		{"v3 sparse", &ndarray.Record{Gen: ndarray.RecordV3, Storage: ndarray.StorageCSR}},
		{"bad data length", &ndarray.Record{Gen: ndarray.RecordV2, Shape: []int{2}, DType: ndarray.Float32, Data: make([]byte, 4)}},
	} {
		if _, err := ndarray.AppendRecord(nil, c.r); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := ndarray.AppendRecord(nil, newRecord(empty, ndarray.RecordV3)); err != nil {
		t.Errorf("v3 empty: %v", err)
	}
}

func TestReadRecordNone(t *testing.T) {
	for _, c := range []struct {
		hex string
		gen ndarray.RecordGen
	}{
		{"00000000", ndarray.RecordLegacy},
		{"c8fa93f9 00000000", ndarray.RecordV1},
		{"c9fa93f9 00000000 00000000", ndarray.RecordV2},
		{"cafa93f9 00000000 01000000 ffffffffffffffff", ndarray.RecordV3},
	} {
		b := unhex(t, c.hex)
		r, err := ndarray.ReadRecord(ndarray.NewBytesSource(b))
		if err != nil || !r.None || r.Gen != c.gen {
			t.Fatalf("%s: %v %+v", c.hex, err, r)
		}
		out, err := ndarray.AppendRecord(nil, r)
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("%s: re-encode %v %x", c.hex, err, out)
		}
	}
}

func TestReadRecordHugeClaimFailsFast(t *testing.T) {
	// V2, shape (2^40,) float32, then nothing: must fail before allocating.
	b := unhex(t, "c9fa93f9 00000000 01000000 0000000000010000 01000000 00000000 00000000")
	b = append(b, make([]byte, 64)...)
	for _, src := range []ndarray.Source{ndarray.NewBytesSource(b), ndarray.NewStreamSource(bytes.NewReader(b), int64(len(b))), ndarray.NewStreamSource(struct{ *bytes.Reader }{bytes.NewReader(b)}, -1)} {
		if _, err := ndarray.ReadRecord(src); err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("%T: %v", src, err)
		}
	}
	// Allocation stays small for the unknown-size stream.
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	ndarray.ReadRecord(ndarray.NewStreamSource(struct{ *bytes.Reader }{bytes.NewReader(b)}, -1))
	runtime.ReadMemStats(&m1)
	if per := m1.TotalAlloc - m0.TotalAlloc; per > 4<<20 {
		t.Fatalf("%d bytes allocated for a 100-byte input", per)
	}
}
