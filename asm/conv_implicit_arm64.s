//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// Implicit-GEMM convolution kernel for NEON (see conv_implicit.go for the
// semantics and conv_implicit_arm64.go for the declaration): 4 filter rows
// by 16 positions per step in V0..V15 (row i in V4i..V4i+3), then 4-lane
// steps in V0, V4, V8, V12, then single positions in the low lanes with
// scalar FMADD. Every output is one fused multiply-add chain from zero
// over k in order, so the three step sizes give identical bits.

// FMADD Sd, Sn, Sm, Sa: Sd = Sa + Sn*Sm, fused.
#define FMADDS(d, n, m, a) WORD $(0x1F000000 | ((m)<<16) | ((a)<<10) | ((n)<<5) | (d))

// Per k: R13 = the tap's address at the current position (from offs at
// R12, post-incremented), R14..R17 the four weight rows at k.
#define TAP \
	MOVW.P 4(R12), R13    \
	ADD    R13<<2, R6, R13

#define WEIGHTS \
	VLD1R (R14), [V20.S4] \
	VLD1R (R15), [V21.S4] \
	VLD1R (R16), [V22.S4] \
	VLD1R (R17), [V23.S4] \
	ADD   $4, R14         \
	ADD   $4, R15         \
	ADD   $4, R16         \
	ADD   $4, R17

#define RESET \
	MOVD R2, R14 \
	MOVD R3, R15 \
	MOVD R4, R16 \
	MOVD R5, R17 \
	MOVD R7, R12 \
	MOVD R8, R11

// Output row pointers R20..R23 from R0 and the stride R1.
#define CROWS \
	MOVD R0, R20       \
	ADD  R1, R20, R21  \
	ADD  R1, R21, R22  \
	ADD  R1, R22, R23

// func convImplicitNEON(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, m int)
TEXT ·convImplicitNEON(SB), NOSPLIT, $0-72
	MOVD c+0(FP), R0
	MOVD ldc+8(FP), R1
	LSL  $2, R1
	MOVD w+16(FP), R2
	MOVD ldw+24(FP), R19
	LSL  $2, R19
	MOVD b+32(FP), R6
	MOVD offs+40(FP), R7
	MOVD k+48(FP), R8
	MOVD n+56(FP), R9
	MOVD m+64(FP), R10
	// Weight rows R2..R5; rows past m read row 0 (their sums are not
	// stored).
	MOVD R2, R3
	MOVD R2, R4
	MOVD R2, R5
	CMP  $2, R10
	BLT  rowsdone
	ADD  R19, R2, R3
	CMP  $3, R10
	BLT  rowsdone
	ADD  R19, R3, R4
	CMP  $4, R10
	BLT  rowsdone
	ADD  R19, R4, R5

rowsdone:
loop16:
	CMP  $16, R9
	BLT  loop4
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	RESET
	CBZ  R11, store16

k16:
	TAP
	VLD1 (R13), [V16.S4, V17.S4, V18.S4, V19.S4]
	WEIGHTS
	FMLA4S(0, 16, 20)
	FMLA4S(1, 17, 20)
	FMLA4S(2, 18, 20)
	FMLA4S(3, 19, 20)
	FMLA4S(4, 16, 21)
	FMLA4S(5, 17, 21)
	FMLA4S(6, 18, 21)
	FMLA4S(7, 19, 21)
	FMLA4S(8, 16, 22)
	FMLA4S(9, 17, 22)
	FMLA4S(10, 18, 22)
	FMLA4S(11, 19, 22)
	FMLA4S(12, 16, 23)
	FMLA4S(13, 17, 23)
	FMLA4S(14, 18, 23)
	FMLA4S(15, 19, 23)
	SUBS $1, R11
	BNE  k16

store16:
	CROWS
	VST1 [V0.S4, V1.S4, V2.S4, V3.S4], (R20)
	CMP  $2, R10
	BLT  next16
	VST1 [V4.S4, V5.S4, V6.S4, V7.S4], (R21)
	CMP  $3, R10
	BLT  next16
	VST1 [V8.S4, V9.S4, V10.S4, V11.S4], (R22)
	CMP  $4, R10
	BLT  next16
	VST1 [V12.S4, V13.S4, V14.S4, V15.S4], (R23)

next16:
	ADD  $64, R0
	ADD  $64, R6
	SUB  $16, R9
	B    loop16

loop4:
	CMP  $4, R9
	BLT  loop1
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V12.B16, V12.B16, V12.B16
	RESET
	CBZ  R11, store4

k4:
	TAP
	VLD1 (R13), [V16.S4]
	WEIGHTS
	FMLA4S(0, 16, 20)
	FMLA4S(4, 16, 21)
	FMLA4S(8, 16, 22)
	FMLA4S(12, 16, 23)
	SUBS $1, R11
	BNE  k4

store4:
	CROWS
	VST1 [V0.S4], (R20)
	CMP  $2, R10
	BLT  next4
	VST1 [V4.S4], (R21)
	CMP  $3, R10
	BLT  next4
	VST1 [V8.S4], (R22)
	CMP  $4, R10
	BLT  next4
	VST1 [V12.S4], (R23)

next4:
	ADD  $16, R0
	ADD  $16, R6
	SUB  $4, R9
	B    loop4

loop1:
	CBZ  R9, done
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V12.B16, V12.B16, V12.B16
	RESET
	CBZ  R11, store1

k1:
	TAP
	FMOVS (R13), F16
	FMOVS (R14), F20
	FMOVS (R15), F21
	FMOVS (R16), F22
	FMOVS (R17), F23
	ADD   $4, R14
	ADD   $4, R15
	ADD   $4, R16
	ADD   $4, R17
	FMADDS(0, 16, 20, 0)
	FMADDS(4, 16, 21, 4)
	FMADDS(8, 16, 22, 8)
	FMADDS(12, 16, 23, 12)
	SUBS  $1, R11
	BNE   k1

store1:
	CROWS
	FMOVS F0, (R20)
	CMP   $2, R10
	BLT   next1
	FMOVS F4, (R21)
	CMP   $3, R10
	BLT   next1
	FMOVS F8, (R22)
	CMP   $4, R10
	BLT   next1
	FMOVS F12, (R23)

next1:
	ADD  $4, R0
	ADD  $4, R6
	SUB  $1, R9
	B    loop1

done:
	RET
