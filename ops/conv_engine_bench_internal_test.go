package ops

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/mxgo/mxgo/tensor"
	"golang.org/x/sys/unix"
)

// threadCPU is the calling thread's CPU time (the benchmarks lock the OS
// thread): on a shared machine it counts only the cycles this thread ran.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// BenchmarkDepthwiseOldNew times the 3×3 depthwise path against the
// previous direct loop (an Axpy per kernel tap and row) on MobileFaceNet's
// depthwise shapes, batch 1, one thread, in alternating rounds in one run,
// reporting the best thread-CPU-time GFLOP/s of each.
func BenchmarkDepthwiseOldNew(b *testing.B) {
	for _, l := range []struct{ c, hw, s int }{{64, 56, 1}, {128, 56, 2}, {128, 28, 1}, {256, 28, 2}, {256, 14, 1}, {512, 14, 2}, {512, 7, 1}} {
		b.Run(fmt.Sprintf("dw%d_%dx%d_s%d", l.c, l.hw, l.hw, l.s), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			r := rand.New(rand.NewPCG(1, 2))
			c := engineCase{l.c, l.hw, l.hw, l.c, 3, l.s, 1, l.c}
			p := engineParams(b, c)
			x, w, bias := engineRand(r, 1, c.c, c.h, c.w), engineRand(r, c.f, 1, 3, 3), engineRand(r, c.f)
			oh := (l.hw+2-3)/l.s + 1
			g, _ := convDimsOf(p, []Shape{x.Shape(), w.Shape(), bias.Shape()})
			y := make([]float32, c.f*oh*oh)
			_, _, ws := g.dwPlanes()
			ctx := &Ctx{Threads: 1, Scratch: make([]float32, ws)}
			flops := 18 * float64(len(y))
			var best [2]float64
			ep := convEpi{}
			for b.Loop() {
				for i := range 2 {
					t0 := threadCPU()
					for range 10 {
						if i == 0 {
							convDepthwise(&g, x.Float32s(), w.Float32s(), bias.Float32s(), y, 0, 1)
						} else {
							_ = convDepthwise3x3Run(ctx, &g, x.Float32s(), w.Float32s(), bias.Float32s(), y, &ep, ctx.Scratch, 1)
						}
					}
					best[i] = max(best[i], 10*flops/float64(threadCPU()-t0))
				}
			}
			b.ReportMetric(best[0], "old-cpu-GFLOP/s")
			b.ReportMetric(best[1], "new-cpu-GFLOP/s")
		})
	}
}

// BenchmarkConvImplicitOldNew times the implicit-GEMM path against the
// per-row im2col and SGEMM (the wide im2col, conv_wide.go, which the
// implicit path replaced for stride 1, is gone) on CIFAR ResNet-20's
// convolutions, batch 1, one thread, alternating rounds in one run (best
// thread CPU time of each; the stride-1 layouts of the implicit path:
// "noshare" full padded rows, "shared" shared padding columns, "shift"
// shifted columns; "new" is the layout by geometry).
func BenchmarkConvImplicitOldNew(b *testing.B) {
	defer func() { convImplicitOff, implSharedOff, implShift = false, false, 0 }()
	for _, l := range []struct {
		name     string
		c, hw, f int
		k, s, p  int
	}{
		{"conv0_3x16_32x32", 3, 32, 16, 3, 1, 1},
		{"16x16_32x32", 16, 32, 16, 3, 1, 1},
		{"16x32_s2_32x32", 16, 32, 32, 3, 2, 1},
		{"1x1_16x32_s2", 16, 32, 32, 1, 2, 0},
		{"32x32_16x16", 32, 16, 32, 3, 1, 1},
		{"32x64_s2_16x16", 32, 16, 64, 3, 2, 1},
		{"64x64_8x8", 64, 8, 64, 3, 1, 1},
	} {
		b.Run(l.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			r := rand.New(rand.NewPCG(1, 2))
			c := engineCase{l.c, l.hw, l.hw, l.f, l.k, l.s, l.p, 1}
			p := engineParams(b, c)
			x, w, bias := engineRand(r, 1, c.c, c.h, c.w), engineRand(r, c.f, c.c, l.k, l.k), engineRand(r, c.f)
			in := []*tensor.Tensor{x, w, bias}
			shapes := []Shape{x.Shape(), w.Shape(), bias.Shape()}
			oh := (l.hw+2*l.p-l.k)/l.s + 1
			y, _ := tensor.New(tensor.Float32, 1, l.f, oh, oh)
			out := []*tensor.Tensor{y}
			convImplicitOff = true // scratch for both paths
			ctx := &Ctx{Threads: 1, Scratch: make([]float32, convWorkspace(p, shapes))}
			flops := 2 * float64(y.Len()*l.c*l.k*l.k)
			var best [5]float64
			for b.Loop() {
				for i := range 5 {
					convImplicitOff, implSharedOff = i == 0, i == 1
					implShift = []int{0, 1, 1, 2, 0}[i]
					t0 := threadCPU()
					for range 10 {
						if err := convolutionForward(ctx, p, in, out); err != nil {
							b.Fatal(err)
						}
					}
					best[i] = max(best[i], 10*flops/float64(threadCPU()-t0))
				}
			}
			convImplicitOff, implSharedOff, implShift = false, false, 0
			b.ReportMetric(best[0], "old-cpu-GFLOP/s")
			b.ReportMetric(best[1], "noshare-cpu-GFLOP/s")
			b.ReportMetric(best[2], "shared-cpu-GFLOP/s")
			b.ReportMetric(best[3], "shift-cpu-GFLOP/s")
			b.ReportMetric(best[4], "new-cpu-GFLOP/s")
		})
	}
}

