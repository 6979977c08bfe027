//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "vec_exp_arm64.h"

// Erf and Gelu. Both rest on E(a) = erfc(a/sqrt(2)) for 0 <= a <= 14.5,
// computed with small relative error as
//
//	E(a) = exp(-a^2/2) * R(a),  R(a) = erfc(a/sqrt(2)) * exp(a^2/2),
//
// where a^2/2 is split exactly into h + l (FMA residual), so
// exp(-a^2/2) = exp(-h) * (1 - l), and R, smooth and between 0.05 and 1, is
// a degree-10 polynomial in a - c on each of [0,1.5), [1.5,3.5), [3.5,7),
// [7,14.5]: every lane picks its interval's centre and coefficients with a
// TBL byte lookup from table rows holding the four intervals' values.
// (Coefficients: Chebyshev fits of R computed in 40-digit arithmetic with
// mpmath.chebyfit, rounded to float32; the float32 evaluation stays within
// 1.7e-7 relative.)
//
//	gelu(x) = x/2 + x^2*K(x^2)            for 0 <= x < 0.875*sqrt(2) (fused)
//	        = x/2 * (x < 0 ? E(|x|) : 2 - E(x))  otherwise (no cancellation)
//
// with K(y) = erf(sqrt(y/2))/(2 sqrt(y)) a degree-6 fit.
//	erf(s)  = s*c0 + s^3*Q(s^2)        for |s| < 0.875 (fused; c0 = 2/sqrt(pi))
//	        = sign(s) * (1 - E(sqrt(2)|s|)) otherwise
//
// Beyond a = 14.5, E is below the smallest float32, so a is clamped there.

// erfcTab rows (16 bytes each): 0 interval centres; 1..11 coefficients of R,
// highest degree first, one lane per interval; 12 interval bounds 1.5, 3.5,
// 7 and the clamp 14.5; 13 TBL helpers 0x04040404 and 0x03020100, sqrt(2),
// the erf threshold 0.875; 14..15 Q's six coefficients (highest degree
// first), then c0; 16..17 K's seven coefficients (highest first), then the
// Gelu threshold 0.875*sqrt(2); 18 the rounding errors of row 11 (R's
// constant terms), added before them so the sum rounds once.
DATA ·erfcTab+0(SB)/4, $0x3f400000
DATA ·erfcTab+4(SB)/4, $0x40200000
DATA ·erfcTab+8(SB)/4, $0x40a80000
DATA ·erfcTab+12(SB)/4, $0x412c0000
DATA ·erfcTab+16(SB)/4, $0x37f318dc
DATA ·erfcTab+20(SB)/4, $0x34b306a3
DATA ·erfcTab+24(SB)/4, $0x3107e99d
DATA ·erfcTab+28(SB)/4, $0x2c49136b
DATA ·erfcTab+32(SB)/4, $0xb8df8524
DATA ·erfcTab+36(SB)/4, $0xb5d5fa11
DATA ·erfcTab+40(SB)/4, $0xb2698c26
DATA ·erfcTab+44(SB)/4, $0xae136de6
DATA ·erfcTab+48(SB)/4, $0x39ad85a8
DATA ·erfcTab+52(SB)/4, $0x36d967aa
DATA ·erfcTab+56(SB)/4, $0x33a179f5
DATA ·erfcTab+60(SB)/4, $0x2f9a0083
DATA ·erfcTab+64(SB)/4, $0xba9037b4
DATA ·erfcTab+68(SB)/4, $0xb7f1ea4e
DATA ·erfcTab+72(SB)/4, $0xb504e487
DATA ·erfcTab+76(SB)/4, $0xb15d9c72
DATA ·erfcTab+80(SB)/4, $0x3b64cf44
DATA ·erfcTab+84(SB)/4, $0x3902c092
DATA ·erfcTab+88(SB)/4, $0x3659ed09
DATA ·erfcTab+92(SB)/4, $0x3324fd53
DATA ·erfcTab+96(SB)/4, $0xbc29dbcb
DATA ·erfcTab+100(SB)/4, $0xba06fc81
DATA ·erfcTab+104(SB)/4, $0xb7ac85da
DATA ·erfcTab+108(SB)/4, $0xb4ea5699
DATA ·erfcTab+112(SB)/4, $0x3ceb4621
DATA ·erfcTab+116(SB)/4, $0x3b0560f7
DATA ·erfcTab+120(SB)/4, $0x39059606
DATA ·erfcTab+124(SB)/4, $0x36a4dfb2
DATA ·erfcTab+128(SB)/4, $0xbd964239
DATA ·erfcTab+132(SB)/4, $0xbbfb138f
DATA ·erfcTab+136(SB)/4, $0xba4a467b
DATA ·erfcTab+140(SB)/4, $0xb866af80
DATA ·erfcTab+144(SB)/4, $0x3e2dfbf9
DATA ·erfcTab+148(SB)/4, $0x3cdf9ccf
DATA ·erfcTab+152(SB)/4, $0x3b957145
DATA ·erfcTab+156(SB)/4, $0x3a20266b
DATA ·erfcTab+160(SB)/4, $0xbeb1f039
DATA ·erfcTab+164(SB)/4, $0xbdbad5b2
DATA ·erfcTab+168(SB)/4, $0xbcd71b4e
DATA ·erfcTab+172(SB)/4, $0xbbdc9bca
DATA ·erfcTab+176(SB)/4, $0x3f19b812
DATA ·erfcTab+180(SB)/4, $0x3e90b929
DATA ·erfcTab+184(SB)/4, $0x3e1680ff
DATA ·erfcTab+188(SB)/4, $0x3d96b943
DATA ·erfcTab+192(SB)/4, $0x3fc00000
DATA ·erfcTab+196(SB)/4, $0x40600000
DATA ·erfcTab+200(SB)/4, $0x40e00000
DATA ·erfcTab+204(SB)/4, $0x41680000
DATA ·erfcTab+208(SB)/4, $0x04040404
DATA ·erfcTab+212(SB)/4, $0x03020100
DATA ·erfcTab+216(SB)/4, $0x3fb504f3
DATA ·erfcTab+220(SB)/4, $0x3f600000
DATA ·erfcTab+224(SB)/4, $0x38bf1c14
DATA ·erfcTab+228(SB)/4, $0xba59c7f0
DATA ·erfcTab+232(SB)/4, $0x3baadfb3
DATA ·erfcTab+236(SB)/4, $0xbcdc12fb
DATA ·erfcTab+240(SB)/4, $0x3de71782
DATA ·erfcTab+244(SB)/4, $0xbec093a3
DATA ·erfcTab+248(SB)/4, $0x3f906ebb
DATA ·erfcTab+252(SB)/4, $0x00000000
DATA ·erfcTab+256(SB)/4, $0x3500ded1
DATA ·erfcTab+260(SB)/4, $0xb71844b6
DATA ·erfcTab+264(SB)/4, $0x38f14cb2
DATA ·erfcTab+268(SB)/4, $0xba9b9981
DATA ·erfcTab+272(SB)/4, $0x3c2367ec
DATA ·erfcTab+276(SB)/4, $0xbd882c1b
DATA ·erfcTab+280(SB)/4, $0x3ecc422a
DATA ·erfcTab+284(SB)/4, $0x3f9e6455
DATA ·erfcTab+288(SB)/4, $0xb284359e
DATA ·erfcTab+292(SB)/4, $0x3145c02e
DATA ·erfcTab+296(SB)/4, $0x31c27391
DATA ·erfcTab+300(SB)/4, $0x2f637a4d
GLOBL ·erfcTab(SB), RODATA|NOPTR, $304

