package executor

import (
	"context"
	"fmt"
	"time"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// StepProfile is the time one plan step (one kernel call per forward pass)
// took, as Profile measures it.
type StepProfile struct {
	// Node is the graph node the step computes (for a fused step, the node
	// whose output it writes), Op the operator that runs it: a registered
	// op's name or a fused one ("_mxgo_fused_conv", "_mxgo_fused_fc").
	Node, Op string
	// Shape is the step's first output's shape.
	Shape []int
	// Mean is the mean wall time of one call over the profiled rounds,
	// Min the fastest call's (robust to other processes on a busy
	// machine, which inflate the mean).
	Mean, Min time.Duration
	// Percent is Mean's share of the sum of every step's Mean.
	Percent float64
	// FLOPs is the work of one call of a Convolution or FullyConnected
	// (fused or not), a multiply-add counting as 2; 0 for other ops.
	FLOPs int64
	// GFLOPS is FLOPs / Mean in 10⁹ per second (0 when FLOPs is 0).
	GFLOPS float64
}

// Profile runs rounds forward passes on inputs (as Predict takes them)
// with a timer around every plan step and returns one StepProfile per
// step, in execution order. One warm-up pass runs first and is not
// counted. The timers cost a little per step, so the steps' sum is
// slightly above Predict's time; Predict itself is not instrumented.
// Profile always runs the batch whole, each kernel splitting its own work
// over the threads: where Predict splits the batch instead
// (PlanInfo.BatchSplit), the steps' sum is the unsplit run's time.
func (m *Model) Profile(ctx context.Context, inputs []*tensor.Tensor, rounds int) ([]StepProfile, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if rounds < 1 {
		return nil, fmt.Errorf("profile: rounds %d < 1", rounds)
	}
	p, a, err := m.start(ctx, inputs, "profile")
	if err != nil {
		return nil, err
	}
	defer m.finish(p, a)
	a.ctx.Context = ctx
	total := make([]time.Duration, len(p.steps))
	fastest := make([]time.Duration, len(p.steps))
	for r := range rounds + 1 {
		m.bindInputs(a, inputs)
		for si := range p.steps {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			s := &p.steps[si]
			in := a.in[si]
			for j, e := range s.in {
				in[j] = a.views[e]
			}
			a.ctx.Scratch = a.ws[si]
			t0 := time.Now()
			err := s.op.Forward(&a.ctx, s.params, in, a.out[si])
			d := time.Since(t0)
			if err != nil {
				if cerr := ctx.Err(); cerr != nil {
					return nil, cerr
				}
				node := &m.g.Nodes[s.node]
				return nil, fmt.Errorf("profile: node %s (%s): %w", node.Name, node.OpName, err)
			}
			if r > 0 { // round 0 warms up
				total[si] += d
				if r == 1 || d < fastest[si] {
					fastest[si] = d
				}
			}
		}
	}
	out := make([]StepProfile, len(p.steps))
	var sum time.Duration
	for si := range p.steps {
		s := &p.steps[si]
		sp := &out[si]
		sp.Node, sp.Op = m.g.Nodes[s.node].Name, s.op.Name
		if len(s.out) > 0 {
			sp.Shape = append([]int(nil), p.shapes[s.out[0]]...)
		}
		sp.Mean, sp.Min = total[si]/time.Duration(rounds), fastest[si]
		sum += sp.Mean
		sp.FLOPs = stepFLOPs(p, s)
		if sp.FLOPs > 0 && sp.Mean > 0 {
			sp.GFLOPS = float64(sp.FLOPs) / float64(sp.Mean.Nanoseconds())
		}
	}
	for i := range out {
		if sum > 0 {
			out[i].Percent = 100 * float64(out[i].Mean) / float64(sum)
		}
	}
	return out, nil
}

// stepFLOPs is the work of one call of a Convolution or FullyConnected
// step (fused or not), a multiply-add counting as 2, or 0.
func stepFLOPs(p *plan, s *step) int64 {
	var params any
	switch {
	case ops.IsFused(s.op):
		params = s.params.(*ops.FusedParam).Base
	case s.op.Name == "Convolution" || s.op.Name == "FullyConnected":
		params = s.params
	default:
		return 0
	}
	if len(s.in) < 2 || len(s.out) < 1 {
		return 0
	}
	out := p.shapes[s.out[0]]
	prod := func(d []int) int64 {
		n := int64(1)
		for _, v := range d {
			n *= int64(v)
		}
		return n
	}
	switch cp := params.(type) {
	case *ops.ConvolutionParam:
		// Every output element sums (C/groups)·kernel products (C from
		// the data: the weight input may be a Winograd transform).
		x := p.shapes[s.in[0]]
		if len(x) < 2 || len(cp.Kernel) == 0 {
			return 0
		}
		return 2 * prod(out) * int64(x[1]/max(cp.NumGroup, 1)) * prod(cp.Kernel)
	case *ops.FullyConnectedParam:
		// Every input element meets every hidden unit once.
		if len(out) == 0 {
			return 0
		}
		return 2 * prod(p.shapes[s.in[0]]) * int64(out[len(out)-1])
	}
	return 0
}
