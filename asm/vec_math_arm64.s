//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

#include "vec_exp_arm64.h"

// Exp, Sigmoid, Tanh, Log, the softmax exponentials and SoftRelu on four
// lanes at a time. Like vec_arm64.s, each function processes len(dst)
// elements, a multiple of 4 (the Go wrappers handle the tail).

// SIGMOID(x, a, n, r, p, s): x = 1/(1+exp(-x)), computed from
// e = exp(-|x|) as 1/(1+e) for x >= 0 and e/(1+e) for x < 0 so that
// neither overflows nor loses the tiny results for very negative x.
#define SIGMOID(x, a, n, r, p, s) \
	FABS4S(a, x); FNEG4S(a, a)                           \
	EXP(a, n, r, p, s)                                   \
	FADD4S(n, a, 27)                                     \
	FCMLTZ4S(r, x); VBSL16B(r, a, 27)                    \
	FDIV4S(x, r, n)

// TANH(x, y, n, r, p, s): x = tanh(x) = sign(x) * -m/(2+m) with
// m = expm1(-2|x|) = 2^n*q + (2^n - 1), q = expm1(r) = r*POLY(r); the
// form has no cancellation for small |x| and m rounds once. The magnitude
// is made non-negative before the sign of x is applied, so tanh(+0) = +0.
#define TANH(x, y, n, r, p, s) \
	FABS4S(y, x); FADD4S(y, y, y); FNEG4S(y, y)          \
	FMAX4S(y, y, 16)                                     \
	REDUCE(y, n, r)                                      \
	POLY(r, p, s)                                        \
	FMUL4S(y, r, s)                                      \
	SCALES(n, r)                                         \
	FMUL4S(s, r, n)                                      \
	FSUB4S(r, s, 27); FMLA4S(r, s, y)                    \
	FADD4S(n, r, 29); FNEG4S(r, r); FDIV4S(r, r, n)      \
	FABS4S(r, r)                                         \
	VAND16B(n, x, 30); VORR16B(x, r, n)

// LOOPNR runs F on V0 (scratch V2..V6) and V1 (scratch V7..V11), 8 floats
// per iteration, then on V0 for the last 4, and falls through to done.
#define LOOPNR \
	CMP    $8, R2                                        \
	BLT    loop4                                         \
loop8:                                                       \
	VLD1.P 32(R1), [V0.S4, V1.S4]                        \
	F(0, 2, 3, 4, 5, 6)                                  \
	F(1, 7, 8, 9, 10, 11)                                \
	VST1.P [V0.S4, V1.S4], 32(R0)                        \
	SUB    $8, R2                                        \
	CMP    $8, R2                                        \
	BGE    loop8                                         \
loop4:                                                       \
	CBZ    R2, done                                      \
	VLD1.P 16(R1), [V0.S4]                               \
	F(0, 2, 3, 4, 5, 6)                                  \
	VST1.P [V0.S4], 16(R0)                               \
	SUB    $4, R2                                        \
	B      loop4                                         \
done:

// LOOP is LOOPNR followed by RET.
#define LOOP LOOPNR; RET

