//go:build !purego

package asm

// sgemmDot2x5AVX2 is the AVX2 dot2x5Func: ten 8-float accumulators, masked
// loads for the last k%8 floats and masked loads and stores of C (nothing
// is read or written past a row's k floats or cols outputs).
//
//go:noescape
func sgemmDot2x5AVX2(k int, a0, a1, w0, w1, w2, w3, w4, c0, c1 *float32, cols int, alpha, beta float32)
