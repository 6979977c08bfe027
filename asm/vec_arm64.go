//go:build !purego

package asm

// NEON versions of the vector kernels. Each xxxNEON function has the
// signature and semantics of the public function of the same name (see
// vec.go) and may be called directly: it reslices its inputs to len(dst)
// (panicking like indexing when they are shorter), runs the assembly body
// over the largest multiple of 4 elements and finishes the last 0-3 elements
// through a 4-element stack buffer with the same assembly, so every element
// is computed by the same instructions. (The reductions add their last 0-3
// elements in Go; AddBias runs Add's body row by row.) Other kernel families
// live in vec_math_arm64.s (exp, sigmoid, tanh, log, softmax, softrelu),
// vec_erf_arm64.s (erf, gelu) and vec_half_arm64.s (float16).
//
// The assembly bodies (xxxNEONasm) require len(x), len(y) >= len(dst) and
// len(dst) a multiple of 4; dst may alias x or y exactly.

// reluNEONasm sets dst[i] = x[i] > 0 ? x[i] : 0 (NaN propagates).
//
//go:noescape
func reluNEONasm(dst, x []float32)

// leakyReluNEONasm sets dst[i] = x[i] > 0 ? x[i] : slope*x[i].
//
//go:noescape
func leakyReluNEONasm(dst, x []float32, slope float32)

// clipNEONasm sets dst[i] = min(max(x[i], lo), hi) (NaN propagates).
//
//go:noescape
func clipNEONasm(dst, x []float32, lo, hi float32)

// scaleNEONasm sets dst[i] = a * x[i].
//
//go:noescape
func scaleNEONasm(dst, x []float32, a float32)

// addScalarNEONasm sets dst[i] = x[i] + s.
//
//go:noescape
func addScalarNEONasm(dst, x []float32, s float32)

// affineNEONasm sets dst[i] = a*x[i] + b (fused).
//
//go:noescape
func affineNEONasm(dst, x []float32, a, b float32)

// axpyNEONasm sets dst[i] += a*x[i] (fused).
//
//go:noescape
func axpyNEONasm(dst, x []float32, a float32)

// addNEONasm sets dst[i] = x[i] + y[i].
//
//go:noescape
func addNEONasm(dst, x, y []float32)

// maxFirstNEONasm sets dst[i] = x[i] > y[i] ? x[i] : y[i].
//
//go:noescape
func maxFirstNEONasm(dst, x, y []float32)

// subNEONasm sets dst[i] = x[i] - y[i].
//
//go:noescape
func subNEONasm(dst, x, y []float32)

// mulNEONasm sets dst[i] = x[i] * y[i].
//
//go:noescape
func mulNEONasm(dst, x, y []float32)

// divNEONasm sets dst[i] = x[i] / y[i].
//
//go:noescape
func divNEONasm(dst, x, y []float32)

// sumNEONasm returns the sum of x (four-way interleaved order).
//
//go:noescape
func sumNEONasm(x []float32) float32

// maxNEONasm returns the largest element of x, -Inf if x is empty, NaN if
// any element is NaN.
//
//go:noescape
func maxNEONasm(x []float32) float32

// dotNEONasm returns the sum of x[i]*y[i] for i < len(x) (fused steps).
//
//go:noescape
func dotNEONasm(x, y []float32) float32

// expNEONasm sets dst[i] = exp(x[i]).
//
//go:noescape
func expNEONasm(dst, x []float32)

// sigmoidNEONasm sets dst[i] = 1/(1+exp(-x[i])).
//
//go:noescape
func sigmoidNEONasm(dst, x []float32)

// tanhNEONasm sets dst[i] = tanh(x[i]).
//
//go:noescape
func tanhNEONasm(dst, x []float32)

// logNEONasm sets dst[i] = log(x[i]).
//
//go:noescape
func logNEONasm(dst, x []float32)

// The wrappers below are written out per kernel (rather than through a
// helper taking the body as a func value) so that the tail buffers stay on
// the stack.

// reluNEON is Relu on NEON.
func reluNEON(dst, x []float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	reluNEONasm(dst[:n], x[:n])
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		reluNEONasm(t[:], t[:])
		copy(dst[n:], t[:])
	}
}

// expNEON is Exp on NEON.
func expNEON(dst, x []float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	expNEONasm(dst[:n], x[:n])
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		expNEONasm(t[:], t[:])
		copy(dst[n:], t[:])
	}
}

// sigmoidNEON is Sigmoid on NEON.
func sigmoidNEON(dst, x []float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	sigmoidNEONasm(dst[:n], x[:n])
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		sigmoidNEONasm(t[:], t[:])
		copy(dst[n:], t[:])
	}
}

// tanhNEON is Tanh on NEON.
func tanhNEON(dst, x []float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	tanhNEONasm(dst[:n], x[:n])
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		tanhNEONasm(t[:], t[:])
		copy(dst[n:], t[:])
	}
}

// logNEON is Log on NEON.
func logNEON(dst, x []float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	logNEONasm(dst[:n], x[:n])
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		logNEONasm(t[:], t[:])
		copy(dst[n:], t[:])
	}
}

