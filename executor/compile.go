package executor

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// plan is the compiled form of the model for one set of input shapes:
// shapes per entry, the kernel steps, the memory plan, and a free list of
// per-call arenas built from it.
type plan struct {
	inShapes [][]int  // per data input
	shapes   [][]int  // per entry
	steps    []step   // non-variable nodes in topological order
	mem      *memPlan // arena offsets
	heads    []int    // entry ids of the outputs
	planned  []bool   // per entry: lives in the arena
	threads  int      // kernel goroutines (Ctx.Threads) of its arenas
	// chunk is set on a chunk plan of a batch split (split.go): its arenas
	// view the chunk's rows of the call's data inputs.
	chunk bool

	splitMu   sync.Mutex
	splitDone atomic.Bool
	split     *batchSplit // nil: the batch runs whole

	arenaMu sync.Mutex
	free    []*arena // idle per-call state, at most Model.maxIdle
}

type step struct {
	node   int
	op     *ops.Op
	params any
	in     []int // entry ids
	out    []int
	ws     int // scratch float32s
}

// compile infers shapes for the given data input shapes (nil: from the
// input's __shape__ attribute), builds the steps for kernels running on
// threads goroutines and plans memory.
func (m *Model) compile(inShapes [][]int, values []*tensor.Tensor, what string, threads int) (*plan, error) {
	g := m.g
	known := map[string][]int{}
	for i, in := range m.inputs {
		if inShapes[i] != nil {
			known[in.name] = inShapes[i]
		}
	}
	st, err := graph.InferShapes(g, known)
	if err == nil && st.Complete() != nil {
		// Some graphs only pin a weight's shape from its value (e.g. a
		// weight that no op constrains from the data side).
		for i, p := range m.params {
			if values[i] != nil {
				known[p.name] = values[i].Shape()
			}
		}
		st, err = graph.InferShapes(g, known)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	for id, s := range st.Shapes {
		if !ops.ShapeKnown(s) && !m.isSkipped(id) {
			return nil, fmt.Errorf("%s: cannot infer the shape of %s (give the data input shapes)", what, g.EntryName(id))
		}
	}
	shapes := st.Shapes
	if len(m.folds) > 0 {
		shapes = append(shapes[:len(shapes):len(shapes)], make([][]int, 2*len(m.folds))...)
		for _, f := range m.folds {
			ws := st.Shapes[m.params[f.weight].entry]
			if len(ws) == 0 {
				return nil, fmt.Errorf("%s: folding %s: weight has no output-channel dim", what, g.Nodes[f.bn].Name)
			}
			shapes[f.entryW], shapes[f.entryB] = ws, []int{ws[0]}
		}
	}
	if len(m.packs) > 0 {
		base := len(shapes)
		shapes = append(shapes[:base:base], make([][]int, len(m.packs))...)
		for i := range m.packs {
			pk := &m.packs[i]
			ws := st.Shapes[pk.wentry]
			if pk.wino {
				if err := m.decideWino(pk, ws, what); err != nil {
					return nil, err
				}
				if pk.on {
					shapes[pk.entry] = []int{16, pk.f, pk.c}
				}
				continue
			}
			if len(ws) != 2 || ws[0] != pk.n {
				return nil, fmt.Errorf("%s: %s: weight %s is not (num_hidden, K)", what, g.Nodes[pk.node].Name, ops.ShapeString(ws))
			}
			if pk.k == 0 {
				pk.k = ws[1] // first compile, in Bind
				pk.prows = panelRows(pk.k, pk.n, pk.ld)
			}
			shapes[pk.entry] = []int{pk.k + pk.prows, pk.ld}
		}
	}
	p := &plan{shapes: shapes, inShapes: make([][]int, len(m.inputs)), threads: threads}
	for i, in := range m.inputs {
		p.inShapes[i] = st.Shapes[in.entry]
	}
	for i, bp := range m.params {
		if want := st.Shapes[bp.entry]; values[i] != nil && !sameShape(values[i], want) {
			return nil, fmt.Errorf("%s: parameter %s has shape %s, the graph needs %s", what, bp.name,
				tensor.ShapeString(values[i].Shape()), tensor.ShapeString(want))
		}
	}

	n := len(shapes)
	pin := planInput{Sizes: make([]int, n), External: make([]bool, n), Keep: make([]bool, n)}
	for id := range n {
		if s := shapes[id]; s != nil {
			cnt, err := tensor.NumElements(s, m.types[id].Size())
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", what, m.entryName(id), err)
			}
			pin.Sizes[id] = cnt * m.types[id].Size()
		}
	}
	for _, f := range m.folds {
		pin.External[f.entryW], pin.External[f.entryB] = true, true
	}
	for _, pk := range m.packs {
		pin.External[pk.entry] = true
	}
	for i := range g.Nodes {
		node := &g.Nodes[i]
		first := g.RowPtr[i]
		if node.IsVariable() || m.skip[i] {
			for j := range node.Outputs {
				pin.External[first+j] = true
			}
			continue
		}
		fi, folded := m.foldOf[i]
		if folded && m.folds[fi].bn == i {
			continue // its output is the fused layer's
		}
		s := step{node: i, op: node.Op, params: node.Params, out: make([]int, node.Outputs)}
		for j := range s.out {
			s.out[j] = first + j
		}
		for _, e := range node.In {
			s.in = append(s.in, g.EntryID(e))
		}
		if folded {
			if err := m.foldStep(&s, &m.folds[fi]); err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
		}
		if pi, packed := m.packOf[i]; packed {
			pk := &m.packs[pi]
			switch {
			case pk.wino && pk.on:
				s.in[1] = pk.entry
				if !folded { // a fold's params already read the Winograd weight
					s.params = s.params.(*ops.ConvolutionParam).WithWinogradWeight()
				}
			case !pk.wino:
				s.in[1] = pk.entry
				if !folded { // a fold's params already read the transposed weight
					s.params = s.params.(*ops.FullyConnectedParam).WithTransposedWeight(pk.ld)
				}
			}
		}
		inShapes := make([]ops.Shape, len(s.in))
		for j, id := range s.in {
			inShapes[j] = shapes[id]
		}
		if s.op.Workspace != nil {
			shares := threads // one part per kernel goroutine, unless the op says
			if s.op.WorkspaceShares != nil {
				shares = min(max(s.op.WorkspaceShares(s.params, inShapes, threads), 1), threads)
			}
			ws, ok := mulInt(s.op.Workspace(s.params, inShapes), shares)
			if !ok || ws > math.MaxInt/4 {
				return nil, fmt.Errorf("%s: node %s (%s): workspace size overflows", what, node.Name, node.OpName)
			}
			s.ws = ws
		}
		p.steps = append(p.steps, s)
	}
	for _, h := range g.Heads {
		id := g.EntryID(h)
		p.heads = append(p.heads, id)
		if !pin.External[id] {
			pin.Keep[id] = true
		}
	}
	if m.optimize {
		isHead := make([]bool, n)
		for _, h := range p.heads {
			isHead[h] = true
		}
		p.steps = m.optimizeSteps(p.steps, shapes, isHead)
	}
	written := make([]bool, n)
	for _, s := range p.steps {
		ps := planStep{Inputs: s.in, Outputs: s.out, Workspace: 4 * s.ws}
		if s.op.InPlace != nil {
			for _, pr := range s.op.InPlace(s.params) {
				if pr[0] < len(s.in) && pr[1] < len(s.out) &&
					m.types[s.in[pr[0]]] == m.types[s.out[pr[1]]] {
					ps.InPlace = append(ps.InPlace, pr)
				}
			}
		}
		pin.Steps = append(pin.Steps, ps)
		for _, e := range s.out {
			written[e] = true
		}
	}
	for id := range n {
		if !written[id] {
			pin.External[id] = true // a variable's, or optimised away
		}
	}
	p.mem, err = planMemory(pin)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	p.planned = make([]bool, n)
	for id := range n {
		p.planned[id] = !pin.External[id]
	}
	if err := m.checkMemory(p, pin.Sizes, what); err != nil {
		return nil, err
	}
	return p, nil
}

