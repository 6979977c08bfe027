package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/asm"

	"github.com/mxgo/mxgo/tensor"
)

// softmaxOutputForward is SoftmaxOutput's forward pass (the label input is
// not read): with multi_output a softmax over axis 1 of (N, C, rest...);
// with preserve_shape over the last axis; otherwise over the data viewed as
// (N, prod(rest)). Like MXNet 1.9.1's pip (oneDNN) build, an inference pass
// (not ctx.Train) without multi_output on non-empty 1-D, 2-D or 4-D data
// takes the softmax over the last axis — for 4-D (N, C, H, W) data that is
// over W, not over C·H·W as in non-oneDNN builds.
func softmaxOutputForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*SoftmaxOutputParam)
	x, y := in[0], out[0]
	if x.DType() != tensor.Float32 || y.DType() != tensor.Float32 {
		return fmt.Errorf("softmax output: %s not supported, only float32", x.DType())
	}
	xd, yd := x.Float32s(), y.Float32s()
	nd := x.NDim()
	if len(yd) != len(xd) || nd == 0 {
		return fmt.Errorf("softmax output: output has %d elements, data %d", len(yd), len(xd))
	}
	if len(xd) == 0 {
		return nil
	}
	switch {
	case p.MultiOutput:
		if nd < 2 {
			return fmt.Errorf("softmax output: multi_output needs at least 2-D data, got %d-D", nd)
		}
		outer, n, inner, _ := normSplit(x, 1)
		return softmaxAxis(ctx, yd, xd, outer, n, inner, 1, false, nil)
	case p.PreserveShape || (!ctx.Train && (nd == 1 || nd == 2 || nd == 4)):
		n := x.Dim(nd - 1)
		return softmaxAxis(ctx, yd, xd, len(xd)/n, n, 1, 1, false, nil)
	default:
		n := len(xd) / x.Dim(0)
		return softmaxAxis(ctx, yd, xd, x.Dim(0), n, 1, 1, false, nil)
	}
}

// regressionForward is the forward pass of LinearRegressionOutput and
// MAERegressionOutput (identity) and LogisticRegressionOutput (sigmoid,
// 1/(1+e^−x)); the label input is not read.
func regressionForward(logistic bool) Kernel {
	return func(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
		x, y := in[0], out[0]
		if x.DType() != tensor.Float32 || y.DType() != tensor.Float32 {
			return fmt.Errorf("regression output: %s not supported, only float32", x.DType())
		}
		xd, yd := x.Float32s(), y.Float32s()
		if len(yd) != len(xd) {
			return fmt.Errorf("regression output: output has %d elements, data %d", len(yd), len(xd))
		}
		if !logistic {
			copy(yd, xd)
			return nil
		}
		asm.Sigmoid(yd, xd)
		return nil
	}
}
