// Package serialize reads and writes MXNet's files: NDArray lists
// (.params), Symbol JSON, checkpoints, .npy/.npz, Python pickles of
// NDArrays and optimizer .states files. Readers take an io.Reader (or
// bytes), writers an io.Writer; path helpers sit on top.
//
// Pickles are decoded by github.com/nlpodyssey/gopickle after a bounds
// scan of every opcode; only MXNet's NDArray classes, bytearray and bytes
// may be named, so a pickle is never executed. They are written with the
// opcodes of Python's protocol 4 (leaves encoded by github.com/kisielk/og-rek).
//
// Files are treated as untrusted. Every reader enforces Limits (file size,
// array count, elements per array including sparse logical shapes, decoded
// and inflated totals, symbol nodes, outputs and string lengths) with the
// defaults of DefaultLimits unless given WithLimits; sparse index arrays and
// npz members are validated before anything is densified or inflated; and
// every shape is checked for overflow. Errors about input are *FormatError
// or *SymbolError: one line of at most 300 bytes naming the byte offset or
// node (and the file, from the path helpers), with names from the file
// quoted and truncated.
package serialize

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/ops"
)

// SymbolError is an error in symbol JSON. Offset is the byte offset of the
// problem (-1 when it is about the graph's structure); Node is the index of
// the node concerned (-1 when none).
type SymbolError struct {
	Offset   int
	Node     int
	NodeName string
	Err      error
}

// Error prints "symbol JSON: offset N: node I (name): <err>" with the
// parts that are known.
func (e *SymbolError) Error() string {
	var b strings.Builder
	b.WriteString("symbol JSON: ")
	if e.Offset >= 0 {
		fmt.Fprintf(&b, "offset %d: ", e.Offset)
	}
	if e.Node >= 0 {
		fmt.Fprintf(&b, "node %d %s: ", e.Node, quote.String(e.NodeName))
	}
	b.WriteString(e.Err.Error())
	return quote.Line(b.String(), maxErrorLine)
}

// Unwrap returns the underlying error.
func (e *SymbolError) Unwrap() error { return e.Err }

// jsonNode is a node object as read.
type jsonNode struct {
	op, name  string
	attrs     map[string]string
	inputs    []jsonEntry
	deps      []int
	subgraphs []*jsonGraph
	offset    int
}

// jsonGraph is a graph object as read.
type jsonGraph struct {
	nodes     []jsonNode
	argNodes  []int
	rowPtr    []int
	hasRowPtr bool
	heads     []jsonEntry
	version   int // mxnet_version attribute (0: absent)
	npShape   int // is_np_shape attribute (0: absent)
	// guessed lists the op nodes whose output count buildSymbol had to
	// guess from the largest output index used (no usable node_row_ptr
	// and an op that was not ready), with that index.
	guessed []guessedOutputs
}

// guessedOutputs is a node sized from its largest used output index.
type guessedOutputs struct {
	node *graph.Node
	used int
}

// maxSubgraphDepth bounds the nesting of control-flow subgraphs.
const maxSubgraphDepth = 32

// readGraph reads a graph object (JSONGraph::Load): nodes, arg_nodes and
// heads are required, node_row_ptr and attrs optional, other keys fatal.
func (r *jsonReader) readGraph(depth int) (*jsonGraph, error) {
	if depth > maxSubgraphDepth {
		return nil, r.errorf("subgraphs nested more than %d deep", maxSubgraphDepth)
	}
	g := &jsonGraph{}
	if err := r.beginObject(); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for {
		k, ok, err := r.nextKey()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		switch k {
		case "nodes":
			g.nodes, err = r.readNodes(depth)
		case "arg_nodes":
			g.argNodes, err = readArrayMax(r, r.lim.MaxNodes, "arg_nodes (Limits.MaxNodes)", func() (int, error) { return r.readUint32("arg_nodes entry") })
		case "node_row_ptr":
			g.rowPtr, err = readArrayMax(r, r.lim.MaxNodes+1, "node_row_ptr entries (Limits.MaxNodes)", func() (int, error) { return r.readUint32("node_row_ptr entry") })
			g.hasRowPtr = true
		case "heads":
			g.heads, err = readArrayMax(r, r.lim.MaxOutputs, "heads (Limits.MaxOutputs)", r.readEntry)
		case "attrs":
			err = r.readGraphAttrs(g)
		default:
			r.pos = r.keyPos
			return nil, r.errorf("unknown field %s (expect nodes, arg_nodes, node_row_ptr, heads, attrs)", quote.String(k))
		}
		if err != nil {
			return nil, err
		}
		seen[k] = true
	}
	for _, k := range []string{"nodes", "arg_nodes", "heads"} {
		if !seen[k] {
			return nil, r.errorf("missing field %q", k)
		}
	}
	return g, nil
}

