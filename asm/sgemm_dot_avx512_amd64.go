//go:build !purego

package asm

// sgemmDot2x5AVX512 is the AVX-512 dot2x5Func (sgemm_dot_avx512_amd64.s):
// ten 16-float accumulators, k-masked loads for the last k%16 floats, the
// AVX2 kernel's epilogue for alpha, beta and the masked stores of C.
//
//go:noescape
func sgemmDot2x5AVX512(k int, a0, a1, w0, w1, w2, w3, w4, c0, c1 *float32, cols int, alpha, beta float32)
