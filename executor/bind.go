package executor

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// Model is a graph bound to its parameters: immutable after Bind except for
// SetParams, and safe for concurrent Predict calls from many goroutines on
// one copy of the weights.
type Model struct {
	sym *graph.Symbol
	g   *graph.Indexed

	inputs  []boundInput   // data inputs, in InputNames order
	skip    []bool         // per node: not needed for the outputs (label-only), not run
	params  []boundParam   // arguments and aux states with values
	outputs []string       // ListOutputs of the bound heads
	types   []tensor.DType // dtype per entry, as the kernels compute it
	gtypes  []tensor.DType // dtype per entry in the graph (float16 stays float16)
	threads int

	cur atomic.Pointer[paramSet]

	memLimit     int           // per-call bytes; 0: none
	maxIdle      int           // idle arenas kept per plan
	sem          chan struct{} // WithMaxConcurrency slots; nil: unbounded
	allowExtra   bool
	allowMissing bool
	names        []string // variable names of the whole bound symbol, sorted

	optimize bool
	folds    []fold      // BatchNorms folded into the layer before them
	foldOf   map[int]int // node id (the layer or the BatchNorm) -> index in folds
	packs    []pack      // FullyConnected weights transposed, Convolution weights Winograd-transformed (optimize.go)
	packOf   map[int]int // FullyConnected or Convolution node id -> index in packs
	// paramShapes is set once Bind knows the parameters' shapes.
	paramShapes bool

	planMu   sync.Mutex
	plans    []*plan // most recently used first
	maxPlans int
	last     atomic.Pointer[plan]
}

type boundInput struct {
	name  string
	entry int
	dtype tensor.DType
}

type boundParam struct {
	name  string // variable name
	aux   bool
	entry int
	shape []int // required shape
	dtype tensor.DType
}

// paramSet is one generation of parameter values, swapped atomically.
type paramSet struct {
	values []*tensor.Tensor // parallel to Model.params, in the compute dtype
	given  []*tensor.Tensor // as given (float16 weights before conversion)
	// derived are the folded weight and bias of each Model.folds entry,
	// then the transposed (or Winograd) weight of each Model.packs entry
	// (nil for a Winograd pack compile left off), computed from
	// values.
	derived []*tensor.Tensor
}

// Option configures Bind.
type Option func(*config) error

type config struct {
	outputs     []string
	threads     int
	maxPlans    int
	memLimit    int
	concurrency int
	allowExtra  bool
	allowMiss   bool
	noOptimize  bool
}

// DefaultMemoryLimit is the per-call memory limit Bind applies unless
// WithMemoryLimit says otherwise: 4 GiB. Real image and text models at
// practical batch sizes plan far less (ResNet-50 at batch 64 needs about
// 1.5 GiB), while a model file whose attributes ask for terabytes (an
// UpSampling scale of 5000, a huge pad) is refused at Bind instead of
// failing, or exhausting the machine, in the first Predict. A fixed value
// rather than a share of the machine's memory because pure Go has no
// portable way to learn that; raise it for big batches.
const DefaultMemoryLimit = 4 << 30

// WithMemoryLimit bounds the memory one Predict call may plan (its arena of
// intermediate values and kernel workspaces, plus the outputs it returns;
// the parameters are not counted). Bind, Reshape and Predict refuse input
// shapes whose plan exceeds it, naming the largest values. bytes <= 0
// removes the limit. The default is DefaultMemoryLimit.
func WithMemoryLimit(bytes int64) Option {
	return func(c *config) error {
		if bytes <= 0 || bytes > math.MaxInt {
			c.memLimit = 0
		} else {
			c.memLimit = int(bytes)
		}
		return nil
	}
}

// WithMaxConcurrency bounds the Predict calls that run at once (further
// calls wait for a slot, or for their context) and the idle per-call
// arenas the model keeps for reuse. Without it any number of calls run
// concurrently and up to GOMAXPROCS idle arenas per input-shape class are
// kept; the arenas of a larger burst are left to the garbage collector.
func WithMaxConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("WithMaxConcurrency(%d): need at least 1", n)
		}
		c.concurrency = n
		return nil
	}
}

