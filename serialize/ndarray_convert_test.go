package serialize

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// mxnet1xBytes builds, field by field, what MXNet 1.x's NDArray::Save writes
// for dense arrays: V2 records with cpu(0), names (if any) after.
func mxnet1xBytes(names []string, ts []*tensor.Tensor) []byte {
	le := binary.LittleEndian
	var recs [][]byte
	for _, t := range ts {
		r := le.AppendUint32(nil, 0xF993FAC9)
		r = le.AppendUint32(r, 0) // stype default
		r = le.AppendUint32(r, uint32(t.NDim()))
		for _, d := range t.Shape() {
			r = le.AppendUint64(r, uint64(d))
		}
		r = le.AppendUint32(r, 1) // cpu
		r = le.AppendUint32(r, 0) // dev_id
		r = le.AppendUint32(r, uint32(t.DType()))
		recs = append(recs, append(r, t.Bytes()...))
	}
	return listBytes(recs, names)
}

func TestConvertLegacyAndV1ToV2(t *testing.T) {
	for _, p := range []string{
		"mxnet-unittest/legacy_ndarray.v0", "mtcnn-det1/det1-0001.params", "mean-image-nd/mean_224.nd",
		"sm-linreg/model-0000.params", "straightdope-ndarray/test1.ndarray", "straightdope-ndarray/test2.ndarray",
	} {
		l := mustLoad(t, p)
		var names []string
		ts := make([]*tensor.Tensor, len(l.Arrays))
		for i, a := range l.Arrays {
			ts[i] = a.Tensor
			if l.Named {
				names = append(names, a.Name)
			}
		}
		var b bytes.Buffer
		if err := WriteNDArrays(&b, l, FormatV2); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if want := mxnet1xBytes(names, ts); !bytes.Equal(b.Bytes(), want) {
			t.Fatalf("%s: v2 output differs from MXNet 1.x layout", p)
		}
		// And back: v2 → original generation gives the original bytes.
		l2, err := ParseNDArrays(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		var back bytes.Buffer
		if err := WriteNDArrays(&back, l2, l.Format); err != nil {
			t.Fatal(err)
		}
		orig, _ := os.ReadFile(realPath(p))
		if !bytes.Equal(back.Bytes(), orig) {
			t.Fatalf("%s: v2 → %s does not restore the file", p, l.Format)
		}
	}
}

func TestWriteFormatsRoundTrip(t *testing.T) {
	a, _ := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	h, _ := a.AsType(tensor.Float16)
	bf, _ := a.AsType(tensor.BFloat16)
	i8, _ := a.AsType(tensor.Int64)
	names := []string{"arg:a", "arg:h", "aux:bf", "aux:i"}
	ts := []*tensor.Tensor{a, h, bf, i8}
	for _, f := range []NDArrayFormat{FormatLegacy, FormatV1, FormatV2, FormatV3, FormatNPZ} {
		l := NewNDArrayList(names, ts)
		var b bytes.Buffer
		if err := WriteNDArrays(&b, l, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got, err := ParseNDArrays(b.Bytes())
		if err != nil || got.Format != f || !got.Named || len(got.Arrays) != 4 {
			t.Fatalf("%s: %v %+v", f, err, got)
		}
		for i := range ts {
			if got.Arrays[i].Name != names[i] || !tensor.Equal(got.Arrays[i].Tensor, ts[i]) {
				t.Fatalf("%s: array %d %q %v", f, i, got.Arrays[i].Name, got.Arrays[i].Tensor)
			}
		}
		var again bytes.Buffer
		if err := WriteNDArrays(&again, got, f); err != nil || !bytes.Equal(again.Bytes(), b.Bytes()) {
			t.Fatalf("%s: re-save differs: %v", f, err)
		}
	}
	// NPY: one array, unnamed.
	var b bytes.Buffer
	if err := WriteNDArrays(&b, NewNDArrayList(nil, ts[:1]), FormatNPY); err != nil {
		t.Fatal(err)
	}
	if got, err := ParseNDArrays(b.Bytes()); err != nil || got.Format != FormatNPY || !tensor.Equal(got.Arrays[0].Tensor, a) {
		t.Fatalf("npy: %v", err)
	}
	if err := WriteNDArrays(&b, NewNDArrayList(nil, ts), FormatNPY); err == nil {
		t.Error("npy of 4 arrays accepted")
	}
}

func TestV2RefusesEmptyAndScalar(t *testing.T) {
	empty, _ := tensor.New(tensor.Float32, 3, 0)
	scalar, _ := tensor.New(tensor.Float32)
	for _, x := range []*tensor.Tensor{empty, scalar} {
		l := NewNDArrayList(nil, []*tensor.Tensor{x})
		if err := WriteNDArrays(&bytes.Buffer{}, l, FormatV2); err == nil {
			t.Errorf("v2 wrote %v", x)
		}
		var b bytes.Buffer
		if err := WriteNDArrays(&b, l, FormatV3); err != nil {
			t.Fatalf("v3 %v: %v", x, err)
		}
		got, err := ParseNDArrays(b.Bytes())
		if err != nil || !tensor.Equal(got.Arrays[0].Tensor, x) {
			t.Fatalf("v3 %v: %v", x, err)
		}
	}
}

func TestNoneArrays(t *testing.T) {
	x, _ := tensor.FromSlice([]float32{1})
	l := NewNDArrayList([]string{"a", "none"}, []*tensor.Tensor{x, nil})
	for _, f := range []NDArrayFormat{FormatLegacy, FormatV1, FormatV2, FormatV3} {
		var b bytes.Buffer
		if err := WriteNDArrays(&b, l, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got, err := ParseNDArrays(b.Bytes())
		if err != nil || !got.Arrays[1].None() || got.Arrays[1].Shape() != nil || got.Arrays[0].None() {
			t.Fatalf("%s: %v %+v", f, err, got)
		}
	}
	if err := WriteNDArrays(&bytes.Buffer{}, l, FormatNPZ); err == nil {
		t.Error("npz wrote a none array")
	}
}

func TestSparseKeptAndDensified(t *testing.T) {
	le := binary.LittleEndian
	// csr (2,3) = [[0,5,0],[7,0,8]] as in FORMATS.md §1.9.
	r := le.AppendUint32(nil, 0xF993FAC9)
	r = le.AppendUint32(r, 2)
	r = le.AppendUint32(r, 1)
	r = le.AppendUint64(r, 3)
	r = le.AppendUint32(r, 2)
	r = le.AppendUint64(r, 2)
	r = le.AppendUint64(r, 3)
	r = le.AppendUint32(r, 1)
	r = le.AppendUint32(r, 0)
	r = le.AppendUint32(r, 0)
	for i := 0; i < 2; i++ {
		r = le.AppendUint32(r, 6)
		r = le.AppendUint32(r, 1)
		r = le.AppendUint64(r, 3)
	}
	vals, _ := tensor.FromSlice([]float32{5, 7, 8})
	r = append(r, vals.Bytes()...)
	for _, v := range []int64{0, 1, 3, 1, 0, 2} {
		r = le.AppendUint64(r, uint64(v))
	}
	file := listBytes([][]byte{r}, []string{"arg:emb"})
	l, err := ParseNDArrays(file)
	if err != nil {
		t.Fatal(err)
	}
	a := &l.Arrays[0]
	if a.Tensor != nil || a.Storage() != StorageCSR || tensor.ShapeString(a.Shape()) != "(2,3)" {
		t.Fatalf("%+v", a)
	}
	var b bytes.Buffer
	if err := WriteNDArrays(&b, l, FormatV2); err != nil || !bytes.Equal(b.Bytes(), file) {
		t.Fatalf("re-save: %v", err)
	}
	args, _, err := SplitParams(l)
	want, _ := tensor.FromSlice([]float32{0, 5, 0, 7, 0, 8}, 2, 3)
	if err != nil || !tensor.Equal(args["emb"], want) {
		t.Fatalf("dense: %v %v", err, args["emb"])
	}
	// Legacy cannot hold sparse: densified.
	b.Reset()
	if err := WriteNDArrays(&b, l, FormatLegacy); err != nil {
		t.Fatal(err)
	}
	got, err := ParseNDArrays(b.Bytes())
	if err != nil || !tensor.Equal(got.Arrays[0].Tensor, want) {
		t.Fatalf("legacy: %v", err)
	}
	// 3 float32 values and 6 int64 indices; Cast keeps the sparse form.
	if n := a.StoredBytes(); n != 3*4+6*8 {
		t.Fatalf("StoredBytes %d", n)
	}
	if err := a.Cast(tensor.Float16); err != nil || a.Storage() != StorageCSR || a.StoredBytes() != 3*2+6*8 {
		t.Fatalf("cast: %v %s %d", err, a.Storage(), a.StoredBytes())
	}
	d, err := a.Dense()
	want16, _ := want.AsType(tensor.Float16)
	if err != nil || !tensor.Equal(d, want16) {
		t.Fatalf("cast dense: %v %v", err, d)
	}
	if n := l.Arrays[0].StoredBytes(); n != 3*2+6*8 {
		t.Fatalf("StoredBytes %d", n)
	}
}
