package executor

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// Trainer is a graph bound for training: MXNet's simple_bind executor with
// grad_req, running Forward (train or inference mode) and Backward over
// float32 tensors. Unlike Model it is not safe for concurrent use: one
// Trainer is one executor with its own arrays, as in MXNet.
//
// Memory: every value the forward pass computes keeps its own buffer for
// the backward pass (no reuse between values), and every value on a path
// from a differentiated argument to a head has a gradient buffer. All
// buffers are allocated at BindTrain; Forward and Backward allocate
// nothing.
type Trainer struct {
	g       *graph.Indexed
	sym     *graph.Symbol
	threads int

	vals  []*tensor.Tensor // per entry (arguments and aux states included)
	grads []*tensor.Tensor // per entry; nil where no gradient flows

	args    []trainVar // arguments, in ListArguments order
	aux     []trainVar // auxiliary states, in ListAuxiliaryStates order
	heads   []int      // entry ids of the outputs
	outputs []string

	steps []trainStep
	ctx   ops.Ctx
}

type trainVar struct {
	name  string
	entry int
	req   ops.GradReq
	grad  *tensor.Tensor // argument gradient (nil for GradNull)
}

type trainStep struct {
	node    int
	name    string
	op      *ops.Op
	params  any
	in, out []*tensor.Tensor
	outGrad []*tensor.Tensor
	inGrad  []*tensor.Tensor
	req     []ops.GradReq
	back    bool // run the backward kernel
	ws      []float32
	bws     []float32
}

// TrainOption configures BindTrain.
type TrainOption func(*trainConfig) error

type trainConfig struct {
	threads int
	reqs    map[string]ops.GradReq
	defReq  ops.GradReq
	memory  int
	seed    *uint64
}

// WithSeed seeds the random source of training kernels (Dropout's masks),
// so a training run is reproducible; without it they draw from
// math/rand/v2's global source.
func WithSeed(seed uint64) TrainOption {
	return func(c *trainConfig) error {
		c.seed = &seed
		return nil
	}
}

// WithGradReq sets the grad_req of named arguments (MXNet's grad_req dict):
// GradWrite overwrites the argument's gradient in every Backward, GradAdd
// accumulates into it (the caller zeroes it, as in MXNet), GradNull
// computes none. Arguments not named get the default (see
// WithDefaultGradReq).
func WithGradReq(reqs map[string]ops.GradReq) TrainOption {
	return func(c *trainConfig) error {
		for k, v := range reqs {
			if v > ops.GradAdd {
				return fmt.Errorf("WithGradReq: %s: invalid grad_req %d", quote(k), v)
			}
			c.reqs[k] = v
		}
		return nil
	}
}

// WithDefaultGradReq sets the grad_req of the arguments WithGradReq does
// not name and that are not data inputs (default GradWrite; data and label
// inputs, those given in shapes, default to GradNull).
func WithDefaultGradReq(r ops.GradReq) TrainOption {
	return func(c *trainConfig) error {
		if r > ops.GradAdd {
			return fmt.Errorf("WithDefaultGradReq: invalid grad_req %d", r)
		}
		c.defReq = r
		return nil
	}
}

// WithTrainThreads sets the goroutines a kernel may use (default
// runtime.GOMAXPROCS(0)).
func WithTrainThreads(n int) TrainOption {
	return func(c *trainConfig) error {
		if n < 1 {
			return fmt.Errorf("WithTrainThreads(%d): need at least 1", n)
		}
		c.threads = n
		return nil
	}
}

// WithTrainMemoryLimit bounds the bytes BindTrain allocates for values,
// gradients and workspaces (default DefaultMemoryLimit; <= 0: none).
func WithTrainMemoryLimit(bytes int64) TrainOption {
	return func(c *trainConfig) error {
		if bytes <= 0 || bytes > math.MaxInt {
			c.memory = 0
		} else {
			c.memory = int(bytes)
		}
		return nil
	}
}

