package executor

import (
	"context"
	"fmt"

	"github.com/klauspost/cpuid/v2"

	"github.com/mxgo/mxgo/internal/parallel"
	"github.com/mxgo/mxgo/tensor"
)

// A batch split runs a batch as chunks of samples, one goroutine per
// share of the batch, each chunk through the whole network on the
// goroutine's own arena. It replaces splitting every kernel's work at the
// largest batches: no synchronisation between operators, each goroutine's
// activations stay in its core's cache, and the memory-bound steps
// (padding, pooling, copies) run in parallel too. Measured on ResNet-20
// and a MobileNet-style face network at batch 8 on 2 threads (Zen 5), the
// per-kernel splits ran at 1.0–1.4x one thread's speed.
//
// A goroutine that runs out of chunks helps the others finish theirs
// (parallel.Crew, through ops.Ctx.Crew): the convolutions a busy goroutine
// runs then hand out their work units to both. On a VM whose two cores
// ran 25% apart (a competing process on one), ResNet-20 batch 8 on 2
// threads went from 2414–2559 to 2523–2890 samples/s and the gender-age
// network from 1587–1603 to 1596–1754; with the cores equal, no change.
//
// It is used only when the graph allows it: every operator fed by the
// data must compute each sample on its own (ops.Op.PerSample), and every
// value computed from the data and every output must lead with the batch,
// in the full plan and in the chunk plans alike. Kernels are batch- and
// thread-invariant, so the outputs are the bits an unsplit call gives.

// batchSplit is a plan's split: shares goroutines, each running its chunks
// in order.
type batchSplit struct {
	shares [][]chunkRun // per goroutine
	jobs   parallel.FreeList[splitJob]
	// help is each goroutine's workspace for helping the others once its
	// own chunks are done (the largest step workspace of the chunk plans).
	help [][]float32
}

// chunkRun is rows [lo, lo+n) of the batch, run on plan p (batch n).
type chunkRun struct {
	lo int
	p  *plan
}

// splitL2 is the cache a chunk's activations should fit: the core's L2
// (1 MiB where cpuid cannot tell).
var splitL2 = func() int {
	if l2 := cpuid.CPU.Cache.L2; l2 > 0 {
		return l2
	}
	return 1 << 20
}()

// splitOf returns p's batch split, deciding it on first use: nil when the
// batch runs whole.
func (m *Model) splitOf(p *plan) *batchSplit {
	if p.chunk || m.threads < 2 {
		return nil
	}
	if p.splitDone.Load() {
		return p.split
	}
	p.splitMu.Lock()
	defer p.splitMu.Unlock()
	if !p.splitDone.Load() {
		p.split = m.newSplit(p)
		p.splitDone.Store(true)
	}
	return p.split
}

// newSplit plans p's batch split, or returns nil when p's batch must run
// whole (too small, a graph that mixes samples, dtype conversions at the
// edges, or chunk plans that do not compile).
func (m *Model) newSplit(p *plan) *batchSplit {
	batch, data := m.perSampleBatch(p)
	if batch < 2 {
		return nil
	}
	shares := min(m.threads, batch)
	// Chunks whose values fit in the L2 (the arena per sample estimates
	// them), at least one sample, at most a share.
	perSample := max(p.mem.ArenaBytes/batch, 1)
	maxChunk := max(splitL2/perSample, 1)
	sp := &batchSplit{shares: make([][]chunkRun, shares)}
	plans := map[int]*plan{}
	for t := range shares {
		lo, hi := batch*t/shares, batch*(t+1)/shares
		n := hi - lo
		chunks := (n + maxChunk - 1) / maxChunk
		size := (n + chunks - 1) / chunks
		for ; lo < hi; lo += size {
			rows := min(size, hi-lo)
			cp, ok := plans[rows]
			if !ok {
				cp = m.chunkPlan(p, data, rows, max(m.threads/shares, 1))
				if cp == nil {
					return nil
				}
				plans[rows] = cp
			}
			sp.shares[t] = append(sp.shares[t], chunkRun{lo: lo, p: cp})
		}
	}
	ws := 0
	for _, cp := range plans {
		for _, s := range cp.steps {
			ws = max(ws, s.ws)
		}
	}
	sp.help = make([][]float32, shares)
	for t := range sp.help {
		sp.help[t] = make([]float32, ws)
	}
	return sp
}

// perSampleBatch returns p's batch and which values are computed from the
// data when every step fed by the data computes each sample on its own and
// every such value and every output leads with the batch, else 0.
func (m *Model) perSampleBatch(p *plan) (int, []bool) {
	batch := -1
	for i, in := range m.inputs {
		s := p.inShapes[i]
		if len(s) == 0 || m.types[in.entry] != in.dtype {
			return 0, nil
		}
		if batch < 0 {
			batch = s[0]
		} else if s[0] != batch {
			return 0, nil
		}
	}
	if batch < 2 {
		return 0, nil
	}
	data := make([]bool, len(p.shapes))
	for _, in := range m.inputs {
		data[in.entry] = true
	}
	read := readEntries(p)
	leads := func(id int) bool { s := p.shapes[id]; return len(s) > 0 && s[0] == batch }
	// Variables bound to nothing (a loss head's label, unused at
	// inference) follow the batch like the data.
	bound := make([]bool, len(p.shapes))
	for _, bp := range m.params {
		bound[bp.entry] = true
	}
	for _, id := range m.g.InputNodes {
		if e := m.g.RowPtr[id]; !bound[e] && leads(e) {
			data[e] = true
		}
	}
	for _, s := range p.steps {
		fed := false
		inShapes := make([][]int, len(s.in))
		for j, e := range s.in {
			inShapes[j] = p.shapes[e]
			if data[e] {
				fed = true
				if !leads(e) {
					return 0, nil
				}
			}
		}
		if !fed {
			continue // a constant: every chunk computes it whole
		}
		if !s.op.SampleWise(s.params, inShapes) {
			return 0, nil
		}
		for _, e := range s.out {
			if leads(e) {
				data[e] = true
			} else if read[e] { // unread ones (BatchNorm's mean and var) do not matter
				return 0, nil
			}
		}
	}
	for _, h := range p.heads {
		if !data[h] || m.gtypes[h] != m.types[h] {
			return 0, nil
		}
	}
	return batch, data
}

