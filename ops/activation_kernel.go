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
		return preluForward(in[0], in[1], x, y)
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

// preluForward is y = x > 0 ? x : γ·x. Like MXNet's expand_shape, γ's
// dims are matched right to left against data axes 1 and 0, each equal to
// the data dim or 1: (C,), (1,), (N, C), (1, C), (N, 1). A γ with the
// data's full shape (which shape inference accepts but MXNet rejects at run
// time for 3 or more dims) applies elementwise.
func preluForward(data, g *tensor.Tensor, x, y []float32) error {
	gamma := g.Float32s()
	if len(gamma) == 1 {
		asm.LeakyRelu(y, x, gamma[0])
		return nil
	}
	if g.NDim() == data.NDim() && len(gamma) == len(x) && data.NDim() != 2 {
		for i, v := range x {
			if !(v > 0) {
				v *= gamma[i]
			}
			y[i] = v
		}
		return nil
	}
	if data.NDim() < 2 || g.NDim() > 2 {
		return fmt.Errorf("LeakyReLU: cannot broadcast prelu gamma %s to data %s", g, data)
	}
	n, c := data.Dim(0), data.Dim(1)
	g0, g1 := 1, g.Dim(g.NDim()-1)
	if g.NDim() == 2 {
		g0 = g.Dim(0)
	}
	if (g0 != 1 && g0 != n) || (g1 != 1 && g1 != c) {
		return fmt.Errorf("LeakyReLU: cannot broadcast prelu gamma %s to data %s", g, data)
	}
	inner := 1
	for i := 2; i < data.NDim(); i++ {
		inner *= data.Dim(i)
	}
	for i := range n {
		for j := range c {
			gi := 0
			if g0 > 1 {
				gi = i * g1
			}
			if g1 > 1 {
				gi += j
			}
			off := (i*c + j) * inner
			asm.LeakyRelu(y[off:off+inner], x[off:off+inner], gamma[gi])
		}
	}
	return nil
}