// readGraphAttrs reads the graph attributes, each ["<type>", value] with
// the types MXNet registers (int, str, list_int, list_str). Only
// mxnet_version and is_np_shape are kept; MXNet keeps no others either.
func (r *jsonReader) readGraphAttrs(g *jsonGraph) error {
	if err := r.beginObject(); err != nil {
		return err
	}
	for {
		k, ok, err := r.nextKey()
		if err != nil || !ok {
			return err
		}
		at := r.keyPos
		if err := r.beginArray(); err != nil {
			return err
		}
		if ok, err := r.nextArrayItem(); err != nil || !ok {
			return orErr(err, r.errorf("invalid any value for graph attribute %s", quote.String(k)))
		}
		typ, err := r.readString()
		if err != nil {
			return err
		}
		if ok, err := r.nextArrayItem(); err != nil || !ok {
			return orErr(err, r.errorf("invalid any value for graph attribute %s", quote.String(k)))
		}
		var n int64
		switch typ {
		case "int":
			n, err = r.readInt(math.MinInt32, math.MaxInt32, "int value")
		case "str":
			_, err = r.readString()
		case "list_int":
			_, err = readArray(r, func() (int64, error) { return r.readInt(math.MinInt32, math.MaxInt32, "int value") })
		case "list_str":
			_, err = readArray(r, r.readString)
		default:
			return r.errorf("graph attribute %s has unregistered type %s", quote.String(k), quote.String(typ))
		}
		if err != nil {
			return err
		}
		if ok, err := r.nextArrayItem(); err != nil || ok {
			return orErr(err, r.errorf("invalid any value for graph attribute %s", quote.String(k)))
		}
		switch k {
		case "mxnet_version", "is_np_shape":
			if typ != "int" {
				r.pos = at
				return r.errorf("graph attribute %s must be an int, got %s", quote.String(k), quote.String(typ))
			}
			if k == "mxnet_version" {
				g.version = int(n)
			} else {
				g.npShape = int(n)
			}
		}
	}
}

func orErr(err, alt error) error {
	if err != nil {
		return err
	}
	return alt
}

func (r *jsonReader) readNodes(depth int) ([]jsonNode, error) {
	return readArray(r, func() (jsonNode, error) {
		r.nodes++
		if r.nodes > r.lim.MaxNodes {
			return jsonNode{}, r.errorf("more than %d nodes (Limits.MaxNodes)", r.lim.MaxNodes)
		}
		return r.readNode(depth)
	})
}

// readNode reads a node object (JSONNode::Load): op, name and inputs are
// required; attrs, attr (each replacing the dictionary), param (merged
// without overwriting), control_deps, subgraphs and backward_source_id are
// optional; anything else is fatal.
func (r *jsonReader) readNode(depth int) (jsonNode, error) {
	n := jsonNode{offset: r.pos}
	if err := r.beginObject(); err != nil {
		return n, err
	}
	var param map[string]string
	seen := map[string]bool{}
	for {
		k, ok, err := r.nextKey()
		if err != nil {
			return n, err
		}
		if !ok {
			break
		}
		switch k {
		case "op":
			n.op, err = r.readString()
		case "name":
			n.name, err = r.readString()
		case "inputs":
			n.inputs, err = readArrayMax(r, r.lim.MaxOutputs, "inputs (Limits.MaxOutputs)", r.readEntry)
		case "attrs", "attr":
			n.attrs, err = r.readStringMap()
		case "param":
			param, err = r.readStringMap()
		case "control_deps":
			n.deps, err = readArrayMax(r, r.lim.MaxNodes, "control_deps (Limits.MaxNodes)", func() (int, error) { return r.readUint32("control_deps entry") })
		case "backward_source_id":
			_, err = r.readInt(math.MinInt32, math.MaxInt32, "backward_source_id")
		case "subgraphs":
			n.subgraphs, err = r.readSubgraphs(depth)
		default:
			r.pos = r.keyPos
			return n, r.errorf("unknown node field %s", quote.String(k))
		}
		if err != nil {
			return n, err
		}
		seen[k] = true
	}
	for _, k := range []string{"op", "name", "inputs"} {
		if !seen[k] {
			return n, r.errorf("node at offset %d: missing field %q", n.offset, k)
		}
	}
	if n.attrs == nil {
		n.attrs = map[string]string{}
	}
	for k, v := range param {
		if _, ok := n.attrs[k]; !ok {
			n.attrs[k] = v
		}
	}
	if err := checkNodeStrings(&n, r.lim); err != nil {
		return n, &SymbolError{Offset: n.offset, Node: -1, Err: err}
	}
	return n, nil
}