// BenchmarkConvPointwiseOldNew times pointwise (1×1, stride 1)
// convolutions on the implicit path reading the input in place ("new")
// against one SGEMM per sample and group ("old", which packs the input
// into panels), on the InsightFace gender-age network's pointwise layers,
// batch 1, one thread, alternating rounds in one run (best thread CPU
// time of each).
func BenchmarkConvPointwiseOldNew(b *testing.B) {
	defer func() { implPointwiseOff = false }()
	for _, l := range []struct{ c, hw, f int }{
		{8, 112, 16}, {16, 56, 32}, {32, 56, 32}, {32, 28, 64}, {64, 28, 64},
		{64, 14, 128}, {128, 14, 128}, {128, 7, 256}, {256, 7, 256},
	} {
		b.Run(fmt.Sprintf("%dx%d_%dx%d", l.c, l.f, l.hw, l.hw), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			r := rand.New(rand.NewPCG(1, 2))
			c := engineCase{l.c, l.hw, l.hw, l.f, 1, 1, 0, 1}
			p := engineParams(b, c)
			x, w, bias := engineRand(r, 1, c.c, c.h, c.w), engineRand(r, c.f, c.c, 1, 1), engineRand(r, c.f)
			in := []*tensor.Tensor{x, w, bias}
			y, _ := tensor.New(tensor.Float32, 1, l.f, l.hw, l.hw)
			out := []*tensor.Tensor{y}
			ctx := &Ctx{Threads: 1}
			flops := 2 * float64(y.Len()*l.c)
			var best [2]float64
			for b.Loop() {
				for i := range 2 {
					implPointwiseOff = i == 0
					t0 := threadCPU()
					for range 20 {
						if err := convolutionForward(ctx, p, in, out); err != nil {
							b.Fatal(err)
						}
					}
					best[i] = max(best[i], 20*flops/float64(threadCPU()-t0))
				}
			}
			implPointwiseOff = false
			b.ReportMetric(best[0], "old-cpu-GFLOP/s")
			b.ReportMetric(best[1], "new-cpu-GFLOP/s")
		})
	}
}

// BenchmarkConvLFFD measures the implicit path on the stride-2 3×3 layers
// of LFFD (testdata/mxnet/lffd-lp-small at 480×640: pad 0 on odd widths
// and heights from conv2 on; conv2's phase planes are 10 MB), and the same
// layers one row and column smaller (even), batch 1, one thread:
// "GFLOP/s" over wall time, "cpu-GFLOP/s" the best single call's
// thread CPU time (the cores may be shared).
func BenchmarkConvLFFD(b *testing.B) {
	for _, l := range []struct {
		name       string
		c, h, w, f int
	}{
		{"conv1_3x32_480x640", 3, 480, 640, 32},
		{"conv2_32x32_239x319", 32, 239, 319, 32},
		{"conv2even_32x32_238x318", 32, 238, 318, 32},
		{"conv3_32x32_119x159", 32, 119, 159, 32},
		{"conv3even_32x32_118x158", 32, 118, 158, 32},
		{"conv4_32x64_59x79", 32, 59, 79, 64},
	} {
		b.Run(l.name, func(b *testing.B) { benchConvCase(b, engineCase{l.c, l.h, l.w, l.f, 3, 2, 0, 1}) })
	}
}

// BenchmarkConvFirst measures first-layer convolutions (3 input
// channels, K = 27) at batch 1, one thread: RetinaFace MobileNet-0.25's
// conv0 (3→8, stride 2, pad 1, 480×640), LFFD's conv1 (3→32, stride 2,
// pad 0), InsightFace gender-age's conv_1 (3→8, stride 1, pad 1,
// 112×112) and MTCNN det1's conv1 (3→10, stride 1, pad 0, 240×320).
// "GFLOP/s" is over wall time, "cpu-GFLOP/s" the best single call's
// thread CPU time.
func BenchmarkConvFirst(b *testing.B) {
	for _, l := range []struct {
		name string
		c    engineCase
	}{
		{"retina_conv0_3x8_s2p1_480x640", engineCase{3, 480, 640, 8, 3, 2, 1, 1}},
		{"lffd_conv1_3x32_s2p0_480x640", engineCase{3, 480, 640, 32, 3, 2, 0, 1}},
		{"ga_conv1_3x8_s1p1_112x112", engineCase{3, 112, 112, 8, 3, 1, 1, 1}},
		{"mtcnn_det1_conv1_3x10_s1p0_240x320", engineCase{3, 240, 320, 10, 3, 1, 0, 1}},
	} {
		b.Run(l.name, func(b *testing.B) { benchConvCase(b, l.c) })
	}
}