// ERFCG: V1 = E(V0) for V0 in [0, 14.5] (or NaN), with its factors
// V5 = R(V0) and V7 = exp(-V0^2/2). Needs V12 = row 12, V13 = row 13 and the
// exp constants; uses V2..V11, V31 and R5.
#define ERFCG \
	DUPE4S(2, 12, 0); FCMGE4S(3, 0, 2)                   \
	DUPE4S(2, 12, 1); FCMGE4S(4, 0, 2)                   \
	DUPE4S(2, 12, 2); FCMGE4S(5, 0, 2)                   \
	DUPE4S(2, 13, 0)                                     \
	VAND16B(3, 3, 2); VAND16B(4, 4, 2); VAND16B(5, 5, 2) \
	VADD4S(3, 3, 4); VADD4S(3, 3, 5)                     \
	DUPE4S(2, 13, 1); VADD4S(31, 3, 2)                   \
	MOVD   $·erfcTab(SB), R5                             \
	VLD1.P 16(R5), [V2.S4]                               \
	TBL16B(3, 2, 31); FSUB4S(4, 0, 3)                    \
	VLD1.P 16(R5), [V2.S4]                               \
	TBL16B(5, 2, 31)                                     \
	HSTEP(6, 5); HSTEP(5, 6); HSTEP(6, 5); HSTEP(5, 6)   \
	HSTEP(6, 5); HSTEP(5, 6); HSTEP(6, 5); HSTEP(5, 6)   \
	HSTEP(6, 5)                                          \
	VLD1.P 16(R5), [V2.S4]; TBL16B(5, 2, 31)             \
	MOVD   $·erfcTab+288(SB), R6                         \
	VLD1   (R6), [V2.S4]; TBL16B(3, 2, 31)               \
	FMLA4S(3, 4, 6); FADD4S(5, 5, 3)                     \
	FMUL4S(7, 0, 0); FNEG4S(8, 7); FMLA4S(8, 0, 0)       \
	FMUL4S(7, 7, 26); FMUL4S(8, 8, 26); FNEG4S(7, 7)     \
	EXP(7, 9, 10, 11, 3)                                 \
	FMLS4S(7, 7, 8)                                      \
	FMUL4S(1, 7, 5)

