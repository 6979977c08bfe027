package parallel

import (
	"bytes"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
)

type freeItem struct {
	inUse atomic.Bool
	buf   [64]byte
}

// contend runs goroutines that each Get and Put items of l rounds times,
// started and joined by spinning on atomics (blocking primitives would
// themselves allocate now and then), and reports whether any item was
// handed to two holders at once and how many allocations the process made
// between the start and the end of the contention.
func contend(l *FreeList[freeItem], goroutines, rounds int) (shared bool, mallocs uint64) {
	var start atomic.Bool
	var done, bad atomic.Int32
	for range goroutines {
		go func() {
			for !start.Load() {
				runtime.Gosched()
			}
			for range rounds {
				a, b := l.Get(), l.Get()
				if a.inUse.Swap(true) || b.inUse.Swap(true) {
					bad.Add(1)
				}
				a.buf[0]++
				b.buf[0]++
				a.inUse.Store(false)
				b.inUse.Store(false)
				l.Put(b)
				l.Put(a)
			}
			done.Add(1)
		}()
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start.Store(true)
	for done.Load() != int32(goroutines) {
		runtime.Gosched()
	}
	runtime.ReadMemStats(&after)
	return bad.Load() != 0, after.Mallocs - before.Mallocs
}

// TestFreeListContended: goroutines taking two values at a time never
// share one, the list makes no value while enough exist, and no goroutine
// ever blocks in it (the mutex profile records none): a goroutine that
// sleeps on a contended mutex needs a runtime record the runtime now and
// then allocates after a garbage collection (each round starts with one),
// so a mutex-guarded list made 9–23 allocations over these rounds (the
// count is logged; the runtime's own background work makes a few too,
// more under the race detector, so it is not asserted).
func TestFreeListContended(t *testing.T) {
	const goroutines, rounds = 4, 20
	defer runtime.SetMutexProfileFraction(runtime.SetMutexProfileFraction(1))
	var l FreeList[freeItem]
	held := make([]*freeItem, 2*goroutines)
	for i := range held {
		held[i] = l.Get()
	}
	for _, x := range held {
		l.Put(x)
	}
	var total uint64
	for range rounds {
		shared, n := contend(&l, goroutines, 10_000)
		if shared {
			t.Fatal("a value was handed to two holders at once")
		}
		total += n
	}
	t.Logf("%d allocations in %d rounds of %d contended Get/Put pairs on %d goroutines", total, rounds, goroutines*10_000*2, goroutines)
	if made := l.made.Load(); made != int64(len(held)) {
		t.Errorf("made %d values, want %d (as many as were ever out at once)", made, len(held))
	}
	var prof bytes.Buffer
	if err := pprof.Lookup("mutex").WriteTo(&prof, 1); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(prof.String(), "(*FreeList[") {
		t.Errorf("goroutines blocked on a mutex in FreeList:\n%s", prof.String())
	}
}

// TestFreeListOverflow: more values than the lock-free slots are all kept.
func TestFreeListOverflow(t *testing.T) {
	var l FreeList[freeItem]
	const n = 3 * freeSlots
	seen := map[*freeItem]bool{}
	for range n {
		seen[l.Get()] = true
	}
	for x := range seen {
		l.Put(x)
	}
	for range n {
		x := l.Get()
		if !seen[x] {
			t.Fatalf("Get made a new value while %d were free", n)
		}
		delete(seen, x)
	}
	if len(seen) != 0 {
		t.Fatalf("%d values lost", len(seen))
	}
}
