package train

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mxgo/mxgo/tensor"
)

// State is one parameter's optimizer state as MXNet's Updater stores it
// (`Updater.states[index]`): nil (no arrays, Tuple false), a single NDArray
// (one array, Tuple false) or a Python tuple of NDArrays (Tuple true, even for
// a one-element tuple such as non-centered RMSProp's (n,)). The arrays have
// the weight's shape and are float32. For a float16 weight of a
// multi-precision optimizer (Options.MultiPrecision) the state is MXNet's
// pair (inner state, float32 master copy): Master holds the copy, Arrays
// and Tuple the inner state. This is exactly the value MXNet pickles into a
// `.states` file.
type State struct {
	// Arrays are the state tensors, in MXNet's order.
	Arrays []*tensor.Tensor
	// Tuple reports whether MXNet holds the state as a tuple.
	Tuple bool
	// Master is the float32 master copy of a float16 weight (nil: the
	// state is not multi-precision).
	Master *tensor.Tensor
}

// IsNone reports whether the state is Python's None (no arrays).
func (s State) IsNone() bool { return len(s.Arrays) == 0 && !s.Tuple && s.Master == nil }

// inner is the state without its master copy.
func (s State) inner() State { return State{Arrays: s.Arrays, Tuple: s.Tuple} }

// Optimizer updates weights from gradients with per-parameter state, as an
// MXNet optimizer object driven by an Updater. Indices identify parameters
// (Module uses the position in its parameter-name list). Update does not
// allocate once the state exists; it may use several goroutines inside
// (Base.SetThreads) but an optimizer is not safe for concurrent calls.
type Optimizer interface {
	// CreateState returns a new state for the weight at index, zero-filled
	// as MXNet's create_state does.
	CreateState(index int, weight *tensor.Tensor) (State, error)
	// Update counts one update of index (MXNet's _update_count) and applies
	// one step to weight in place using grad and state.
	Update(index int, weight, grad *tensor.Tensor, state State) error
	// Common returns the hyper-parameters and update counters shared by all
	// optimizers.
	Common() *Base
}

// MultiUpdater is implemented by optimizers that, like MXNet's SGD, update a
// group of parameters at once (MXNet's multi_sgd_update /
// multi_sgd_mom_update, used by Module through the Updater's aggregation of
// up to AggregateNum parameters): the update counts of all indices of a
// group are advanced before the learning rates are looked up.
type MultiUpdater interface {
	Optimizer
	// AggregateNum is the largest group (MXNET_OPTIMIZER_AGGREGATION_SIZE,
	// 4 by default); 0 disables aggregation.
	AggregateNum() int
	// UpdateMulti updates len(indices) parameters as one group.
	UpdateMulti(indices []int, weights, grads []*tensor.Tensor, states []State) error
}

// Options are the hyper-parameters every MXNet optimizer accepts
// (mxnet.optimizer.Optimizer's constructor arguments).
type Options struct {
	// LearningRate is the initial learning rate; 0 means not given: the
	// scheduler's base learning rate, or the optimizer's default (0.01 for
	// SGD, NAG and AdaGrad; 0.001 for Adam and RMSProp). When both a
	// scheduler and a learning rate are given, the learning rate replaces
	// the scheduler's base learning rate, as in MXNet.
	LearningRate float64
	// RescaleGrad multiplies every gradient; 0 means 1. Module uses
	// 1/batch_size (see ModuleOptions).
	RescaleGrad float64
	// WD is the weight-decay coefficient.
	WD float64
	// ClipGradient clips the rescaled gradient to [-c, c] when positive;
	// 0 or negative turns clipping off (MXNet's None).
	ClipGradient float64
	// Scheduler, if not nil, gives the learning rate from the update count.
	Scheduler Scheduler
	// BeginNumUpdate is the initial update count (begin_num_update).
	BeginNumUpdate int
	// Idx2Name maps parameter indices to names (param_idx2name). When given,
	// every parameter whose name does not end in "_weight" or "_gamma" gets
	// wd_mult 0 (MXNet's set_wd_mult), before ParamAttrs and WDMult apply.
	Idx2Name map[int]string
	// ParamAttrs are the symbol's attributes of argument variables (name →
	// attribute map); "__lr_mult__" and "__wd_mult__" set per-parameter
	// multipliers as MXNet's sym.attr_dict() does.
	ParamAttrs map[string]map[string]string
	// LRMult and WDMult are explicit multipliers by parameter name
	// (set_lr_mult / set_wd_mult); they override the attributes.
	LRMult, WDMult map[string]float64
	// MultiPrecision is MXNet's multi_precision: the Updater keeps a
	// float32 master copy of every float16 weight, updates the copy with
	// the optimizer's float32 kernel and casts it back into the weight
	// (create_state_multi_precision / update_multi_precision). Without it
	// float16 weights are refused.
	MultiPrecision bool
}

