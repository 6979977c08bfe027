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
	digit, err := tensor.ArgMax(out[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.OutputNames(), "digit", digit[0])
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
	one, err := serialize.LoadNPY("../testdata/samples/mnist-00.npy") // a batch of one image, (1,1,28,28)
	if err != nil {
		log.Fatal(err)
	}
	img, err := one.Sample(0) // (1,28,28)
	if err != nil {
		log.Fatal(err)
	}
	x, err := tensor.Stack(img, img, img, img) // (4,1,28,28)
	if err != nil {
		log.Fatal(err)
	}
	out, err := m.Predict(context.Background(), []*tensor.Tensor{x}, nil)
	if err != nil {
		log.Fatal(err)
	}
	first, err := out[0].Sample(0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.OutputNames(), out[0], first)
	// Output: [fc1_output] float32(4,120) float32(120,)
}
