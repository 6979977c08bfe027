package parallel

import (
	"runtime"
	"sync/atomic"
)

// A Crew is the goroutines of one batch split (executor/split.go): each
// member runs its own share of the batch, and one that finishes early
// helps the others instead of waiting. On a machine whose cores run at
// different speeds (a VM whose neighbours load one core's caches) even
// shares would all wait for the slowest core. A busy member offers the
// work units of the operator it is running (Member.Share) when another
// member is idle; both then claim units until none is left. Units are
// computed the same way whoever claims them, so results do not change.
type Crew struct {
	busy    atomic.Int32          // members still running their own share
	idle    atomic.Int32          // members waiting to help
	offer   atomic.Pointer[Offer] // the open offer, if any
	members []Member
}

// A Member is one goroutine of a Crew.
type Member struct {
	c *Crew
	o Offer // its offers (one at a time), kept for the crew's lifetime
}

// Reset readies c for members goroutines, all busy. No member of the
// previous run may still be running.
func (c *Crew) Reset(members int) {
	if cap(c.members) < members {
		c.members = make([]Member, members)
	}
	c.members = c.members[:members]
	for i := range c.members {
		m := &c.members[i]
		m.c = c
		m.o.state.Store(offerClosed)
		m.o.h = nil
	}
	c.busy.Store(int32(members))
	c.idle.Store(0)
	c.offer.Store(nil)
}

// Member returns member i (0 ≤ i < the Reset count).
func (c *Crew) Member(i int) *Member { return &c.members[i] }

// Idle reports whether another member waits to help: only then is an
// offer worth making. A nil member has no crew.
func (m *Member) Idle() bool { return m != nil && m.c.idle.Load() > 0 }

// A Helper runs the units of an Offer: Help claims units with o.Claim
// until it reports none left, computing each with scratch, the calling
// goroutine's own workspace.
type Helper interface {
	Help(o *Offer, scratch []float32)
}

// An Offer is one operator call's units, shared through a Crew.
type Offer struct {
	next  atomic.Int64
	n     int64
	h     Helper
	state atomic.Int64 // helpers inside, | offerClosed while no one may enter
}

// offerClosed marks an offer no helper may enter.
const offerClosed = int64(1) << 62

// Claim returns the next unclaimed unit, or false when none is left.
func (o *Offer) Claim() (int, bool) {
	u := o.next.Add(1) - 1
	return int(u), u < o.n
}

// Share runs units [0, n) of h on the calling goroutine (member m, with
// scratch), offering them to the crew's idle members; it returns when every
// unit is done and no helper is still running one. With a nil member, or
// no idle one, h runs them all alone.
func (m *Member) Share(n int, h Helper, scratch []float32) {
	o := &m.o
	o.next.Store(0)
	o.n, o.h = int64(n), h
	if !m.Idle() {
		h.Help(o, scratch)
		o.h = nil
		return
	}
	c := m.c
	o.state.Store(0)
	published := c.offer.CompareAndSwap(nil, o)
	h.Help(o, scratch)
	// Close, let the helpers inside finish their units, retract.
	if s := o.state.Or(offerClosed); s != 0 {
		for o.state.Load() != offerClosed {
			runtime.Gosched()
		}
	}
	if published {
		c.offer.CompareAndSwap(o, nil)
	}
	o.h = nil
}

// Done marks member m's own share finished; it then helps the busy members
// (with scratch, its own workspace) until none is left.
func (m *Member) Done(scratch []float32) {
	c := m.c
	c.idle.Add(1)
	c.busy.Add(-1)
	for c.busy.Load() > 0 {
		o := c.offer.Load()
		if o == nil || !o.enter(c) {
			runtime.Gosched()
			continue
		}
		o.h.Help(o, scratch)
		o.state.Add(-1)
	}
	c.idle.Add(-1)
}

// enter joins o as a helper unless it is closed or no longer c's open
// offer (a pointer loaded before the owner retracted it).
func (o *Offer) enter(c *Crew) bool {
	for {
		s := o.state.Load()
		if s&offerClosed != 0 {
			return false
		}
		if o.state.CompareAndSwap(s, s+1) {
			break
		}
	}
	if c.offer.Load() != o {
		o.state.Add(-1)
		return false
	}
	return true
}
