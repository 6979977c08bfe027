//go:build !purego

#include "textflag.h"

// directTail: eight zero words then eight all-ones words; loading 8 words
// at byte offset (8-s)*4 gives a mask of lanes s..7.
DATA directTail<>+0(SB)/8, $0
DATA directTail<>+8(SB)/8, $0
DATA directTail<>+16(SB)/8, $0
DATA directTail<>+24(SB)/8, $0
DATA directTail<>+32(SB)/8, $0xffffffffffffffff
DATA directTail<>+40(SB)/8, $0xffffffffffffffff
DATA directTail<>+48(SB)/8, $0xffffffffffffffff
DATA directTail<>+56(SB)/8, $0xffffffffffffffff
GLOBL directTail<>(SB), RODATA|NOPTR, $64

// directHead: eight all-ones words then eight zeros; loading 8 words at
// byte offset (8-r)*4 gives a mask of lanes 0..r-1.
DATA directHead<>+0(SB)/8, $0xffffffffffffffff
DATA directHead<>+8(SB)/8, $0xffffffffffffffff
DATA directHead<>+16(SB)/8, $0xffffffffffffffff
DATA directHead<>+24(SB)/8, $0xffffffffffffffff
DATA directHead<>+32(SB)/8, $0
DATA directHead<>+40(SB)/8, $0
DATA directHead<>+48(SB)/8, $0
DATA directHead<>+56(SB)/8, $0
GLOBL directHead<>(SB), RODATA|NOPTR, $64

// One k step of the direct kernel: the 16 floats of a B row (loaded by
// DLOADB), broadcasts of column aoff/4 of the six A rows (SI, R10, R11,
// R12, R13, BX, each indexed by AX), twelve FMAs into Y4..Y15.
#define DLOADB(lo, hi) \
	VMOVUPS lo, Y0; \
	VMOVUPS hi, Y1

#define DSTEP(aoff) \
	VBROADCASTSS aoff(SI)(AX*1), Y2; \
	VBROADCASTSS aoff(R10)(AX*1), Y3; \
	VFMADD231PS Y0, Y2, Y4; \
	VFMADD231PS Y1, Y2, Y5; \
	VFMADD231PS Y0, Y3, Y6; \
	VFMADD231PS Y1, Y3, Y7; \
	VBROADCASTSS aoff(R11)(AX*1), Y2; \
	VBROADCASTSS aoff(R12)(AX*1), Y3; \
	VFMADD231PS Y0, Y2, Y8; \
	VFMADD231PS Y1, Y2, Y9; \
	VFMADD231PS Y0, Y3, Y10; \
	VFMADD231PS Y1, Y3, Y11; \
	VBROADCASTSS aoff(R13)(AX*1), Y2; \
	VBROADCASTSS aoff(BX)(AX*1), Y3; \
	VFMADD231PS Y0, Y2, Y12; \
	VFMADD231PS Y1, Y2, Y13; \
	VFMADD231PS Y0, Y3, Y14; \
	VFMADD231PS Y1, Y3, Y15

// Scale one row pair by alpha (Y0) and store it at DX.
#define DROW0(lo, hi) \
	VMULPS Y0, lo, lo; \
	VMULPS Y0, hi, hi; \
	VMOVUPS lo, (DX); \
	VMOVUPS hi, 32(DX); \
	ADDQ R9, DX

// Scale one row pair by alpha (Y0), add beta (Y1) times C, store at DX.
#define DROWB(lo, hi) \
	VMULPS Y0, lo, lo; \
	VMULPS Y0, hi, hi; \
	VFMADD231PS (DX), Y1, lo; \
	VFMADD231PS 32(DX), Y1, hi; \
	VMOVUPS lo, (DX); \
	VMOVUPS hi, 32(DX); \
	ADDQ R9, DX

// Edge tile row: unless R10 (rows left to skip) is positive, scale by
// alpha, add beta (Y1, when R11 is nonzero) times C, and store the lanes
// of masks Y2/Y3 at DX; then advance DX. C is read and written only in the
// masks' lanes (the rest may belong to another goroutine).
#define DROWM(lo, hi, skip, store, next) \
	TESTQ R10, R10; \
	JE store; \
	DECQ R10; \
	JMP next; \
store: \
	VBROADCASTSS alpha+56(FP), Y0; \
	VMULPS Y0, lo, lo; \
	VMULPS Y0, hi, hi; \
	TESTQ R11, R11; \
	JE skip; \
	VMASKMOVPS (DX), Y2, Y0; \
	VFMADD231PS Y0, Y1, lo; \
	VMASKMOVPS 32(DX), Y3, Y0; \
	VFMADD231PS Y0, Y1, hi; \
