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
	j   *Join
}

// Worker states. A worker that finished a task spins for spinTime
// (workerSpinning), so the next parallel section, usually microseconds
// away, hands it work through memory instead of waking a parked thread:
// on virtual machines a futex wake-up of an idle vCPU took 100–350 µs,
// longer than most kernels' whole share, and a goroutine readied by a
// channel send is queued on the sender's P, so while the sender computes
// its own share the other core often never got it (measured: two
// 360 µs shares took 450 µs on 2 threads, not 360).
const (
	workerParked   int32 = iota // blocked on ch
	workerSpinning              // polling state; a dispatcher may claim it
	workerClaimed               // a dispatcher is writing task
	workerHasTask               // task is written
	workerBusy                  // running a task
)

// poolWorker is a persistent goroutine that runs tasks handed to it while
// it spins, or sent on ch while it is parked.
type poolWorker struct {
	state atomic.Int32
	task  poolTask
	ch    chan poolTask
}

// workerPool hands tasks to idle persistent goroutines, starting a new one
// when none is idle, so all shares of a job run at the same time (the jobs
// synchronise with barriers) even when several jobs run concurrently.
var workerPool struct {
	mu   sync.Mutex
	idle []*poolWorker
}

// spinners counts the workers spinning now: at most GOMAXPROCS-1 spin, so
// a wide job (WithThreads(4096)) leaves no crowd of spinners behind.
var spinners atomic.Int32

// spinTime is how long a worker (and a caller waiting for its workers)
// polls before it parks (or sleeps). It outlasts the serial steps between
// a model's parallel kernels (a RetinaFace at batch 1 on 2 threads parked
// its worker, at 100 µs, in most Predict calls: a wake-up of 100–350 µs
// each on a VM, and a runtime record allocated now and then: 0.2–0.3
// allocations per Predict).
const spinTime = time.Millisecond

// spinYieldMask sets how rarely a spinning goroutine yields its P (so
// that goroutines queued on it still run): every 1024 polls. Gosched puts
// the goroutine on the global run queue, where the other core's spinning
// goroutine may pick it up: a caller and its worker that both yielded
// every 64 polls swapped cores now and then, and the steps after read
// their data from the other core's cache (ResNet-20 at batch 1 on 2
// threads, alternating: p50 418–425 → 401–402 µs).
const spinYieldMask = 1<<10 - 1

// spinFor polls done until it returns true or spinTime has passed,
// yielding the P now and then so goroutines queued on it still run. It
// reports whether done returned true.
func spinFor(done func() bool) bool {
	var deadline time.Time
	for i := 0; ; i++ {
		if done() {
			return true
		}
		if i&63 == 63 {
			now := time.Now()
			if deadline.IsZero() {
				deadline = now.Add(spinTime)
			} else if now.After(deadline) {
				return false
			}
			if i&spinYieldMask == spinYieldMask {
				runtime.Gosched()
			}
		}
	}
}

// After spinning, a worker (and a caller waiting for its workers) sleeps
// between polls, the sleeps doubling from 20 µs to sleepPollMax, for
// sleepPollTime before it parks: a goroutine that blocks on a channel or
// a WaitGroup needs a runtime record that the runtime now and then
// allocates, and a serial step longer than spinTime (SSD's
// MultiBoxDetection, 1.5 ms) parked the worker in every Predict. A
// sleeping worker is still claimable through memory; it sees its task
// within sleepPollMax, about the time a futex wake-up takes on a VM.
const (
	sleepPollTime = 20 * time.Millisecond
	sleepPollMax  = 200 * time.Microsecond
)

// sleepPoll polls done with sleeps in between (see sleepPollTime) for
// about d, reporting whether done returned true.
func sleepPoll(done func() bool, d time.Duration) bool {
	for s, slept := 20*time.Microsecond, time.Duration(0); slept < d; s = min(2*s, sleepPollMax) {
		time.Sleep(s)
		slept += s
		if done() {
			return true
		}
	}
	return false
}

