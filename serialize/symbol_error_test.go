package serialize

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/graph"
)

// tiny is a valid 1.x graph: x -> relu.
const tiny = `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Activation", "name": "r", "attrs": {"act_type": "relu"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "node_row_ptr": [0, 1, 2], "heads": [[1, 0, 0]], "attrs": {"mxnet_version": ["int", 10901]}}`

func TestReaderAcceptsDmlcForms(t *testing.T) {
	ok := []string{
		tiny,
		// Python json.dump's spacing, keys in any order, 2-element entries.
		"{\n\"heads\":[[1,0]],\"arg_nodes\":[0],\"nodes\":[{\"inputs\":[],\"name\":\"x\",\"op\":\"null\"},{\"name\":\"r\",\"op\":\"Activation\",\"attr\":{\"act_type\":\"relu\"},\"inputs\":[[0,0]]}]}\n",
		// attrs then attr: the later one wins wholesale; param only fills.
		`{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Activation", "name": "r", "attrs": {"bogus": "1"}, "attr": {"act_type": "relu"}, "param": {"act_type": "tanh"}, "inputs": [[0, 0]], "backward_source_id": -1}], "arg_nodes": [0], "heads": [[1, 0]]}`,
		// Escapes, raw control bytes and UTF-8 in names.
		"{\"nodes\": [{\"op\": \"null\", \"name\": \"a\\\"b\\\\c\\td\x01é\", \"inputs\": []}], \"arg_nodes\": [0], \"heads\": [[0, 0, 0]]}",
		// Other registered graph attribute types are read and dropped.
		`{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [0], "heads": [[0, 0, 0]], "attrs": {"s": ["str", "v"], "l": ["list_int", [1, -2]], "ls": ["list_str", ["a"]], "mxnet_version": ["int", 10600]}}`,
		// Forward references (nodes not in topological order) load.
		`{"nodes": [{"op": "Activation", "name": "r", "attrs": {"act_type": "relu"}, "inputs": [[1, 0, 0]]}, {"op": "null", "name": "x", "inputs": []}], "arg_nodes": [1], "heads": [[0, 0, 0]]}`,
	}
	for _, js := range ok {
		f, err := ParseSymbol([]byte(js))
		if err != nil {
			t.Errorf("%s: %v", js, err)
			continue
		}
		if _, err := MarshalSymbol(f.Symbol, nil); err != nil {
			t.Errorf("%s: marshal: %v", js, err)
		}
	}
	f, _ := ParseSymbol([]byte(ok[2]))
	if got := f.Symbol.Outputs[0].Node.Attrs; len(got) != 1 || got["act_type"] != "relu" {
		t.Errorf("attrs/attr/param merge: %v", got)
	}
	f, _ = ParseSymbol([]byte(ok[3]))
	if got := f.Symbol.Outputs[0].Node.Name; got != "a\"b\\c\td\x01é" {
		t.Errorf("escapes: %q", got)
	}
	out, _ := MarshalSymbol(f.Symbol, nil)
	if !bytes.Contains(out, []byte("\"name\": \"a\\\"b\\\\c\\td\x01é\"")) {
		t.Errorf("writer escapes: %s", out)
	}
}

