package executor

import (
	"fmt"
	"github.com/mxgo/mxgo/asm"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// plan is the compiled form of the model for one set of input shapes:
// shapes per entry, the kernel steps, the memory plan, and a free list of
// per-call arenas built from it.
type plan struct {
	inShapes [][]int             // per data input
	shapes   [][]int             // per entry
	steps    []step              // non-variable nodes in topological order
	mem      *Plan               // arena offsets
	heads    []int               // entry ids of the outputs
	planned  []bool              // per entry: lives in the arena
	arenas   asm.FreeList[arena] // reusable per-call state (kept across GCs)
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
// input's __shape__ attribute), builds the steps and plans memory.
func (m *Model) compile(inShapes [][]int, values []*tensor.Tensor) (*plan, error) {
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
			known[p.name] = values[i].Shape()
		}
		st, err = graph.InferShapes(g, known)
	}
	if err != nil {
		return nil, fmt.Errorf("bind: %w", err)
	}
	for id, s := range st.Shapes {
		if !ops.ShapeKnown(s) && !m.isSkipped(id) {
			return nil, fmt.Errorf("bind: cannot infer the shape of %s (give the data input shapes)", g.EntryName(id))
		}
	}
	p := &plan{shapes: st.Shapes, inShapes: make([][]int, len(m.inputs))}
	for i, in := range m.inputs {
		p.inShapes[i] = st.Shapes[in.entry]
	}
	for i, bp := range m.params {
		if want := st.Shapes[bp.entry]; !sameShape(values[i], want) {
			return nil, fmt.Errorf("bind: parameter %s has shape %s, the graph needs %s", bp.name,
				tensor.ShapeString(values[i].Shape()), tensor.ShapeString(want))
		}
	}

	n := g.NumEntries()
	pin := PlanInput{Sizes: make([]int, n), External: make([]bool, n), Keep: make([]bool, n)}
	for id := range n {
		if s := st.Shapes[id]; s != nil {
			cnt, err := tensor.NumElements(s, m.types[id].Size())
			if err != nil {
				return nil, fmt.Errorf("bind: %s: %w", g.EntryName(id), err)
			}
			pin.Sizes[id] = cnt * m.types[id].Size()
		}
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
		s := step{node: i, op: node.Op, params: node.Params, out: make([]int, node.Outputs)}
		for j := range s.out {
			s.out[j] = first + j
		}
		inShapes := make([]ops.Shape, len(node.In))
		for j, e := range node.In {
			id := g.EntryID(e)
			s.in = append(s.in, id)
			inShapes[j] = st.Shapes[id]
		}
		if s.op.Workspace != nil {
			s.ws = s.op.Workspace(s.params, inShapes) * m.threads // one part per kernel goroutine
		}
		ps := PlanStep{Inputs: s.in, Outputs: s.out, Workspace: 4 * s.ws}
		if s.op.InPlace != nil {
			for _, pr := range s.op.InPlace(s.params) {
				if pr[0] < len(s.in) && pr[1] < len(s.out) &&
					m.types[s.in[pr[0]]] == m.types[s.out[pr[1]]] {
					ps.InPlace = append(ps.InPlace, pr)
				}
			}
		}
		p.steps = append(p.steps, s)
		pin.Steps = append(pin.Steps, ps)
	}
	for _, h := range g.Heads {
		id := g.EntryID(h)
		p.heads = append(p.heads, id)
		if !pin.External[id] {
			pin.Keep[id] = true
		}
	}
	p.mem, err = PlanMemory(pin)
	if err != nil {
		return nil, fmt.Errorf("bind: %w", err)
	}
	p.planned = make([]bool, n)
	for id := range n {
		p.planned[id] = !pin.External[id]
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
			return fmt.Errorf("executor: entry %s: %w", m.g.EntryName(id), err)
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
	a.ctx.Threads = m.threads
	return nil
}