// arena is one call's memory: the planned buffer, a tensor view per entry
// and the kernels' argument slices, all built once and reused.
type arena struct {
	buf   []byte
	views []*tensor.Tensor // per entry; external ones set per call
	in    [][]*tensor.Tensor
	out   [][]*tensor.Tensor
	ws    [][]float32
	cast  []*tensor.Tensor // per data input: its compute-dtype copy (float16 inputs), else nil
	rows  []*tensor.Tensor // chunk plans: per data input, a view of the chunk's rows
	park  []*tensor.Tensor // chunk plans: per data input, no rows, rows points here between calls
	ctx   ops.Ctx
}

// initArena builds a fresh (zero) arena's buffer, views and kernel
// argument slices for plan p.
func (m *Model) initArena(p *plan, a *arena) error {
	*a = arena{buf: tensor.AlignedBytes(p.mem.ArenaBytes), views: make([]*tensor.Tensor, len(p.shapes))}
	for id, planned := range p.planned {
		if !planned {
			continue
		}
		size := 0
		if p.shapes[id] != nil {
			n, _ := tensor.NumElements(p.shapes[id], 0)
			size = n * m.types[id].Size()
		}
		off := p.mem.Offset[id]
		v, err := tensor.FromBytes(m.types[id], p.shapes[id], a.buf[off:off+size])
		if err != nil {
			return fmt.Errorf("executor: entry %s: %w", m.entryName(id), err)
		}
		a.views[id] = v
	}
	a.in = make([][]*tensor.Tensor, len(p.steps))
	a.out = make([][]*tensor.Tensor, len(p.steps))
	a.ws = make([][]float32, len(p.steps))
	for si, s := range p.steps {
		a.in[si] = make([]*tensor.Tensor, len(s.in))
		a.out[si] = make([]*tensor.Tensor, len(s.out))
		for j, e := range s.out {
			a.out[si][j] = a.views[e]
		}
		if s.ws > 0 {
			off := p.mem.WorkspaceOffset[si]
			ws, err := tensor.FromBytes(tensor.Float32, []int{s.ws}, a.buf[off:off+4*s.ws])
			if err != nil {
				return err
			}
			a.ws[si] = ws.Float32s()
		}
	}
	a.cast = make([]*tensor.Tensor, len(m.inputs))
	for i, in := range m.inputs {
		if ct := m.types[in.entry]; ct != in.dtype {
			t, err := tensor.New(ct, p.inShapes[i]...)
			if err != nil {
				return fmt.Errorf("executor: input %s: %w", in.name, err)
			}
			a.cast[i] = t
		}
	}
	if p.chunk {
		a.rows = make([]*tensor.Tensor, len(m.inputs))
		a.park = make([]*tensor.Tensor, len(m.inputs))
		for i, in := range m.inputs {
			t, err := tensor.New(in.dtype, append([]int{0}, p.inShapes[i][1:]...)...)
			if err != nil {
				return fmt.Errorf("executor: input %s: %w", in.name, err)
			}
			a.park[i], a.rows[i] = t, new(tensor.Tensor)
			if err := t.ViewRows(a.rows[i], 0, 0); err != nil {
				return fmt.Errorf("executor: input %s: %w", in.name, err)
			}
		}
	}
	a.ctx.Threads = p.threads
	return nil
}