// checkNodeStrings bounds a node's op, name, attribute keys and values.
func checkNodeStrings(n *jsonNode, lim *Limits) error {
	if len(n.name) > lim.MaxNameBytes {
		return fmt.Errorf("node name %s exceeds the limit of %d bytes (Limits.MaxNameBytes)", quote.N(n.name, 40), lim.MaxNameBytes)
	}
	if len(n.op) > lim.MaxNameBytes {
		return fmt.Errorf("node %s: op name %s exceeds the limit of %d bytes (Limits.MaxNameBytes)", quote.N(n.name, 60), quote.N(n.op, 40), lim.MaxNameBytes)
	}
	for k, v := range n.attrs {
		if len(k) > lim.MaxNameBytes {
			return fmt.Errorf("node %s: attribute key %s exceeds the limit of %d bytes (Limits.MaxNameBytes)", quote.N(n.name, 60), quote.N(k, 40), lim.MaxNameBytes)
		}
		if len(v) > lim.MaxAttrBytes {
			return fmt.Errorf("node %s: attribute %s of %d bytes exceeds the limit of %d (Limits.MaxAttrBytes)", quote.N(n.name, 60), quote.N(k, 60), len(v), lim.MaxAttrBytes)
		}
	}
	return nil
}

func (r *jsonReader) readSubgraphs(depth int) ([]*jsonGraph, error) {
	return readArray(r, func() (*jsonGraph, error) { return r.readGraph(depth + 1) })
}

// SymbolFile is a symbol JSON file as read: the (upgraded) symbol and what
// the file said about itself.
type SymbolFile struct {
	Symbol *graph.Symbol
	// MXNetVersion is the file's mxnet_version attribute; 0 when absent
	// (MXNet then treats the file as 0.8.0).
	MXNetVersion int
	// Upgrades names the load-time upgrade passes applied, in order.
	Upgrades []string
}

// ReadSymbol reads symbol JSON of any MXNet generation from r, applying
// MXNet 1.9.1's load-time upgrades (see ReadSymbolFile).
func ReadSymbol(r io.Reader, opts ...Option) (*graph.Symbol, error) {
	f, err := ReadSymbolFile(r, opts...)
	if err != nil {
		return nil, err
	}
	return f.Symbol, nil
}

// ReadSymbolFile reads symbol JSON from r like MXNet's mx.sym.load_json:
// dmlc's JSON rules, every generation's node format (0.8 param/attr with
// 2-element entries, 0.9-0.12 attr, 1.x attrs, 2.0), and the upgrade
// passes of MXNet 1.9.1 in its order (hidden-key fixes, aux variables for
// pre-0.9 files, FSetInputVarAttrOnCompose for pre-0.9.4 files, argmax axis
// for pre-0.9.5 files). Every other attribute string is kept verbatim.
// Operators mxgo does not know are kept as they are. The file is bounded by
// the Limits given with WithLimits (DefaultLimits otherwise): its size, node
// count, outputs per node and in all, and name and attribute lengths.
func ReadSymbolFile(r io.Reader, opts ...Option) (*SymbolFile, error) {
	o := buildOptions(opts)
	data, err := readAllLimited(r, o.limits.MaxSymbolBytes)
	if err != nil {
		var se *SymbolError
		if errors.As(err, &se) {
			return nil, err
		}
		return nil, fmt.Errorf("symbol JSON: %w", err)
	}
	return parseSymbol(data, o)
}

// ParseSymbol is ReadSymbolFile on bytes.
func ParseSymbol(data []byte, opts ...Option) (*SymbolFile, error) {
	return parseSymbol(data, buildOptions(opts))
}

