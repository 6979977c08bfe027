//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// 3×3 depthwise kernels for NEON; see conv_dw.go for the semantics and
// conv_dw_arm64.go for the declarations.

// func dwRows9NEON(dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32)
//
// R0 is the current output row, R1-R9 the nine taps of the current row,
// R10 cols, R11 the rows left, R12/R13 the tap and output row strides in
// bytes, R14 the byte offset in the row, R15 the columns left in the row,
// R16 an address. V0-V8 hold the broadcast weights, V9 the bias, V10/V11/
// V12 lo, hi and zero, V16/V17 the accumulators, V24/V25 loaded taps.
// Each output adds its taps in order 0..8 with fused multiply-adds, then
// is clamped: FMAX(a, lo), FMIN(a, hi), + zero (as reluNEONasm and
// clipNEONasm do).
TEXT ·dwRows9NEON(SB), NOSPLIT, $0-88
	MOVD  rows+48(FP), R11
	MOVD  cols+56(FP), R10
	CMP   $0, R11
	BLE   done
	CMP   $0, R10
	BLE   done
	MOVD  dst_base+0(FP), R0
	MOVD  ldd+24(FP), R13
	LSL   $2, R13
	MOVD  lds+40(FP), R12
	LSL   $2, R12
	MOVD  w+64(FP), R16
	FMOVS 0(R16), F0
	FMOVS 4(R16), F1
	FMOVS 8(R16), F2
	FMOVS 12(R16), F3
	FMOVS 16(R16), F4
	FMOVS 20(R16), F5
	FMOVS 24(R16), F6
	FMOVS 28(R16), F7
	FMOVS 32(R16), F8
	VDUP  V0.S[0], V0.S4
	VDUP  V1.S[0], V1.S4
	VDUP  V2.S[0], V2.S4
	VDUP  V3.S[0], V3.S4
	VDUP  V4.S[0], V4.S4
	VDUP  V5.S[0], V5.S4
	VDUP  V6.S[0], V6.S4
	VDUP  V7.S[0], V7.S4
	VDUP  V8.S[0], V8.S4
	FMOVS bias+72(FP), F9
	VDUP  V9.S[0], V9.S4
	FMOVS lo+76(FP), F10
	VDUP  V10.S[0], V10.S4
	FMOVS hi+80(FP), F11
	VDUP  V11.S[0], V11.S4
	FMOVS zero+84(FP), F12
	VDUP  V12.S[0], V12.S4
	MOVD  src+32(FP), R16
	MOVD  0(R16), R1
	MOVD  24(R16), R2
	MOVD  48(R16), R3
	MOVD  72(R16), R4
	MOVD  96(R16), R5
	MOVD  120(R16), R6
	MOVD  144(R16), R7
	MOVD  168(R16), R8
	MOVD  192(R16), R9

// TAP2(r, w) adds tap register r's next 8 floats times weight w.
#define TAP2(r, w) ADD R14, r, R16; VLD1 (R16), [V24.S4, V25.S4]; FMLA4S(16, 24, w); FMLA4S(17, 25, w)
// TAP1(r, w) adds its next 4 floats.
#define TAP1(r, w) ADD R14, r, R16; VLD1 (R16), [V24.S4]; FMLA4S(16, 24, w)
// TAP0(r, w) adds its next float (lane 0; the other lanes are junk).
#define TAP0(r, w) ADD R14, r, R16; FMOVS (R16), F24; FMLA4S(16, 24, w)
// FINISH(a) clamps accumulator a.
#define FINISH(a) FMAX4S(a, a, 10); FMIN4S(a, a, 11); FADD4S(a, a, 12)

row:
	MOVD $0, R14
	MOVD R10, R15
loop8:
	CMP  $8, R15
	BLT  loop4
	VORR16B(16, 9, 9)
	VORR16B(17, 9, 9)
	TAP2(R1, 0); TAP2(R2, 1); TAP2(R3, 2)
	TAP2(R4, 3); TAP2(R5, 4); TAP2(R6, 5)
	TAP2(R7, 6); TAP2(R8, 7); TAP2(R9, 8)
	FINISH(16)
	FINISH(17)
	ADD  R14, R0, R16
	VST1 [V16.S4, V17.S4], (R16)
	ADD  $32, R14
	SUB  $8, R15
	B    loop8
loop4:
	CMP  $4, R15
	BLT  tail
	VORR16B(16, 9, 9)
	TAP1(R1, 0); TAP1(R2, 1); TAP1(R3, 2)
	TAP1(R4, 3); TAP1(R5, 4); TAP1(R6, 5)
	TAP1(R7, 6); TAP1(R8, 7); TAP1(R9, 8)
	FINISH(16)
	ADD  R14, R0, R16
	VST1 [V16.S4], (R16)
	ADD  $16, R14
	SUB  $4, R15
tail:
	CBZ   R15, next
	VORR16B(16, 9, 9)
	TAP0(R1, 0); TAP0(R2, 1); TAP0(R3, 2)
	TAP0(R4, 3); TAP0(R5, 4); TAP0(R6, 5)
	TAP0(R7, 6); TAP0(R8, 7); TAP0(R9, 8)
	FINISH(16)
	ADD   R14, R0, R16
	FMOVS F16, (R16)
	ADD   $4, R14
	SUB   $1, R15
	B     tail
next:
	ADD  R12, R1
	ADD  R12, R2
	ADD  R12, R3
	ADD  R12, R4
	ADD  R12, R5
	ADD  R12, R6
	ADD  R12, R7
	ADD  R12, R8
	ADD  R12, R9
	ADD  R13, R0
	SUBS $1, R11
	BNE  row
done:
	RET

#undef TAP2
#undef TAP1
#undef TAP0
#undef FINISH

// func splitEvenOddNEON(even, odd, src []float32)
//
// Splits the first len(even) rounded down to 4 columns (VLD2
// de-interleaves 4 pairs); SplitEvenOdd does the rest.
TEXT ·splitEvenOddNEON(SB), NOSPLIT, $0-72
	MOVD even_base+0(FP), R0
	MOVD even_len+8(FP), R3
	MOVD odd_base+24(FP), R1
	MOVD src_base+48(FP), R2
	AND  $~3, R3
split:
	CBZ    R3, splitdone
	VLD2.P 32(R2), [V0.S4, V1.S4]
	VST1.P [V0.S4], 16(R0)
	VST1.P [V1.S4], 16(R1)
	SUB    $4, R3
	B      split
splitdone:
	RET