// convertInto writes src's values into dst (same element count) in dst's
// dtype: float16/bfloat16 inputs to float32, float32 outputs back.
func convertInto(dst, src *tensor.Tensor) {
	switch {
	case src.DType() == tensor.Float16 && dst.DType() == tensor.Float32:
		s, _ := tensor.Data[tensor.Half](src)
		d := dst.Float32s()
		for i, h := range s {
			d[i] = h.Float32()
		}
	case src.DType() == tensor.Float32 && dst.DType() == tensor.Float16:
		s := src.Float32s()
		d, _ := tensor.Data[tensor.Half](dst)
		for i, f := range s {
			d[i] = tensor.ToHalf(f)
		}
	default:
		for i, n := 0, src.Len(); i < n; i++ {
			dst.SetFloat64At(i, src.Float64At(i))
		}
	}
}

// mulInt returns a*b for non-negative a and b, and false on overflow.
func mulInt(a, b int) (int, bool) {
	if a < 0 || b < 0 || (a > 0 && b > math.MaxInt/a) {
		return 0, false
	}
	return a * b, true
}

// checkMemory refuses a plan whose per-call memory (the arena: values and
// kernel workspaces, plus the output copies Predict returns) exceeds the
// model's memory limit, naming the largest values.
func (m *Model) checkMemory(p *plan, sizes []int, what string) error {
	if m.memLimit <= 0 {
		return nil
	}
	total := p.mem.ArenaBytes
	for _, h := range p.heads {
		total += sizes[h]
		if total < 0 {
			total = math.MaxInt
		}
	}
	if total <= m.memLimit {
		return nil
	}
	ids := make([]int, 0, len(sizes))
	for id, s := range sizes {
		if s > 0 && p.planned[id] {
			ids = append(ids, id)
		}
	}
	sort.SliceStable(ids, func(i, j int) bool { return sizes[ids[i]] > sizes[ids[j]] })
	var big []string
	for _, id := range ids[:min(3, len(ids))] {
		big = append(big, fmt.Sprintf("%s %s %s (%s)", m.entryName(id), m.types[id],
			tensor.ShapeString(p.shapes[id]), byteSize(sizes[id])))
	}
	return fmt.Errorf("%s: the plan needs %s per call, over the memory limit of %s (see WithMemoryLimit); largest values: %s",
		what, byteSize(total), byteSize(m.memLimit), strings.Join(big, ", "))
}

