package tensor

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"runtime"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", "|", "", "\n", "").Replace(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Record bytes of [1.0, 2.0] in every generation (FORMATS.md §1.9).
var vecRecords = map[RecordGen]string{
	RecordLegacy: "01000000 02000000 01000000 00000000 00000000 0000803f 00000040",
	RecordV1:     "c8fa93f9 01000000 0200000000000000 0100000000000000 00000000 0000803f00000040",
	RecordV2:     "c9fa93f9 00000000 01000000 0200000000000000 0100000000000000 00000000 0000803f00000040",
	RecordV3:     "cafa93f9 00000000 01000000 0200000000000000 0100000000000000 00000000 0000803f00000040",
}

func TestRecordGenerationsMatchSpec(t *testing.T) {
	vec, _ := FromSlice([]float32{1, 2})
	for gen, hx := range vecRecords {
		want := unhex(t, hx)
		got, err := AppendRecord(nil, NewRecord(vec, gen))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %v\n got %x\nwant %x", gen, err, got, want)
		}
		r, err := ReadRecord(NewBytesSource(want))
		if err != nil || r.Gen != gen {
			t.Fatalf("%s: read %v %+v", gen, err, r)
		}
		x, err := r.Tensor()
		if err != nil || !Equal(x, vec) {
			t.Fatalf("%s: %v %v", gen, err, x)
		}
	}
}

func TestMarshalBinary(t *testing.T) {
	// MXNet's own pickled gpu array (test_load_saved_gpu_array_when_no_gpus_are_present).
	gpu := unhex(t, "c9fa93f9 00000000 01000000 0100000000000000 02000000 00000000 00000000 00000000")
	var x Tensor
	if err := x.UnmarshalBinary(gpu); err != nil {
		t.Fatal(err)
	}
	if x.String() != "float32(1,)" || x.Float32s()[0] != 0 {
		t.Fatalf("got %v", &x)
	}
	b, err := x.MarshalBinary()
	want := unhex(t, "c9fa93f9 00000000 01000000 0100000000000000 01000000 00000000 00000000 00000000")
	if err != nil || !bytes.Equal(b, want) {
		t.Fatalf("%v %x", err, b)
	}
	// Scalars are V3 (spec: 7.0f).
	s, _ := FromSlice([]float32{7})
	s, _ = s.Reshape()
	b, err = s.MarshalBinary()
	want = unhex(t, "cafa93f9 00000000 00000000 0100000000000000 00000000 0000e040")
	if err != nil || !bytes.Equal(b, want) {
		t.Fatalf("scalar: %v %x", err, b)
	}
	var y Tensor
	if err := y.UnmarshalBinary(b); err != nil || !Equal(&y, s) {
		t.Fatalf("scalar round trip: %v %v", err, &y)
	}
	// Every dtype round-trips exactly, zero-size too.
	for dt := DType(0); dt < NumDTypes; dt++ {
		for _, shape := range [][]int{{3, 2}, {0, 4}} {
			v, _ := New(dt, shape...)
			for i := 0; i < v.Len(); i++ {
				v.SetFloat64At(i, float64(i%3))
			}
			b, err := v.MarshalBinary()
			var w Tensor
			if err != nil || w.UnmarshalBinary(b) != nil || !Equal(&w, v) {
				t.Fatalf("%s%v: %v", dt, shape, err)
			}
		}
	}
	if err := y.UnmarshalBinary(append(b, 0)); err == nil {
		t.Error("trailing byte accepted")
	}
}

