//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// Elementwise and reduction kernels. Every function here processes
// len(dst) (or len(x)) elements, which the Go wrappers in vec_arm64.go make
// a multiple of 4; they handle the remaining 0-3 elements themselves.
// Loops take 16 floats (four vectors) per iteration, then 4 at a time.

// UNARY runs OP(r) in place on V0..V3 over R2 floats from (R1) to (R0).
// OP may use V(r+4) and V(r+8) as scratch and reads constants from V30, V31.
#define UNARY \
	CMP    $16, R2                                       \
	BLT    loop4                                         \
loop16:                                                      \
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]          \
	OP(0); OP(1); OP(2); OP(3)                           \
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)          \
	SUB    $16, R2                                       \
	CMP    $16, R2                                       \
	BGE    loop16                                        \
loop4:                                                       \
	CBZ    R2, done                                      \
	VLD1.P 16(R1), [V0.S4]                               \
	OP(0)                                                \
	VST1.P [V0.S4], 16(R0)                               \
	SUB    $4, R2                                        \
	B      loop4                                         \
done:                                                        \
	RET

// BINARY runs OP(r) on V0..V3 (from x at R1) and V4..V7 (from y at R3),
// result in V0..V3, over R2 floats to (R0). OP may use V(r+8) as scratch.
#define BINARY \
	CMP    $16, R2                                       \
	BLT    loop4                                         \
loop16:                                                      \
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]          \
	VLD1.P 64(R3), [V4.S4, V5.S4, V6.S4, V7.S4]          \
	OP(0); OP(1); OP(2); OP(3)                           \
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)          \
	SUB    $16, R2                                       \
	CMP    $16, R2                                       \
	BGE    loop16                                        \
loop4:                                                       \
	CBZ    R2, done                                      \
	VLD1.P 16(R1), [V0.S4]                               \
	VLD1.P 16(R3), [V4.S4]                               \
	OP(0)                                                \
	VST1.P [V0.S4], 16(R0)                               \
	SUB    $4, R2                                        \
	B      loop4                                         \
done:                                                        \
	RET

// Elementwise kernels, one OP each.

// func reluNEONasm(dst, x []float32)
TEXT ·reluNEONasm(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	VEOR V31.B16, V31.B16, V31.B16
	// FMAX keeps NaN and maps -0 to +0, like x > 0 ? x : 0.
#define OP(r) FMAX4S(r, r, 31)
	UNARY
#undef OP

// func leakyReluNEONasm(dst, x []float32, slope float32)
TEXT ·leakyReluNEONasm(SB), NOSPLIT, $0-52
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R2
	MOVD  x_base+24(FP), R1
	FMOVS slope+48(FP), F30
	VDUP  V30.S[0], V30.S4
	// mask = x > 0; t = slope*x; x = mask ? x : t.
#define OP(r) FCMGTZ4S(r+4, r); FMUL4S(r+8, r, 30); VBIF16B(r, r+8, r+4)
	UNARY
#undef OP

// func clipNEONasm(dst, x []float32, lo, hi float32)
TEXT ·clipNEONasm(SB), NOSPLIT, $0-56
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R2
	MOVD  x_base+24(FP), R1
	FMOVS lo+48(FP), F30
	FMOVS hi+52(FP), F31
	VDUP  V30.S[0], V30.S4
	VDUP  V31.S[0], V31.S4
#define OP(r) FMAX4S(r, r, 30); FMIN4S(r, r, 31)
	UNARY
#undef OP

// func scaleNEONasm(dst, x []float32, a float32)
TEXT ·scaleNEONasm(SB), NOSPLIT, $0-52
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R2
	MOVD  x_base+24(FP), R1
	FMOVS a+48(FP), F30
	VDUP  V30.S[0], V30.S4
#define OP(r) FMUL4S(r, r, 30)
	UNARY
#undef OP

// func addScalarNEONasm(dst, x []float32, s float32)
TEXT ·addScalarNEONasm(SB), NOSPLIT, $0-52
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R2
	MOVD  x_base+24(FP), R1
	FMOVS s+48(FP), F30
	VDUP  V30.S[0], V30.S4
#define OP(r) FADD4S(r, r, 30)
	UNARY
#undef OP

// func affineNEONasm(dst, x []float32, a, b float32)
TEXT ·affineNEONasm(SB), NOSPLIT, $0-56
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R2
	MOVD  x_base+24(FP), R1
	FMOVS a+48(FP), F30
	FMOVS b+52(FP), F31
	VDUP  V30.S[0], V30.S4
	VDUP  V31.S[0], V31.S4
	// t = b; t += x*a (fused); x = t.
#define OP(r) VORR16B(r+4, 31, 31); FMLA4S(r+4, r, 30); VORR16B(r, r+4, r+4)
	UNARY
#undef OP

// func axpyNEONasm(dst, x []float32, a float32)
TEXT ·axpyNEONasm(SB), NOSPLIT, $0-52
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R2
	MOVD  R0, R1          // first operand: dst itself
	MOVD  x_base+24(FP), R3
	FMOVS a+48(FP), F30
	VDUP  V30.S[0], V30.S4
#define OP(r) FMLA4S(r, r+4, 30)
	BINARY
#undef OP

// func addNEONasm(dst, x, y []float32)
TEXT ·addNEONasm(SB), NOSPLIT, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R3
#define OP(r) FADD4S(r, r, r+4)
	BINARY
#undef OP

// func subNEONasm(dst, x, y []float32)
TEXT ·subNEONasm(SB), NOSPLIT, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R3
#define OP(r) FSUB4S(r, r, r+4)
	BINARY
#undef OP

// func mulNEONasm(dst, x, y []float32)
TEXT ·mulNEONasm(SB), NOSPLIT, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R3
#define OP(r) FMUL4S(r, r, r+4)
	BINARY
#undef OP

// func maxFirstNEONasm(dst, x, y []float32)
TEXT ·maxFirstNEONasm(SB), NOSPLIT, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R3
	// x > y (false for a NaN), then y where it is not.
#define OP(r) FCMGT4S(r+8, r, r+4); VBIF16B(r, r+4, r+8)
	BINARY
#undef OP

// func divNEONasm(dst, x, y []float32)
TEXT ·divNEONasm(SB), NOSPLIT, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	MOVD y_base+48(FP), R3
#define OP(r) FDIV4S(r, r, r+4)
	BINARY
#undef OP

// Reductions: four vector accumulators V16..V19 over 16-float blocks, V16
// for the 4-float steps, combined pairwise at the end.

// REDUCE runs ACC(acc, r) over R2 floats from (R1) (and (R3) when LOADY
// loads y into V4..V7).
#define REDUCE \
	CMP    $16, R2                                       \
	BLT    loop4                                         \
loop16:                                                      \
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]          \
	LOADY16                                              \
	ACC(16, 0); ACC(17, 1); ACC(18, 2); ACC(19, 3)       \
	SUB    $16, R2                                       \
	CMP    $16, R2                                       \
	BGE    loop16                                        \
