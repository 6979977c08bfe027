//go:build !purego

#include "textflag.h"

// dotMask: eight all-ones words then eight zeros; loading 8 words at byte
// offset (8-r)*4 gives a mask of the first r lanes.
DATA dotMask<>+0(SB)/8, $0xffffffffffffffff
DATA dotMask<>+8(SB)/8, $0xffffffffffffffff
DATA dotMask<>+16(SB)/8, $0xffffffffffffffff
DATA dotMask<>+24(SB)/8, $0xffffffffffffffff
DATA dotMask<>+32(SB)/8, $0
DATA dotMask<>+40(SB)/8, $0
DATA dotMask<>+48(SB)/8, $0
DATA dotMask<>+56(SB)/8, $0
GLOBL dotMask<>(SB), RODATA|NOPTR, $64

// One 8-float step at byte offset off(AX): two A rows (Y10, Y11) against
// five W rows (R8..R12), accumulating into Y0..Y4 (row 0) and Y5..Y9
// (row 1).
#define DOTSTEP(off) \
	VMOVUPS off(SI)(AX*1), Y10; \
	VMOVUPS off(DI)(AX*1), Y11; \
	VMOVUPS off(R8)(AX*1), Y12; \
	VFMADD231PS Y12, Y10, Y0; \
	VFMADD231PS Y12, Y11, Y5; \
	VMOVUPS off(R9)(AX*1), Y13; \
	VFMADD231PS Y13, Y10, Y1; \
	VFMADD231PS Y13, Y11, Y6; \
	VMOVUPS off(R10)(AX*1), Y14; \
	VFMADD231PS Y14, Y10, Y2; \
	VFMADD231PS Y14, Y11, Y7; \
	VMOVUPS off(R11)(AX*1), Y15; \
	VFMADD231PS Y15, Y10, Y3; \
	VFMADD231PS Y15, Y11, Y8; \
	VMOVUPS off(R12)(AX*1), Y12; \
	VFMADD231PS Y12, Y10, Y4; \
	VFMADD231PS Y12, Y11, Y9

// func sgemmDot2x5AVX2(k int, a0, a1, w0, w1, w2, w3, w4, out *float32)
TEXT ·sgemmDot2x5AVX2(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a0+8(FP), SI
	MOVQ a1+16(FP), DI
	MOVQ w0+24(FP), R8
	MOVQ w1+32(FP), R9
	MOVQ w2+40(FP), R10
	MOVQ w3+48(FP), R11
	MOVQ w4+56(FP), R12
	MOVQ out+64(FP), DX
	XORQ AX, AX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	CMPQ CX, $16
	JLT d8

d16:
	DOTSTEP(0)
	DOTSTEP(32)
	ADDQ $64, AX
	SUBQ $16, CX
	CMPQ CX, $16
	JGE d16

d8:
	CMPQ CX, $8
	JLT dmask
	DOTSTEP(0)
	ADDQ $32, AX
	SUBQ $8, CX

dmask:
	TESTQ CX, CX
	JE dsum
	// Masked loads of the last CX (< 8) floats: masked-out lanes read as
	// zero and never fault.
	MOVQ $8, BX
	SUBQ CX, BX
	LEAQ dotMask<>(SB), R13
	VMOVUPS (R13)(BX*4), Y15
	VMASKMOVPS (SI)(AX*1), Y15, Y10
	VMASKMOVPS (DI)(AX*1), Y15, Y11
	VMASKMOVPS (R8)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y0
	VFMADD231PS Y12, Y11, Y5
	VMASKMOVPS (R9)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y1
	VFMADD231PS Y12, Y11, Y6
	VMASKMOVPS (R10)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y2
	VFMADD231PS Y12, Y11, Y7
	VMASKMOVPS (R11)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y3
	VFMADD231PS Y12, Y11, Y8
	VMASKMOVPS (R12)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y4
	VFMADD231PS Y12, Y11, Y9

dsum:
	// out[0..3]: row 0 against w0..w3.
	VHADDPS Y1, Y0, Y0
	VHADDPS Y3, Y2, Y2
	VHADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVUPS X0, (DX)
	// out[4..7]: row 1 against w0..w3.
	VHADDPS Y6, Y5, Y5
	VHADDPS Y8, Y7, Y7
	VHADDPS Y7, Y5, Y5
	VEXTRACTF128 $1, Y5, X6
	VADDPS X6, X5, X5
	VMOVUPS X5, 16(DX)
	// out[8], out[9]: rows 0 and 1 against w4.
	VHADDPS Y9, Y4, Y4
	VHADDPS Y4, Y4, Y4
	VEXTRACTF128 $1, Y4, X9
	VADDPS X9, X4, X4
	VMOVQ X4, 32(DX)
	VZEROUPPER
	RET
