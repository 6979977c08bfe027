package ops_test

import (
	"fmt"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// BenchmarkConvLayers measures Convolution forward (GFLOP/s, a multiply-add
// counted as 2) on CIFAR ResNet-20's layer shapes and MobileFaceNet's
// depthwise shapes (112×112 input), batch 1 with 1 and 2 threads and
// batch 8 with 2 threads. Run with -count and compare variants in one run:
// the cores may be shared.
func BenchmarkConvLayers(b *testing.B) {
	layers := []struct {
		name                string
		c, h, w, f, k, s, p int
		groups              int
	}{
		{"r20_conv0_3x16_32x32", 3, 32, 32, 16, 3, 1, 1, 1},
		{"r20_16x16_32x32", 16, 32, 32, 16, 3, 1, 1, 1},
		{"r20_16x32_s2_32x32", 16, 32, 32, 32, 3, 2, 1, 1},
		{"r20_1x1_16x32_s2", 16, 32, 32, 32, 1, 2, 0, 1},
		{"r20_32x32_16x16", 32, 16, 16, 32, 3, 1, 1, 1},
		{"r20_64x64_8x8", 64, 8, 8, 64, 3, 1, 1, 1},
		{"mfn_dw64_56x56", 64, 56, 56, 64, 3, 1, 1, 64},
		{"mfn_dw128_56x56_s2", 128, 56, 56, 128, 3, 2, 1, 128},
		{"mfn_dw128_28x28", 128, 28, 28, 128, 3, 1, 1, 128},
		{"mfn_dw256_28x28_s2", 256, 28, 28, 256, 3, 2, 1, 256},
		{"mfn_dw256_14x14", 256, 14, 14, 256, 3, 1, 1, 256},
		{"mfn_dw512_14x14_s2", 512, 14, 14, 512, 3, 2, 1, 512},
		{"mfn_1x1_64x128_28x28", 64, 28, 28, 128, 1, 1, 0, 1},
	}
	for _, l := range layers {
		for _, bt := range [][2]int{{1, 1}, {1, 2}, {8, 2}} {
			batch, threads := bt[0], bt[1]
			b.Run(fmt.Sprintf("%s/b%d/t%d", l.name, batch, threads), func(b *testing.B) {
				attrs := map[string]string{"kernel": fmt.Sprintf("(%d,%d)", l.k, l.k), "num_filter": fmt.Sprint(l.f),
					"pad": fmt.Sprintf("(%d,%d)", l.p, l.p), "stride": fmt.Sprintf("(%d,%d)", l.s, l.s),
					"num_group": fmt.Sprint(l.groups)}
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
				shapes := []ops.Shape{x.Shape(), w.Shape(), bias.Shape()}
				shares := threads
				if op.WorkspaceShares != nil {
					shares = op.WorkspaceShares(params, shapes, threads)
				}
				ctx := &ops.Ctx{Threads: threads, Scratch: make([]float32, shares*op.Workspace(params, shapes))}
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
