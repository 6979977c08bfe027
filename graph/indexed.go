package graph

import (
	"fmt"

	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/ops"
)

// EntryRef names one output of an indexed node.
type EntryRef struct {
	Node  int // node id
	Index int // output index
}

// IndexedNode is one node of an Indexed graph.
type IndexedNode struct {
	// Node is the symbol's node (attributes, name, op).
	*Node
	// In are the input entries, as node ids.
	In []EntryRef
	// Deps are the control dependencies, as node ids.
	Deps []int
	// Outputs is the number of outputs including hidden ones (NumOutputs).
	Outputs int
	// Aux is true for a variable that some op mutates (an auxiliary state).
	Aux bool

	inputNames []string // the op's input names, computed once
	err        error    // Check's verdict for the node
}

// Indexed is a symbol's graph with dense ids, as nnvm's IndexedGraph: nodes
// in topological (post-order DFS) order, and every output of every node
// numbered as an entry: node i's outputs are entries RowPtr[i] ...
// RowPtr[i+1]-1. Passes (shape and type inference, memory planning) produce
// side tables indexed by node or entry id.
type Indexed struct {
	// Symbol is the indexed symbol.
	Symbol *Symbol
	// Nodes in topological order: every node after its inputs.
	Nodes []IndexedNode
	// RowPtr has len(Nodes)+1 entries; RowPtr[len(Nodes)] is the number of
	// entries.
	RowPtr []int
	// Heads are the symbol's outputs (ListOutputs order).
	Heads []EntryRef
	// InputNodes are the variable node ids in DFS order (ListInputs).
	InputNodes []int
	// NPShape is true when the graph uses numpy shape semantics (0 is a
	// real dim size in __shape__, not unknown).
	NPShape bool

	ids map[*Node]int
}

// Index builds the indexed form of s. It fails when an entry refers to an
// output its node does not have; unknown operators and unparsable
// attributes are not errors here (see Check).
func Index(s *Symbol) (*Indexed, error) {
	if s == nil {
		return nil, fmt.Errorf("nil symbol")
	}
	nodes := s.Nodes()
	g := &Indexed{Symbol: s, NPShape: s.NPShape != 0, ids: make(map[*Node]int, len(nodes))}
	g.Nodes = make([]IndexedNode, len(nodes))
	g.RowPtr = make([]int, len(nodes)+1)
	for i, n := range nodes {
		g.ids[n] = i
		g.Nodes[i] = IndexedNode{Node: n, Outputs: n.NumOutputs()}
		g.RowPtr[i+1] = g.RowPtr[i] + g.Nodes[i].Outputs
	}
	ref := func(e Entry, what string) (EntryRef, error) {
		id, ok := g.ids[e.Node]
		if !ok {
			return EntryRef{}, fmt.Errorf("%s refers to a node outside the graph", what)
		}
		if e.Index < 0 || e.Index >= g.Nodes[id].Outputs {
			return EntryRef{}, fmt.Errorf("%s refers to output %d of node %s, which has %d outputs", what, e.Index, quote.Name(e.Node.Name), g.Nodes[id].Outputs)
		}
		return EntryRef{id, e.Index}, nil
	}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.IsVariable() {
			g.InputNodes = append(g.InputNodes, i)
		}
		n.In = make([]EntryRef, len(n.Inputs))
		for j, e := range n.Inputs {
			r, err := ref(e, fmt.Sprintf("input %d", j))
			if err != nil {
				return nil, n.errorf("%w", err)
			}
			n.In[j] = r
		}
		for _, d := range n.ControlDeps {
			n.Deps = append(n.Deps, g.ids[d])
		}
		for _, a := range n.auxInputs() {
			if a < len(n.In) {
				g.Nodes[n.In[a].Node].Aux = true
			}
		}
		n.inputNames = n.Node.InputNames()
		n.err = n.CheckOp()
		if n.err == nil && !n.IsVariable() && len(n.inputNames) != len(n.In) {
			n.err = n.errorf("%d inputs, the op takes %d (%v)", len(n.In), len(n.inputNames), n.inputNames)
		}
	}
	for i, h := range s.Outputs {
		r, err := ref(h, fmt.Sprintf("output %d", i))
		if err != nil {
			return nil, err
		}
		g.Heads = append(g.Heads, r)
	}
	return g, nil
}

// NumEntries is the number of entries (outputs of all nodes).
func (g *Indexed) NumEntries() int { return g.RowPtr[len(g.Nodes)] }

// EntryID returns the dense id of an entry.
func (g *Indexed) EntryID(e EntryRef) int { return g.RowPtr[e.Node] + e.Index }

// Entry returns the entry with dense id id.
func (g *Indexed) Entry(id int) EntryRef {
	lo, hi := 0, len(g.Nodes)
	for hi-lo > 1 { // the node whose RowPtr range holds id
		mid := (lo + hi) / 2
		if g.RowPtr[mid] <= id {
			lo = mid
		} else {
			hi = mid
		}
	}
	return EntryRef{lo, id - g.RowPtr[lo]}
}

// EntryName is an entry's output name ("fc1_output", "data").
func (g *Indexed) EntryName(id int) string {
	e := g.Entry(id)
	return g.Nodes[e.Node].OutputName(e.Index)
}

// NodeID returns the id of a node of the graph.
func (g *Indexed) NodeID(n *Node) (int, bool) {
	id, ok := g.ids[n]
	return id, ok
}

// Check reports the first node whose semantics are unavailable: an unknown
// operator (*UnknownOpError), attributes that do not parse, or a number of
// inputs that does not match the op's (*NodeError). Execution needs a
// graph that passes Check.
func (g *Indexed) Check() error {
	for i := range g.Nodes {
		if err := g.Nodes[i].err; err != nil {
			return err
		}
	}
	return nil
}

// InputNames returns the op's input names (nil for variables and nodes
// that fail Check).
func (n *IndexedNode) InputNames() []string { return n.inputNames }

// inputName names input j of node i for messages.
func (g *Indexed) inputName(i, j int) string {
	if names := g.Nodes[i].inputNames; j < len(names) {
		return names[j]
	}
	return fmt.Sprintf("input %d", j)
}

// opOf returns the node's op and parameters when it can be inferred.
func (g *Indexed) opOf(i int) (*ops.Op, any, bool) {
	n := &g.Nodes[i]
	if n.IsVariable() || n.err != nil {
		return nil, nil, false
	}
	return n.Op, n.Params, true
}
