package ops

import (
	"fmt"
	"math/rand/v2"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// activationForward applies act_type elementwise (in place allowed).
func activationForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	if err := float32Only("Activation", in, out); err != nil {
		return err
	}
	x, y := in[0].Float32s(), out[0].Float32s()
	switch params.(*ActivationParam).ActType {
	case ActReLU:
		asm.Relu(y, x)
	case ActSigmoid:
		asm.Sigmoid(y, x)
	case ActTanh:
		asm.Tanh(y, x)
	case ActSoftReLU:
		asm.SoftRelu(y, x)
	case ActSoftSign:
		vecSoftSign(y, x)
	case ActLogSigmoid:
		vecLogSigmoid(y, x)
	case ActMish:
		vecMish(y, x)
	default:
		return fmt.Errorf("Activation: unsupported act_type %d", params.(*ActivationParam).ActType)
	}
	return nil
}

// leakyReLUForward applies LeakyReLU's act_type. PReLU's gamma is a scalar
// (1 element), per channel (axis 1) or one value per element. rrelu at
// inference is leaky with the mean slope (lower+upper)/2, and its mask
// output (which MXNet leaves unwritten at inference) is filled with that
// slope; in a training pass each element draws its slope uniformly from
// [lower, upper) into the mask (math/rand/v2's global source, as Dropout).
func leakyReLUForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*LeakyReLUParam)
	if err := float32Only("LeakyReLU", in, out); err != nil {
		return err
	}
	x, y := in[0].Float32s(), out[0].Float32s()
	switch p.ActType {
	case LeakyLeaky:
		asm.LeakyRelu(y, x, p.Slope)
	case LeakyRReLU:
		var mask []float32
		if len(out) > 1 {
			mask = out[1].Float32s()
		}
		if ctx.Train {
			if len(mask) != len(y) {
				return fmt.Errorf("LeakyReLU: rrelu training needs a mask output of %d elements", len(y))
			}
			for i := range mask {
				mask[i] = p.LowerBound + (p.UpperBound-p.LowerBound)*rand.Float32()
			}
			vecLeakyPerElem(y, x, mask)
			return nil
		}
		slope := (p.LowerBound + p.UpperBound) / 2
		asm.LeakyRelu(y, x, slope)
		for i := range mask {
			mask[i] = slope
		}
	case LeakyPReLU:
		return preluForward(in[0], in[1].Float32s(), x, y)
	case LeakyELU:
		vecELU(y, x, p.Slope)
	case LeakySELU:
		vecSELU(y, x)
	case LeakyGELU, LeakyGELUErf:
		asm.Gelu(y, x)
	case LeakyGELUTanh:
		vecGeluTanh(y, x)
	default:
		return fmt.Errorf("LeakyReLU: unsupported act_type %d", p.ActType)
	}
	return nil
}

// preluForward is y = x > 0 ? x : γ·x with γ broadcast over data.
func preluForward(data *tensor.Tensor, gamma, x, y []float32) error {
	switch {
	case len(gamma) == 1:
		asm.LeakyRelu(y, x, gamma[0])
	case len(gamma) == len(x):
		vecLeakyPerElem(y, x, gamma)
	case data.NDim() >= 2 && len(gamma) == data.Dim(1):
		c := data.Dim(1)
		inner := 1
		for i := 2; i < data.NDim(); i++ {
			inner *= data.Dim(i)
		}
		for off := 0; off < len(x); off += inner {
			ch := (off / inner) % c
			asm.LeakyRelu(y[off:off+inner], x[off:off+inner], gamma[ch])
		}
	default:
		return fmt.Errorf("LeakyReLU: prelu gamma of %d elements does not fit data %s", len(gamma), data)
	}
	return nil
}
