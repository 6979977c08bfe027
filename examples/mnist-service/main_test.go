package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/serialize"
)

// TestServiceClassifiesDigits posts the first ten MNIST test images (labels
// 7 2 1 0 4 1 4 9 5 9) as OIP v2 requests to the embedded server.
func TestServiceClassifiesDigits(t *testing.T) {
	mux, srv, err := newMux("../../testdata/mxnet/lenet-module/LeNet")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(mux)
	defer hs.Close()
	f, err := os.Open("../../testdata/samples/mnist-batch.npy")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	batch, err := serialize.ReadNPY(f)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9} {
		body, _ := json.Marshal(map[string]any{"inputs": []map[string]any{{
			"name": "data", "shape": []int{1, 1, 28, 28}, "datatype": "FP32", "data": batch.Float32s()[i*784 : (i+1)*784]}}})
		resp, err := http.Post(hs.URL+"/v2/models/lenet/infer", "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Outputs []struct {
				Data []float32 `json:"data"`
			} `json:"outputs"`
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err := json.Unmarshal(b, &r); resp.StatusCode != 200 || err != nil {
			t.Fatalf("image %d: %d %s", i, resp.StatusCode, b)
		}
		best := 0
		for j, p := range r.Outputs[0].Data {
			if p > r.Outputs[0].Data[best] {
				best = j
			}
		}
		if best != want {
			t.Errorf("image %d: class %d, want %d", i, best, want)
		}
	}
	for _, path := range []string{"/", "/metrics", "/v2/health/ready"} {
		resp, err := http.Get(hs.URL + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp.StatusCode, err)
		}
		resp.Body.Close()
	}
}
