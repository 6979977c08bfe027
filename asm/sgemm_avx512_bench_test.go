//go:build linux && amd64 && !purego

package asm

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The benchmarks in this file were written on a 2-core machine shared with
// other jobs, where wall-clock rates vary several-fold from run to run.
// They report "cpu-GFLOP/s": the best rate over the benchmark's rounds of
// one sample, a sample being ≥ ~5·10⁸ flops (a few ms) of calls on a locked
// OS thread timed with the thread's CPU clock, which does not count time
// spent waiting for a core. (The thread CPU clock of that machine's VM
// ticks coarsely: shorter samples read too fast.) Alternatives are
// measured in alternating rounds of one run, so they see the same machine.

// threadCPU returns the calling thread's CPU time.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// sampleFlops is the work of one timed sample.
const sampleFlops = 5e8

// rate runs f (flops floating-point operations per call) enough times for
// one sample on a locked OS thread and returns the GFLOP/s in thread CPU
// time.
func rate(flops float64, f func()) float64 {
	reps := max(1, int(sampleFlops/flops))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := threadCPU()
	for range reps {
		f()
	}
	return flops * float64(reps) / (threadCPU() - t0).Seconds() / 1e9
}

// fmaPeakLoops is fmaLoopAVX512's iteration count per call.
const fmaPeakLoops = 1 << 12

// fmaPeak512 is one sample of the AVX-512 FMA peak in GFLOP/s.
func fmaPeak512() float64 {
	return rate(2*12*16*fmaPeakLoops, func() { fmaLoopAVX512(fmaPeakLoops) })
}

// BenchmarkFMAPeak measures the single-core FMA peak with register-only
// loops (12 independent FMA chains, nothing loaded): the ceiling the SGEMM
// benchmarks are compared with.
func BenchmarkFMAPeak(b *testing.B) {
	requireAVX512(b)
	var p512, p2 float64
	for b.Loop() {
		p512 = max(p512, fmaPeak512())
		p2 = max(p2, rate(2*12*8*fmaPeakLoops, func() { fmaLoopAVX2(fmaPeakLoops) }))
	}
	b.ReportMetric(p512, "avx512-cpu-GFLOP/s")
	b.ReportMetric(p2, "avx2-cpu-GFLOP/s")
}

// namedKernel is one blocked-path configuration under comparison.
type namedKernel struct {
	name string
	k    sgemmKernel
}

// BenchmarkSgemmKernelAVX512 times the micro-kernels alone on L1-resident
// packed panels (k = 256), to separate the kernel from packing and cache
// blocking.
func BenchmarkSgemmKernelAVX512(b *testing.B) {
	requireAVX512(b)
	const k = 256
	kerns := []struct {
		name   string
		mr, nr int
		fn     func(k int, a, b, c *float32, ldc int)
	}{{"avx2-6x16", 6, 16, sgemmKernelAVX2}, {"avx512-12x32", 12, 32, sgemmKernel12x32AVX512}, {"avx512-14x32", 14, 32, sgemmKernel14x32AVX512}}
	r := rand.New(rand.NewPCG(1, 1))
	best := make([]float64, len(kerns))
	var peak float64
	for b.Loop() {
		peak = max(peak, fmaPeak512())
		for i, kern := range kerns {
			x := randSlice(r, kern.mr*k)
			y := randSlice(r, kern.nr*k)
			c := make([]float32, kern.mr*kern.nr)
			best[i] = max(best[i], rate(2*float64(kern.mr*kern.nr*k), func() {
				kern.fn(k, &x[0], &y[0], &c[0], kern.nr)
			}))
		}
	}
	b.ReportMetric(peak, "peak-cpu-GFLOP/s")
	for i, kern := range kerns {
		b.ReportMetric(best[i], kern.name+"-cpu-GFLOP/s")
	}
}

