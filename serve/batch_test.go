package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// unbatched runs each image alone (batch 1) straight through the executor.
func unbatched(t *testing.T, prefix string, epoch int, x *tensor.Tensor) [][]float32 {
	t.Helper()
	ck, err := serialize.LoadCheckpoint(prefix, epoch)
	if err != nil {
		t.Fatal(err)
	}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {1, 1, 28, 28}})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]float32
	for i := range x.Dim(0) {
		in, _ := tensor.FromSlice(append([]float32(nil), x.Float32s()[i*784:(i+1)*784]...), 1, 1, 28, 28)
		o, err := m.Predict(context.Background(), []*tensor.Tensor{in}, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, o[0].Float32s())
	}
	return out
}

// batchedDirect runs all images as one batch straight through the executor.
func batchedDirect(t *testing.T, prefix string, epoch int, x *tensor.Tensor) []float32 {
	t.Helper()
	ck, err := serialize.LoadCheckpoint(prefix, epoch)
	if err != nil {
		t.Fatal(err)
	}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": x.Shape()})
	if err != nil {
		t.Fatal(err)
	}
	o, err := m.Predict(context.Background(), []*tensor.Tensor{x}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return o[0].Float32s()
}

// served sends every image concurrently, one request each, to a server that
// batches them (long MaxDelay, MaxBatch = number of images), and returns
// the outputs and how many Predict calls ran.
func served(t *testing.T, model string, x *tensor.Tensor, maxBatch int) ([][]float32, uint64) {
	t.Helper()
	n := x.Dim(0)
	delay := 2 * time.Second // the batch fills up before
	if maxBatch > n {
		delay = 300 * time.Millisecond // the batch waits for all of it
	}
	s, hs := newServer(t, Options{MaxBatch: maxBatch, MaxDelay: delay, Concurrency: 1})
	out := make([][]float32, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			st, _, b := post(t, hs.URL+"/v2/models/"+model+"/infer", inferJSON([]int{1, 1, 28, 28}, x.Float32s()[i*784:(i+1)*784]), nil)
			var r inferResponse
			if err := json.Unmarshal(b, &r); st != 200 || err != nil {
				t.Errorf("image %d: %d %s", i, st, b)
				return
			}
			out[i] = r.Outputs[0].Data
		})
	}
	wg.Wait()
	var mm dto.Metric
	h, _ := s.metrics.batch.GetMetricWithLabelValues(model)
	h.(interface{ Write(*dto.Metric) error }).Write(&mm)
	return out, mm.GetHistogram().GetSampleCount()
}

