package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/serialize"
)

// shapeFlags collects repeatable -shape name=d0,d1,... flags (a
// flag.Value). A dim of -1 is unknown.
type shapeFlags map[string][]int

func (s shapeFlags) String() string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(s)) {
		dims := make([]string, len(s[k]))
		for i, d := range s[k] {
			dims[i] = strconv.Itoa(d)
		}
		parts = append(parts, k+"="+strings.Join(dims, ","))
	}
	return strings.Join(parts, " ")
}

// Set parses one "name=1,3,224,224" value.
func (s shapeFlags) Set(v string) error {
	name, dims, err := parseShapeArg(v)
	if err != nil {
		return err
	}
	s[name] = dims
	return nil
}

// parseShapeArg parses "name=d0,d1,..." (dims >= 0, or -1 for unknown).
func parseShapeArg(v string) (string, []int, error) {
	name, list, ok := strings.Cut(v, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return "", nil, fmt.Errorf("shape %s: want NAME=D0,D1,... (e.g. data=1,3,224,224)", quote.String(v))
	}
	var dims []int
	for _, f := range strings.Split(list, ",") {
		d, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || d < -1 {
			return "", nil, fmt.Errorf("shape %s: bad dim %s", quote.String(v), quote.String(f))
		}
		dims = append(dims, d)
	}
	return name, dims, nil
}

// symbolJSON is inspect -json's object for a symbol file.
type symbolJSON struct {
	Kind            string         `json:"kind"`
	MXNetVersion    int            `json:"mxnet_version"`
	Arguments       []string       `json:"arguments"`
	AuxiliaryStates []string       `json:"auxiliary_states"`
	Outputs         []string       `json:"outputs"`
	Ops             map[string]int `json:"ops"`
	// UnsupportedOps lists the operators mxgo cannot run (sorted; empty
	// when the graph can run).
	UnsupportedOps []string `json:"unsupported_ops"`
	// OutputShapes (with -shape) holds null for an output whose shape
	// cannot be inferred.
	OutputShapes [][]int `json:"output_shapes,omitempty"`
}