// AllowExtra lets Bind and SetParams ignore parameter names that are not
// arguments or auxiliary states of the graph (MXNet's allow_extra=True).
// Without it they are an error, as in MXNet's bind.
func AllowExtra() Option {
	return func(c *config) error {
		c.allowExtra = true
		return nil
	}
}

// AllowMissing lets Bind and SetParams leave parameters without a value:
// they are zero-filled tensors of the inferred shape (MXNet's
// allow_missing=True, with a zero initializer). Without it a missing
// parameter is an error.
func AllowMissing() Option {
	return func(c *config) error {
		c.allowMiss = true
		return nil
	}
}

// WithOutputs binds the named internal outputs (names from
// sym.Internals().ListOutputs(), e.g. "fc1_output") as the model's outputs
// instead of the graph's heads: MXNet's feature extraction with
// get_internals().
func WithOutputs(names ...string) Option {
	return func(c *config) error {
		if len(names) == 0 {
			return errors.New("WithOutputs: no output names")
		}
		c.outputs = names
		return nil
	}
}

// WithThreads sets the goroutines one Predict call may use (default
// runtime.GOMAXPROCS(0)): a batch of at least n samples in a graph that
// computes each sample on its own is split into n shares, one goroutine
// each (PlanInfo.BatchSplit); otherwise kernels split their own work.
func WithThreads(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("WithThreads(%d): need at least 1", n)
		}
		c.threads = n
		return nil
	}
}

// WithPlanCache bounds how many input-shape classes (batch sizes) keep a
// compiled plan (default 8); the least recently used one is dropped.
func WithPlanCache(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("WithPlanCache(%d): need at least 1", n)
		}
		c.maxPlans = n
		return nil
	}
}

