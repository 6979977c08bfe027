package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
	"github.com/mxgo/mxgo/train"
)

func init() {
	register(&command{name: "train", summary: "train a symbol on IDX (MNIST/Fashion-MNIST) or .npz data, checkpointing every epoch", run: runTrain})
}

// trainEpochJSON is one -json line of mxgo train.
type trainEpochJSON struct {
	Epoch         int     `json:"epoch"`
	TrainAccuracy float64 `json:"train_accuracy"`
	EvalAccuracy  float64 `json:"eval_accuracy"`
	SamplesPerSec float64 `json:"samples_per_s"`
	Seconds       float64 `json:"seconds"`
	Params        string  `json:"params"`
}

func runTrain(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train", stderr)
	symPath := fs.String("symbol", "", "symbol JSON `FILE` to train (required)")
	paramsPath := fs.String("params", "", "initial parameters (`FILE.params`; default: the initializer)")
	trainData := fs.String("train", "", "training data: fashion-mnist:DIR, mnist:DIR or X.npz (members data, label)")
	evalData := fs.String("eval", "", "evaluation data, same forms as -train")
	prefix := fs.String("prefix", "", "checkpoint `PREFIX`: writes PREFIX-symbol.json and PREFIX-%04d.params after each epoch")
	epochs := fs.Int("epochs", 5, "epochs")
	batch := fs.Int("batch-size", 100, "batch size")
	optName := fs.String("optimizer", "sgd", "optimizer: sgd, nag, adam, adagrad or rmsprop")
	lr := fs.Float64("lr", 0.1, "learning rate")
	momentum := fs.Float64("momentum", 0.9, "momentum (sgd, nag)")
	wd := fs.Float64("wd", 0, "weight decay")
	clip := fs.Float64("clip-gradient", -1, "clip gradients to [-c, c] (negative: off)")
	initName := fs.String("initializer", "xavier", "initializer: xavier, uniform, normal, zero, one or an MXNet dumps() string")
	seed := fs.Uint64("seed", 0, "seed of the initializer, the shuffle and Dropout")
	shuffle := fs.Bool("shuffle", true, "shuffle the training data every epoch")
	threads := fs.Int("threads", 0, "goroutines per kernel (0: GOMAXPROCS)")
	asJSON := fs.Bool("json", false, "print one JSON line per epoch")
	multiPrecision := fs.Bool("multi-precision", false, "float16 parameters with float32 master copies in the optimizer (MXNet's multi_precision): checkpoints hold float16 parameters and (state, weight32) optimizer states")
	if _, err := parseArgs(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if *symPath == "" || *trainData == "" || *prefix == "" {
		fs.Usage()
		return errUsage
	}
	if *epochs < 1 || *batch < 1 || *threads < 0 {
		return errors.New("-epochs and -batch-size must be positive, -threads non-negative")
	}
	sym, err := serialize.LoadSymbol(*symPath)
	if err != nil {
		return err
	}
	var initArgs, initAux map[string]*tensor.Tensor
	if *paramsPath != "" {
		ck, err := serialize.LoadCheckpointFiles(*symPath, *paramsPath)
		if err != nil {
			return err
		}
		initArgs, initAux = ck.Args, ck.Aux
		if initArgs == nil {
			initArgs = map[string]*tensor.Tensor{}
		}
	}
	dataNames, labelNames, err := trainInputs(sym, initArgs)
	if err != nil {
		return err
	}
	if len(dataNames) != 1 || len(labelNames) != 1 {
		return fmt.Errorf("the symbol has data inputs %v and labels %v: mxgo train needs exactly one of each", dataNames, labelNames)
	}
	trainIt, err := openTrainData(*trainData, train.MNISTTrain, dataNames[0], labelNames[0], *batch, *shuffle, *seed)
	if err != nil {
		return fmt.Errorf("-train: %w", err)
	}
	var evalIt *train.NDArrayIter
	if *evalData != "" {
		if evalIt, err = openTrainData(*evalData, train.MNISTTest, dataNames[0], labelNames[0], *batch, false, 0); err != nil {
			return fmt.Errorf("-eval: %w", err)
		}
	}
	init, err := parseInitFlag(*initName)
	if err != nil {
		return err
	}
	m, err := train.NewModule(sym, dataNames, labelNames)
	if err != nil {
		return err
	}
	m.Threads, m.Seed, m.MultiPrecision = *threads, seed, *multiPrecision
	if m.Threads == 0 {
		m.Threads = runtime.GOMAXPROCS(0)
	}
	dd, ld := trainIt.ProvideData()[0], trainIt.ProvideLabel()[0]
	if err := m.Bind(map[string][]int{dd.Name: dd.Shape}, map[string][]int{ld.Name: ld.Shape}); err != nil {
		return err
	}
	if err := m.InitParams(init, *seed, initArgs, initAux, initArgs != nil, false); err != nil {
		return err
	}
	kw := map[string]float64{"learning_rate": *lr, "wd": *wd}
	if *optName == "sgd" || *optName == "nag" {
		kw["momentum"] = *momentum
	}
	if *clip >= 0 {
		kw["clip_gradient"] = *clip
	}
	if err := m.InitOptimizer(*optName, kw); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := train.FitOptions{Epochs: *epochs, EpochEnd: []train.EpochEndCallback{train.DoCheckpoint(*prefix, 1)}}
	var bar *train.ProgressBar
	if !*asJSON {
		if f, ok := stderr.(*os.File); ok {
			bar = train.NewProgressBar(trainIt.NumData() / *batch, f)
			if bar.Enabled() {
				opts.BatchEnd = append(opts.BatchEnd, bar.BatchEnd)
			}
		}
	}
	opts.OnEpoch = func(r train.EpochResult) error {
		if bar != nil && bar.Enabled() {
			bar.Finish()
		}
		_, pp := serialize.CheckpointPaths(*prefix, r.Epoch)
		line := trainEpochJSON{Epoch: r.Epoch, TrainAccuracy: r.Train, EvalAccuracy: r.Eval,
			SamplesPerSec: float64(r.Samples) / r.Seconds, Seconds: r.Seconds, Params: pp}
		if math.IsNaN(line.EvalAccuracy) {
			line.EvalAccuracy = 0
		}
		if *asJSON {
			b, _ := json.Marshal(line)
			fmt.Fprintln(stdout, string(b))
			return nil
		}
		fmt.Fprintf(stdout, "epoch %d: train accuracy %.4f, eval accuracy %.4f, %.0f samples/s, %.2fs, %s\n",
			r.Epoch, r.Train, line.EvalAccuracy, line.SamplesPerSec, r.Seconds, pp)
		return nil
	}
	var ev train.DataIter
	if evalIt != nil {
		ev = evalIt
	}
	return m.Fit(ctx, trainIt, ev, opts)
}

// trainInputs splits the symbol's arguments: labels are the variables read
// through a loss head's "label" input; data inputs are the other arguments
// that only feed "data" inputs and have no value in params.
func trainInputs(sym *graph.Symbol, params map[string]*tensor.Tensor) (data, labels []string, err error) {
	g, err := graph.Index(sym)
	if err != nil {
		return nil, nil, err
	}
	uses := map[string][]string{}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if n.IsVariable() {
			continue
		}
		names := n.InputNames()
		for j, e := range n.In {
			v := &g.Nodes[e.Node]
			if v.IsVariable() && j < len(names) {
				uses[v.Name] = append(uses[v.Name], names[j])
			}
		}
	}
	for _, a := range sym.ListArguments() {
		if params[a] != nil || params["arg:"+a] != nil {
			continue
		}
		u := uses[a]
		switch {
		case len(u) > 0 && !slices.ContainsFunc(u, func(s string) bool { return s != "label" }):
			labels = append(labels, a)
		case len(u) > 0 && !slices.ContainsFunc(u, func(s string) bool { return s != "data" }):
			data = append(data, a)
		}
	}
	if len(labels) == 0 {
		return nil, nil, fmt.Errorf("the symbol has no loss head with a label input (outputs %v): end it in SoftmaxOutput or a regression output", sym.ListOutputs())
	}
	return data, labels, nil
}

