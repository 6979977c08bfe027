package tensor

import (
	"bytes"
	"encoding/hex"
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
