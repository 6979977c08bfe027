package train

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

func checkHyper(what string, vals ...float64) error {
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("train: %s: hyper-parameter %v is not finite", what, v)
		}
	}
	return nil
}

// SGD is MXNet's SGD optimizer with momentum and weight decay, on Module's
// path (dense weights): the multi_sgd_mom_update / multi_sgd_update kernel
//
//	mom = momentum·mom − lr·wd·w − lr·clip(rescale_grad·g, clip_gradient)
//	w   = w + mom
//
// computed in float32. The state is the momentum buffer (None when momentum
// is 0), exactly what MXNet stores.
type SGD struct {
	Base
	momentum float64
}

// NewSGD returns an SGD optimizer (default learning rate 0.01).
func NewSGD(o Options, momentum float64) (*SGD, error) {
	if math.IsNaN(momentum) || math.IsInf(momentum, 0) || momentum < 0 {
		return nil, fmt.Errorf("train: sgd momentum = %v must be finite and >= 0", momentum)
	}
	b, err := newBase(o, 0.01, false)
	if err != nil {
		return nil, err
	}
	return &SGD{Base: b, momentum: momentum}, nil
}

// CreateState returns the momentum buffer, or None without momentum.
func (s *SGD) CreateState(index int, weight *tensor.Tensor) (State, error) {
	if s.momentum == 0 {
		return State{}, nil
	}
	return zeroStates(weight, 1, false)
}

// AggregateNum is MXNet's default MXNET_OPTIMIZER_AGGREGATION_SIZE, 4.
func (s *SGD) AggregateNum() int { return 4 }

// Update updates one parameter (a group of one, as MXNet does).
func (s *SGD) Update(index int, weight, grad *tensor.Tensor, state State) error {
	if err := s.check(weight, grad, state); err != nil {
		return err
	}
	s.updateCount(index)
	s.apply(index, s.LearningRate(), weight, grad, state)
	return nil
}

// UpdateMulti counts all indices first, then updates each parameter with
// the learning rate at the resulting num_update (multi_sgd_mom_update).
func (s *SGD) UpdateMulti(indices []int, weights, grads []*tensor.Tensor, states []State) error {
	if len(weights) != len(indices) || len(grads) != len(indices) || len(states) != len(indices) {
		return fmt.Errorf("train: sgd: %d indices, %d weights, %d gradients, %d states", len(indices), len(weights), len(grads), len(states))
	}
	for i := range indices {
		if err := s.check(weights[i], grads[i], states[i]); err != nil {
			return fmt.Errorf("train: sgd update of parameter %d: %w", indices[i], err)
		}
	}
	for _, idx := range indices {
		s.updateCount(idx)
	}
	lr := s.LearningRate()
	for i, idx := range indices {
		s.apply(idx, lr, weights[i], grads[i], states[i])
	}
	return nil
}

func (s *SGD) check(weight, grad *tensor.Tensor, state State) error {
	if err := checkPair("sgd", weight, grad); err != nil {
		return err
	}
	n := 0
	if s.momentum > 0 {
		n = 1
	}
	return checkState("sgd", weight, state, n, false)
}

// apply runs the kernel on checked arguments.
func (s *SGD) apply(index int, lr64 float64, weight, grad *tensor.Tensor, state State) {
	j := &s.job
	j.w, j.g = weight.Float32s(), grad.Float32s()
	if len(state.Arrays) == 1 {
		j.s0 = state.Arrays[0].Float32s()
	}
	j.p = kparams{lr: float32(lr64 * s.LRMult(index)), wd: float32(s.wdFor(index)), rg: float32(s.rescaleGrad),
		clip: s.clip32(), mu: float32(s.momentum)}
	j.fn = sgdKernel
	j.run(s.threads)
}

// NAG is MXNet's Nesterov accelerated gradient (nag_mom_update):
//
//	mom = momentum·mom
//	w   = w − mom + (momentum+1)·(mom − lr·(clip(rescale_grad·g) + wd·w))
//	mom = mom − lr·(clip(rescale_grad·g) + wd·w)
//
// in float32; with momentum 0 it is sgd_update, w = (1 − lr·wd)·w −
// lr·clip(rescale_grad·g), and the state is None.
type NAG struct {
	Base
	momentum float64
}

// NewNAG returns a NAG optimizer (default learning rate 0.01).
func NewNAG(o Options, momentum float64) (*NAG, error) {
	if math.IsNaN(momentum) || math.IsInf(momentum, 0) || momentum < 0 {
		return nil, fmt.Errorf("train: nag momentum = %v must be finite and >= 0", momentum)
	}
	b, err := newBase(o, 0.01, false)
	if err != nil {
		return nil, err
	}
	return &NAG{Base: b, momentum: momentum}, nil
}

