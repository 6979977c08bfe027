package ops

import "math"

// Plain-Go vector helpers for the elementwise functions that have no asm
// kernel yet. Each works on len(dst) elements (x at least as long; dst may
// be x) and computes in float64 per element, rounding once to float32. They
// are the one place to switch to asm kernels later.

// vecSoftSign sets dst[i] = x/(1+|x|).
func vecSoftSign(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = v / (1 + float32(math.Abs(float64(v))))
	}
}

// softplus is ln(1 + e^v) without overflow.
func softplus(v float64) float64 {
	if v > 0 {
		return v + math.Log1p(math.Exp(-v))
	}
	return math.Log1p(math.Exp(v))
}

// vecLogSigmoid sets dst[i] = ln(1/(1+e^-x)) = -softplus(-x), computed
// without the overflow of the literal formula.
func vecLogSigmoid(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = float32(-softplus(-float64(v)))
	}
}

// vecMish sets dst[i] = x·tanh(softplus(x)), computed with one exponential
// as x·n/(n+2) with n = e^x·(e^x+2) (tanh(ln(1+e^x)) rewritten); above 20
// the factor is 1 to float32 precision.
func vecMish(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		if v > 20 {
			dst[i] = v
			continue
		}
		e := math.Exp(float64(v))
		n := e * (e + 2)
		dst[i] = float32(float64(v) * n / (n + 2))
	}
}

// vecELU sets dst[i] = x if x > 0, else alpha·(e^x − 1) (NaN stays NaN).
func vecELU(dst, x []float32, alpha float32) {
	x = x[:len(dst)]
	for i, v := range x {
		if !(v > 0) {
			v = alpha * float32(math.Expm1(float64(v)))
		}
		dst[i] = v
	}
}

// vecSELU sets dst[i] = λ·x if x > 0, else λ·α·(e^x − 1), with SELU's
// constants [src/operator/mshadow_op.h].
func vecSELU(dst, x []float32) {
	const (
		alpha  = 1.6732632423543772848170429916717
		lambda = 1.0507009873554804934193349852946
	)
	x = x[:len(dst)]
	for i, v := range x {
		r := float64(v)
		if !(v > 0) {
			r = alpha * math.Expm1(r)
		}
		dst[i] = float32(lambda * r)
	}
}

// vecGeluTanh sets dst[i] to the tanh approximation of GELU,
// x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
func vecGeluTanh(dst, x []float32) {
	const c = 0.7978845608028654 // √(2/π)
	x = x[:len(dst)]
	for i, v := range x {
		r := float64(v)
		dst[i] = float32(0.5 * r * (1 + math.Tanh(c*(r+0.044715*r*r*r))))
	}
}

// vecLeakyPerElem sets dst[i] = x if x > 0, else slope[i]·x.
func vecLeakyPerElem(dst, x, slope []float32) {
	x, slope = x[:len(dst)], slope[:len(dst)]
	for i, v := range x {
		if !(v > 0) {
			v *= slope[i]
		}
		dst[i] = v
	}
}

// vecSqrt sets dst[i] = √x (NaN for negative x).
func vecSqrt(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = float32(math.Sqrt(float64(v)))
	}
}

// vecAbs sets dst[i] = |x|.
func vecAbs(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = math.Float32frombits(math.Float32bits(v) &^ (1 << 31))
	}
}

// vecPow sets dst[i] = x[i]^y[i].
func vecPow(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for i, v := range x {
		dst[i] = float32(math.Pow(float64(v), float64(y[i])))
	}
}

// vecMaximum sets dst[i] = max(x[i], y[i]), NaN if either is NaN (MXNet's
// mshadow_op::maximum).
func vecMaximum(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for i, v := range x {
		dst[i] = maximum32(v, y[i])
	}
}

// vecMinimum sets dst[i] = min(x[i], y[i]), NaN if either is NaN.
func vecMinimum(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for i, v := range x {
		dst[i] = minimum32(v, y[i])
	}
}

// maximum32 and minimum32 propagate NaN from either side, as MXNet's
// mshadow_op::maximum/minimum do.
func maximum32(a, b float32) float32 {
	if a != a || a > b {
		return a
	}
	return b
}

func minimum32(a, b float32) float32 {
	if a != a || a < b {
		return a
	}
	return b
}
