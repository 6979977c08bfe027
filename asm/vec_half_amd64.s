//go:build !purego

#include "textflag.h"

// F16C float16 <-> float32 conversions, 16 elements per step, then 8, then
// one at a time through the same instructions on the low lane. VCVTPH2PS
// quiets signalling NaNs; FIXNAN restores their quiet bit (bit 22) from the
// half's bit 9 so that every bit pattern converts exactly, as HalfToFloat.

DATA quietBit<>+0(SB)/4, $0x00400000
GLOBL quietBit<>(SB), RODATA|NOPTR, $4

// FIXNAN(f, h, t, q): f is the conversion of the halves h (zero-extended
// to 32 bits, clobbered); lanes where f is NaN get bit 22 = bit 9 of h. q
// holds the quiet bit in every lane; t is scratch.
#define FIXNAN(f, h, t, q) \
	VCMPPS $3, f, f, t \
	VPSLLD $13, h, h   \
	VPANDN t, h, h     \
	VPAND  q, h, h    \
	VPANDN f, h, f

// func f16ToF32AVX2(dst []float32, src []uint16)
TEXT ·f16ToF32AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ src_base+24(FP), SI
	VPBROADCASTD quietBit<>(SB), Y5
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-16, BX

h2f_loop16:
	CMPQ      AX, BX
	JGE       h2f_8
	VCVTPH2PS (SI)(AX*2), Y0
	VCVTPH2PS 16(SI)(AX*2), Y1
	VPMOVZXWD (SI)(AX*2), Y2
	VPMOVZXWD 16(SI)(AX*2), Y3
	FIXNAN(Y0, Y2, Y4, Y5)
	FIXNAN(Y1, Y3, Y4, Y5)
	VMOVUPS   Y0, (DI)(AX*4)
	VMOVUPS   Y1, 32(DI)(AX*4)
	ADDQ      $16, AX
	JMP       h2f_loop16

h2f_8:
	MOVQ      CX, BX
	ANDQ      $-8, BX
	CMPQ      AX, BX
	JGE       h2f_tail
	VCVTPH2PS (SI)(AX*2), Y0
	VPMOVZXWD (SI)(AX*2), Y2
	FIXNAN(Y0, Y2, Y4, Y5)
	VMOVUPS   Y0, (DI)(AX*4)
	ADDQ      $8, AX

h2f_tail:
	CMPQ      AX, CX
	JGE       h2f_done
	MOVWLZX   (SI)(AX*2), DX
	MOVQ      DX, X2
	VCVTPH2PS X2, X0
	FIXNAN(X0, X2, X4, X5)
	VMOVSS    X0, (DI)(AX*4)
	INCQ      AX
	JMP       h2f_tail

h2f_done:
	VZEROUPPER
	RET

// func f32ToF16AVX2(dst []uint16, src []float32)
TEXT ·f32ToF16AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ src_base+24(FP), SI
	XORQ AX, AX
	MOVQ CX, BX
	ANDQ $-16, BX

f2h_loop16:
	CMPQ      AX, BX
	JGE       f2h_8
	VMOVUPS   (SI)(AX*4), Y0
	VMOVUPS   32(SI)(AX*4), Y1
	VCVTPS2PH $0, Y0, (DI)(AX*2)
	VCVTPS2PH $0, Y1, 16(DI)(AX*2)
	ADDQ      $16, AX
	JMP       f2h_loop16

f2h_8:
	MOVQ      CX, BX
	ANDQ      $-8, BX
	CMPQ      AX, BX
	JGE       f2h_tail
	VMOVUPS   (SI)(AX*4), Y0
	VCVTPS2PH $0, Y0, (DI)(AX*2)
	ADDQ      $8, AX

f2h_tail:
	CMPQ      AX, CX
	JGE       f2h_done
	VMOVSS    (SI)(AX*4), X0
	VCVTPS2PH $0, X0, X1
	VPEXTRW   $0, X1, DX
	MOVW      DX, (DI)(AX*2)
	INCQ      AX
	JMP       f2h_tail

f2h_done:
	VZEROUPPER
	RET