// BindTrain binds sym for training (MXNet's simple_bind with grad_req).
// shapes gives the shape of every data and label input (e.g. {"data":
// {100, 784}, "softmax_label": {100}}); args and aux hold the parameter
// values by name (arg:/aux: prefixes allowed, as for Bind). Parameter
// tensors are used in place: an optimizer updating them in place changes
// what the next Forward sees, and train-mode Forward updates auxiliary
// states (BatchNorm's moving statistics) in place, as MXNet does.
//
// Every argument not in shapes needs a float32 value; the inputs in shapes
// are allocated by the Trainer (fill them through Arg). Errors name the
// missing, mis-shaped or non-differentiable piece.
func BindTrain(sym *graph.Symbol, args, aux map[string]*tensor.Tensor, shapes map[string][]int, opts ...TrainOption) (*Trainer, error) {
	cfg := trainConfig{threads: runtime.GOMAXPROCS(0), reqs: map[string]ops.GradReq{}, defReq: ops.GradWrite, memory: DefaultMemoryLimit}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("bind train: %w", err)
		}
	}
	if sym == nil {
		return nil, errors.New("bind train: nil symbol")
	}
	sym = sym.Copy()
	g, err := graph.Index(sym)
	if err != nil {
		return nil, fmt.Errorf("bind train: %w", err)
	}
	if err := g.Check(); err != nil {
		return nil, fmt.Errorf("bind train: %w", err)
	}
	t := &Trainer{g: g, sym: sym, threads: cfg.threads, outputs: sym.ListOutputs()}
	names := variableNames(g)
	for name := range shapes {
		if !slices.Contains(names, name) {
			return nil, fmt.Errorf("bind train: shapes names %s, which is not an input of the graph%s", quote(name), didYouMean(name, names))
		}
	}
	for name := range cfg.reqs {
		if !slices.Contains(names, name) {
			return nil, fmt.Errorf("bind train: grad_req names %s, which is not an argument of the graph%s", quote(name), didYouMean(name, names))
		}
	}
	for _, vals := range []map[string]*tensor.Tensor{args, aux} {
		for key := range vals {
			name := strings.TrimPrefix(strings.TrimPrefix(key, "arg:"), "aux:")
			if !slices.Contains(names, name) {
				return nil, fmt.Errorf("bind train: unknown parameter name %s%s", quote(key), didYouMean(name, names))
			}
		}
	}

	// Shapes and types: data inputs from shapes, parameters from values.
	known := map[string][]int{}
	var missing []string
	for _, id := range g.InputNodes {
		n := &g.Nodes[id]
		if s, ok := shapes[n.Name]; ok {
			known[n.Name] = s
			continue
		}
		v := lookupParam(n.Name, n.Aux, args, aux)
		if v == nil {
			kind := "argument"
			if n.Aux {
				kind = "auxiliary state"
			}
			missing = append(missing, kind+" "+n.Name)
			continue
		}
		if v.DType() != tensor.Float32 {
			return nil, fmt.Errorf("bind train: parameter %s is %s; training supports float32 only", n.Name, v.DType())
		}
		known[n.Name] = v.Shape()
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("bind train: no value for %s (give data and label inputs in shapes, parameters in args/aux)", strings.Join(missing, ", "))
	}
	st, err := graph.InferShapes(g, known)
	if err != nil {
		return nil, fmt.Errorf("bind train: %w", err)
	}
	known32 := map[string]tensor.DType{}
	for _, id := range g.InputNodes {
		known32[g.Nodes[id].Name] = tensor.Float32
	}
	types, err := graph.InferTypes(g, known32)
	if err != nil {
		return nil, fmt.Errorf("bind train: %w", err)
	}
	n := g.NumEntries()
	dtype := make([]tensor.DType, n)
	for id, ty := range types.Types {
		dtype[id] = ty
		if ty == ops.UnknownType {
			return nil, fmt.Errorf("bind train: cannot infer the dtype of %s", g.EntryName(id))
		}
	}
	// Every value a gradient flows through is float32; only hidden
	// outputs (max pooling's int32 argmax) may have other dtypes.
	for i := range g.Nodes {
		nd := &g.Nodes[i]
		for _, e := range nd.In {
			if id := g.EntryID(e); dtype[id] != tensor.Float32 {
				return nil, fmt.Errorf("bind train: %s is %s; training supports float32 only", g.EntryName(id), dtype[id])
			}
		}
	}
	for _, h := range g.Heads {
		if id := g.EntryID(h); dtype[id] != tensor.Float32 {
			return nil, fmt.Errorf("bind train: output %s is %s; training supports float32 only", g.EntryName(id), dtype[id])
		}
	}
	for id := range n {
		if !ops.ShapeKnown(st.Shapes[id]) {
			return nil, fmt.Errorf("bind train: cannot infer the shape of %s (give every data and label shape)", g.EntryName(id))
		}
	}
	budget := cfg.memory
	allocT := func(dt tensor.DType, what string, shape []int) (*tensor.Tensor, error) {
		cnt, err := tensor.NumElements(shape, dt.Size())
		if err != nil {
			return nil, fmt.Errorf("bind train: %s: %w", what, err)
		}
		if budget > 0 {
			if budget -= dt.Size() * cnt; budget < 0 {
				return nil, fmt.Errorf("bind train: values and gradients need more than the memory limit of %s (at %s %s); see WithTrainMemoryLimit",
					byteSize(cfg.memory), what, tensor.ShapeString(shape))
			}
		}
		return tensor.New(dt, shape...)
	}
	alloc := func(what string, shape []int) (*tensor.Tensor, error) { return allocT(tensor.Float32, what, shape) }

	// Values.
	t.vals = make([]*tensor.Tensor, n)
	isVar := make([]bool, n)
	for _, id := range g.InputNodes {
		nd := &g.Nodes[id]
		e := g.RowPtr[id]
		isVar[e] = true
		if _, ok := shapes[nd.Name]; ok {
			v, err := alloc(nd.Name, st.Shapes[e])
			if err != nil {
				return nil, err
			}
			t.vals[e] = v
		} else {
			v := lookupParam(nd.Name, nd.Aux, args, aux)
			if !sameShape(v, st.Shapes[e]) {
				return nil, fmt.Errorf("bind train: parameter %s has shape %s, the graph needs %s", nd.Name,
					tensor.ShapeString(v.Shape()), tensor.ShapeString(st.Shapes[e]))
			}
			t.vals[e] = v
		}
		tv := trainVar{name: nd.Name, entry: e}
		if nd.Aux {
			t.aux = append(t.aux, tv)
			continue
		}
		tv.req = cfg.defReq
		if _, ok := shapes[nd.Name]; ok {
			tv.req = ops.GradNull
		}
		if r, ok := cfg.reqs[nd.Name]; ok {
			tv.req = r
		}
		t.args = append(t.args, tv)
	}

	// needs[e]: a differentiated argument reaches e.
	needs := make([]bool, n)
	for _, a := range t.args {
		if a.req != ops.GradNull {
			needs[a.entry] = true
		}
	}
	for i := range g.Nodes {
		nd := &g.Nodes[i]
		if nd.IsVariable() {
			continue
		}
		reach := false
		for _, e := range nd.In {
			reach = reach || needs[g.EntryID(e)]
		}
		for j := range nd.Outputs {
			needs[g.RowPtr[i]+j] = reach
		}
	}
	for _, h := range g.Heads {
		t.heads = append(t.heads, g.EntryID(h))
	}
	// Gradient buffers: every non-variable entry that needs one; argument
	// gradients for differentiated arguments.
	t.grads = make([]*tensor.Tensor, n)
	for id := range n {
		if needs[id] && !isVar[id] && dtype[id] == tensor.Float32 {
			gr, err := alloc("gradient of "+g.EntryName(id), st.Shapes[id])
			if err != nil {
				return nil, err
			}
			t.grads[id] = gr
		}
	}
	for i := range t.args {
		a := &t.args[i]
		if a.req == ops.GradNull {
			continue
		}
		gr, err := alloc("gradient of "+a.name, st.Shapes[a.entry])
		if err != nil {
			return nil, err
		}
		a.grad = gr
		t.grads[a.entry] = gr
	}
	for id := range n {
		if isVar[id] || t.vals[id] != nil {
			continue
		}
		v, err := allocT(dtype[id], g.EntryName(id), st.Shapes[id])
		if err != nil {
			return nil, err
		}
		t.vals[id] = v
	}

	// Steps; then decide, walking backwards, which steps run backward and
	// which gradient each writes or adds.
	argReq := map[int]ops.GradReq{}
	for _, a := range t.args {
		argReq[a.entry] = a.req
	}
	for i := range g.Nodes {
		nd := &g.Nodes[i]
		if nd.IsVariable() {
			continue
		}
		if nd.Op.Forward == nil {
			return nil, fmt.Errorf("bind train: operator %q (node %s) has no kernel in mxgo", nd.OpName, nd.Name)
		}
		s := trainStep{node: i, name: nd.Name, op: nd.Op, params: nd.Params,
			in: make([]*tensor.Tensor, len(nd.In)), out: make([]*tensor.Tensor, nd.Outputs),
			outGrad: make([]*tensor.Tensor, nd.Outputs), inGrad: make([]*tensor.Tensor, len(nd.In)),
			req: make([]ops.GradReq, len(nd.In))}
		inShapes := make([]ops.Shape, len(nd.In))
		for j, e := range nd.In {
			id := g.EntryID(e)
			s.in[j] = t.vals[id]
			inShapes[j] = st.Shapes[id]
		}
		for j := range s.out {
			s.out[j] = t.vals[g.RowPtr[i]+j]
		}
		if nd.Op.Workspace != nil {
			shares := cfg.threads
			if nd.Op.WorkspaceShares != nil {
				shares = min(max(nd.Op.WorkspaceShares(nd.Params, inShapes, cfg.threads), 1), cfg.threads)
			}
			ws, ok := mulInt(nd.Op.Workspace(nd.Params, inShapes), shares)
			if !ok || ws > math.MaxInt/4 {
				return nil, fmt.Errorf("bind train: node %s (%s): workspace size overflows", nd.Name, nd.OpName)
			}
			if ws > 0 {
				w, err := alloc("workspace of "+nd.Name, []int{ws})
				if err != nil {
					return nil, err
				}
				s.ws = w.Float32s()
			}
		}
		if nd.Op.BackwardWorkspace != nil {
			// One share: backward kernels parallelise inside SGEMM.
			ws, ok := mulInt(nd.Op.BackwardWorkspace(nd.Params, inShapes), 1)
			if !ok || ws > math.MaxInt/4 {
				return nil, fmt.Errorf("bind train: node %s (%s): backward workspace size overflows", nd.Name, nd.OpName)
			}
			if ws > 0 {
				w, err := alloc("backward workspace of "+nd.Name, []int{ws})
				if err != nil {
					return nil, err
				}
				s.bws = w.Float32s()
			}
		}
		t.steps = append(t.steps, s)
	}
	written := make([]bool, n) // gradient already written by a later step
	for _, h := range t.heads {
		if t.grads[h] != nil {
			written[h] = true
		}
	}
	for si := len(t.steps) - 1; si >= 0; si-- {
		s := &t.steps[si]
		nd := &g.Nodes[s.node]
		active := false
		for j := range s.out {
			e := g.RowPtr[s.node] + j
			if written[e] {
				active = true
			}
		}
		if !active {
			continue
		}
		anyIn := false
		for _, e := range nd.In {
			anyIn = anyIn || t.grads[g.EntryID(e)] != nil
		}
		if !anyIn {
			continue
		}
		if nd.Op.Backward == nil {
			return nil, fmt.Errorf("bind train: operator %q (node %s) has no backward kernel in mxgo: cannot compute gradients through it", nd.OpName, nd.Name)
		}
		s.back = true
		for j := range s.out {
			e := g.RowPtr[s.node] + j
			s.outGrad[j] = t.grads[e] // nil or a buffer; unwritten ones stay zero
			if s.outGrad[j] == nil && dtype[e] == tensor.Float32 {
				z, err := alloc("gradient of "+g.EntryName(e), st.Shapes[e])
				if err != nil {
					return nil, err
				}
				s.outGrad[j] = z
			}
		}
		for j, e := range nd.In {
			id := g.EntryID(e)
			if t.grads[id] == nil {
				continue
			}
			s.inGrad[j] = t.grads[id]
			switch {
			case isVar[id] && argReq[id] == ops.GradAdd:
				s.req[j] = ops.GradAdd
			case written[id]:
				s.req[j] = ops.GradAdd
			default:
				s.req[j] = ops.GradWrite
				written[id] = true
			}
		}
		// An input used twice by one node: its second use adds.
		for j := range s.req {
			for k := range j {
				if s.inGrad[k] != nil && s.inGrad[k] == s.inGrad[j] && s.req[j] == ops.GradWrite {
					s.req[j] = ops.GradAdd
				}
			}
		}
	}
	t.ctx.Threads = cfg.threads
	if cfg.seed != nil {
		t.ctx.Rand = rand.New(rand.NewPCG(*cfg.seed, 0x6d78676f)) // "mxgo"
	}
	return t, nil
}

