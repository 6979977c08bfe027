package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// reduceBackward returns the gradient of sum and mean over axes
// [src/operator/tensor/broadcast_reduce_op.h ReduceAxesBackwardUseNone]:
// every input element receives the output gradient of the position it was
// reduced into, divided by the number of reduced elements for mean.
func reduceBackward(kind reduceKind) BackwardKernel {
	if kind != reduceSum && kind != reduceMean {
		return nil
	}
	return func(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
		p := params.(*ReduceAxesParam)
		if err := float32Grads("reduce", outGrad, inGrad); err != nil {
			return err
		}
		if inGrad[0] == nil {
			return nil
		}
		x := in[0]
		nd := x.NDim()
		if nd > tensor.MaxNDim {
			return fmt.Errorf("reduce backward: %d dims", nd)
		}
		var mask [tensor.MaxNDim]bool
		reducedAxes(p, nd, &mask)
		var st, idx [tensor.MaxNDim]int
		s, count := 1, 1
		for d := nd - 1; d >= 0; d-- {
			if mask[d] {
				count *= x.Dim(d)
				continue
			}
			st[d] = s
			s *= x.Dim(d)
		}
		dy, dx := outGrad[0].Float32s(), inGrad[0].Float32s()
		if len(dy) != s {
			return fmt.Errorf("reduce backward: output gradient has %d elements, want %d", len(dy), s)
		}
		scale := float32(1)
		if kind == reduceMean && count > 0 {
			scale = 1 / float32(count)
		}
		oi := 0
		for k := range dx {
			v := dy[oi] * scale
			if req[0] == GradAdd {
				dx[k] += v
			} else {
				dx[k] = v
			}
			for d := nd - 1; d >= 0; d-- {
				idx[d]++
				oi += st[d]
				if idx[d] < x.Dim(d) {
					break
				}
				oi -= st[d] * idx[d]
				idx[d] = 0
			}
		}
		return nil
	}
}
