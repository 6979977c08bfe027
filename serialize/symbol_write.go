package serialize

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/mxgo/mxgo/graph"
)

// DefaultMXNetVersion is the mxnet_version stamped by default: MXNet 1.9.1.
const DefaultMXNetVersion = 10901

// SymbolOptions controls WriteSymbol.
type SymbolOptions struct {
	// MXNetVersion is the mxnet_version attribute to print
	// (major*10000 + minor*100 + patch); 0 means DefaultMXNetVersion.
	MXNetVersion int
	// NativeBuild counts the outputs of nodes built in Go as an MXNet
	// build without oneDNN does (MXNet before 1.7, or built from source
	// without it): max Pooling then has no hidden workspace output. Nodes
	// loaded from a file always keep the file's counts.
	NativeBuild bool
	// KeepAMPCast keeps amp_cast/amp_multicast nodes; by default they are
	// bypassed as MXNet's tojson/save do (remove_amp_cast=True).
	KeepAMPCast bool
}

// jsonWriter reproduces dmlc's JSONWriter layout byte for byte: a
// separator (newline plus two spaces per open scope) before each item of a
// multi-line scope, ", " between items, closing brackets on their own
// line, keys written raw and strings with only five escapes.
type jsonWriter struct {
	buf    bytes.Buffer
	multi  []bool
	count  []int
	native bool // SymbolOptions.NativeBuild
}

func (w *jsonWriter) separator() {
	if len(w.multi) == 0 || w.multi[len(w.multi)-1] {
		w.buf.WriteByte('\n')
		for range 2 * len(w.multi) {
			w.buf.WriteByte(' ')
		}
	}
}

func (w *jsonWriter) begin(open byte, multi bool) {
	w.buf.WriteByte(open)
	w.multi = append(w.multi, multi)
	w.count = append(w.count, 0)
}

func (w *jsonWriter) end(close byte) {
	top := len(w.multi) - 1
	multi, n := w.multi[top], w.count[top]
	w.multi, w.count = w.multi[:top], w.count[:top]
	if multi && n != 0 {
		w.separator()
	}
	w.buf.WriteByte(close)
}

// item starts an array item.
func (w *jsonWriter) item() {
	top := len(w.count) - 1
	if w.count[top] != 0 {
		w.buf.WriteString(", ")
	}
	w.count[top]++
	w.separator()
}

// key starts an object member.
func (w *jsonWriter) key(k string) {
	top := len(w.count) - 1
	if w.count[top] > 0 {
		w.buf.WriteString(", ")
	}
	w.separator()
	w.buf.WriteByte('"')
	w.buf.WriteString(k)
	w.buf.WriteString(`": `)
	w.count[top]++
}

func (w *jsonWriter) str(s string) {
	w.buf.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\r':
			w.buf.WriteString(`\r`)
		case '\n':
			w.buf.WriteString(`\n`)
		case '\\':
			w.buf.WriteString(`\\`)
		case '\t':
			w.buf.WriteString(`\t`)
		case '"':
			w.buf.WriteString(`\"`)
		default:
			w.buf.WriteByte(c)
		}
	}
	w.buf.WriteByte('"')
}

func (w *jsonWriter) num(n int) { w.buf.WriteString(strconv.Itoa(n)) }

// ints writes a vector of u32: inline up to 10 items, one per line above.
func (w *jsonWriter) ints(v []int) {
	w.begin('[', len(v) > 10)
	for _, x := range v {
		w.item()
		w.num(x)
	}
	w.end(']')
}

// entries writes a vector of [node, index, version] (a POD struct, so
// inline up to 10 entries).
func (w *jsonWriter) entries(v [][3]int) {
	w.begin('[', len(v) > 10)
	for _, e := range v {
		w.item()
		w.begin('[', false)
		for _, x := range e {
			w.item()
			w.num(x)
		}
		w.end(']')
	}
	w.end(']')
}

// stringMap writes a string map in sorted key order, multi-line when it
// has more than one entry.
func (w *jsonWriter) stringMap(m map[string]string) {
	w.begin('{', len(m) > 1)
	for _, k := range sortedKeys(m) {
		w.key(k)
		w.str(m[k])
	}
	w.end('}')
}

// anyInt writes a typed graph attribute ["int", v].
func (w *jsonWriter) anyInt(v int) {
	w.begin('[', false)
	w.item()
	w.str("int")
	w.item()
	w.num(v)
	w.end(']')
}