skip: \
	VMASKMOVPS lo, Y2, (DX); \
	VMASKMOVPS hi, Y3, 32(DX); \
next: \
	ADDQ R9, DX

// func sgemmDirectAVX2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd int)
TEXT ·sgemmDirectAVX2(SB), NOSPLIT, $0-88
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R14
	SHLQ $2, R14
	MOVQ b+24(FP), DI
	MOVQ ldb+32(FP), R8
	SHLQ $2, R8
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R9
	SHLQ $2, R9
	LEAQ (SI)(R14*1), R10
	LEAQ (SI)(R14*2), R11
	LEAQ (R11)(R14*1), R12
	LEAQ (R11)(R14*2), R13
	LEAQ (R13)(R14*1), BX
	LEAQ (R8)(R8*2), R14
	XORQ AX, AX

	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15

	CMPQ CX, $4
	JLT dtail

dloop4:
	DLOADB((DI), 32(DI))
	DSTEP(0)
	DLOADB((DI)(R8*1), 32(DI)(R8*1))
	DSTEP(4)
	DLOADB((DI)(R8*2), 32(DI)(R8*2))
	DSTEP(8)
	DLOADB((DI)(R14*1), 32(DI)(R14*1))
	DSTEP(12)
	LEAQ (DI)(R8*4), DI
	ADDQ $16, AX
	SUBQ $4, CX
	CMPQ CX, $4
	JGE dloop4

dtail:
	TESTQ CX, CX
	JE dstore

dloop1:
	DLOADB((DI), 32(DI))
	DSTEP(0)
	ADDQ R8, DI
	ADDQ $4, AX
	DECQ CX
	JNE dloop1

dstore:
	VBROADCASTSS alpha+56(FP), Y0
	MOVQ rowSkip+64(FP), R10
	MOVQ colSkip+72(FP), AX
	MOVQ colEnd+80(FP), R11
	XORQ $16, R11
	ORQ R10, R11
	ORQ AX, R11
	JNE dedge
	MOVL beta+60(FP), R10
	TESTL $0x7fffffff, R10
	JNE dbeta
	DROW0(Y4, Y5)
	DROW0(Y6, Y7)
	DROW0(Y8, Y9)
	DROW0(Y10, Y11)
	DROW0(Y12, Y13)
	DROW0(Y14, Y15)
	VZEROUPPER
	RET

dbeta:
	VBROADCASTSS beta+60(FP), Y1
	DROWB(Y4, Y5)
	DROWB(Y6, Y7)
	DROWB(Y8, Y9)
	DROWB(Y10, Y11)
	DROWB(Y12, Y13)
	DROWB(Y14, Y15)
	VZEROUPPER
	RET

dedge:
	// Y2, Y3: lanes of columns colSkip..colEnd-1 (AX = colSkip).
	LEAQ directTail<>(SB), R12
	XORQ R14, R14
	MOVQ $8, R13
	SUBQ AX, R13
	CMPQ R13, R14
	CMOVQLT R14, R13
	VMOVUPS (R12)(R13*4), Y2
	MOVQ AX, R13
	SUBQ $8, R13
	CMPQ R13, R14
	CMOVQLT R14, R13
	NEGQ R13
	ADDQ $8, R13
	VMOVUPS (R12)(R13*4), Y3
	LEAQ directHead<>(SB), BX
	MOVQ colEnd+80(FP), CX
	MOVQ $8, R13
	SUBQ CX, R13
	CMPQ R13, R14
	CMOVQLT R14, R13
	VANDPS (BX)(R13*4), Y2, Y2
	MOVQ CX, R13
	SUBQ $8, R13
	CMPQ R13, R14
	CMOVQLT R14, R13
	NEGQ R13
	ADDQ $8, R13
	VANDPS (BX)(R13*4), Y3, Y3
	// R11: beta ≠ ±0.
	MOVL beta+60(FP), R11
	ANDL $0x7fffffff, R11
	VBROADCASTSS beta+60(FP), Y1
	DROWM(Y4, Y5, e0s, e0, e0n)
	DROWM(Y6, Y7, e1s, e1, e1n)
	DROWM(Y8, Y9, e2s, e2, e2n)
	DROWM(Y10, Y11, e3s, e3, e3n)
	DROWM(Y12, Y13, e4s, e4, e4n)
	DROWM(Y14, Y15, e5s, e5, e5n)
	VZEROUPPER
	RET
