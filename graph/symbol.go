package graph

import (
	"fmt"
	"maps"
	"slices"
)

// Symbol is a list of output entries of a graph, like mxnet.symbol.Symbol.
// Symbols share nodes: building on a symbol never copies its graph.
type Symbol struct {
	// Outputs are the symbol's output entries (its heads).
	Outputs []Entry
	// NPShape is the is_np_shape graph attribute of a loaded file (0 when
	// absent); the writer prints it back when non-zero.
	NPShape int
}

// Nodes returns the graph's nodes in nnvm's post-order DFS: from each head
// in order, a node's inputs, then its control dependencies, then the node;
// each node once. This is the node order of the JSON file.
func (s *Symbol) Nodes() []*Node {
	var order []*Node
	visited := map[*Node]bool{}
	type frame struct {
		n    *Node
		next int
	}
	var stack []frame
	for _, h := range s.Outputs {
		if h.Node == nil || visited[h.Node] {
			continue
		}
		visited[h.Node] = true
		stack = append(stack, frame{h.Node, 0})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			n := top.n
			if top.next == len(n.Inputs)+len(n.ControlDeps) {
				order = append(order, n)
				stack = stack[:len(stack)-1]
				continue
			}
			var in *Node
			if top.next < len(n.Inputs) {
				in = n.Inputs[top.next].Node
			} else {
				in = n.ControlDeps[top.next-len(n.Inputs)]
			}
			top.next++
			if in != nil && !visited[in] {
				visited[in] = true
				stack = append(stack, frame{in, 0})
			}
		}
	}
	return order
}

// inputs lists the variables in DFS order; with aux >= 0 only those that
// are (aux=1) or are not (aux=0) mutated by some op (nnvm ListInputs).
func (s *Symbol) inputs(aux int) []*Node {
	nodes := s.Nodes()
	mutated := map[*Node]bool{}
	if aux >= 0 {
		for _, n := range nodes {
			for _, i := range n.auxInputs() {
				if i < len(n.Inputs) {
					mutated[n.Inputs[i].Node] = true
				}
			}
		}
	}
	var out []*Node
	for _, n := range nodes {
		if n.IsVariable() && (aux < 0 || mutated[n] == (aux == 1)) {
			out = append(out, n)
		}
	}
	return out
}

func names(nodes []*Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Name
	}
	return out
}

// ListInputs returns the names of all variables in DFS order
// (list_inputs).
func (s *Symbol) ListInputs() []string { return names(s.inputs(-1)) }

// ListArguments returns the variables that no op mutates, in DFS order
// (list_arguments).
func (s *Symbol) ListArguments() []string { return names(s.inputs(0)) }

// ListAuxiliaryStates returns the variables some op mutates (BatchNorm's
// moving statistics), in DFS order (list_auxiliary_states).
func (s *Symbol) ListAuxiliaryStates() []string { return names(s.inputs(1)) }

// ListOutputs returns the output names (list_outputs): a variable's name,
// or "<node>_<output name>".
func (s *Symbol) ListOutputs() []string {
	out := make([]string, len(s.Outputs))
	for i, e := range s.Outputs {
		out[i] = e.Node.OutputName(e.Index)
	}
	return out
}

// NumOutputs is the number of outputs (heads).
func (s *Symbol) NumOutputs() int { return len(s.Outputs) }

// Internals returns a symbol whose outputs are every variable and every
// visible output of every op, in DFS order (get_internals).
func (s *Symbol) Internals() *Symbol {
	r := &Symbol{NPShape: s.NPShape}
	for _, n := range s.Nodes() {
		if n.IsVariable() {
			r.Outputs = append(r.Outputs, Entry{Node: n, Version: int(n.version)})
			continue
		}
		for i := 0; i < n.visibleOutputs(); i++ {
			r.Outputs = append(r.Outputs, Entry{Node: n, Index: i})
		}
	}
	return r
}

// Output returns output i as a symbol (sym[i]); a single-output symbol
// returns itself for index 0.
func (s *Symbol) Output(i int) (*Symbol, error) {
	if i < 0 || i >= len(s.Outputs) {
		return nil, fmt.Errorf("output index %d out of range (%d outputs)", i, len(s.Outputs))
	}
	if len(s.Outputs) == 1 {
		return s, nil
	}
	return &Symbol{Outputs: []Entry{s.Outputs[i]}, NPShape: s.NPShape}, nil
}

