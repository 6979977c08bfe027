package parallel

import (
	"bytes"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"
)

// lateRunner makes goroutine 1 reach the barrier, and finish its share,
// long after goroutine 0.
type lateRunner struct {
	b    Barrier
	late time.Duration
}

func (r *lateRunner) Run(tid int) {
	late := func() {
		if tid == 1 {
			for end := time.Now().Add(r.late); time.Now().Before(end); {
			}
		}
	}
	late() // goroutine 0 waits at the barrier
	r.b.Wait()
	late() // and then for goroutine 1 to finish
}

// TestWaitsDoNotBlock: a caller waiting for a late worker (RunWG) and
// goroutines waiting at a Barrier for a late one sleep between polls once
// their spin is over; they never block on a WaitGroup or a condition
// variable (the block profile records none), whose waiters need runtime
// records the runtime now and then allocates.
func TestWaitsDoNotBlock(t *testing.T) {
	runtime.SetBlockProfileRate(1)
	defer runtime.SetBlockProfileRate(0)
	r := &lateRunner{late: 3 * spinTime}
	for range 3 {
		r.b.Reset(2)
		Parallel(2, r)
	}
	var prof bytes.Buffer
	if err := pprof.Lookup("block").WriteTo(&prof, 1); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"parallel.RunWG", "parallel.(*Barrier).Wait"} {
		if strings.Contains(prof.String(), f) {
			t.Errorf("%s blocked:\n%s", f, prof.String())
		}
	}
}
