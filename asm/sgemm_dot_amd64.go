//go:build !purego

package asm

// sgemmDot2x5AVX2 is the AVX2 dot2x5Func: ten 8-float accumulators, masked
// loads for the last k%8 floats (nothing is read past a row's k floats).
//
//go:noescape
func sgemmDot2x5AVX2(k int, a0, a1, w0, w1, w2, w3, w4, out *float32)