// ArgNames lists the arguments in ListArguments order.
func (t *Trainer) ArgNames() []string {
	out := make([]string, len(t.args))
	for i, a := range t.args {
		out[i] = a.name
	}
	return out
}

// AuxNames lists the auxiliary states in ListAuxiliaryStates order.
func (t *Trainer) AuxNames() []string {
	out := make([]string, len(t.aux))
	for i, a := range t.aux {
		out[i] = a.name
	}
	return out
}

// OutputNames lists the outputs (ListOutputs).
func (t *Trainer) OutputNames() []string { return slices.Clone(t.outputs) }

// Arg returns the array bound to argument or auxiliary state name: a
// data/label input the caller fills before Forward, or a parameter (the
// caller's tensor). nil when there is no such name.
func (t *Trainer) Arg(name string) *tensor.Tensor {
	for _, list := range [][]trainVar{t.args, t.aux} {
		for _, a := range list {
			if a.name == name {
				return t.vals[a.entry]
			}
		}
	}
	return nil
}

// Grad returns the gradient array of argument name (MXNet's grad_dict),
// nil when its grad_req is null or there is no such argument.
func (t *Trainer) Grad(name string) *tensor.Tensor {
	for _, a := range t.args {
		if a.name == name {
			return a.grad
		}
	}
	return nil
}

