package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// maxVariants bounds the distinct output selections bound per model.
const maxVariants = 16

// model is one configured model name; it may be loaded or not.
type model struct {
	s    *Server
	spec ModelSpec
	mu   sync.Mutex // serializes load and unload
	cur  atomic.Pointer[loaded]
}

func (m *model) current() *loaded { return m.cur.Load() }

// tensorMeta describes an input or output: name, dtype and shape with -1
// for the batch dimension.
type tensorMeta struct {
	name  string
	dtype tensor.DType
	shape []int
}

// loaded is a model bound and running: its metadata, its bound variants
// (one per output selection) and their batchers.
type loaded struct {
	m         *model
	name      string
	epoch     atomic.Int64
	sym       *graph.Symbol
	inputs    []tensorMeta
	outputs   []tensorMeta    // of the heads variant
	internals map[string]bool // requestable output names: true for operator outputs, false for variables
	sem       chan struct{}   // concurrency limit shared by the variants
	pending   atomic.Int64    // requests waiting or running
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup // dispatchers and watcher

	mu       sync.Mutex // guards variants and parameter swaps
	variants map[string]*variant
	// paramMu is held for reading by each Predict and for writing by a
	// swap, so a result's reported epoch is the one that computed it.
	paramMu sync.RWMutex
}

// variant is the model bound for one selection of outputs.
type variant struct {
	l          *loaded
	m          *executor.Model
	outputs    []tensorMeta
	batchable  bool // outputs have the batch dimension first
	fixedBatch bool // the model runs at batch size 1 only
	queue      chan *job
}

// load binds the model (at its newest epoch for Latest) and starts it.
func (m *model) load() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur.Load() != nil {
		return nil
	}
	epoch := m.spec.Epoch
	if epoch == Latest {
		e, _, err := newestEpoch(m.spec.Prefix)
		if err != nil {
			return err
		}
		epoch = e
	}
	ck, err := serialize.LoadCheckpoint(m.spec.Prefix, epoch)
	if err != nil {
		return err
	}
	l, err := m.bind(ck)
	if err != nil {
		return err
	}
	l.epoch.Store(int64(epoch))
	if m.spec.Epoch == Latest && m.s.opts.PollInterval > 0 {
		l.wg.Add(1)
		go l.watch()
	}
	m.cur.Store(l)
	m.s.log.Info("model loaded", "model", m.spec.Name, "prefix", m.spec.Prefix, "epoch", epoch, "batchable", l.variants[""].batchable)
	return nil
}

// unload stops the model: new requests get UNAVAILABLE, queued ones are
// answered with UNAVAILABLE, running ones finish.
func (m *model) unload() {
	m.mu.Lock()
	defer m.mu.Unlock()
	l := m.cur.Swap(nil)
	if l == nil {
		return
	}
	l.cancel()
	l.wg.Wait()
	m.s.log.Info("model unloaded", "model", m.spec.Name)
}

func (m *model) bind(ck *serialize.Checkpoint) (*loaded, error) {
	o := &m.s.opts
	names, err := executor.DataInputs(ck.Symbol, ck.Args, ck.Aux)
	if err != nil {
		return nil, err
	}
	shapes, err := m.inputShapes(ck.Symbol, names)
	if err != nil {
		return nil, err
	}
	l := &loaded{m: m, name: m.spec.Name, sym: ck.Symbol, internals: map[string]bool{},
		sem: make(chan struct{}, o.Concurrency), variants: map[string]*variant{}}
	l.ctx, l.cancel = context.WithCancel(m.s.ctx)
	// Requestable outputs are operator outputs; variables (inputs,
	// weights, labels) are not.
	vars := map[string]bool{}
	for _, n := range ck.Symbol.Nodes() {
		if n.OpName == "" {
			vars[n.Name] = true
		}
	}
	for _, n := range ck.Symbol.Internals().ListOutputs() {
		l.internals[n] = !vars[n]
	}
	for _, n := range names {
		dt, err := inputDType(ck.Symbol, n)
		if err != nil {
			return nil, err
		}
		if _, ok := datatypeName(dt); !ok {
			return nil, fmt.Errorf("input %s: dtype %s has no OIP datatype", n, dt)
		}
		shape := slices.Clone(shapes[n])
		shape[0] = -1
		l.inputs = append(l.inputs, tensorMeta{name: n, dtype: dt, shape: shape})
	}
	v, err := l.newVariant(nil, ck.Args, ck.Aux)
	if err != nil {
		l.cancel()
		return nil, err
	}
	l.outputs = v.outputs
	l.variants[""] = v
	if v.fixedBatch {
		for i := range l.inputs {
			l.inputs[i].shape[0] = 1 // metadata and checks: batch 1 only
		}
	}
	return l, nil
}

