package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestDepthwiseLanes9 checks DepthwiseLanes9 bit for bit against
// DepthwiseRows9 (one output row at a time, its taps gathered from a
// zero-padded plane) with the same implementation, on avx512 (elsewhere it
// must report false): plane sizes 1..17 square and oblong, padding 0..2,
// strides 1 and 2, gaps between the planes, NaN, ±Inf and −0 inputs, no
// bias, and the three activations (none, ReLU, clip). Floats between
// the output planes must stay untouched.
func TestDepthwiseLanes9(t *testing.T) {
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	inf := float32(math.Inf(1))
	acts := [][3]float32{{-inf, inf, negZero}, {0, inf, 0}, {0, 6, negZero}}
	special := []float32{float32(math.NaN()), inf, -inf, negZero, 0, 1e-40}
	for _, impl := range Impls() {
		if err := SetImpl(impl); err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(81, 82))
		ran := 0
		for _, hw := range [][2]int{{1, 1}, {2, 3}, {3, 3}, {4, 4}, {5, 7}, {7, 7}, {8, 8}, {9, 5}, {14, 14}, {16, 16}, {17, 13}} {
			for ph := range 3 {
				for _, s := range []int{1, 2} {
					h, w := hw[0], hw[1]
					pw := (ph + h) % 3
					oh, ow := (h+2*ph-3)/s+1, (w+2*pw-3)/s+1
					if h+2*ph < 3 || w+2*pw < 3 {
						continue
					}
					is, os := h*w+3, oh*ow+5
					x := make([]float32, 16*is)
					for i := range x {
						x[i] = float32(r.NormFloat64())
						if r.IntN(23) == 0 {
							x[i] = special[r.IntN(len(special))]
						}
					}
					wts := randSlice(r, 144)
					bias := randSlice(r, 16)
					for ai, act := range acts {
						b := bias
						if ai == 1 {
							b = nil
						}
						got := make([]float32, 16*os)
						for i := range got {
							got[i] = sentinel
						}
						// A cleared scratch, used by a first call on other
						// planes: the padding must stay zero.
						scratch := make([]float32, DepthwiseLanesScratch(h, w, ph, pw, s))
						other := make([]float32, len(x))
						for i := range other {
							other[i] = float32(math.NaN())
						}
						DepthwiseLanes9(make([]float32, len(got)), os, other, is, h, w, ph, pw, s, wts, b, act[0], act[1], act[2], scratch)
						ok := DepthwiseLanes9(got, os, x, is, h, w, ph, pw, s, wts, b, act[0], act[1], act[2], scratch)
						what := fmt.Sprintf("%s %dx%d pad %d,%d stride %d act %d", impl, h, w, ph, pw, s, ai)
						if ok != (impl == AVX512) {
							t.Fatalf("%s: reported %v", what, ok)
						}
						if !ok {
							continue
						}
						ran++
						hp, wp := h+2*ph, w+2*pw
						plane := make([]float32, hp*wp)
						for l := range 16 {
							clear(plane)
							for i := range h {
								copy(plane[(i+ph)*wp+pw:], x[l*is+i*w:l*is+(i+1)*w])
							}
							var wt [9]float32
							copy(wt[:], wts[l*9:l*9+9])
							var bl float32
							if b != nil {
								bl = b[l]
							}
							var taps [9][]float32
							want := make([]float32, ow)
							for rr := range oh {
								for k := range 9 {
									kh, kw := k/3, k%3
									taps[k] = make([]float32, ow)
									for c := range ow {
										taps[k][c] = plane[(rr*s+kh)*wp+c*s+kw]
									}
								}
								DepthwiseRows9(want, ow, &taps, 0, 1, ow, &wt, bl, act[0], act[1], act[2])
								checkSameBits(t, fmt.Sprintf("%s: channel %d row %d", what, l, rr), got[l*os+rr*ow:l*os+rr*ow+ow], want)
							}
							for i := oh * ow; i < os; i++ {
								if got[l*os+i] != sentinel {
									t.Fatalf("%s: channel %d: float %d past the plane written", what, l, i)
								}
							}
						}
					}
				}
			}
		}
		if impl == AVX512 && ran == 0 {
			t.Fatal("no case ran")
		}
	}
}
