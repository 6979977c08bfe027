package train

import (
	"fmt"
	"math"
)

// Scheduler gives the learning rate from the number of updates, as MXNet's
// mx.lr_scheduler.LRScheduler. Like MXNet's, schedulers are stateful (Factor
// and MultiFactor advance as num_update grows) and are called with
// non-decreasing update counts.
type Scheduler interface {
	// LR returns the learning rate at numUpdate (MXNet's __call__).
	LR(numUpdate int) float64
	// BaseLR returns the current base learning rate.
	BaseLR() float64
	// SetBaseLR replaces the base learning rate (what an optimizer given
	// both a scheduler and a learning rate does).
	SetBaseLR(lr float64)
}

// Warmup is the warm-up phase shared by MXNet's schedulers: for update
// counts below Steps the rate is BeginLR (mode "constant") or rises
// linearly from BeginLR to the scheduler's base rate at construction (mode
// "linear").
type Warmup struct {
	// Steps is the number of warm-up updates (0: no warm-up).
	Steps int
	// BeginLR is the rate warm-up starts from.
	BeginLR float64
	// Mode is "linear" (default when empty) or "constant".
	Mode string
}

type warmup struct {
	steps  int
	begin  float64
	final  float64
	linear bool
	baseLR float64
}

func newWarmup(baseLR float64, w Warmup) (warmup, error) {
	if math.IsNaN(baseLR) || math.IsInf(baseLR, 0) || math.IsNaN(w.BeginLR) || math.IsInf(w.BeginLR, 0) {
		return warmup{}, fmt.Errorf("train: scheduler learning rates must be finite")
	}
	if w.BeginLR > baseLR {
		return warmup{}, fmt.Errorf("train: scheduler base lr %v must not be below warmup_begin_lr %v", baseLR, w.BeginLR)
	}
	if w.Steps < 0 {
		return warmup{}, fmt.Errorf("train: warmup steps %d must be >= 0", w.Steps)
	}
	lin := true
	switch w.Mode {
	case "", "linear":
	case "constant":
		lin = false
	default:
		return warmup{}, fmt.Errorf("train: warmup mode %q: supports only linear and constant", w.Mode)
	}
	return warmup{steps: w.Steps, begin: w.BeginLR, final: baseLR, linear: lin, baseLR: baseLR}, nil
}

func (w *warmup) lr(numUpdate int) float64 {
	if w.linear {
		return w.begin + (w.final-w.begin)*float64(numUpdate)/float64(w.steps)
	}
	return w.begin
}

// FactorScheduler multiplies the learning rate by Factor every Step updates
// (MXNet's FactorScheduler): base_lr·factor^floor((num_update−1)/step), never
// below StopFactorLR.
type FactorScheduler struct {
	w            warmup
	step         int
	factor       float64
	stopFactorLR float64
	count        int
}

// NewFactorScheduler returns MXNet's FactorScheduler(step, factor,
// stop_factor_lr, base_lr, warmup...). MXNet's defaults are factor 1,
// stopFactorLR 1e-8, baseLR 0.01.
func NewFactorScheduler(step int, factor, stopFactorLR, baseLR float64, wu Warmup) (*FactorScheduler, error) {
	w, err := newWarmup(baseLR, wu)
	if err != nil {
		return nil, err
	}
	if step < 1 {
		return nil, fmt.Errorf("train: schedule step %d must be >= 1", step)
	}
	if !(factor <= 1) {
		return nil, fmt.Errorf("train: factor %v must be no more than 1 to make lr reduce", factor)
	}
	if math.IsNaN(stopFactorLR) || math.IsInf(stopFactorLR, 0) {
		return nil, fmt.Errorf("train: stop_factor_lr %v must be finite", stopFactorLR)
	}
	return &FactorScheduler{w: w, step: step, factor: factor, stopFactorLR: stopFactorLR}, nil
}

// LR implements Scheduler.
func (s *FactorScheduler) LR(numUpdate int) float64 {
	if numUpdate < s.w.steps {
		return s.w.lr(numUpdate)
	}
	for numUpdate > s.count+s.step {
		s.count += s.step
		s.w.baseLR *= s.factor
		if s.w.baseLR < s.stopFactorLR {
			s.w.baseLR = s.stopFactorLR
		}
	}
	return s.w.baseLR
}

// BaseLR implements Scheduler.
func (s *FactorScheduler) BaseLR() float64 { return s.w.baseLR }

// SetBaseLR implements Scheduler (the warm-up target stays the base rate
// given at construction, as in MXNet).
func (s *FactorScheduler) SetBaseLR(lr float64) { s.w.baseLR = lr }

// MultiFactorScheduler multiplies the learning rate by Factor each time the
// update count passes one of Steps (MXNet's MultiFactorScheduler).
type MultiFactorScheduler struct {
	w      warmup
	steps  []int
	cur    int
	factor float64
}