// OutputByName returns the output called name (sym['fc1_output']),
// usually on Internals(). The name must be unique.
func (s *Symbol) OutputByName(name string) (*Symbol, error) {
	idx := -1
	for i, n := range s.ListOutputs() {
		if n == name {
			if idx >= 0 {
				return nil, fmt.Errorf("there are multiple outputs with name %q", name)
			}
			idx = i
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("cannot find output that matches name %q", name)
	}
	return s.Output(idx)
}

// Group concatenates the outputs of symbols (mx.sym.Group).
func Group(symbols ...*Symbol) *Symbol {
	r := &Symbol{}
	for _, s := range symbols {
		r.Outputs = append(r.Outputs, s.Outputs...)
		if r.NPShape == 0 {
			r.NPShape = s.NPShape
		}
	}
	return r
}

// single returns the node all outputs come from, or nil for a group.
func (s *Symbol) single() *Node {
	if len(s.Outputs) == 0 {
		return nil
	}
	n := s.Outputs[0].Node
	for _, e := range s.Outputs[1:] {
		if e.Node != n {
			return nil
		}
	}
	return n
}

// Name returns the node name of a non-grouped symbol.
func (s *Symbol) Name() (string, bool) {
	if n := s.single(); n != nil {
		return n.Name, true
	}
	return "", false
}

// Attr returns attribute key of a non-grouped symbol (Symbol.attr):
// "name" gives the node name, and a hidden key given without underscores
// ("lr_mult") finds its stored form ("__lr_mult__").
func (s *Symbol) Attr(key string) (string, bool) {
	n := s.single()
	if n == nil {
		return "", false
	}
	if key == "name" {
		return n.Name, true
	}
	if v, ok := n.Attrs[key]; ok {
		return v, true
	}
	if slices.Contains(hiddenKeys, key) {
		v, ok := n.Attrs["__"+key+"__"]
		return v, ok
	}
	return "", false
}

// ListAttr returns the attributes of the symbol's (first) node
// (list_attr); hidden keys MXNet renames also appear without their
// underscores.
func (s *Symbol) ListAttr() map[string]string {
	if len(s.Outputs) == 0 {
		return map[string]string{}
	}
	return withPlainHiddenKeys(s.Outputs[0].Node.Attrs)
}

// AttrDict returns every node's attributes by node name (attr_dict), with
// hidden keys also listed without underscores.
func (s *Symbol) AttrDict() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, n := range s.Nodes() {
		if len(n.Attrs) == 0 {
			continue
		}
		d := out[n.Name]
		if d == nil {
			d = map[string]string{}
			out[n.Name] = d
		}
		maps.Copy(d, withPlainHiddenKeys(n.Attrs))
	}
	return out
}

func withPlainHiddenKeys(attrs map[string]string) map[string]string {
	out := maps.Clone(attrs)
	if out == nil {
		out = map[string]string{}
	}
	for _, k := range hiddenKeys {
		if v, ok := attrs["__"+k+"__"]; ok {
			out[k] = v
		}
	}
	return out
}

// SetAttr sets an attribute of a non-grouped symbol's node (_set_attr):
// a hidden key given plainly ("lr_mult") is stored as "__lr_mult__";
// "name" renames the node. Op nodes are re-parsed.
func (s *Symbol) SetAttr(key, value string) error {
	n := s.single()
	if n == nil {
		return fmt.Errorf("SetAttr only works for non-grouped symbols")
	}
	k, err := hiddenAttrKey(key, true)
	if err != nil {
		return err
	}
	if k == "name" {
		n.Name = value
		return nil
	}
	n.Attrs[k] = value
	n.Parse()
	return nil
}

// Copy returns a deep copy of s: new nodes with copied attributes, inputs
// and control dependencies, and copied subgraphs, so later edits to s (or
// to its nodes' Attrs) do not affect the copy. Parsed Params values are
// shared: they are never modified once parsed.
func (s *Symbol) Copy() *Symbol {
	if s == nil {
		return nil
	}
	nodes := s.Nodes()
	m := make(map[*Node]*Node, len(nodes))
	for _, n := range nodes {
		c := *n
		c.Attrs = copyAttrs(n.Attrs)
		m[n] = &c
	}
	mapNode := func(n *Node) *Node {
		if c, ok := m[n]; ok {
			return c
		}
		return n // outside the DFS (cannot happen for a well-formed symbol)
	}
	for _, n := range nodes {
		c := m[n]
		c.Inputs = make([]Entry, len(n.Inputs))
		for i, e := range n.Inputs {
			c.Inputs[i] = Entry{Node: mapNode(e.Node), Index: e.Index, Version: e.Version}
		}
		c.ControlDeps = make([]*Node, len(n.ControlDeps))
		for i, d := range n.ControlDeps {
			c.ControlDeps[i] = mapNode(d)
		}
		c.Subgraphs = make([]*Symbol, len(n.Subgraphs))
		for i, sg := range n.Subgraphs {
			c.Subgraphs[i] = sg.Copy()
		}
	}
	out := &Symbol{NPShape: s.NPShape, Outputs: make([]Entry, len(s.Outputs))}
	for i, e := range s.Outputs {
		out.Outputs[i] = Entry{Node: mapNode(e.Node), Index: e.Index, Version: e.Version}
	}
	return out
}
