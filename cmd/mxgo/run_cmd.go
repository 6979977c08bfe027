package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

func init() {
	register(&command{name: "run", summary: "run a forward pass of a checkpoint on .npy inputs", run: runRun})
}

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// modelFlags are the flags that name a model: PREFIX EPOCH positionally, or
// -symbol and -params.
type modelFlags struct {
	symbol, params *string
}

func addModelFlags(fs *flag.FlagSet) modelFlags {
	return modelFlags{
		symbol: fs.String("symbol", "", "symbol JSON file (instead of PREFIX EPOCH)"),
		params: fs.String("params", "", "NDArray parameter file (instead of PREFIX EPOCH)"),
	}
}

// load reads the checkpoint named by the flags or the positional PREFIX
// EPOCH. It also returns the two files, for messages.
func (mf modelFlags) load(pos []string) (*serialize.Checkpoint, string, error) {
	switch {
	case *mf.symbol != "" || *mf.params != "":
		if len(pos) != 0 || *mf.symbol == "" || *mf.params == "" {
			return nil, "", errors.New("give either PREFIX EPOCH or both -symbol and -params")
		}
		ck, err := serialize.LoadCheckpointFiles(*mf.symbol, *mf.params)
		return ck, *mf.symbol + " + " + *mf.params, err
	case len(pos) == 2:
		epoch, err := strconv.Atoi(pos[1])
		if err != nil || epoch < 0 {
			return nil, "", fmt.Errorf("EPOCH must be a non-negative integer, not %s", quote.String(pos[1]))
		}
		sym, params := serialize.CheckpointPaths(pos[0], epoch)
		ck, err := serialize.LoadCheckpoint(pos[0], epoch)
		return ck, sym + " + " + filepath.Base(params), err
	default:
		return nil, "", errors.New("give either PREFIX EPOCH or both -symbol and -params")
	}
}

func runRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", stderr)
	mf := addModelFlags(fs)
	var inputs listFlag
	fs.Var(&inputs, "input", "data input `NAME=FILE.npy` (repeatable; NAME may be omitted when the model has one data input)")
	out := fs.String("out", "", "write the first output to `FILE.npy`, or all outputs to FILE.npz (members <output name>.npy)")
	outputs := fs.String("outputs", "", "comma-separated internal outputs to compute instead of the heads (e.g. fc1_output)")
	threads := fs.Int("threads", 0, "goroutines per kernel (0: GOMAXPROCS)")
	top := fs.Int("top", 5, "classes to list per sample for classifier outputs")
	pos, err := parseArgs(fs, args, 0, 2, "PREFIX EPOCH | -symbol S.json -params P.params")
	if err != nil {
		return err
	}
	ck, model, err := mf.load(pos)
	if err != nil {
		return err
	}
	sub := computed(ck.Symbol, *outputs)
	if u := executor.UnsupportedOps(sub); len(u) > 0 {
		return fmt.Errorf("%s: mxgo has no kernel for operator(s) %s", model, strings.Join(u, ", "))
	}
	data, err := readInputs(ck, sub, inputs)
	if err != nil {
		return fmt.Errorf("%s: %w", model, err)
	}
	// Errors from here on concern the model and the inputs together.
	files := model
	if len(inputs) > 0 {
		files += " on " + strings.Join(inputs, ", ")
	}
	wrap := func(err error) error { return fmt.Errorf("%s: %w", files, err) }
	var opts []executor.Option
	if *outputs != "" {
		opts = append(opts, executor.WithOutputs(strings.Split(*outputs, ",")...))
	}
	if *threads > 0 {
		opts = append(opts, executor.WithThreads(*threads))
	}
	shapes := map[string][]int{}
	for name, t := range data {
		shapes[name] = t.Shape()
	}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, shapes, opts...)
	if err != nil {
		return wrap(err)
	}
	in := make([]*tensor.Tensor, 0, len(data))
	for _, name := range m.InputNames() {
		in = append(in, data[name])
	}
	res, err := m.Predict(context.Background(), in, nil)
	if err != nil {
		return wrap(err)
	}
	names := m.OutputNames()
	if *out != "" {
		return writeOutputs(*out, names, res)
	}
	heads := m.Symbol().Outputs
	for i, t := range res {
		fmt.Fprintf(stdout, "%s: %s %s\n", names[i], t.DType(), tensor.ShapeString(t.Shape()))
		if i < len(heads) && isClassifier(heads[i].Node.OpName) && t.NDim() == 2 && t.DType() == tensor.Float32 {
			printTop(stdout, t, *top)
		}
	}
	return nil
}

