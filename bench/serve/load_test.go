package serveload

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/serve"
)

// TestShortLoad is a short version of load.sh, in process: 1,000 requests
// as JSON and 1,000 with binary data at 64 connections on the MNIST MLP,
// with dynamic batching (200 each with -short); every answer must be 200
// with the expected class.
func TestShortLoad(t *testing.T) {
	s, err := serve.New(serve.Options{
		Models: []serve.ModelSpec{{Name: "mlp", Prefix: "../../testdata/mxnet/sm-mlp-dummy/model", Epoch: 0}},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	f, err := os.Open("../../testdata/samples/mnist-batch.npy")
	if err != nil {
		t.Fatal(err)
	}
	x, err := serialize.ReadNPY(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{URL: hs.URL + "/v2/models/mlp/infer", Requests: 1000, Concurrency: 64, Shape: []int{1, 1, 28, 28},
		Classes: []int{7, 2, 1, 0, 4, 1, 4, 9, 9, 9}}
	if testing.Short() { // e.g. under qemu
		cfg.Requests = 200
	}
	for i := range 10 {
		cfg.Images = append(cfg.Images, x.Float32s()[i*784:(i+1)*784])
	}
	for _, bin := range []bool{false, true} {
		cfg.Binary = bin
		r := Run(context.Background(), cfg)
		t.Logf("binary=%v: %v", bin, r)
		if r.Errors > 0 {
			t.Errorf("binary=%v: %d errors, first: %s", bin, r.Errors, r.FirstErr)
		}
	}
}