// HSTEP(d, s): Vd = next coefficient (per lane, via TBL) + w*Vs, w in V4.
#define HSTEP(d, s) \
	VLD1.P 16(R5), [V2.S4]; TBL16B(d, 2, 31); FMLA4S(d, 4, s)

// LOADERF loads the exp constants and table rows 12, 13 into V12, V13.
#define LOADERF \
	LOADCONSTS                                           \
	MOVD $·erfcTab+192(SB), R6                           \
	VLD1 (R6), [V12.S4, V13.S4]

// func geluNEONasm(dst, x []float32)
TEXT ·geluNEONasm(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	LOADERF

gloop:
	CBZ    R2, gdone
	VLD1.P 16(R1), [V0.S4]
	VORR16B(14, 0, 0)

	// Small x >= 0: V15 = x/2 + y*K(y), y = x*x, with the sign of x (-0).
	MOVD $·erfcTab+256(SB), R6
	VLD1 (R6), [V2.S4, V3.S4]
	FMUL4S(4, 14, 14)
	DUPE4S(5, 2, 0)
	DUPE4S(6, 2, 1); FMLA4S(6, 4, 5)
	DUPE4S(5, 2, 2); FMLA4S(5, 4, 6)
	DUPE4S(6, 2, 3); FMLA4S(6, 4, 5)
	DUPE4S(5, 3, 0); FMLA4S(5, 4, 6)
	DUPE4S(6, 3, 1); FMLA4S(6, 4, 5)
	DUPE4S(5, 3, 2); FMLA4S(5, 4, 6)
	FMUL4S(15, 14, 26); FMLA4S(15, 4, 5)
	VAND16B(6, 14, 30); VORR16B(15, 15, 6)

	FABS4S(0, 0); DUPE4S(2, 12, 3); FMIN4S(0, 0, 2)
	ERFCG
	// x < 0: (x/2 * R) * exp(-x^2/2), the exponential last so that a
	// subnormal result rounds once; x >= 0: x/2 * (2 - E).
	FMUL4S(6, 14, 26)
	FMUL4S(8, 6, 5); FMUL4S(8, 8, 7)
	FSUB4S(9, 29, 1); FMUL4S(9, 6, 9)
	MOVD $·erfcTab+272(SB), R6
	VLD1 (R6), [V3.S4]
	DUPE4S(11, 3, 3); FCMGT4S(11, 11, 14)
	VBSL16B(11, 15, 9)
	FCMLTZ4S(3, 14); VBSL16B(3, 8, 11)
	VST1.P [V3.S4], 16(R0)
	SUB    $4, R2
	B      gloop

gdone:
	RET

// func erfNEONasm(dst, x []float32)
TEXT ·erfNEONasm(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R2
	MOVD x_base+24(FP), R1
	LOADERF

eloop:
	CBZ    R2, edone
	VLD1.P 16(R1), [V0.S4]
	VORR16B(14, 0, 0)

	// Small |s|: V15 = s*c0 + (s*z)*Q(z), z = s*s.
	MOVD $·erfcTab+224(SB), R6
	VLD1 (R6), [V2.S4, V3.S4]
	FMUL4S(4, 14, 14)
	DUPE4S(5, 2, 0)
	DUPE4S(6, 2, 1); FMLA4S(6, 4, 5)
	DUPE4S(5, 2, 2); FMLA4S(5, 4, 6)
	DUPE4S(6, 2, 3); FMLA4S(6, 4, 5)
	DUPE4S(5, 3, 0); FMLA4S(5, 4, 6)
	DUPE4S(6, 3, 1); FMLA4S(6, 4, 5)
	FMUL4S(4, 14, 4)
	FMUL4S(15, 4, 6)
	DUPE4S(5, 3, 2); FMLA4S(15, 14, 5)

	// Large |s|: V1 = 1 - E(min(sqrt(2)*|s|, 14.5)).
	FABS4S(0, 14); DUPE4S(2, 13, 2); FMUL4S(0, 0, 2)
	DUPE4S(2, 12, 3); FMIN4S(0, 0, 2)
	ERFCG
	FSUB4S(1, 27, 1)

	// Select by |s| < 0.875 and give the result the sign of s.
	FABS4S(2, 14); DUPE4S(3, 13, 3); FCMGT4S(4, 3, 2)
	VBSL16B(4, 15, 1)
	VAND16B(5, 14, 30); VORR16B(0, 4, 5)
	VST1.P [V0.S4], 16(R0)
	SUB    $4, R2
	B      eloop

edone:
	RET
