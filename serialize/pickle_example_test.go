package serialize_test

import (
	"bytes"
	"fmt"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
	"github.com/mxgo/mxgo/train"
)

// Pickle a list of NDArrays as Python's pkl.dumps does with MXNet 1.x, and
// read it back.
func ExampleWritePickle() {
	w, _ := tensor.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	b, _ := tensor.FromSlice([]int32{7, 8}, 2)
	var buf bytes.Buffer
	if err := serialize.WritePickle(&buf, []any{w, serialize.PickleTuple{b, "bias"}}); err != nil {
		panic(err)
	}
	v, err := serialize.ReadPickle(&buf)
	if err != nil {
		panic(err)
	}
	l := v.([]any)
	fmt.Println(l[0].(*serialize.NDArray).Tensor.Float32s())
	tup := l[1].(serialize.PickleTuple)
	fmt.Println(tup[0].(*serialize.NDArray).Tensor.Shape(), tup[1])
	// Output:
	// [1 2 3 4]
	// [2] bias
}

// Save a train.Updater's optimizer states as Module.save_checkpoint(...,
// save_optimizer_states=True) does (PREFIX-0003.states), and load them
// back: train.State and serialize.OptimizerState convert directly.
func ExampleWriteOptimizerStates() {
	mom, _ := tensor.FromSlice([]float32{0.1, -0.2}, 2)
	states := map[int]train.State{0: {Arrays: []*tensor.Tensor{mom}}, 1: {}}

	out := map[int]serialize.OptimizerState{}
	for k, s := range states {
		out[k] = serialize.OptimizerState(s)
	}
	var buf bytes.Buffer
	if err := serialize.WriteOptimizerStates(&buf, out); err != nil {
		panic(err)
	}

	in, err := serialize.ReadOptimizerStates(&buf)
	if err != nil {
		panic(err)
	}
	back := map[int]train.State{}
	for k, s := range in {
		back[k] = train.State(s)
	}
	fmt.Println(serialize.OptimizerStatesPath("mlp", 3), back[0].Arrays[0].Float32s(), back[1].IsNone())
	// Output: mlp-0003.states [0.1 -0.2] true
}
