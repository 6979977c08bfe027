//go:build !purego

#include "textflag.h"

// TRANS8 transposes eight 8-float runs of rows r0..r3
// (addresses R0, R0+R8, R0+2·R8, R0+R9) and r4..r7 (the same from R4) and
// stores row i of the transpose at off+64·i(DI): an 8×8 block of a packed
// 16-column panel.
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
	VMOVUPS Y9, off+64(DI); \
	VMOVUPS Y10, off+128(DI); \
	VMOVUPS Y11, off+192(DI); \
	VMOVUPS Y12, off+256(DI); \
	VMOVUPS Y13, off+320(DI); \
	VMOVUPS Y14, off+384(DI); \
	VMOVUPS Y15, off+448(DI)

// func sgemmPackBT16AVX2(d, b *float32, ldb, kb8 int)
// Packs 8·kb8 columns of 16 rows of B (row stride ldb) transposed: d gets
// groups of 16 floats, d[p*16+r] = b[r*ldb+p], by 8×8 transposes.
TEXT ·sgemmPackBT16AVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ ldb+16(FP), R8
	SHLQ $2, R8
	MOVQ kb8+24(FP), CX
	TESTQ CX, CX
	JE done
	LEAQ (R8)(R8*2), R9
	LEAQ (SI)(R8*4), R10
	LEAQ (R10)(R8*4), R11
	LEAQ (R11)(R8*4), R12
	XORQ AX, AX

loop:
	LEAQ (SI)(AX*1), R13
	LEAQ (R10)(AX*1), R14
	TRANS8(R13, R14, 0)
	LEAQ (R11)(AX*1), R13
	LEAQ (R12)(AX*1), R14
	TRANS8(R13, R14, 32)
	ADDQ $32, AX
	ADDQ $512, DI
	DECQ CX
	JNE loop

done:
	VZEROUPPER
	RET