// Bind prepares sym for forward passes. args and aux hold the parameter
// values by name; keys may carry MXNet's checkpoint prefixes ("arg:fc1_weight",
// "aux:bn1_moving_mean") or be plain names (Gluon save_parameters), and aux
// may be nil when args holds everything. inputShapes gives the shape of every
// data input (e.g. {"data": {1, 3, 224, 224}}); inputs with a __shape__
// attribute may be omitted. The label inputs of loss heads (softmax_label,
// ...) are not needed for prediction and are left unbound.
//
// Bind infers shapes and types, checks that every argument and auxiliary
// state has a value of the right shape and dtype (errors name the missing or
// mis-shaped one), plans memory once for these shapes and attaches kernels.
// Parameter tensors are used in place, not copied: do not modify them while
// the model is in use (use SetParams to swap weights).
func Bind(sym *graph.Symbol, args, aux map[string]*tensor.Tensor, inputShapes map[string][]int, opts ...Option) (*Model, error) {
	cfg := config{threads: runtime.GOMAXPROCS(0), maxPlans: 8, memLimit: DefaultMemoryLimit}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("bind: %w", err)
		}
	}
	if sym == nil {
		return nil, errors.New("bind: nil symbol")
	}
	sym = sym.Copy() // later edits to the caller's symbol change nothing
	full, err := graph.Index(sym)
	if err != nil {
		return nil, fmt.Errorf("bind: %w", err)
	}
	if cfg.outputs != nil {
		heads := make([]*graph.Symbol, len(cfg.outputs))
		internals := sym.Internals()
		for i, name := range cfg.outputs {
			h, err := internals.OutputByName(name)
			if err != nil {
				return nil, fmt.Errorf("bind: output %s: %w%s", quote(name), err, didYouMean(name, internals.ListOutputs()))
			}
			heads[i] = h
		}
		sym = graph.Group(heads...)
	}
	g, err := graph.Index(sym)
	if err != nil {
		return nil, fmt.Errorf("bind: %w", err)
	}
	if err := g.Check(); err != nil {
		return nil, fmt.Errorf("bind: %w", err)
	}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if !n.IsVariable() && n.Op.Forward == nil {
			return nil, fmt.Errorf("bind: operator %q (node %s) has no kernel in mxgo", n.OpName, n.Name)
		}
	}
	m := &Model{sym: sym, g: g, threads: cfg.threads, maxPlans: cfg.maxPlans, outputs: sym.ListOutputs(),
		memLimit: cfg.memLimit, maxIdle: runtime.GOMAXPROCS(0), allowExtra: cfg.allowExtra, allowMissing: cfg.allowMiss,
		optimize: !cfg.noOptimize}
	if cfg.concurrency > 0 {
		m.sem = make(chan struct{}, cfg.concurrency)
		m.maxIdle = cfg.concurrency
	}
	m.skip = unneeded(g)
	m.names = variableNames(full)
	if err := m.checkNames(g, args, aux, inputShapes, "bind"); err != nil {
		return nil, err
	}
	var values []*tensor.Tensor
	var missing []string
	for _, id := range g.InputNodes {
		n := &g.Nodes[id]
		entry := g.RowPtr[id]
		v := lookupParam(n.Name, n.Aux, args, aux)
		_, isInput := inputShapes[n.Name]
		switch {
		case isInput:
			m.inputs = append(m.inputs, boundInput{name: n.Name, entry: entry})
		case v != nil:
			m.params = append(m.params, boundParam{name: n.Name, aux: n.Aux, entry: entry})
			values = append(values, v)
		case m.skip[id]:
			// an optional label input: fed nil
		case !n.Aux && n.Attrs["__shape__"] != "":
			m.inputs = append(m.inputs, boundInput{name: n.Name, entry: entry})
		case cfg.allowMiss:
			m.params = append(m.params, boundParam{name: n.Name, aux: n.Aux, entry: entry})
			values = append(values, nil) // zero-filled once its shape is known
		default:
			kind := "argument"
			if n.Aux {
				kind = "auxiliary state"
			}
			missing = append(missing, kind+" "+n.Name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("bind: no value for %s (give data inputs in inputShapes, parameters in args/aux, or use AllowMissing)", strings.Join(missing, ", "))
	}
	if err := m.resolveTypes(values); err != nil {
		return nil, err
	}
	if err := m.checkKernels(); err != nil {
		return nil, err
	}
	if m.optimize {
		m.findFolds()
		m.findPacks()
	}
	if _, err := m.checkParams(values, "bind"); err != nil {
		return nil, err
	}
	shapes := make([][]int, len(m.inputs))
	for i, in := range m.inputs {
		s, ok := inputShapes[in.name]
		if !ok {
			s = nil // from __shape__
		}
		shapes[i] = s
	}
	p, err := m.compile(shapes, values, "bind", m.threads)
	if err != nil {
		return nil, err
	}
	zeroBytes := 0
	for i := range m.params {
		m.params[i].shape = p.shapes[m.params[i].entry]
		if values[i] == nil {
			n, err := tensor.NumElements(m.params[i].shape, m.params[i].dtype.Size())
			if err != nil {
				return nil, fmt.Errorf("bind: zero value for %s: %w", m.params[i].name, err)
			}
			if zeroBytes += n * m.params[i].dtype.Size(); m.memLimit > 0 && zeroBytes > m.memLimit {
				return nil, fmt.Errorf("bind: zero-filled missing parameters (AllowMissing) need more than the memory limit of %s (%s alone is %s)",
					byteSize(m.memLimit), m.params[i].name, byteSize(n*m.params[i].dtype.Size()))
			}
			if values[i], err = tensor.New(m.params[i].dtype, m.params[i].shape...); err != nil {
				return nil, fmt.Errorf("bind: zero value for %s: %w", m.params[i].name, err)
			}
		}
	}
	m.paramShapes = true
	ps, err := m.checkParams(values, "bind")
	if err != nil {
		return nil, err
	}
	m.cur.Store(ps)
	m.plans = []*plan{p}
	m.last.Store(p)
	return m, nil
}

// variableNames lists the variable names of g, sorted.
func variableNames(g *graph.Indexed) []string {
	var names []string
	for _, id := range g.InputNodes {
		names = append(names, g.Nodes[id].Name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// checkNames reports the names Bind or SetParams was given that the graph
// does not have, with "did you mean" suggestions: inputShapes keys that
// name no argument of g, and (unless AllowExtra) parameter keys that name
// no variable of the whole symbol (before WithOutputs selected heads), with
// or without the arg:/aux: prefix.
func (m *Model) checkNames(g *graph.Indexed, args, aux map[string]*tensor.Tensor, inputShapes map[string][]int, what string) error {
	var argNames []string
	for _, id := range g.InputNodes {
		if n := &g.Nodes[id]; !n.Aux {
			argNames = append(argNames, n.Name)
		}
	}
	for name := range inputShapes {
		if !slices.Contains(argNames, name) {
			return fmt.Errorf("%s: inputShapes names %s, which is not an input of the graph%s (inputs: %v)",
				what, quote(name), didYouMean(name, argNames), argNames)
		}
	}
	if m.allowExtra {
		return nil
	}
	var unknown []string
	for _, vals := range []map[string]*tensor.Tensor{args, aux} {
		for key := range vals {
			name := strings.TrimPrefix(strings.TrimPrefix(key, "arg:"), "aux:")
			if !slices.Contains(m.names, name) && !slices.Contains(m.names, key) {
				unknown = append(unknown, quote(key)+didYouMean(name, m.names))
			}
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("%s: unknown parameter names %s: not arguments or auxiliary states of the graph (use AllowExtra to ignore them)",
			what, strings.Join(unknown, ", "))
	}
	return nil
}

// didYouMean returns ` (did you mean "x"?)` for the candidate closest to
// name: one that extends it ("fc1" -> "fc1_output") or is within a small
// edit distance; "" when none is close.
func didYouMean(name string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		d := editDistance(name, c)
		switch {
		case c == name+"_output": // an op's name given for its output
			d = 0
		case strings.HasPrefix(c, name+"_") || strings.HasPrefix(name, c+"_"):
			d = 1
		}
		if limit := max(2, len(name)/3); d > limit {
			continue
		}
		if bestD < 0 || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", quote(best))
}

// maxQuoted bounds the bytes of a caller- or file-supplied name echoed in
// an error message.
const maxQuoted = 200

// quote returns s Go-quoted (control characters escaped), cut to
// maxQuoted bytes with a note of the full length, so a huge or hostile
// name cannot flood logs.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(s[:maxQuoted]), len(s))
}

// editDistance is the Levenshtein distance of a and b (bytes), capped at
// 64 for long strings.
func editDistance(a, b string) int {
	if len(a) > 256 || len(b) > 256 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkKernels asks every op that declares its kernel's limits (Op.Supports)
// whether it can run with the inferred input dtypes, so a graph that
// cannot run (an NHWC Convolution, a float16 FullyConnected) fails at
// Bind rather than in every Predict.
func (m *Model) checkKernels() error {
	for i := range m.g.Nodes {
		n := &m.g.Nodes[i]
		if n.IsVariable() || m.skip[i] || n.Op.Supports == nil {
			continue
		}
		dt := make([]tensor.DType, len(n.In))
		for j, e := range n.In {
			dt[j] = m.types[m.g.EntryID(e)]
		}
		if err := n.Op.Supports(n.Params, dt); err != nil {
			return fmt.Errorf("bind: node %s (%s): %w", n.Name, n.OpName, err)
		}
	}
	return nil
}

// lookupParam finds a variable's value: "arg:NAME" or NAME in args for an
// argument; "aux:NAME" or NAME in aux, else "aux:NAME" or NAME in args, for
// an auxiliary state (so one map holding a whole checkpoint works).
func lookupParam(name string, isAux bool, args, aux map[string]*tensor.Tensor) *tensor.Tensor {
	prefix := "arg:"
	maps := []map[string]*tensor.Tensor{args}
	if isAux {
		prefix = "aux:"
		maps = []map[string]*tensor.Tensor{aux, args}
	}
	for _, m := range maps {
		if v := m[prefix+name]; v != nil {
			return v
		}
		if v := m[name]; v != nil {
			return v
		}
	}
	return nil
}

// unneeded marks the nodes a forward pass need not run: those reached from
// the heads only through the "label" input of loss ops (whose forward never
// reads it), e.g. softmax_label or Reshape(softmax_label). Unneeded
// variables are the optional label inputs.
func unneeded(g *graph.Indexed) []bool {
	needed := make([]bool, len(g.Nodes))
	var stack []int
	for _, h := range g.Heads {
		stack = append(stack, h.Node)
	}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if needed[id] {
			continue
		}
		needed[id] = true
		n := &g.Nodes[id]
		names := n.InputNames()
		for j, e := range n.In {
			if j < len(names) && names[j] == "label" {
				continue
			}
			stack = append(stack, e.Node)
		}
	}
	skip := make([]bool, len(needed))
	for i, ok := range needed {
		skip[i] = !ok
	}
	return skip
}

// resolveTypes infers dtypes from the parameters and the inputs' __dtype__
// (float32 by default) and records each bound variable's dtype.
func (m *Model) resolveTypes(values []*tensor.Tensor) error {
	known := map[string]tensor.DType{}
	for _, in := range m.inputs {
		node := &m.g.Nodes[m.g.Entry(in.entry).Node]
		if _, ok := node.Attrs["__dtype__"]; !ok {
			known[in.name] = tensor.Float32
		}
	}
	// The data inputs decide; parameters only fill what they leave open,
	// so a parameter of the wrong dtype is reported by name below.
	types, err := graph.InferTypes(m.g, known)
	if err == nil && types.Complete() != nil {
		for i, p := range m.params {
			if values[i] != nil {
				known[p.name] = values[i].DType()
			}
		}
		types, err = graph.InferTypes(m.g, known)
	}
	if err != nil {
		return fmt.Errorf("bind: %w", err)
	}
	for i := range m.inputs {
		m.inputs[i].dtype = types.Types[m.inputs[i].entry]
	}
	for i := range m.params {
		m.params[i].dtype = types.Types[m.params[i].entry]
	}
	// float16/bfloat16 values are computed in float32 (the kernels are
	// float32): m.gtypes keeps the graph's dtypes for the API (inputs,
	// outputs, parameter files), m.types the dtypes the kernels see.
	m.gtypes = types.Types
	m.types = make([]tensor.DType, len(types.Types))
	for id, t := range types.Types {
		m.types[id] = computeType(t)
	}
	for id, t := range types.Types {
		if t == ops.UnknownType && !m.isSkipped(id) {
			return fmt.Errorf("bind: cannot infer the dtype of %s", m.g.EntryName(id))
		}
	}
	return nil
}

// computeType is the dtype the kernels compute a value of graph dtype t
// in: float32 for float16 and bfloat16, t otherwise.
func computeType(t tensor.DType) tensor.DType {
	if t == tensor.Float16 || t == tensor.BFloat16 {
		return tensor.Float32
	}
	return t
}

// isSkipped reports whether entry belongs to a node the forward pass skips.
func (m *Model) isSkipped(entry int) bool { return m.skip[m.g.Entry(entry).Node] }

// checkParams validates values against the bound parameters (dtype, and
// shape once known) and wraps them as a paramSet.
func (m *Model) checkParams(values []*tensor.Tensor, what string) (*paramSet, error) {
	if len(values) != len(m.params) {
		return nil, fmt.Errorf("%s: %d parameter values for %d parameters", what, len(values), len(m.params))
	}
	for i, p := range m.params {
		v := values[i]
		if v == nil {
			if what == "bind" {
				continue // AllowMissing: zero-filled after planning
			}
			return nil, fmt.Errorf("%s: no value for parameter %s", what, p.name)
		}
		if v.DType() != p.dtype {
			return nil, fmt.Errorf("%s: parameter %s has dtype %s, the graph needs %s", what, p.name, v.DType(), p.dtype)
		}
		if p.shape != nil && !sameShape(v, p.shape) {
			return nil, fmt.Errorf("%s: parameter %s has shape %s, the graph needs %s", what, p.name,
				tensor.ShapeString(v.Shape()), tensor.ShapeString(p.shape))
		}
	}
	ps := &paramSet{given: slices.Clone(values), values: slices.Clone(values)}
	for i, p := range m.params {
		v := values[i]
		if v == nil || v.DType() == computeType(p.dtype) {
			continue
		}
		// float16/bfloat16 weights: converted to float32 once, here.
		c, err := v.AsType(computeType(p.dtype))
		if err != nil {
			return nil, fmt.Errorf("%s: parameter %s: %w", what, p.name, err)
		}
		ps.values[i] = c
	}
	if m.paramShapes && !slices.Contains(ps.values, nil) {
		if err := m.derive(ps, what); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

func sameShape(t *tensor.Tensor, s []int) bool {
	if t.NDim() != len(s) {
		return false
	}
	for i, d := range s {
		if t.Dim(i) != d {
			return false
		}
	}
	return true
}

// InputNames lists the data inputs Predict expects, in order.
func (m *Model) InputNames() []string {
	out := make([]string, len(m.inputs))
	for i, in := range m.inputs {
		out[i] = in.name
	}
	return out
}

// OutputNames lists the outputs Predict returns, in order (ListOutputs of
// the bound heads, e.g. "softmax_output").
func (m *Model) OutputNames() []string { return slices.Clone(m.outputs) }

// Symbol returns the bound symbol (with WithOutputs, the selected heads).
// It is a copy: editing it does not change the model.
func (m *Model) Symbol() *graph.Symbol { return m.sym.Copy() }

// GetParams returns the current parameter values (shared, not copied) as
// MXNet's get_params does: arguments and auxiliary states by plain name.
func (m *Model) GetParams() (args, aux map[string]*tensor.Tensor) {
	args, aux = map[string]*tensor.Tensor{}, map[string]*tensor.Tensor{}
	ps := m.cur.Load()
	for i, p := range m.params {
		if p.aux {
			aux[p.name] = ps.given[i]
		} else {
			args[p.name] = ps.given[i]
		}
	}
	return args, aux
}

// SetParams swaps in new parameter values (MXNet's set_params), e.g. a newer
// checkpoint of the same network, without rebinding. Keys follow Bind's
// rules; every bound parameter needs a value of the same shape and dtype
// (with AllowMissing at Bind, a parameter without one keeps its value), and
// names that are not parameters of the graph are an error unless Bind had
// AllowExtra.
// The swap is atomic with respect to concurrent Predict calls: each call
// uses either the old or the new set throughout.
func (m *Model) SetParams(args, aux map[string]*tensor.Tensor) error {
	if err := m.checkNames(m.g, args, aux, nil, "set params"); err != nil {
		return err
	}
	cur := m.cur.Load()
	values := make([]*tensor.Tensor, len(m.params))
	var missing []string
	for i, p := range m.params {
		values[i] = lookupParam(p.name, p.aux, args, aux)
		if values[i] == nil {
			if m.allowMissing {
				values[i] = cur.given[i]
				continue
			}
			missing = append(missing, p.name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("set params: no value for %s", strings.Join(missing, ", "))
	}
	ps, err := m.checkParams(values, "set params")
	if err != nil {
		return err
	}
	m.cur.Store(ps)
	return nil
}

// DataInputs returns the inputs of sym that Bind will expect as data: the
// arguments with no value in args/aux (same name rules as Bind) that are not
// the label input of a loss head, in ListInputs order. Tools use it to learn
// a checkpoint's input names before binding.
func DataInputs(sym *graph.Symbol, args, aux map[string]*tensor.Tensor) ([]string, error) {
	g, err := graph.Index(sym)
	if err != nil {
		return nil, fmt.Errorf("data inputs: %w", err)
	}
	skip := unneeded(g)
	var out []string
	for _, id := range g.InputNodes {
		n := &g.Nodes[id]
		if n.Aux || skip[id] || lookupParam(n.Name, false, args, aux) != nil {
			continue
		}
		out = append(out, n.Name)
	}
	return out, nil
}
