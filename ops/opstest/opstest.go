// Package opstest runs single operators outside a graph, for kernel tests
// and golden comparisons: parse MXNet attribute strings, infer output shapes
// and dtypes from the inputs, allocate outputs and call the forward kernel
// once.
package opstest

import (
	"fmt"
	"slices"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// Options adjust Run.
type Options struct {
	// Train runs the kernel in training mode (ops.Ctx.Train).
	Train bool
	// Threads is the kernel's goroutine bound (default 1).
	Threads int
}

// Run runs the forward kernel of op name on inputs (all of the op's inputs
// in FListInputNames order, auxiliary states included) with attrs as MXNet
// would store them on a node, and returns every output including hidden
// ones. Inputs are not modified unless the op mutates auxiliary states.
func Run(name string, attrs map[string]string, inputs []*tensor.Tensor, opt *Options) ([]*tensor.Tensor, error) {
	op, ok := ops.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("opstest: unknown operator %q", name)
	}
	if op.Forward == nil {
		return nil, fmt.Errorf("opstest: operator %q has no forward kernel", op.Name)
	}
	if opt == nil {
		opt = &Options{}
	}
	var params any
	if op.Parse != nil {
		p, err := op.Parse(attrs)
		if err != nil {
			return nil, fmt.Errorf("opstest: %s attributes: %w", op.Name, err)
		}
		params = p
	}
	if want := len(op.Inputs(params)); want != len(inputs) {
		return nil, fmt.Errorf("opstest: %s takes %d inputs %v, got %d", op.Name, want, op.Inputs(params), len(inputs))
	}
	nout := op.Outputs(params)
	inShapes := make([]ops.Shape, len(inputs))
	inTypes := make([]tensor.DType, len(inputs))
	for i, t := range inputs {
		inShapes[i] = slices.Clone(t.Shape())
		inTypes[i] = t.DType()
	}
	outShapes := make([]ops.Shape, nout)
	outTypes := make([]tensor.DType, nout)
	for i := range outTypes {
		outTypes[i] = ops.UnknownType
	}
	if op.InferShape != nil {
		if err := op.InferShape(params, inShapes, outShapes); err != nil {
			return nil, fmt.Errorf("opstest: %s shape inference: %w", op.Name, err)
		}
	}
	inferType := op.InferType
	if inferType == nil {
		inferType = ops.SameType
	}
	if err := inferType(params, inTypes, outTypes); err != nil {
		return nil, fmt.Errorf("opstest: %s type inference: %w", op.Name, err)
	}
	for i, t := range inputs {
		if !slices.Equal(inShapes[i], t.Shape()) {
			return nil, fmt.Errorf("opstest: %s input %d has shape %s, inference wants %s", op.Name, i, ops.ShapeString(t.Shape()), ops.ShapeString(inShapes[i]))
		}
	}
	outs := make([]*tensor.Tensor, nout)
	for i := range outs {
		if !ops.ShapeKnown(outShapes[i]) || outTypes[i] == ops.UnknownType {
			return nil, fmt.Errorf("opstest: %s output %d not inferred (shape %s)", op.Name, i, ops.ShapeString(outShapes[i]))
		}
		t, err := tensor.New(outTypes[i], outShapes[i]...)
		if err != nil {
			return nil, fmt.Errorf("opstest: %s output %d: %w", op.Name, i, err)
		}
		outs[i] = t
	}
	ctx := &ops.Ctx{Train: opt.Train, Threads: max(opt.Threads, 1)}
	if op.Workspace != nil {
		if n := op.Workspace(params, inShapes); n > 0 {
			ctx.Scratch = make([]float32, n*ctx.Threads)
		}
	}
	if err := op.Forward(ctx, params, inputs, outs); err != nil {
		return nil, fmt.Errorf("opstest: %s forward: %w", op.Name, err)
	}
	return outs, nil
}