// leakyReluNEON is LeakyRelu on NEON.
func leakyReluNEON(dst, x []float32, slope float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	leakyReluNEONasm(dst[:n], x[:n], slope)
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		leakyReluNEONasm(t[:], t[:], slope)
		copy(dst[n:], t[:])
	}
}

// scaleNEON is Scale on NEON.
func scaleNEON(dst, x []float32, a float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	scaleNEONasm(dst[:n], x[:n], a)
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		scaleNEONasm(t[:], t[:], a)
		copy(dst[n:], t[:])
	}
}

// addScalarNEON is AddScalar on NEON.
func addScalarNEON(dst, x []float32, s float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	addScalarNEONasm(dst[:n], x[:n], s)
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		addScalarNEONasm(t[:], t[:], s)
		copy(dst[n:], t[:])
	}
}

// clipNEON is Clip on NEON.
func clipNEON(dst, x []float32, lo, hi float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	clipNEONasm(dst[:n], x[:n], lo, hi)
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		clipNEONasm(t[:], t[:], lo, hi)
		copy(dst[n:], t[:])
	}
}

// affineNEON is Affine on NEON.
func affineNEON(dst, x []float32, a, b float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	affineNEONasm(dst[:n], x[:n], a, b)
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		affineNEONasm(t[:], t[:], a, b)
		copy(dst[n:], t[:])
	}
}

// axpyNEON is Axpy on NEON: dst[i] += a*x[i].
func axpyNEON(dst, x []float32, a float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	axpyNEONasm(dst[:n], x[:n], a)
	if n < len(dst) {
		var t, u [4]float32
		copy(t[:], dst[n:])
		copy(u[:], x[n:])
		axpyNEONasm(t[:], u[:], a)
		copy(dst[n:], t[:])
	}
}

// binaryNEON runs one of the elementwise two-input bodies (op 0..4: add,
// sub, mul, div, maxFirst), tail included.
func binaryNEON(op int, dst, x, y []float32) {
	x = x[:len(dst)]
	y = y[:len(dst)]
	n := len(dst) &^ 3
	binaryNEONop(op, dst[:n], x[:n], y[:n])
	if n < len(dst) {
		var t, u [4]float32
		copy(t[:], x[n:])
		copy(u[:], y[n:])
		binaryNEONop(op, t[:], t[:], u[:])
		copy(dst[n:], t[:])
	}
}

// Operation codes for binaryNEON.
const (
	neonAdd = iota
	neonSub
	neonMul
	neonDiv
	neonMaxFirst
)

// binaryNEONop calls the assembly body for op on slices whose length is a
// multiple of 4.
func binaryNEONop(op int, dst, x, y []float32) {
	switch op {
	case neonAdd:
		addNEONasm(dst, x, y)
	case neonSub:
		subNEONasm(dst, x, y)
	case neonMul:
		mulNEONasm(dst, x, y)
	case neonMaxFirst:
		maxFirstNEONasm(dst, x, y)
	default:
		divNEONasm(dst, x, y)
	}
}

// maxFirstNEON is MaxFirst on NEON.
func maxFirstNEON(dst, x, y []float32) { binaryNEON(neonMaxFirst, dst, x, y) }

// addNEON is Add on NEON.
func addNEON(dst, x, y []float32) { binaryNEON(neonAdd, dst, x, y) }

// subNEON is Sub on NEON.
func subNEON(dst, x, y []float32) { binaryNEON(neonSub, dst, x, y) }

// mulNEON is Mul on NEON.
func mulNEON(dst, x, y []float32) { binaryNEON(neonMul, dst, x, y) }

// divNEON is Div on NEON.
func divNEON(dst, x, y []float32) { binaryNEON(neonDiv, dst, x, y) }

// addBiasNEON adds bias[j] to c[r*ldc+j] for r < rows, j < cols.
func addBiasNEON(c []float32, rows, cols, ldc int, bias []float32) {
	if rows <= 0 || cols <= 0 {
		return
	}
	_ = c[(rows-1)*ldc+cols-1] // one bounds check for the whole matrix
	bias = bias[:cols]
	for r := 0; r < rows; r++ {
		row := c[r*ldc : r*ldc+cols]
		binaryNEON(neonAdd, row, row, bias)
	}
}

// sumNEON returns the sum of x.
func sumNEON(x []float32) float32 {
	n := len(x) &^ 3
	s := sumNEONasm(x[:n])
	for _, v := range x[n:] {
		s += v
	}
	return s
}

// maxNEON returns the largest element of x: -Inf if empty, NaN if any NaN.
func maxNEON(x []float32) float32 {
	n := len(x) &^ 3
	m := maxNEONasm(x[:n])
	for _, v := range x[n:] {
		if v > m || v != v {
			m = v
		}
	}
	return m
}

// dotNEON returns the sum of x[i]*y[i] over len(x) elements.
func dotNEON(x, y []float32) float32 {
	y = y[:len(x)]
	n := len(x) &^ 3
	s := dotNEONasm(x[:n], y[:n])
	for i := n; i < len(x); i++ {
		s += x[i] * y[i]
	}
	return s
}