// loop runs tasks: the first arrives on ch (a new worker is parked),
// later ones while it spins or, once parked, on ch again.
//
// A worker parked for workerIdleTimeout exits, unless a caller has just
// taken it from the idle list (it then has a task coming), so a burst of
// wide jobs (WithThreads(4096)) leaves no goroutines behind.
func (w *poolWorker) loop() {
	idle := time.NewTimer(idleTimeout())
	defer idle.Stop()
	t := <-w.ch
	for {
		w.state.Store(workerBusy)
		w.run(t)
		if w.state.Load() != workerParked { // spinning, or already claimed
			hasTask := func() bool { return w.state.Load() == workerHasTask }
			got := spinFor(hasTask) || sleepPoll(hasTask, sleepPollTime)
			if !got && !w.state.CompareAndSwap(workerSpinning, workerParked) {
				// A dispatcher claimed it as the spin ended: its task is coming.
				for w.state.Load() != workerHasTask {
					runtime.Gosched()
				}
				got = true
			}
			spinners.Add(-1)
			if got {
				t, w.task = w.task, poolTask{}
				continue
			}
		}
		idle.Reset(idleTimeout())
		select {
		case t = <-w.ch:
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
			t = <-w.ch // taken: its task is on the way
		}
	}
}

// run runs t, then makes w spinning (if fewer than GOMAXPROCS-1 workers
// spin) or parked, returns it to the idle list and signals t's join. The
// state is set before w is listed, so a dispatcher that takes it next
// knows how to hand it work.
func (w *poolWorker) run(t poolTask) {
	t.r.Run(t.tid)
	if spinners.Add(1) <= int32(runtime.GOMAXPROCS(0)-1) {
		w.state.Store(workerSpinning)
	} else {
		spinners.Add(-1)
		w.state.Store(workerParked)
	}
	workerPool.mu.Lock()
	workerPool.idle = append(workerPool.idle, w)
	workerPool.mu.Unlock()
	t.j.wg.Done()
	t.j.left.Add(-1) // last: the caller may reuse j once left is 0
}

