package ops

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/asm"
)

// TestDepthwisePad1MatchesRows checks that the pad-1 path
// (asm.DepthwisePad1) gives the bits of the per-channel row path with
// every implementation, whole and split into ranges of planes that cross
// channel chunks and samples: channel counts past the chunk, batch 2,
// widths 1 to 129, strides 1 and 2, the ReLU and clip activations applied inside the
// kernels and a scale-and-shift epilogue applied after, NaN and −0
// inputs; and that padding other than 1 never takes it.
func TestDepthwisePad1MatchesRows(t *testing.T) {
	defer func() { dwPad1Off = false }()
	r := rand.New(rand.NewPCG(91, 92))
	acts := []*convEpilogue{nil, {Act: epiReLU}, {Act: epiClip, Lo: -0.5, Hi: 0.5}, {ScaleShift: true}}
	for _, c := range []struct{ n, c, h, w, s, pad int }{
		{1, 16, 7, 7, 1, 1}, {2, 35, 7, 7, 1, 1}, {1, 32, 14, 14, 2, 1}, {2, 16, 5, 11, 1, 1},
		{1, 130, 14, 14, 1, 1}, {1, 16, 16, 30, 2, 1}, {1, 17, 3, 32, 1, 1}, {2, 5, 1, 1, 1, 1},
		{1, 16, 16, 30, 2, 2}, {2, 16, 5, 11, 1, 0}, {1, 8, 4, 33, 1, 1}, {2, 9, 7, 70, 2, 1},
		{1, 4, 6, 129, 1, 1},
	} {
		p := engineParams(t, engineCase{c.c, c.h, c.w, c.c, 3, c.s, c.pad, c.c})
		x, w, bias := engineRand(r, c.n, c.c, c.h, c.w), engineRand(r, c.c, 1, 3, 3), engineRand(r, c.c)
		xs := x.Float32s()
		xs[r.IntN(len(xs))], xs[r.IntN(len(xs))] = float32(math.NaN()), float32(math.Copysign(0, -1))
		g, ok := convDimsOf(p, []Shape{x.Shape(), w.Shape(), bias.Shape()})
		if !ok || !g.dw3x3() {
			t.Fatalf("%+v: not a 3×3 depthwise convolution", c)
		}
		if want := c.pad == 1 && c.w <= asm.DepthwisePad1MaxWidth; g.dwPad1() != want {
			t.Fatalf("%+v: dwPad1() = %v", c, !want)
		}
		_, _, ws := g.dwPlanes()
		ctx := &Ctx{Threads: 1}
		units := c.n * c.c
		scale, shift := engineRand(r, c.c).Float32s(), engineRand(r, c.c).Float32s()
		asm.ForEachImpl(func(impl string) {
			for ai, act := range acts {
				ep := convEpi{e: act}
				if act != nil && act.ScaleShift {
					ep.scale, ep.shift = scale, shift
				}
				run := func(off bool, cuts ...int) []float32 {
					dwPad1Off = off
					y := make([]float32, c.n*g.f*g.outSize())
					lo := 0
					for _, hi := range append(cuts, units) {
						convDepthwise3x3(ctx, &g, xs, w.Float32s(), bias.Float32s(), y, &ep, make([]float32, ws), lo, hi)
						lo = hi
					}
					return y
				}
				rows := run(true)
				for _, cuts := range [][]int{nil, {units / 3, units / 2}, {1}} {
					got := run(false, cuts...)
					for i := range rows {
						if math.Float32bits(got[i]) != math.Float32bits(rows[i]) {
							t.Fatalf("%s %+v act %d cuts %v: output %d is %v, the row path gives %v", impl, c, ai, cuts, i, got[i], rows[i])
						}
					}
				}
			}
		})
	}
}
