package train_test

import (
	"fmt"
	"os"

	"github.com/mxgo/mxgo/tensor"
	"github.com/mxgo/mxgo/train"
)

// Module's optimizer by name: SGD with momentum, rescale_grad =
// 1/batch_size, and no weight decay on the bias.
func ExampleCreateForModule() {
	params := []string{"fc1_weight", "fc1_bias"}
	opt, err := train.CreateForModule("sgd", params, 100, nil,
		map[string]float64{"learning_rate": 0.1, "momentum": 0.9, "wd": 1e-4})
	if err != nil {
		panic(err)
	}
	b := opt.Common()
	fmt.Println(b.LearningRate(), b.RescaleGrad(), b.WDMult(0), b.WDMult(1))

	u := train.NewUpdater(opt)
	w, _ := tensor.FromSlice([]float32{1, 2}, 1, 2)
	bias, _ := tensor.FromSlice([]float32{0.5})
	gw, _ := tensor.FromSlice([]float32{100, -100}, 1, 2)
	gb, _ := tensor.FromSlice([]float32{50})
	if err := u.Update([]int{0, 1}, []*tensor.Tensor{w, bias}, []*tensor.Tensor{gw, gb}); err != nil {
		panic(err)
	}
	fmt.Printf("%.5f %.2f\n", w.Float32s(), bias.Float32s())
	fmt.Println(len(u.States()[0].Arrays), u.States()[0].Tuple)
	// Output:
	// 0.1 0.01 1 0
	// [0.89999 2.09998] [0.45]
	// 1 false
}

// A learning-rate schedule halving the rate every 2 updates.
func ExampleFactorScheduler() {
	s, err := train.NewFactorScheduler(2, 0.5, 1e-8, 0.1, train.Warmup{})
	if err != nil {
		panic(err)
	}
	for n := 1; n <= 6; n++ {
		fmt.Print(s.LR(n), " ")
	}
	fmt.Println()
	// Output:
	// 0.1 0.1 0.05 0.05 0.025 0.025
}

// Parameters initialized with MXNet's rules: Xavier for weights, zero for
// biases, the __init__ attribute when present.
func ExampleParamInit() {
	p := train.NewParamInit(train.NewXavier(), 42)
	w, _ := tensor.New(tensor.Float32, 128, 784)
	b, _ := tensor.New(tensor.Float32, 128)
	c, _ := tensor.New(tensor.Float32, 2)
	_ = p.Init("fc1_weight", nil, w)
	_ = p.Init("fc1_bias", nil, b)
	_ = p.Init("scale", map[string]string{"__init__": `["Constant", {"value": 0.25}]`}, c)
	bound, _ := train.NewXavier().Scale("fc1_weight", w.Shape())
	inside := true
	for _, v := range w.Float32s() {
		inside = inside && float64(v) >= -bound && float64(v) <= bound
	}
	fmt.Printf("%.4f %v %v %v\n", bound, inside, b.Float32s()[:3], c.Float32s())
	// Output:
	// 0.0811 true [0 0 0] [0.25 0.25]
}

// Batches of 4 over 10 samples with the last batch padded from the start.
func ExampleNDArrayIter() {
	x := make([]float32, 10)
	for i := range x {
		x[i] = float32(i)
	}
	data, _ := tensor.FromSlice(x, 10, 1)
	label, _ := tensor.FromSlice(x)
	it, err := train.NewNDArrayIter(
		[]train.NamedArray{{Name: "data", Array: data}},
		[]train.NamedArray{{Name: "softmax_label", Array: label}},
		train.IterOptions{BatchSize: 4, LastBatchHandle: train.Pad})
	if err != nil {
		panic(err)
	}
	for b, ok := it.Next(); ok; b, ok = it.Next() {
		fmt.Println(b.Data[0].Float32s(), "pad", b.Pad)
	}
	fmt.Println(it.ProvideLabel()[0].Name, it.ProvideLabel()[0].Shape)
	// Output:
	// [0 1 2 3] pad 0
	// [4 5 6 7] pad 0
	// [8 9 0 1] pad 2
	// softmax_label [4]
}

// Accuracy over two batches of class scores.
func ExampleAccuracy() {
	acc := train.NewAccuracy()
	pred, _ := tensor.FromSlice([]float32{0.1, 0.9, 0.8, 0.2}, 2, 2)
	label, _ := tensor.FromSlice([]float32{1, 1})
	_ = acc.Update([]*tensor.Tensor{label}, []*tensor.Tensor{pred})
	fmt.Println(acc.Get())
	// Output:
	// accuracy 0.5
}

// Speedometer logs MXNet's speed lines every `frequent` batches.
func ExampleSpeedometer() {
	s := train.NewSpeedometer(100, 50, true, os.Stdout)
	acc := train.NewAccuracy()
	for nb := range 3 {
		s.BatchEnd(train.BatchEndParam{Epoch: 0, NBatch: nb, EvalMetric: acc})
	}
	fmt.Println(s.Speed()) // no line yet: the first log comes at batch 50
	// Output:
	// 0
}
