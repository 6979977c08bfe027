//go:build !purego

#include "textflag.h"

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
