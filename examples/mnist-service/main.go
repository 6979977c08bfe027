// Command mnist-service embeds mxgo's Open Inference Protocol v2 server
// (package serve) in a program of one's own: the OIP routes and /metrics
// are mounted next to the program's own routes on its own http.Server.
// The model is served at EPOCH Latest, so a newer LeNet-NNNN.params
// written next to it (e.g. by training with DoCheckpoint) is swapped in
// live. For a plain server, use `mxgo serve` instead.
//
//	go run ./examples/mnist-service -prefix testdata/mxnet/lenet-module/LeNet
//	curl -s localhost:8080/v2/models/lenet
//	curl -s localhost:8080/v2/models/lenet/infer -d @request.json   # OIP v2 JSON
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/mxgo/mxgo/serve"
)

// newMux serves the LeNet checkpoint at prefix under /v2 and /metrics, and
// the program's own / page.
func newMux(prefix string) (*http.ServeMux, *serve.Server, error) {
	srv, err := serve.New(serve.Options{Models: []serve.ModelSpec{{
		Name: "lenet", Prefix: prefix, Epoch: serve.Latest,
		InputShapes: map[string][]int{"data": {1, 1, 28, 28}},
	}}})
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/v2/", srv.Handler())
	mux.Handle("/metrics", srv.Handler())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "digits service: POST an OIP v2 request to /v2/models/lenet/infer")
	})
	return mux, srv, nil
}

func main() {
	prefix := flag.String("prefix", "testdata/mxnet/lenet-module/LeNet", "checkpoint prefix (served at its newest epoch)")
	addr := flag.String("addr", "localhost:8080", "listen address")
	flag.Parse()
	mux, srv, err := newMux(*prefix)
	if err != nil {
		slog.Error("loading the model", "err", err)
		os.Exit(1)
	}
	hs := &http.Server{Addr: *addr, Handler: mux}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		hs.Shutdown(context.Background()) // in-flight requests finish
	}()
	slog.Info("serving", "addr", *addr)
	if err := hs.ListenAndServe(); err != http.ErrServerClosed {
		slog.Error("serve", "err", err)
	}
	srv.Close()
}
