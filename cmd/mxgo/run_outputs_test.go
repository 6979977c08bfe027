package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/serialize"
)

// TestRunOutputsSkipsUnusedOps: a graph with a training-only head mxgo
// cannot run (cnocr's CTCLoss, which also takes a label) runs with
// -outputs naming its prediction head; without -outputs, or with -outputs
// reaching the CTC head, the unknown operator is reported first.
func TestRunOutputsSkipsUnusedOps(t *testing.T) {
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
	for _, args := range [][]string{
		{"run", "-symbol", sym, "-params", params, "-input", in},
		{"run", "-symbol", sym, "-params", params, "-input", in, "-outputs", "blockgrad0_output,makeloss0_output"},
	} {
		code, _, errs := mxgo(t, args...)
		if code != 1 || !strings.Contains(errs, "no kernel for operator(s) CTCLoss") {
			t.Errorf("%v: exit %d, stderr %q; want the unknown CTCLoss", args[len(args)-1], code, errs)
		}
	}
}
