package executor_test

import (
	"context"
	"fmt"
	"log"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// Load a checkpoint written by Python MXNet, bind it for one 28×28 image and
// predict the digit.
func ExampleBind() {
	ck, err := serialize.LoadCheckpoint("../testdata/mxnet/lenet-module/LeNet", 10)
	if err != nil {
		log.Fatal(err)
	}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {1, 1, 28, 28}})
	if err != nil {
		log.Fatal(err)
	}
	x, err := serialize.LoadNPY("../testdata/samples/mnist-00.npy")
	if err != nil {
		log.Fatal(err)
	}
	out, err := m.Predict(context.Background(), []*tensor.Tensor{x}, nil)
	if err != nil {
		log.Fatal(err)
	}
	probs := out[0].Float32s()
	best := 0
	for i, p := range probs {
		if p > probs[best] {
			best = i
		}
	}
	fmt.Println(m.OutputNames(), "digit", best)
	// Output: [softmax_output] digit 7
}

// Feature extraction: bind an internal output instead of the heads.
func ExampleWithOutputs() {
	ck, err := serialize.LoadCheckpoint("../testdata/mxnet/lenet-module/LeNet", 10)
	if err != nil {
		log.Fatal(err)
	}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {4, 1, 28, 28}},
		executor.WithOutputs("fc1_output"))
	if err != nil {
		log.Fatal(err)
	}
	x, _ := tensor.New(tensor.Float32, 4, 1, 28, 28)
	out, err := m.Predict(context.Background(), []*tensor.Tensor{x}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.OutputNames(), out[0])
	// Output: [fc1_output] float32(4,120)
}