// inputShapes finds every data input's shape (see ModelSpec.InputShapes).
func (m *model) inputShapes(sym *graph.Symbol, names []string) (map[string][]int, error) {
	out := map[string][]int{}
	var file []struct {
		Name  string `json:"name"`
		Shape []int  `json:"shape"`
	}
	if b, err := os.ReadFile(m.spec.Prefix + "-shapes.json"); err == nil {
		if err := json.Unmarshal(b, &file); err != nil {
			return nil, fmt.Errorf("%s-shapes.json: %w", m.spec.Prefix, err)
		}
	}
	attrs := map[string]string{}
	for _, n := range sym.Nodes() {
		if n.OpName == "" && n.Attrs["__shape__"] != "" {
			attrs[n.Name] = n.Attrs["__shape__"]
		}
	}
	for _, n := range names {
		var s []int
		if v, ok := m.spec.InputShapes[n]; ok {
			s = v
		} else if i := slices.IndexFunc(file, func(e struct {
			Name  string `json:"name"`
			Shape []int  `json:"shape"`
		}) bool {
			return e.Name == n
		}); i >= 0 {
			s = file[i].Shape
		} else if a, ok := attrs[n]; ok {
			v, err := ops.ParseShape(a)
			if err != nil {
				return nil, fmt.Errorf("input %s: __shape__: %w", n, err)
			}
			s = v
		} else {
			return nil, fmt.Errorf("input %s: shape unknown: give it (mxgo serve -shape %s:%s=N,...) or in %s-shapes.json", n, m.spec.Name, n, m.spec.Prefix)
		}
		if len(s) == 0 {
			return nil, fmt.Errorf("input %s: a served input needs a batch dimension, got shape []", n)
		}
		s = slices.Clone(s)
		s[0] = 1
		if _, err := tensor.NumElements(s, 1); err != nil {
			return nil, fmt.Errorf("input %s: %w", n, err)
		}
		out[n] = s
	}
	return out, nil
}

// inputDType is the dtype Bind gives a data input: its __dtype__ attribute
// (an MXNet dtype flag) or float32.
func inputDType(sym *graph.Symbol, name string) (tensor.DType, error) {
	for _, n := range sym.Nodes() {
		if n.OpName != "" || n.Name != name {
			continue
		}
		if a, ok := n.Attrs["__dtype__"]; ok {
			f, err := strconv.Atoi(a)
			if err != nil || f < 0 || f >= tensor.NumDTypes {
				return 0, fmt.Errorf("input %s: bad __dtype__ %q", name, a)
			}
			return tensor.DType(f), nil
		}
	}
	return tensor.Float32, nil
}

// newVariant binds the model for the given outputs (nil: the heads), probes
// it at batch sizes 1 and 2 to learn the output shapes and whether they
// carry the batch dimension first, and starts its dispatcher. l.mu must be
// held (or l not yet shared).
func (l *loaded) newVariant(outs []string, args, aux map[string]*tensor.Tensor) (*variant, error) {
	o := &l.m.s.opts
	shapes := map[string][]int{}
	for _, in := range l.inputs {
		s := slices.Clone(in.shape)
		s[0] = 1
		shapes[in.name] = s
	}
	opts := []executor.Option{executor.WithThreads(o.Threads), executor.WithPlanCache(planCache(o.MaxBatch))}
	if outs != nil {
		opts = append(opts, executor.WithOutputs(outs...))
	}
	em, err := executor.Bind(l.sym, args, aux, shapes, opts...)
	if err != nil {
		return nil, err
	}
	v := &variant{l: l, m: em, queue: make(chan *job, o.MaxQueue)}
	var probe [2][]*tensor.Tensor
	for b := 1; b <= 2; b++ {
		ins := make([]*tensor.Tensor, len(l.inputs))
		for i, in := range l.inputs {
			s := slices.Clone(in.shape)
			s[0] = b
			if ins[i], err = tensor.New(in.dtype, s...); err != nil {
				return nil, fmt.Errorf("input %s: %w", in.name, err)
			}
		}
		if probe[b-1], err = em.Predict(context.Background(), ins, nil); err != nil {
			if b == 1 {
				return nil, fmt.Errorf("probe at batch 1: %w", err)
			}
			v.fixedBatch = true // e.g. a Reshape with the batch size written in
		}
	}
	v.batchable = !v.fixedBatch
	for i, name := range em.OutputNames() {
		p1 := probe[0][i]
		shape := p1.Shape()
		if _, ok := datatypeName(p1.DType()); !ok {
			return nil, fmt.Errorf("output %s: dtype %s has no OIP datatype", name, p1.DType())
		}
		if v.fixedBatch || len(shape) == 0 || shape[0] != 1 || probe[1][i].Dim(0) != 2 || !slices.Equal(shape[1:], probe[1][i].Shape()[1:]) {
			v.batchable = false
		} else {
			shape[0] = -1
		}
		v.outputs = append(v.outputs, tensorMeta{name: name, dtype: p1.DType(), shape: shape})
	}
	l.wg.Add(1)
	go v.dispatch()
	return v, nil
}

