package ops

import "math"

// Plain-Go kernels of the unary math, comparison and logic operators that
// have no asm kernel [src/operator/mshadow_op.h]. Like vecmath.go each works
// on len(dst) elements (dst may be x) and, where MXNet calls a libm
// function, computes it in float64 and rounds once to float32.

// MXNet's degrees and radians factors, 180.0f / PI and PI / 180.0f with
// PI a float32 constant, evaluated in float32.
var (
	pi32             = float32(math.Pi)
	degreesPerRadian = 180 / pi32
	radiansPerDegree = pi32 / 180
)

// mapUnary returns the slice form of the float64 function f.
func mapUnary(f func(float64) float64) func(dst, x []float32) {
	return func(dst, x []float32) {
		x = x[:len(dst)]
		for i, v := range x {
			dst[i] = float32(f(float64(v)))
		}
	}
}

// mapUnary32 returns the slice form of the float32 function f.
func mapUnary32(f func(float32) float32) func(dst, x []float32) {
	return func(dst, x []float32) {
		x = x[:len(dst)]
		for i, v := range x {
			dst[i] = f(v)
		}
	}
}

// zipBinary returns the equal-length slice form of the per-element g.
func zipBinary(g func(a, b float32) float32) binaryFunc {
	return func(dst, x, y []float32) {
		x, y = x[:len(dst)], y[:len(dst)]
		for i, v := range x {
			dst[i] = g(v, y[i])
		}
	}
}

// b2f is MXNet's DType(1) / DType(0) result of a comparison, written so
// the compiler emits a conditional move rather than a branch (comparisons
// of noisy data mispredict half the time).
func b2f(b bool) float32 {
	var i uint32
	if b {
		i = 1
	}
	return float32(i)
}

// sign32 is mshadow_op::sign: -1, 1, or 0 for ±0 and NaN.
func sign32(a float32) float32 {
	switch {
	case a < 0:
		return -1
	case a > 0:
		return 1
	}
	return 0
}

// rint32 is mshadow_op::rint: the nearer of floor and ceil, floor on a tie
// (so 1.5 → 1 and -1.5 → -2, unlike IEEE rint); NaN and ±Inf give ceil.
func rint32(a float32) float32 {
	f := float32(math.Floor(float64(a)))
	c := float32(math.Ceil(float64(a)))
	if a-f <= c-a {
		return f
	}
	return c
}

// fix32 is mshadow_op::fix: whichever of floor and ceil is nearer zero.
func fix32(a float32) float32 {
	f := float32(math.Floor(float64(a)))
	c := float32(math.Ceil(float64(a)))
	abs := func(v float32) float32 {
		if v > 0 {
			return v
		}
		return -v
	}
	if abs(f) < abs(c) {
		return f
	}
	return c
}

// gammaln is mshadow_op::gammaln, C's lgamma: ln|Γ(a)|, +Inf at the
// poles and at ±Inf (Go's math.Lgamma gives -Inf for -Inf).
func gammaln(a float64) float64 {
	if math.IsInf(a, -1) {
		return math.Inf(1)
	}
	v, _ := math.Lgamma(a)
	return v
}

// hardSigmoid sets dst[i] = max(0, min(1, alpha·x + beta)) (NaN stays NaN).
func hardSigmoid(dst, x []float32, alpha, beta float32) {
	x = x[:len(dst)]
	for i, v := range x {
		r := float32(float64(alpha)*float64(v) + float64(beta))
		if r > 1 {
			r = 1
		}
		if r < 0 {
			r = 0
		}
		dst[i] = r
	}
}

