//go:build !purego

package asm

// erfNEONasm sets dst[i] = erf(x[i]); len(dst) a multiple of 4.
//
//go:noescape
func erfNEONasm(dst, x []float32)

// geluNEONasm sets dst[i] = 0.5*x[i]*(1+erf(x[i]/sqrt(2))); len(dst) a
// multiple of 4.
//
//go:noescape
func geluNEONasm(dst, x []float32)

// erfNEON is Erf on NEON.
func erfNEON(dst, x []float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	erfNEONasm(dst[:n], x[:n])
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		erfNEONasm(t[:], t[:])
		copy(dst[n:], t[:])
	}
}

// geluNEON is Gelu on NEON.
func geluNEON(dst, x []float32) {
	x = x[:len(dst)]
	n := len(dst) &^ 3
	geluNEONasm(dst[:n], x[:n])
	if n < len(dst) {
		var t [4]float32
		copy(t[:], x[n:])
		geluNEONasm(t[:], t[:])
		copy(dst[n:], t[:])
	}
}
