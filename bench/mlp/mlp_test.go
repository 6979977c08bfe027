// Package mlp benchmarks mxgo on the MLP 784-512-512-10 (ReLU, softmax)
// that the project's performance targets are stated for. Its peer is
// pytorch_mlp.py in this directory (same network, same batch sizes and
// thread counts); compare.sh runs both and prints them side by side.
package mlp

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/tensor"
)

// Net builds the MLP as MXNet's symbol API would and random weights.
func Net(tb testing.TB) (*graph.Symbol, map[string]*tensor.Tensor) {
	b := graph.NewBuilder()
	x, _ := b.Variable("data")
	params := map[string]*tensor.Tensor{}
	rng := rand.New(rand.NewPCG(1, 1))
	in := 784
	for i, h := range []int{512, 512, 10} {
		name := fmt.Sprintf("fc%d", i+1)
		var err error
		x, err = b.Apply("FullyConnected", graph.Call{Name: name, Inputs: []*graph.Symbol{x}, Attrs: map[string]string{"num_hidden": fmt.Sprint(h)}})
		if err != nil {
			tb.Fatal(err)
		}
		params["arg:"+name+"_weight"] = random(rng, h, in)
		params["arg:"+name+"_bias"] = random(rng, h)
		in = h
		if i < 2 {
			x, _ = b.Apply("Activation", graph.Call{Name: fmt.Sprintf("relu%d", i+1), Inputs: []*graph.Symbol{x}, Attrs: map[string]string{"act_type": "relu"}})
		}
	}
	out, err := b.Apply("SoftmaxOutput", graph.Call{Name: "softmax", Inputs: []*graph.Symbol{x}})
	if err != nil {
		tb.Fatal(err)
	}
	return out, params
}

func random(rng *rand.Rand, shape ...int) *tensor.Tensor {
	t, _ := tensor.New(tensor.Float32, shape...)
	for i := range t.Float32s() {
		t.Float32s()[i] = float32(rng.NormFloat64() * 0.05)
	}
	return t
}

// BenchmarkMLP reports samples/s (wall clock) and cpu-us/op, the process
// CPU time per batch (all threads: on a machine shared with other jobs,
// the work and spinning of a call without its waits for a core).
func BenchmarkMLP(b *testing.B) {
	sym, params := Net(b)
	for _, c := range []struct{ batch, threads int }{{1, 1}, {8, 1}, {256, 1}, {256, 2}} {
		b.Run(fmt.Sprintf("batch=%d/threads=%d", c.batch, c.threads), func(b *testing.B) {
			m, err := executor.Bind(sym, params, nil, map[string][]int{"data": {c.batch, 784}}, executor.WithThreads(c.threads))
			if err != nil {
				b.Fatal(err)
			}
			x := random(rand.New(rand.NewPCG(2, 2)), c.batch, 784)
			in := []*tensor.Tensor{x}
			outs, err := m.Predict(context.Background(), in, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			// The latest calls' latencies, for the median the peers report
			// (p50_us); a ring, so timing allocates nothing.
			var lat [4096]time.Duration
			cpu0 := processCPU()
			i := 0
			for b.Loop() {
				t0 := time.Now()
				outs, _ = m.Predict(context.Background(), in, outs)
				lat[i%len(lat)] = time.Since(t0)
				i++
			}
			b.ReportMetric(float64(c.batch)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
			l := lat[:min(i, len(lat))]
			slices.Sort(l)
			b.ReportMetric(float64(l[len(l)/2].Nanoseconds())/1e3, "p50-us")
			// The CPU time of every thread per batch: on a loaded machine,
			// work plus spinning, without the time spent waiting for a core.
			if cpu := processCPU() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/op")
			}
		})
	}
}
