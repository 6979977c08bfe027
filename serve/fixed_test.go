package serve

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// TestFixedBatchModel serves a graph that only runs at batch 1 (a Reshape
// with the batch size written in): metadata says 1, not -1, a batch of 2 is
// a 400 naming the shape, and batch 1 works.
func TestFixedBatchModel(t *testing.T) {
	b := graph.NewBuilder()
	x, _ := b.Variable("data")
	fc, err := b.Apply("FullyConnected", graph.Call{Name: "fc", Inputs: []*graph.Symbol{x}, Attrs: map[string]string{"num_hidden": "3"}})
	if err != nil {
		t.Fatal(err)
	}
	y, err := b.Apply("Reshape", graph.Call{Name: "r", Inputs: []*graph.Symbol{fc}, Attrs: map[string]string{"shape": "(1, 3)"}})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := tensor.FromSlice([]float32{1, 0, 0, 1, 0, 0}, 3, 2)
	bias, _ := tensor.FromSlice([]float32{0, 0, 5}, 3)
	prefix := filepath.Join(t.TempDir(), "fixed")
	if err := serialize.SaveCheckpoint(prefix, 1, &serialize.Checkpoint{Symbol: y, Args: map[string]*tensor.Tensor{"fc_weight": w, "fc_bias": bias}}); err != nil {
		t.Fatal(err)
	}
	_, hs := newServer(t, Options{Models: []ModelSpec{{Name: "f", Prefix: prefix, Epoch: 1, InputShapes: map[string][]int{"data": {1, 2}}}}})
	resp, err := http.Get(hs.URL + "/v2/models/f")
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	buf := make([]byte, 4096)
	n, _ := resp.Body.Read(buf)
	sb.Write(buf[:n])
	resp.Body.Close()
	if !strings.Contains(sb.String(), `"inputs":[{"name":"data","datatype":"FP32","shape":[1,2]}]`) || !strings.Contains(sb.String(), `"shape":[1,3]`) {
		t.Fatalf("metadata %s", sb.String())
	}
	st, _, body := post(t, hs.URL+"/v2/models/f/infer", []byte(`{"inputs":[{"name":"data","shape":[2,2],"datatype":"FP32","data":[1,2,3,4]}]}`), nil)
	if st != 400 || !strings.Contains(string(body), "inputs[0].shape") {
		t.Fatalf("batch 2: %d %s", st, body)
	}
	st, _, body = post(t, hs.URL+"/v2/models/f/infer", []byte(`{"inputs":[{"name":"data","shape":[1,2],"datatype":"FP32","data":[1,2]}]}`), nil)
	if st != 200 || !strings.Contains(string(body), `"data":[1,2,5]`) {
		t.Fatalf("batch 1: %d %s", st, body)
	}
}