func TestReaderErrors(t *testing.T) {
	cases := []struct{ js, want string }{
		{``, "expect '{' but got end of input"},
		{`[]`, "expect '{'"},
		{`{"nodes": [], "arg_nodes": []}`, `missing field "heads"`},
		{`{"nodes": [], "arg_nodes": [], "heads": [], "extra": 1}`, `unknown field "extra"`},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": [], "shape": "1"}], "arg_nodes": [], "heads": []}`, `unknown node field "shape"`},
		{`{"nodes": [{"op": "null", "inputs": []}], "arg_nodes": [], "heads": []}`, `missing field "name"`},
		{`{"nodes": [{"op": "null", "name": "a\/b", "inputs": []}], "arg_nodes": [], "heads": []}`, `unknown string escape \/`},
		{`{"nodes": [{"op": "null", "name": "a\u0041", "inputs": []}], "arg_nodes": [], "heads": []}`, `unknown string escape \u`},
		{"{\"nodes\": [{\"op\": \"null\", \"name\": \"a\nb\", \"inputs\": []}], \"arg_nodes\": [], \"heads\": []}", "raw line break"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [0], "heads": [[0, 0, 0]]`, "expect ',' or '}' but got end of input"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": []},], "arg_nodes": [0], "heads": []}`, "expect '{'"},
		{`{"nodes": [], "arg_nodes": [-1], "heads": []}`, "out of range"},
		{`{"nodes": [], "arg_nodes": [1.5], "heads": []}`, "expect ',' or ']'"},
		{`{"nodes": [], "arg_nodes": [99999999999], "heads": []}`, "out of range"},
		{`{"nodes": [], "arg_nodes": [], "heads": [[0]]}`, "entry has 1 elements"},
		{`{"nodes": [], "arg_nodes": [], "heads": [[0, 0, 0, 0]]}`, "more than 3 elements"},
		{`{"nodes": [], "arg_nodes": [], "heads": [[0, 0, 0]]}`, "heads[0] refers to node 0, but there are 0 nodes"},
		{`{"nodes": [{"op": "Activation", "name": "r", "attrs": {"act_type": "relu"}, "inputs": [[5, 0, 0]]}], "arg_nodes": [], "heads": [[0, 0, 0]]}`, `node 0 "r": input 0 refers to node 5, but there are 1 nodes`},
		{`{"nodes": [{"op": "Activation", "name": "r", "attrs": {"act_type": "relu"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [], "heads": [[0, 0, 0]]}`, "cycle"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "relu", "name": "a", "inputs": [[0, 0], [2, 0]]}, {"op": "relu", "name": "b", "inputs": [[1, 0]]}], "arg_nodes": [0], "heads": [[2, 0, 0]]}`, "cycle"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": [], "control_deps": [0]}], "arg_nodes": [0], "heads": [[0, 0, 0]]}`, "cycle"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Activation", "name": "r", "attrs": {"act_type": "relu"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [1], "heads": [[1, 0, 0]]}`, "listed in arg_nodes but is an operator (Activation)"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [3], "heads": [[0, 0, 0]]}`, "arg_nodes[0] = 3"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Activation", "name": "r", "attrs": {"act_type": "relu"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 1, 0]]}`, "output 1 is used, but the node has 1 outputs"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [0], "heads": [[0, 1, 0]]}`, "output 1 of a variable"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": [[0, 0]]}], "arg_nodes": [0], "heads": [[0, 0, 0]]}`, "variable cannot have inputs"},
		{`{"nodes": [], "arg_nodes": [], "heads": [], "attrs": {"mxnet_version": ["float", 1]}}`, `unregistered type "float"`},
		{`{"nodes": [], "arg_nodes": [], "heads": [], "attrs": {"mxnet_version": ["str", "1"]}}`, "must be an int"},
		{`{"nodes": [], "arg_nodes": [], "heads": [], "attrs": {"mxnet_version": ["int"]}}`, "invalid any value"},
		{`{"nodes": [], "arg_nodes": [], "heads": []} x`, "unexpected data after the graph"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": [], "attrs": {"a": 1}}], "arg_nodes": [], "heads": []}`, `expect '"'`},
		{`{"nodes": [{"op": "", "name": "x", "inputs": []}], "arg_nodes": [], "heads": []}`, "empty op name"},
		{`{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Mystery", "name": "m", "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 70000, 0]]}`, "at most 4096 outputs per node"},
	}
	for _, c := range cases {
		_, err := ParseSymbol([]byte(c.js))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s\n  error %v\n  want %q", c.js, err, c.want)
			continue
		}
		var se *SymbolError
		if !errors.As(err, &se) {
			t.Errorf("%s: %T is not a *SymbolError", c.js, err)
		}
	}
	_, err := ParseSymbol([]byte(`{"nodes": [], "arg_nodes": [], "heads": [], "extra": 1}`))
	if se := (*SymbolError)(nil); !errors.As(err, &se) || se.Offset != 44 || !strings.HasPrefix(err.Error(), "symbol JSON: offset 44: ") {
		t.Errorf("offset: %v", err)
	}
}

