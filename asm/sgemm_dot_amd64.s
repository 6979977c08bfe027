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

// One 8-float step for row 0 only (a1 nil): Y10 against the five W rows.
#define DOTSTEP1(off) \
	VMOVUPS off(SI)(AX*1), Y10; \
	VMOVUPS off(R8)(AX*1), Y12; \
	VFMADD231PS Y12, Y10, Y0; \
	VMOVUPS off(R9)(AX*1), Y13; \
	VFMADD231PS Y13, Y10, Y1; \
	VMOVUPS off(R10)(AX*1), Y14; \
	VFMADD231PS Y14, Y10, Y2; \
	VMOVUPS off(R11)(AX*1), Y15; \
	VFMADD231PS Y15, Y10, Y3; \
	VMOVUPS off(R12)(AX*1), Y12; \
	VFMADD231PS Y12, Y10, Y4

// func sgemmDot2x5AVX2(k int, a0, a1, w0, w1, w2, w3, w4, c0, c1 *float32, cols int, alpha, beta float32)
TEXT ·sgemmDot2x5AVX2(SB), NOSPLIT, $0-96
	MOVQ k+0(FP), CX
	MOVQ a0+8(FP), SI
	MOVQ a1+16(FP), DI
	MOVQ w0+24(FP), R8
	MOVQ w1+32(FP), R9
	MOVQ w2+40(FP), R10
	MOVQ w3+48(FP), R11
	MOVQ w4+56(FP), R12
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
	TESTQ DI, DI
	JE one
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

	JMP dsum

one:
	// Row 0 only: the row-1 accumulators stay zero.
	CMPQ CX, $16
	JLT o8

o16:
	DOTSTEP1(0)
	DOTSTEP1(32)
	ADDQ $64, AX
	SUBQ $16, CX
	CMPQ CX, $16
	JGE o16

o8:
	CMPQ CX, $8
	JLT omask
	DOTSTEP1(0)
	ADDQ $32, AX
	SUBQ $8, CX

omask:
	// Masked loads of the last CX (< 8) floats of row 0.
	TESTQ CX, CX
	JE dsum
	MOVQ $8, BX
	SUBQ CX, BX
	LEAQ dotMask<>(SB), R13
	VMOVUPS (R13)(BX*4), Y15
	VMASKMOVPS (SI)(AX*1), Y15, Y10
	VMASKMOVPS (R8)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y0
	VMASKMOVPS (R9)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y1
	VMASKMOVPS (R10)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y2
	VMASKMOVPS (R11)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y3
	VMASKMOVPS (R12)(AX*1), Y15, Y12
	VFMADD231PS Y12, Y10, Y4

dsum:
	// X0: row 0 against w0..w3.
	VHADDPS Y1, Y0, Y0
	VHADDPS Y3, Y2, Y2
	VHADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	// X5: row 1 against w0..w3.
	VHADDPS Y6, Y5, Y5
	VHADDPS Y8, Y7, Y7
	VHADDPS Y7, Y5, Y5
	VEXTRACTF128 $1, Y5, X6
	VADDPS X6, X5, X5
	// X4 lane 0: row 0 against w4; X9 lane 0: row 1 against w4.
	VHADDPS Y9, Y4, Y4
	VHADDPS Y4, Y4, Y4
	VEXTRACTF128 $1, Y4, X9
	VADDPS X9, X4, X4
	VMOVSHDUP X4, X9
	VBROADCASTSS alpha+88(FP), X14
	VMULPS X14, X0, X0
	VMULPS X14, X5, X5
	VMULPS X14, X4, X4
	VMULPS X14, X9, X9
	// X13: mask of the first min(cols, 4) lanes.
	MOVQ cols+80(FP), CX
	MOVQ $4, R13
	CMPQ CX, R13
	CMOVQLT CX, R13
	MOVQ $8, BX
	SUBQ R13, BX
	LEAQ dotMask<>(SB), R13
	VMOVUPS (R13)(BX*4), X13
	MOVQ c0+64(FP), DX
	MOVQ c1+72(FP), R14
	// R10 = 0 when beta = ±0: then C is not read.
	MOVL beta+92(FP), R10
	ANDL $0x7fffffff, R10
	VBROADCASTSS beta+92(FP), X15
	CMPQ CX, $5
	JNE dmasked
	// All five columns: plain loads and stores.
	TESTL R10, R10
	JE dfull
	VFMADD231PS (DX), X15, X0
	VFMADD231SS 16(DX), X15, X4
	TESTQ R14, R14
	JE dfull
	VFMADD231PS (R14), X15, X5
	VFMADD231SS 16(R14), X15, X9

dfull:
	VMOVUPS X0, (DX)
	VMOVSS X4, 16(DX)
	TESTQ R14, R14
	JE ddone
	VMOVUPS X5, (R14)
	VMOVSS X9, 16(R14)
	JMP ddone

dmasked:
	TESTL R10, R10
	JE dstore
	VMASKMOVPS (DX), X13, X12
	VFMADD231PS X12, X15, X0
	CMPQ CX, $5
	JLT dbeta1
	VMOVSS 16(DX), X12
	VFMADD231SS X12, X15, X4

dbeta1:
	TESTQ R14, R14
	JE dstore
	VMASKMOVPS (R14), X13, X12
	VFMADD231PS X12, X15, X5
	CMPQ CX, $5
	JLT dstore
	VMOVSS 16(R14), X12
	VFMADD231SS X12, X15, X9

dstore:
	VMASKMOVPS X0, X13, (DX)
	CMPQ CX, $5
	JLT dstore1
	VMOVSS X4, 16(DX)

dstore1:
	TESTQ R14, R14
	JE ddone
	VMASKMOVPS X5, X13, (R14)
	CMPQ CX, $5
	JLT ddone
	VMOVSS X9, 16(R14)

ddone:
	VZEROUPPER
	RET
