//go:build !purego

#include "textflag.h"

// FMLA Vd.4S, Vn.4S, Vm.S[i] (by element); Go's assembler has only the
// vector form (VFMLA), so the by-element form is encoded here.
#define FMLAE(d, n, m, i) WORD $(0x4F801000 | ((m)<<16) | (((i)&1)<<21) | (((i)>>1)<<11) | ((n)<<5) | (d))

// One row of the tile: accumulators Va0..Va0+2 += B (V2..V4) * A lane l of Var.
#define ROW(a0, ar, l) FMLAE(a0, 2, ar, l); FMLAE(a0+1, 3, ar, l); FMLAE(a0+2, 4, ar, l)

// One k step: load 8 floats of A into V0,V1 and 12 of B into V2..V4, then
// 24 FMLAs into V8..V31 (row i uses V8+3i..V10+3i).
#define STEP \
	VLD1.P 32(R1), [V0.S4, V1.S4] \
	VLD1.P 48(R2), [V2.S4, V3.S4, V4.S4] \
	ROW(8, 0, 0)                         \
	ROW(11, 0, 1)                        \
	ROW(14, 0, 2)                        \
	ROW(17, 0, 3)                        \
	ROW(20, 1, 0)                        \
	ROW(23, 1, 1)                        \
	ROW(26, 1, 2)                        \
	ROW(29, 1, 3)

// func sgemmKernelNEON(k int, a, b, c *float32, ldc int)
TEXT ·sgemmKernelNEON(SB), NOSPLIT, $0-40
	MOVD k+0(FP), R0
	MOVD a+8(FP), R1
	MOVD b+16(FP), R2
	MOVD c+24(FP), R3
	MOVD ldc+32(FP), R4
	CBZ  R0, done
	LSL  $2, R4        // row stride in bytes

	// Row pointers R5..R12 and the C tile loaded into the accumulators.
	MOVD R3, R5
	ADD  R4, R5, R6
	ADD  R4, R6, R7
	ADD  R4, R7, R8
	ADD  R4, R8, R9
	ADD  R4, R9, R10
	ADD  R4, R10, R11
	ADD  R4, R11, R12
	VLD1 (R5), [V8.S4, V9.S4, V10.S4]
	VLD1 (R6), [V11.S4, V12.S4, V13.S4]
	VLD1 (R7), [V14.S4, V15.S4, V16.S4]
	VLD1 (R8), [V17.S4, V18.S4, V19.S4]
	VLD1 (R9), [V20.S4, V21.S4, V22.S4]
	VLD1 (R10), [V23.S4, V24.S4, V25.S4]
	VLD1 (R11), [V26.S4, V27.S4, V28.S4]
	VLD1 (R12), [V29.S4, V30.S4, V31.S4]

	// Two k steps per iteration, then the odd one.
	LSR  $1, R0, R13
	CBZ  R13, tail

loop2:
	STEP
	STEP
	SUBS $1, R13
	BNE  loop2

tail:
	TBZ  $0, R0, store
	STEP

store:
	VST1 [V8.S4, V9.S4, V10.S4], (R5)
	VST1 [V11.S4, V12.S4, V13.S4], (R6)
	VST1 [V14.S4, V15.S4, V16.S4], (R7)
	VST1 [V17.S4, V18.S4, V19.S4], (R8)
	VST1 [V20.S4, V21.S4, V22.S4], (R9)
	VST1 [V23.S4, V24.S4, V25.S4], (R10)
	VST1 [V26.S4, V27.S4, V28.S4], (R11)
	VST1 [V29.S4, V30.S4, V31.S4], (R12)

done:
	RET
