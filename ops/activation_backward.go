package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// activationBackward is Activation's gradient [src/operator/nn/
// activation-inl.h, mshadow_op.h]: relu (y > 0), sigmoid y(1−y), tanh
// 1−y², softrelu 1−e^(−y) (from the output), softsign 1/(1+|x|)² (from the
// input), each times the output gradient.
func activationBackward(_ *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*ActivationParam)
	if err := float32Grads("Activation", in, out, outGrad, inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	x, y, dy := in[0].Float32s(), out[0].Float32s(), outGrad[0].Float32s()
	dx := inGrad[0].Float32s()
	if len(dx) != len(dy) || len(y) != len(dy) || len(x) != len(dy) {
		return fmt.Errorf("Activation backward: sizes differ")
	}
	var f func(i int) float32
	switch p.ActType {
	case ActReLU:
		f = func(i int) float32 {
			if y[i] > 0 {
				return dy[i]
			}
			return 0
		}
		if req[0] == GradWrite {
			for i, v := range y {
				if v > 0 {
					dx[i] = dy[i]
				} else {
					dx[i] = 0
				}
			}
			return nil
		}
	case ActSigmoid:
		f = func(i int) float32 { return dy[i] * y[i] * (1 - y[i]) }
	case ActTanh:
		f = func(i int) float32 { return dy[i] * (1 - y[i]*y[i]) }
	case ActSoftReLU:
		f = func(i int) float32 { return dy[i] * float32(-math.Expm1(-float64(y[i]))) }
	case ActSoftSign:
		f = func(i int) float32 {
			d := 1 + float32(math.Abs(float64(x[i])))
			return dy[i] / (d * d)
		}
	default:
		return fmt.Errorf("Activation backward: act_type %d not supported", p.ActType)
	}
	gradElems(req[0], dx, f)
	return nil
}

// SELU's constants, as MXNet's mshadow_op.h.
const (
	seluLambda = 1.0507009873554804934193349852946
	seluAlpha  = 1.6732632423543772848170429916717
)

// leakyReLUBackward is LeakyReLU's gradient [src/operator/leaky_relu-inl.h]:
// leaky x > 0 ? 1 : slope; rrelu the forward's mask where x ≤ 0; elu
// (from the output) y > 0 ? 1 : y + slope; selu y > 0 ? λ : y + λα; gelu
// Φ(x) + x·φ(x) (erf form) or the tanh form's derivative; prelu
// x > 0 ? 1 : γ, with dγ = Σ x·dy over x ≤ 0 per γ element (γ of shape
// (1,) or (C,) along axis 1).
func leakyReLUBackward(_ *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*LeakyReLUParam)
	if err := float32Grads("LeakyReLU", in, out, outGrad, inGrad); err != nil {
		return err
	}
	x, y, dy := in[0].Float32s(), out[0].Float32s(), outGrad[0].Float32s()
	if p.ActType == LeakyPReLU {
		return preluBackward(in, dy, inGrad, req)
	}
	if inGrad[0] == nil {
		return nil
	}
	dx := inGrad[0].Float32s()
	var f func(i int) float32
	switch p.ActType {
	case LeakyLeaky:
		f = func(i int) float32 {
			if x[i] > 0 {
				return dy[i]
			}
			return dy[i] * p.Slope
		}
	case LeakyRReLU:
		mask := out[1].Float32s()
		f = func(i int) float32 {
			if x[i] > 0 {
				return dy[i]
			}
			return dy[i] * mask[i]
		}
	case LeakyELU:
		f = func(i int) float32 {
			if y[i] > 0 {
				return dy[i]
			}
			return dy[i] * (y[i] + p.Slope)
		}
	case LeakySELU:
		f = func(i int) float32 {
			if y[i] > 0 {
				return dy[i] * seluLambda
			}
			return dy[i] * (y[i] + seluLambda*seluAlpha)
		}
	case LeakyGELU, LeakyGELUErf:
		f = func(i int) float32 {
			v := float64(x[i])
			cdf := 0.5 * (1 + math.Erf(v/math.Sqrt2))
			pdf := math.Exp(-v*v/2) / math.Sqrt(2*math.Pi)
			return dy[i] * float32(cdf+v*pdf)
		}
	case LeakyGELUTanh:
		f = func(i int) float32 {
			v := float64(x[i])
			const k = 0.7978845608028654 // √(2/π)
			u := k * (v + 0.044715*v*v*v)
			th := math.Tanh(u)
			return dy[i] * float32(0.5*(1+th)+0.5*v*(1-th*th)*k*(1+3*0.044715*v*v))
		}
	default:
		return fmt.Errorf("LeakyReLU backward: act_type %d not supported", p.ActType)
	}
	gradElems(req[0], dx, f)
	return nil
}

func preluBackward(in []*tensor.Tensor, dy []float32, inGrad []*tensor.Tensor, req []GradReq) error {
	x, gamma := in[0].Float32s(), in[1].Float32s()
	c, inner := 1, 1
	if len(gamma) > 1 {
		if in[0].NDim() < 2 || in[1].NDim() != 1 || len(gamma) != in[0].Dim(1) {
			return fmt.Errorf("LeakyReLU backward: prelu gamma %s with data %s not supported", in[1], in[0])
		}
		c = len(gamma)
		for d := 2; d < in[0].NDim(); d++ {
			inner *= in[0].Dim(d)
		}
	}
	gi := func(i int) int { return (i / inner) % c }
	if inGrad[0] != nil {
		gradElems(req[0], inGrad[0].Float32s(), func(i int) float32 {
			if x[i] > 0 {
				return dy[i]
			}
			return dy[i] * gamma[gi(i)]
		})
	}
	if inGrad[1] != nil {
		dg := inGrad[1].Float32s()
		if req[1] == GradWrite {
			clear(dg)
		}
		for i, v := range x {
			if v <= 0 {
				dg[gi(i)] += v * dy[i]
			}
		}
	}
	return nil
}

// softmaxBackward is the gradient of softmax and log_softmax along axis
// [src/operator/nn/softmax-inl.h SoftmaxGrad]: with temperature T,
// softmax dx = y·(dy − Σ dy·y)/T and log_softmax dx = (dy − e^y·Σ dy)/T.
// use_length is not supported.
func softmaxBackward(log bool) BackwardKernel {
	return func(_ *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
		p := params.(*SoftmaxParam)
		if err := float32Grads("softmax", in[:1], out, outGrad, inGrad[:1]); err != nil {
			return err
		}
		if p.UseLength.Get(false) {
			return fmt.Errorf("softmax backward: use_length not supported")
		}
		if inGrad[0] == nil {
			return nil
		}
		outer, n, inner, err := normSplit(in[0], p.Axis)
		if err != nil {
			return err
		}
		t := float32(p.Temperature.Get(1))
		y, dy, dx := out[0].Float32s(), outGrad[0].Float32s(), inGrad[0].Float32s()
		for o := range outer {
			for i := range inner {
				base := o*n*inner + i
				var s float32
				for k := range n {
					j := base + k*inner
					if log {
						s += dy[j]
					} else {
						s += dy[j] * y[j]
					}
				}
				for k := range n {
					j := base + k*inner
					var v float32
					if log {
						v = (dy[j] - float32(math.Exp(float64(y[j])))*s) / t
					} else {
						v = y[j] * (dy[j] - s) / t
					}
					if req[0] == GradAdd {
						dx[j] += v
					} else {
						dx[j] = v
					}
				}
			}
		}
		return nil
	}
}