// Base holds the state every optimizer shares: learning rate, scheduler,
// weight decay, multipliers and MXNet's update counting (num_update and the
// per-index counts of Optimizer._update_count).
type Base struct {
	lr           float64
	sched        Scheduler
	rescaleGrad  float64
	wd           float64
	clipGradient float64

	idx2name map[int]string
	lrMult   map[string]float64
	wdMult   map[string]float64

	beginNumUpdate int
	numUpdate      int
	counts         map[int]int

	multiPrecision bool

	threads int
	job     kernelJob
}

// newBase builds the shared state. defaultLR is the optimizer's default
// learning rate; passesDefault reports whether the optimizer's constructor
// always passes it to the base class (Adam, RMSProp), so that it overrides a
// scheduler's base_lr even when the caller gave no learning rate.
func newBase(o Options, defaultLR float64, passesDefault bool) (Base, error) {
	b := Base{
		rescaleGrad:    o.RescaleGrad,
		wd:             o.WD,
		clipGradient:   o.ClipGradient,
		sched:          o.Scheduler,
		beginNumUpdate: o.BeginNumUpdate,
		numUpdate:      o.BeginNumUpdate,
		counts:         map[int]int{},
		idx2name:       map[int]string{},
		lrMult:         map[string]float64{},
		wdMult:         map[string]float64{},
		threads:        defaultThreads(),
		multiPrecision: o.MultiPrecision,
	}
	if b.rescaleGrad == 0 {
		b.rescaleGrad = 1
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"learning_rate", o.LearningRate}, {"rescale_grad", o.RescaleGrad}, {"wd", o.WD}, {"clip_gradient", o.ClipGradient}} {
		if math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return Base{}, fmt.Errorf("train: optimizer %s = %v is not finite", v.name, v.x)
		}
	}
	if o.LearningRate < 0 {
		return Base{}, fmt.Errorf("train: optimizer learning_rate = %v is negative", o.LearningRate)
	}
	if o.BeginNumUpdate < 0 {
		return Base{}, fmt.Errorf("train: optimizer begin_num_update = %d is negative", o.BeginNumUpdate)
	}
	lr := o.LearningRate
	switch {
	case lr == 0 && b.sched == nil:
		lr = defaultLR
	case lr == 0 && passesDefault:
		lr = defaultLR
	}
	if b.sched != nil && lr != 0 {
		b.sched.SetBaseLR(lr)
	}
	b.lr = lr
	for i, n := range o.Idx2Name {
		b.idx2name[i] = n
		if !strings.HasSuffix(n, "_weight") && !strings.HasSuffix(n, "_gamma") {
			b.wdMult[n] = 0
		}
	}
	names := make([]string, 0, len(o.ParamAttrs))
	for n := range o.ParamAttrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := o.ParamAttrs[n]
		for key, m := range map[string]map[string]float64{"__lr_mult__": b.lrMult, "__wd_mult__": b.wdMult} {
			s, ok := a[key]
			if !ok {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return Base{}, fmt.Errorf("train: parameter %q attribute %s = %q is not a number", n, key, s)
			}
			m[n] = f
		}
	}
	for n, f := range o.LRMult {
		b.lrMult[n] = f
	}
	for n, f := range o.WDMult {
		b.wdMult[n] = f
	}
	return b, nil
}

// Common returns b (so that optimizers embedding Base satisfy Optimizer).
func (b *Base) Common() *Base { return b }

// MultiPrecision reports whether float16 weights get a float32 master copy
// (Options.MultiPrecision).
func (b *Base) MultiPrecision() bool { return b.multiPrecision }

// LearningRate returns the current learning rate (the scheduler's value at
// NumUpdate, or the fixed rate), like MXNet's Optimizer.learning_rate.
func (b *Base) LearningRate() float64 {
	if b.sched != nil {
		return b.sched.LR(b.numUpdate)
	}
	return b.lr
}

