// Command fashion-mnist trains an MLP (784-256-128-10, relu) or a LeNet
// (conv 5×5×20, tanh, max pool, conv 5×5×50, tanh, max pool, fc 500, tanh,
// fc 10; lenet-relu has relu for tanh) built with the Go Symbol API on
// Debian's dataset-fashion-mnist, as MXNet's Module.fit with do_checkpoint:
// SGD lr 0.1 (-lr; the tanh LeNet reaches 88% in 5 epochs at 0.02, see
// bench/train/compare.sh) momentum 0.9, Xavier, batch 100, a checkpoint
// after every epoch. It then reloads the epoch with the best evaluation
// accuracy with serialize.LoadCheckpoint and evaluates it with
// executor.Bind/Predict.
//
//	fashion-mnist [-net mlp|lenet|lenet-relu] [-data DIR] [-epochs 5] [-lr 0.1] [-out DIR]
//	fashion-mnist -net lenet -symbol-only > lenet-symbol.json
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
	"github.com/mxgo/mxgo/train"
)

func main() {
	net := flag.String("net", "mlp", "network: mlp, lenet or lenet-relu")
	dir := flag.String("data", "/usr/share/datasets/fashion-mnist", "directory of the Fashion-MNIST IDX files")
	epochs := flag.Int("epochs", 5, "epochs")
	lr := flag.Float64("lr", 0.1, "SGD learning rate (0.02 for the tanh LeNet)")
	out := flag.String("out", "", "checkpoint directory (default: a temporary directory)")
	symOnly := flag.Bool("symbol-only", false, "write the network's symbol JSON to stdout and exit")
	flag.Parse()
	sym, err := Network(*net)
	if err == nil && *symOnly {
		err = writeSymbol(os.Stdout, sym)
	} else if err == nil {
		err = run(context.Background(), os.Stdout, sym, *net, *dir, *out, *epochs, *lr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fashion-mnist:", err)
		os.Exit(1)
	}
}

func writeSymbol(w io.Writer, sym *graph.Symbol) error {
	f, err := os.CreateTemp("", "sym*.json")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	f.Close()
	if err := serialize.SaveSymbol(f.Name(), sym, nil); err != nil {
		return err
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Network builds the named network ending in SoftmaxOutput.
func Network(name string) (*graph.Symbol, error) {
	b := graph.NewBuilder()
	var s *graph.Symbol
	var err error
	apply := func(op, nodeName string, attrs map[string]string) {
		if err != nil {
			return
		}
		s, err = b.Apply(op, graph.Call{Name: nodeName, Inputs: []*graph.Symbol{s}, Attrs: attrs})
	}
	s, err = b.Variable("data")
	if err != nil {
		return nil, err
	}
	switch name {
	case "mlp":
		apply("FullyConnected", "fc1", map[string]string{"num_hidden": "256"})
		apply("Activation", "relu1", map[string]string{"act_type": "relu"})
		apply("FullyConnected", "fc2", map[string]string{"num_hidden": "128"})
		apply("Activation", "relu2", map[string]string{"act_type": "relu"})
		apply("FullyConnected", "fc3", map[string]string{"num_hidden": "10"})
	case "lenet", "lenet-relu":
		// MXNet's tutorial LeNet; lenet-relu swaps its tanh for relu.
		act := "tanh"
		if name == "lenet-relu" {
			act = "relu"
		}
		apply("Convolution", "conv1", map[string]string{"kernel": "(5, 5)", "num_filter": "20"})
		apply("Activation", act+"1", map[string]string{"act_type": act})
		apply("Pooling", "pool1", map[string]string{"pool_type": "max", "kernel": "(2, 2)", "stride": "(2, 2)"})
		apply("Convolution", "conv2", map[string]string{"kernel": "(5, 5)", "num_filter": "50"})
		apply("Activation", act+"2", map[string]string{"act_type": act})
		apply("Pooling", "pool2", map[string]string{"pool_type": "max", "kernel": "(2, 2)", "stride": "(2, 2)"})
		apply("Flatten", "flatten", nil)
		apply("FullyConnected", "fc1", map[string]string{"num_hidden": "500"})
		apply("Activation", act+"3", map[string]string{"act_type": act})
		apply("FullyConnected", "fc2", map[string]string{"num_hidden": "10"})
	default:
		return nil, fmt.Errorf("unknown network %q (want mlp, lenet or lenet-relu)", name)
	}
	apply("SoftmaxOutput", "softmax", nil)
	return s, err
}

func run(ctx context.Context, w io.Writer, sym *graph.Symbol, net, dir, out string, epochs int, lr float64) error {
	const batch = 100
	if out == "" {
		d, err := os.MkdirTemp("", "fashion-mnist")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		out = d
	}
	trainIt, err := train.NewMNISTIter(dir, train.MNISTTrain, false, train.IterOptions{BatchSize: batch, Shuffle: true, Seed: 1})
	if err != nil {
		return err
	}
	evalIt, err := train.NewMNISTIter(dir, train.MNISTTest, false, train.IterOptions{BatchSize: batch})
	if err != nil {
		return err
	}
	m, err := train.NewModule(sym, []string{"data"}, []string{"softmax_label"})
	if err != nil {
		return err
	}
	if err := m.Bind(map[string][]int{"data": {batch, 1, 28, 28}}, map[string][]int{"softmax_label": {batch}}); err != nil {
		return err
	}
	if err := m.InitParams(train.NewXavier(), 1, nil, nil, false, false); err != nil {
		return err
	}
	if err := m.InitOptimizer("sgd", map[string]float64{"learning_rate": lr, "momentum": 0.9}); err != nil {
		return err
	}
	prefix := filepath.Join(out, net)
	best, bestAcc := 0, -1.0
	err = m.Fit(ctx, trainIt, evalIt, train.FitOptions{
		Epochs:   epochs,
		EpochEnd: []train.EpochEndCallback{train.DoCheckpoint(prefix, 1)},
		OnEpoch: func(r train.EpochResult) error {
			fmt.Fprintf(w, "epoch %d: train accuracy %.4f, test accuracy %.4f, %.1fs\n", r.Epoch, r.Train, r.Eval, r.Seconds)
			if r.Eval > bestAcc {
				best, bestAcc = r.Epoch, r.Eval
			}
			return nil
		},
	})
	if err != nil {
		return err
	}
	// Reload the best epoch and evaluate it for inference.
	ck, err := serialize.LoadCheckpoint(prefix, best)
	if err != nil {
		return err
	}
	model, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {batch, 1, 28, 28}})
	if err != nil {
		return err
	}
	evalIt.Reset()
	acc := train.NewAccuracy()
	var outs []*tensor.Tensor
	for b, ok := evalIt.Next(); ok; b, ok = evalIt.Next() {
		if outs, err = model.Predict(ctx, b.Data, outs); err != nil {
			return err
		}
		if err := acc.Update(b.Label, outs); err != nil {
			return err
		}
	}
	_, v := acc.GetGlobal()
	fmt.Fprintf(w, "best epoch %d reloaded from %s: test accuracy %.4f\n", best, prefix, v)
	return nil
}
