package parallel

import (
	"sync/atomic"
	"testing"
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
