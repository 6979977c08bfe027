//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// float16 <-> float32 conversion with FCVTL/FCVTN. len(dst) is a multiple
// of 4 (the Go wrappers handle the tail); 8 elements per iteration.
//
// FCVTN rounds to nearest even (Go leaves FPCR at its default) and turns a
// NaN into sign | 0x7e00 | mantissa>>13, as tensor.F32ToF16 does. FCVTL is
// exact except that it quiets signalling NaNs; to keep every bit pattern
// as tensor.F16ToF32 does, lanes with an all-ones exponent are rebuilt as
// (sign | 0x7f800000) | mantissa<<13.

// FIXNAN(a, u, t, b): a = converted floats, u = the halves zero-extended to
// 32 bits; t, b scratch. Constants: V16 = 0x7c00, V17 = 0x3ff,
// V18 = 0xff800000.
#define FIXNAN(a, u, t, b) \
	VAND16B(t, u, 16); CMEQ4S(t, t, 16)                  \
	VAND16B(u, u, 17); VSHL4S(u, u, 13)                  \
	VAND16B(b, a, 18); VORR16B(b, b, u)                  \
	VBSL16B(t, b, a)

// func f16ToF32NEONasm(dst []float32, src []uint16)
TEXT ·f16ToF32NEONasm(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD src_base+24(FP), R1
	MOVW $0x7c00, R4
	VDUP R4, V16.S4
	MOVW $0x3ff, R4
	VDUP R4, V17.S4
	MOVW $0xff800000, R4
	VDUP R4, V18.S4
	CMP  $8, R2
	BLT  loop4

loop8:
	VLD1.P 16(R1), [V0.H8]
	FCVTL4S(1, 0); UXTL4S(2, 0)
	FCVTL24S(5, 0); UXTL24S(6, 0)
	FIXNAN(1, 2, 3, 4)
	FIXNAN(5, 6, 7, 8)
	VORR16B(0, 3, 3); VORR16B(1, 7, 7)
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUB    $8, R2
	CMP    $8, R2
	BGE    loop8

loop4:
	CBZ    R2, done
	VLD1.P 8(R1), [V0.H4]
	FCVTL4S(1, 0); UXTL4S(2, 0)
	FIXNAN(1, 2, 3, 4)
	VST1.P [V3.S4], 16(R0)
	SUB    $4, R2
	B      loop4

done:
	RET

// func f32ToF16NEONasm(dst []uint16, src []float32)
TEXT ·f32ToF16NEONasm(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD src_base+24(FP), R1
	CMP  $8, R2
	BLT  loop4

loop8:
	VLD1.P 32(R1), [V0.S4, V1.S4]
	FCVTN4H(2, 0)
	FCVTN28H(2, 1)
	VST1.P [V2.H8], 16(R0)
	SUB    $8, R2
	CMP    $8, R2
	BGE    loop8

loop4:
	CBZ    R2, done
	VLD1.P 16(R1), [V0.S4]
	FCVTN4H(2, 0)
	VST1.P [V2.H4], 8(R0)
	SUB    $4, R2
	B      loop4

done:
	RET
