package graph_test

import (
	"fmt"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
)

// Build a small network as MXNet's Python symbol API would, list its
// inputs and infer its shapes.
func Example() {
	b := graph.NewBuilder()
	data, _ := b.Variable("data")
	fc, _ := b.Apply("FullyConnected", graph.Call{Name: "fc1", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"num_hidden": "4"}})
	bn, _ := b.Apply("BatchNorm", graph.Call{Inputs: []*graph.Symbol{fc}})
	act, _ := b.Apply("Activation", graph.Call{Inputs: []*graph.Symbol{bn}, Attrs: map[string]string{"act_type": "relu"}})
	fmt.Println(act.ListArguments())
	fmt.Println(act.ListAuxiliaryStates())
	fmt.Println(act.ListOutputs())

	g, _ := graph.Index(act)
	shapes, _ := graph.InferShapes(g, map[string][]int{"data": {32, 100}})
	w, _ := shapes.Input("fc1_weight")
	fmt.Println(ops.ShapeString(w), ops.ShapeString(shapes.Outputs()[0]))
	// Output:
	// [data fc1_weight fc1_bias batchnorm0_gamma batchnorm0_beta]
	// [batchnorm0_moving_mean batchnorm0_moving_var]
	// [activation0_output]
	// (4,100) (32,4)
}

// Internals exposes every intermediate output, as get_internals() does.
func ExampleSymbol_Internals() {
	b := graph.NewBuilder()
	x, _ := b.Variable("x")
	y, _ := b.Apply("Dropout", graph.Call{Name: "drop", Inputs: []*graph.Symbol{x}})
	fmt.Println(y.Internals().ListOutputs())
	fc, _ := y.Internals().OutputByName("drop_output")
	fmt.Println(fc.ListOutputs())
	// Output:
	// [x drop_output]
	// [drop_output]
}

// Shape errors name the node and its operator.
func ExampleInferShapes_error() {
	b := graph.NewBuilder()
	data, _ := b.Variable("data")
	fc, _ := b.Apply("FullyConnected", graph.Call{Name: "fc2", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"num_hidden": "64"}})
	g, _ := graph.Index(fc)
	_, err := graph.InferShapes(g, map[string][]int{"data": {32, 100}, "fc2_weight": {64, 128}})
	fmt.Println(err)
	// Output:
	// node fc2 (FullyConnected): data shape (32,100) does not match weight (64,128)
}
