//go:build !purego

#include "textflag.h"

// func gemvNNChunk2AVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, n64, m2 int)
// gemvNNChunk2AVX2 with 64-column strips: for each of n64 strips of b (kc
// rows, row stride ldb) and each of m2 row pairs of a and c:
// c[2q..2q+1][strip] += a[2q..2q+1][0:kc] · b[0:kc][strip], one FMA chain
// per element over p ascending, added to C once.
TEXT ·gemvNNChunk2AVX512(SB), NOSPLIT, $0-72
	MOVQ lda+16(FP), R12
	SHLQ $2, R12
	MOVQ b+24(FP), R13
	MOVQ ldb+32(FP), R8
	SHLQ $2, R8
	MOVQ c+40(FP), R14
	MOVQ ldc+48(FP), R9
	SHLQ $2, R9
	MOVQ n64+56(FP), R10

strip512:
	MOVQ a+8(FP), AX
	MOVQ R14, BX
	MOVQ m2+64(FP), R11

pair512:
	MOVQ AX, SI
	MOVQ R13, DI
	MOVQ kc+0(FP), CX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7

step512:
	VBROADCASTSS (SI), Z8
	VBROADCASTSS (SI)(R12*1), Z9
	VMOVUPS (DI), Z10
	VMOVUPS 64(DI), Z11
	VMOVUPS 128(DI), Z12
	VMOVUPS 192(DI), Z13
	VFMADD231PS Z10, Z8, Z0
	VFMADD231PS Z11, Z8, Z1
	VFMADD231PS Z12, Z8, Z2
	VFMADD231PS Z13, Z8, Z3
	VFMADD231PS Z10, Z9, Z4
	VFMADD231PS Z11, Z9, Z5
	VFMADD231PS Z12, Z9, Z6
	VFMADD231PS Z13, Z9, Z7
	ADDQ $4, SI
	ADDQ R8, DI
	DECQ CX
	JNE step512

	VADDPS 0(BX), Z0, Z0
	VMOVUPS Z0, 0(BX)
	VADDPS 64(BX), Z1, Z1
	VMOVUPS Z1, 64(BX)
	VADDPS 128(BX), Z2, Z2
	VMOVUPS Z2, 128(BX)
	VADDPS 192(BX), Z3, Z3
	VMOVUPS Z3, 192(BX)
	LEAQ (BX)(R9*1), DX
	VADDPS 0(DX), Z4, Z4
	VMOVUPS Z4, 0(DX)
	VADDPS 64(DX), Z5, Z5
	VMOVUPS Z5, 64(DX)
	VADDPS 128(DX), Z6, Z6
	VMOVUPS Z6, 128(DX)
	VADDPS 192(DX), Z7, Z7
	VMOVUPS Z7, 192(DX)
	LEAQ (AX)(R12*2), AX
	LEAQ (BX)(R9*2), BX
	DECQ R11
	JNE pair512

	ADDQ $256, R13
	ADDQ $256, R14
	DECQ R10
	JNE strip512
	VZEROUPPER
	RET
