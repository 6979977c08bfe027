package executor_test

import (
	"context"
	"fmt"
	"log"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// Time every step of LeNet's plan over 10 forward passes; the times vary
// from run to run, so this prints only each step's node, op, output shape
// and work (mean times are in StepProfile.Mean, GFLOP/s in GFLOPS).
func ExampleModel_Profile() {
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
	prof, err := m.Profile(context.Background(), []*tensor.Tensor{x}, 10)
	if err != nil {
		log.Fatal(err)
	}
	for _, sp := range prof {
		fmt.Println(sp.Node, sp.Op, sp.Shape, sp.FLOPs)
	}
	// Output:
	// conv1 _mxgo_fused_conv [1 6 24 24] 172800
	// pool1 Pooling [1 6 12 12] 0
	// conv2 _mxgo_fused_conv [1 16 8 8] 307200
	// pool2 Pooling [1 16 4 4] 0
	// fc1 _mxgo_fused_fc [1 120] 61440
	// fc2 _mxgo_fused_fc [1 84] 20160
	// fc3 FullyConnected [1 10] 1680
	// softmax SoftmaxOutput [1 10] 0
}
