package executor_test

import (
	"slices"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/serialize"
)

func TestUnsupportedOps(t *testing.T) {
	f, err := serialize.ParseSymbol([]byte(`{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "QConvolution", "name": "q", "inputs": [[0, 0, 0]]}, {"op": "Activation", "name": "r", "attrs": {"act_type": "relu"}, "inputs": [[1, 0, 0]]}, {"op": "Mystery", "name": "m1", "inputs": [[2, 0, 0]]}, {"op": "QConvolution", "name": "q2", "inputs": [[3, 0, 0]]}], "arg_nodes": [0], "heads": [[4, 0, 0]]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := executor.UnsupportedOps(f.Symbol); !slices.Equal(got, []string{"Mystery", "QConvolution"}) {
		t.Errorf("UnsupportedOps = %v, want [Mystery QConvolution]", got)
	}
	ck, err := serialize.LoadCheckpoint("../testdata/mxnet/lenet-module/LeNet", 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := executor.UnsupportedOps(ck.Symbol); len(got) != 0 {
		t.Errorf("LeNet: UnsupportedOps = %v, want none", got)
	}
}
