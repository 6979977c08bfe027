package serialize_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
)

// Read a checkpoint's symbol and list what it needs.
func ExampleReadSymbol() {
	f, err := os.Open("../testdata/mxnet/lenet-module/LeNet-symbol.json")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	sym, err := serialize.ReadSymbol(f)
	if err != nil {
		panic(err)
	}
	fmt.Println(sym.ListArguments()[:3], sym.ListOutputs())
	// Output:
	// [data conv1_weight conv1_bias] [softmax_output]
}

// Write a symbol exactly as MXNet 1.9.1's tojson() prints it.
func ExampleWriteSymbol() {
	b := graph.NewBuilder()
	x, _ := b.Variable("x", graph.Shape(2))
	y, _ := b.Apply("Activation", graph.Call{Inputs: []*graph.Symbol{x}, Attrs: map[string]string{"act_type": "relu"}})
	var out strings.Builder
	if err := serialize.WriteSymbol(&out, y, nil); err != nil {
		panic(err)
	}
	// MXNet ends every line that ends in a comma with ", " (a trailing
	// space); they are trimmed here only so the example output can show it.
	fmt.Println(strings.ReplaceAll(out.String(), ", \n", ",\n"))
	// Output:
	// {
	//   "nodes": [
	//     {
	//       "op": "null",
	//       "name": "x",
	//       "attrs": {"__shape__": "(2,)"},
	//       "inputs": []
	//     },
	//     {
	//       "op": "Activation",
	//       "name": "activation0",
	//       "attrs": {"act_type": "relu"},
	//       "inputs": [[0, 0, 0]]
	//     }
	//   ],
	//   "arg_nodes": [0],
	//   "node_row_ptr": [0, 1, 2],
	//   "heads": [[1, 0, 0]],
	//   "attrs": {"mxnet_version": ["int", 10901]}
	// }
}