// mod64 is mshadow_op::mod, Python's modulo (the result takes the sign of
// b) computed with fmod in float64; b == 0 gives 0.
func mod64(a, b float64) float64 {
	switch {
	case b == 0:
		return 0
	case b < 0:
		if a < 0 {
			return -math.Mod(-a, -b)
		}
		r := math.Mod(a, -b)
		if r != 0 {
			return r + b
		}
		return r + 0 // -0 becomes +0, as in MXNet's r + DType(0)
	default:
		if a < 0 {
			r := math.Mod(-a, b)
			if r != 0 {
				return -r + b
			}
			return -r + 0
		}
		return math.Mod(a, b)
	}
}

// mod32 is mod64 on float32 operands, rounded once.
func mod32(a, b float32) float32 { return float32(mod64(float64(a), float64(b))) }

// copysign32 is mshadow_op::copysign: a when a and b are both >= 0 or both
// < 0, else -a (so a NaN or -0 b counts by these comparisons, not its sign
// bit).
func copysign32(a, b float32) float32 {
	if (a >= 0 && b >= 0) || (a < 0 && b < 0) {
		return a
	}
	return -a
}

// arctan232 is mshadow_op::arctan2, atan2(a, b).
func arctan232(a, b float32) float32 { return float32(math.Atan2(float64(a), float64(b))) }

// ldexp32 is mshadow_op::ldexp in float32: a · powf(2, b), so 0 · 2^200
// is 0 · Inf = NaN as in MXNet.
func ldexp32(a, b float32) float32 { return a * float32(math.Pow(2, float64(b))) }

// hypot32 is mshadow_op::hypot, √(a² + b²) without overflow.
func hypot32(a, b float32) float32 { return float32(math.Hypot(float64(a), float64(b))) }

// compareVec and compareScalar are the loop forms of the comparisons (1 or
// 0), one loop per operator so the comparison is inlined.
var (
	compareVec = map[string]binaryFunc{
		"equal": func(dst, x, y []float32) {
			x, y = x[:len(dst)], y[:len(dst)]
			for i, v := range x {
				dst[i] = b2f(v == y[i])
			}
		},
		"not_equal": func(dst, x, y []float32) {
			x, y = x[:len(dst)], y[:len(dst)]
			for i, v := range x {
				dst[i] = b2f(v != y[i])
			}
		},
		"greater": func(dst, x, y []float32) {
			x, y = x[:len(dst)], y[:len(dst)]
			for i, v := range x {
				dst[i] = b2f(v > y[i])
			}
		},
		"greater_equal": func(dst, x, y []float32) {
			x, y = x[:len(dst)], y[:len(dst)]
			for i, v := range x {
				dst[i] = b2f(v >= y[i])
			}
		},
		"lesser": func(dst, x, y []float32) {
			x, y = x[:len(dst)], y[:len(dst)]
			for i, v := range x {
				dst[i] = b2f(v < y[i])
			}
		},
		"lesser_equal": func(dst, x, y []float32) {
			x, y = x[:len(dst)], y[:len(dst)]
			for i, v := range x {
				dst[i] = b2f(v <= y[i])
			}
		},
	}
	compareScalar = map[string]func(dst, x []float32, s float32){
		"equal": func(dst, x []float32, s float32) {
			for i, v := range x[:len(dst)] {
				dst[i] = b2f(v == s)
			}
		},
		"not_equal": func(dst, x []float32, s float32) {
			for i, v := range x[:len(dst)] {
				dst[i] = b2f(v != s)
			}
		},
		"greater": func(dst, x []float32, s float32) {
			for i, v := range x[:len(dst)] {
				dst[i] = b2f(v > s)
			}
		},
		"greater_equal": func(dst, x []float32, s float32) {
			for i, v := range x[:len(dst)] {
				dst[i] = b2f(v >= s)
			}
		},
		"lesser": func(dst, x []float32, s float32) {
			for i, v := range x[:len(dst)] {
				dst[i] = b2f(v < s)
			}
		},
		"lesser_equal": func(dst, x []float32, s float32) {
			for i, v := range x[:len(dst)] {
				dst[i] = b2f(v <= s)
			}
		},
	}
)
