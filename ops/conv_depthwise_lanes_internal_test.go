package ops

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDepthwiseLanesMatchesRows checks that the 16-channel lanes path
// gives the bits of the per-channel row path (a range of one plane never
// takes the lanes path): channel counts with and without a remainder of
// 16, batch 2, small and oblong planes, strides 1 and 2, pads 0..2, the
// ReLU and clip activations applied inside the kernels, NaN and −0
// inputs.
func TestDepthwiseLanesMatchesRows(t *testing.T) {
	r := rand.New(rand.NewPCG(91, 92))
	acts := []*convEpilogue{nil, {Act: epiReLU}, {Act: epiClip, Lo: -0.5, Hi: 0.5}}
	for _, c := range []struct{ n, c, h, w, s, pad int }{
		{1, 16, 7, 7, 1, 1}, {2, 35, 7, 7, 1, 1}, {1, 32, 14, 14, 2, 1}, {2, 16, 5, 11, 1, 0},
		{1, 48, 8, 8, 1, 1}, {1, 16, 16, 30, 2, 2}, {1, 17, 3, 3, 1, 1}, {1, 16, 1, 1, 1, 1},
	} {
		p := engineParams(t, engineCase{c.c, c.h, c.w, c.c, 3, c.s, c.pad, c.c})
		x, w, bias := engineRand(r, c.n, c.c, c.h, c.w), engineRand(r, c.c, 1, 3, 3), engineRand(r, c.c)
		xs := x.Float32s()
		xs[r.IntN(len(xs))], xs[r.IntN(len(xs))] = float32(math.NaN()), float32(math.Copysign(0, -1))
		g, ok := convDimsOf(p, []Shape{x.Shape(), w.Shape(), bias.Shape()})
		if !ok || !g.dw3x3() {
			t.Fatalf("%+v: not a 3×3 depthwise convolution", c)
		}
		if !g.dwLanes() && c.c >= 16 && g.out[2] <= dwLanesMaxWidth {
			t.Fatalf("%+v: the lanes path does not take it", c)
		}
		_, _, ws := g.dwPlanes()
		ctx := &Ctx{Threads: 1}
		for ai, act := range acts {
			ep := convEpi{e: act}
			lanes := make([]float32, c.n*g.f*g.outSize())
			rows := make([]float32, len(lanes))
			convDepthwise3x3(ctx, &g, xs, w.Float32s(), bias.Float32s(), lanes, &ep, make([]float32, ws), 0, c.n*c.c)
			for u := range c.n * c.c {
				convDepthwise3x3(ctx, &g, xs, w.Float32s(), bias.Float32s(), rows, &ep, make([]float32, ws), u, u+1)
			}
			for i := range rows {
				if math.Float32bits(lanes[i]) != math.Float32bits(rows[i]) {
					t.Fatalf("%+v act %d: output %d is %v, the row path gives %v", c, ai, i, lanes[i], rows[i])
				}
			}
		}
	}
}