// readEntries marks the values p's steps read and its outputs.
func readEntries(p *plan) []bool {
	read := make([]bool, len(p.shapes))
	for _, s := range p.steps {
		for _, e := range s.in {
			read[e] = true
		}
	}
	for _, h := range p.heads {
		read[h] = true
	}
	return read
}

// chunkPlan compiles the plan for rows samples of p's batch, its kernels
// on threads goroutines, or returns nil when its shapes are not p's with
// the batch replaced in the values computed from the data (data).
func (m *Model) chunkPlan(p *plan, data []bool, rows, threads int) *plan {
	shapes := make([][]int, len(p.inShapes))
	for i, s := range p.inShapes {
		shapes[i] = append([]int{rows}, s[1:]...)
	}
	cp, err := m.compile(shapes, m.cur.Load().values, "predict", threads)
	if err != nil || len(cp.shapes) != len(p.shapes) || len(cp.steps) != len(p.steps) {
		return nil
	}
	read := readEntries(p)
	for id, s := range p.shapes {
		if !read[id] && !data[id] {
			continue // not used: optimised away, or an unread output
		}
		c := cp.shapes[id]
		if len(c) != len(s) {
			return nil
		}
		for d := range s {
			if want := s[d]; c[d] != want && !(d == 0 && data[id] && c[d] == rows) {
				return nil
			}
		}
		if data[id] && c[0] != rows {
			return nil
		}
	}
	cp.chunk = true
	return cp
}

// splitJob is one split Predict call's shared state.
type splitJob struct {
	crew    *parallel.Crew // kept across calls with the job
	m       *Model
	sp      *batchSplit
	ps      *paramSet
	ctx     context.Context
	inputs  []*tensor.Tensor
	outputs []*tensor.Tensor
	errs    []error
}

// Run runs goroutine tid's chunks, then helps the others finish theirs.
func (j *splitJob) Run(tid int) {
	defer j.crew.Member(tid).Done(j.sp.help[tid])
	for _, c := range j.sp.shares[tid] {
		if err := j.m.runChunk(j, tid, c); err != nil {
			j.errs[tid] = err
			return
		}
	}
}

// runChunk runs one chunk on goroutine tid and copies its outputs into the
// call's rows.
func (m *Model) runChunk(j *splitJob, tid int, c chunkRun) error {
	a, err := m.paramArena(c.p, j.ps, "predict")
	if err != nil {
		return err
	}
	defer c.p.putArena(m, a)
	rows := c.p.inShapes[0][0]
	for i, in := range m.inputs {
		// A view, not a copy: kernels never write their inputs.
		if err := j.inputs[i].ViewRows(a.rows[i], c.lo, c.lo+rows); err != nil {
			return fmt.Errorf("executor: input %s: %w", in.name, err)
		}
		a.views[in.entry] = a.rows[i]
	}
	a.ctx.Crew = j.crew.Member(tid)
	err = m.runSteps(j.ctx, c.p, a)
	a.ctx.Crew = nil
	if err != nil {
		return err
	}
	for i, h := range c.p.heads {
		src := a.views[h].Bytes()
		copy(j.outputs[i].Bytes()[c.lo*(len(src)/rows):], src)
	}
	return nil
}

// predictSplit is Predict for a plan with a batch split.
func (m *Model) predictSplit(ctx context.Context, p *plan, sp *batchSplit, ps *paramSet, inputs, outputs []*tensor.Tensor) ([]*tensor.Tensor, error) {
	if len(outputs) != len(p.heads) {
		outputs = make([]*tensor.Tensor, len(p.heads))
	}
	for i, h := range p.heads {
		if o := outputs[i]; o == nil || o.DType() != m.gtypes[h] || !sameShape(o, p.shapes[h]) {
			outputs[i], _ = tensor.New(m.gtypes[h], p.shapes[h]...) // shape checked when planned
		}
	}
	j := sp.jobs.Get()
	// The job holds copies of the slices, so that the caller's slices do
	// not escape (a literal []*tensor.Tensor{x} per call stays on its stack).
	if j.crew == nil {
		j.crew = new(parallel.Crew)
	}
	*j = splitJob{crew: j.crew, m: m, sp: sp, ps: ps, ctx: ctx, errs: j.errs,
		inputs: append(j.inputs[:0], inputs...), outputs: append(j.outputs[:0], outputs...)}
	if cap(j.errs) < len(sp.shares) {
		j.errs = make([]error, len(sp.shares))
	}
	j.errs = j.errs[:len(sp.shares)]
	clear(j.errs)
	j.crew.Reset(len(sp.shares))
	parallel.Parallel(len(sp.shares), j)
	var err error
	for _, e := range j.errs {
		if e != nil {
			err = e
			break
		}
	}
	clear(j.errs)
	clear(j.inputs)
	clear(j.outputs)
	*j = splitJob{crew: j.crew, errs: j.errs, inputs: j.inputs[:0], outputs: j.outputs[:0]}
	sp.jobs.Put(j)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return outputs, cerr
		}
		return outputs, err
	}
	return outputs, nil
}
