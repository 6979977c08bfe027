package ops

import (
	"errors"
	"fmt"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// Fused operators are what the executor's bind-time graph optimisation
// turns Convolution or FullyConnected followed by elementwise work into.
// A convolution applies the epilogue inside its own kernel, per output
// channel while it is in cache (convEpilogue); otherwise (FullyConnected,
// tanh) the base kernel computes the product without its bias, then one
// pass over each output row (one channel plane of a convolution sample,
// one row of a FullyConnected output) adds the bias, adds a residual input
// and applies an activation while the row is in cache.
//
// The fused ops are not in the registry (a model file cannot name them);
// the executor builds them with NewFused.

// EpilogueAct is the activation a fused op applies last.
type EpilogueAct int

// The epilogue activations.
const (
	EpilogueNone    EpilogueAct = iota
	EpilogueReLU                // max(x, 0)
	EpilogueSigmoid             // 1/(1+exp(-x))
	EpilogueTanh                // tanh(x)
	EpilogueClip                // min(max(x, Lo), Hi), Lo <= Hi (ReLU6 is clip(0, 6))
	EpilogueLeaky               // x > 0 ? x : Slope·x
	// EpiloguePReLU is x > 0 ? x : γ[c]·x with γ, one slope per output
	// channel (or one for all), the fused op's last input (LeakyReLU
	// prelu); convolutions only.
	EpiloguePReLU
)

// Epilogue is the elementwise work a fused op does after its base kernel,
// in this order: bias (when the base params have one), residual (an
// input after the base op's, of the output's shape), activation (PReLU's
// slopes the last input).
type Epilogue struct {
	Residual bool
	Act      EpilogueAct
	Lo, Hi   float32 // EpilogueClip bounds
	Slope    float32 // EpilogueLeaky slope
}

// FusedParam is a fused op's params: the base op's params as the graph
// had them (Base; its bias, if any, is an input of the fused op) and the
// epilogue.
type FusedParam struct {
	Base any
	Epilogue

	base    *Op // Convolution or FullyConnected
	kernel  any // Base with no_bias set: the base kernel leaves the bias to the epilogue
	nbase   int // inputs of the base op
	hasBias bool
	conv    bool // the base is a convolution
	native  bool // the convolution kernel runs the epilogue (kernel has it)
}

// kernelInputs is how many of the fused op's inputs the base kernel takes:
// all of them when it runs the epilogue itself, else the base op's.
func (p *FusedParam) kernelInputs() int {
	if p.native {
		return p.nbase + btoi(p.Residual) + btoi(p.Act == EpiloguePReLU)
	}
	return p.nbase
}

// convAct maps the epilogue's activation to the convolution kernel's own
// epilogue, when it has that activation.
func (e Epilogue) convAct() (convAct, bool) {
	switch e.Act {
	case EpilogueNone:
		return epiNone, true
	case EpilogueReLU:
		return epiReLU, true
	case EpilogueSigmoid:
		return epiSigmoid, true
	case EpilogueClip:
		return epiClip, true
	case EpilogueLeaky:
		return epiLeaky, true
	case EpiloguePReLU:
		return epiPReLU, true
	}
	return 0, false
}

var (
	fusedConv = &Op{Name: "_mxgo_fused_conv"}
	fusedFC   = &Op{Name: "_mxgo_fused_fc"}
)

func init() {
	for _, f := range []*Op{fusedConv, fusedFC} {
		f.InputNames = fusedInputs
		f.OutputNames = outputNames("output")
		f.InferShape = fusedShape
		f.InferType = SameType
		f.PerSample = perSampleAlways
		f.Workspace = func(params any, in []Shape) int {
			p := params.(*FusedParam)
			if p.base.Workspace == nil {
				return 0
			}
			return p.base.Workspace(p.kernel, in[:p.kernelInputs()])
		}
		f.WorkspaceShares = func(params any, in []Shape, threads int) int {
			p := params.(*FusedParam)
			if p.base.WorkspaceShares == nil {
				return threads
			}
			return p.base.WorkspaceShares(p.kernel, in[:p.kernelInputs()], threads)
		}
		f.Supports = func(params any, in []tensor.DType) error {
			for i, t := range in {
				if t != tensor.Float32 {
					return fmt.Errorf("input %d is %s, only float32 is supported", i, t)
				}
			}
			p := params.(*FusedParam)
			if p.base.Supports == nil {
				return nil
			}
			return p.base.Supports(p.kernel, in[:p.kernelInputs()])
		}
		f.Forward = fusedForward
	}
}

// NewFused returns the fused op and its params for base (the registered
// Convolution or FullyConnected op) with params baseParams (the node's
// parsed params; a bias input follows the weight unless no_bias) and the
// epilogue epi. The fused op's inputs are the base op's, then the
// residual when epi.Residual; its output is the base op's with the
// epilogue applied.
func NewFused(base *Op, baseParams any, epi Epilogue) (*Op, *FusedParam, error) {
	if epi.Act < EpilogueNone || epi.Act > EpiloguePReLU {
		return nil, nil, fmt.Errorf("fused: unknown activation %d", epi.Act)
	}
	if epi.Act == EpilogueClip && !(epi.Lo <= epi.Hi) {
		return nil, nil, fmt.Errorf("fused: clip bounds %g > %g", epi.Lo, epi.Hi)
	}
	p := &FusedParam{Base: baseParams, Epilogue: epi, base: base}
	var op *Op
	switch bp := baseParams.(type) {
	case *ConvolutionParam:
		if base.Name != "Convolution" {
			return nil, nil, fmt.Errorf("fused: convolution params for op %s", base.Name)
		}
		if bp.Layout.Value.ChannelLast() {
			return nil, nil, errors.New("fused: channel-last convolution")
		}
		k := *bp
		if act, ok := epi.convAct(); ok {
			// The convolution applies the epilogue itself while each
			// output channel is in cache (convEpilogue).
			k.epilogue = &convEpilogue{Residual: epi.Residual, Act: act, Lo: epi.Lo, Hi: epi.Hi, Slope: epi.Slope, PReLU: epi.Act == EpiloguePReLU}
			p.native = true
		} else {
			k.NoBias = true
		}
		p.kernel, p.hasBias, p.conv, op = &k, !bp.NoBias, true, fusedConv
	case *FullyConnectedParam:
		if base.Name != "FullyConnected" {
			return nil, nil, fmt.Errorf("fused: fully-connected params for op %s", base.Name)
		}
		if epi.Act == EpiloguePReLU {
			return nil, nil, errors.New("fused: PReLU after a fully-connected layer")
		}
		k := *bp
		if !epi.Residual && (epi.Act == EpilogueNone || epi.Act == EpilogueReLU) {
			// The product adds the bias and applies ReLU itself
			// (asm.SgemmBiasReLU).
			k.relu = epi.Act == EpilogueReLU
			p.native = true
		} else {
			k.NoBias = true
		}
		p.kernel, p.hasBias, op = &k, !bp.NoBias, fusedFC
	default:
		return nil, nil, fmt.Errorf("fused: cannot fuse into %T", baseParams)
	}
	p.nbase = len(base.Inputs(baseParams))
	return op, p, nil
}

// IsFused reports whether op is one of the fused ops NewFused returns.
func IsFused(op *Op) bool { return op == fusedConv || op == fusedFC }

func fusedInputs(params any) []string {
	p := params.(*FusedParam)
	names := p.base.Inputs(p.Base)
	if p.Residual {
		names = append(names, "residual")
	}
	if p.Act == EpiloguePReLU {
		names = append(names, "gamma")
	}
	return names
}

// fusedShape is the base op's inference; the residual has the output's
// shape.
func fusedShape(params any, in, out []Shape) error {
	p := params.(*FusedParam)
	if err := p.base.InferShape(p.Base, in[:p.nbase], out); err != nil {
		return err
	}
	if p.Act == EpiloguePReLU {
		g := in[p.nbase+btoi(p.Residual)]
		if g != nil && (len(g) != 1 || len(out[0]) < 2 || g[0] != 1 && g[0] != out[0][1]) {
			return fmt.Errorf("prelu gamma %s for output %s", ShapeString(g), ShapeString(out[0]))
		}
	}
	if !p.Residual {
		return nil
	}
	r := &in[p.nbase]
	if m, ok := MergeShape(*r, out[0]); ok {
		*r = m
		if m2, ok := MergeShape(out[0], m); ok {
			out[0] = m2
		}
		return nil
	}
	return fmt.Errorf("residual shape %s does not match the output %s", ShapeString(*r), ShapeString(out[0]))
}

// fusedForward runs the base kernel without bias, then the epilogue.
func fusedForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*FusedParam)
	if len(in) != p.nbase+btoi(p.Residual)+btoi(p.Act == EpiloguePReLU) || len(out) != 1 {
		return fmt.Errorf("fused: %d inputs and %d outputs", len(in), len(out))
	}
	if err := float32Only("fused", in, out); err != nil {
		return err
	}
	if p.native { // always for PReLU (a convolution's epilogue)
		return p.base.Forward(ctx, p.kernel, in, out)
	}
	if err := p.base.Forward(ctx, p.kernel, in[:p.nbase], out); err != nil {
		return err
	}
	y := out[0].Float32s()
	var bias, res []float32
	if p.hasBias {
		bias = in[2].Float32s()
	}
	if p.Residual {
		res = in[p.nbase].Float32s()
		if len(res) != len(y) {
			return fmt.Errorf("fused: residual has %d elements, the output %d", len(res), len(y))
		}
	}
	if len(y) == 0 {
		return nil
	}
	if p.conv {
		// NC...: one row per (sample, channel), the bias a scalar per row.
		if out[0].NDim() < 2 {
			return fmt.Errorf("fused: convolution output has %d dims", out[0].NDim())
		}
		c := out[0].Dim(1)
		if c == 0 {
			return nil
		}
		rows := out[0].Dim(0) * c
		size := len(y) / rows
		if bias != nil && len(bias) != c {
			return fmt.Errorf("fused: bias has %d elements for %d channels", len(bias), c)
		}

		// Rows are taken in tiles of about epilogueTile elements: the bias
		// per row, then the residual and activation over the tile.
		per := max(1, epilogueTile/max(size, 1))
		for r0 := 0; r0 < rows; r0 += per {
			r1 := min(rows, r0+per)
			if bias != nil {
				for r := r0; r < r1; r++ {
					row := y[r*size : (r+1)*size]
					if b := bias[r%c]; size >= 8 {
						asm.AddScalar(row, row, b)
					} else {
						for i := range row {
							row[i] += b
						}
					}
				}
			}
			p.finishRow(y[r0*size:r1*size], res, r0*size)
		}
		return nil
	}
	// FullyConnected: rows of num_hidden, the bias a vector per row.
	h := p.kernel.(*FullyConnectedParam).NumHidden
	if bias != nil && len(bias) != h {
		return fmt.Errorf("fused: bias has %d elements for %d hidden units", len(bias), h)
	}
	for off := 0; off+h <= len(y); off += h {
		row := y[off : off+h]
		if bias != nil {
			asm.Add(row, row, bias)
		}
		p.finishRow(row, res, off)
	}
	return nil
}

// finishRow adds the residual (res[off:off+len(row)], when res is not
// nil) to row and applies the activation, in place.
func (p *FusedParam) finishRow(row, res []float32, off int) {
	if res != nil {
		asm.Add(row, row, res[off:off+len(row)])
	}
	switch p.Act {
	case EpilogueReLU:
		asm.Relu(row, row)
	case EpilogueSigmoid:
		asm.Sigmoid(row, row)
	case EpilogueTanh:
		asm.Tanh(row, row)
	case EpilogueClip:
		asm.Clip(row, row, p.Lo, p.Hi)
	case EpilogueLeaky:
		asm.LeakyRelu(row, row, p.Slope)
	}
}

// epilogueTile is the elements of a convolution output the epilogue
// finishes at a time (16 KiB, well inside L1/L2).
const epilogueTile = 4096

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