// SetLearningRate sets a fixed learning rate; it fails when a scheduler is
// installed, as in MXNet.
func (b *Base) SetLearningRate(lr float64) error {
	if b.sched != nil {
		return fmt.Errorf("train: the learning rate comes from the scheduler and cannot be set")
	}
	b.lr = lr
	return nil
}

// RescaleGrad returns the gradient scale.
func (b *Base) RescaleGrad() float64 { return b.rescaleGrad }

// NumUpdate returns MXNet's num_update: the largest per-index update count.
func (b *Base) NumUpdate() int { return b.numUpdate }

// UpdateCount returns how many updates index has received (MXNet's
// _index_update_count[index], which starts at begin_num_update), and false
// if it has not been updated yet.
func (b *Base) UpdateCount(index int) (int, bool) {
	c, ok := b.counts[index]
	return c, ok
}

// SetIdx2Name sets the index → name map without recomputing weight-decay
// multipliers, as Module does for an optimizer object created by the user.
func (b *Base) SetIdx2Name(m map[int]string) {
	b.idx2name = make(map[int]string, len(m))
	for i, n := range m {
		b.idx2name[i] = n
	}
}

// LRMult returns the learning-rate multiplier of the parameter at index.
func (b *Base) LRMult(index int) float64 { return b.mult(b.lrMult, index) }

// WDMult returns the weight-decay multiplier of the parameter at index.
func (b *Base) WDMult(index int) float64 { return b.mult(b.wdMult, index) }

func (b *Base) mult(m map[string]float64, index int) float64 {
	if n, ok := b.idx2name[index]; ok {
		if f, ok := m[n]; ok {
			return f
		}
	}
	return 1
}

// updateCount is MXNet's Optimizer._update_count for one index.
func (b *Base) updateCount(index int) {
	c, ok := b.counts[index]
	if !ok {
		c = b.beginNumUpdate
	}
	c++
	b.counts[index] = c
	if c > b.numUpdate {
		b.numUpdate = c
	}
}

// lrFor is MXNet's _get_lr: the current learning rate times lr_mult.
func (b *Base) lrFor(index int) float64 { return b.LearningRate() * b.LRMult(index) }

// wdFor is MXNet's _get_wd.
func (b *Base) wdFor(index int) float64 { return b.wd * b.WDMult(index) }

// clip32 is the clip_gradient operator parameter: the value, or -1 (off).
func (b *Base) clip32() float32 {
	if b.clipGradient > 0 {
		return float32(b.clipGradient)
	}
	return -1
}

// sqrt32 is sqrtf: the correctly rounded float32 square root.
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// clipf is mshadow_op::clip.
func clipf(x, bound float32) float32 {
	if x > bound {
		return bound
	}
	if x < -bound {
		return -bound
	}
	return x
}

func checkPair(what string, weight, grad *tensor.Tensor) error {
	if weight == nil || grad == nil {
		return fmt.Errorf("train: %s: nil weight or gradient", what)
	}
	if weight.DType() != tensor.Float32 || grad.DType() != tensor.Float32 {
		return fmt.Errorf("train: %s: weight %s and gradient %s must be float32", what, weight, grad)
	}
	if weight.Len() != grad.Len() {
		return fmt.Errorf("train: %s: weight %s and gradient %s differ in size", what, weight, grad)
	}
	return nil
}

func checkState(what string, weight *tensor.Tensor, s State, n int, tuple bool) error {
	if len(s.Arrays) != n || s.Tuple != tuple {
		return fmt.Errorf("train: %s: state has %d arrays (tuple %v), want %d (tuple %v)", what, len(s.Arrays), s.Tuple, n, tuple)
	}
	for _, a := range s.Arrays {
		if a == nil || a.DType() != tensor.Float32 || a.Len() != weight.Len() {
			return fmt.Errorf("train: %s: state array %v does not match weight %s", what, a, weight)
		}
	}
	return nil
}

func zerosLike(w *tensor.Tensor) (*tensor.Tensor, error) {
	if w == nil || w.DType() != tensor.Float32 {
		return nil, fmt.Errorf("train: optimizer state for %v: weight must be float32", w)
	}
	return tensor.New(tensor.Float32, w.Shape()...)
}

func zeroStates(w *tensor.Tensor, n int, tuple bool) (State, error) {
	s := State{Tuple: tuple}
	for range n {
		z, err := zerosLike(w)
		if err != nil {
			return State{}, err
		}
		s.Arrays = append(s.Arrays, z)
	}
	return s, nil
}

