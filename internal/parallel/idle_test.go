package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

type idleCountRunner struct{ n atomic.Int64 }

func (c *idleCountRunner) Run(int) { c.n.Add(1) }

// TestIdleWorkersExit runs one 4096-wide Parallel job and checks that the
// workers it started exit once idle, so the goroutine count returns to
// its baseline.
func TestIdleWorkersExit(t *testing.T) {
	defer workerIdleTimeout.Store(workerIdleTimeout.Load())
	workerIdleTimeout.Store(int64(50 * time.Millisecond))
	time.Sleep(2500 * time.Millisecond) // let earlier tests' workers go (their timers use the old timeout)
	base := runtime.NumGoroutine()
	var r idleCountRunner
	Parallel(4096, &r)
	if r.n.Load() != 4096 {
		t.Fatalf("ran %d shares, want 4096", r.n.Load())
	}
	peak := runtime.NumGoroutine()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("goroutines: %d before, %d after Parallel(4096), %d once idle", base, peak, runtime.NumGoroutine())
	if n := runtime.NumGoroutine(); n > base {
		t.Fatalf("%d goroutines remain, baseline %d", n, base)
	}
	// The pool still works after its workers exited.
	Parallel(8, &r)
	if r.n.Load() != 4104 {
		t.Fatalf("ran %d shares, want 4104", r.n.Load())
	}
}
