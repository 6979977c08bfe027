package graph

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// ShapeTable is the result of shape inference: a possibly partial shape
// per entry (nil = unknown, a dim of -1 = unknown).
type ShapeTable struct {
	Graph  *Indexed
	Shapes []ops.Shape // by entry id
}

// TypeTable is the result of type inference: a dtype per entry
// (ops.UnknownType = unknown).
type TypeTable struct {
	Graph *Indexed
	Types []tensor.DType // by entry id
}

// InferShapes runs shape inference on g (nnvm's InferShape pass): variables
// get the shapes in known (by name; -1 marks an unknown dim) or else their
// __shape__ attribute, then every op's shape function runs forward and
// backward over the graph until nothing changes. Partial results are not
// an error: see Unknown and Complete. Nodes that are not Ready (unknown
// ops, bad attributes) are skipped and leave their outputs unknown.
// Inconsistent shapes give a *NodeError naming the node and op.
func InferShapes(g *Indexed, known map[string][]int) (*ShapeTable, error) {
	t := &ShapeTable{Graph: g, Shapes: make([]ops.Shape, g.NumEntries())}
	err := seedVariables(g, known, "__shape__", func(id int, v []int) {
		t.Shapes[id] = slices.Clone(v)
	}, func(attr string) ([]int, error) {
		s, err := ops.ParseShape(attr)
		if err != nil || s == nil {
			return nil, err
		}
		if !g.NPShape { // MXNet 1.x: ndim 0 and dims of 0 are unknown
			if len(s) == 0 {
				return nil, nil
			}
			for i := range s {
				if s[i] == 0 {
					s[i] = -1
				}
			}
		}
		return s, nil
	})
	if err != nil {
		return t, err
	}
	return t, sweep(g, func(i int, op *ops.Op, params any) (bool, error) {
		return t.step(i, op, params)
	})
}

// seedVariables assigns the known values to variables by name, else their
// attribute attr parsed with parse. Names in known that match no variable
// are an error.
func seedVariables[T any](g *Indexed, known map[string]T, attr string, set func(id int, v T), parse func(string) (T, error)) error {
	used := map[string]bool{}
	for _, i := range g.InputNodes {
		n := &g.Nodes[i]
		id := g.RowPtr[i]
		if v, ok := known[n.Name]; ok {
			set(id, v)
			used[n.Name] = true
			continue
		}
		if s, ok := n.Attrs[attr]; ok {
			v, err := parse(s)
			if err != nil {
				return n.errorf("bad %s attribute %s: %w", attr, quote.String(s), err)
			}
			set(id, v)
		}
	}
	var extra []string
	for name := range known {
		if !used[name] {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		return fmt.Errorf("no input named %s in the graph (inputs: %s)", strings.Join(extra, ", "), strings.Join(g.Symbol.ListInputs(), ", "))
	}
	return nil
}

// sweep runs step over the op nodes forward then backward until no step
// changes anything.
func sweep(g *Indexed, step func(i int, op *ops.Op, params any) (bool, error)) error {
	for {
		changed := false
		for pass := 0; pass < 2; pass++ {
			for k := range g.Nodes {
				i := k
				if pass == 1 {
					i = len(g.Nodes) - 1 - k
				}
				op, params, ok := g.opOf(i)
				if !ok {
					continue
				}
				c, err := safeStep(g, i, op, params, step)
				if err != nil {
					return err
				}
				changed = changed || c
			}
		}
		if !changed {
			return nil
		}
	}
}

// safeStep runs step for node i, turning a panic in an operator's
// inference function (a bug: they validate their attributes and return
// errors) into an error naming the node, so inference on untrusted graphs
// never crashes the process.
func safeStep(g *Indexed, i int, op *ops.Op, params any, step func(i int, op *ops.Op, params any) (bool, error)) (changed bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			changed, err = false, g.Nodes[i].errorf("inference failed: %v", r)
		}
	}()
	return step(i, op, params)
}

