//go:build !purego

#include "textflag.h"

// One k step: two 8-float loads of the B row, six broadcasts of A,
// twelve FMAs. off is the step's byte offset into a (24 per step) and
// boff into b (64 per step).
#define STEP(aoff, boff) \
	VMOVUPS boff(DI), Y0; \
	VMOVUPS boff+32(DI), Y1; \
	VBROADCASTSS aoff(SI), Y2; \
	VBROADCASTSS aoff+4(SI), Y3; \
	VFMADD231PS Y0, Y2, Y4; \
	VFMADD231PS Y1, Y2, Y5; \
	VFMADD231PS Y0, Y3, Y6; \
	VFMADD231PS Y1, Y3, Y7; \
	VBROADCASTSS aoff+8(SI), Y2; \
	VBROADCASTSS aoff+12(SI), Y3; \
	VFMADD231PS Y0, Y2, Y8; \
	VFMADD231PS Y1, Y2, Y9; \
	VFMADD231PS Y0, Y3, Y10; \
	VFMADD231PS Y1, Y3, Y11; \
	VBROADCASTSS aoff+16(SI), Y2; \
	VBROADCASTSS aoff+20(SI), Y3; \
	VFMADD231PS Y0, Y2, Y12; \
	VFMADD231PS Y1, Y2, Y13; \
	VFMADD231PS Y0, Y3, Y14; \
	VFMADD231PS Y1, Y3, Y15

// Add two accumulators into one 16-float row of C at DX, then advance DX.
#define ROW(lo, hi) \
	VADDPS (DX), lo, lo; \
	VADDPS 32(DX), hi, hi; \
	VMOVUPS lo, (DX); \
	VMOVUPS hi, 32(DX); \
	ADDQ R8, DX

// Store two accumulators as one 16-float row of C at DX, then advance DX.
#define ROWST(lo, hi) \
	VMOVUPS lo, (DX); \
	VMOVUPS hi, 32(DX); \
	ADDQ R8, DX

// func sgemmKernelAVX2(k int, a, b, c *float32, ldc int)
TEXT ·sgemmKernelAVX2(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8

	// Touch the C tile's rows so they arrive while the loop runs.
	MOVQ DX, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)

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
	JLT tail

loop4:
	PREFETCHT0 384(SI)
	PREFETCHT0 512(DI)
	STEP(0, 0)
	STEP(24, 64)
	PREFETCHT0 576(DI)
	STEP(48, 128)
	STEP(72, 192)
	ADDQ $96, SI
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE loop4

tail:
	TESTQ CX, CX
	JE store

