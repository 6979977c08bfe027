// Package parallel runs kernel work split over goroutines on a pool of
// persistent workers that exit when idle, with a reusable barrier and a
// free list for per-call state, so that steady-state kernels neither start
// goroutines nor allocate. It is shared by asm (SGEMM's threads) and ops.
package parallel

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// poolTask is one goroutine's share of a Runner.
type poolTask struct {
	r   Runner
	tid int
	wg  *sync.WaitGroup
}

// poolWorker is a persistent goroutine that runs tasks sent on ch.
type poolWorker struct {
	ch chan poolTask
}

// workerPool hands tasks to idle persistent goroutines, starting a new one
// when none is idle, so all shares of a job run at the same time (the jobs
// synchronise with barriers) even when several jobs run concurrently.
var workerPool struct {
	mu   sync.Mutex
	idle []*poolWorker
}

// loop runs tasks. A worker returns itself to the idle list before it
// signals completion, so a caller that starts its next job right after
// wg.Wait finds it idle instead of starting (and allocating) another
// goroutine.
//
// A worker idle for workerIdleTimeout exits, unless a caller has just
// taken it from the idle list (it then has a task coming), so a burst of
// wide jobs (WithThreads(4096)) leaves no goroutines behind.
func (w *poolWorker) loop() {
	idle := time.NewTimer(idleTimeout())
	defer idle.Stop()
	for {
		select {
		case t := <-w.ch:
			t.r.Run(t.tid)
			workerPool.mu.Lock()
			workerPool.idle = append(workerPool.idle, w)
			workerPool.mu.Unlock()
			t.wg.Done()
			idle.Reset(idleTimeout())
		case <-idle.C:
			workerPool.mu.Lock()
			i := slices.Index(workerPool.idle, w)
			if i >= 0 {
				workerPool.idle = slices.Delete(workerPool.idle, i, i+1)
			}
			workerPool.mu.Unlock()
			if i >= 0 {
				return
			}
			idle.Reset(idleTimeout()) // taken: its task is on the way
		}
	}
}

// workerIdleTimeout is how long, in nanoseconds, a pool worker waits for a
// task before it exits (atomic so tests can shorten it while workers run).
var workerIdleTimeout atomic.Int64

func init() { workerIdleTimeout.Store(int64(2 * time.Second)) }

func idleTimeout() time.Duration { return time.Duration(workerIdleTimeout.Load()) }

func getWorker() *poolWorker {
	workerPool.mu.Lock()
	if n := len(workerPool.idle); n > 0 {
		w := workerPool.idle[n-1]
		workerPool.idle = workerPool.idle[:n-1]
		workerPool.mu.Unlock()
		return w
	}
	workerPool.mu.Unlock()
	w := &poolWorker{ch: make(chan poolTask, 1)}
	go w.loop()
	return w
}

// RunWG calls r.Run(tid) for tid in [0, threads), tid 0 on the calling
// goroutine and the others on pool workers, and returns when all are done.
// wg must be idle; it is passed in so callers can reuse it without
// allocating.
func RunWG(threads int, r Runner, wg *sync.WaitGroup) {
	if threads <= 1 {
		r.Run(0)
		return
	}
	wg.Add(threads - 1)
	for t := 1; t < threads; t++ {
		getWorker().ch <- poolTask{r: r, tid: t, wg: wg}
	}
	r.Run(0)
	wg.Wait()
}

// Barrier is a reusable barrier for n goroutines. The phases it
// separates are short and the goroutines usually arrive together, so a
// waiter spins (yielding to other goroutines) for a while; then it sleeps
// on a condition variable, so that on a busy machine — when another
// process holds the core the last goroutine needs — waiters do not burn
// the CPU that goroutine is waiting for.
type Barrier struct {
	n     int32
	count atomic.Int32
	gen   atomic.Uint32
	mu    sync.Mutex
	cond  sync.Cond
}

// spinLimit is how many polls a waiter makes before sleeping.
const spinLimit = 2000

func (b *Barrier) Reset(n int) {
	b.n = int32(n)
	b.count.Store(0)
	b.cond.L = &b.mu
}

// wait blocks until all n goroutines have called wait.
func (b *Barrier) Wait() {
	if b.n <= 1 {
		return
	}
	g := b.gen.Load()
	if b.count.Add(1) == b.n {
		b.count.Store(0)
		b.mu.Lock()
		b.gen.Add(1)
		b.mu.Unlock()
		b.cond.Broadcast()
		return
	}
	for i := range spinLimit {
		if b.gen.Load() != g {
			return
		}
		if i >= 64 {
			runtime.Gosched()
		}
	}
	b.mu.Lock()
	for b.gen.Load() == g {
		b.cond.Wait()
	}
	b.mu.Unlock()
}

// FreeList is a stack of reusable values for kernels' per-call state
// (Sgemm's jobs and packing buffers, the ops' parallel jobs). Unlike
// sync.Pool it keeps them across garbage collections, so steady-state
// kernels never reallocate. The zero value is ready to use.
type FreeList[T any] struct {
	mu    sync.Mutex
	items []*T
}

// Get returns a free value or a new zero one.
func (f *FreeList[T]) Get() *T {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.items); n > 0 {
		x := f.items[n-1]
		f.items = f.items[:n-1]
		return x
	}
	return new(T)
}

// Put returns x to the list.
func (f *FreeList[T]) Put(x *T) {
	f.mu.Lock()
	f.items = append(f.items, x)
	f.mu.Unlock()
}

// Runner is work split over goroutines for Parallel: Run(tid) is called once
// for each tid in [0, threads).
type Runner interface {
	Run(tid int)
}

// waitGroups are Parallel's reusable wait groups.
var waitGroups FreeList[sync.WaitGroup]

// Parallel calls r.Run(tid) for every tid in [0, threads) — tid 0 on the
// calling goroutine, the others on the package's persistent worker goroutines — and
// returns when all have returned. It does not allocate once warmed up
// (keep r itself allocation-free, e.g. a pooled struct). The kernels in asm
// and ops split their work with it.
func Parallel(threads int, r Runner) {
	if threads <= 1 {
		r.Run(0)
		return
	}
	wg := waitGroups.Get()
	RunWG(threads, r, wg)
	waitGroups.Put(wg)
}
