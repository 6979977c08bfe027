package serialize

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestSaveCheckpointLikeMXNet re-saves the SageMaker MLP checkpoint (written
// by MXNet 1.8's save_checkpoint): the params file comes out byte-identical
// and the symbol differs only by the version stamp.
func TestSaveCheckpointLikeMXNet(t *testing.T) {
	for _, c := range []struct {
		prefix string
		epoch  int
	}{{"../testdata/mxnet/sm-mlp-dummy/model", 0}} {
		ck, err := LoadCheckpoint(c.prefix, c.epoch)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "re")
		if err := SaveCheckpoint(out, c.epoch, ck); err != nil {
			t.Fatal(err)
		}
		symIn, paramsIn := CheckpointPaths(c.prefix, c.epoch)
		symOut, paramsOut := CheckpointPaths(out, c.epoch)
		if a, b := mustRead(t, paramsIn), mustRead(t, paramsOut); !bytes.Equal(a, b) {
			t.Errorf("%s: params differ from MXNet's (%d vs %d bytes)", c.prefix, len(a), len(b))
		}
		f, err := ParseSymbol(mustRead(t, symIn))
		if err != nil {
			t.Fatal(err)
		}
		want, err := MarshalSymbol(f.Symbol, &SymbolOptions{MXNetVersion: 10901})
		if err != nil {
			t.Fatal(err)
		}
		if got := mustRead(t, symOut); !bytes.Equal(got, want) {
			t.Errorf("%s: symbol JSON is not MXNet 1.9.1's print of the graph", c.prefix)
		}
		back, err := LoadCheckpoint(out, c.epoch)
		if err != nil {
			t.Fatal(err)
		}
		if len(back.Args) != len(ck.Args) || len(back.Aux) != len(ck.Aux) {
			t.Errorf("%s: reloaded %d args %d aux, want %d %d", c.prefix, len(back.Args), len(back.Aux), len(ck.Args), len(ck.Aux))
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadCheckpointFSAndErrors(t *testing.T) {
	sym := mustRead(t, "../testdata/mxnet/lenet-module/LeNet-symbol.json")
	params := mustRead(t, "../testdata/mxnet/lenet-module/LeNet-0010.params")
	fsys := fstest.MapFS{
		"m/LeNet-symbol.json": {Data: sym},
		"m/LeNet-0010.params": {Data: params},
		"m/Bad-symbol.json":   {Data: sym},
		"m/Bad-0001.params":   {Data: params[:100]},
	}
	ck, err := LoadCheckpointFS(fsys, "m/LeNet", 10)
	if err != nil {
		t.Fatal(err)
	}
	if w := ck.Args["conv1_weight"]; w == nil || w.String() != "float32(6,1,5,5)" {
		t.Errorf("conv1_weight = %v", w)
	}
	if _, err := LoadCheckpointFS(fsys, "m/LeNet", 11); err == nil || !strings.Contains(err.Error(), "LeNet-0011.params") {
		t.Errorf("missing epoch: %v", err)
	}
	if _, err := LoadCheckpointFS(fsys, "m/Bad", 1); err == nil || !strings.Contains(err.Error(), "offset") {
		t.Errorf("truncated params: %v", err)
	}
	if _, err := ParseCheckpoint(sym[:50], params); err == nil {
		t.Error("truncated symbol accepted")
	}
}

func ExampleLoadCheckpoint() {
	ck, err := LoadCheckpoint("../testdata/mxnet/lenet-module/LeNet", 10)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ck.Symbol.ListOutputs(), len(ck.Args), "args", len(ck.Aux), "aux")
	fmt.Println(ck.Args["fc1_weight"])
	// Output:
	// [softmax_output] 10 args 0 aux
	// float32(120,256)
}
