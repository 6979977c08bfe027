package train

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// encodeStates writes optimizer states as MXNet's PREFIX-NNNN.states file
// (a Python pickle of {index: None | NDArray | (NDArray, ...)}, as
// Updater.get_states writes it).
func encodeStates(states map[int]State) ([]byte, error) {
	out := make(map[int]serialize.OptimizerState, len(states))
	for i, st := range states {
		out[i] = serialize.OptimizerState(st)
	}
	var b bytes.Buffer
	if err := serialize.WriteOptimizerStates(&b, out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// decodeStates reads a PREFIX-NNNN.states file (MXNet's or mxgo's).
func decodeStates(data []byte) (map[int]State, error) {
	in, err := serialize.ParseOptimizerStates(data)
	if err != nil {
		return nil, err
	}
	out := make(map[int]State, len(in))
	for i, st := range in {
		out[i] = State(st)
	}
	return out, nil
}

// Module is MXNet's mx.mod.Module for one device: a symbol with data and
// label names, bound for training with an executor.Trainer, its parameters,
// an optimizer, and Fit.
type Module struct {
	sym        *graph.Symbol
	dataNames  []string
	labelNames []string

	tr         *executor.Trainer
	paramNames []string // arguments that are parameters, ListArguments order
	auxNames   []string
	args, aux  map[string]*tensor.Tensor
	batchSize  int
	inited     bool

	opt   Optimizer
	upd   *Updater
	idx   []int
	ws    []*tensor.Tensor
	gs    []*tensor.Tensor
	preds []*tensor.Tensor

	pendingArgs, pendingAux map[string]*tensor.Tensor // from LoadCheckpoint
	pendingStates           map[int]State

	// half holds the float16 parameters of a multi-precision module.
	half map[string]*tensor.Tensor

	// Threads bounds the goroutines of kernels (default all: GOMAXPROCS).
	Threads int
	// Seed, when not nil, seeds the random source of training kernels
	// (Dropout's masks) at Bind, so runs are reproducible.
	Seed *uint64
	// MultiPrecision, set before Bind, makes the parameters float16 with
	// float32 master copies in the optimizer, as an MXNet float16 module
	// with multi_precision=True: GetParams and checkpoints hold float16
	// parameters, the optimizer (created with multi_precision) updates the
	// master copies and rounds them into the parameters, and the states
	// are MXNet's (state, weight32) pairs. mxgo's kernels compute in
	// float32: forward and backward see the float16 parameter values
	// widened to float32, and the gradients are float32 where MXNet's are
	// float16.
	MultiPrecision bool
}

// NewModule returns a module for sym with the given data and label input
// names (MXNet's defaults are ["data"] and ["softmax_label"]). Every name
// must be an argument of sym, and the symbol must end in a loss head that
// reads each label (SoftmaxOutput, a regression output, ...): a symbol
// without one cannot be trained and is refused with what is missing.
func NewModule(sym *graph.Symbol, dataNames, labelNames []string) (*Module, error) {
	if sym == nil {
		return nil, errors.New("module: nil symbol")
	}
	args := sym.ListArguments()
	for _, n := range append(slices.Clone(dataNames), labelNames...) {
		if !slices.Contains(args, n) {
			return nil, fmt.Errorf("module: %q is not an input of the symbol (arguments: %v)", n, args)
		}
	}
	g, err := graph.Index(sym)
	if err != nil {
		return nil, fmt.Errorf("module: %w", err)
	}
	// A loss head: some head's node has a "label" input or ignores its
	// output gradient (MakeLoss).
	hasLoss := false
	for _, h := range g.Heads {
		n := &g.Nodes[h.Node]
		if n.IsVariable() {
			continue
		}
		if slices.Contains(n.InputNames(), "label") || n.OpName == "MakeLoss" || n.OpName == "make_loss" {
			hasLoss = true
		}
	}
	if !hasLoss {
		return nil, fmt.Errorf("module: the symbol has no loss head (outputs %v): end it in SoftmaxOutput, LinearRegressionOutput, LogisticRegressionOutput, MAERegressionOutput or MakeLoss", sym.ListOutputs())
	}
	m := &Module{sym: sym.Copy(), dataNames: slices.Clone(dataNames), labelNames: slices.Clone(labelNames)}
	for _, a := range args {
		if !slices.Contains(dataNames, a) && !slices.Contains(labelNames, a) {
			m.paramNames = append(m.paramNames, a)
		}
	}
	m.auxNames = sym.ListAuxiliaryStates()
	return m, nil
}

// Symbol returns the module's symbol (shared; do not modify).
func (m *Module) Symbol() *graph.Symbol { return m.sym }

// ParamNames lists the trainable arguments in ListArguments order.
func (m *Module) ParamNames() []string { return slices.Clone(m.paramNames) }

// Bind allocates the parameters (zero until InitParams or SetParams) and
// binds the symbol for training with the given data and label shapes
// (batch size first), as Module.bind(for_training=True).
func (m *Module) Bind(dataShapes, labelShapes map[string][]int) error {
	known := map[string][]int{}
	for _, n := range m.dataNames {
		s, ok := dataShapes[n]
		if !ok {
			return fmt.Errorf("module bind: no shape for data input %q", n)
		}
		known[n] = s
	}
	for _, n := range m.labelNames {
		s, ok := labelShapes[n]
		if !ok {
			return fmt.Errorf("module bind: no shape for label input %q", n)
		}
		known[n] = s
	}
	if len(m.dataNames) == 0 || len(known[m.dataNames[0]]) == 0 {
		return errors.New("module bind: no data input with a batch dimension")
	}
	m.batchSize = known[m.dataNames[0]][0]
	argShapes, _, auxShapes, err := m.sym.InferShape(known)
	if err != nil {
		return fmt.Errorf("module bind: %w", err)
	}
	argNames := m.sym.ListArguments()
	if m.args == nil {
		m.args, m.aux = map[string]*tensor.Tensor{}, map[string]*tensor.Tensor{}
	}
	for i, n := range argNames {
		if !slices.Contains(m.paramNames, n) {
			continue
		}
		if err := m.ensure(m.args, n, argShapes[i]); err != nil {
			return err
		}
	}
	for i, n := range m.auxNames {
		if err := m.ensure(m.aux, n, auxShapes[i]); err != nil {
			return err
		}
	}
	opts := []executor.TrainOption{}
	if m.Threads > 0 {
		opts = append(opts, executor.WithTrainThreads(m.Threads))
	}
	if m.Seed != nil {
		opts = append(opts, executor.WithSeed(*m.Seed))
	}
	tr, err := executor.BindTrain(m.sym, m.args, m.aux, known, opts...)
	if err != nil {
		return fmt.Errorf("module bind: %w", err)
	}
	m.tr = tr
	m.preds = tr.Outputs()
	m.half = nil
	if m.MultiPrecision {
		m.half = make(map[string]*tensor.Tensor, len(m.paramNames))
		for _, n := range m.paramNames {
			if m.half[n], err = tensor.New(tensor.Float16, m.args[n].Shape()...); err != nil {
				return fmt.Errorf("module bind: %s: %w", n, err)
			}
		}
		m.syncHalf()
	}
	if m.pendingArgs != nil {
		if err := m.InitParams(nil, 0, m.pendingArgs, m.pendingAux, false, true); err != nil {
			return err
		}
		m.pendingArgs, m.pendingAux = nil, nil
	}
	return nil
}

func (m *Module) ensure(dst map[string]*tensor.Tensor, name string, shape []int) error {
	if !ops.ShapeKnown(shape) {
		return fmt.Errorf("module bind: cannot infer the shape of %s", name)
	}
	if v := dst[name]; v != nil && slices.Equal(v.Shape(), shape) {
		return nil
	}
	v, err := tensor.New(tensor.Float32, shape...)
	if err != nil {
		return fmt.Errorf("module bind: %s: %w", name, err)
	}
	dst[name] = v
	return nil
}

// InitParams initializes the parameters as Module.init_params: a value in
// argParams/auxParams (plain names or arg:/aux: keys; float32, or float16
// widened as MXNet's set_params converts) is copied; otherwise,
// with allowMissing or when no params are given, init fills it following
// the `__init__` attributes and MXNet's name rules (nil init: Uniform(0.07),
// MXNet's default), drawing from a generator seeded with seed. Without
// allowMissing a parameter absent from non-nil argParams is an error.
// forceInit re-initializes parameters that were already initialized.
func (m *Module) InitParams(init Initializer, seed uint64, argParams, auxParams map[string]*tensor.Tensor, allowMissing, forceInit bool) error {
	if m.tr == nil {
		return errors.New("module init params: call Bind first")
	}
	if m.inited && !forceInit {
		return nil
	}
	if init == nil {
		init = Uniform{Scale: 0.07}
	}
	pi := NewParamInit(init, seed)
	attrs := m.sym.AttrDict()
	fill := func(name string, isAux bool, arr *tensor.Tensor, given map[string]*tensor.Tensor) error {
		prefix := "arg:"
		if isAux {
			prefix = "aux:"
		}
		v := given[prefix+name]
		if v == nil {
			v = given[name]
		}
		if v != nil {
			if !slices.Equal(v.Shape(), arr.Shape()) || (v.DType() != tensor.Float32 && v.DType() != tensor.Float16) {
				return fmt.Errorf("module init params: %s is %s %s, the module needs float32 (or float16) %s", name, v.DType(),
					tensor.ShapeString(v.Shape()), tensor.ShapeString(arr.Shape()))
			}
			if v.DType() == tensor.Float16 {
				h, _ := tensor.Data[tensor.Half](v)
				d := arr.Float32s()
				for i, x := range h {
					d[i] = x.Float32()
				}
				return nil
			}
			copy(arr.Float32s(), v.Float32s())
			return nil
		}
		if given != nil && !allowMissing {
			return fmt.Errorf("module init params: no value for %s (allow_missing is false)", name)
		}
		return pi.Init(name, attrs[name], arr)
	}
	for _, n := range m.paramNames {
		if err := fill(n, false, m.args[n], argParams); err != nil {
			return err
		}
	}
	for _, n := range m.auxNames {
		src := auxParams
		if src == nil && argParams != nil {
			src = argParams
		}
		if err := fill(n, true, m.aux[n], src); err != nil {
			return err
		}
	}
	m.syncHalf()
	m.inited = true
	return nil
}

// syncHalf rounds the float32 parameters into the float16 ones of a
// multi-precision module and widens them back, so that the executor
// computes with the float16 values.
func (m *Module) syncHalf() {
	for n, h := range m.half {
		hd, _ := tensor.Data[tensor.Half](h)
		d := m.args[n].Float32s()
		for i, v := range d {
			hd[i] = tensor.ToHalf(v)
			d[i] = hd[i].Float32()
		}
	}
}

// widenHalf copies the float16 parameters (just updated) into the float32
// ones the executor reads.
func (m *Module) widenHalf() {
	for _, i := range m.idx {
		n := m.paramNames[i]
		hd, _ := tensor.Data[tensor.Half](m.half[n])
		d := m.args[n].Float32s()
		for k, v := range hd {
			d[k] = v.Float32()
		}
	}
}

// GetParams returns the current parameters and auxiliary states by plain
// name (the module's arrays, not copies; they change with every Update).
// The parameters of a multi-precision module are float16.
func (m *Module) GetParams() (args, aux map[string]*tensor.Tensor) {
	args, aux = map[string]*tensor.Tensor{}, map[string]*tensor.Tensor{}
	for _, n := range m.paramNames {
		args[n] = m.args[n]
		if h := m.half[n]; h != nil {
			args[n] = h
		}
	}
	for _, n := range m.auxNames {
		aux[n] = m.aux[n]
	}
	return args, aux
}

// SetParams copies values into the parameters (Module.set_params): names
// that are not parameters are an error unless allowExtra, and every
// parameter needs a value unless allowMissing.
func (m *Module) SetParams(args, aux map[string]*tensor.Tensor, allowMissing, allowExtra bool) error {
	if m.tr == nil {
		return errors.New("module set params: call Bind first")
	}
	if !allowExtra {
		var extra []string
		for _, src := range []map[string]*tensor.Tensor{args, aux} {
			for k := range src {
				n := strings.TrimPrefix(strings.TrimPrefix(k, "arg:"), "aux:")
				if !slices.Contains(m.paramNames, n) && !slices.Contains(m.auxNames, n) {
					extra = append(extra, k)
				}
			}
		}
		if len(extra) > 0 {
			sort.Strings(extra)
			return fmt.Errorf("module set params: %v are not parameters of the module (allow_extra is false)", extra)
		}
	}
	if args == nil {
		args = map[string]*tensor.Tensor{}
	}
	return m.InitParams(Zero{}, 0, args, aux, allowMissing, true)
}

// InitOptimizer creates the optimizer by name as Module.init_optimizer
// (CreateForModule: rescale_grad = 1/batch_size, wd_mult and lr_mult
// rules), with kwargs such as learning_rate, momentum, wd, clip_gradient
// (and multi_precision = 1 for a MultiPrecision module).
func (m *Module) InitOptimizer(name string, kwargs map[string]float64) error {
	if m.tr == nil {
		return errors.New("module init optimizer: call Bind first")
	}
	if m.MultiPrecision {
		kw := make(map[string]float64, len(kwargs)+1)
		for k, v := range kwargs {
			kw[k] = v
		}
		kw["multi_precision"] = 1
		kwargs = kw
	}
	opt, err := CreateForModule(name, m.paramNames, m.batchSize, m.sym.AttrDict(), kwargs)
	if err != nil {
		return fmt.Errorf("module init optimizer: %w", err)
	}
	if b, ok := opt.(interface{ SetThreads(int) }); ok && m.Threads > 0 {
		b.SetThreads(m.Threads)
	}
	m.opt, m.upd = opt, NewUpdater(opt)
	if m.pendingStates != nil {
		m.upd.SetStates(m.pendingStates)
		m.pendingStates = nil
	}
	m.idx, m.ws, m.gs = m.idx[:0], m.ws[:0], m.gs[:0]
	for i, n := range m.paramNames {
		if g := m.tr.Grad(n); g != nil {
			w := m.args[n]
			if h := m.half[n]; h != nil {
				w = h
			}
			m.idx = append(m.idx, i)
			m.ws = append(m.ws, w)
			m.gs = append(m.gs, g)
		}
	}
	return nil
}

// Optimizer returns the optimizer (nil before InitOptimizer).
func (m *Module) Optimizer() Optimizer { return m.opt }

// Updater returns the updater holding the optimizer states.
func (m *Module) Updater() *Updater { return m.upd }

// Forward copies a batch into the bound inputs and runs the forward pass
// (train: training mode). Data containing NaN or infinity is an error.
func (m *Module) Forward(ctx context.Context, b *DataBatch, train bool) error {
	if m.tr == nil {
		return errors.New("module forward: call Bind first")
	}
	if len(b.Data) != len(m.dataNames) {
		return fmt.Errorf("module forward: %d data arrays for inputs %v", len(b.Data), m.dataNames)
	}
	for i, n := range m.dataNames {
		if err := m.load(n, b.Data[i], true); err != nil {
			return err
		}
	}
	if train || len(b.Label) > 0 {
		if len(b.Label) != len(m.labelNames) {
			return fmt.Errorf("module forward: %d label arrays for labels %v", len(b.Label), m.labelNames)
		}
		for i, n := range m.labelNames {
			if err := m.load(n, b.Label[i], false); err != nil {
				return err
			}
		}
	}
	return m.tr.Forward(ctx, train)
}

func (m *Module) load(name string, src *tensor.Tensor, checkFinite bool) error {
	dst := m.tr.Arg(name)
	if src.DType() != tensor.Float32 || src.Len() != dst.Len() {
		return fmt.Errorf("module forward: %s is %s %s, the module is bound for float32 %s", name, src.DType(),
			tensor.ShapeString(src.Shape()), tensor.ShapeString(dst.Shape()))
	}
	s := src.Float32s()
	if checkFinite {
		for i, v := range s {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("module forward: %s element %d is %v", name, i, v)
			}
		}
	}
	copy(dst.Float32s(), s)
	return nil
}

// Backward computes the gradients of the last training forward pass.
func (m *Module) Backward(ctx context.Context) error {
	if m.tr == nil {
		return errors.New("module backward: call Bind first")
	}
	return m.tr.Backward(ctx)
}

// Update applies the optimizer to every parameter with a gradient.
func (m *Module) Update() error {
	if m.upd == nil {
		return errors.New("module update: call InitOptimizer first")
	}
	if err := m.upd.Update(m.idx, m.ws, m.gs); err != nil {
		return err
	}
	if m.half != nil {
		m.widenHalf()
	}
	return nil
}

// Outputs returns the output arrays of the last forward pass (shared).
func (m *Module) Outputs() []*tensor.Tensor { return m.preds }

// Grad returns the gradient of parameter name (shared), nil if none.
func (m *Module) Grad(name string) *tensor.Tensor { return m.tr.Grad(name) }

// UpdateMetric updates metric with the labels of b and the outputs.
func (m *Module) UpdateMetric(metric Metric, b *DataBatch) error {
	return metric.Update(b.Label, m.preds)
}

// Score runs it (from its start) in inference mode and returns metric's
// global value over it, as Module.score.
func (m *Module) Score(ctx context.Context, it DataIter, metric Metric) (float64, error) {
	it.Reset()
	metric.Reset()
	for b, ok := it.Next(); ok; b, ok = it.Next() {
		if err := m.Forward(ctx, b, false); err != nil {
			return 0, err
		}
		if err := m.UpdateMetric(metric, b); err != nil {
			return 0, err
		}
	}
	_, v := metric.GetGlobal()
	return v, nil
}

// EpochResult summarizes one epoch of Fit.
type EpochResult struct {
	// Epoch is 1-based.
	Epoch int
	// Train is the training metric's value over the epoch, Eval the
	// evaluation metric's (NaN without an evaluation iterator).
	Train, Eval float64
	// Samples is the number of training samples seen; Seconds the epoch's
	// training time (evaluation excluded).
	Samples int
	Seconds float64
}

// FitOptions configure Fit.
type FitOptions struct {
	// Epochs is the number of epochs to run (num_epoch − begin_epoch).
	Epochs int
	// BeginEpoch is the 0-based epoch to start from (resuming).
	BeginEpoch int
	// Metric is the training and evaluation metric (default accuracy).
	Metric func() Metric
	// BatchEnd and EpochEnd are MXNet's batch_end_callback and
	// epoch_end_callback (e.g. Speedometer.BatchEnd, DoCheckpoint).
	BatchEnd []BatchEndCallback
	EpochEnd []EpochEndCallback
	// OnEpoch, when set, receives each epoch's results after evaluation.
	OnEpoch func(EpochResult) error
}

// Fit trains as Module.fit: per epoch, for each batch forward (training),
// backward, update, metric update and batch-end callbacks; then the
// epoch-end callbacks with the parameters, evaluation on evalIter (may be
// nil) and OnEpoch. Bind, InitParams and InitOptimizer must have been
// called. It stops with ctx's error when ctx is cancelled (checkpoints
// already written stay complete).
func (m *Module) Fit(ctx context.Context, trainIter, evalIter DataIter, o FitOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if m.upd == nil || !m.inited {
		return errors.New("module fit: call Bind, InitParams and InitOptimizer first")
	}
	newMetric := o.Metric
	if newMetric == nil {
		newMetric = func() Metric { return NewAccuracy() }
	}
	trainMetric, evalMetric := newMetric(), newMetric()
	for epoch := o.BeginEpoch; epoch < o.BeginEpoch+o.Epochs; epoch++ {
		start := time.Now()
		trainMetric.Reset()
		trainIter.Reset()
		samples := 0
		nbatch := 0
		for b, ok := trainIter.Next(); ok; b, ok = trainIter.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := m.Forward(ctx, b, true); err != nil {
				return fmt.Errorf("epoch %d batch %d: %w", epoch+1, nbatch, err)
			}
			if err := m.Backward(ctx); err != nil {
				return fmt.Errorf("epoch %d batch %d: %w", epoch+1, nbatch, err)
			}
			if err := m.Update(); err != nil {
				return fmt.Errorf("epoch %d batch %d: %w", epoch+1, nbatch, err)
			}
			if err := m.UpdateMetric(trainMetric, b); err != nil {
				return fmt.Errorf("epoch %d batch %d: %w", epoch+1, nbatch, err)
			}
			samples += trainIter.BatchSize() - b.Pad
			for _, cb := range o.BatchEnd {
				cb(BatchEndParam{Epoch: epoch, NBatch: nbatch, EvalMetric: trainMetric})
			}
			nbatch++
		}
		secs := time.Since(start).Seconds()
		_, trainV := trainMetric.GetGlobal()
		args, aux := m.GetParams()
		for _, cb := range o.EpochEnd {
			if err := cb(EpochEndParam{Epoch: epoch, Symbol: m.sym, Args: args, Aux: aux}); err != nil {
				return err
			}
		}
		evalV := math.NaN()
		if evalIter != nil {
			v, err := m.Score(ctx, evalIter, evalMetric)
			if err != nil {
				return fmt.Errorf("epoch %d evaluation: %w", epoch+1, err)
			}
			evalV = v
		}
		if o.OnEpoch != nil {
			if err := o.OnEpoch(EpochResult{Epoch: epoch + 1, Train: trainV, Eval: evalV, Samples: samples, Seconds: secs}); err != nil {
				return err
			}
		}
	}
	return nil
}

