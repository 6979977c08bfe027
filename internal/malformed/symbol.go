package malformed

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// MLPSymbol is a valid MXNet 1.x symbol: data → fc1 (8) → relu → fc2 (3)
// → softmax, for running the NDArray cases as its parameters.
const MLPSymbol = mlpSymbol

const mlpSymbol = `{
  "nodes": [
    {"op": "null", "name": "data", "inputs": []},
    {"op": "null", "name": "fc1_weight", "attrs": {"num_hidden": "8"}, "inputs": []},
    {"op": "null", "name": "fc1_bias", "attrs": {"num_hidden": "8"}, "inputs": []},
    {"op": "FullyConnected", "name": "fc1", "attrs": {"num_hidden": "8"}, "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]},
    {"op": "Activation", "name": "relu1", "attrs": {"act_type": "relu"}, "inputs": [[3, 0, 0]]},
    {"op": "null", "name": "fc2_weight", "attrs": {"num_hidden": "3"}, "inputs": []},
    {"op": "null", "name": "fc2_bias", "attrs": {"num_hidden": "3"}, "inputs": []},
    {"op": "FullyConnected", "name": "fc2", "attrs": {"num_hidden": "3"}, "inputs": [[4, 0, 0], [5, 0, 0], [6, 0, 0]]},
    {"op": "null", "name": "softmax_label", "inputs": []},
    {"op": "SoftmaxOutput", "name": "softmax", "inputs": [[7, 0, 0], [8, 0, 0]]}
  ],
  "arg_nodes": [0, 1, 2, 5, 6, 8],
  "node_row_ptr": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  "heads": [[9, 0, 0]],
  "attrs": {"mxnet_version": ["int", 10901]}
}`

// chain builds a compact symbol of n nodes: a variable then n-1 relu
// nodes in a chain (about 45 bytes a node, so a million fit in the default
// Limits.MaxSymbolBytes and the node limit is what refuses them).
func chain(n int) []byte {
	var b strings.Builder
	b.Grow(n * 48)
	b.WriteString(`{"nodes":[{"op":"null","name":"x","inputs":[]}`)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, `,{"op":"relu","name":"r%d","inputs":[[%d,0,0]]}`, i, i-1)
	}
	fmt.Fprintf(&b, `],"arg_nodes":[0],"heads":[[%d,0,0]]}`, n-1)
	return []byte(b.String())
}

