package ops

import (
	"fmt"
	"math/rand/v2"

	"github.com/mxgo/mxgo/tensor"
)

// dropoutMaxDims bounds the rank of variational dropout's broadcast.
const dropoutMaxDims = 32

// dropoutForward is Dropout. At inference with mode training (and for
// p = 0) the output is the data and the mask output is filled with 1 (MXNet
// leaves it unwritten). In a training pass, or always with mode always, each
// mask element is 1/(1−p) with probability 1−p and 0 otherwise (p = 1 gives
// an all-zero mask), broadcast over the axes of variational dropout, and
// the output is data·mask. Random numbers come from Ctx.Rand when set (the
// training executor's seeded source), else math/rand/v2's global source.
func dropoutForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*DropoutParam)
	x, y := in[0], out[0]
	if x.DType() != tensor.Float32 || y.DType() != tensor.Float32 {
		return fmt.Errorf("%s not supported, only float32", x.DType())
	}
	xd, yd := x.Float32s(), y.Float32s()
	if len(yd) != len(xd) {
		return fmt.Errorf("output has %d elements, data %d", len(yd), len(xd))
	}
	var mask []float32
	if len(out) > 1 {
		if out[1].DType() != tensor.Float32 {
			return fmt.Errorf("mask is %s, want float32", out[1].DType())
		}
		mask = out[1].Float32s()
	}
	active := (ctx.Train || p.Mode == DropoutAlways) && p.P > 0
	if !active {
		copy(yd, xd)
		for i := range mask {
			mask[i] = 1
		}
		return nil
	}
	if mask == nil || out[1].NDim() != x.NDim() {
		return fmt.Errorf("an active dropout needs its mask output of the data's rank")
	}
	if x.NDim() > dropoutMaxDims {
		return fmt.Errorf("%d-D data exceeds %d dims", x.NDim(), dropoutMaxDims)
	}
	keep := 1 - p.P
	var scale float32
	if keep > 0 {
		scale = 1 / keep
	}
	draw := rand.Float32
	if ctx.Rand != nil {
		draw = ctx.Rand.Float32
	}
	for i := range mask {
		if draw() < keep {
			mask[i] = scale
		} else {
			mask[i] = 0
		}
	}
	if len(mask) == len(xd) {
		for i, v := range xd {
			yd[i] = v * mask[i]
		}
		return nil
	}
	// Variational dropout: mask dims of size 1 broadcast.
	var xs, ms [dropoutMaxDims]int
	nd := x.NDim()
	xStride, mStride := 1, 1
	for d := nd - 1; d >= 0; d-- {
		xs[d] = xStride
		xStride *= x.Dim(d)
		if out[1].Dim(d) != 1 {
			ms[d] = mStride
		}
		mStride *= out[1].Dim(d)
	}
	for i := range xd {
		mi, r := 0, i
		for d := range nd {
			mi += r / xs[d] * ms[d]
			r %= xs[d]
		}
		yd[i] = xd[i] * mask[mi]
	}
	return nil
}
