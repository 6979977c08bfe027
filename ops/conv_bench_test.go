package ops_test

import (
	"fmt"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// BenchmarkConv measures Convolution forward on LeNet's two convolutions
// a ResNet-20 3x3 16->16 layer and a MobileNet-style depthwise 3x3 layer,
// batch 1 and 8, one and two threads.
func BenchmarkConv(b *testing.B) {
	layers := []struct {
		name          string
		c, h, w, f, k int
		pad, groups   int
	}{
		{"lenet1_1x20x5x5_28x28", 1, 28, 28, 20, 5, 0, 1},
		{"lenet2_20x50x5x5_12x12", 20, 12, 12, 50, 5, 0, 1},
		{"resnet20_16x16x3x3_32x32", 16, 32, 32, 16, 3, 1, 1},
		{"depthwise_32x3x3_56x56", 32, 56, 56, 32, 3, 1, 32},
	}
	for _, l := range layers {
		for _, batch := range []int{1, 8} {
			for _, threads := range []int{1, 2} {
				name := fmt.Sprintf("%s/batch=%d/threads=%d", l.name, batch, threads)
				b.Run(name, func(b *testing.B) {
					attrs := map[string]string{"kernel": fmt.Sprintf("(%d,%d)", l.k, l.k), "num_filter": fmt.Sprint(l.f),
						"pad": fmt.Sprintf("(%d,%d)", l.pad, l.pad), "num_group": fmt.Sprint(l.groups)}
					x := kaRand(1, 1, batch, l.c, l.h, l.w)
					w := kaRand(2, 1, l.f, l.c/l.groups, l.k, l.k)
					bias := kaRand(3, 1, l.f)
					in := []*tensor.Tensor{x, w, bias}
					op, _ := ops.Lookup("Convolution")
					params, err := op.Parse(attrs)
					if err != nil {
						b.Fatal(err)
					}
					out, err := runOnce(op, params, attrs, in)
					if err != nil {
						b.Fatal(err)
					}
					ctx := &ops.Ctx{Threads: threads, Scratch: make([]float32, threads*op.Workspace(params, []ops.Shape{x.Shape(), w.Shape(), bias.Shape()}))}
					oh, ow := out[0].Dim(2), out[0].Dim(3)
					flops := 2.0 * float64(batch*l.f*oh*ow*l.c/l.groups*l.k*l.k)
					b.ReportAllocs()
					b.ResetTimer()
					for range b.N {
						if err := op.Forward(ctx, params, in, out); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
