package ops_test

import (
	"fmt"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// BenchmarkFullyConnected times the FullyConnected kernel (with bias) on
// the layers of the 784-512-512-10 MLP at batch 1 and 256, under every asm
// implementation, one thread and two.
func BenchmarkFullyConnected(b *testing.B) {
	op, _ := ops.Lookup("FullyConnected")
	for _, s := range []struct{ m, n, k int }{
		{1, 512, 784}, {1, 512, 512}, {1, 10, 512},
		{256, 512, 784}, {256, 512, 512}, {256, 10, 512},
	} {
		for _, threads := range []int{1, 2} {
			attrs := map[string]string{"num_hidden": fmt.Sprint(s.n)}
			params, err := op.Parse(attrs)
			if err != nil {
				b.Fatal(err)
			}
			in := []*tensor.Tensor{kaRand(1, 1, s.m, s.k), kaRand(2, 1, s.n, s.k), kaRand(3, 1, s.n)}
			out, err := opstest.Run("FullyConnected", attrs, in, nil)
			if err != nil {
				b.Fatal(err)
			}
			ctx := &ops.Ctx{Threads: threads}
			asm.ForEachImpl(func(impl string) {
				b.Run(fmt.Sprintf("m=%d/n=%d/k=%d/threads=%d/impl=%s", s.m, s.n, s.k, threads, impl), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := op.Forward(ctx, params, in, out); err != nil {
							b.Fatal(err)
						}
					}
					flops := 2 * float64(s.m*s.n*s.k) * float64(b.N)
					b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			})
		}
	}
}

// BenchmarkElementwise times representative memory-bound kernels on 64k
// elements.
func BenchmarkElementwise(b *testing.B) {
	const n = 1 << 16
	x, y := kaRand(1, 2, n), kaRand(2, 2, n)
	for _, c := range []struct {
		name, op string
		attrs    map[string]string
		in       []*tensor.Tensor
	}{
		{"Activation_relu", "Activation", map[string]string{"act_type": "relu"}, []*tensor.Tensor{x}},
		{"Activation_tanh", "Activation", map[string]string{"act_type": "tanh"}, []*tensor.Tensor{x}},
		{"Activation_mish", "Activation", map[string]string{"act_type": "mish"}, []*tensor.Tensor{x}},
		{"elemwise_add", "elemwise_add", nil, []*tensor.Tensor{x, y}},
		{"broadcast_add_row", "broadcast_add", nil, []*tensor.Tensor{kaRand(1, 1, 256, 256), kaRand(2, 1, 256)}},
		{"broadcast_add_col", "broadcast_add", nil, []*tensor.Tensor{kaRand(1, 1, 256, 256), kaRand(2, 1, 256, 1)}},
		{"broadcast_add_nchw_bias", "broadcast_add", nil, []*tensor.Tensor{kaRand(1, 1, 8, 32, 16, 16), kaRand(2, 1, 1, 32, 1, 1)}},
		{"mean_spatial", "mean", map[string]string{"axis": "(2,3)"}, []*tensor.Tensor{kaRand(1, 1, 8, 32, 16, 16)}},
		{"transpose_int64", "transpose", nil, []*tensor.Tensor{kaInt64(256, 256)}},
		{"sum_axis1", "sum", map[string]string{"axis": "1"}, []*tensor.Tensor{kaRand(1, 1, 256, 256)}},
		{"sum_axis0", "sum", map[string]string{"axis": "0"}, []*tensor.Tensor{kaRand(1, 1, 256, 256)}},
		{"transpose", "transpose", nil, []*tensor.Tensor{kaRand(1, 1, 256, 256)}},
	} {
		name := c.op
		op, _ := ops.Lookup(name)
		var params any
		if op.Parse != nil {
			var err error
			if params, err = op.Parse(c.attrs); err != nil {
				b.Fatal(err)
			}
		}
		out, err := opstest.Run(name, c.attrs, c.in, nil)
		if err != nil {
			b.Fatal(err)
		}
		ctx := &ops.Ctx{Threads: 1}
		asm.ForEachImpl(func(impl string) {
			b.Run(fmt.Sprintf("op=%s/impl=%s", c.name, impl), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := op.Forward(ctx, params, c.in, out); err != nil {
						b.Fatal(err)
					}
				}
				bytes := float64(4*(c.in[0].Len()+out[0].Len())) * float64(b.N)
				b.ReportMetric(bytes/b.Elapsed().Seconds()/1e9, "GB/s")
			})
		})
	}
}

// kaInt64 returns a zero int64 tensor (data moves do not look at values).
func kaInt64(shape ...int) *tensor.Tensor {
	t, err := tensor.New(tensor.Int64, shape...)
	if err != nil {
		panic(err)
	}
	return t
}
