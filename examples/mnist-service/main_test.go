package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mxgo/mxgo/serialize"
)

func TestServicePredictsDigitsConcurrently(t *testing.T) {
	s, err := newService("../../testdata/mxnet/lenet-module/LeNet", 10)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	// The first ten MNIST test images are 7 2 1 0 4 1 4 9 5 9.
	batch, err := serialize.LoadNPY("../../testdata/samples/mnist-batch.npy")
	if err != nil {
		t.Fatal(err)
	}
	labels := []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}
	var wg sync.WaitGroup
	for i, want := range labels {
		pixels := batch.Float32s()[i*784 : (i+1)*784]
		for range 4 {
			wg.Go(func() {
				body, _ := json.Marshal(predictRequest{Pixels: pixels})
				resp, err := http.Post(srv.URL+"/predict", "application/json", strings.NewReader(string(body)))
				if err != nil {
					t.Error(err)
					return
				}
				defer resp.Body.Close()
				var got predictResponse
				if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
					t.Error(err)
					return
				}
				if got.Class != want || len(got.Probs) != 10 {
					t.Errorf("image %d: class %d (%d probs), want %d", i, got.Class, len(got.Probs), want)
				}
			})
		}
	}
	wg.Wait()

	resp, err := http.Post(srv.URL+"/reload?epoch=10", "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("reload: %v %v", err, resp.Status)
	}
	resp, _ = http.Post(srv.URL+"/reload?epoch=3", "", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("reload of a missing epoch: %s", resp.Status)
	}
	resp, _ = http.Post(srv.URL+"/predict", "application/json", strings.NewReader(`{"pixels": [1, 2]}`))
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("short input: %s", resp.Status)
	}
}
