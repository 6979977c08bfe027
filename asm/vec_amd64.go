//go:build !purego

package asm

// AVX2+FMA vector kernels (vec_amd64.s). Each has the semantics of the
// public function of the same name in vec.go, with lengths already checked
// (len(x), len(y) >= len(dst)).

//go:noescape
func addAVX2(dst, x, y []float32)

//go:noescape
func subAVX2(dst, x, y []float32)

//go:noescape
func mulAVX2(dst, x, y []float32)

//go:noescape
func divAVX2(dst, x, y []float32)

//go:noescape
func maxFirstAVX2(dst, x, y []float32)

//go:noescape
func reluAVX2(dst, x []float32)

//go:noescape
func leakyReluAVX2(dst, x []float32, slope float32)

//go:noescape
func clipAVX2(dst, x []float32, lo, hi float32)

//go:noescape
func scaleAVX2(dst, x []float32, a float32)

//go:noescape
func addScalarAVX2(dst, x []float32, s float32)

//go:noescape
func affineAVX2(dst, x []float32, a, b float32)

//go:noescape
func axpyAVX2(dst, x []float32, a float32)

// expAVX2 sets dst[i] = e^x[i]: Cody-Waite reduction by ln 2, a degree-6
// polynomial, and scaling by 2^n in two steps so that overflow gives +Inf
// and results in the subnormal range round correctly.
//
//go:noescape
func expAVX2(dst, x []float32)

//go:noescape
func sumAVX2(x []float32) float32

//go:noescape
func dotAVX2(x, y []float32) float32

//go:noescape
func maxAVX2(x []float32) float32

// sigmoidAVX2 sets dst[i] = 1/(1+e^-x) as e/(1+e) or 1/(1+e) with
// e = e^-|x|, so results in the subnormal range stay accurate.
//
//go:noescape
func sigmoidAVX2(dst, x []float32)

// tanhAVX2 sets dst[i] = tanh x: an odd polynomial for |x| < 0.625, else
// sign(x)·(1 - 2/(e^2|x| + 1)).
//
//go:noescape
func tanhAVX2(dst, x []float32)
