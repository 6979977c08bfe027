package parallel

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

type countRunner struct{ hits [4]atomic.Int32 }

func (c *countRunner) Run(tid int) { c.hits[tid].Add(1) }

func TestParallelRunsEveryTidOnceWithoutAllocating(t *testing.T) {
	for threads := 1; threads <= 4; threads++ {
		var c countRunner
		Parallel(threads, &c)
		for tid := range 4 {
			want := int32(0)
			if tid < threads {
				want = 1
			}
			if got := c.hits[tid].Load(); got != want {
				t.Errorf("threads=%d: tid %d ran %d times, want %d", threads, tid, got, want)
			}
		}
	}
	var c countRunner
	Parallel(2, &c)
	if n := testing.AllocsPerRun(50, func() { Parallel(2, &c) }); n != 0 {
		t.Errorf("Parallel allocates %v times per call", n)
	}
}

// spinRunner gives each goroutine n dependent multiply-adds.
type spinRunner struct {
	n   int
	out [64]float64
}

func (s *spinRunner) Run(tid int) {
	x := 1.0
	for range s.n {
		x = x*1.0000001 + 1e-9
	}
	s.out[tid*8] = x
}

// BenchmarkParallelShares times Parallel(2) on shares of about 5, 50 and
// 500 µs against Parallel(1) on one share, back to back as an executor
// runs kernels: speedup is 2 shares' work over the time per call (2 when
// the second goroutine starts at once). Before workers spun between
// tasks, 500 µs shares gave about 1.6 on a 2-vCPU VM (the wake-up of the
// idle vCPU took 100–350 µs).
func BenchmarkParallelShares(b *testing.B) {
	for _, n := range []int{2_000, 20_000, 200_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := &spinRunner{n: n}
			start := time.Now()
			for range 20 {
				Parallel(1, r)
			}
			one := time.Since(start) / 20
			b.ResetTimer()
			for b.Loop() {
				Parallel(2, r)
			}
			per := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(2*float64(one)/float64(per), "speedup")
			b.ReportMetric(float64(one.Microseconds()), "share-µs")
		})
	}
}