// give hands t to w: through memory if w is spinning, else on its channel.
func (w *poolWorker) give(t poolTask) {
	if w.state.CompareAndSwap(workerSpinning, workerClaimed) {
		w.task = t
		w.state.Store(workerHasTask)
		return
	}
	w.ch <- t
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

// Join is the completion state of RunWG calls: the zero value is ready,
// and one Join may be reused by consecutive (not concurrent) calls.
type Join struct {
	wg   sync.WaitGroup
	left atomic.Int32
}

// RunWG calls r.Run(tid) for tid in [0, threads), tid 0 on the calling
// goroutine and the others on pool workers, and returns when all are done.
// j is passed in so callers can reuse it without allocating.
func RunWG(threads int, r Runner, j *Join) {
	if threads <= 1 {
		r.Run(0)
		return
	}
	j.wg.Add(threads - 1)
	j.left.Store(int32(threads - 1))
	for t := 1; t < threads; t++ {
		getWorker().give(poolTask{r: r, tid: t, j: j})
	}
	r.Run(0)
	// The workers usually finish within microseconds of tid 0: poll, for
	// the same reason workers spin, then sleep between polls rather than
	// block on the WaitGroup — a goroutine that blocks needs a runtime
	// record the runtime now and then allocates, which made a model
	// allocate in some Predict calls. Workers call Done before they
	// count down left, so the Wait below returns at once; it guards
	// against a worker still touching j.
	if done := func() bool { return j.left.Load() == 0 }; !spinFor(done) {
		for !sleepPoll(done, time.Hour) {
		}
	}
	j.wg.Wait()
}

// Barrier is a reusable barrier for n goroutines. The phases it
// separates are short and the goroutines usually arrive together, so a
// waiter spins (spinFor: up to spinTime, yielding now and then); then it
// sleeps between polls (sleepPoll), so that on a busy machine — when
// another process holds the core the last goroutine needs — waiters do
// not burn the CPU that goroutine is waiting for. It never blocks on a
// condition variable, whose waiters need runtime records the runtime now
// and then allocates (SSD MobileNet's packed pointwise SGEMMs on 2
// threads made about one allocation per Predict).
type Barrier struct {
	n     int32
	count atomic.Int32
	gen   atomic.Uint32
}

// Reset prepares b for n goroutines.
func (b *Barrier) Reset(n int) {
	b.n = int32(n)
	b.count.Store(0)
}

// Wait blocks until all n goroutines have called Wait.
func (b *Barrier) Wait() {
	if b.n <= 1 {
		return
	}
	g := b.gen.Load()
	if b.count.Add(1) == b.n {
		b.count.Store(0)
		b.gen.Add(1)
		return
	}
	if passed := func() bool { return b.gen.Load() != g }; !spinFor(passed) {
		for !sleepPoll(passed, time.Hour) {
		}
	}
}

// freeSlots is how many values a FreeList keeps without its mutex.
const freeSlots = 16

// FreeList is a set of reusable values for kernels' per-call state
// (Sgemm's jobs and packing buffers, the ops' parallel jobs). Unlike
// sync.Pool it keeps them across garbage collections, so steady-state
// kernels never reallocate. The zero value is ready to use.
//
// Concurrent kernels never block on the list and it makes a value only
// when more are out than it ever made: the first freeSlots free values
// live in slots taken and filled with compare-and-swap, lowest first (so
// the values used last are found first), and a Get that finds every slot
// empty while enough values exist (one is on its way back) looks again.
// Only more than freeSlots free values go to a mutex-guarded overflow. A
// goroutine that sleeps on a contended mutex needs a runtime record the
// runtime now and then allocates (after a garbage collection empties its
// cache): a mutex-guarded list made a batch split over two goroutines
// allocate about once per 1000 calls.
type FreeList[T any] struct {
	slots [freeSlots]atomic.Pointer[T]
	out   atomic.Int64 // Gets begun minus Puts done
	made  atomic.Int64 // values Get made
	n     atomic.Int64 // len(items)
	mu    sync.Mutex
	items []*T
}

// Get returns a free value or a new zero one.
func (f *FreeList[T]) Get() *T {
	f.out.Add(1)
	for {
		for i := range f.slots {
			if x := f.slots[i].Load(); x != nil && f.slots[i].CompareAndSwap(x, nil) {
				return x
			}
		}
		if f.n.Load() > 0 {
			f.mu.Lock()
			if n := len(f.items); n > 0 {
				x := f.items[n-1]
				f.items[n-1] = nil
				f.items = f.items[:n-1]
				f.n.Store(int64(n - 1))
				f.mu.Unlock()
				return x
			}
			f.mu.Unlock()
		}
		// Fewer values than holders and getters: none is free.
		if f.made.Load() < f.out.Load() {
			f.made.Add(1)
			return new(T)
		}
		runtime.Gosched() // a Put is between its store and its count
	}
}

// Put returns x to the list.
func (f *FreeList[T]) Put(x *T) {
	defer f.out.Add(-1)
	for i := range f.slots {
		if f.slots[i].Load() == nil && f.slots[i].CompareAndSwap(nil, x) {
			return
		}
	}
	f.mu.Lock()
	f.items = append(f.items, x)
	f.n.Store(int64(len(f.items)))
	f.mu.Unlock()
}

// Runner is work split over goroutines for Parallel: Run(tid) is called once
// for each tid in [0, threads).
type Runner interface {
	Run(tid int)
}

// joins are Parallel's reusable joins.
var joins FreeList[Join]

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
	j := joins.Get()
	RunWG(threads, r, j)
	joins.Put(j)
}