// firstDivergence names the first internal output (in graph order) whose
// bits differ between batch 1 and the full batch for image 0.
func firstDivergence(t *testing.T, prefix string, epoch int, x *tensor.Tensor) string {
	ck, err := serialize.LoadCheckpoint(prefix, epoch)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range ck.Symbol.Internals().ListOutputs() {
		if strings.HasSuffix(n, "_output") {
			names = append(names, n)
		}
	}
	run := func(in *tensor.Tensor) []*tensor.Tensor {
		m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": in.Shape()}, executor.WithOutputs(names...))
		if err != nil {
			t.Fatal(err)
		}
		o, err := m.Predict(context.Background(), []*tensor.Tensor{in}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	one, _ := tensor.FromSlice(append([]float32(nil), x.Float32s()[:784]...), 1, 1, 28, 28)
	a, b := run(one), run(x)
	for k, n := range names {
		av, bv := a[k].Float32s(), b[k].Float32s()[:len(a[k].Float32s())]
		for i := range av {
			if math.Float32bits(av[i]) != math.Float32bits(bv[i]) {
				op := ""
				for _, node := range ck.Symbol.Nodes() {
					if node.Name+"_output" == n {
						op = node.OpName
					}
				}
				return fmt.Sprintf("%s (%s) element %d: %v vs %v", n, op, i, av[i], bv[i])
			}
		}
	}
	return "none"
}

func maxAbsDiff(a [][]float32, b [][]float32) float64 {
	d := 0.0
	for i := range a {
		for j := range a[i] {
			d = max(d, math.Abs(float64(a[i][j])-float64(b[i][j])))
		}
	}
	return d
}

// TestBatchingBitIdentical checks that dynamically batched results equal
// unbatched (batch-1) runs bit for bit. It needs batch-invariant kernels:
// when the executor itself gives different bits at batch 1 and batch N for
// a model (checked first, without the server), the test skips for it and
// TestBatchingWithinRounding covers it.
func TestBatchingBitIdentical(t *testing.T) {
	x := mnist(t)
	for _, m := range []struct {
		name, prefix string
		epoch        int
	}{{"mlp", mlpPrefix, 0}, {"lenet", lenetPrefix, 10}} {
		t.Run(m.name, func(t *testing.T) {
			ref := unbatched(t, m.prefix, m.epoch, x)
			direct := batchedDirect(t, m.prefix, m.epoch, x)
			for i := range ref {
				for j, v := range ref[i] {
					if w := direct[i*10+j]; math.Float32bits(v) != math.Float32bits(w) {
						t.Fatalf("the executor alone (no server) gives %v at batch 1 and %v at batch %d (image %d, output %d): "+
							"the kernels are no longer batch-invariant; the first value that differs is %s (batch %d)",
							v, w, x.Dim(0), i, j, firstDivergence(t, m.prefix, m.epoch, x), x.Dim(0))
					}
				}
			}
			got, calls := served(t, m.name, x, x.Dim(0))
			if calls >= uint64(x.Dim(0)) {
				t.Fatalf("%d Predict calls for %d requests: nothing was batched", calls, x.Dim(0))
			}
			for i := range ref {
				for j, v := range ref[i] {
					if math.Float32bits(got[i][j]) != math.Float32bits(v) {
						t.Fatalf("image %d class %d: batched %v, unbatched %v", i, j, got[i][j], v)
					}
				}
			}
		})
	}
}

// TestBatchingWithinRounding checks that dynamically batched results equal
// unbatched runs up to float32 rounding (batching stacks and splits rows
// correctly even where the kernels are not batch-invariant), and reports
// the largest difference.
func TestBatchingWithinRounding(t *testing.T) {
	x := mnist(t)
	for _, m := range []struct {
		name, prefix string
		epoch        int
	}{{"mlp", mlpPrefix, 0}, {"lenet", lenetPrefix, 10}} {
		ref := unbatched(t, m.prefix, m.epoch, x)
		got, calls := served(t, m.name, x, 16) // 10 rows padded to 16
		if calls >= uint64(x.Dim(0)) {
			t.Fatalf("%s: %d Predict calls for %d requests: nothing was batched", m.name, calls, x.Dim(0))
		}
		d := maxAbsDiff(got, ref)
		t.Logf("%s: %d requests in %d Predict calls; max |batched - unbatched| = %.3g", m.name, x.Dim(0), calls, d)
		if d > 1e-6 {
			t.Errorf("%s: batched results differ from unbatched by %g", m.name, d)
		}
		for i := range ref {
			if argmax(got[i]) != argmax(ref[i]) {
				t.Errorf("%s image %d: class %d batched, %d unbatched", m.name, i, argmax(got[i]), argmax(ref[i]))
			}
		}
	}
}

func TestPadRows(t *testing.T) {
	for _, c := range [][3]int{{1, 64, 1}, {2, 64, 2}, {3, 64, 4}, {10, 16, 16}, {33, 64, 64}, {40, 48, 48}, {70, 64, 70}, {5, 1, 5}} {
		if got := padRows(c[0], c[1]); got != c[2] {
			t.Errorf("padRows(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
	if n := planCache(64); n != 7+4 {
		t.Errorf("planCache(64) = %d", n)
	}
}

// TestQueueBound fills a model's queue (one request held in a batch that
// waits for more) and checks that the next is refused with 429.
func TestQueueBound(t *testing.T) {
	s, hs := newServer(t, Options{MaxQueue: 1, MaxBatch: 8, MaxDelay: time.Minute, Concurrency: 1})
	l := s.models["mlp"].current()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "POST", hs.URL+"/v2/models/mlp/infer", strings.NewReader(string(inferJSON([]int{1, 1, 28, 28}, image(t, 0)))))
		_, err := http.DefaultClient.Do(req)
		done <- err
	}()
	waitFor(t, 5*time.Second, "the first request to queue", func() bool { return l.pending.Load() == 1 })
	st, _, b := post(t, hs.URL+"/v2/models/mlp/infer", inferJSON([]int{1, 1, 28, 28}, image(t, 0)), nil)
	if st != http.StatusTooManyRequests || !strings.Contains(string(b), "queue full") {
		t.Fatalf("got %d %s, want 429", st, b)
	}
	cancel()
	<-done
	// Cancelling the client frees the slot at once (the batch it waited in
	// would wait a minute more) without running the request.
	waitFor(t, 5*time.Second, "the queue slot to free", func() bool { return l.pending.Load() == 0 })
	var mm dto.Metric
	h, _ := s.metrics.batch.GetMetricWithLabelValues("mlp")
	h.(interface{ Write(*dto.Metric) error }).Write(&mm)
	if n := mm.GetHistogram().GetSampleCount(); n != 0 {
		t.Errorf("%d Predict calls ran for a cancelled request", n)
	}
	var c dto.Metric
	s.metrics.requests.WithLabelValues("mlp", "rest", "exhausted").Write(&c)
	if c.GetCounter().GetValue() != 1 {
		t.Errorf("exhausted count %v", c.GetCounter().GetValue())
	}
}

// TestCancelQueued cancels requests waiting in the queue behind a running
// batch: they return at once with the context error and never run.
func TestCancelQueued(t *testing.T) {
	s, _ := newServer(t, Options{MaxBatch: 1, Concurrency: 1})
	l := s.models["mlp"].current()
	v := l.variants0()
	// Hold the only concurrency slot so that submitted jobs stay queued.
	l.sem <- struct{}{}
	x, _ := tensor.FromSlice(append([]float32(nil), image(t, 0)...), 1, 1, 28, 28)
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 3)
	for range 3 {
		go func() { _, _, err := v.submit(ctx, []*tensor.Tensor{x}, 1); errs <- err }()
	}
	waitFor(t, 5*time.Second, "three queued jobs", func() bool { return l.pending.Load() == 3 })
	cancel()
	for range 3 {
		if err := <-errs; err != context.Canceled {
			t.Errorf("submit: %v, want context.Canceled", err)
		}
	}
	<-l.sem
	waitFor(t, 5*time.Second, "the queue to drain", func() bool { return l.pending.Load() == 0 })
	var mm dto.Metric
	h, _ := s.metrics.batch.GetMetricWithLabelValues("mlp")
	h.(interface{ Write(*dto.Metric) error }).Write(&mm)
	if n := mm.GetHistogram().GetSampleCount(); n != 0 {
		t.Errorf("%d Predict calls ran for cancelled requests", n)
	}
	// The model still serves.
	out, _, err := v.submit(context.Background(), []*tensor.Tensor{x}, 1)
	if err != nil || len(out) != 1 {
		t.Fatalf("after cancellations: %v", err)
	}
}
