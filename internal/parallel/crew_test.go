package parallel

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// unitLog is a Helper that records who ran each unit; the owner's first
// unit waits until a helper has run one, so both take part.
type unitLog struct {
	ran      []atomic.Int32 // per unit: runs
	by       []atomic.Int32 // per unit: 1 owner, 2 helper
	helped   chan struct{}
	once     sync.Once
	ownerTag []float32
}

func (l *unitLog) Help(o *Offer, scratch []float32) {
	owner := &scratch[0] == &l.ownerTag[0]
	first := true
	for {
		u, ok := o.Claim()
		if !ok {
			return
		}
		if owner && first && l.helped != nil {
			select {
			case <-l.helped:
			case <-time.After(10 * time.Second):
				panic("no helper took a unit")
			}
		}
		first = false
		l.ran[u].Add(1)
		if owner {
			l.by[u].Store(1)
		} else {
			l.by[u].Store(2)
			l.once.Do(func() { close(l.helped) })
		}
	}
}

// TestCrewShare runs a member's units with another member idle: every
// unit runs once, the helper runs some, and Share returns only after the
// helper's units are done; then the same with no idle member (the owner
// alone) and a second Share on the same member.
func TestCrewShare(t *testing.T) {
	var c Crew
	for round := range 3 {
		c.Reset(2)
		helperDone := make(chan struct{})
		go func() {
			c.Member(1).Done(make([]float32, 1))
			close(helperDone)
		}()
		for !c.Member(0).Idle() {
			time.Sleep(time.Microsecond)
		}
		own := make([]float32, 1)
		for share := range 2 {
			const n = 1000
			l := &unitLog{ran: make([]atomic.Int32, n), by: make([]atomic.Int32, n), helped: make(chan struct{}), ownerTag: own}
			c.Member(0).Share(n, l, own)
			helper := 0
			for u := range n {
				if r := l.ran[u].Load(); r != 1 {
					t.Fatalf("round %d share %d: unit %d ran %d times", round, share, u, r)
				}
				if l.by[u].Load() == 2 {
					helper++
				}
			}
			if helper == 0 || helper == n {
				t.Fatalf("round %d share %d: the helper ran %d of %d units", round, share, helper, n)
			}
		}
		c.Member(0).Done(own)
		select {
		case <-helperDone:
		case <-time.After(10 * time.Second):
			t.Fatal("the idle member did not return once no member was busy")
		}
		// No idle member: the owner runs every unit.
		c.Reset(1)
		l := &unitLog{ran: make([]atomic.Int32, 50), by: make([]atomic.Int32, 50), ownerTag: own}
		if c.Member(0).Idle() {
			t.Fatal("a crew of one has an idle member")
		}
		c.Member(0).Share(50, l, own)
		for u := range 50 {
			if l.ran[u].Load() != 1 || l.by[u].Load() != 1 {
				t.Fatalf("alone: unit %d ran %d times, by %d", u, l.ran[u].Load(), l.by[u].Load())
			}
		}
		c.Member(0).Done(own)
	}
	var nilMember *Member
	if nilMember.Idle() {
		t.Fatal("a nil member has an idle crew")
	}
}
