package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

const (
	mlpPrefix   = "../testdata/mxnet/sm-mlp-dummy/model"
	lenetPrefix = "../testdata/mxnet/lenet-module/LeNet"
)

// mnistLabels are the true labels of the first ten MNIST test images.
var mnistLabels = []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}

// mlpClasses is the MLP's argmax on them (testdata/mxnet/SOURCES.md: 9 of
// 10 right, image 8 gives 9).
var mlpClasses = []int{7, 2, 1, 0, 4, 1, 4, 9, 9, 9}

// mnist returns the ten images as float32 (10, 1, 28, 28).
func mnist(t testing.TB) *tensor.Tensor {
	t.Helper()
	f, err := os.Open("../testdata/samples/mnist-batch.npy")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := serialize.ReadNPY(f)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func image(t testing.TB, i int) []float32 { return mnist(t).Float32s()[i*784 : (i+1)*784] }

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newServer starts a Server on the MLP (and LeNet) behind httptest.
func newServer(t testing.TB, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.Models == nil {
		opts.Models = []ModelSpec{
			{Name: "mlp", Prefix: mlpPrefix, Epoch: 0},
			{Name: "lenet", Prefix: lenetPrefix, Epoch: 10, InputShapes: map[string][]int{"data": {1, 1, 28, 28}}},
		}
	}
	if opts.Logger == nil {
		opts.Logger = quietLogger()
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close(); s.Close() })
	return s, hs
}

// inferJSON is the JSON body of a one-input FP32 request.
func inferJSON(shape []int, data []float32) []byte {
	b, _ := json.Marshal(map[string]any{
		"id":     "req-1",
		"inputs": []map[string]any{{"name": "data", "shape": shape, "datatype": "FP32", "data": data}},
	})
	return b
}

type inferResponse struct {
	ModelName    string `json:"model_name"`
	ModelVersion string `json:"model_version"`
	ID           string `json:"id"`
	Outputs      []struct {
		Name       string         `json:"name"`
		Datatype   string         `json:"datatype"`
		Shape      []int          `json:"shape"`
		Data       []float32      `json:"data"`
		Parameters map[string]int `json:"parameters"`
	} `json:"outputs"`
}

func post(t testing.TB, url string, body []byte, header map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func argmax(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

func itoa(i int) string { return strconv.Itoa(i) }

// waitFor polls cond up to d.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