// step runs node i's shape function and merges its results.
func (t *ShapeTable) step(i int, op *ops.Op, params any) (bool, error) {
	g := t.Graph
	n := &g.Nodes[i]
	in := make([]ops.Shape, len(n.In))
	for j, e := range n.In {
		in[j] = slices.Clone(t.Shapes[g.EntryID(e)])
	}
	out := make([]ops.Shape, n.Outputs)
	base := g.RowPtr[i]
	for j := range out {
		out[j] = slices.Clone(t.Shapes[base+j])
	}
	if op.InferShape == nil {
		return false, nil
	}
	if err := op.InferShape(params, in, out); err != nil {
		return false, n.errorf("%w", err)
	}
	changed := false
	merge := func(id int, s ops.Shape, what string) error {
		m, ok := ops.MergeShape(t.Shapes[id], s)
		if !ok {
			return n.errorf("%s shape %s does not match %s inferred elsewhere", what, ops.ShapeString(s), ops.ShapeString(t.Shapes[id]))
		}
		if !slices.Equal(m, t.Shapes[id]) || (m != nil) != (t.Shapes[id] != nil) {
			t.Shapes[id] = m
			changed = true
		}
		return nil
	}
	for j, e := range n.In {
		if err := merge(g.EntryID(e), in[j], g.inputName(i, j)); err != nil {
			return false, err
		}
	}
	for j := range out {
		if err := merge(base+j, out[j], "output "+strconv.Itoa(j)); err != nil {
			return false, err
		}
	}
	return changed, nil
}

// Entry returns the shape of an entry (nil when unknown).
func (t *ShapeTable) Entry(e EntryRef) ops.Shape { return t.Shapes[t.Graph.EntryID(e)] }

// Outputs returns the shapes of the graph's outputs (heads).
func (t *ShapeTable) Outputs() []ops.Shape {
	out := make([]ops.Shape, len(t.Graph.Heads))
	for i, h := range t.Graph.Heads {
		out[i] = t.Entry(h)
	}
	return out
}

// Input returns the shape of the (first) variable called name.
func (t *ShapeTable) Input(name string) (ops.Shape, bool) {
	for _, i := range t.Graph.InputNodes {
		if t.Graph.Nodes[i].Name == name {
			return t.Shapes[t.Graph.RowPtr[i]], true
		}
	}
	return nil, false
}

// Unknown lists the entries whose shape is not fully known, as
// "name" or "name (2,?)", in entry order.
func (t *ShapeTable) Unknown() []string {
	var out []string
	for id, s := range t.Shapes {
		switch {
		case s == nil:
			out = append(out, t.Graph.EntryName(id))
		case !ops.ShapeKnown(s):
			out = append(out, t.Graph.EntryName(id)+" "+ops.ShapeString(s))
		}
	}
	return out
}

// Complete returns nil when every entry's shape is known; else the first
// node that could not be inferred (Check's error) or an error naming the
// unknown entries.
func (t *ShapeTable) Complete() error {
	return complete(t.Graph, t.Unknown(), "shape")
}

func complete(g *Indexed, unknown []string, what string) error {
	if len(unknown) == 0 {
		return nil
	}
	if err := g.Check(); err != nil {
		return err
	}
	const most = 8
	more := ""
	if len(unknown) > most {
		more = fmt.Sprintf(" and %d more", len(unknown)-most)
		unknown = unknown[:most]
	}
	return fmt.Errorf("%w: %s of %s%s", ErrIncomplete, what, strings.Join(unknown, ", "), more)
}

// ErrIncomplete is wrapped by Complete's errors about entries left unknown.
var ErrIncomplete = errors.New("inference incomplete")