// GradReq returns the grad_req of argument name (GradNull when unknown).
func (t *Trainer) GradReq(name string) ops.GradReq {
	for _, a := range t.args {
		if a.name == name {
			return a.req
		}
	}
	return ops.GradNull
}

// Outputs returns the output arrays (shared: valid until the next Forward).
func (t *Trainer) Outputs() []*tensor.Tensor {
	out := make([]*tensor.Tensor, len(t.heads))
	for i, h := range t.heads {
		out[i] = t.vals[h]
	}
	return out
}

// Output returns output i (shared), without allocating.
func (t *Trainer) Output(i int) *tensor.Tensor { return t.vals[t.heads[i]] }

// Forward runs the forward pass: train selects training mode (batch
// statistics and moving-average updates for BatchNorm, Dropout masks), as
// MXNet's forward(is_train). It checks ctx between operators.
func (t *Trainer) Forward(ctx context.Context, train bool) error {
	if ctx == nil {
		ctx = context.Background()
	}
	t.ctx.Train = train
	t.ctx.Context = ctx
	defer func() { t.ctx.Context = nil }()
	done := ctx.Done()
	for si := range t.steps {
		s := &t.steps[si]
		if done != nil {
			select {
			case <-done:
				return ctx.Err()
			default:
			}
		}
		t.ctx.Scratch = s.ws
		if err := s.op.Forward(&t.ctx, s.params, s.in, s.out); err != nil {
			return fmt.Errorf("forward: node %s (%s): %w", s.name, s.op.Name, err)
		}
	}
	return nil
}

