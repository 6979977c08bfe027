package ops_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
	"golang.org/x/sys/unix"
)

// BenchmarkDepthwiseLayers times the 3×3 depthwise layers of InsightFace's
// gender-age MobileNet-0.25 (input 112×112) and the first four of
// RetinaFace MobileNet-0.25 (input 480×640; BatchNorm folded into the
// bias, ReLU fused as the optimiser does) at batch 1 / 1 thread and batch
// 8 / 2 threads, reporting GFLOP/s from the best of 5 rounds of thread CPU
// time (so other processes on a busy machine do not count; with 2 threads
// the other goroutine's time is not counted either, so that figure is
// per calling thread) and wall time.
func BenchmarkDepthwiseLayers(b *testing.B) {
	for _, l := range []struct{ c, h, w, s int }{
		{8, 112, 112, 1}, {16, 112, 112, 2}, {32, 56, 56, 1}, {32, 56, 56, 2}, {64, 28, 28, 1}, {64, 28, 28, 2},
		{128, 14, 14, 1}, {128, 14, 14, 2}, {256, 7, 7, 1},
		{8, 240, 320, 1}, {16, 240, 320, 2}, {32, 120, 160, 1}, {32, 120, 160, 2},
		{32, 256, 256, 1}, {64, 256, 256, 2}, {128, 128, 128, 2},
	} {
		for _, bt := range [][2]int{{1, 1}, {8, 2}} {
			batch, threads := bt[0], bt[1]
			b.Run(fmt.Sprintf("dw%d_%dx%d_s%d/b%d/t%d", l.c, l.h, l.w, l.s, batch, threads), func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cop, _ := ops.Lookup("Convolution")
				p, err := cop.Parse(map[string]string{"kernel": "(3,3)", "pad": "(1,1)", "stride": fmt.Sprintf("(%d,%d)", l.s, l.s),
					"num_filter": fmt.Sprint(l.c), "num_group": fmt.Sprint(l.c)})
				if err != nil {
					b.Fatal(err)
				}
				op, fp, err := ops.NewFused(cop, p, ops.Epilogue{Act: ops.EpilogueReLU})
				if err != nil {
					b.Fatal(err)
				}
				x, w, bias := kaRand(1, 1, batch, l.c, l.h, l.w), kaRand(2, 1, l.c, 1, 3, 3), kaRand(3, 1, l.c)
				in := []*tensor.Tensor{x, w, bias}
				shapes := []ops.Shape{x.Shape(), w.Shape(), bias.Shape()}
				out := []ops.Shape{nil}
				if err := op.InferShape(fp, shapes, out); err != nil {
					b.Fatal(err)
				}
				y, _ := tensor.New(tensor.Float32, out[0]...)
				outs := []*tensor.Tensor{y}
				ctx := &ops.Ctx{Threads: threads, Scratch: make([]float32, op.Workspace(fp, shapes)*op.WorkspaceShares(fp, shapes, threads))}
				flops := 18 * float64(y.Len())
				const reps = 20
				bestCPU, bestWall := time.Duration(1<<62), time.Duration(1<<62)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					c0, t0 := cpuNow(), time.Now()
					for range reps {
						if err := op.Forward(ctx, fp, in, outs); err != nil {
							b.Fatal(err)
						}
					}
					bestCPU, bestWall = min(bestCPU, cpuNow()-c0), min(bestWall, time.Since(t0))
				}
				b.ReportMetric(reps*flops/float64(bestCPU.Nanoseconds()), "cpu-GFLOP/s")
				b.ReportMetric(reps*flops/float64(bestWall.Nanoseconds()), "wall-GFLOP/s")
			})
		}
	}
}

// cpuNow is the calling thread's CPU time.
func cpuNow() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}