func symbolCases(full bool, rng *rand.Rand) []Case {
	var out []Case
	add := func(invalid bool, name string, data string) {
		out = append(out, Case{Name: "symbol/" + name, Kind: Symbol, Data: []byte(data), Invalid: invalid})
	}
	add(false, "valid", mlpSymbol)
	// Truncations and byte mutations of the valid symbol.
	step := 1
	if !full {
		step = 17
	}
	for n := 0; n < len(mlpSymbol); n += step {
		add(true, fmt.Sprintf("trunc/%d", n), mlpSymbol[:n])
	}
	flips := 150
	if full {
		flips = 5000
	}
	for i := 0; i < flips; i++ {
		c := []byte(mlpSymbol)
		const alphabet = "{}[],:\"0123456789-x\\\n\x00"
		c[rng.IntN(len(c))] = alphabet[rng.IntN(len(alphabet))]
		out = append(out, Case{Name: fmt.Sprintf("symbol/flip/%d", i), Kind: Symbol, Data: c})
	}

	// Structure attacks.
	add(true, "cycle-self", `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "elemwise_add", "name": "a", "inputs": [[0, 0, 0], [1, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 0, 0]]}`)
	add(true, "cycle-two", `{"nodes": [{"op": "Activation", "name": "a", "attrs": {"act_type": "relu"}, "inputs": [[1, 0, 0]]}, {"op": "Activation", "name": "b", "attrs": {"act_type": "relu"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [], "heads": [[1, 0, 0]]}`)
	add(true, "cycle-control-deps", `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Activation", "name": "a", "attrs": {"act_type": "relu"}, "inputs": [[0, 0, 0]], "control_deps": [2]}, {"op": "Activation", "name": "b", "attrs": {"act_type": "relu"}, "inputs": [[1, 0, 0]]}], "arg_nodes": [0], "heads": [[2, 0, 0]]}`)
	add(true, "dangling-input", `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Activation", "name": "a", "attrs": {"act_type": "relu"}, "inputs": [[7, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 0, 0]]}`)
	add(true, "dangling-input-4e9", `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Activation", "name": "a", "attrs": {"act_type": "relu"}, "inputs": [[4294967295, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 0, 0]]}`)
	add(true, "dangling-control-dep", `{"nodes": [{"op": "null", "name": "x", "inputs": [], "control_deps": [99]}], "arg_nodes": [0], "heads": [[0, 0, 0]]}`)
	add(true, "input-index-huge", `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "SliceChannel", "name": "s", "attrs": {"num_outputs": "2"}, "inputs": [[0, 0, 0]]}, {"op": "Activation", "name": "a", "attrs": {"act_type": "relu"}, "inputs": [[1, 4000000000, 0]]}], "arg_nodes": [0], "heads": [[2, 0, 0]]}`)
	add(true, "heads-node-out-of-range", `{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [0], "heads": [[5, 0, 0]]}`)
	add(true, "heads-output-out-of-range", `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Activation", "name": "a", "attrs": {"act_type": "relu"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 3, 0]]}`)
	add(true, "heads-variable-output", `{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [0], "heads": [[0, 1, 0]]}`)
	add(true, "arg-nodes-out-of-range", `{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [3], "heads": [[0, 0, 0]]}`)
	add(true, "arg-nodes-operator", `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Activation", "name": "a", "attrs": {"act_type": "relu"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [1], "heads": [[1, 0, 0]]}`)
	add(true, "variable-with-inputs", `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "null", "name": "y", "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 0, 0]]}`)
	add(true, "empty-op", `{"nodes": [{"op": "", "name": "x", "inputs": []}], "arg_nodes": [], "heads": [[0, 0, 0]]}`)
	add(true, "not-an-object", `[1, 2, 3]`)
	add(true, "unknown-field", `{"nodes": [], "arg_nodes": [], "heads": [], "evil`+"\x1b"+`": 1}`)
	add(true, "missing-heads", `{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [0]}`)
	deep := strings.Repeat(`{"nodes": [{"op": "_foreach", "name": "f", "inputs": [], "subgraphs": [`, 40) + strings.Repeat(`]}], "arg_nodes": [], "heads": []}`, 40)
	add(true, "subgraphs-deep", deep)

	// Output counts.
	var sc strings.Builder
	sc.WriteString(`{"nodes": [{"op": "null", "name": "x", "inputs": []}`)
	for i := 1; i <= 5000; i++ {
		fmt.Fprintf(&sc, `, {"op": "SliceChannel", "name": "s%d", "attrs": {"num_outputs": "65536"}, "inputs": [[0, 0, 0]]}`, i)
	}
	sc.WriteString(`], "arg_nodes": [0], "heads": [[1, 0, 0]]}`)
	add(true, "slicechannel-5000x65536", sc.String())
	add(true, "row-ptr-huge", `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Mystery", "name": "m", "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "node_row_ptr": [0, 1, 4000000000], "heads": [[1, 3999999999, 0]]}`)
	var heads strings.Builder
	heads.WriteString(`{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [0], "heads": [[0, 0, 0]`)
	for i := 0; i < 1<<20; i++ {
		heads.WriteString(`,[0,0]`)
	}
	heads.WriteString(`]}`)
	add(true, "heads-1M", heads.String())

	// Sizes: many nodes, huge names and attributes, control characters.
	nodes := 150_000
	if full {
		nodes = 1_000_000
	}
	out = append(out, Case{Name: fmt.Sprintf("symbol/nodes-%d", nodes), Kind: Symbol, Data: chain(nodes), Invalid: true})
	out = append(out, Case{Name: "symbol/nodes-20000-valid", Kind: Symbol, Data: chain(20_000)})
	huge := strings.Repeat("A", 8<<20)
	add(true, "name-8MiB", `{"nodes": [{"op": "null", "name": "`+huge+`", "inputs": []}], "arg_nodes": [0], "heads": [[0, 0, 0]]}`)
	add(true, "attr-8MiB", `{"nodes": [{"op": "null", "name": "x", "attrs": {"__shape__": "`+huge+`"}, "inputs": []}], "arg_nodes": [0], "heads": [[0, 0, 0]]}`)
	add(true, "name-control-chars", `{"nodes": [{"op": "null", "name": "x`+"\x07\x1b[31m"+strings.Repeat("z", 3000)+`", "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "heads": [[0, 0, 0]]}`)
	add(true, "op-control-chars", `{"nodes": [{"op": "`+"\x1b]0;owned\x07"+strings.Repeat("o", 1000)+`", "name": "x", "inputs": [[0, 0, 0]]}], "arg_nodes": [], "heads": [[0, 0, 0]]}`)
	add(true, "string-unterminated-huge", `{"nodes": [{"op": "null", "name": "`+huge)
	add(true, "number-huge", `{"nodes": [], "arg_nodes": [`+strings.Repeat("9", 1<<16)+`], "heads": []}`)
	return out
}
