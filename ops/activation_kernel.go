package ops

import (
	"fmt"
	"math"

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
		for i, v := range x {
			y[i] = v / (1 + float32(math.Abs(float64(v))))
		}
	case ActLogSigmoid:
		for i, v := range x {
			y[i] = float32(logSigmoid(float64(v)))
		}
	case ActMish:
		for i, v := range x {
			y[i] = float32(float64(v) * math.Tanh(softplus(float64(v))))
		}
	default:
		return fmt.Errorf("Activation: unsupported act_type %d", params.(*ActivationParam).ActType)
	}
	return nil
}

// softplus is ln(1 + e^v) without overflow.
func softplus(v float64) float64 {
	if v > 0 {
		return v + math.Log1p(math.Exp(-v))
	}
	return math.Log1p(math.Exp(v))
}

// logSigmoid is ln(1/(1 + e^-v)) = -softplus(-v).
func logSigmoid(v float64) float64 { return -softplus(-v) }

// SELU's constants [src/operator/mshadow_op.h].
const (
	seluAlpha  = 1.6732632423543772848170429916717
	seluLambda = 1.0507009873554804934193349852946
)

// leakyReLUForward applies LeakyReLU's act_type. PReLU's gamma is a scalar
// (1 element), per channel (axis 1) or one value per element; rrelu at
// inference is leaky with the mean slope (lower+upper)/2, and its mask
// output (which MXNet leaves unwritten at inference) is filled with that
// slope.
func leakyReLUForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*LeakyReLUParam)
	if err := float32Only("LeakyReLU", in, out); err != nil {
		return err
	}
	x, y := in[0].Float32s(), out[0].Float32s()
	switch p.ActType {
	case LeakyLeaky:
		asm.LeakyRelu(y, x, p.Slope)
	case LeakyRReLU:
		slope := (p.LowerBound + p.UpperBound) / 2
		asm.LeakyRelu(y, x, slope)
		if len(out) > 1 {
			for i := range out[1].Float32s() {
				out[1].Float32s()[i] = slope
			}
		}
	case LeakyPReLU:
		return preluForward(in[0], in[1].Float32s(), x, y)
	case LeakyELU:
		for i, v := range x {
			if !(v > 0) {
				v = p.Slope * float32(math.Expm1(float64(v)))
			}
			y[i] = v
		}
	case LeakySELU:
		for i, v := range x {
			r := float64(v)
			if !(v > 0) {
				r = seluAlpha * math.Expm1(r)
			}
			y[i] = float32(seluLambda * r)
		}
	case LeakyGELU, LeakyGELUErf:
		asm.Gelu(y, x)
	case LeakyGELUTanh:
		const c = 0.7978845608028654 // √(2/π)
		for i, v := range x {
			r := float64(v)
			y[i] = float32(0.5 * r * (1 + math.Tanh(c*(r+0.044715*r*r*r))))
		}
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
		for i, v := range x {
			if !(v > 0) {
				v *= gamma[i]
			}
			y[i] = v
		}
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