// CreateState returns the momentum buffer, or None without momentum.
func (s *NAG) CreateState(index int, weight *tensor.Tensor) (State, error) {
	if s.momentum == 0 {
		return State{}, nil
	}
	return zeroStates(weight, 1, false)
}

// Update applies one NAG step.
func (s *NAG) Update(index int, weight, grad *tensor.Tensor, state State) error {
	if err := checkPair("nag", weight, grad); err != nil {
		return err
	}
	n := 0
	if s.momentum > 0 {
		n = 1
	}
	if err := checkState("nag", weight, state, n, false); err != nil {
		return err
	}
	s.updateCount(index)
	j := &s.job
	j.w, j.g = weight.Float32s(), grad.Float32s()
	if n == 1 {
		j.s0 = state.Arrays[0].Float32s()
	}
	j.p = kparams{lr: float32(s.lrFor(index)), wd: float32(s.wdFor(index)), rg: float32(s.rescaleGrad),
		clip: s.clip32(), mu: float32(s.momentum)}
	j.fn = nagKernel
	j.run(s.threads)
	return nil
}

// Adam is MXNet's Adam. The bias correction is folded into the learning
// rate in float64 as MXNet's Python does (t is the parameter's update
// count):
//
//	lr_t = lr·sqrt(1 − beta2^t)/(1 − beta1^t)
//
// then adam_update in float32:
//
//	g = clip(rescale_grad·g + wd·w, clip_gradient)
//	m = beta1·m + (1 − beta1)·g
//	v = beta2·v + (1 − beta2)·g²
//	w = w − lr_t·m/(sqrt(v) + epsilon)
//
// The state is the tuple (mean, variance).
type Adam struct {
	Base
	beta1, beta2, epsilon float64
}

// NewAdam returns an Adam optimizer (default learning rate 0.001; MXNet's
// defaults are beta1 0.9, beta2 0.999, epsilon 1e-8).
func NewAdam(o Options, beta1, beta2, epsilon float64) (*Adam, error) {
	if err := checkHyper("adam", beta1, beta2, epsilon); err != nil {
		return nil, err
	}
	if beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 {
		return nil, fmt.Errorf("train: adam beta1 = %v, beta2 = %v must be in [0, 1)", beta1, beta2)
	}
	b, err := newBase(o, 0.001, true)
	if err != nil {
		return nil, err
	}
	return &Adam{Base: b, beta1: beta1, beta2: beta2, epsilon: epsilon}, nil
}

// CreateState returns (mean, variance), zero-filled.
func (a *Adam) CreateState(index int, weight *tensor.Tensor) (State, error) {
	return zeroStates(weight, 2, true)
}

// Update applies one Adam step.
func (a *Adam) Update(index int, weight, grad *tensor.Tensor, state State) error {
	if err := checkPair("adam", weight, grad); err != nil {
		return err
	}
	if err := checkState("adam", weight, state, 2, true); err != nil {
		return err
	}
	a.updateCount(index)
	lr64 := a.lrFor(index)
	t := float64(a.counts[index])
	coef1 := 1 - math.Pow(a.beta1, t)
	coef2 := 1 - math.Pow(a.beta2, t)
	lr64 *= math.Sqrt(coef2) / coef1
	j := &a.job
	j.w, j.g = weight.Float32s(), grad.Float32s()
	j.s0, j.s1 = state.Arrays[0].Float32s(), state.Arrays[1].Float32s()
	j.p = kparams{lr: float32(lr64), wd: float32(a.wdFor(index)), rg: float32(a.rescaleGrad), clip: a.clip32(),
		b1: float32(a.beta1), b2: float32(a.beta2), eps: float32(a.epsilon)}
	j.fn = adamKernel
	j.run(a.threads)
	return nil
}

// AdaGrad is MXNet's AdaGrad (dense path, NDArray arithmetic in float32):
//
//	g = clip(rescale_grad·g, clip_gradient)
//	history += g²
//	w += (g/sqrt(history + eps) + wd·w)·(−lr)
//
// The state is the history array. MXNet's dense AdaGrad clips whenever
// clip_gradient is not None, so a clip_gradient of 0 there zeroes every
// gradient; here, as for the other optimizers, ClipGradient <= 0 means no
// clipping.
type AdaGrad struct {
	Base
	eps float64
}

