//go:build !purego

package asm

import "math"

// AVX2+FMA kernels in vec_math_amd64.s: log, softrelu, erf, gelu and the
// softmax passes. Each runs 8 lanes per step and finishes the last 1-7
// elements with a masked load and store (VMASKMOVPS) through the same code,
// so every element is computed by the same instructions. Lengths are
// checked by the callers (len(x) >= len(dst)); dst may alias x exactly.

// logAVX2 sets dst[i] = ln x[i]: x = 2^k·m with m in [√½, √2) taken from
// the bits (subnormals scaled by 2^25 first), f = m-1, s = f/(2+f) and
// ln(1+f) = f - f²/2 + s·(f²/2 + R(s²)) with R the atanh series
// 2z/3 + 2z²/5 + ... + 2z⁵/11, plus k·ln2 in two parts. ±0 gives -Inf,
// +Inf gives +Inf, negative x and NaN give NaN.
//
//go:noescape
func logAVX2(dst, x []float32)

// softReluAVX2 sets dst[i] = x > 20 ? x : max(x,0) + log1p(e^-|x|), the
// same value as log1p(e^x) without overflow or cancellation; log1p(t) is
// ln(w) + (t-(w-1))/w with w = 1+t rounded.
//
//go:noescape
func softReluAVX2(dst, x []float32)

// erfAVX2 sets dst[i] = erf x[i]: s·c0 + s³·Q(s²) for |s| < 0.875, else
// sign(s)·(1 - E(√2|s|)) with E(a) = erfc(a/√2) = e^(-a²/2)·R(a), a²/2
// split exactly with FMA and R a degree-10 polynomial per interval
// [0,1.5), [1.5,3.5), [3.5,7), [7,14.5] (the coefficient table shared
// with the NEON kernels).
//
//go:noescape
func erfAVX2(dst, x []float32)

// geluAVX2 sets dst[i] = x/2·(1+erf(x/√2)): x/2 + x²·K(x²) for
// 0 <= x < 0.875·√2, x/2·R(|x|)·e^(-x²/2) for x < 0 and x/2·(2-E(x))
// above, so nothing cancels.
//
//go:noescape
func geluAVX2(dst, x []float32)

// softmaxExpAVX2 sets dst[i] = e^((x[i]-m)·s) and returns Σ dst[i],
// accumulated in float64.
//
//go:noescape
func softmaxExpAVX2(dst, x []float32, m, s float32) float64

// expSumAVX2 returns Σ e^((x[i]-m)·s), accumulated in float64, without
// storing the exponentials.
//
//go:noescape
func expSumAVX2(x []float32, m, s float32) float64

// shiftScaleAVX2 sets dst[i] = (x[i]-m)·s + c, computed in float64 (so
// x-m cannot overflow) and rounded once to float32.
//
//go:noescape
func shiftScaleAVX2(dst, x []float32, m, s, c float64)

// softmaxAVX2 is Softmax: max, exponentials with their sum, then one scale.
func softmaxAVX2(dst, x []float32, t float32) {
	if len(dst) == 0 {
		return
	}
	x = x[:len(dst)]
	m := maxAVX2(x)
	sum := softmaxExpAVX2(dst, x, m, 1/t)
	scaleAVX2(dst, dst, float32(1/sum))
}

// logSoftmaxAVX2 is LogSoftmax: max, the sum of exponentials (not stored,
// so dst may be x), then dst = (x-m)/t - ln Σ.
func logSoftmaxAVX2(dst, x []float32, t float32) {
	if len(dst) == 0 {
		return
	}
	x = x[:len(dst)]
	m := maxAVX2(x)
	ls := math.Log(expSumAVX2(x, m, 1/t))
	shiftScaleAVX2(dst, x, float64(m), 1/float64(t), -ls)
}