// BenchmarkSgemmVsFMAPeak runs, alternating in one process, the AVX-512
// register-only FMA loop and 1024³ single-thread blocked SGEMM with each
// kernel configuration, and reports each one's best rate as a fraction of
// the best FMA peak.
func BenchmarkSgemmVsFMAPeak(b *testing.B) {
	requireAVX512(b)
	const s = 1024
	avx2 := sgemmKernels[AVX2]
	kerns := []namedKernel{{"avx2-6x16", avx2}, {"avx512-12x32", avx512Kernel(avx2, 12)}, {"avx512-14x32", avx512Kernel(avx2, 14)}}
	// The same tiles with the AVX2 path's loop order and blocking.
	for _, mr := range []int{12, 14} {
		kk := avx512Kernel(avx2, mr)
		kk.nc, kk.bInner = 0, false
		kerns = append(kerns, namedKernel{fmt.Sprintf("avx512-%dx32-ainner-nc4080", mr), kk})
	}
	r := rand.New(rand.NewPCG(1, 1))
	x := randSlice(r, s*s)
	y := randSlice(r, s*s)
	c := make([]float32, s*s)
	var peak float64
	best := make([]float64, len(kerns))
	for b.Loop() {
		peak = max(peak, fmaPeak512())
		for i, kern := range kerns {
			best[i] = max(best[i], rate(2*s*s*s, func() {
				sgemmBlocked(kern.k, 1, false, false, s, s, s, 1, x, s, y, s, 0, c, s)
			}))
		}
	}
	b.ReportMetric(peak, "peak-cpu-GFLOP/s")
	for i, kern := range kerns {
		b.ReportMetric(best[i], kern.name+"-cpu-GFLOP/s")
		b.ReportMetric(best[i]/peak, kern.name+"/peak")
	}
}

// BenchmarkSgemmImplsCPU times square C = A·B through Sgemm (whatever path
// it picks) with avx2 and avx512 selected in alternating rounds, and the
// AVX-512 blocked path alone, one thread, against the FMA peak measured in
// the same rounds.
func BenchmarkSgemmImplsCPU(b *testing.B) {
	requireAVX512(b)
	for _, s := range []int{64, 128, 256, 512, 1024, 2048} {
		b.Run(fmt.Sprintf("m=%d", s), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			x := randSlice(r, s*s)
			y := randSlice(r, s*s)
			c := make([]float32, s*s)
			prev := Impl()
			defer func() { _ = SetImpl(prev) }()
			names := []string{AVX2, AVX512, "avx512-blocked-only"}
			best := make([]float64, len(names))
			var peak float64
			flops := 2 * float64(s) * float64(s) * float64(s)
			for b.Loop() {
				peak = max(peak, fmaPeak512())
				for i, impl := range names[:2] {
					if err := SetImpl(impl); err != nil {
						b.Fatal(err)
					}
					best[i] = max(best[i], rate(flops, func() {
						SgemmThreads(1, false, false, s, s, s, 1, x, s, y, s, 0, c, s)
					}))
				}
				best[2] = max(best[2], rate(flops, func() {
					sgemmBlocked(sgemmKernels[AVX512], 1, false, false, s, s, s, 1, x, s, y, s, 0, c, s)
				}))
			}
			b.ReportMetric(peak, "peak-cpu-GFLOP/s")
			for i, name := range names {
				b.ReportMetric(best[i], name+"-cpu-GFLOP/s")
				b.ReportMetric(best[i]/peak, name+"/peak")
			}
		})
	}
}

// BenchmarkFCAVX512 times FullyConnected shapes (C = A·Wᵀ, layout nt, batch
// m = 1..8: the small-M and dot paths) and their C = A·W twins (layout nn:
// the small-M NN path) with avx2 and avx512 selected in alternating rounds,
// one thread.
func BenchmarkFCAVX512(b *testing.B) {
	requireAVX512(b)
	for _, kn := range [][3]int{{784, 512, 1}, {512, 512, 1}, {512, 10, 1}, {4096, 1024, 1}, {784, 512, 0}, {1024, 4096, 0}} {
		for _, m := range []int{1, 2, 4, 8} {
			layout := "nn"
			if kn[2] == 1 {
				layout = "nt"
			}
			b.Run(fmt.Sprintf("m=%d/n=%d/k=%d/layout=%s", m, kn[1], kn[0], layout), func(b *testing.B) {
				k, n, tB := kn[0], kn[1], kn[2] == 1
				ldw := k
				if !tB {
					ldw = n
				}
				r := rand.New(rand.NewPCG(1, 1))
				x := randSlice(r, m*k)
				w := randSlice(r, n*k)
				c := make([]float32, m*n)
				prev := Impl()
				defer func() { _ = SetImpl(prev) }()
				impls := []string{AVX2, AVX512}
				best := make([]float64, len(impls))
				for b.Loop() {
					for i, impl := range impls {
						if err := SetImpl(impl); err != nil {
							b.Fatal(err)
						}
						best[i] = max(best[i], rate(2*float64(m*n*k), func() {
							SgemmThreads(1, false, tB, m, n, k, 1, x, k, w, ldw, 0, c, n)
						}))
					}
				}
				for i, impl := range impls {
					b.ReportMetric(best[i], impl+"-cpu-GFLOP/s")
				}
				b.ReportMetric(best[1]/best[0], "avx512/avx2")
			})
		}
	}
}