func parseSymbol(data []byte, o *options) (*SymbolFile, error) {
	lim := &o.limits
	if int64(len(data)) > lim.MaxSymbolBytes {
		return nil, &SymbolError{Offset: int(lim.MaxSymbolBytes), Node: -1, Err: fmt.Errorf("%d bytes exceed the limit of %d (Limits.MaxSymbolBytes)", len(data), lim.MaxSymbolBytes)}
	}
	rd := &jsonReader{data: data, lim: lim}
	jg, err := rd.readGraph(0)
	if err != nil {
		return nil, err
	}
	rd.skipSpace()
	if rd.pos < len(rd.data) {
		return nil, rd.errorf("unexpected data after the graph object")
	}
	sym, err := buildSymbol(jg, lim)
	if err != nil {
		return nil, err
	}
	f := &SymbolFile{Symbol: sym, MXNetVersion: jg.version}
	f.Upgrades = upgradeSymbol(sym, jg.version)
	// A node whose attributes only parse after the upgrade (0.8 files keep
	// ctx_group and lr_mult un-prefixed) has the op's own output count, as
	// MXNet counts it when it indexes the loaded graph: BatchNorm has 3.
	for _, g := range jg.guessed {
		if !g.node.Ready() {
			continue
		}
		g.node.FileOutputs = 0
		if n := g.node.NumOutputs(); g.used >= n {
			return nil, &SymbolError{Offset: -1, Node: -1, NodeName: g.node.Name, Err: fmt.Errorf("output %d is used, but %s has %d outputs", g.used, g.node.OpName, n)}
		}
	}
	return f, nil
}