// Backward computes the gradients of the arguments from the last Forward
// (which must have been a training one for ops whose gradient depends on
// it). headGrads are the gradients of the outputs (MXNet's out_grads), one
// per output or none: loss heads (SoftmaxOutput, ...) ignore them and
// generate their own; a nil or missing entry means ones. The argument
// gradients are then in Grad(name).
func (t *Trainer) Backward(ctx context.Context, headGrads ...*tensor.Tensor) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(headGrads) != 0 && len(headGrads) != len(t.heads) {
		return fmt.Errorf("backward: %d head gradients for %d outputs", len(headGrads), len(t.heads))
	}
	for i, h := range t.heads {
		gr := t.grads[h]
		if gr == nil {
			continue
		}
		var hg *tensor.Tensor
		if i < len(headGrads) {
			hg = headGrads[i]
		}
		if hg == nil {
			d := gr.Float32s()
			for k := range d {
				d[k] = 1
			}
			continue
		}
		if hg.DType() != tensor.Float32 || !sameShape(hg, gr.Shape()) {
			return fmt.Errorf("backward: head gradient %d is %s %s, output %s is float32 %s", i, hg.DType(),
				tensor.ShapeString(hg.Shape()), t.outputs[i], tensor.ShapeString(gr.Shape()))
		}
		copy(gr.Float32s(), hg.Float32s())
	}
	t.ctx.Train = true
	t.ctx.Context = ctx
	defer func() { t.ctx.Context = nil }()
	done := ctx.Done()
	for si := len(t.steps) - 1; si >= 0; si-- {
		s := &t.steps[si]
		if !s.back {
			continue
		}
		if done != nil {
			select {
			case <-done:
				return ctx.Err()
			default:
			}
		}
		t.ctx.Scratch = s.bws
		if err := s.op.Backward(&t.ctx, s.params, s.in, s.out, s.outGrad, s.inGrad, s.req); err != nil {
			return fmt.Errorf("backward: node %s (%s): %w", s.name, s.op.Name, err)
		}
	}
	return nil
}
