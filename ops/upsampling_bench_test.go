package ops_test

import (
	"fmt"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// BenchmarkUpSamplingNearest times nearest UpSampling on RetinaFace's
// feature-pyramid shapes (64 channels, 2x) and a 3x case.
func BenchmarkUpSamplingNearest(b *testing.B) {
	for _, c := range []struct{ h, w, scale int }{{30, 40, 2}, {15, 20, 2}, {30, 40, 3}} {
		b.Run(fmt.Sprintf("64x%dx%d/x%d", c.h, c.w, c.scale), func(b *testing.B) {
			attrs := map[string]string{"scale": fmt.Sprint(c.scale), "sample_type": "nearest", "num_args": "1"}
			op, _ := ops.Lookup("UpSampling")
			params, err := op.Parse(attrs)
			if err != nil {
				b.Fatal(err)
			}
			in := []*tensor.Tensor{kaRand(1, 1, 1, 64, c.h, c.w)}
			out, err := runOnce(op, params, attrs, in)
			if err != nil {
				b.Fatal(err)
			}
			ctx := &ops.Ctx{Threads: 1}
			b.ReportAllocs()
			for b.Loop() {
				if err := op.Forward(ctx, params, in, out); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out[0].Len())*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
		})
	}
}
