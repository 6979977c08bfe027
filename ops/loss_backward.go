package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// labelIndex checks a class label of a loss head and returns it as an
// index: NaN, fractional-free out-of-range labels are errors (MXNet reads
// past the row or silently ignores them).
func labelIndex(v float32, classes int) (int, error) {
	if math.IsNaN(float64(v)) || v < 0 || int(v) >= classes {
		return 0, fmt.Errorf("label %v out of range [0, %d)", v, classes)
	}
	return int(v), nil
}

// softmaxOutputBackward is SoftmaxOutput's gradient
// [src/operator/softmax_output-inl.h SoftmaxOutputOp::Backward]: the
// output gradient is ignored (a loss head) and the data gradient is
// (softmax − onehot(label))·grad_scale/valid_cnt, where rows (or positions
// with multi_output) whose label equals ignore_label get 0 with use_ignore,
// valid_cnt is 1 (null), the label count's first dim (batch) or the
// number of labels not equal to ignore_label, at least 1 (valid); with
// multi_output and normalization other than valid the scale is also
// divided by the spatial size. A label with the data's shape holds
// probabilities: (softmax − label)·grad_scale. smooth_alpha spreads
// alpha/(C−1) of the target over the other classes.
func softmaxOutputBackward(_ *Ctx, params any, in, out, _, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*SoftmaxOutputParam)
	if err := float32Grads("SoftmaxOutput", in, out, inGrad); err != nil {
		return err
	}
	zeroGrad(req[1], inGrad[1])
	if inGrad[0] == nil {
		return nil
	}
	if p.OutGrad {
		return fmt.Errorf("SoftmaxOutput backward: out_grad=True not supported")
	}
	y, label, dx := out[0].Float32s(), in[1].Float32s(), inGrad[0].Float32s()
	if len(y) == 0 {
		return nil
	}
	if sameDims(out[0].Shape(), in[1].Shape()) {
		gradElems(req[0], dx, func(i int) float32 { return (y[i] - label[i]) * p.GradScale })
		return nil
	}
	// (n, c, inner) with the class axis c.
	var n, c, inner int
	if p.MultiOutput {
		n, c = out[0].Dim(0), out[0].Dim(1)
		inner = len(y) / n / c
	} else if p.PreserveShape {
		c = out[0].Dim(out[0].NDim() - 1)
		n, inner = len(y)/c, 1
	} else {
		n = out[0].Dim(0)
		c, inner = len(y)/n, 1
	}
	if len(label) != n*inner {
		return fmt.Errorf("SoftmaxOutput backward: label has %d elements, want %d", len(label), n*inner)
	}
	ignored := func(v float32) bool { return p.UseIgnore && v == p.IgnoreLabel }
	validCnt := len(label)
	switch p.Normalization {
	case NormBatch:
		validCnt = in[1].Dim(0)
	case NormValid:
		il := int(p.IgnoreLabel)
		for _, v := range label {
			if int(v) == il {
				validCnt--
			}
		}
		validCnt = max(validCnt, 1)
	default:
		validCnt = 1
	}
	scale := float64(p.GradScale) / float64(validCnt)
	if p.MultiOutput && p.Normalization != NormValid {
		scale /= float64(inner)
	}
	s := float32(scale)
	alpha := p.SmoothAlpha
	var off float32
	if c > 1 {
		off = alpha / float32(c-1)
	}
	for b := range n {
		for q := range inner {
			lv := label[b*inner+q]
			skip := ignored(lv)
			k := -1
			if !skip {
				var err error
				if k, err = labelIndex(lv, c); err != nil {
					return fmt.Errorf("SoftmaxOutput backward: %w", err)
				}
			}
			for j := range c {
				i := (b*c+j)*inner + q
				var g float32
				switch {
				case skip:
					g = 0
				case j == k:
					g = (y[i] - (1 - alpha)) * s
				default:
					g = (y[i] - off) * s
				}
				if req[0] == GradAdd {
					dx[i] += g
				} else {
					dx[i] = g
				}
			}
		}
	}
	return nil
}

// regressionBackward is the gradient of the regression heads
// [src/operator/regression_output-inl.h]: (out − label) for Linear and
// Logistic, sign(out − label) for MAE, times grad_scale divided by the
// label's size per sample.
func regressionBackward(mae bool) BackwardKernel {
	return func(_ *Ctx, params any, in, out, _, inGrad []*tensor.Tensor, req []GradReq) error {
		p := params.(*RegressionOutputParam)
		if err := float32Grads("regression output", in, out, inGrad); err != nil {
			return err
		}
		zeroGrad(req[1], inGrad[1])
		if inGrad[0] == nil {
			return nil
		}
		y, label, dx := out[0].Float32s(), in[1].Float32s(), inGrad[0].Float32s()
		if len(label) != len(y) {
			return fmt.Errorf("regression output backward: label has %d elements, data %d", len(label), len(y))
		}
		if len(y) == 0 {
			return nil
		}
		for _, v := range label {
			if math.IsNaN(float64(v)) {
				return fmt.Errorf("regression output backward: label is NaN")
			}
		}
		numOutput := float32(len(label) / in[1].Dim(0))
		s := p.GradScale / numOutput
		gradElems(req[0], dx, func(i int) float32 {
			d := y[i] - label[i]
			if mae {
				switch {
				case d > 0:
					d = 1
				case d < 0:
					d = -1
				}
			}
			return d * s
		})
		return nil
	}
}

// makeLossBackward is MakeLoss's gradient [src/operator/make_loss-inl.h]:
// grad_scale everywhere, divided by the batch size (batch) or by the number
// of outputs above valid_thresh, at least 1 (valid).
func makeLossBackward(_ *Ctx, params any, _, out, _, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*MakeLossParam)
	if err := float32Grads("MakeLoss", out, inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	g := p.GradScale
	switch p.Normalization {
	case 1:
		if out[0].NDim() > 0 && out[0].Dim(0) > 0 {
			g /= float32(out[0].Dim(0))
		}
	case 2:
		cnt := 0
		for _, v := range out[0].Float32s() {
			if v > p.ValidThresh {
				cnt++
			}
		}
		g /= float32(max(cnt, 1))
	}
	gradElems(req[0], inGrad[0].Float32s(), func(int) float32 { return g })
	return nil
}
