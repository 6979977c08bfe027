package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// divSqrtDimForward is DivSqrtDimForward_: y = x / sqrt(last dim), the
// square root taken in float64 and rounded to float32.
func divSqrtDimForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	if err := float32Only("_contrib_div_sqrt_dim", in, out); err != nil {
		return err
	}
	x := in[0]
	if x.NDim() == 0 {
		return fmt.Errorf("_contrib_div_sqrt_dim: data %s has no last axis", x)
	}
	s := float32(math.Sqrt(float64(x.Dim(x.NDim() - 1))))
	yd := out[0].Float32s()
	for i, v := range x.Float32s() {
		yd[i] = v / s
	}
	return nil
}

// smoothL1Forward is mshadow_op::smooth_l1_loss with sigma = scalar:
// 0.5·(σx)² where |x| ≤ 1/σ², |x| − 0.5/σ² elsewhere, in float32.
func smoothL1Forward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	if err := float32Only("smooth_l1", in, out); err != nil {
		return err
	}
	b := float32(params.(*ScalarParam).Scalar)
	bsq := b * b
	ibsq := 1 / bsq
	half := float32(0.5) * ibsq
	yd := out[0].Float32s()
	for i, a := range in[0].Float32s() {
		switch {
		case a > ibsq:
			yd[i] = a - half
		case a < -ibsq:
			yd[i] = -a - half
		default:
			yd[i] = float32(0.5*a*a) * bsq
		}
	}
	return nil
}
