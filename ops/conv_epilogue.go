package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// convEpilogue is a transform Convolution applies to each output channel
// while it is still in cache, for bind-time graph optimisation: a following
// inference BatchNorm (as a per-channel scale and shift), a residual add and
// an activation fused into the convolution instead of running as separate
// passes. It is never parsed from attributes: an optimiser sets
// ConvolutionParam.Epilogue on its own copy of the node's params and
// appends the inputs the epilogue names to the node's inputs, after data,
// weight and (unless no_bias) bias, in this order:
//
//   - "scale", "shift" (num_filter each) when ScaleShift;
//   - "residual" (the output's shape) when Residual;
//   - "gamma" (num_filter or 1) when PReLU.
//
// Each output element y of channel f becomes
//
//	act(scale[f]·y + shift[f] + residual)
//
// (y already includes the bias). Parts not selected are skipped.
type convEpilogue struct {
	// ScaleShift adds the scale and shift inputs.
	ScaleShift bool
	// Residual adds the residual input (an elemwise_add/broadcast_add of
	// a tensor of the output's shape).
	Residual bool
	// Act is the activation applied last.
	Act convAct
	// Slope is epiLeaky's negative slope; Lo and Hi are epiClip's bounds
	// (0 and 6 for ReLU6).
	Slope, Lo, Hi float32
	// PReLU adds the gamma input: epiPReLU's slopes.
	PReLU bool
}

// convAct is a convEpilogue activation.
type convAct uint8

// The epilogue activations.
const (
	epiNone    convAct = iota // identity
	epiReLU                   // max(x, 0)
	epiClip                   // min(max(x, Lo), Hi) (clip, ReLU6)
	epiLeaky                  // x, or Slope·x for x < 0 (LeakyReLU leaky)
	epiSigmoid                // 1/(1+e^-x)
	epiPReLU                  // x, or γ[f]·x for x < 0 (LeakyReLU prelu; γ an input)
)

// inputNames returns the names of the epilogue's extra inputs.
func (e *convEpilogue) inputNames() []string {
	var s []string
	if e.ScaleShift {
		s = append(s, "scale", "shift")
	}
	if e.Residual {
		s = append(s, "residual")
	}
	if e.PReLU {
		s = append(s, "gamma")
	}
	return s
}

// numInputs counts the epilogue's extra inputs without allocating.
func (e *convEpilogue) numInputs() int {
	n := 0
	if e.ScaleShift {
		n += 2
	}
	if e.Residual {
		n++
	}
	if e.PReLU {
		n++
	}
	return n
}

// validate checks the activation.
func (e *convEpilogue) validate() error {
	if e.Act > epiPReLU {
		return fmt.Errorf("epilogue activation %d unknown", e.Act)
	}
	if (e.Act == epiPReLU) != e.PReLU {
		return fmt.Errorf("epilogue PReLU without its gamma input")
	}
	if e.Act == epiClip && !(e.Lo <= e.Hi) {
		return fmt.Errorf("epilogue clip bounds %g > %g", e.Lo, e.Hi)
	}
	return nil
}

// shape assigns the extra inputs' shapes: in[first:] are scale, shift and
// residual as selected; o is the output shape (nil if unknown).
func (e *convEpilogue) shape(in []Shape, first, numFilter int, o Shape) error {
	i := first
	if len(in) != first+e.numInputs() {
		return fmt.Errorf("fused convolution has %d inputs, want %d", len(in), first+e.numInputs())
	}
	if e.ScaleShift {
		if err := assignShape(&in[i], Shape{numFilter}, "scale"); err != nil {
			return err
		}
		if err := assignShape(&in[i+1], Shape{numFilter}, "shift"); err != nil {
			return err
		}
		i += 2
	}
	if e.Residual {
		if o != nil {
			if err := assignShape(&in[i], cloneShape(o), "residual"); err != nil {
				return err
			}
		}
		i++
	}
	if e.PReLU {
		if g := in[i]; g != nil && (len(g) != 1 || g[0] != 1 && g[0] != numFilter) {
			return fmt.Errorf("prelu gamma %s for %d filters", ShapeString(g), numFilter)
		}
	}
	return nil
}