// func expNEONasm(dst, x []float32)
TEXT ·expNEONasm(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	LOADCONSTS
#define F(x, a, b, c, d, e) EXP(x, a, b, c, d)
	LOOP
#undef F

// func sigmoidNEONasm(dst, x []float32)
TEXT ·sigmoidNEONasm(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	LOADCONSTS
#define F(x, a, b, c, d, e) SIGMOID(x, a, b, c, d, e)
	LOOP
#undef F

// func tanhNEONasm(dst, x []float32)
TEXT ·tanhNEONasm(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	LOADCONSTS
#define F(x, a, b, c, d, e) TANH(x, a, b, c, d, e)
	LOOP
#undef F

// log(x): x = 2^k * m with m in [sqrt(1/2), sqrt(2)) found with integer
// arithmetic on the bits (subnormal x is first scaled by 2^25), f = m-1,
// s = f/(2+f), and log(1+f) = f - f^2/2 + s*(f^2/2 + R(s^2)) where
// R(z) = 2z/3 + 2z^2/5 + ... + 2z^5/11 (the atanh series; its truncation is
// below 1e-9 relative for |s| < 0.172), summed with k*ln2 in two parts.
// x == ±0 gives -Inf, x == +Inf gives +Inf, x < 0 or NaN gives NaN.
#define LOGCONSTS \
	MOVW $0x7fc00000, R4; VDUP R4, V12.S4 /* NaN */                \
	MOVW $0xff800000, R4; VDUP R4, V13.S4 /* -Inf */               \
	MOVW $0x3f3504f3, R4; VDUP R4, V16.S4 /* bits of sqrt(1/2) */  \
	MOVW $0x007fffff, R4; VDUP R4, V17.S4 /* mantissa mask */      \
	MOVW $0x4c000000, R4; VDUP R4, V18.S4 /* 2^25 */               \
	MOVW $25, R4; VDUP R4, V19.S4                                  \
	MOVW $0x00800000, R4; VDUP R4, V20.S4 /* smallest normal */    \
	MOVW $0x3f317200, R4; VDUP R4, V21.S4 /* ln2 high bits */      \
	MOVW $0x35bfbe8e, R4; VDUP R4, V22.S4 /* ln2 - ln2hi */        \
	MOVW $0x3e3a2e8c, R4; VDUP R4, V23.S4 /* 2/11 */               \
	MOVW $0x3e638e39, R4; VDUP R4, V24.S4 /* 2/9 */                \
	MOVW $0x3e924925, R4; VDUP R4, V25.S4 /* 2/7 */                \
	MOVW $0x3ecccccd, R4; VDUP R4, V26.S4 /* 2/5 */                \
	MOVW $0x3f2aaaab, R4; VDUP R4, V27.S4 /* 2/3 */                \
	MOVW $0x3f000000, R4; VDUP R4, V28.S4 /* 1/2 */                \
	MOVW $0x3f800000, R4; VDUP R4, V29.S4 /* 1 */                  \
	MOVW $0x7f800000, R4; VDUP R4, V30.S4 /* +Inf */               \
	MOVW $0x40000000, R4; VDUP R4, V31.S4 /* 2 */

// LOG(x, a, b, c, d, e): x = log(x); a..e are scratch.
#define LOG(x, a, b, c, d, e) \
	FCMGT4S(a, 20, x); FMUL4S(b, x, 18)                  \
	VAND16B(c, a, 19); VBSL16B(a, b, x)                  \
	VSUB4S(b, a, 16)                                     \
	VSSHR4S(d, b, 23); VSUB4S(d, d, c); SCVTF4S(d, d)    \
	VAND16B(b, b, 17); VADD4S(b, b, 16)                  \
	FSUB4S(b, b, 29)                                     \
	FADD4S(a, b, 31); FDIV4S(a, b, a)                    \
	FMUL4S(c, a, a)                                      \
	FMUL4S(e, c, 23); FADD4S(e, e, 24)                   \
	FMUL4S(e, e, c); FADD4S(e, e, 25)                    \
	FMUL4S(e, e, c); FADD4S(e, e, 26)                    \
	FMUL4S(e, e, c); FADD4S(e, e, 27)                    \
	FMUL4S(e, e, c)                                      \
	FMUL4S(c, b, b); FMUL4S(c, c, 28)                    \
	FADD4S(e, c, e); FMUL4S(e, a, e); FMLA4S(e, d, 22)   \
	FSUB4S(c, c, e); FSUB4S(c, c, b)                     \
	FMUL4S(a, d, 21); FSUB4S(a, a, c)                    \
	FCMGTZ4S(b, x); VBSL16B(b, a, 12)                    \
	FCMEQ4S(c, x, 30); VBSL16B(c, 30, b)                 \
	FCMEQZ4S(a, x); VBSL16B(a, 13, c)                    \
	VORR16B(x, a, a)

// func logNEONasm(dst, x []float32)
TEXT ·logNEONasm(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	LOGCONSTS
#define F(x, a, b, c, d, e) LOG(x, a, b, c, d, e)
	LOOP
#undef F

// func softmaxExpNEONasm(dst, x []float32, m, t float32) float32
//
// dst = exp((x-m)/t), returning the sum of dst (two vector accumulators
// V12, V13, one per lane group).
TEXT ·softmaxExpNEONasm(SB), NOSPLIT, $0-60
	MOVD  dst_base+0(FP), R0
	MOVD  dst_len+8(FP), R2
	MOVD  x_base+24(FP), R1
	LOADCONSTS
	FMOVS m+48(FP), F29
	FMOVS t+52(FP), F30
	VDUP  V29.S[0], V29.S4
	VDUP  V30.S[0], V30.S4
	VEOR  V12.B16, V12.B16, V12.B16
	VEOR  V13.B16, V13.B16, V13.B16
#define F(x, a, b, c, d, e) FSUB4S(x, x, 29); FDIV4S(x, x, 30); EXP(x, a, b, c, d); FADD4S(12+(x), 12+(x), x)
	LOOPNR
#undef F
	FADD4S(12, 12, 13)
	FADDP4S(12, 12, 12)
	FADDPS(12, 12)
	FMOVS F12, ret+56(FP)
	RET

// func softReluFinishNEONasm(dst, x, u []float32)
//
// Given u = exp(x): dst = x > 20 ? x : log1p(u), with log1p(u) computed as
// log(w) + (u - (w-1))/w for w = 1+u rounded (the quotient restores what
// the rounding of w lost; for tiny u, w = 1 and the result is u itself).
TEXT ·softReluFinishNEONasm(SB), NOSPLIT, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	MOVD u_base+48(FP), R3
	LOGCONSTS
	MOVW $0x41a00000, R4 // 20
	VDUP R4, V14.S4

loop4:
	CBZ    R2, done
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R3), [V1.S4]
	FADD4S(2, 1, 29)
	FSUB4S(3, 2, 29); FSUB4S(3, 1, 3); FDIV4S(3, 3, 2)
	LOG(2, 4, 5, 6, 7, 8)
	FADD4S(2, 2, 3)
	FCMGT4S(9, 0, 14); VBSL16B(9, 0, 2)
	VST1.P [V9.S4], 16(R0)
	SUB    $4, R2
	B      loop4

done:
	RET