// NewAdaGrad returns an AdaGrad optimizer (default learning rate 0.01;
// MXNet's default eps is 1e-7).
func NewAdaGrad(o Options, eps float64) (*AdaGrad, error) {
	if err := checkHyper("adagrad", eps); err != nil {
		return nil, err
	}
	b, err := newBase(o, 0.01, false)
	if err != nil {
		return nil, err
	}
	return &AdaGrad{Base: b, eps: eps}, nil
}

// CreateState returns the zero history.
func (a *AdaGrad) CreateState(index int, weight *tensor.Tensor) (State, error) {
	return zeroStates(weight, 1, false)
}

// Update applies one AdaGrad step.
func (a *AdaGrad) Update(index int, weight, grad *tensor.Tensor, state State) error {
	if err := checkPair("adagrad", weight, grad); err != nil {
		return err
	}
	if err := checkState("adagrad", weight, state, 1, false); err != nil {
		return err
	}
	a.updateCount(index)
	j := &a.job
	j.w, j.g, j.s0 = weight.Float32s(), grad.Float32s(), state.Arrays[0].Float32s()
	j.p = kparams{lr: float32(a.lrFor(index)), wd: float32(a.wdFor(index)), rg: float32(a.rescaleGrad),
		clip: a.clip32(), eps: float32(a.eps)}
	j.fn = adagradKernel
	j.run(a.threads)
	return nil
}

// RMSPropConfig are RMSProp's own hyper-parameters (MXNet's defaults:
// Gamma1 0.9, Gamma2 0.9, Epsilon 1e-8, Centered false, ClipWeights off).
type RMSPropConfig struct {
	// Gamma1 is the decay of the moving average of squared gradients.
	Gamma1 float64
	// Gamma2 is the momentum of the centered version.
	Gamma2 float64
	// Epsilon is added inside the square root.
	Epsilon float64
	// Centered selects Graves' centered RMSProp (rmspropalex_update).
	Centered bool
	// ClipWeights clips updated weights to [-c, c] when positive.
	ClipWeights float64
}

// RMSProp is MXNet's RMSProp. Non-centered (rmsprop_update, state (n,)):
//
//	g = clip(rescale_grad·g + wd·w, clip_gradient)
//	n = (1 − gamma1)·g² + gamma1·n
//	w = clip_weights(w − lr·g/sqrt(n + epsilon))
//
// centered (rmspropalex_update, state (n, g, delta)):
//
//	n = (1 − gamma1)·g² + gamma1·n
//	ḡ = (1 − gamma1)·g + gamma1·ḡ
//	delta = gamma2·delta − lr·g/sqrt(n − ḡ² + epsilon)
//	w = clip_weights(w + delta)
type RMSProp struct {
	Base
	cfg RMSPropConfig
}

// NewRMSProp returns an RMSProp optimizer (default learning rate 0.001).
func NewRMSProp(o Options, cfg RMSPropConfig) (*RMSProp, error) {
	if err := checkHyper("rmsprop", cfg.Gamma1, cfg.Gamma2, cfg.Epsilon, cfg.ClipWeights); err != nil {
		return nil, err
	}
	b, err := newBase(o, 0.001, true)
	if err != nil {
		return nil, err
	}
	return &RMSProp{Base: b, cfg: cfg}, nil
}

// CreateState returns (n,) or, centered, (n, g, delta).
func (r *RMSProp) CreateState(index int, weight *tensor.Tensor) (State, error) {
	if r.cfg.Centered {
		return zeroStates(weight, 3, true)
	}
	return zeroStates(weight, 1, true)
}

// Update applies one RMSProp step.
func (r *RMSProp) Update(index int, weight, grad *tensor.Tensor, state State) error {
	if err := checkPair("rmsprop", weight, grad); err != nil {
		return err
	}
	n := 1
	if r.cfg.Centered {
		n = 3
	}
	if err := checkState("rmsprop", weight, state, n, true); err != nil {
		return err
	}
	r.updateCount(index)
	cw := float32(-1)
	if r.cfg.ClipWeights > 0 {
		cw = float32(r.cfg.ClipWeights)
	}
	j := &r.job
	j.w, j.g, j.s0 = weight.Float32s(), grad.Float32s(), state.Arrays[0].Float32s()
	j.p = kparams{lr: float32(r.lrFor(index)), wd: float32(r.wdFor(index)), rg: float32(r.rescaleGrad),
		clip: r.clip32(), b1: float32(r.cfg.Gamma1), b2: float32(r.cfg.Gamma2), eps: float32(r.cfg.Epsilon), cw: cw}
	j.fn = rmspropKernel
	if r.cfg.Centered {
		j.s1, j.s2 = state.Arrays[1].Float32s(), state.Arrays[2].Float32s()
		j.fn = rmspropAlexKernel
	}
	j.run(r.threads)
	return nil
}