// SaveCheckpoint writes PREFIX-symbol.json and PREFIX-EEEE.params (and,
// with saveOptimizerStates, PREFIX-EEEE.states, a pickle MXNet reads) as
// Module.save_checkpoint. Each file is written to a temporary file and
// renamed, so an interrupted save leaves the previous files intact.
func (m *Module) SaveCheckpoint(prefix string, epoch int, saveOptimizerStates bool) error {
	args, aux := m.GetParams()
	if err := SaveCheckpointAtomic(prefix, epoch, &serialize.Checkpoint{Symbol: m.sym, Args: args, Aux: aux}); err != nil {
		return err
	}
	if !saveOptimizerStates {
		return nil
	}
	if m.upd == nil {
		return errors.New("save checkpoint: no optimizer (call InitOptimizer)")
	}
	data, err := encodeStates(m.upd.States())
	if err != nil {
		return fmt.Errorf("save checkpoint: optimizer states: %w", err)
	}
	return writeAtomic(fmt.Sprintf("%s-%04d.states", prefix, epoch), func(path string) error {
		return os.WriteFile(path, data, 0o644)
	})
}

// LoadModule loads PREFIX-symbol.json and PREFIX-EEEE.params into a new
// module (MXNet's Module.load) whose Bind uses them as its parameters; with
// loadOptimizerStates, PREFIX-EEEE.states (MXNet's or mxgo's pickle) restores
// the optimizer's states at InitOptimizer, so training resumes.
func LoadModule(prefix string, epoch int, dataNames, labelNames []string, loadOptimizerStates bool) (*Module, error) {
	ck, err := serialize.LoadCheckpoint(prefix, epoch)
	if err != nil {
		return nil, err
	}
	m, err := NewModule(ck.Symbol, dataNames, labelNames)
	if err != nil {
		return nil, err
	}
	m.pendingArgs, m.pendingAux = ck.Args, ck.Aux
	if m.pendingArgs == nil {
		m.pendingArgs = map[string]*tensor.Tensor{}
	}
	if loadOptimizerStates {
		data, err := os.ReadFile(fmt.Sprintf("%s-%04d.states", prefix, epoch))
		if err != nil {
			return nil, fmt.Errorf("load module: %w", err)
		}
		if m.pendingStates, err = decodeStates(data); err != nil {
			return nil, fmt.Errorf("load module: optimizer states: %w", err)
		}
	}
	return m, nil
}

// SaveCheckpointAtomic is serialize.SaveCheckpoint with each file written
// to a temporary file in the same directory and renamed into place, so an
// interrupted save never leaves a truncated checkpoint.
func SaveCheckpointAtomic(prefix string, epoch int, ck *serialize.Checkpoint) error {
	symPath, paramsPath := serialize.CheckpointPaths(prefix, epoch)
	if err := writeAtomic(symPath, func(p string) error { return serialize.SaveSymbol(p, ck.Symbol, nil) }); err != nil {
		return fmt.Errorf("save checkpoint: %w", err)
	}
	if err := writeAtomic(paramsPath, func(p string) error {
		return serialize.SaveNDArrays(p, serialize.CheckpointParams(ck), serialize.FormatV2)
	}); err != nil {
		return fmt.Errorf("save checkpoint: %w", err)
	}
	return nil
}

// writeAtomic calls write with a temporary path next to path, then renames
// it to path; the temporary file is removed on failure.
func writeAtomic(path string, write func(tmp string) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	f.Close()
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
