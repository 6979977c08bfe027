package executor

import (
	"context"
	"fmt"
	"slices"

	"github.com/mxgo/mxgo/tensor"
)

// Predict runs a forward pass at inference. inputs are the data inputs in
// InputNames order; their shapes may differ from Bind's (e.g. another batch
// size): a plan per input-shape class is compiled on first use and cached
// (see WithPlanCache).
//
// outputs follows Go's append idiom: pass nil to get new output tensors, or
// pass the slice a previous call returned to have it filled in place —
// then a call allocates nothing once the model has warmed up. The result
// has one tensor per OutputNames entry.
//
// With several threads (WithThreads) and a batch of at least as many
// samples, a graph whose every operator computes each sample on its own
// runs as one chunk of samples per goroutine through the whole network
// (split.go); otherwise the batch runs whole and kernels split their own
// work. Either way each sample's outputs are the same bits.
//
// Predict is safe for concurrent use: calls share the weights and take
// per-call memory from a pool. It checks ctx between operators and returns
// ctx's error when it is cancelled.
func (m *Model) Predict(ctx context.Context, inputs []*tensor.Tensor, outputs []*tensor.Tensor) ([]*tensor.Tensor, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := m.acquire(ctx); err != nil {
		return outputs, err
	}
	defer m.release()
	p, err := m.planInputs(inputs, "predict")
	if err != nil {
		return outputs, err
	}
	ps := m.cur.Load()
	if sp := m.splitOf(p); sp != nil {
		return m.predictSplit(ctx, p, sp, ps, inputs, outputs)
	}
	a, err := m.paramArena(p, ps, "predict")
	if err != nil {
		return outputs, err
	}
	defer p.putArena(m, a)
	m.bindInputs(a, inputs)
	if err := m.runSteps(ctx, p, a); err != nil {
		return outputs, err
	}
	return m.fill(outputs, p, a), nil
}

// runSteps runs p's kernels on a (inputs and parameters bound), checking
// ctx between them.
func (m *Model) runSteps(ctx context.Context, p *plan, a *arena) error {
	a.ctx.Context = ctx
	done := ctx.Done()
	for si := range p.steps {
		s := &p.steps[si]
		if done != nil {
			select {
			case <-done:
				return ctx.Err()
			default:
			}
		}
		in := a.in[si]
		for j, e := range s.in {
			in[j] = a.views[e]
		}
		a.ctx.Scratch = a.ws[si]
		if err := s.op.Forward(&a.ctx, s.params, in, a.out[si]); err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			node := &m.g.Nodes[s.node]
			return fmt.Errorf("predict: node %s (%s): %w", node.Name, node.OpName, err)
		}
	}
	return ctx.Err() // cancelled during the last kernel
}