// LoadSymbol reads a symbol JSON file (PREFIX-symbol.json) with the given
// options (see ReadSymbolFile). Errors name the file.
func LoadSymbol(path string, opts ...Option) (*graph.Symbol, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sf, err := ReadSymbolFile(f, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sf.Symbol, nil
}

// nodeError returns a SymbolError about node i.
func nodeError(jg *jsonGraph, i int, format string, args ...any) error {
	e := &SymbolError{Offset: -1, Node: i, Err: fmt.Errorf(format, args...)}
	if i >= 0 && i < len(jg.nodes) {
		e.NodeName = jg.nodes[i].name
		e.Offset = jg.nodes[i].offset
	}
	return e
}

// buildSymbol connects the nodes (nnvm LoadJSON) and validates what MXNet
// leaves to undefined behaviour: ids in range, arg_nodes pointing at
// variables, no cycles, and output indices the nodes have.
func buildSymbol(jg *jsonGraph, lim *Limits) (*graph.Symbol, error) {
	if len(jg.heads) > lim.MaxOutputs {
		return nil, &SymbolError{Offset: jg.heads[lim.MaxOutputs].offset, Node: -1, Err: fmt.Errorf("%d heads exceed the limit of %d (Limits.MaxOutputs)", len(jg.heads), lim.MaxOutputs)}
	}
	nodes := make([]*graph.Node, len(jg.nodes))
	for i, jn := range jg.nodes {
		if jn.op == "null" {
			nodes[i] = graph.NewVariableNode(jn.name, jn.attrs)
			if len(jn.inputs) > 0 {
				return nil, nodeError(jg, i, "a variable cannot have inputs")
			}
		} else {
			if jn.op == "" {
				return nil, nodeError(jg, i, "empty op name")
			}
			nodes[i] = graph.NewOpNode(jn.op, jn.name, jn.attrs)
		}
	}
	// The file's output counts, when node_row_ptr is present and sane.
	if jg.hasRowPtr && len(jg.rowPtr) == len(nodes)+1 && jg.rowPtr[0] == 0 {
		counts := make([]int, len(nodes))
		valid := true
		for i := range nodes {
			counts[i] = jg.rowPtr[i+1] - jg.rowPtr[i]
			valid = valid && counts[i] >= 1 && counts[i] <= lim.MaxOutputsPerNode
		}
		if valid {
			for i, c := range counts {
				nodes[i].FileOutputs = c
			}
		}
	}
	// Largest output index used per node, to size unknown ops.
	maxIndex := make([]int, len(nodes))
	entry := func(e jsonEntry, what string, owner int) (graph.Entry, error) {
		if e.node >= len(nodes) {
			err := fmt.Errorf("%s refers to node %d, but there are %d nodes", what, e.node, len(nodes))
			if owner < 0 {
				return graph.Entry{}, &SymbolError{Offset: e.offset, Node: -1, Err: err}
			}
			return graph.Entry{}, nodeError(jg, owner, "%w", err)
		}
		if e.index >= lim.MaxOutputsPerNode || e.index >= ops.MaxArity {
			err := fmt.Errorf("%s uses output %d (at most %d outputs per node: Limits.MaxOutputsPerNode)", what, e.index, min(lim.MaxOutputsPerNode, ops.MaxArity))
			if owner < 0 {
				return graph.Entry{}, &SymbolError{Offset: e.offset, Node: -1, Err: err}
			}
			return graph.Entry{}, nodeError(jg, owner, "%w", err)
		}
		maxIndex[e.node] = max(maxIndex[e.node], e.index)
		return graph.Entry{Node: nodes[e.node], Index: e.index, Version: e.version}, nil
	}
	for i, jn := range jg.nodes {
		n := nodes[i]
		for j, e := range jn.inputs {
			ge, err := entry(e, fmt.Sprintf("input %d", j), i)
			if err != nil {
				return nil, err
			}
			n.Inputs = append(n.Inputs, ge)
		}
		for _, d := range jn.deps {
			if d >= len(nodes) {
				return nil, nodeError(jg, i, "control dependency on node %d, but there are %d nodes", d, len(nodes))
			}
			n.ControlDeps = append(n.ControlDeps, nodes[d])
		}
		for k, sg := range jn.subgraphs {
			sub, err := buildSymbol(sg, lim)
			if err != nil {
				return nil, nodeError(jg, i, "subgraph %d: %w", k, err)
			}
			n.Subgraphs = append(n.Subgraphs, sub)
		}
	}
	for k, a := range jg.argNodes {
		if a >= len(nodes) {
			return nil, &SymbolError{Offset: -1, Node: -1, Err: fmt.Errorf("arg_nodes[%d] = %d, but there are %d nodes", k, a, len(nodes))}
		}
		if !nodes[a].IsVariable() {
			return nil, nodeError(jg, a, "listed in arg_nodes but is an operator (%s), not a variable", jg.nodes[a].op)
		}
	}
	sym := &graph.Symbol{NPShape: jg.npShape}
	for k, h := range jg.heads {
		ge, err := entry(h, fmt.Sprintf("heads[%d]", k), -1)
		if err != nil {
			return nil, err
		}
		sym.Outputs = append(sym.Outputs, ge)
	}
	if err := checkAcyclic(jg, nodes); err != nil {
		return nil, err
	}
	total := 0
	for i, n := range nodes {
		outs := max(n.NumOutputs(), n.FileOutputs)
		if outs > lim.MaxOutputsPerNode {
			return nil, nodeError(jg, i, "%d outputs exceed the limit of %d (Limits.MaxOutputsPerNode)", outs, lim.MaxOutputsPerNode)
		}
		if total += outs; total > lim.MaxOutputs {
			return nil, nodeError(jg, i, "the nodes up to this one have %d outputs, over the limit of %d (Limits.MaxOutputs)", total, lim.MaxOutputs)
		}
		if n.IsVariable() {
			if maxIndex[i] > 0 {
				return nil, nodeError(jg, i, "output %d of a variable is used", maxIndex[i])
			}
			continue
		}
		if !n.Ready() && n.FileOutputs == 0 {
			n.FileOutputs = maxIndex[i] + 1 // an unknown op without node_row_ptr
			jg.guessed = append(jg.guessed, guessedOutputs{n, maxIndex[i]})
		}
		if limit := max(n.NumOutputs(), n.FileOutputs); maxIndex[i] >= limit {
			return nil, nodeError(jg, i, "output %d is used, but the node has %d outputs", maxIndex[i], limit)
		}
	}
	return sym, nil
}

// errCycle is wrapped by the error for a cyclic graph.
var errCycle = errors.New("graph has a cycle")

// checkAcyclic rejects graphs whose inputs or control dependencies form a
// cycle (MXNet would recurse or loop on them).
func checkAcyclic(jg *jsonGraph, nodes []*graph.Node) error {
	ids := make(map[*graph.Node]int, len(nodes))
	for i, n := range nodes {
		ids[n] = i
	}
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(nodes))
	type frame struct{ id, next int }
	for root := range nodes {
		if color[root] != white {
			continue
		}
		stack := []frame{{root, 0}}
		color[root] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			n := nodes[top.id]
			if top.next == len(n.Inputs)+len(n.ControlDeps) {
				color[top.id] = black
				stack = stack[:len(stack)-1]
				continue
			}
			var in *graph.Node
			if top.next < len(n.Inputs) {
				in = n.Inputs[top.next].Node
			} else {
				in = n.ControlDeps[top.next-len(n.Inputs)]
			}
			top.next++
			switch id := ids[in]; color[id] {
			case grey:
				return nodeError(jg, id, "%w through this node", errCycle)
			case white:
				color[id] = grey
				stack = append(stack, frame{id, 0})
			}
		}
	}
	return nil
}

// symbolVersionOrDefault is the version MXNet assumes for a file.
func symbolVersionOrDefault(v int) int {
	if v == 0 {
		return 800
	}
	return v
}

// sortedKeys returns m's keys sorted byte-wise.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