loop4:                                                       \
	CBZ    R2, combine                                   \
	VLD1.P 16(R1), [V0.S4]                               \
	LOADY4                                               \
	ACC(16, 0)                                           \
	SUB    $4, R2                                        \
	B      loop4                                         \
combine:

// func sumNEONasm(x []float32) float32
TEXT ·sumNEONasm(SB), NOSPLIT, $0-28
	MOVD x_base+0(FP), R1
	MOVD x_len+8(FP), R2
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
#define LOADY16
#define LOADY4
#define ACC(a, r) FADD4S(a, a, r)
	REDUCE
	FADD4S(16, 16, 17)
	FADD4S(18, 18, 19)
	FADD4S(16, 16, 18)
	FADDP4S(16, 16, 16)
	FADDPS(16, 16)
	FMOVS F16, ret+24(FP)
	RET
#undef ACC

// func maxNEONasm(x []float32) float32
TEXT ·maxNEONasm(SB), NOSPLIT, $0-28
	MOVD x_base+0(FP), R1
	MOVD x_len+8(FP), R2
	MOVW $0xff800000, R4 // -Inf
	VDUP R4, V16.S4
	VDUP R4, V17.S4
	VDUP R4, V18.S4
	VDUP R4, V19.S4
#define ACC(a, r) FMAX4S(a, a, r)
	REDUCE
	FMAX4S(16, 16, 17)
	FMAX4S(18, 18, 19)
	FMAX4S(16, 16, 18)
	FMAXV4S(16, 16)
	FMOVS F16, ret+24(FP)
	RET
#undef ACC
#undef LOADY16
#undef LOADY4

// func dotNEONasm(x, y []float32) float32
TEXT ·dotNEONasm(SB), NOSPLIT, $0-52
	MOVD x_base+0(FP), R1
	MOVD x_len+8(FP), R2
	MOVD y_base+24(FP), R3
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
#define LOADY16 VLD1.P 64(R3), [V4.S4, V5.S4, V6.S4, V7.S4]
#define LOADY4 VLD1.P 16(R3), [V4.S4]
#define ACC(a, r) FMLA4S(a, r, r+4)
	REDUCE
	FADD4S(16, 16, 17)
	FADD4S(18, 18, 19)
	FADD4S(16, 16, 18)
	FADDP4S(16, 16, 16)
	FADDPS(16, 16)
	FMOVS F16, ret+48(FP)
	RET
#undef ACC
#undef LOADY16
#undef LOADY4

// func divScalarNEONasm(dst, x []float32, s float32)
TEXT ·divScalarNEONasm(SB), NOSPLIT, $0-52
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R2
	MOVD  x_base+24(FP), R1
	FMOVS s+48(FP), F30
	VDUP  V30.S[0], V30.S4
#define OP(r) FDIV4S(r, r, 30)
	UNARY
#undef OP

// func shiftDivSubNEONasm(dst, x []float32, m, t, c float32)
TEXT ·shiftDivSubNEONasm(SB), NOSPLIT, $0-60
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R2
	MOVD  x_base+24(FP), R1
	FMOVS m+48(FP), F29
	FMOVS t+52(FP), F30
	FMOVS c+56(FP), F31
	VDUP  V29.S[0], V29.S4
	VDUP  V30.S[0], V30.S4
	VDUP  V31.S[0], V31.S4
#define OP(r) FSUB4S(r, r, 29); FDIV4S(r, r, 30); FSUB4S(r, r, 31)
	UNARY
#undef OP
