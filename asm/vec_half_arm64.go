//go:build !purego

package asm

// f16ToF32NEONasm converts len(dst) IEEE half-precision bit patterns from
// src to float32, exactly; len(dst) must be a multiple of 4 and
// len(src) >= len(dst).
//
//go:noescape
func f16ToF32NEONasm(dst []float32, src []uint16)

// f32ToF16NEONasm converts len(dst) float32 values from src to half
// precision, rounding to nearest even; len(dst) must be a multiple of 4 and
// len(src) >= len(dst).
//
//go:noescape
func f32ToF16NEONasm(dst []uint16, src []float32)

// f16ToF32NEON is F16ToF32 on NEON.
func f16ToF32NEON(dst []float32, src []uint16) {
	src = src[:len(dst)]
	n := len(dst) &^ 3
	f16ToF32NEONasm(dst[:n], src[:n])
	if n < len(dst) {
		var h [4]uint16
		var f [4]float32
		copy(h[:], src[n:])
		f16ToF32NEONasm(f[:], h[:])
		copy(dst[n:], f[:])
	}
}

// f32ToF16NEON is F32ToF16 on NEON.
func f32ToF16NEON(dst []uint16, src []float32) {
	src = src[:len(dst)]
	n := len(dst) &^ 3
	f32ToF16NEONasm(dst[:n], src[:n])
	if n < len(dst) {
		var h [4]uint16
		var f [4]float32
		copy(f[:], src[n:])
		f32ToF16NEONasm(h[:], f[:])
		copy(dst[n:], h[:])
	}
}