// inspectSymbol describes symbol JSON read from path (its bytes in data):
// a print_summary-like layer table, or with asJSON one JSON object. shapes
// (may be nil) are input shapes for shape inference.
func inspectSymbol(stdout io.Writer, path string, data []byte, asJSON bool, shapes map[string][]int) error {
	f, err := serialize.ParseSymbol(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	sym := f.Symbol
	version := f.MXNetVersion
	if version == 0 {
		version = 800 // what MXNet assumes for files without mxnet_version
	}
	g, err := graph.Index(sym)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	tab, err := graph.InferShapes(g, shapes)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if asJSON {
		out := symbolJSON{
			Kind:            "symbol",
			MXNetVersion:    version,
			Arguments:       nonNil(sym.ListArguments()),
			AuxiliaryStates: nonNil(sym.ListAuxiliaryStates()),
			Outputs:         nonNil(sym.ListOutputs()),
			Ops:             map[string]int{},
			UnsupportedOps:  nonNil(executor.UnsupportedOps(sym)),
		}
		for _, n := range sym.Nodes() {
			if !n.IsVariable() {
				out.Ops[n.OpName]++
			}
		}
		if len(shapes) > 0 {
			for _, s := range tab.Outputs() {
				if !ops.ShapeKnown(s) {
					s = nil // JSON null: not inferable
				}
				out.OutputShapes = append(out.OutputShapes, s)
			}
		}
		return json.NewEncoder(stdout).Encode(out)
	}
	return printSummary(stdout, path, f, g, tab)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// paramInputs are the input names whose variables are layer parameters.
var paramInputs = []string{"weight", "bias", "gamma", "beta", "moving_mean", "moving_var"}

// looksLikeParam is mx.viz's looks_like_weight, for inputs of unknown ops.
func looksLikeParam(name string) bool {
	for _, s := range []string{"_weight", "_bias", "_beta", "_gamma", "_moving_var", "_moving_mean", "_running_var", "_running_mean"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// printSummary prints the layer table: one row per op node and per graph
// input that is not a parameter, with the output shape, the number of
// learnable parameters (arguments, not auxiliary states) and the inputs.
func printSummary(w io.Writer, path string, f *serialize.SymbolFile, g *graph.Indexed, tab *graph.ShapeTable) error {
	isParam := map[int]bool{}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		names := n.InputNames()
		for j, e := range n.In {
			in := &g.Nodes[e.Node]
			if in.IsVariable() && ((j < len(names) && slices.Contains(paramInputs, names[j])) || looksLikeParam(in.Name)) {
				isParam[e.Node] = true
			}
		}
	}
	size := func(id int) (int, bool) {
		s := tab.Shapes[g.RowPtr[id]]
		if !ops.ShapeKnown(s) {
			return 0, false
		}
		p := 1
		for _, d := range s {
			p *= d
		}
		return p, true
	}
	version := "no mxnet_version (MXNet 0.8)"
	if v := f.MXNetVersion; v != 0 {
		version = fmt.Sprintf("MXNet %d.%d.%d (mxnet_version %d)", v/10000, v/100%100, v%100, v)
	}
	fmt.Fprintf(w, "%s: %s, %d nodes\n", path, version, len(g.Nodes))
	if len(f.Upgrades) > 2 {
		fmt.Fprintf(w, "upgraded on load: %s\n", strings.Join(f.Upgrades, ", "))
	}
	const width = 100
	cols := []int{40, 24, 12}
	row := func(fields ...string) {
		var b strings.Builder
		for i, s := range fields {
			if i < len(cols) {
				if len(s) >= cols[i] {
					s = s[:cols[i]-2] + "…"
				}
				s += strings.Repeat(" ", max(cols[i]-len([]rune(s)), 1))
			}
			b.WriteString(s)
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	rule := func(c string) { fmt.Fprintln(w, strings.Repeat(c, width)) }
	rule("_")
	row("Layer (type)", "Output Shape", "Param #", "Previous Layer")
	rule("=")
	first := true
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.IsVariable() && isParam[i] {
			continue
		}
		if !first {
			rule("_")
		}
		first = false
		params, known := 0, true
		var prev []string
		for _, e := range n.In {
			in := &g.Nodes[e.Node]
			switch {
			case in.IsVariable() && isParam[e.Node]:
				if in.Aux {
					continue
				}
				p, ok := size(e.Node)
				params += p
				known = known && ok
			case e.Index == 0:
				prev = append(prev, in.Name)
			default:
				prev = append(prev, fmt.Sprintf("%s[%d]", in.Name, e.Index))
			}
		}
		count := strconv.Itoa(params)
		if !known {
			count = "?"
		}
		op := n.OpName
		if n.IsVariable() {
			op = "null"
		}
		if len(prev) == 0 {
			prev = []string{""}
		}
		row(n.Name+" ("+op+")", ops.ShapeString(tab.Shapes[g.RowPtr[i]]), count, prev[0])
		for _, p := range prev[1:] {
			row("", "", "", p)
		}
	}
	rule("=")
	total, known := 0, true
	for id := range isParam {
		if !g.Nodes[id].Aux {
			p, ok := size(id)
			total += p
			known = known && ok
		}
	}
	if known {
		fmt.Fprintf(w, "Total params: %d\n", total)
	} else {
		fmt.Fprintf(w, "Total params: %d known (some parameter shapes unknown; give input shapes with -shape)\n", total)
	}
	sym := g.Symbol
	fmt.Fprintf(w, "Arguments: %d, auxiliary states: %d\n", len(sym.ListArguments()), len(sym.ListAuxiliaryStates()))
	shapes := tab.Outputs()
	for k, name := range sym.ListOutputs() {
		fmt.Fprintf(w, "Output %s: %s\n", name, ops.ShapeString(shapes[k]))
	}
	if err := g.Check(); err != nil {
		fmt.Fprintf(w, "note: %v: it cannot be run, and shapes after it are unknown\n", err)
	}
	return nil
}

// convertSymbol re-prints symbol JSON (read from inPath, bytes in data) as
// MXNet prints it, after MXNet's load-time upgrades, stamped with
// mxnetVersion (0: 10901, MXNet 1.9.1), and writes it to outPath.
func convertSymbol(inPath, outPath string, data []byte, mxnetVersion int) error {
	f, err := serialize.ParseSymbol(data)
	if err != nil {
		return fmt.Errorf("%s: %w", inPath, err)
	}
	if mxnetVersion < 0 {
		return fmt.Errorf("-mxnet-version %d: must be positive", mxnetVersion)
	}
	out, err := serialize.MarshalSymbol(f.Symbol, &serialize.SymbolOptions{MXNetVersion: mxnetVersion})
	if err != nil {
		return fmt.Errorf("%s: %w", inPath, err)
	}
	if err := os.WriteFile(outPath, out, 0o644); err != nil {
		return err
	}
	return nil
}