// variantFor returns the variant producing the named outputs (nil: the
// heads), binding it on first use.
func (l *loaded) variantFor(outs []string) (*variant, error) {
	key := strings.Join(outs, "\x00")
	l.mu.Lock()
	defer l.mu.Unlock()
	if v, ok := l.variants[key]; ok {
		return v, nil
	}
	if len(l.variants) >= maxVariants {
		return nil, errorf(kindInvalid, "outputs: model %s already serves %d output selections; request the model's outputs or one of the selections in use", l.name, maxVariants)
	}
	args, aux := l.variants[""].m.GetParams()
	v, err := l.newVariant(outs, args, aux)
	if err != nil {
		return nil, errorf(kindInvalid, "outputs: cannot compute %v: %v", outs, err)
	}
	l.variants[key] = v
	return v, nil
}

// paramsName matches PREFIX-NNNN.params file names.
func paramsPattern(prefix string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(filepath.Base(prefix)) + `-([0-9]{4,9})\.params$`)
}

// newestEpoch finds the highest NNNN of PREFIX-NNNN.params and its file info.
func newestEpoch(prefix string) (int, os.FileInfo, error) {
	dir := filepath.Dir(prefix)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, nil, err
	}
	re := paramsPattern(prefix)
	best, bestName := -1, ""
	for _, e := range ents {
		if sm := re.FindStringSubmatch(e.Name()); sm != nil && !e.IsDir() {
			if n, err := strconv.Atoi(sm[1]); err == nil && n > best {
				best, bestName = n, e.Name()
			}
		}
	}
	if best < 0 {
		return 0, nil, fmt.Errorf("no %s-NNNN.params in %s", filepath.Base(prefix), dir)
	}
	fi, err := os.Stat(filepath.Join(dir, bestName))
	return best, fi, err
}

// watch polls the checkpoint directory and swaps newer epochs in. A file
// that does not parse (e.g. still being written) is retried when its size
// or modification time changes.
func (l *loaded) watch() {
	defer l.wg.Done()
	log := l.m.s.log.With("model", l.name)
	t := time.NewTicker(l.m.s.opts.PollInterval)
	defer t.Stop()
	type attempt struct {
		epoch int
		size  int64
		mod   time.Time
	}
	var failed attempt
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
		e, fi, err := newestEpoch(l.m.spec.Prefix)
		if err != nil || int64(e) <= l.epoch.Load() {
			continue
		}
		a := attempt{e, fi.Size(), fi.ModTime()}
		if a == failed {
			continue
		}
		if err := l.swap(e); err != nil {
			failed = a
			log.Warn("newer epoch not loaded (retried when the file changes)", "epoch", e, "err", err)
			continue
		}
		log.Info("swapped in newer epoch", "epoch", e)
		l.m.s.metrics.swaps.WithLabelValues(l.name).Inc()
	}
}

// swap loads PREFIX-EEEE.params and sets it on every variant; it changes
// nothing when the file does not parse or does not fit.
func (l *loaded) swap(epoch int) error {
	_, path := serialize.CheckpointPaths(l.m.spec.Prefix, epoch)
	list, err := serialize.LoadNDArrays(path)
	if err != nil {
		return err
	}
	args, aux, err := serialize.SplitParams(list)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paramMu.Lock()
	defer l.paramMu.Unlock()
	// Check against the heads variant first so a bad file changes nothing.
	if err := l.variants[""].m.SetParams(args, aux); err != nil {
		return err
	}
	for k, v := range l.variants {
		if k != "" {
			if err := v.m.SetParams(args, aux); err != nil {
				return fmt.Errorf("outputs %q: %w", k, err)
			}
		}
	}
	l.epoch.Store(int64(epoch))
	return nil
}

// version is the model version string: its epoch.
func (l *loaded) version() string { return strconv.FormatInt(l.epoch.Load(), 10) }

// lookup finds a loaded model by name and optional version.
func (s *Server) lookup(name, version string) (*loaded, error) {
	m, ok := s.models[name]
	if !ok {
		return nil, errorf(kindNotFound, "model %q not found", name)
	}
	l := m.current()
	if l == nil {
		return nil, errorf(kindUnavailable, "model %q is not loaded", name)
	}
	if version != "" && version != l.version() {
		return nil, errorf(kindNotFound, "model %q has no version %q (serving %s)", name, version, l.version())
	}
	return l, nil
}

var errClosed = errors.New("closed")