// byteSize formats n bytes for messages ("1.5 GiB").
func byteSize(n int) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, i := float64(n), 0
	for f >= unit && i < 6 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", f, "KMGTPE"[i-1])
}

// entryName names entry id for messages: the graph's name, or the folded
// weight or bias of a BatchNorm.
func (m *Model) entryName(id int) string {
	if id < m.g.NumEntries() {
		return m.g.EntryName(id)
	}
	for _, pk := range m.packs {
		if id == pk.entry && pk.wino {
			return m.g.Nodes[pk.node].Name + "_winograd_weight"
		}
		if id == pk.entry {
			return m.g.Nodes[pk.node].Name + "_transposed_weight"
		}
	}
	for _, f := range m.folds {
		switch id {
		case f.entryW:
			return m.g.Nodes[f.bn].Name + "_folded_weight"
		case f.entryB:
			return m.g.Nodes[f.bn].Name + "_folded_bias"
		}
	}
	return fmt.Sprintf("entry %d", id)
}

// decideWino switches a Convolution pack on, the first time compile sees
// its weight's shape ws, where ops.ConvWinograd accepts the layer (and its
// fold's params to the Winograd weight); later compiles (other data
// shapes) keep the decision, which depends only on the layer and ws.
func (m *Model) decideWino(pk *pack, ws []int, what string) error {
	if pk.decided {
		if pk.on && !slices.Equal(ws, []int{pk.f, pk.c, 3, 3}) {
			return fmt.Errorf("%s: %s: weight %s is not (%d, %d, 3, 3)", what, m.g.Nodes[pk.node].Name, ops.ShapeString(ws), pk.f, pk.c)
		}
		return nil
	}
	pk.decided = true
	if !ops.ConvWinograd(m.packParams(pk), ws) {
		return nil
	}
	pk.on, pk.f, pk.c = true, ws[0], ws[1]
	if pk.fold >= 0 {
		f := &m.folds[pk.fold]
		f.params = f.params.(*ops.ConvolutionParam).WithWinogradWeight()
	}
	return nil
}
