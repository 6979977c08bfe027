//go:build !purego

#include "textflag.h"

// func sgemmPackA6AVX2(d, a *float32, lda, kb4 int, alpha float32)
// Packs 4·kb4 columns of six rows of A (row stride lda) as groups of six
// floats times alpha: 4×4 transposes of rows 0-3 plus interleaved rows 4-5.
TEXT ·sgemmPackA6AVX2(SB), NOSPLIT, $0-36
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R8
	SHLQ $2, R8
	MOVQ kb4+24(FP), CX
	VBROADCASTSS alpha+32(FP), X15
	LEAQ (SI)(R8*1), R11
	LEAQ (SI)(R8*2), R9
	LEAQ (R9)(R8*1), R12
	LEAQ (R9)(R8*2), R10
	LEAQ (R10)(R8*1), R13
	XORQ AX, AX
	TESTQ CX, CX
	JE done

loop:
	VMULPS (SI)(AX*1), X15, X0
	VMULPS (R11)(AX*1), X15, X1
	VMULPS (R9)(AX*1), X15, X2
	VMULPS (R12)(AX*1), X15, X3
	VMULPS (R10)(AX*1), X15, X4
	VMULPS (R13)(AX*1), X15, X5
	VUNPCKLPS X1, X0, X6
	VUNPCKHPS X1, X0, X7
	VUNPCKLPS X3, X2, X8
	VUNPCKHPS X3, X2, X9
	VMOVLHPS X8, X6, X10
	VMOVHLPS X6, X8, X11
	VMOVLHPS X9, X7, X12
	VMOVHLPS X7, X9, X13
	VUNPCKLPS X5, X4, X6
	VUNPCKHPS X5, X4, X7
	VMOVUPS X10, (DI)
	VMOVLPS X6, 16(DI)
	VMOVUPS X11, 24(DI)
	VMOVHPS X6, 40(DI)
	VMOVUPS X12, 48(DI)
	VMOVLPS X7, 64(DI)
	VMOVUPS X13, 72(DI)
	VMOVHPS X7, 88(DI)
	ADDQ $16, AX
	ADDQ $96, DI
	DECQ CX
	JNE loop

done:
	RET

// func sgemmPackB16AVX2(d, b *float32, ldb, kb int)
// Copies 16 floats from each of kb rows of B (row stride ldb) to d.
TEXT ·sgemmPackB16AVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ ldb+16(FP), R8
	SHLQ $2, R8
	MOVQ kb+24(FP), CX
	TESTQ CX, CX
	JE doneb

loopb:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ R8, SI
	ADDQ $64, DI
	DECQ CX
	JNE loopb

doneb:
	VZEROUPPER
	RET