// BenchmarkVecAVX512 compares the AVX-512 vector kernels with their AVX2
// twins, alternating rounds, one thread: the "avx512/avx2" metric is the
// speed ratio, "avx512-Gelem/s" and "avx2-Gelem/s" the element rates (n =
// 4096: L1-resident, n = 262144: 1 MiB per operand).
func BenchmarkVecAVX512(b *testing.B) {
	requireAVX512(b)
	type op struct {
		name string
		avx2 func(d, x, y []float32)
		v512 func(d, x, y []float32)
	}
	un := func(name string, f2, f5 func(d, x []float32)) op {
		return op{name, func(d, x, _ []float32) { f2(d, x) }, func(d, x, _ []float32) { f5(d, x) }}
	}
	ops := []op{
		{"add", addAVX2, addAVX512}, {"mul", mulAVX2, mulAVX512}, {"div", divAVX2, divAVX512},
		un("relu", reluAVX2, reluAVX512),
		un("leakyrelu", func(d, x []float32) { leakyReluAVX2(d, x, 0.1) }, func(d, x []float32) { leakyReluAVX512(d, x, 0.1) }),
		un("clip", func(d, x []float32) { clipAVX2(d, x, -0.5, 0.5) }, func(d, x []float32) { clipAVX512(d, x, -0.5, 0.5) }),
		un("scale", func(d, x []float32) { scaleAVX2(d, x, 0.5) }, func(d, x []float32) { scaleAVX512(d, x, 0.5) }),
		un("addscalar", func(d, x []float32) { addScalarAVX2(d, x, 0.5) }, func(d, x []float32) { addScalarAVX512(d, x, 0.5) }),
		un("affine", func(d, x []float32) { affineAVX2(d, x, 0.5, 0.25) }, func(d, x []float32) { affineAVX512(d, x, 0.5, 0.25) }),
		un("axpy", func(d, x []float32) { axpyAVX2(d, x, 0.5) }, func(d, x []float32) { axpyAVX512(d, x, 0.5) }),
		un("exp", expAVX2, expAVX512), un("sigmoid", sigmoidAVX2, sigmoidAVX512), un("tanh", tanhAVX2, tanhAVX512),
		un("softmax", func(d, x []float32) { softmaxAVX2(d, x, 1) }, func(d, x []float32) { softmaxAVX512(d, x, 1) }),
		{"dot", func(d, x, y []float32) { d[0] = dotAVX2(x, y) }, func(d, x, y []float32) { d[0] = dotAVX512(x, y) }},
		un("sum", func(d, x []float32) { d[0] = sumAVX2(x) }, func(d, x []float32) { d[0] = sumAVX512(x) }),
		un("max", func(d, x []float32) { d[0] = maxAVX2(x) }, func(d, x []float32) { d[0] = maxAVX512(x) }),
		un("logsoftmax", func(d, x []float32) { logSoftmaxAVX2(d, x, 1) }, func(d, x []float32) { logSoftmaxAVX512(d, x, 1) }),
	}
	// rate's unit: 50 "flops" per element gives samples of 10⁷ elements.
	const unit = 50
	for _, n := range []int{4096, 262144} {
		for _, o := range ops {
			b.Run(fmt.Sprintf("op=%s/n=%d", o.name, n), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 1))
				x, y, d := randSlice(r, n), randSlice(r, n), make([]float32, n)
				for i := range y {
					y[i] += 2 // no division by ~0
				}
				var r2, r5 float64
				for b.Loop() {
					r2 = max(r2, rate(unit*float64(n), func() { o.avx2(d, x, y) }))
					r5 = max(r5, rate(unit*float64(n), func() { o.v512(d, x, y) }))
				}
				b.ReportMetric(r2/unit, "avx2-Gelem/s")
				b.ReportMetric(r5/unit, "avx512-Gelem/s")
				b.ReportMetric(r5/r2, "avx512/avx2")
			})
		}
	}
}
