package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDepthwisePad1 checks DepthwisePad1 bit for bit against
// DepthwiseRows9 with the same implementation on zero-padded copies of
// the planes, on avx512 and (planes at most dwPad1AVX2MaxWidth wide) avx2;
// elsewhere it must report false, and the test says when the avx512
// kernels were skipped. Every width 1..32 (one and two vectors, every
// mask) and ten to 129 (several strips, every strip tail), heights 1..9
// and 14, strides 1 and 2, 1 to 5 channels with gaps between the planes,
// on unaligned slices, NaN, ±Inf, −0 and subnormal inputs, with and
// without bias, and the three activations (none, ReLU, clip). Floats
// before, between and after the output planes must stay untouched (the
// avx2 kernels store past a row's end, never past a plane's); wider
// planes and other strides must report false.
func TestDepthwisePad1(t *testing.T) {
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	inf := float32(math.Inf(1))
	acts := [][3]float32{{-inf, inf, negZero}, {0, inf, 0}, {0, 6, negZero}}
	special := []float32{float32(math.NaN()), inf, -inf, negZero, 0, 1e-40}
	ran := 0
	for _, impl := range Impls() {
		if err := SetImpl(impl); err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(71, 72))
		widths := []int{33, 40, 47, 48, 63, 64, 65, 80, 97, 129}
		for w := 1; w <= 32; w++ {
			widths = append(widths, w)
		}
		for _, w := range widths {
			for _, h := range []int{1 + w%9, 14} {
				for _, s := range []int{1, 2} {
					planes := 1 + (w+h)%5
					oh, ow := (h-1)/s+1, (w-1)/s+1
					is, os := h*w+w%3, oh*ow+2
					buf := make([]float32, 1+planes*is)
					x := buf[1:]
					for i := range x {
						x[i] = float32(r.NormFloat64())
						if r.IntN(23) == 0 {
							x[i] = special[r.IntN(len(special))]
						}
					}
					wts := randSlice(r, 9*planes)
					bias := randSlice(r, planes)
					for ai, act := range acts {
						b := bias
						if ai == 1 {
							b = nil
						}
						gbuf := make([]float32, 1+planes*os)
						for i := range gbuf {
							gbuf[i] = sentinel
						}
						got := gbuf[1:]
						ok := DepthwisePad1(got, os, x, is, planes, h, w, s, wts, b, act[0], act[1], act[2])
						what := fmt.Sprintf("%s %d×%dx%d stride %d act %d", impl, planes, h, w, s, ai)
						if ok != (impl == AVX512 || impl == AVX2 && w <= dwPad1AVX2MaxWidth) {
							t.Fatalf("%s: reported %v", what, ok)
						}
						if !ok {
							continue
						}
						ran++
						hp, wp := h+2, w+2
						plane := make([]float32, hp*wp)
						for l := range planes {
							clear(plane)
							for i := range h {
								copy(plane[(i+1)*wp+1:], x[l*is+i*w:l*is+(i+1)*w])
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
									taps[k] = make([]float32, ow)
									for c := range ow {
										taps[k][c] = plane[(rr*s+k/3)*wp+c*s+k%3]
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
						if gbuf[0] != sentinel {
							t.Fatalf("%s: float before the output written", what)
						}
					}
				}
			}
		}
		// Outside the kernels' geometry: false, nothing written.
		const wide = DepthwisePad1MaxWidth + 1
		x, y, wts := make([]float32, wide), []float32{sentinel}, make([]float32, 9)
		for _, c := range []struct{ h, w, s int }{{1, wide, 1}, {1, wide, 2}, {1, 1, 3}, {1, 1, 0}} {
			if DepthwisePad1(y, 1, x, c.h*c.w, 1, c.h, c.w, c.s, wts, nil, 0, 0, 0) || y[0] != sentinel {
				t.Fatalf("%s: %dx%d stride %d taken", impl, c.h, c.w, c.s)
			}
		}
	}
	if !slices.Contains(Impls(), AVX512) {
		t.Log("avx512 kernels skipped: no AVX-512 here")
	}
	if ran == 0 && (slices.Contains(Impls(), AVX512) || slices.Contains(Impls(), AVX2)) {
		t.Fatal("no case ran")
	}
}