// acquire waits for a concurrency slot (WithMaxConcurrency); release
// gives it back.
func (m *Model) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if m.sem != nil {
		select {
		case m.sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (m *Model) release() {
	if m.sem != nil {
		<-m.sem
	}
}

// start checks inputs as Predict takes them, waits for a concurrency slot
// and returns the plan for their shapes and an arena with the current
// parameters bound; the caller hands both back with finish. what
// ("predict", "profile") prefixes errors.
func (m *Model) start(ctx context.Context, inputs []*tensor.Tensor, what string) (*plan, *arena, error) {
	if err := m.acquire(ctx); err != nil {
		return nil, nil, err
	}
	p, err := m.planInputs(inputs, what)
	var a *arena
	if err == nil {
		a, err = m.paramArena(p, m.cur.Load(), what)
	}
	if err != nil {
		m.release()
		return nil, nil, err
	}
	return p, a, nil
}

// planInputs checks inputs (count, nil, dtype) and returns the plan for
// their shapes.
func (m *Model) planInputs(inputs []*tensor.Tensor, what string) (*plan, error) {
	if len(inputs) != len(m.inputs) {
		return nil, fmt.Errorf("%s: %d inputs given, the model takes %d (%v)", what, len(inputs), len(m.inputs), m.InputNames())
	}
	for i, in := range inputs {
		if in == nil {
			return nil, fmt.Errorf("%s: input %s is nil", what, m.inputs[i].name)
		}
		if in.DType() != m.inputs[i].dtype {
			return nil, fmt.Errorf("%s: input %s has dtype %s, the model needs %s", what, m.inputs[i].name, in.DType(), m.inputs[i].dtype)
		}
	}
	return planFor(m, inputs, what)
}

// paramArena takes an arena of p with the parameters of ps bound.
func (m *Model) paramArena(p *plan, ps *paramSet, what string) (*arena, error) {
	a, err := p.getArena(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	for i, bp := range m.params {
		a.views[bp.entry] = ps.values[i]
	}
	for k := range m.folds {
		a.views[m.folds[k].entryW], a.views[m.folds[k].entryB] = ps.derived[2*k], ps.derived[2*k+1]
	}
	for k := range m.packs {
		a.views[m.packs[k].entry] = ps.derived[2*len(m.folds)+k]
	}
	return a, nil
}

// finish returns the arena start took and releases the concurrency slot.
func (m *Model) finish(p *plan, a *arena) {
	p.putArena(m, a)
	m.release()
}

// bindInputs points the arena's input entries at inputs, converting those
// the graph takes in another dtype into the arena's cast buffers.
func (m *Model) bindInputs(a *arena, inputs []*tensor.Tensor) {
	for i, in := range m.inputs {
		if c := a.cast[i]; c != nil {
			convertInto(c, inputs[i])
			a.views[in.entry] = c
			continue
		}
		a.views[in.entry] = inputs[i]
	}
}

// getArena takes a free arena of p, or builds one.
func (p *plan) getArena(m *Model) (*arena, error) {
	p.arenaMu.Lock()
	if n := len(p.free); n > 0 {
		a := p.free[n-1]
		p.free[n-1] = nil
		p.free = p.free[:n-1]
		p.arenaMu.Unlock()
		return a, nil
	}
	p.arenaMu.Unlock()
	a := new(arena)
	if err := m.initArena(p, a); err != nil {
		return nil, err
	}
	return a, nil
}

// putArena drops a's references to the call's inputs, the parameters and
// the context (so replaced weights and callers' tensors can be collected
// however the call ended) and keeps it for reuse, unless maxIdle arenas
// are already idle: an overflow arena from a burst of concurrent calls is
// left to the garbage collector.
func (p *plan) putArena(m *Model, a *arena) {
	for i := range m.inputs {
		a.views[m.inputs[i].entry] = nil
	}
	for i, t := range a.park {
		_ = t.ViewRows(a.rows[i], 0, 0) // same dims: cannot fail
	}
	for i := range m.params {
		a.views[m.params[i].entry] = nil
	}
	for k := range m.folds {
		a.views[m.folds[k].entryW], a.views[m.folds[k].entryB] = nil, nil
	}
	for k := range m.packs {
		a.views[m.packs[k].entry] = nil
	}
	for _, in := range a.in {
		clear(in)
	}
	a.ctx.Context, a.ctx.Scratch = nil, nil
	p.arenaMu.Lock()
	if len(p.free) < m.maxIdle {
		p.free = append(p.free, a)
	}
	p.arenaMu.Unlock()
}

// fill copies the head values into outputs, reusing its tensors when their
// dtype and shape fit.
func (m *Model) fill(outputs []*tensor.Tensor, p *plan, a *arena) []*tensor.Tensor {
	if len(outputs) != len(p.heads) {
		outputs = make([]*tensor.Tensor, len(p.heads))
	}
	for i, h := range p.heads {
		src := a.views[h]
		dt := m.gtypes[h] // float16 graphs return float16
		o := outputs[i]
		if o == nil || o.DType() != dt || !sameShape(o, p.shapes[h]) {
			o, _ = tensor.New(dt, p.shapes[h]...) // shape checked when planned
			outputs[i] = o
		}
		if dt != src.DType() {
			convertInto(o, src)
			continue
		}
		copy(o.Bytes(), src.Bytes())
	}
	return outputs
}

// shaped is what plan lookup needs of an input: its shape.
type shaped interface {
	NDim() int
	Dim(i int) int
}

// dims is a bare shape (Reshape has shapes, not tensors).
type dims []int

func (d dims) NDim() int     { return len(d) }
func (d dims) Dim(i int) int { return d[i] }

// planFor returns the plan for the inputs' shapes, compiling it on first
// use. It is generic so that Predict's []*tensor.Tensor needs no conversion
// (which would allocate).
func planFor[S shaped](m *Model, inputs []S, what string) (*plan, error) {
	if p := m.last.Load(); p != nil && matches(p, inputs) {
		return p, nil
	}
	m.planMu.Lock()
	defer m.planMu.Unlock()
	for i, p := range m.plans {
		if matches(p, inputs) {
			copy(m.plans[1:i+1], m.plans[:i]) // move to front
			m.plans[0] = p
			m.last.Store(p)
			return p, nil
		}
	}
	shapes := make([][]int, len(inputs))
	for i, in := range inputs {
		shapes[i] = make([]int, in.NDim())
		for j := range shapes[i] {
			shapes[i][j] = in.Dim(j)
		}
	}
	p, err := m.compile(shapes, m.cur.Load().values, what, m.threads)
	if err != nil {
		return nil, err
	}
	m.plans = slices.Insert(m.plans, 0, p)
	if len(m.plans) > m.maxPlans {
		m.plans = m.plans[:m.maxPlans]
	}
	m.last.Store(p)
	return p, nil
}

func matches[S shaped](p *plan, inputs []S) bool {
	for i, in := range inputs {
		want := p.inShapes[i]
		if in.NDim() != len(want) {
			return false
		}
		for j, d := range want {
			if in.Dim(j) != d {
				return false
			}
		}
	}
	return true
}

// Reshape compiles (or finds) the plan for new data input shapes ahead of
// use, e.g. a new batch size, and reports shape errors early. Predict does
// the same on demand.
func (m *Model) Reshape(inputShapes map[string][]int) error {
	shapes := make([]dims, len(m.inputs))
	for i, in := range m.inputs {
		s, ok := inputShapes[in.name]
		if !ok {
			return fmt.Errorf("reshape: no shape for input %s", in.name)
		}
		if _, err := tensor.NumElements(s, in.dtype.Size()); err != nil {
			return fmt.Errorf("reshape: input %s: %w", in.name, err)
		}
		shapes[i] = s
	}
	_, err := planFor(m, shapes, "reshape")
	return err
}

// PlanInfo describes the memory plan of the most recently used input
// shapes: the arena each concurrent Predict call holds, what giving every
// value its own buffer would take, and the number of buffers.
type PlanInfo struct {
	ArenaBytes int
	NaiveBytes int
	Buffers    int
	Steps      int
	// BatchSplit is the number of goroutines Predict splits the batch
	// over, each running its samples through the whole network (0: the
	// batch runs whole and kernels split their own work). ArenaBytes is
	// then the whole batch's arena, which such calls do not use.
	BatchSplit int
	// ChunkRows is the most samples one goroutine of a batch split runs at
	// once (0 without a split).
	ChunkRows int
}

// PlanInfo reports the memory plan of the most recently used shapes.
func (m *Model) PlanInfo() PlanInfo {
	p := m.last.Load()
	info := PlanInfo{ArenaBytes: p.mem.ArenaBytes, NaiveBytes: p.mem.NaiveBytes, Buffers: p.mem.Buffers, Steps: len(p.steps)}
	if sp := m.splitOf(p); sp != nil {
		info.BatchSplit = len(sp.shares)
		for _, sh := range sp.shares {
			for _, c := range sh {
				info.ChunkRows = max(info.ChunkRows, c.p.inShapes[0][0])
			}
		}
	}
	return info
}