// computed is the part of sym that -outputs computes: the named internal
// outputs, or the whole graph without -outputs (or when a name is not an
// output, which Bind then reports). Operators mxgo lacks and inputs outside
// it (a training head's label) are then not asked for.
func computed(sym *graph.Symbol, outputs string) *graph.Symbol {
	if outputs == "" {
		return sym
	}
	internals := sym.Internals()
	var parts []*graph.Symbol
	for _, name := range strings.Split(outputs, ",") {
		s, err := internals.OutputByName(name)
		if err != nil {
			return sym
		}
		parts = append(parts, s)
	}
	return graph.Group(parts...)
}

// readInputs loads the -input files, matching unnamed ones to the only
// data input of sym (the part of the model that runs), and converts them
// to float32.
func readInputs(ck *serialize.Checkpoint, sym *graph.Symbol, specs []string) (map[string]*tensor.Tensor, error) {
	want, err := executor.DataInputs(sym, ck.Args, ck.Aux)
	if err != nil {
		return nil, err
	}
	for _, name := range want {
		if strings.HasSuffix(name, "_weight") || strings.HasSuffix(name, "_bias") {
			return nil, fmt.Errorf("the parameters have no %s (and maybe others): are they from this model? inputs without a value: %s", quote.String(name), names(want))
		}
	}
	data := map[string]*tensor.Tensor{}
	for _, spec := range specs {
		name, file, ok := strings.Cut(spec, "=")
		if !ok {
			if len(want) != 1 {
				return nil, fmt.Errorf("-input %s: the model has data inputs %s; write NAME=FILE", spec, names(want))
			}
			name, file = want[0], spec
		}
		t, err := serialize.LoadNPY(file)
		if err != nil {
			return nil, err
		}
		if t.DType() != tensor.Float32 {
			if t, err = t.AsType(tensor.Float32); err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
		}
		for i, v := range t.Float32s() {
			if v != v {
				return nil, fmt.Errorf("%s: element %d (flat index) is NaN; inputs must be numbers", file, i)
			}
		}
		data[name] = t
	}
	for _, name := range want {
		if data[name] == nil {
			return nil, fmt.Errorf("no -input for data input %s (model inputs: %s)", quote.String(name), names(want))
		}
	}
	return data, nil
}

// writeOutputs writes the first output to a .npy file or all of them to a
// .npz archive.
func writeOutputs(path string, names []string, ts []*tensor.Tensor) (err error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".npy" && ext != ".npz" {
		return fmt.Errorf("-out %s: the file name must end in .npy or .npz", path)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if ext == ".npz" {
		err = serialize.WriteNPZ(f, names, ts)
	} else {
		err = serialize.WriteNPY(f, ts[0])
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// isClassifier reports whether a head op yields class probabilities.
func isClassifier(op string) bool {
	switch op {
	case "SoftmaxOutput", "Softmax", "softmax", "SoftmaxActivation", "log_softmax":
		return true
	}
	return false
}

// printTop lists the k best classes of each row of a (batch, classes) output.
func printTop(w io.Writer, t *tensor.Tensor, k int) {
	top, err := tensor.TopK(t, max(k, 1))
	if err != nil {
		fmt.Fprintf(w, "  (no classes: %v)\n", err)
		return
	}
	cols := t.Dim(1)
	v := t.Float32s()
	for r, idx := range top {
		row := v[r*cols : (r+1)*cols]
		var parts []string
		for _, j := range idx[:min(k, len(idx))] {
			parts = append(parts, fmt.Sprintf("%d (%.4f)", j, row[j]))
		}
		fmt.Fprintf(w, "  sample %d: class %d; top-%d: %s\n", r, idx[0], min(k, cols), strings.Join(parts, ", "))
	}
}