// NewMultiFactorScheduler returns MXNet's MultiFactorScheduler(step,
// factor, base_lr, warmup...); steps must be increasing and >= 1.
func NewMultiFactorScheduler(steps []int, factor, baseLR float64, wu Warmup) (*MultiFactorScheduler, error) {
	w, err := newWarmup(baseLR, wu)
	if err != nil {
		return nil, err
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("train: multi-factor schedule needs at least one step")
	}
	for i, st := range steps {
		if i > 0 && st <= steps[i-1] {
			return nil, fmt.Errorf("train: schedule steps %v must be an increasing integer list", steps)
		}
		if st < 1 {
			return nil, fmt.Errorf("train: schedule step %d must be >= 1", st)
		}
	}
	if !(factor <= 1) {
		return nil, fmt.Errorf("train: factor %v must be no more than 1 to make lr reduce", factor)
	}
	return &MultiFactorScheduler{w: w, steps: append([]int(nil), steps...), factor: factor}, nil
}

// LR implements Scheduler.
func (s *MultiFactorScheduler) LR(numUpdate int) float64 {
	if numUpdate < s.w.steps {
		return s.w.lr(numUpdate)
	}
	for s.cur < len(s.steps) && numUpdate > s.steps[s.cur] {
		s.cur++
		s.w.baseLR *= s.factor
	}
	return s.w.baseLR
}

// BaseLR implements Scheduler.
func (s *MultiFactorScheduler) BaseLR() float64 { return s.w.baseLR }

// SetBaseLR implements Scheduler.
func (s *MultiFactorScheduler) SetBaseLR(lr float64) { s.w.baseLR = lr }

// decayScheduler is MXNet's PolyScheduler and CosineScheduler.
type decayScheduler struct {
	w         warmup
	orig      float64
	final     float64
	maxUpdate int
	maxSteps  int
	pwr       float64
	cosine    bool
}

func newDecay(maxUpdate int, baseLR, finalLR float64, wu Warmup) (*decayScheduler, error) {
	w, err := newWarmup(baseLR, wu)
	if err != nil {
		return nil, err
	}
	if maxUpdate < 1 {
		return nil, fmt.Errorf("train: maximum number of updates %d must be strictly positive", maxUpdate)
	}
	if maxUpdate <= w.steps {
		return nil, fmt.Errorf("train: maximum number of updates %d must exceed the %d warm-up steps", maxUpdate, w.steps)
	}
	if math.IsNaN(finalLR) || math.IsInf(finalLR, 0) {
		return nil, fmt.Errorf("train: final lr %v must be finite", finalLR)
	}
	return &decayScheduler{w: w, orig: baseLR, final: finalLR, maxUpdate: maxUpdate, maxSteps: maxUpdate - w.steps}, nil
}

// NewPolyScheduler returns MXNet's PolyScheduler(max_update, base_lr, pwr,
// final_lr, warmup...): after warm-up, final_lr + (base_lr − final_lr)·
// (1 − (n − warmup)/(max_update − warmup))^pwr up to max_update, then
// constant. MXNet's defaults are pwr 2, final_lr 0.
func NewPolyScheduler(maxUpdate int, baseLR, pwr, finalLR float64, wu Warmup) (Scheduler, error) {
	s, err := newDecay(maxUpdate, baseLR, finalLR, wu)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(pwr) || math.IsInf(pwr, 0) {
		return nil, fmt.Errorf("train: poly power %v must be finite", pwr)
	}
	s.pwr = pwr
	return s, nil
}

// NewCosineScheduler returns MXNet's CosineScheduler(max_update, base_lr,
// final_lr, warmup...): after warm-up, final_lr + (base_lr − final_lr)·
// (1 + cos(π·(n − warmup)/(max_update − warmup)))/2 up to max_update, then
// constant.
func NewCosineScheduler(maxUpdate int, baseLR, finalLR float64, wu Warmup) (Scheduler, error) {
	s, err := newDecay(maxUpdate, baseLR, finalLR, wu)
	if err != nil {
		return nil, err
	}
	s.cosine = true
	return s, nil
}

// LR implements Scheduler.
func (s *decayScheduler) LR(numUpdate int) float64 {
	if numUpdate < s.w.steps {
		return s.w.lr(numUpdate)
	}
	if numUpdate <= s.maxUpdate {
		frac := float64(numUpdate-s.w.steps) / float64(s.maxSteps)
		if s.cosine {
			s.w.baseLR = s.final + (s.orig-s.final)*(1+math.Cos(math.Pi*frac))/2
		} else {
			s.w.baseLR = s.final + (s.orig-s.final)*math.Pow(1-frac, s.pwr)
		}
	}
	return s.w.baseLR
}

// BaseLR implements Scheduler.
func (s *decayScheduler) BaseLR() float64 { return s.w.baseLR }

// SetBaseLR implements Scheduler. As in MXNet, the decay keeps starting
// from the base rate given at construction.
func (s *decayScheduler) SetBaseLR(lr float64) { s.w.baseLR = lr }