func TestRecordSparseDensify(t *testing.T) {
	le := binary.LittleEndian
	f32 := func(vs ...float32) []byte {
		var b []byte
		for _, v := range vs {
			x, _ := FromSlice([]float32{v})
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
	rsp := &Record{Gen: RecordV2, Storage: StorageRowSparse, StorageShape: []int{2, 3}, Shape: []int{4, 3},
		DevType: DevCPU, DType: Float32, Data: f32(1, 2, 3, 4, 5, 6),
		Aux: []AuxBlock{{DType: Int64, Shape: []int{2}, Data: i64(1, 3)}}}
	csr := &Record{Gen: RecordV2, Storage: StorageCSR, StorageShape: []int{3}, Shape: []int{2, 3},
		DevType: DevCPU, DType: Float32, Data: f32(5, 7, 8),
		Aux: []AuxBlock{{DType: Int64, Shape: []int{3}, Data: i64(0, 1, 3)}, {DType: Int64, Shape: []int{3}, Data: i64(1, 0, 2)}}}
	cases := []struct {
		r    *Record
		want []float32
	}{
		{rsp, []float32{0, 0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6}},
		{csr, []float32{0, 5, 0, 7, 0, 8}},
	}
	for _, c := range cases {
		b, err := AppendRecord(nil, c.r)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ReadRecord(NewBytesSource(b))
		if err != nil {
			t.Fatalf("%s: %v", c.r.Storage, err)
		}
		b2, _ := AppendRecord(nil, r)
		if !bytes.Equal(b, b2) {
			t.Fatalf("%s: re-encode differs", c.r.Storage)
		}
		d, err := r.Densify()
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
	bad.Aux = []AuxBlock{{DType: Int64, Shape: []int{3}, Data: i64(0, 2, 1)}, csr.Aux[1]}
	if _, err := bad.Densify(); err == nil {
		t.Error("non-monotonic indptr accepted")
	}
	bad = *rsp
	bad.Aux = []AuxBlock{{DType: Int64, Shape: []int{2}, Data: i64(1, 4)}}
	if _, err := bad.Densify(); err == nil {
		t.Error("row index out of range accepted")
	}
	// The spec's row_sparse bytes (FORMATS.md §1.9).
	b, _ := AppendRecord(nil, rsp)
	if !bytes.HasPrefix(b, unhex(t, "c9fa93f9 01000000 02000000 0200000000000000 0300000000000000 02000000 0400000000000000 0300000000000000 0100000000000000 00000000 06000000 01000000 0200000000000000")) {
		t.Fatalf("row_sparse layout %x", b)
	}
}

func TestRecordCheckRefuses(t *testing.T) {
	empty, _ := New(Float32, 0, 3)
	scalar, _ := New(Float32)
	for _, c := range []struct {
		name string
		r    *Record
	}{
		{"v2 empty", NewRecord(empty, RecordV2)},
		{"v2 scalar", NewRecord(scalar, RecordV2)},
		{"legacy scalar", NewRecord(scalar, RecordLegacy)},
		{"v1 empty", NewRecord(empty, RecordV1)},
		{"v3 sparse", &Record{Gen: RecordV3, Storage: StorageCSR}},
		{"bad data length", &Record{Gen: RecordV2, Shape: []int{2}, DType: Float32, Data: make([]byte, 4)}},
	} {
		if _, err := AppendRecord(nil, c.r); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := AppendRecord(nil, NewRecord(empty, RecordV3)); err != nil {
		t.Errorf("v3 empty: %v", err)
	}
}

func TestReadRecordNone(t *testing.T) {
	for _, c := range []struct {
		hex string
		gen RecordGen
	}{
		{"00000000", RecordLegacy},
		{"c8fa93f9 00000000", RecordV1},
		{"c9fa93f9 00000000 00000000", RecordV2},
		{"cafa93f9 00000000 01000000 ffffffffffffffff", RecordV3},
	} {
		b := unhex(t, c.hex)
		r, err := ReadRecord(NewBytesSource(b))
		if err != nil || !r.None || r.Gen != c.gen {
			t.Fatalf("%s: %v %+v", c.hex, err, r)
		}
		out, err := AppendRecord(nil, r)
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("%s: re-encode %v %x", c.hex, err, out)
		}
	}
}

func TestReadRecordHugeClaimFailsFast(t *testing.T) {
	// V2, shape (2^40,) float32, then nothing: must fail before allocating.
	b := unhex(t, "c9fa93f9 00000000 01000000 0000000000010000 01000000 00000000 00000000")
	b = append(b, make([]byte, 64)...)
	for _, src := range []Source{NewBytesSource(b), NewStreamSource(bytes.NewReader(b), int64(len(b))), NewStreamSource(struct{ *bytes.Reader }{bytes.NewReader(b)}, -1)} {
		if _, err := ReadRecord(src); err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("%T: %v", src, err)
		}
	}
	// Allocation stays small for the unknown-size stream.
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	ReadRecord(NewStreamSource(struct{ *bytes.Reader }{bytes.NewReader(b)}, -1))
	runtime.ReadMemStats(&m1)
	if per := m1.TotalAlloc - m0.TotalAlloc; per > 4<<20 {
		t.Fatalf("%d bytes allocated for a 100-byte input", per)
	}
}
