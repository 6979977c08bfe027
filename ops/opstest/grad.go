package opstest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// GradOptions adjust CheckGrad.
type GradOptions struct {
	// NoGrad lists input positions whose gradient is not checked (labels,
	// auxiliary states, integer indices).
	NoGrad []int
	// Loss, when set, is the scalar objective whose gradient the backward
	// kernel computes from the outputs — for loss heads, which ignore the
	// output gradient (e.g. cross-entropy for SoftmaxOutput). Without it
	// the objective is Σ_j ⟨outGrad_j, out_j⟩ with random outGrad_j, and
	// outputs past NumGradOutputs get a zero output gradient.
	Loss func(inputs, outs []*tensor.Tensor) float64
	// NumGradOutputs bounds the outputs with a random gradient (0: all).
	NumGradOutputs int
	// Eps is the central-difference step (default 1e-3).
	Eps float64
	// Atol and Rtol are the tolerances (defaults 1e-3 and 3e-3).
	Atol, Rtol float64
	// Seed seeds the random output gradients.
	Seed uint64
	// Threads is the kernels' goroutine bound (default 1).
	Threads int
}

// CheckGrad checks op name's backward kernel against central finite
// differences of its forward kernel (training mode): for every element of
// every checked input, (f(x+ε) − f(x−ε))/2ε accumulated in float64, where
// f is the objective of GradOptions. It also checks GradAdd (the gradient
// is added to what the buffer held) and GradNull (nothing written).
// inputs are not modified. The error names the first element out of
// tolerance.
func CheckGrad(name string, attrs map[string]string, inputs []*tensor.Tensor, opt *GradOptions) error {
	op, ok := ops.Lookup(name)
	if !ok {
		return fmt.Errorf("checkgrad: unknown operator %q", name)
	}
	if op.Backward == nil {
		return fmt.Errorf("checkgrad: operator %q has no backward kernel", op.Name)
	}
	if opt == nil {
		opt = &GradOptions{}
	}
	eps, atol, rtol := opt.Eps, opt.Atol, opt.Rtol
	if eps == 0 {
		eps = 1e-3
	}
	if atol == 0 {
		atol = 1e-3
	}
	if rtol == 0 {
		rtol = 3e-3
	}
	threads := max(opt.Threads, 1)
	var params any
	if op.Parse != nil {
		p, err := op.Parse(attrs)
		if err != nil {
			return fmt.Errorf("checkgrad: %s attributes: %w", op.Name, err)
		}
		params = p
	}
	ins := make([]*tensor.Tensor, len(inputs))
	for i, t := range inputs {
		ins[i] = t.Clone()
	}
	run := func() ([]*tensor.Tensor, error) {
		cp := make([]*tensor.Tensor, len(ins))
		for i, t := range ins { // aux states are mutated by training forwards
			cp[i] = t.Clone()
		}
		return Run(name, attrs, cp, &Options{Train: true, Threads: threads})
	}
	outs, err := run()
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 7))
	outGrad := make([]*tensor.Tensor, len(outs))
	for j, o := range outs {
		if o.DType() != tensor.Float32 { // hidden workspaces (max pooling's argmax)
			continue
		}
		g, err := tensor.New(tensor.Float32, o.Shape()...)
		if err != nil {
			return err
		}
		if opt.Loss == nil && (opt.NumGradOutputs == 0 || j < opt.NumGradOutputs) {
			d := g.Float32s()
			for k := range d {
				d[k] = float32(rng.Float64()*2 - 1)
			}
		}
		outGrad[j] = g
	}
	objective := func(o []*tensor.Tensor) float64 {
		if opt.Loss != nil {
			return opt.Loss(ins, o)
		}
		s := 0.0
		for j, t := range o {
			if outGrad[j] == nil {
				continue
			}
			for k, v := range t.Float32s() {
				s += float64(v) * float64(outGrad[j].Float32s()[k])
			}
		}
		return s
	}
	checked := func(i int) bool { return !slices.Contains(opt.NoGrad, i) }
	backward := func(req ops.GradReq, fill float32) ([]*tensor.Tensor, error) {
		inGrad := make([]*tensor.Tensor, len(ins))
		reqs := make([]ops.GradReq, len(ins))
		for i, t := range ins {
			if !checked(i) {
				continue
			}
			g, err := tensor.New(tensor.Float32, t.Shape()...)
			if err != nil {
				return nil, err
			}
			d := g.Float32s()
			for k := range d {
				d[k] = fill
			}
			inGrad[i], reqs[i] = g, req
			if req == ops.GradNull {
				inGrad[i] = nil
			}
		}
		ctx := &ops.Ctx{Train: true, Threads: threads}
		shapes := make([]ops.Shape, len(ins))
		for i, t := range ins {
			shapes[i] = t.Shape()
		}
		if op.BackwardWorkspace != nil {
			if n := op.BackwardWorkspace(params, shapes); n > 0 {
				ctx.Scratch = make([]float32, n*threads)
			}
		}
		cp := make([]*tensor.Tensor, len(ins))
		for i, t := range ins {
			cp[i] = t.Clone()
		}
		o2 := make([]*tensor.Tensor, len(outs))
		for j, t := range outs {
			o2[j] = t.Clone()
		}
		if err := op.Backward(ctx, params, cp, o2, outGrad, inGrad, reqs); err != nil {
			return nil, fmt.Errorf("checkgrad: %s backward: %w", op.Name, err)
		}
		return inGrad, nil
	}
	grads, err := backward(ops.GradWrite, float32(math.NaN()))
	if err != nil {
		return err
	}
	added, err := backward(ops.GradAdd, 0.5)
	if err != nil {
		return err
	}
	if _, err := backward(ops.GradNull, 0); err != nil {
		return err
	}
	for i := range ins {
		if !checked(i) {
			continue
		}
		x := ins[i].Float32s()
		g, a := grads[i].Float32s(), added[i].Float32s()
		for k := range x {
			orig := x[k]
			x[k] = orig + float32(eps)
			hi := float64(x[k])
			op, err := run()
			if err != nil {
				return err
			}
			fp := objective(op)
			x[k] = orig - float32(eps)
			lo := float64(x[k])
			om, err := run()
			if err != nil {
				return err
			}
			fm := objective(om)
			x[k] = orig
			num := (fp - fm) / (hi - lo)
			got := float64(g[k])
			if math.IsNaN(got) || math.Abs(got-num) > atol+rtol*math.Abs(num) {
				return fmt.Errorf("checkgrad: %s input %d element %d: backward %g, finite difference %g", name, i, k, got, num)
			}
			if want := got + 0.5; math.Abs(float64(a[k])-want) > 1e-5*(1+math.Abs(want)) {
				return fmt.Errorf("checkgrad: %s input %d element %d: GradAdd gave %g, want %g + 0.5", name, i, k, a[k], got)
			}
		}
	}
	return nil
}
