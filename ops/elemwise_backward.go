package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// binaryPartials gives ∂out/∂lhs and ∂out/∂rhs of the differentiable
// binary functions at (a, b) [src/operator/mshadow_op.h *_grad]: maximum
// routes to lhs where a ≥ b, minimum where a ≤ b, as MXNet's ge/le.
var binaryPartials = map[string]func(a, b float32) (float32, float32){
	"add": func(_, _ float32) (float32, float32) { return 1, 1 },
	"sub": func(_, _ float32) (float32, float32) { return 1, -1 },
	"mul": func(a, b float32) (float32, float32) { return b, a },
	"div": func(a, b float32) (float32, float32) { return 1 / b, -a / (b * b) },
	"power": func(a, b float32) (float32, float32) {
		fa, fb := float64(a), float64(b)
		return float32(fb * math.Pow(fa, fb-1)), float32(math.Pow(fa, fb) * math.Log(fa))
	},
	"maximum": func(a, b float32) (float32, float32) {
		if a >= b {
			return 1, 0
		}
		return 0, 1
	},
	"minimum": func(a, b float32) (float32, float32) {
		if a <= b {
			return 1, 0
		}
		return 0, 1
	},
}

// binaryBackward returns the gradient kernel of elementwise or broadcast
// binary function fn (nil when fn is not differentiable here): each input's
// gradient is the output gradient times its partial, summed over the dims
// the input was broadcast along.
func binaryBackward(fn string) BackwardKernel {
	partial, ok := binaryPartials[fn]
	if !ok {
		return nil
	}
	return func(_ *Ctx, _ any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
		if err := float32Grads(fn, in, outGrad, inGrad); err != nil {
			return err
		}
		a, b, dy := in[0], in[1], outGrad[0]
		nd := dy.NDim()
		if a.NDim() > nd || b.NDim() > nd {
			return fmt.Errorf("%s backward: input rank above the output's", fn)
		}
		var idx, sa, sb [maxBroadcastDims]int
		if nd > maxBroadcastDims {
			return fmt.Errorf("%s backward: %d dims, at most %d", fn, nd, maxBroadcastDims)
		}
		strides := func(t *tensor.Tensor, s *[maxBroadcastDims]int) {
			off := nd - t.NDim()
			st := 1
			for i := nd - 1; i >= 0; i-- {
				s[i] = 0
				if i >= off && t.Dim(i-off) != 1 {
					s[i] = st
				}
				if i >= off {
					st *= t.Dim(i - off)
				}
			}
		}
		strides(a, &sa)
		strides(b, &sb)
		ad, bd, g := a.Float32s(), b.Float32s(), dy.Float32s()
		var da, db []float32
		if inGrad[0] != nil {
			if da = inGrad[0].Float32s(); req[0] == GradWrite {
				clear(da)
			}
		}
		if inGrad[1] != nil {
			if db = inGrad[1].Float32s(); req[1] == GradWrite {
				clear(db)
			}
		}
		ia, ib := 0, 0
		for k, gy := range g {
			pa, pb := partial(ad[ia], bd[ib])
			if da != nil {
				da[ia] += gy * pa
			}
			if db != nil {
				db[ib] += gy * pb
			}
			if k == len(g)-1 {
				break
			}
			for d := nd - 1; d >= 0; d-- { // advance the multi-index
				idx[d]++
				ia += sa[d]
				ib += sb[d]
				if idx[d] < dy.Dim(d) {
					break
				}
				ia -= sa[d] * idx[d]
				ib -= sb[d] * idx[d]
				idx[d] = 0
			}
		}
		return nil
	}
}

// maxBroadcastDims bounds the rank binaryBackward handles.
const maxBroadcastDims = 32

// scalarBackward returns the gradient kernel of tensor-scalar op name (nil
// when not differentiable here): the output gradient times d/dx of
// x+s, x−s, s−x, x·s, x/s, s/x or x^s.
func scalarBackward(name string) BackwardKernel {
	var d func(x, s float32) float32
	switch name {
	case "_plus_scalar", "_minus_scalar":
		d = func(_, _ float32) float32 { return 1 }
	case "_rminus_scalar":
		d = func(_, _ float32) float32 { return -1 }
	case "_mul_scalar":
		d = func(_, s float32) float32 { return s }
	case "_div_scalar":
		d = func(_, s float32) float32 { return 1 / s }
	case "_rdiv_scalar":
		d = func(x, s float32) float32 { return -s / (x * x) }
	case "_power_scalar":
		d = func(x, s float32) float32 { return float32(float64(s) * math.Pow(float64(x), float64(s)-1)) }
	default:
		return nil
	}
	return func(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
		if err := float32Grads(name, in, outGrad, inGrad); err != nil {
			return err
		}
		if inGrad[0] == nil {
			return nil
		}
		s := float32(params.(*ScalarParam).Scalar)
		x, dy := in[0].Float32s(), outGrad[0].Float32s()
		gradElems(req[0], inGrad[0].Float32s(), func(i int) float32 { return dy[i] * d(x[i], s) })
		return nil
	}
}
