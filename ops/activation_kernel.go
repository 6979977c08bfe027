package ops

import (
	"fmt"
	"math/rand/v2"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// activationForward applies act_type elementwise (in place allowed).
func activationForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	if err := float32Only("Activation", in, out); err != nil {
		return err
	}
	var f func(dst, x []float32)
	switch params.(*ActivationParam).ActType {
	case ActReLU:
		f = asm.Relu
	case ActSigmoid:
		f = asm.Sigmoid
	case ActTanh:
		f = asm.Tanh
	case ActSoftReLU:
		f = asm.SoftRelu
	case ActSoftSign:
		f = vecSoftSign
	case ActLogSigmoid:
		f = vecLogSigmoid
	case ActMish:
		f = vecMish
	default:
		return fmt.Errorf("unsupported act_type %d", params.(*ActivationParam).ActType)
	}
	return unaryCtx(ctx, f, out[0].Float32s(), in[0].Float32s())
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
				return fmt.Errorf("rrelu training needs a mask output of %d elements", len(y))
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
		return preluForward(in[0], in[1], x, y)
	case LeakyELU:
		vecELU(y, x, p.Slope)
	case LeakySELU:
		vecSELU(y, x)
	case LeakyGELU, LeakyGELUErf:
		asm.Gelu(y, x)
	case LeakyGELUTanh:
		vecGeluTanh(y, x)
	default:
		return fmt.Errorf("unsupported act_type %d", p.ActType)
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
		vecLeakyPerElem(y, x, gamma)
		return nil
	}
	if data.NDim() < 2 || g.NDim() > 2 {
		return fmt.Errorf("cannot broadcast prelu gamma %s to data %s", g, data)
	}
	n, c := data.Dim(0), data.Dim(1)
	g0, g1 := 1, g.Dim(g.NDim()-1)
	if g.NDim() == 2 {
		g0 = g.Dim(0)
	}
	if (g0 != 1 && g0 != n) || (g1 != 1 && g1 != c) {
		return fmt.Errorf("cannot broadcast prelu gamma %s to data %s", g, data)
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