loop1:
	STEP(0, 0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNE loop1

store:
	ROW(Y4, Y5)
	ROW(Y6, Y7)
	ROW(Y8, Y9)
	ROW(Y10, Y11)
	ROW(Y12, Y13)
	ROW(Y14, Y15)
	VZEROUPPER
	RET

// func sgemmKernelAVX2Store(k int, a, b, c *float32, ldc int)
// Same as sgemmKernelAVX2, but stores the tile without reading C.
TEXT ·sgemmKernelAVX2Store(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8

	// Touch the C tile's rows so they arrive while the loop runs.
	MOVQ DX, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)
	ADDQ R8, R9
	PREFETCHT0 (R9)
	PREFETCHT0 32(R9)

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
	JLT tailS

loop4S:
	PREFETCHT0 384(SI)
	PREFETCHT0 512(DI)
	STEP(0, 0)
	STEP(24, 64)
	PREFETCHT0 576(DI)
	STEP(48, 128)
	STEP(72, 192)
	ADDQ $96, SI
	ADDQ $256, DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE loop4S

tailS:
	TESTQ CX, CX
	JE storeS

loop1S:
	STEP(0, 0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNE loop1S

storeS:
	ROWST(Y4, Y5)
	ROWST(Y6, Y7)
	ROWST(Y8, Y9)
	ROWST(Y10, Y11)
	ROWST(Y12, Y13)
	ROWST(Y14, Y15)
	VZEROUPPER
	RET

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

// TRANS8 transposes eight 8-float runs of rows r0..r3
// (addresses R0, R0+R8, R0+2·R8, R0+R9) and r4..r7 (the same from R4) and
// stores row i of the transpose at byte off of row i of the output (rows
// R15 bytes apart: DI for rows 0..3, DX for rows 4..7, BX = 3·R15): an 8×8
// block of 16-column output rows.
#define TRANS8(R0, R4, off) \
	VMOVUPS (R0), Y0; \
	VMOVUPS (R0)(R8*1), Y1; \
	VMOVUPS (R0)(R8*2), Y2; \
	VMOVUPS (R0)(R9*1), Y3; \
	VMOVUPS (R4), Y4; \
	VMOVUPS (R4)(R8*1), Y5; \
	VMOVUPS (R4)(R8*2), Y6; \
	VMOVUPS (R4)(R9*1), Y7; \
	VUNPCKLPS Y1, Y0, Y8; \
	VUNPCKHPS Y1, Y0, Y9; \
	VUNPCKLPS Y3, Y2, Y10; \
	VUNPCKHPS Y3, Y2, Y11; \
	VUNPCKLPS Y5, Y4, Y12; \
	VUNPCKHPS Y5, Y4, Y13; \
	VUNPCKLPS Y7, Y6, Y14; \
	VUNPCKHPS Y7, Y6, Y15; \
	VSHUFPS $0x44, Y10, Y8, Y0; \
	VSHUFPS $0xEE, Y10, Y8, Y1; \
	VSHUFPS $0x44, Y11, Y9, Y2; \
	VSHUFPS $0xEE, Y11, Y9, Y3; \
	VSHUFPS $0x44, Y14, Y12, Y4; \
	VSHUFPS $0xEE, Y14, Y12, Y5; \
	VSHUFPS $0x44, Y15, Y13, Y6; \
	VSHUFPS $0xEE, Y15, Y13, Y7; \
	VPERM2F128 $0x20, Y4, Y0, Y8; \
	VPERM2F128 $0x20, Y5, Y1, Y9; \
	VPERM2F128 $0x20, Y6, Y2, Y10; \
	VPERM2F128 $0x20, Y7, Y3, Y11; \
	VPERM2F128 $0x31, Y4, Y0, Y12; \
	VPERM2F128 $0x31, Y5, Y1, Y13; \
	VPERM2F128 $0x31, Y6, Y2, Y14; \
	VPERM2F128 $0x31, Y7, Y3, Y15; \
	VMOVUPS Y8, off(DI); \
	VMOVUPS Y9, off(DI)(R15*1); \
	VMOVUPS Y10, off(DI)(R15*2); \
	VMOVUPS Y11, off(DI)(BX*1); \
	VMOVUPS Y12, off(DX); \
	VMOVUPS Y13, off(DX)(R15*1); \
	VMOVUPS Y14, off(DX)(R15*2); \
	VMOVUPS Y15, off(DX)(BX*1)

// func sgemmPackBT16AVX2(d, b *float32, ldb, kb8 int)
// Packs 8·kb8 columns of 16 rows of B (row stride ldb) transposed: d gets
// groups of 16 floats, d[p*16+r] = b[r*ldb+p], by 8×8 transposes.
TEXT ·sgemmPackBT16AVX2(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ ldd+8(FP), R15
	SHLQ $2, R15
	LEAQ (R15)(R15*2), BX
	MOVQ b+16(FP), SI
	MOVQ ldb+24(FP), R8
	SHLQ $2, R8
	MOVQ kb8+32(FP), CX
	TESTQ CX, CX
	JE done
	LEAQ (R8)(R8*2), R9
	LEAQ (SI)(R8*4), R10
	LEAQ (R10)(R8*4), R11
	LEAQ (R11)(R8*4), R12
	XORQ AX, AX

loop:
	LEAQ (DI)(R15*4), DX
	LEAQ (SI)(AX*1), R13
	LEAQ (R10)(AX*1), R14
	TRANS8(R13, R14, 0)
	LEAQ (R11)(AX*1), R13
	LEAQ (R12)(AX*1), R14
	TRANS8(R13, R14, 32)
	ADDQ $32, AX
	LEAQ (DX)(R15*4), DI
	DECQ CX
	JNE loop

done:
	VZEROUPPER
	RET

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

// func gemvNNChunk2AVX2(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, n32, m2 int)
// For each of n32 32-column strips of b (kc rows, row stride ldb) and each
// of m2 row pairs of a (kc columns, row stride lda) and c (row stride ldc):
// c[2q..2q+1][strip] += a[2q..2q+1][0:kc] · b[0:kc][strip]. The strip of b
// stays in L1 while every row pair uses it.
TEXT ·gemvNNChunk2AVX2(SB), NOSPLIT, $0-72
	MOVQ lda+16(FP), R12
	SHLQ $2, R12
	MOVQ b+24(FP), R13
	MOVQ ldb+32(FP), R8
	SHLQ $2, R8
	MOVQ c+40(FP), R14
	MOVQ ldc+48(FP), R9
	SHLQ $2, R9
	MOVQ n32+56(FP), R10

strip:
	MOVQ a+8(FP), AX
	MOVQ R14, BX
	MOVQ m2+64(FP), R11

pair:
	MOVQ AX, SI
	MOVQ R13, DI
	MOVQ kc+0(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

step:
	VBROADCASTSS (SI), Y8
	VBROADCASTSS (SI)(R12*1), Y9
	VMOVUPS (DI), Y10
	VMOVUPS 32(DI), Y11
	VMOVUPS 64(DI), Y12
	VMOVUPS 96(DI), Y13
	VFMADD231PS Y10, Y8, Y0
	VFMADD231PS Y11, Y8, Y1
	VFMADD231PS Y12, Y8, Y2
	VFMADD231PS Y13, Y8, Y3
	VFMADD231PS Y10, Y9, Y4
	VFMADD231PS Y11, Y9, Y5
	VFMADD231PS Y12, Y9, Y6
	VFMADD231PS Y13, Y9, Y7
	ADDQ $4, SI
	ADDQ R8, DI
	DECQ CX
	JNE step

	VADDPS (BX), Y0, Y0
	VADDPS 32(BX), Y1, Y1
	VADDPS 64(BX), Y2, Y2
	VADDPS 96(BX), Y3, Y3
	VMOVUPS Y0, (BX)
	VMOVUPS Y1, 32(BX)
	VMOVUPS Y2, 64(BX)
	VMOVUPS Y3, 96(BX)
	LEAQ (BX)(R9*1), DX
	VADDPS (DX), Y4, Y4
	VADDPS 32(DX), Y5, Y5
	VADDPS 64(DX), Y6, Y6
	VADDPS 96(DX), Y7, Y7
	VMOVUPS Y4, (DX)
	VMOVUPS Y5, 32(DX)
	VMOVUPS Y6, 64(DX)
	VMOVUPS Y7, 96(DX)
	LEAQ (AX)(R12*2), AX
	LEAQ (BX)(R9*2), BX
	DECQ R11
	JNE pair

	ADDQ $128, R13
	ADDQ $128, R14
	DECQ R10
	JNE strip
	VZEROUPPER
	RET
