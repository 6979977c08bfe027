// Command mnist-service embeds a Python-trained MXNet checkpoint in a Go
// HTTP service: one bound model shared by all requests (Predict is safe for
// concurrent use and allocation-free after warm-up), and hot reload of newer
// weights with SetParams.
//
//	go run ./examples/mnist-service -prefix testdata/mxnet/lenet-module/LeNet -epoch 10
//	curl -s localhost:8080/predict -d '{"pixels": [0, 0, ..., 0.5, ...]}'   # 784 values in [0,1]
//	curl -s -X POST 'localhost:8080/reload?epoch=10'
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// service answers /predict and /reload for one checkpoint.
type service struct {
	prefix string
	model  *executor.Model
	// bufs holds per-request input and output tensors for reuse.
	bufs sync.Pool
}

type buffers struct {
	in  []*tensor.Tensor
	out []*tensor.Tensor
}

// newService loads PREFIX-symbol.json and PREFIX-EEEE.params and binds
// them for one 1×1×28×28 image per call.
func newService(prefix string, epoch int) (*service, error) {
	ck, err := serialize.LoadCheckpoint(prefix, epoch)
	if err != nil {
		return nil, err
	}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {1, 1, 28, 28}}, executor.WithThreads(1))
	if err != nil {
		return nil, err
	}
	s := &service{prefix: prefix, model: m}
	s.bufs.New = func() any {
		x, _ := tensor.New(tensor.Float32, 1, 1, 28, 28)
		return &buffers{in: []*tensor.Tensor{x}}
	}
	return s, nil
}

type predictRequest struct {
	Pixels []float32 `json:"pixels"`
}

type predictResponse struct {
	Class int       `json:"class"`
	Probs []float32 `json:"probs"`
}

func (s *service) predict(w http.ResponseWriter, r *http.Request) {
	var req predictRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(req.Pixels) != 28*28 {
		http.Error(w, fmt.Sprintf("want 784 pixels, got %d", len(req.Pixels)), http.StatusBadRequest)
		return
	}
	b := s.bufs.Get().(*buffers)
	defer s.bufs.Put(b)
	copy(b.in[0].Float32s(), req.Pixels)
	out, err := s.model.Predict(r.Context(), b.in, b.out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	b.out = out
	class, err := tensor.ArgMax(out[0])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp := predictResponse{Probs: append([]float32(nil), out[0].Float32s()...), Class: class[0]}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// reload swaps in the weights of another epoch of the same checkpoint
// without rebinding; requests in flight finish with the old weights.
func (s *service) reload(w http.ResponseWriter, r *http.Request) {
	epoch, err := strconv.Atoi(r.URL.Query().Get("epoch"))
	if err != nil {
		http.Error(w, "epoch must be an integer", http.StatusBadRequest)
		return
	}
	ck, err := serialize.LoadCheckpoint(s.prefix, epoch)
	if err == nil {
		err = s.model.SetParams(ck.Args, ck.Aux)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, "loaded epoch %d\n", epoch)
}

func (s *service) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /predict", s.predict)
	mux.HandleFunc("POST /reload", s.reload)
	return mux
}

func main() {
	prefix := flag.String("prefix", "testdata/mxnet/lenet-module/LeNet", "checkpoint prefix")
	epoch := flag.Int("epoch", 10, "checkpoint epoch")
	addr := flag.String("addr", "localhost:8080", "listen address")
	flag.Parse()
	s, err := newService(*prefix, *epoch)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: s.handler()}
	log.Printf("serving %s-%04d on %s", *prefix, *epoch, *addr)
	log.Fatal(srv.ListenAndServe())
}