// benchConvCase times convolution case c at batch 1 on one locked thread:
// "GFLOP/s" over wall time, "cpu-GFLOP/s" the best single call's thread
// CPU time.
func benchConvCase(b *testing.B, c engineCase) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := rand.New(rand.NewPCG(1, 2))
	p := engineParams(b, c)
	x, w, bias := engineRand(r, 1, c.c, c.h, c.w), engineRand(r, c.f, c.c, c.k, c.k), engineRand(r, c.f)
	in := []*tensor.Tensor{x, w, bias}
	shapes := []Shape{x.Shape(), w.Shape(), bias.Shape()}
	oh, ow := (c.h+2*c.pad-c.k)/c.s+1, (c.w+2*c.pad-c.k)/c.s+1
	y, _ := tensor.New(tensor.Float32, 1, c.f, oh, ow)
	out := []*tensor.Tensor{y}
	ctx := &Ctx{Threads: 1, Scratch: make([]float32, convWorkspace(p, shapes))}
	flops := 2 * float64(y.Len()*c.c*c.k*c.k)
	best := 0.0
	b.ReportAllocs()
	for b.Loop() {
		t0 := threadCPU()
		if err := convolutionForward(ctx, p, in, out); err != nil {
			b.Fatal(err)
		}
		best = max(best, flops/float64(threadCPU()-t0))
	}
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	b.ReportMetric(best, "cpu-GFLOP/s")
}

// BenchmarkConvWinograd times 3×3 stride-1 convolutions on the Winograd
// path against the implicit-GEMM path ("direct"), batch 1, one thread,
// alternating rounds in one run (best thread CPU time of each, GFLOP/s of
// the direct convolution's arithmetic): CIFAR ResNet-20's three stages,
// LFFD's and MTCNN's narrower layers.
func BenchmarkConvWinograd(b *testing.B) {
	for _, l := range []struct {
		name       string
		c, h, w, f int
		p          int
	}{
		{"resnet20_16x16_32x32", 16, 32, 32, 16, 1},
		{"resnet20_32x32_16x16", 32, 16, 16, 32, 1},
		{"resnet20_64x64_8x8", 64, 8, 8, 64, 1},
		{"lffd_64x64_59x79", 64, 59, 79, 64, 1},
		{"16x32_60x80", 16, 60, 80, 32, 0},
		{"128x128_14x14", 128, 14, 14, 128, 1},
	} {
		b.Run(l.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			r := rand.New(rand.NewPCG(1, 2))
			c := engineCase{l.c, l.h, l.w, l.f, 3, 1, l.p, 1}
			p := engineParams(b, c)
			x, w, bias := engineRand(r, 1, c.c, c.h, c.w), engineRand(r, c.f, c.c, 3, 3), engineRand(r, c.f)
			u, _ := tensor.New(tensor.Float32, 16, l.f, l.c)
			ConvWinogradWeights(u.Float32s(), w.Float32s(), l.f, l.c)
			pw := p.WithWinogradWeight()
			oh, ow := l.h+2*l.p-2, l.w+2*l.p-2
			y, _ := tensor.New(tensor.Float32, 1, l.f, oh, ow)
			out := []*tensor.Tensor{y}
			ws := max(convWorkspace(p, []Shape{x.Shape(), w.Shape(), bias.Shape()}), convWorkspace(pw, []Shape{x.Shape(), u.Shape(), bias.Shape()}))
			ctx := &Ctx{Threads: 1, Scratch: make([]float32, ws)}
			flops := 2 * float64(y.Len()*l.c*9)
			var best [2]float64
			for b.Loop() {
				for i, run := range [2]struct {
					p  *ConvolutionParam
					in []*tensor.Tensor
				}{{p, []*tensor.Tensor{x, w, bias}}, {pw, []*tensor.Tensor{x, u, bias}}} {
					t0 := threadCPU()
					for range 10 {
						if err := convolutionForward(ctx, run.p, run.in, out); err != nil {
							b.Fatal(err)
						}
					}
					best[i] = max(best[i], 10*flops/float64(threadCPU()-t0))
				}
			}
			b.ReportMetric(best[0], "direct-cpu-GFLOP/s")
			b.ReportMetric(best[1], "winograd-cpu-GFLOP/s")
		})
	}
}
