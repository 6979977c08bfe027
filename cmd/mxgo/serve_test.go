package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeGracefulShutdown starts `mxgo serve`, sends a request that waits
// in a batch, cancels (as SIGTERM does) while it is in flight, and checks
// that the request still succeeds and serve returns nil (exit 0).
func TestServeGracefulShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrs := make(chan string, 1)
	var logs bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- serveMain(ctx, []string{"-model", "mlp=../../testdata/mxnet/sm-mlp-dummy/model:latest",
			"-addr", "127.0.0.1:0", "-grpc-addr", "127.0.0.1:0", "-max-delay", "2s", "-log-format", "json"},
			&logs, func(rest, grpc string) { addrs <- rest })
	}()
	var addr string
	select {
	case addr = <-addrs:
	case err := <-done:
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}
	body, _ := json.Marshal(map[string]any{"inputs": []map[string]any{{
		"name": "data", "shape": []int{1, 1, 28, 28}, "datatype": "FP32", "data": make([]float32, 784)}}})
	res := make(chan int, 1)
	go func() {
		resp, err := http.Post("http://"+addr+"/v2/models/mlp/infer", "application/json", bytes.NewReader(body))
		if err != nil {
			res <- -1
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		res <- resp.StatusCode
	}()
	// Shut down once the request waits in its batch.
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), `mxgo_serve_queue_depth{model="mlp"} 1`) {
			break
		}
		if time.Now().After(end) {
			t.Fatal("the request never queued")
		}
	}
	cancel()
	if st := <-res; st != 200 {
		t.Errorf("in-flight request during shutdown: status %d", st)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v", err)
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Errorf("logs: %s", logs.String())
	}
}

func TestServeFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-model", "x"}, "want NAME=PREFIX:EPOCH"},
		{[]string{"-model", "a=p:zz"}, `epoch "zz" is not 0..9999 or latest`},
		{[]string{"-model", "a=p:1", "-shape", "b:data=1,2"}, "no -model b"},
		{[]string{"-model", "a=p:1", "-shape", "a:data=1,x"}, `"x" is not a positive dimension`},
		{[]string{"-model", "a=p:1", "-max-body", "lots"}, "-max-body"},
		{[]string{"-model", "a=/nonexistent/p:1"}, "model a"},
	} {
		err := serveMain(context.Background(), c.args, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	if err := serveMain(context.Background(), nil, io.Discard, nil); err != errUsage {
		t.Errorf("no -model: %v", err)
	}
}