// convEpi is an epilogue bound to a call's tensors.
type convEpi struct {
	e            *convEpilogue
	scale, shift []float32 // nil unless ScaleShift
	res          []float32 // the whole residual, nil unless Residual
	gamma        []float32 // PReLU's slopes (f or 1), nil unless PReLU
}

// bindEpilogue returns the epilogue of p bound to the inputs after the
// first ones (nil e when p has none), checking their sizes.
func bindEpilogue(p *ConvolutionParam, in []*tensor.Tensor, first, f, outLen int) (convEpi, error) {
	ep := convEpi{e: p.epilogue}
	if p.epilogue == nil {
		return ep, nil
	}
	if len(in) != first+p.epilogue.numInputs() {
		return ep, fmt.Errorf("fused convolution has %d inputs, want %d", len(in), first+p.epilogue.numInputs())
	}
	i := first
	if p.epilogue.ScaleShift {
		ep.scale, ep.shift = in[i].Float32s(), in[i+1].Float32s()
		if len(ep.scale) != f || len(ep.shift) != f {
			return ep, fmt.Errorf("epilogue scale/shift have %d/%d elements, want %d", len(ep.scale), len(ep.shift), f)
		}
		i += 2
	}
	if p.epilogue.Residual {
		if ep.res = in[i].Float32s(); len(ep.res) != outLen {
			return ep, fmt.Errorf("epilogue residual has %d elements, want %d", len(ep.res), outLen)
		}
		i++
	}
	if p.epilogue.PReLU {
		if ep.gamma = in[i].Float32s(); len(ep.gamma) != f && len(ep.gamma) != 1 {
			return ep, fmt.Errorf("epilogue prelu gamma has %d elements, want %d or 1", len(ep.gamma), f)
		}
	}
	return ep, nil
}

// apply transforms row, output channel f, which starts at offset off of
// the whole output.
func (ep *convEpi) apply(row []float32, f, off int) {
	e := ep.e
	if e == nil {
		return
	}
	if e.ScaleShift {
		asm.Affine(row, row, ep.scale[f], ep.shift[f])
	}
	if e.Residual {
		asm.Add(row, row, ep.res[off:off+len(row)])
	}
	switch e.Act {
	case epiReLU:
		asm.Relu(row, row)
	case epiClip:
		asm.Clip(row, row, e.Lo, e.Hi)
	case epiLeaky:
		asm.LeakyRelu(row, row, e.Slope)
	case epiSigmoid:
		asm.Sigmoid(row, row)
	case epiPReLU:
		asm.LeakyRelu(row, row, ep.gamma[f%len(ep.gamma)])
	}
}

// reluOnly reports whether the epilogue is nothing or a ReLU alone (no
// scale, shift or residual), and which: what asm's kernels apply after
// the bias in registers.
func (ep *convEpi) reluOnly() (relu, ok bool) {
	e := ep.e
	if e == nil {
		return false, true
	}
	if e.ScaleShift || e.Residual || e.Act != epiNone && e.Act != epiReLU {
		return false, false
	}
	return e.Act == epiReLU, true
}

// residualReLU reports an epilogue of a residual add then ReLU alone,
// which asm.ConvAddRowsResReLU applies with the bias in one pass.
func (ep *convEpi) residualReLU() bool {
	e := ep.e
	return e != nil && e.Residual && !e.ScaleShift && e.Act == epiReLU
}

// applySample applies the epilogue to sample n's f output channels of os
// elements each.
func (ep *convEpi) applySample(y []float32, n, f, os int) {
	if ep.e == nil {
		return
	}
	for c := range f {
		off := (n*f + c) * os
		ep.apply(y[off:off+os], c, off)
	}
}