// Create makes an optimizer by MXNet's registered name (sgd, nag, adam,
// adagrad, rmsprop; case-insensitive) from MXNet's keyword arguments:
// learning_rate, rescale_grad, wd, clip_gradient, begin_num_update and the
// optimizer's own (momentum; beta1, beta2, epsilon; eps; gamma1, gamma2,
// epsilon, centered (0/1), clip_weights) and multi_precision (0/1). Unknown
// keywords are an error.
func Create(name string, o Options, kwargs map[string]float64) (Optimizer, error) {
	kw := make(map[string]float64, len(kwargs))
	for k, v := range kwargs {
		kw[k] = v
	}
	take := func(k string, def float64) float64 {
		v, ok := kw[k]
		delete(kw, k)
		if !ok {
			return def
		}
		return v
	}
	o.LearningRate = take("learning_rate", o.LearningRate)
	o.RescaleGrad = take("rescale_grad", o.RescaleGrad)
	o.WD = take("wd", o.WD)
	o.ClipGradient = take("clip_gradient", o.ClipGradient)
	bnu := take("begin_num_update", float64(o.BeginNumUpdate))
	if bnu != math.Trunc(bnu) || bnu < 0 || bnu > math.MaxInt32 {
		return nil, fmt.Errorf("train: begin_num_update = %v is not a non-negative integer", bnu)
	}
	o.BeginNumUpdate = int(bnu)
	switch mp := take("multi_precision", 0); mp {
	case 0:
	case 1:
		o.MultiPrecision = true
	default:
		return nil, fmt.Errorf("train: multi_precision = %v, want 0 or 1", mp)
	}
	var opt Optimizer
	var err error
	switch strings.ToLower(name) {
	case "sgd":
		opt, err = NewSGD(o, take("momentum", 0))
	case "nag":
		opt, err = NewNAG(o, take("momentum", 0))
	case "adam":
		opt, err = NewAdam(o, take("beta1", 0.9), take("beta2", 0.999), take("epsilon", 1e-8))
	case "adagrad":
		opt, err = NewAdaGrad(o, take("eps", 1e-7))
	case "rmsprop":
		c := take("centered", 0)
		if c != 0 && c != 1 {
			return nil, fmt.Errorf("train: rmsprop centered = %v, want 0 or 1", c)
		}
		opt, err = NewRMSProp(o, RMSPropConfig{Gamma1: take("gamma1", 0.9), Gamma2: take("gamma2", 0.9),
			Epsilon: take("epsilon", 1e-8), Centered: c == 1, ClipWeights: take("clip_weights", 0)})
	default:
		return nil, fmt.Errorf("train: unknown optimizer %q (have sgd, nag, adam, adagrad, rmsprop)", name)
	}
	if err != nil {
		return nil, err
	}
	if len(kw) > 0 {
		keys := make([]string, 0, len(kw))
		for k := range kw {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("train: optimizer %s: unknown arguments %s", name, strings.Join(keys, ", "))
	}
	return opt, nil
}

// CreateForModule creates an optimizer by name the way MXNet's
// Module.init_optimizer does on one device: rescale_grad = 1/batchSize
// unless kwargs set it, param_idx2name = the parameter names by position
// (so parameters not ending in _weight/_gamma get wd_mult 0), and the
// symbol's __lr_mult__/__wd_mult__ attributes from paramAttrs.
func CreateForModule(name string, paramNames []string, batchSize int, paramAttrs map[string]map[string]string, kwargs map[string]float64) (Optimizer, error) {
	if batchSize <= 0 {
		return nil, fmt.Errorf("train: batch size %d must be positive", batchSize)
	}
	idx := make(map[int]string, len(paramNames))
	for i, n := range paramNames {
		idx[i] = n
	}
	o := Options{RescaleGrad: 1 / float64(batchSize), Idx2Name: idx, ParamAttrs: paramAttrs}
	return Create(name, o, kwargs)
}

// Updater applies an optimizer to indexed parameters and keeps their states,
// as MXNet's optimizer.Updater (what Module uses on one device without a
// kvstore): states are created on first use, and optimizers with
// aggregation (SGD) update groups of up to AggregateNum parameters of one
// weight dtype at once. Weights are float32, or float16 with a
// multi-precision optimizer (Options.MultiPrecision): the optimizer's
// float32 kernel then updates the state's master copy with the float32
// gradient (a float16 gradient is converted first), and the weight receives
// the copy rounded to float16, as MXNet's update_multi_precision and
// multi_mp_sgd_mom_update do.
type Updater struct {
	opt    Optimizer
	states map[int]State
	// fresh is set by SetStates: the next Update checks the restored
	// states against the weights (see resolve).
	fresh bool

	// scratch for aggregated groups (no allocation per Update).
	gs       []State
	ws, grs  []*tensor.Tensor
	sel      []int
	dtypes   []tensor.DType
	grad32   map[int]*tensor.Tensor
	selIndex []int
	selW     []*tensor.Tensor
	selG     []*tensor.Tensor
}

// NewUpdater returns an Updater for opt.
func NewUpdater(opt Optimizer) *Updater {
	return &Updater{opt: opt, states: map[int]State{}, grad32: map[int]*tensor.Tensor{}}
}

// Optimizer returns the optimizer.
func (u *Updater) Optimizer() Optimizer { return u.opt }

// createState is create_state_multi_precision: a float16 weight of a
// multi-precision optimizer gets (create_state(weight32), weight32).
func (u *Updater) createState(idx int, w *tensor.Tensor) (State, error) {
	if w == nil || w.DType() != tensor.Float16 {
		return u.opt.CreateState(idx, w)
	}
	if !u.opt.Common().multiPrecision {
		return State{}, fmt.Errorf("train: weight %d is float16: set multi_precision (Options.MultiPrecision) to train float16 weights", idx)
	}
	master, err := w.AsType(tensor.Float32)
	if err != nil {
		return State{}, err
	}
	s, err := u.opt.CreateState(idx, master)
	if err != nil {
		return State{}, err
	}
	s.Master = master
	return s, nil
}

// singleArrayState reports whether opt's own state is one NDArray (SGD and
// NAG with momentum, AdaGrad): its multi-precision state (state, weight32)
// is a pickled pair of NDArrays that a .states file cannot tell from a
// two-array tuple.
func singleArrayState(opt Optimizer) bool {
	switch o := opt.(type) {
	case *SGD:
		return o.momentum > 0
	case *NAG:
		return o.momentum > 0
	case *AdaGrad:
		return true
	}
	return false
}

// resolve adapts a restored state to its weight: a two-array tuple of an
// optimizer whose state is one array is MXNet's multi-precision (state,
// weight32) pair; and a multi-precision state of a float32 weight (an
// MXNet float16 run resumed in float32) hands its master copy, more
// precise than the float16 weight that was saved, to the weight and keeps
// the inner state.
func (u *Updater) resolve(idx int, w *tensor.Tensor, s State) (State, error) {
	if s.Master == nil && s.Tuple && len(s.Arrays) == 2 && singleArrayState(u.opt) {
		s = State{Arrays: s.Arrays[:1], Master: s.Arrays[1]}
	}
	if s.Master == nil || w == nil {
		return s, nil
	}
	if s.Master.DType() != tensor.Float32 || s.Master.Len() != w.Len() {
		return State{}, fmt.Errorf("train: state of parameter %d: master copy %s does not match weight %s", idx, s.Master, w)
	}
	switch w.DType() {
	case tensor.Float32:
		copy(w.Float32s(), s.Master.Float32s())
		return s.inner(), nil
	case tensor.Float16:
		if !u.opt.Common().multiPrecision {
			return State{}, fmt.Errorf("train: weight %d is float16: set multi_precision to train float16 weights", idx)
		}
		return s, nil
	}
	return State{}, fmt.Errorf("train: weight %d is %s, want float32 or float16", idx, w.DType())
}

// Update applies one step to every weights[i] with grads[i], as
// Updater.__call__(indices, grads, weights). The slices must have equal
// lengths; indices must be distinct.
func (u *Updater) Update(indices []int, weights, grads []*tensor.Tensor) error {
	if len(weights) != len(indices) || len(grads) != len(indices) {
		return fmt.Errorf("train: Updater.Update: %d indices, %d weights, %d gradients", len(indices), len(weights), len(grads))
	}
	for i, idx := range indices {
		if s, ok := u.states[idx]; ok {
			if u.fresh {
				r, err := u.resolve(idx, weights[i], s)
				if err != nil {
					return err
				}
				u.states[idx] = r
			}
			continue
		}
		s, err := u.createState(idx, weights[i])
		if err != nil {
			return fmt.Errorf("train: state of parameter %d: %w", idx, err)
		}
		u.states[idx] = s
	}
	u.fresh = false
	// Group by weight dtype in order of first appearance, as MXNet's
	// Updater does before aggregating.
	u.dtypes = u.dtypes[:0]
	for _, w := range weights {
		if w != nil && !slices.Contains(u.dtypes, w.DType()) {
			u.dtypes = append(u.dtypes, w.DType())
		}
	}
	if len(u.dtypes) <= 1 {
		return u.updateGroup(indices, weights, grads)
	}
	for _, dt := range u.dtypes {
		u.sel = u.sel[:0]
		for i, w := range weights {
			if w != nil && w.DType() == dt {
				u.sel = append(u.sel, i)
			}
		}
		u.selIndex, u.selW, u.selG = u.selIndex[:0], u.selW[:0], u.selG[:0]
		for _, i := range u.sel {
			u.selIndex = append(u.selIndex, indices[i])
			u.selW, u.selG = append(u.selW, weights[i]), append(u.selG, grads[i])
		}
		if err := u.updateGroup(u.selIndex, u.selW, u.selG); err != nil {
			return err
		}
	}
	return nil
}

// updateGroup updates parameters of one weight dtype whose states exist.
func (u *Updater) updateGroup(indices []int, weights, grads []*tensor.Tensor) error {
	// The tensors the optimizer sees: master copies and float32 gradients
	// for multi-precision weights.
	u.ws, u.grs, u.gs = u.ws[:0], u.grs[:0], u.gs[:0]
	for i, idx := range indices {
		s := u.states[idx]
		w, g := weights[i], grads[i]
		if s.Master != nil {
			w = s.Master
			if g != nil && g.DType() == tensor.Float16 {
				g32 := u.grad32[idx]
				if g32 == nil || g32.Len() != g.Len() {
					var err error
					if g32, err = tensor.New(tensor.Float32, g.Shape()...); err != nil {
						return err
					}
					u.grad32[idx] = g32
				}
				d := g32.Float32s()
				h, _ := tensor.Data[tensor.Half](g)
				for k, v := range h {
					d[k] = v.Float32()
				}
				g = g32
			}
		} else if w != nil && w.DType() == tensor.Float16 {
			return fmt.Errorf("train: update of parameter %d: float16 weight without a master copy", idx)
		}
		u.ws, u.grs, u.gs = append(u.ws, w), append(u.grs, g), append(u.gs, s.inner())
	}
	mu, ok := u.opt.(MultiUpdater)
	if ok && mu.AggregateNum() > 0 {
		n := mu.AggregateNum()
		for start := 0; start < len(indices); start += n {
			end := min(start+n, len(indices))
			if err := mu.UpdateMulti(indices[start:end], u.ws[start:end], u.grs[start:end], u.gs[start:end]); err != nil {
				return err
			}
		}
	} else {
		for i, idx := range indices {
			if err := u.opt.Update(idx, u.ws[i], u.grs[i], u.gs[i]); err != nil {
				return fmt.Errorf("train: update of parameter %d: %w", idx, err)
			}
		}
	}
	// Cast the master copies back into the float16 weights.
	for i, idx := range indices {
		if m := u.states[idx].Master; m != nil {
			dst, err := tensor.Data[tensor.Half](weights[i])
			if err != nil || len(dst) != m.Len() {
				return fmt.Errorf("train: update of parameter %d: weight %s does not match its master copy", idx, weights[i])
			}
			for k, v := range m.Float32s() {
				dst[k] = tensor.ToHalf(v)
			}
		}
	}
	return nil
}

// States returns the states by index (shared, not copied): MXNet's
// Updater.states, which Updater.get_states pickles into a .states file.
func (u *Updater) States() map[int]State { return u.states }

// SetStates replaces the states (e.g. loaded from a .states file). Each
// state must match what the optimizer creates for its weight; this is
// checked on the next Update, which also resolves MXNet's multi-precision
// states: a two-array tuple of an optimizer whose own state is one array
// is its (state, weight32) pair, and for a float32 weight the master copy
// replaces the weight (a float16 run resumed in float32).
func (u *Updater) SetStates(states map[int]State) {
	u.states = make(map[int]State, len(states))
	for k, v := range states {
		u.states[k] = v
	}
	u.fresh = true
}
