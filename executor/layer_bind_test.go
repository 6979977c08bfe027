package executor_test

import (
	"os"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
)

// TestLayerAttributeErrorsAtBind checks that out-of-domain layer attributes
// in a model file fail when the model is loaded or bound, with the node's
// name and the attribute in the error, and never panic.
func TestLayerAttributeErrorsAtBind(t *testing.T) {
	dir := "../testdata/mxnet/retinaface-mnet25/"
	sym, err := os.ReadFile(dir + "mnet.25-symbol.json")
	if err != nil {
		t.Fatal(err)
	}
	params, err := os.ReadFile(dir + "mnet.25-0000.params")
	if err != nil {
		t.Fatal(err)
	}
	// crop0 with its two inputs (the upsampled map and the crop_like one)
	const crop = `"name": "crop0", 
      "attrs": {"num_args": "2"}, 
      "inputs": [[291, 0, 0], [290, 0, 0]]`
	if !strings.Contains(string(sym), crop) {
		t.Fatalf("crop0 node not found in the symbol")
	}
	for _, bad := range []string{"3", "0", "two"} {
		node := strings.Replace(crop, `"2"`, `"`+bad+`"`, 1)
		if bad == "3" { // three inputs, as num_args says: InferShape rejects it
			node = strings.Replace(node, `[290, 0, 0]]`, `[290, 0, 0], [290, 0, 0]]`, 1)
		}
		edited := strings.Replace(string(sym), crop, node, 1)
		ck, err := serialize.ParseCheckpoint([]byte(edited), params)
		if err == nil {
			_, err = executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {1, 3, 64, 64}})
		}
		t.Logf("num_args %s: %v", bad, err)
		if err == nil || !strings.Contains(err.Error(), "crop0") || !strings.Contains(err.Error(), "num_args") {
			t.Errorf("Crop num_args %s: error %v, want one naming crop0 and num_args", bad, err)
		}
	}

	b := graph.NewBuilder()
	data, err := b.Variable("data")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		op, attr string
		attrs    map[string]string
	}{
		{"Pad", "pad_width", map[string]string{"mode": "constant", "pad_width": "(0,0,0,0,1,-2,0,0)"}},
		{"Pad", "pad_width", map[string]string{"mode": "reflect", "pad_width": "(0,0,0,0,1,8,0,0)"}},
		{"_contrib_BilinearResize2D", "scale_height", map[string]string{"mode": "odd_scale"}},
		{"_contrib_AdaptiveAvgPooling2D", "output_size", map[string]string{"output_size": "(2, -1)"}},
	} {
		s, err := b.Apply(c.op, graph.Call{Name: "layer0", Inputs: []*graph.Symbol{data}, Attrs: c.attrs})
		if err == nil {
			_, err = executor.Bind(s, nil, nil, map[string][]int{"data": {1, 2, 5, 5}})
		}
		t.Logf("%s: %v", c.op, err)
		if err == nil || !strings.Contains(err.Error(), "layer0") || !strings.Contains(err.Error(), c.attr) {
			t.Errorf("%s %v: error %v, want one naming layer0 and %s", c.op, c.attrs, err, c.attr)
		}
	}
}