// openTrainData opens fashion-mnist:DIR, mnist:DIR (its split: train for
// -train, t10k for -eval) or an .npz file as an iterator with the given
// input names.
func openTrainData(spec string, split train.MNISTSplit, dataName, labelName string, batch int, shuffle bool, seed uint64) (*train.NDArrayIter, error) {
	o := train.IterOptions{BatchSize: batch, Shuffle: shuffle, Seed: seed}
	var x, y *tensor.Tensor
	var err error
	switch {
	case strings.HasPrefix(spec, "fashion-mnist:"), strings.HasPrefix(spec, "mnist:"):
		dir := spec[strings.IndexByte(spec, ':')+1:]
		x, y, err = train.LoadMNIST(dir, split, false)
		o.NumClasses = 10
	case strings.HasSuffix(spec, ".npz"):
		x, y, err = train.ReadNPZDataset(spec)
	default:
		return nil, fmt.Errorf("data %q: want fashion-mnist:DIR, mnist:DIR or FILE.npz", spec)
	}
	if err != nil {
		return nil, err
	}
	return train.NewNDArrayIter([]train.NamedArray{{Name: dataName, Array: x}}, []train.NamedArray{{Name: labelName, Array: y}}, o)
}

func parseInitFlag(s string) (train.Initializer, error) {
	switch s {
	case "xavier":
		return train.NewXavier(), nil
	case "uniform":
		return train.Uniform{Scale: 0.07}, nil
	case "normal":
		return train.Normal{Sigma: 0.01}, nil
	case "zero":
		return train.Zero{}, nil
	case "one":
		return train.One{}, nil
	}
	return train.ParseInitializer(s)
}
