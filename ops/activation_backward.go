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
