package executor

import "fmt"

// planAlign is the byte alignment of every buffer in a planned arena.
const planAlign = 64

// planStep is one kernel invocation as the memory planner sees it: the
// entries it reads and writes (ids into planInput.Sizes), the (input
// position, output position) pairs it allows to share storage, and the
// scratch bytes it needs while it runs.
type planStep struct {
	Inputs    []int
	Outputs   []int
	InPlace   [][2]int
	Workspace int
}

// planInput describes a graph for memory planning. Entries are values
// (node outputs); External entries (graph inputs, parameters) live in
// caller memory and are never planned; Keep entries (the heads) are
// planned but never reused, since they are read after the last step.
type planInput struct {
	Sizes    []int // bytes per entry
	External []bool
	Keep     []bool
	Steps    []planStep // in execution order
}

// memPlan is the result: each planned entry's byte offset in one arena, each
// step's workspace offset, and the arena size. Entries that share an
// offset never hold live values at the same time, except in-place pairs,
// where the output overwrites its own input as the kernel allows.
type memPlan struct {
	Offset          []int // per entry; -1 for external entries
	WorkspaceOffset []int // per step; -1 when the step needs none
	ArenaBytes      int
	// Buffers is the number of distinct storage blocks, and NaiveBytes what
	// giving every planned entry its own block would cost (for reports).
	Buffers    int
	NaiveBytes int
}

// storage is one reusable block; size grows to the largest use.
type storage struct {
	size int
	refs int // live entries (or a running workspace) using it
}

type planner struct {
	blocks []storage
	free   []int // ids of blocks with refs == 0
}

// matchRange bounds size mismatch on reuse (as nnvm's allocator does): a
// free block is reused for a request only if its size is within a factor
// of matchRange, so a tiny value never pins a huge block.
const matchRange = 16

// alloc returns a free block for size bytes: the smallest free block at
// least that large (best fit); else the largest smaller free block, grown
// (its other uses are over, so growing only raises the arena size); else a
// new block. Only blocks within matchRange of size are considered.
func (p *planner) alloc(size int) int {
	best, bestAt := -1, -1
	for i, id := range p.free {
		s := p.blocks[id].size
		if s > size*matchRange || s*matchRange < size {
			continue
		}
		switch {
		case best < 0:
			best, bestAt = id, i
		case s >= size && (p.blocks[best].size < size || s < p.blocks[best].size):
			best, bestAt = id, i
		case s < size && p.blocks[best].size < size && s > p.blocks[best].size:
			best, bestAt = id, i
		}
	}
	if best < 0 {
		p.blocks = append(p.blocks, storage{size: size, refs: 1})
		return len(p.blocks) - 1
	}
	p.free = append(p.free[:bestAt], p.free[bestAt+1:]...)
	if p.blocks[best].size < size {
		p.blocks[best].size = size
	}
	p.blocks[best].refs = 1
	return best
}

func (p *planner) release(id int) {
	p.blocks[id].refs--
	if p.blocks[id].refs == 0 {
		p.free = append(p.free, id)
	}
}

// planMemory assigns arena offsets to the planned entries of in. It uses
// reference counts (an entry's block is freed after its last reader),
// in-place reuse (an output takes its input's block when the step allows it
// and this step is the input's last reader), and best-fit reuse of freed
// blocks. Every entry must be written by exactly one step or be External.
func planMemory(in planInput) (*memPlan, error) {
	n := len(in.Sizes)
	if len(in.External) != n || len(in.Keep) != n {
		return nil, fmt.Errorf("plan: %d sizes, %d external flags, %d keep flags", n, len(in.External), len(in.Keep))
	}
	readers := make([]int, n)
	written := make([]bool, n)
	for si, st := range in.Steps {
		for _, e := range st.Inputs {
			if e < 0 || e >= n {
				return nil, fmt.Errorf("plan: step %d reads entry %d of %d", si, e, n)
			}
			if !in.External[e] && !written[e] {
				return nil, fmt.Errorf("plan: step %d reads entry %d before it is written", si, e)
			}
			readers[e]++
		}
		for _, e := range st.Outputs {
			if e < 0 || e >= n || in.External[e] || written[e] {
				return nil, fmt.Errorf("plan: step %d writes entry %d, which is out of range, external or already written", si, e)
			}
			written[e] = true
		}
		for _, pr := range st.InPlace {
			if pr[0] < 0 || pr[0] >= len(st.Inputs) || pr[1] < 0 || pr[1] >= len(st.Outputs) {
				return nil, fmt.Errorf("plan: step %d in-place pair %v out of range", si, pr)
			}
		}
	}
	for e := range n {
		if !in.External[e] && !written[e] {
			return nil, fmt.Errorf("plan: entry %d is never written", e)
		}
		if in.Keep[e] {
			readers[e]++ // read after the last step
		}
	}

	var p planner
	block := make([]int, n)
	for e := range block {
		block[e] = -1
	}
	wsBlock := make([]int, len(in.Steps))
	naive := 0
	for si, st := range in.Steps {
		// Outputs: in place where allowed, else a fresh or reused block.
		taken := map[int]bool{}
		for oi, e := range st.Outputs {
			naive += alignUp(in.Sizes[e])
			for _, pr := range st.InPlace {
				if pr[1] != oi {
					continue
				}
				src := st.Inputs[pr[0]]
				if in.External[src] || in.Keep[src] || readers[src] != countIn(st.Inputs, src) ||
					taken[src] || in.Sizes[src] < in.Sizes[e] {
					continue
				}
				taken[src] = true
				block[e] = block[src]
				p.blocks[block[e]].refs++
				break
			}
			if block[e] < 0 {
				block[e] = p.alloc(in.Sizes[e])
			}
		}
		wsBlock[si] = -1
		if st.Workspace > 0 {
			wsBlock[si] = p.alloc(st.Workspace)
			p.release(wsBlock[si])
		}
		for _, e := range st.Inputs {
			readers[e]--
			if readers[e] == 0 && !in.External[e] {
				p.release(block[e])
			}
		}
		for _, e := range st.Outputs {
			if readers[e] == 0 { // never read: dead right away
				p.release(block[e])
			}
		}
	}

	// Lay the blocks out one after another.
	off := make([]int, len(p.blocks))
	total := 0
	for id, b := range p.blocks {
		off[id] = total
		total += alignUp(b.size)
	}
	plan := &memPlan{Offset: make([]int, n), WorkspaceOffset: make([]int, len(in.Steps)),
		ArenaBytes: total, Buffers: len(p.blocks), NaiveBytes: naive}
	for e := range n {
		plan.Offset[e] = -1
		if block[e] >= 0 {
			plan.Offset[e] = off[block[e]]
		}
	}
	for si, b := range wsBlock {
		plan.WorkspaceOffset[si] = -1
		if b >= 0 {
			plan.WorkspaceOffset[si] = off[b]
		}
	}
	return plan, nil
}

func countIn(list []int, e int) int {
	c := 0
	for _, x := range list {
		if x == e {
			c++
		}
	}
	return c
}

func alignUp(n int) int { return (n + planAlign - 1) &^ (planAlign - 1) }
