//go:build !purego

package asm

// F16C conversions (vec_half_amd64.s); lengths checked by the callers
// (len(src) >= len(dst)). Used only where the CPU reports F16C.

// f16ToF32AVX2 sets dst[i] to the float32 value of the binary16 bits
// src[i] (VCVTPH2PS, exact).
//
//go:noescape
func f16ToF32AVX2(dst []float32, src []uint16)

// f32ToF16AVX2 sets dst[i] to src[i] rounded to binary16 bits, to nearest
// even (VCVTPS2PH with rounding mode 0), as FloatToHalf.
//
//go:noescape
func f32ToF16AVX2(dst []uint16, src []float32)