// InferTypes runs type inference (nnvm's InferType pass): variables get the
// dtypes in known or their __dtype__ attribute (a dtype flag), then every
// op's type function runs forward and backward until nothing changes.
func InferTypes(g *Indexed, known map[string]tensor.DType) (*TypeTable, error) {
	t := &TypeTable{Graph: g, Types: make([]tensor.DType, g.NumEntries())}
	for i := range t.Types {
		t.Types[i] = ops.UnknownType
	}
	err := seedVariables(g, known, "__dtype__", func(id int, v tensor.DType) {
		t.Types[id] = v
	}, func(attr string) (tensor.DType, error) {
		f, err := strconv.Atoi(strings.TrimSpace(attr))
		if err != nil || !tensor.DType(f).Valid() {
			return ops.UnknownType, fmt.Errorf("not a dtype flag")
		}
		return tensor.DType(f), nil
	})
	if err != nil {
		return t, err
	}
	return t, sweep(g, func(i int, op *ops.Op, params any) (bool, error) {
		return t.step(i, op, params)
	})
}

func (t *TypeTable) step(i int, op *ops.Op, params any) (bool, error) {
	g := t.Graph
	n := &g.Nodes[i]
	in := make([]tensor.DType, len(n.In))
	for j, e := range n.In {
		in[j] = t.Types[g.EntryID(e)]
	}
	base := g.RowPtr[i]
	out := slices.Clone(t.Types[base : base+n.Outputs])
	infer := op.InferType
	if infer == nil {
		infer = ops.SameType
	}
	if err := infer(params, in, out); err != nil {
		return false, n.errorf("%w", err)
	}
	changed := false
	merge := func(id int, d tensor.DType, what string) error {
		switch cur := t.Types[id]; {
		case d == ops.UnknownType || d == cur:
		case cur == ops.UnknownType:
			t.Types[id] = d
			changed = true
		default:
			return n.errorf("%s dtype %s does not match %s inferred elsewhere", what, d, cur)
		}
		return nil
	}
	for j, e := range n.In {
		if err := merge(g.EntryID(e), in[j], g.inputName(i, j)); err != nil {
			return false, err
		}
	}
	for j, d := range out {
		if err := merge(base+j, d, "output "+strconv.Itoa(j)); err != nil {
			return false, err
		}
	}
	return changed, nil
}

// Entry returns the dtype of an entry (ops.UnknownType when unknown).
func (t *TypeTable) Entry(e EntryRef) tensor.DType { return t.Types[t.Graph.EntryID(e)] }

// Unknown lists the entries whose dtype is unknown, in entry order.
func (t *TypeTable) Unknown() []string {
	var out []string
	for id, d := range t.Types {
		if d == ops.UnknownType {
			out = append(out, t.Graph.EntryName(id))
		}
	}
	return out
}

// Complete returns nil when every entry's dtype is known, else an error
// like ShapeTable.Complete's.
func (t *TypeTable) Complete() error { return complete(t.Graph, t.Unknown(), "dtype") }

// InferShape mirrors MXNet's sym.infer_shape(**known): from the shapes of
// some arguments (by name) it infers and returns the shapes of all
// arguments (ListArguments order), outputs (ListOutputs order) and
// auxiliary states (ListAuxiliaryStates order). Where Python returns
// (None, None, None) because shapes remain unknown, InferShape returns an
// error wrapping ErrIncomplete that names them; inconsistent shapes give a
// *NodeError.
func (s *Symbol) InferShape(known map[string][]int) (args, outs, aux [][]int, err error) {
	g, err := Index(s)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("infer shape: %w", err)
	}
	t, err := InferShapes(g, known)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("infer shape: %w", err)
	}
	if err := t.Complete(); err != nil {
		return nil, nil, nil, fmt.Errorf("infer shape: %w", err)
	}
	for _, id := range g.InputNodes {
		sh := slices.Clone(t.Shapes[g.RowPtr[id]])
		if g.Nodes[id].Aux {
			aux = append(aux, sh)
		} else {
			args = append(args, sh)
		}
	}
	for _, sh := range t.Outputs() {
		outs = append(outs, slices.Clone(sh))
	}
	return args, outs, aux, nil
}
