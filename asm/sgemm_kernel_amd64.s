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
