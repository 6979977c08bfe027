package executor_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// BenchmarkGenderAgeCPU times InsightFace's gender-age MobileNet at batch
// 1 on one thread, reporting the best round's thread CPU time per Predict
// (so other processes on a busy machine do not count).
func BenchmarkGenderAgeCPU(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ck, err := serialize.LoadCheckpoint("../testdata/mxnet/insightface-gender-age/model", 0)
	if err != nil {
		b.Fatal(err)
	}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {1, 3, 112, 112}}, executor.WithThreads(1))
	if err != nil {
		b.Fatal(err)
	}
	x, _ := tensor.New(tensor.Float32, 1, 3, 112, 112)
	for i := range x.Float32s() {
		x.Float32s()[i] = float32(i%251) / 251
	}
	in := []*tensor.Tensor{x}
	var out []*tensor.Tensor
	const reps = 20
	best := time.Duration(1 << 62)
	b.ResetTimer()
	for range b.N {
		c0, ok := threadCPU()
		if !ok {
			b.Skip("no thread CPU time here")
		}
		for range reps {
			if out, err = m.Predict(context.Background(), in, out); err != nil {
				b.Fatal(err)
			}
		}
		c1, _ := threadCPU()
		best = min(best, (c1-c0)/reps)
	}
	b.ReportMetric(float64(best.Nanoseconds())/1e3, "cpu-µs/predict")
}
