//go:build !purego

package asm

import "math"

// softmaxExpNEONasm sets dst[i] = exp((x[i]-m)/t) and returns the sum of
// dst; len(dst) must be a multiple of 4 and len(x) >= len(dst).
//
//go:noescape
func softmaxExpNEONasm(dst, x []float32, m, t float32) float32

// divScalarNEONasm sets dst[i] = x[i] / s; len(dst) a multiple of 4.
//
//go:noescape
func divScalarNEONasm(dst, x []float32, s float32)

// shiftDivSubNEONasm sets dst[i] = (x[i]-m)/t - c; len(dst) a multiple of 4.
//
//go:noescape
func shiftDivSubNEONasm(dst, x []float32, m, t, c float32)

// softReluFinishNEONasm sets dst[i] = x[i] > 20 ? x[i] : log1p(u[i]) for
// u[i] = exp(x[i]); len(dst) a multiple of 4, x and u at least as long.
//
//go:noescape
func softReluFinishNEONasm(dst, x, u []float32)

// softmaxExpNEON sets dst[i] = exp((x[i]-m)/t) for i < len(dst) and
// returns their sum.
func softmaxExpNEON(dst, x []float32, m, t float32) float32 {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	s := softmaxExpNEONasm(dst[:n], x[:n], m, t)
	if n < len(dst) {
		var b [4]float32
		copy(b[:], x[n:])
		softmaxExpNEONasm(b[:], b[:], m, t)
		for i := range len(dst) - n {
			dst[n+i] = b[i]
			s += b[i]
		}
	}
	return s
}

// softmaxNEON is Softmax on NEON: dst = exp((x-max)/T) / sum.
func softmaxNEON(dst, x []float32, temperature float32) {
	x = x[:len(dst)]
	if len(dst) == 0 {
		return
	}
	m := maxNEON(x)
	s := softmaxExpNEON(dst, x, m, temperature)
	n := len(dst) &^ 3
	divScalarNEONasm(dst[:n], dst[:n], s)
	for i := n; i < len(dst); i++ {
		dst[i] /= s
	}
}

// logSoftmaxNEON is LogSoftmax on NEON:
// dst = (x-max)/T - log(sum(exp((x-max)/T))).
func logSoftmaxNEON(dst, x []float32, temperature float32) {
	x = x[:len(dst)]
	if len(dst) == 0 {
		return
	}
	m := maxNEON(x)
	if lo := minFinite(x); float64(m)-float64(lo) > math.MaxFloat32 {
		// x - max overflows float32: the generic kernel shifts in float64.
		genericVec.logSoftmax(dst, x, temperature)
		return
	}
	// dst is scratch for the exponentials (x is read again below, so
	// dst == x must not be overwritten first: use a stack buffer then).
	var s float32
	if len(dst) > 0 && &dst[0] == &x[0] {
		var b [256]float32
		for i := 0; i < len(x); i += len(b) {
			k := min(len(b), len(x)-i)
			s += softmaxExpNEON(b[:k], x[i:i+k], m, temperature)
		}
	} else {
		s = softmaxExpNEON(dst, x, m, temperature)
	}
	ls := float32(math.Log(float64(s)))
	n := len(dst) &^ 3
	shiftDivSubNEONasm(dst[:n], x[:n], m, temperature, ls)
	for i := n; i < len(dst); i++ {
		dst[i] = (x[i]-m)/temperature - ls
	}
}

// softReluNEON is SoftRelu on NEON: x > 20 ? x : log1p(exp(x)).
func softReluNEON(dst, x []float32) {
	x = x[:len(dst)]
	var u [256]float32
	for i := 0; i < len(dst); i += len(u) {
		k := min(len(u), len(dst)-i)
		n := k &^ 3
		expNEONasm(u[:n], x[i:i+n])
		softReluFinishNEONasm(dst[i:i+n], x[i:i+n], u[:n])
		if n < k {
			var t, v [4]float32
			copy(t[:], x[i+n:i+k])
			expNEONasm(v[:], t[:])
			softReluFinishNEONasm(v[:], t[:], v[:])
			copy(dst[i+n:i+k], v[:])
		}
	}
}

// minFinite returns the smallest finite element of x (+Inf if none).
func minFinite(x []float32) float32 {
	lo := float32(math.Inf(1))
	for _, v := range x {
		if v < lo && !math.IsInf(float64(v), -1) {
			lo = v
		}
	}
	return lo
}
