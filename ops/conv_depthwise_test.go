package ops_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// TestFusedDepthwise3x3 checks the 3×3 depthwise path with every test
// epilogue (the ReLU and clip ones run inside the depthwise kernel, the
// others after it) against a float64 reference: strides 1 and 2, odd and
// even planes, pads 0-2, channel multipliers 1 and 2, planes narrower than
// a vector and several vectors wide, 16 channels and more in the lanes of
// one vector.
func TestFusedDepthwise3x3(t *testing.T) {
	for _, c := range []struct{ n, c, mult, h, w, s, p int }{
		{2, 3, 1, 7, 7, 1, 1},
		{1, 2, 2, 5, 19, 1, 0},
		{1, 3, 1, 13, 37, 2, 1},
		{2, 2, 2, 8, 8, 2, 1},
		{1, 2, 1, 9, 20, 2, 2},
		{1, 1, 1, 3, 3, 2, 0},
		{1, 2, 1, 7, 11, 2, 2},
		{1, 2, 1, 6, 10, 2, 0},
		{1, 2, 1, 5, 33, 2, 1},
		{1, 35, 1, 7, 7, 1, 1},   // 16-channel lanes (two blocks and three planes)
		{2, 16, 1, 14, 14, 2, 1}, // lanes, stride 2 (7 wide)
		{1, 16, 1, 4, 9, 1, 2},   // lanes, pad 2
	} {
		for ei, epi := range testEpilogues {
			asmEach(t, func(impl string) {
				f := c.c * c.mult
				x, w, b := kaRand(1, 1, c.n, c.c, c.h, c.w), kaRand(2, 1, f, 1, 3, 3), kaRand(3, 1, f)
				in := []*tensor.Tensor{x, w, b}
				stride, pad := []int{c.s, c.s}, []int{c.p, c.p}
				shape, want := convRef(x, w, b, stride, pad, []int{1, 1}, c.c)
				var res *tensor.Tensor
				if epi.Residual {
					res = kaRand(4, 1, shape...)
					in = append(in, res)
				}
				for i := range want {
					var r *float64
					if res != nil {
						v := res.Float64At(i)
						r = &v
					}
					want[i] = epiRef(want[i], r, epi)
				}
				attrs := map[string]string{"kernel": "(3, 3)", "pad": fmt.Sprintf("(%d, %d)", c.p, c.p),
					"stride": fmt.Sprintf("(%d, %d)", c.s, c.s), "num_filter": fmt.Sprint(f), "num_group": fmt.Sprint(c.c)}
				cop, _ := ops.Lookup("Convolution")
				p, err := cop.Parse(attrs)
				if err != nil {
					t.Fatal(err)
				}
				y := runFused(t, "Convolution", p, epi, in, shape)
				kaCheck(t, fmt.Sprintf("%s %+v epilogue %d", impl, c, ei), y, shape, want, 1e-5, 1e-5)
			})
		}
	}
}

// TestFusedDepthwise3x3Bits checks that the activations the depthwise
// kernel applies give the bits of the convolution followed by asm.Relu or
// asm.Clip (the unfused graph), NaN and signed zeros included.
func TestFusedDepthwise3x3Bits(t *testing.T) {
	cop, _ := ops.Lookup("Convolution")
	for _, s := range []int{1, 2} {
		attrs := map[string]string{"kernel": "(3, 3)", "pad": "(1, 1)", "stride": fmt.Sprintf("(%d, %d)", s, s),
			"num_filter": "4", "num_group": "4"}
		p, err := cop.Parse(attrs)
		if err != nil {
			t.Fatal(err)
		}
		x, w, b := kaRand(1, 1, 1, 4, 11, 21), kaRand(2, 1, 4, 1, 3, 3), kaRand(3, 1, 4)
		xs := x.Float32s()
		xs[5], xs[300] = float32(math.NaN()), float32(math.Inf(1))
		// Channel 3: zero input, -0 bias and -0 weights sum to -0.
		clear(xs[3*11*21:])
		neg0 := float32(math.Copysign(0, -1))
		for i := range 9 {
			w.Float32s()[27+i] = neg0
		}
		b.Float32s()[3] = neg0
		in := []*tensor.Tensor{x, w, b}
		for _, epi := range []ops.Epilogue{{Act: ops.EpilogueReLU}, {Act: ops.EpilogueClip, Lo: 0, Hi: 0.5}} {
			asmEach(t, func(impl string) {
				want := runFused(t, "Convolution", p, ops.Epilogue{}, in, nil2shape(t, cop, p, in))
				if epi.Act == ops.EpilogueReLU {
					asm.Relu(want.Float32s(), want.Float32s())
				} else {
					asm.Clip(want.Float32s(), want.Float32s(), epi.Lo, epi.Hi)
				}
				got := runFused(t, "Convolution", p, epi, in, want.Shape())
				for i, v := range got.Float32s() {
					if math.Float32bits(v) != math.Float32bits(want.Float32s()[i]) {
						t.Fatalf("%s stride %d act %d: element %d is %v, conv then activation gives %v", impl, s, epi.Act, i, v, want.Float32s()[i])
					}
				}
			})
		}
	}
}

// nil2shape infers the output shape of a convolution.
func nil2shape(t *testing.T, op *ops.Op, p any, in []*tensor.Tensor) []int {
	t.Helper()
	shapes := make([]ops.Shape, len(in))
	for i, x := range in {
		shapes[i] = x.Shape()
	}
	out := []ops.Shape{nil}
	if err := op.InferShape(p, shapes, out); err != nil {
		t.Fatal(err)
	}
	return out[0]
}
