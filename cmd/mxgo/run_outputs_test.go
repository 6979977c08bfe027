package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// TestRunOutputsPartOfGraph: cnocr's OCR graph runs its prediction head
// on a line of any width with -outputs; the whole graph (with its CTC
// loss head) needs a 280-pixel line and the label.
func TestRunOutputsPartOfGraph(t *testing.T) {
	dir := "../../testdata/mxnet/cnocr-densenet-lite-gru/"
	sym := dir + "cnocr-v1.2.0-densenet-lite-gru-symbol.json"
	gz, err := os.ReadFile(dir + "cnocr-v1.2.0-densenet-lite-gru-0000.params.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	params := filepath.Join(t.TempDir(), "cnocr-0000.params")
	if err := os.WriteFile(params, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	in := "../../testdata/models/cnocr-densenet-lite-gru-input.npy"
	out := filepath.Join(t.TempDir(), "probs.npy")
	code, _, errs := mxgo(t, "run", "-symbol", sym, "-params", params, "-input", in, "-outputs", "blockgrad0_output", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got, err := serialize.LoadNPY(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := serialize.LoadNPY("../../testdata/models/cnocr-densenet-lite-gru-blockgrad0_output.npy")
	if err != nil {
		t.Fatal(err)
	}
	if !got.SameShape(want) {
		t.Fatalf("shape %v, want %v", got.Shape(), want.Shape())
	}
	for i := range got.Len() {
		if d := got.Float64At(i) - want.Float64At(i); d > 1e-6 || d < -1e-6 {
			t.Fatalf("element %d: %g, want %g", i, got.Float64At(i), want.Float64At(i))
		}
	}
	// The whole graph: its CTC branch reshapes to 70 steps (a 280-pixel
	// line) and reads the label.
	code, _, errs = mxgo(t, "run", "-symbol", sym, "-params", params, "-input", in)
	if code != 1 || !strings.Contains(errs, "reshape1") {
		t.Errorf("whole graph on a 28-pixel line: exit %d, stderr %q; want reshape1's error", code, errs)
	}
	wide, err := tensor.New(tensor.Float32, 1, 1, 32, 280)
	if err != nil {
		t.Fatal(err)
	}
	for i := range wide.Float32s() {
		wide.Float32s()[i] = float32(i%13) / 13
	}
	label, err := tensor.New(tensor.Float32, 1, 6)
	if err != nil {
		t.Fatal(err)
	}
	copy(label.Float32s(), []float32{5, 17, 17, 2, 0, 0})
	tmp := t.TempDir()
	wideFile, labelFile := filepath.Join(tmp, "line.npy"), filepath.Join(tmp, "label.npy")
	if err := serialize.SaveNPY(wideFile, wide); err != nil {
		t.Fatal(err)
	}
	if err := serialize.SaveNPY(labelFile, label); err != nil {
		t.Fatal(err)
	}
	code, _, errs = mxgo(t, "run", "-symbol", sym, "-params", params, "-input", "data="+wideFile)
	if code != 1 || !strings.Contains(errs, "label") {
		t.Errorf("whole graph without a label: exit %d, stderr %q; want an error about the label", code, errs)
	}
	npz := filepath.Join(tmp, "out.npz")
	code, _, errs = mxgo(t, "run", "-symbol", sym, "-params", params, "-input", "data="+wideFile, "-input", "label="+labelFile, "-out", npz)
	if code != 0 {
		t.Fatalf("whole graph with a label: exit %d: %s", code, errs)
	}
	f, err := os.Open(npz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	names, arrays, err := serialize.ReadNPZ(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var loss *tensor.Tensor
	for i, name := range names {
		if name == "makeloss0_output" {
			loss = arrays[i]
		}
	}
	if loss == nil || loss.Len() != 1 || !(loss.Float64At(0) > 0) || math.IsInf(loss.Float64At(0), 0) {
		t.Errorf("CTC loss output %v, want one finite positive value", loss)
	}
}
