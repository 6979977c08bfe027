package ops_test

import (
	"fmt"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// kaBench times op name's forward kernel on in with the given threads and
// returns nothing; metrics are set by the caller from b.Elapsed.
func kaBench(b *testing.B, name string, attrs map[string]string, threads int, in ...*tensor.Tensor) {
	b.Helper()
	op, _ := ops.Lookup(name)
	var params any
	if op.Parse != nil {
		p, err := op.Parse(attrs)
		if err != nil {
			b.Fatal(err)
		}
		params = p
	}
	out, err := opstest.Run(name, attrs, in, &opstest.Options{Threads: threads})
	if err != nil {
		b.Fatal(err)
	}
	ctx := &ops.Ctx{Threads: threads}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := op.Forward(ctx, params, in, out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFullyConnected covers the MLP 784-512-512-10 layer shapes.
func BenchmarkFullyConnected(b *testing.B) {
	for _, s := range []struct{ m, n, k int }{{1, 512, 784}, {1, 10, 512}, {256, 512, 784}, {256, 512, 512}} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("m=%d/n=%d/k=%d/threads=%d", s.m, s.n, s.k, threads), func(b *testing.B) {
				x, w, bias := kaRand(1, s.m, s.k), kaRand(2, s.n, s.k), kaRand(3, s.n)
				kaBench(b, "FullyConnected", map[string]string{"num_hidden": fmt.Sprint(s.n)}, threads, x, w, bias)
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkElementwise times memory-bound ops in GB/s (bytes read + written).
func BenchmarkElementwise(b *testing.B) {
	const n = 256 * 512
	x, y := kaRand(1, 256, 512), kaRand(2, 256, 512)
	cases := []struct {
		name  string
		attrs map[string]string
		in    []*tensor.Tensor
		bytes int
	}{
		{"Activation", map[string]string{"act_type": "relu"}, []*tensor.Tensor{x}, 8 * n},
		{"Activation", map[string]string{"act_type": "sigmoid"}, []*tensor.Tensor{x}, 8 * n},
		{"LeakyReLU", map[string]string{"act_type": "gelu"}, []*tensor.Tensor{x}, 8 * n},
		{"elemwise_add", nil, []*tensor.Tensor{x, y}, 12 * n},
		{"broadcast_mul", nil, []*tensor.Tensor{x, kaRand(3, 1, 512)}, 8 * n},
		{"broadcast_add", nil, []*tensor.Tensor{kaRand(4, 32, 16, 16, 16), kaRand(5, 1, 16, 1, 1)}, 8 * n},
		{"broadcast_div", nil, []*tensor.Tensor{kaRand(4, 32, 16, 16, 16), kaRand(5, 1, 16, 1, 1)}, 8 * n},
		{"_mul_scalar", map[string]string{"scalar": "0.5"}, []*tensor.Tensor{x}, 8 * n},
		{"transpose", nil, []*tensor.Tensor{x}, 8 * n},
		{"sum", map[string]string{"axis": "1"}, []*tensor.Tensor{x}, 4 * n},
		{"sum", map[string]string{"axis": "0"}, []*tensor.Tensor{x}, 4 * n},
		{"mean", map[string]string{"axis": "(2,3)"}, []*tensor.Tensor{kaRand(4, 32, 16, 16, 16)}, 4 * n},
		{"max", map[string]string{"axis": "(0,2)"}, []*tensor.Tensor{kaRand(4, 32, 16, 16, 16)}, 4 * n},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("op=%s/attrs=%v", c.name, c.attrs), func(b *testing.B) {
			kaBench(b, c.name, c.attrs, 1, c.in...)
			b.ReportMetric(float64(c.bytes)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
		})
	}
}
