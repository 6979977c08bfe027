//go:build linux && amd64 && !purego

package asm

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the calling thread's CPU time. The machine these
// benchmarks were written on has 2 cores shared with other jobs; thread
// CPU time does not count the time the thread waited for a core, so the
// "cpu-GFLOP/s" metrics stay comparable under load (wall-clock GFLOP/s
// are reported too).
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// bestOf runs f rounds times on a locked OS thread and returns the
// shortest thread CPU time of one call.
func bestOf(rounds int, f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	best := time.Duration(1<<63 - 1)
	for range rounds {
		t0 := threadCPU()
		f()
		best = min(best, threadCPU()-t0)
	}
	return best
}

// BenchmarkFMAPeak measures the single-core FMA peak with register-only
// loops (12 independent FMA chains, nothing loaded): the ceiling the SGEMM
// benchmarks are compared with.
func BenchmarkFMAPeak(b *testing.B) {
	for _, l := range []struct {
		name  string
		lanes int
		fn    func(n int)
	}{{AVX512, 16, fmaLoopAVX512}, {AVX2, 8, fmaLoopAVX2}} {
		b.Run("impl="+l.name, func(b *testing.B) {
			if l.name == AVX512 {
				requireAVX512(b)
			} else if !slices.Contains(Impls(), AVX2) {
				b.Skip("skipped: no AVX2")
			}
			const n = 1 << 16
			for b.Loop() {
				l.fn(n)
			}
			flops := 2 * 12 * float64(l.lanes) * n * float64(b.N)
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkSgemmAVX512Tiles times the blocked path alone (no dot, direct or
// small-M path) with the AVX2 6×16 kernel and both AVX-512 tiles, square
// shapes, one thread, side by side in one run.
func BenchmarkSgemmAVX512Tiles(b *testing.B) {
	requireAVX512(b)
	avx2 := sgemmKernels[AVX2]
	kerns := []struct {
		name string
		k    sgemmKernel
	}{{"avx2-6x16", avx2}, {"avx512-12x32", avx512Kernel(avx2, 12)}, {"avx512-14x32", avx512Kernel(avx2, 14)}}
	for _, s := range []int{64, 128, 256, 512, 1024, 2048} {
		for _, kern := range kerns {
			b.Run(fmt.Sprintf("m=%d/kernel=%s", s, kern.name), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 1))
				x := randSlice(r, s*s)
				y := randSlice(r, s*s)
				c := make([]float32, s*s)
				b.ReportAllocs()
				for b.Loop() {
					sgemmBlocked(kern.k, 1, false, false, s, s, s, 1, x, s, y, s, 0, c, s)
				}
				b.ReportMetric(2*float64(s*s)*float64(s)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkSgemmKernelAVX512 times the micro-kernels alone on L1-resident
// packed panels (k = 256), to separate the kernel from packing and cache
// blocking (best of rounds, thread CPU time).
func BenchmarkSgemmKernelAVX512(b *testing.B) {
	requireAVX512(b)
	const k, calls = 256, 200
	for _, kern := range []struct {
		name   string
		mr, nr int
		fn     func(k int, a, b, c *float32, ldc int)
	}{{"avx2-6x16", 6, 16, sgemmKernelAVX2}, {"avx512-12x32", 12, 32, sgemmKernel12x32AVX512}, {"avx512-14x32", 14, 32, sgemmKernel14x32AVX512}} {
		b.Run("kernel="+kern.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			x := randSlice(r, kern.mr*k)
			y := randSlice(r, kern.nr*k)
			c := make([]float32, kern.mr*kern.nr)
			best := time.Duration(1<<63 - 1)
			for b.Loop() {
				best = min(best, bestOf(1, func() {
					for range calls {
						kern.fn(k, &x[0], &y[0], &c[0], kern.nr)
					}
				}))
			}
			b.ReportMetric(2*float64(kern.mr*kern.nr*k*calls)/best.Seconds()/1e9, "cpu-GFLOP/s")
		})
	}
}

// BenchmarkSgemmVsFMAPeak runs, alternating in one process, the AVX-512
// register-only FMA loop and 1024³ single-thread SGEMM with each blocked
// kernel, and reports each kernel's best-of-rounds rate (thread CPU time)
// as a fraction of the best FMA peak.
func BenchmarkSgemmVsFMAPeak(b *testing.B) {
	requireAVX512(b)
	const s, loops = 1024, 1 << 16
	avx2 := sgemmKernels[AVX2]
	kerns := []struct {
		name string
		k    sgemmKernel
	}{{"avx2-6x16", avx2}, {"avx512-12x32", avx512Kernel(avx2, 12)}, {"avx512-14x32", avx512Kernel(avx2, 14)}}
	// The same tiles with the AVX2 path's loop order and blocking.
	for _, mr := range []int{12, 14} {
		kk := avx512Kernel(avx2, mr)
		kk.nc, kk.bInner = 0, false
		kerns = append(kerns, struct {
			name string
			k    sgemmKernel
		}{fmt.Sprintf("avx512-%dx32-ainner-nc4080", mr), kk})
	}
	r := rand.New(rand.NewPCG(1, 1))
	x := randSlice(r, s*s)
	y := randSlice(r, s*s)
	c := make([]float32, s*s)
	peak := time.Duration(1<<63 - 1)
	best := make([]time.Duration, len(kerns))
	for i := range best {
		best[i] = peak
	}
	for b.Loop() {
		peak = min(peak, bestOf(5, func() { fmaLoopAVX512(loops) }))
		for i, kern := range kerns {
			best[i] = min(best[i], bestOf(1, func() {
				sgemmBlocked(kern.k, 1, false, false, s, s, s, 1, x, s, y, s, 0, c, s)
			}))
		}
	}
	peakG := 2 * 12 * 16 * loops / peak.Seconds() / 1e9
	b.ReportMetric(peakG, "peak-cpu-GFLOP/s")
	for i, kern := range kerns {
		g := 2 * float64(s*s*s) / best[i].Seconds() / 1e9
		b.ReportMetric(g, kern.name+"-cpu-GFLOP/s")
		b.ReportMetric(g/peakG, kern.name+"/peak")
	}
}

// BenchmarkFCAVX512 times FullyConnected shapes (C = A·Wᵀ, batch m = 1..8,
// the dot and small-M paths) with avx2 and avx512 selected in alternating
// rounds, one thread, best of rounds in thread CPU time.
func BenchmarkFCAVX512(b *testing.B) {
	requireAVX512(b)
	for _, kn := range [][2]int{{784, 512}, {512, 512}, {512, 10}, {4096, 1024}} {
		for _, m := range []int{1, 2, 4, 8} {
			b.Run(fmt.Sprintf("m=%d/n=%d/k=%d", m, kn[1], kn[0]), func(b *testing.B) {
				k, n := kn[0], kn[1]
				r := rand.New(rand.NewPCG(1, 1))
				x := randSlice(r, m*k)
				w := randSlice(r, n*k)
				c := make([]float32, m*n)
				prev := Impl()
				defer func() { _ = SetImpl(prev) }()
				impls := []string{AVX2, AVX512}
				best := []time.Duration{time.Hour, time.Hour}
				for b.Loop() {
					for i, impl := range impls {
						if err := SetImpl(impl); err != nil {
							b.Fatal(err)
						}
						best[i] = min(best[i], bestOf(3, func() {
							SgemmThreads(1, false, true, m, n, k, 1, x, k, w, k, 0, c, n)
						}))
					}
				}
				for i, impl := range impls {
					b.ReportMetric(2*float64(m*n*k)/best[i].Seconds()/1e9, impl+"-cpu-GFLOP/s")
				}
				b.ReportMetric(float64(best[0])/float64(best[1]), "avx512-speedup")
			})
		}
	}
}