// WriteSymbol writes sym as MXNet's sym.save/tojson does (nnvm SaveJSON
// through dmlc's JSONWriter): nodes in post-order DFS, canonical op names,
// sorted attributes, node_row_ptr from each node's output count (the
// loaded file's own count for loaded nodes, MXNet 1.9.1's oneDNN build for
// new ones), heads, and the graph attributes is_np_shape (when the symbol
// carries it) and mxnet_version. There is no trailing newline.
func WriteSymbol(w io.Writer, sym *graph.Symbol, opts *SymbolOptions) error {
	b, err := MarshalSymbol(sym, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// MarshalSymbol returns the bytes WriteSymbol writes.
func MarshalSymbol(sym *graph.Symbol, opts *SymbolOptions) ([]byte, error) {
	var o SymbolOptions
	if opts != nil {
		o = *opts
	}
	if o.MXNetVersion == 0 {
		o.MXNetVersion = DefaultMXNetVersion
	}
	if !o.KeepAMPCast {
		sym = removeAMPCast(sym)
	}
	w := &jsonWriter{native: o.NativeBuild}
	if err := w.graph(sym, map[string]int{"mxnet_version": o.MXNetVersion, "is_np_shape": sym.NPShape}, 0); err != nil {
		return nil, err
	}
	return w.buf.Bytes(), nil
}

// graph writes one graph object (JSONGraph::Save). attrs are written in
// libstdc++'s unordered_map order for MXNet's two keys (is_np_shape first)
// and only when non-zero.
func (w *jsonWriter) graph(sym *graph.Symbol, attrs map[string]int, depth int) error {
	if depth > maxSubgraphDepth {
		return fmt.Errorf("symbol JSON: subgraphs nested more than %d deep", maxSubgraphDepth)
	}
	nodes := sym.Nodes()
	ids := make(map[*graph.Node]int, len(nodes))
	for i, n := range nodes {
		ids[n] = i
	}
	entry := func(e graph.Entry) ([3]int, error) {
		id, ok := ids[e.Node]
		if !ok || e.Index < 0 || e.Version < 0 {
			return [3]int{}, fmt.Errorf("symbol JSON: invalid entry to node %v", e.Node)
		}
		return [3]int{id, e.Index, e.Version}, nil
	}
	w.begin('{', true)
	w.key("nodes")
	w.begin('[', true)
	var argNodes []int
	rowPtr := []int{0}
	for i, n := range nodes {
		if n.IsVariable() {
			argNodes = append(argNodes, i)
		}
		rowPtr = append(rowPtr, rowPtr[i]+w.outputs(n))
		w.item()
		w.begin('{', true)
		w.key("op")
		if n.IsVariable() {
			w.str("null")
		} else {
			w.str(n.OpName)
		}
		w.key("name")
		w.str(n.Name)
		if len(n.Attrs) > 0 {
			w.key("attrs")
			w.stringMap(n.Attrs)
		}
		w.key("inputs")
		inputs := make([][3]int, len(n.Inputs))
		for j, e := range n.Inputs {
			var err error
			if inputs[j], err = entry(e); err != nil {
				return err
			}
		}
		w.entries(inputs)
		if len(n.ControlDeps) > 0 {
			deps := make([]int, len(n.ControlDeps))
			for j, d := range n.ControlDeps {
				deps[j] = ids[d]
			}
			w.key("control_deps")
			w.ints(deps)
		}
		if len(n.Subgraphs) > 0 {
			w.key("subgraphs")
			w.begin('[', true)
			for _, sub := range n.Subgraphs {
				w.item()
				if err := w.graph(sub, nil, depth+1); err != nil {
					return err
				}
			}
			w.end(']')
		}
		w.end('}')
	}
	w.end(']')
	w.key("arg_nodes")
	w.ints(argNodes)
	w.key("node_row_ptr")
	w.ints(rowPtr)
	w.key("heads")
	heads := make([][3]int, len(sym.Outputs))
	for i, e := range sym.Outputs {
		var err error
		if heads[i], err = entry(e); err != nil {
			return err
		}
	}
	w.entries(heads)
	var keys []string
	for _, k := range []string{"is_np_shape", "mxnet_version"} {
		if attrs[k] != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		w.key("attrs")
		w.begin('{', len(keys) > 1)
		for _, k := range keys {
			w.key(k)
			w.anyInt(attrs[k])
		}
		w.end('}')
	}
	w.end('}')
	return nil
}

// outputs is the node's node_row_ptr count.
func (w *jsonWriter) outputs(n *graph.Node) int {
	if w.native && n.FileOutputs == 0 && n.Ready() && !n.IsVariable() && n.Op.NativeOutputs != nil {
		return n.Op.NativeOutputs(n.Params)
	}
	return n.SavedOutputs()
}

// removeAMPCast returns sym with edges into amp_cast nodes rewired to the
// cast's input, and edges into output k of amp_multicast to its input k
// (MXNet's RemoveAmpCast pass). Heads are kept. Nodes are copied only when
// something changes.
func removeAMPCast(sym *graph.Symbol) *graph.Symbol {
	nodes := sym.Nodes()
	bypass := func(e graph.Entry) (graph.Entry, bool) {
		n := e.Node
		switch {
		case n.OpName == "amp_cast" && len(n.Inputs) > 0:
			return n.Inputs[0], true
		case n.OpName == "amp_multicast" && e.Index < len(n.Inputs):
			return n.Inputs[e.Index], true
		}
		return e, false
	}
	changed := false
	for _, n := range nodes {
		for _, e := range n.Inputs {
			if _, ok := bypass(e); ok {
				changed = true
			}
		}
	}
	if !changed {
		return sym
	}
	copies := make(map[*graph.Node]*graph.Node, len(nodes))
	for _, n := range nodes {
		c := *n
		copies[n] = &c
	}
	for _, n := range nodes {
		c := copies[n]
		c.Inputs = make([]graph.Entry, len(n.Inputs))
		for j, e := range n.Inputs {
			for {
				next, ok := bypass(e)
				if !ok {
					break
				}
				e = next
			}
			e.Node = copies[e.Node]
			c.Inputs[j] = e
		}
		c.ControlDeps = make([]*graph.Node, len(n.ControlDeps))
		for j, d := range n.ControlDeps {
			c.ControlDeps[j] = copies[d]
		}
	}
	out := &graph.Symbol{NPShape: sym.NPShape}
	for _, h := range sym.Outputs {
		h.Node = copies[h.Node]
		out.Outputs = append(out.Outputs, h)
	}
	return out
}

// SaveSymbol writes sym to path (PREFIX-symbol.json).
func SaveSymbol(path string, sym *graph.Symbol, opts *SymbolOptions) error {
	b, err := MarshalSymbol(sym, opts)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