func TestUnknownOpsLoadListAndReprint(t *testing.T) {
	f := parseFile(t, "bmxnet-mnist-binary/binarized_mnist_32bit-symbol.json")
	s := f.Symbol
	if got := s.ListArguments(); len(got) != 14 || got[5] != "qconvolution0_weight" {
		t.Errorf("arguments %v", got)
	}
	if got := s.ListAuxiliaryStates(); len(got) != 6 {
		t.Errorf("aux %v", got)
	}
	g, err := graph.Index(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Check(); err == nil || err.Error() != `unknown operator "QActivation" (node qactivation0)` {
		t.Errorf("check: %v", err)
	}
	out, err := MarshalSymbol(s, &SymbolOptions{MXNetVersion: 903})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"op": "QConvolution"`, `"binarized_weights_only": "True"`, "\"node_row_ptr\": [\n"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output lacks %s", want)
		}
	}
	again, err := ParseSymbol(out)
	if err != nil {
		t.Fatal(err)
	}
	out2, _ := MarshalSymbol(again.Symbol, &SymbolOptions{MXNetVersion: 903})
	if !bytes.Equal(out, out2) {
		t.Error("unknown-op graph does not round-trip")
	}
}

func TestWriterRemovesAMPCast(t *testing.T) {
	js := `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "amp_cast", "name": "c", "attrs": {"dtype": "float16"}, "inputs": [[0, 0, 0]]}, {"op": "Activation", "name": "r", "attrs": {"act_type": "relu"}, "inputs": [[1, 0, 0]]}], "arg_nodes": [0], "heads": [[2, 0, 0]]}`
	f, err := ParseSymbol([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := MarshalSymbol(f.Symbol, nil)
	if bytes.Contains(out, []byte("amp_cast")) || !bytes.Contains(out, []byte(`"inputs": [[0, 0, 0]]`)) {
		t.Errorf("amp_cast kept:\n%s", out)
	}
	out, _ = MarshalSymbol(f.Symbol, &SymbolOptions{KeepAMPCast: true})
	if !bytes.Contains(out, []byte("amp_cast")) {
		t.Error("KeepAMPCast dropped the cast")
	}
	if len(f.Symbol.Nodes()) != 3 {
		t.Error("writing changed the symbol")
	}
}

func TestWriterLayoutDetails(t *testing.T) {
	// More than 10 inputs print one per line at 8 spaces; control deps and
	// subgraphs round-trip.
	var nodes []string
	var ins []string
	for i := 0; i < 11; i++ {
		nodes = append(nodes, `{"op": "null", "name": "v`+string(rune('a'+i))+`", "inputs": []}`)
		ins = append(ins, "["+strconv.Itoa(i)+", 0, 0]")
	}
	js := `{"nodes": [` + strings.Join(nodes, ", ") + `, {"op": "add_n", "name": "s", "attrs": {"num_args": "11"}, "inputs": [` + strings.Join(ins, ", ") + `], "control_deps": [0], "subgraphs": [` + tiny + `]}], "arg_nodes": [0], "heads": [[11, 0, 0]]}`
	f, err := ParseSymbol([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := MarshalSymbol(f.Symbol, nil)
	for _, want := range []string{"\"inputs\": [\n        [0, 0, 0], \n        [1, 0, 0], ", "[10, 0, 0]\n      ], \n      \"control_deps\": [0], \n      \"subgraphs\": [\n        {\n          \"nodes\": [\n"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	f2, err := ParseSymbol(out)
	if err != nil {
		t.Fatal(err)
	}
	out2, _ := MarshalSymbol(f2.Symbol, nil)
	if !bytes.Equal(out, out2) {
		t.Error("control deps / subgraphs do not round-trip")
	}
	if n := f2.Symbol.Outputs[0].Node; len(n.Subgraphs) != 1 || len(n.ControlDeps) != 1 {
		t.Errorf("subgraphs %d deps %d", len(n.Subgraphs), len(n.ControlDeps))
	}
}

func TestHugeCountsAreNotAllocated(t *testing.T) {
	// A claimed output count beyond mxgo's limit makes the op's attributes
	// invalid (the node still loads) and a huge node_row_ptr is ignored.
	js := `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "SliceChannel", "name": "s", "attrs": {"axis": "0", "num_outputs": "70000"}, "inputs": [[0, 0, 0]]}, {"op": "Mystery", "name": "m", "inputs": [[1, 0, 0]]}], "arg_nodes": [0], "node_row_ptr": [0, 1, 2, 4000000002], "heads": [[2, 0, 0]]}`
	f, err := ParseSymbol([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	g, err := graph.Index(f.Symbol)
	if err != nil {
		t.Fatal(err)
	}
	if g.NumEntries() != 3 {
		t.Errorf("%d entries", g.NumEntries())
	}
	if err := g.Check(); err == nil || !strings.Contains(err.Error(), "node s (SliceChannel)") || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("check: %v", err)
	}
	// Over the default Limits.MaxOutputsPerNode the file is refused.
	js = strings.Replace(js, "70000", "65536", 1)
	if _, err := ParseSymbol([]byte(js)); err == nil || !strings.Contains(err.Error(), "65536 outputs exceed the limit of 4096") {
		t.Errorf("default limits: %v", err)
	}
	// With the limit raised, the largest count mxgo allows works and stays
	// cheap to list.
	f, err = ParseSymbol([]byte(js), WithLimits(Limits{MaxOutputsPerNode: 65536}))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Symbol.Internals().ListOutputs()); n != 65536+2 {
		t.Errorf("%d internals", n)
	}
	g, _ = graph.Index(f.Symbol)
	tab, err := graph.InferShapes(g, map[string][]int{"x": {65536, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tab.Unknown()); n != 1 {
		t.Errorf("%d unknown entries", n)
	}
}
