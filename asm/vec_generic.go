package asm

import "math"

// genericVec is the pure-Go implementation: the reference the SIMD
// kernels are tested against. Transcendentals are computed in float64 and
// rounded once, so they are within 1 ulp of the exact result.
var genericVec = vecKernels{
	relu: func(dst, x []float32) {
		for i, v := range x {
			if !(v > 0) && v == v {
				v = 0
			}
			dst[i] = v
		}
	},
	leakyRelu: func(dst, x []float32, slope float32) {
		for i, v := range x {
			if !(v > 0) {
				v *= slope
			}
			dst[i] = v
		}
	},
	clip: func(dst, x []float32, lo, hi float32) {
		for i, v := range x {
			if v < lo {
				v = lo
			}
			if v > hi {
				v = hi
			}
			dst[i] = v
		}
	},
	exp:     unary64(math.Exp),
	log:     unary64(math.Log),
	sigmoid: unary64(func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }),
	tanh:    unary64(math.Tanh),
	softRelu: unary64(func(v float64) float64 {
		if v > 20 {
			return v
		}
		return math.Log1p(math.Exp(v))
	}),
	erf: unary64(math.Erf),
	// 1+erf(v/√2) = erfc(-v/√2), which keeps its accuracy where 1+erf
	// would cancel (v < 0).
	gelu: unary64(func(v float64) float64 { return 0.5 * v * math.Erfc(-v/math.Sqrt2) }),
	softmax: func(dst, x []float32, t float32) {
		if len(x) == 0 {
			return
		}
		m, inv := float64(maxGeneric(x)), 1/float64(t)
		var s float64
		for i, v := range x {
			e := math.Exp((float64(v) - m) * inv)
			dst[i] = float32(e)
			s += e
		}
		r := 1 / s
		for i := range dst {
			dst[i] = float32(float64(dst[i]) * r)
		}
	},
	logSoftmax: func(dst, x []float32, t float32) {
		if len(x) == 0 {
			return
		}
		m, inv := float64(maxGeneric(x)), 1/float64(t)
		var s float64
		for _, v := range x {
			s += math.Exp((float64(v) - m) * inv)
		}
		ls := math.Log(s)
		for i, v := range x {
			dst[i] = float32((float64(v)-m)*inv - ls)
		}
	},
	sum: func(x []float32) float32 {
		var s float64
		for _, v := range x {
			s += float64(v)
		}
		return float32(s)
	},
	max: maxGeneric,
	dot: func(x, y []float32) float32 {
		var s float64
		for i, v := range x {
			s += float64(v) * float64(y[i])
		}
		return float32(s)
	},
	scale: func(dst, x []float32, a float32) {
		for i, v := range x {
			dst[i] = a * v
		}
	},
	axpy: func(dst, x []float32, a float32) {
		for i, v := range x {
			dst[i] += a * v
		}
	},
	addScalar: func(dst, x []float32, s float32) {
		for i, v := range x {
			dst[i] = v + s
		}
	},
	affine: func(dst, x []float32, a, b float32) {
		for i, v := range x {
			dst[i] = a*v + b
		}
	},
	add: func(dst, x, y []float32) {
		for i, v := range x {
			dst[i] = v + y[i]
		}
	},
	sub: func(dst, x, y []float32) {
		for i, v := range x {
			dst[i] = v - y[i]
		}
	},
	mul: func(dst, x, y []float32) {
		for i, v := range x {
			dst[i] = v * y[i]
		}
	},
	div: func(dst, x, y []float32) {
		for i, v := range x {
			dst[i] = v / y[i]
		}
	},
	maxFirst: func(dst, x, y []float32) {
		for i, v := range x {
			if v > y[i] {
				dst[i] = v
			} else {
				dst[i] = y[i]
			}
		}
	},
	f16ToF32: func(dst []float32, src []uint16) {
		for i, h := range src {
			dst[i] = HalfToFloat(h)
		}
	},
	f32ToF16: func(dst []uint16, src []float32) {
		for i, f := range src {
			dst[i] = FloatToHalf(f)
		}
	},
}

// unary64 lifts a float64 function to a float32 slice kernel.
func unary64(f func(float64) float64) func(dst, x []float32) {
	return func(dst, x []float32) {
		for i, v := range x {
			dst[i] = float32(f(float64(v)))
		}
	}
}

// maxGeneric returns the largest element, -Inf if none, NaN if any is NaN.
func maxGeneric(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v != v {
			return v
		}
		if v > m {
			m = v
		}
	}
	return m
}
