// Package serveload is a load generator for `mxgo serve` (OIP v2 REST on
// loopback): a fixed number of inference requests over a fixed number of
// concurrent connections, as JSON or with the binary tensor data
// extension, reporting throughput, latency percentiles and errors.
// load.sh runs it against the MNIST MLP; cmd loadgen is its command line.
package serveload

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Config is one load run.
type Config struct {
	URL         string      // e.g. http://127.0.0.1:8080/v2/models/mlp/infer
	Requests    int         // total requests
	Concurrency int         // concurrent connections
	Binary      bool        // binary tensor data extension (input and output)
	Shape       []int       // input shape, e.g. 1,1,28,28
	Images      [][]float32 // request i sends Images[i%len(Images)]
	Classes     []int       // when set, response i must have argmax Classes[i%len]
}

// Result summarizes a run.
type Result struct {
	Requests int
	Errors   int
	FirstErr string
	Elapsed  time.Duration
	P50, P99 time.Duration
}

// RPS is the completed requests per second.
func (r Result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

func (r Result) String() string {
	return fmt.Sprintf("%d requests, %d errors, %.0f req/s, p50 %v, p99 %v",
		r.Requests, r.Errors, r.RPS(), r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond))
}

// body builds request i's body and headers.
func (c *Config) body(img []float32) ([]byte, string) {
	if !c.Binary {
		b, _ := json.Marshal(map[string]any{"inputs": []map[string]any{{
			"name": "data", "shape": c.Shape, "datatype": "FP32", "data": img}}})
		return b, ""
	}
	h, _ := json.Marshal(map[string]any{
		"inputs": []map[string]any{{"name": "data", "shape": c.Shape, "datatype": "FP32",
			"parameters": map[string]any{"binary_data_size": 4 * len(img)}}},
		"parameters": map[string]any{"binary_data_output": true},
	})
	b := append([]byte(nil), h...)
	for _, v := range img {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b, strconv.Itoa(len(h))
}

// class decodes a response's first output and returns its argmax.
func (c *Config) class(resp *http.Response, b []byte) (int, error) {
	var out []float32
	if h := resp.Header.Get("Inference-Header-Content-Length"); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n > len(b) || (len(b)-n)%4 != 0 {
			return 0, fmt.Errorf("bad binary response (header %q, %d bytes)", h, len(b))
		}
		for i := n; i < len(b); i += 4 {
			out = append(out, math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
		}
	} else {
		var r struct {
			Outputs []struct {
				Data []float32 `json:"data"`
			} `json:"outputs"`
		}
		if err := json.Unmarshal(b, &r); err != nil || len(r.Outputs) == 0 {
			return 0, fmt.Errorf("bad JSON response %.200s", b)
		}
		out = r.Outputs[0].Data
	}
	best := 0
	for i, v := range out {
		if v > out[best] {
			best = i
		}
	}
	return best, nil
}

// Run sends the requests and waits for all of them (or ctx).
func Run(ctx context.Context, c Config) Result {
	bodies := make([][]byte, len(c.Images))
	hdrs := make([]string, len(c.Images))
	for i, img := range c.Images {
		bodies[i], hdrs[i] = c.body(img)
	}
	tr := &http.Transport{MaxIdleConns: c.Concurrency, MaxIdleConnsPerHost: c.Concurrency, MaxConnsPerHost: c.Concurrency}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	lat := make([]time.Duration, c.Requests)
	var next atomic.Int64
	var errs atomic.Int64
	var firstErr sync.Once
	var first string
	fail := func(msg string) {
		errs.Add(1)
		firstErr.Do(func() { first = msg })
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range c.Concurrency {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= c.Requests || ctx.Err() != nil {
					return
				}
				k := i % len(bodies)
				req, _ := http.NewRequestWithContext(ctx, "POST", c.URL, bytes.NewReader(bodies[k]))
				req.Header.Set("Content-Type", "application/json")
				if hdrs[k] != "" {
					req.Header.Set("Inference-Header-Content-Length", hdrs[k])
					req.Header.Set("Content-Type", "application/octet-stream")
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					fail(err.Error())
					continue
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t0)
				if err != nil || resp.StatusCode != 200 {
					fail(fmt.Sprintf("status %d: %.200s", resp.StatusCode, b))
					continue
				}
				if len(c.Classes) > 0 {
					got, err := c.class(resp, b)
					if err != nil {
						fail(err.Error())
					} else if want := c.Classes[k%len(c.Classes)]; got != want {
						fail(fmt.Sprintf("request %d: class %d, want %d", i, got, want))
					}
				}
			}
		})
	}
	wg.Wait()
	r := Result{Requests: c.Requests, Errors: int(errs.Load()), FirstErr: first, Elapsed: time.Since(start)}
	slices.Sort(lat)
	r.P50, r.P99 = lat[len(lat)/2], lat[len(lat)*99/100]
	return r
}
