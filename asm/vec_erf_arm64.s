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

// neonErfcTab rows (16 bytes each): 0 interval centres; 1..11 coefficients of R,
// highest degree first, one lane per interval; 12 interval bounds 1.5, 3.5,
// 7 and the clamp 14.5; 13 TBL helpers 0x04040404 and 0x03020100, sqrt(2),
// the erf threshold 0.875; 14..15 Q's six coefficients (highest degree
// first), then c0; 16..17 K's seven coefficients (highest first), then the
// Gelu threshold 0.875*sqrt(2); 18 the rounding errors of row 11 (R's
// constant terms), added before them so the sum rounds once.
DATA ·neonErfcTab+0(SB)/4, $0x3f400000
DATA ·neonErfcTab+4(SB)/4, $0x40200000
DATA ·neonErfcTab+8(SB)/4, $0x40a80000
DATA ·neonErfcTab+12(SB)/4, $0x412c0000
DATA ·neonErfcTab+16(SB)/4, $0x37f318dc
DATA ·neonErfcTab+20(SB)/4, $0x34b306a3
DATA ·neonErfcTab+24(SB)/4, $0x3107e99d
DATA ·neonErfcTab+28(SB)/4, $0x2c49136b
DATA ·neonErfcTab+32(SB)/4, $0xb8df8524
DATA ·neonErfcTab+36(SB)/4, $0xb5d5fa11
DATA ·neonErfcTab+40(SB)/4, $0xb2698c26
DATA ·neonErfcTab+44(SB)/4, $0xae136de6
DATA ·neonErfcTab+48(SB)/4, $0x39ad85a8
DATA ·neonErfcTab+52(SB)/4, $0x36d967aa
DATA ·neonErfcTab+56(SB)/4, $0x33a179f5
DATA ·neonErfcTab+60(SB)/4, $0x2f9a0083
DATA ·neonErfcTab+64(SB)/4, $0xba9037b4
DATA ·neonErfcTab+68(SB)/4, $0xb7f1ea4e
DATA ·neonErfcTab+72(SB)/4, $0xb504e487
DATA ·neonErfcTab+76(SB)/4, $0xb15d9c72
DATA ·neonErfcTab+80(SB)/4, $0x3b64cf44
DATA ·neonErfcTab+84(SB)/4, $0x3902c092
DATA ·neonErfcTab+88(SB)/4, $0x3659ed09
DATA ·neonErfcTab+92(SB)/4, $0x3324fd53
DATA ·neonErfcTab+96(SB)/4, $0xbc29dbcb
DATA ·neonErfcTab+100(SB)/4, $0xba06fc81
DATA ·neonErfcTab+104(SB)/4, $0xb7ac85da
DATA ·neonErfcTab+108(SB)/4, $0xb4ea5699
DATA ·neonErfcTab+112(SB)/4, $0x3ceb4621
DATA ·neonErfcTab+116(SB)/4, $0x3b0560f7
DATA ·neonErfcTab+120(SB)/4, $0x39059606
DATA ·neonErfcTab+124(SB)/4, $0x36a4dfb2
DATA ·neonErfcTab+128(SB)/4, $0xbd964239
DATA ·neonErfcTab+132(SB)/4, $0xbbfb138f
DATA ·neonErfcTab+136(SB)/4, $0xba4a467b
DATA ·neonErfcTab+140(SB)/4, $0xb866af80
DATA ·neonErfcTab+144(SB)/4, $0x3e2dfbf9
DATA ·neonErfcTab+148(SB)/4, $0x3cdf9ccf
DATA ·neonErfcTab+152(SB)/4, $0x3b957145
DATA ·neonErfcTab+156(SB)/4, $0x3a20266b
DATA ·neonErfcTab+160(SB)/4, $0xbeb1f039
DATA ·neonErfcTab+164(SB)/4, $0xbdbad5b2
DATA ·neonErfcTab+168(SB)/4, $0xbcd71b4e
DATA ·neonErfcTab+172(SB)/4, $0xbbdc9bca
DATA ·neonErfcTab+176(SB)/4, $0x3f19b812
DATA ·neonErfcTab+180(SB)/4, $0x3e90b929
DATA ·neonErfcTab+184(SB)/4, $0x3e1680ff
DATA ·neonErfcTab+188(SB)/4, $0x3d96b943
DATA ·neonErfcTab+192(SB)/4, $0x3fc00000
DATA ·neonErfcTab+196(SB)/4, $0x40600000
DATA ·neonErfcTab+200(SB)/4, $0x40e00000
DATA ·neonErfcTab+204(SB)/4, $0x41680000
DATA ·neonErfcTab+208(SB)/4, $0x04040404
DATA ·neonErfcTab+212(SB)/4, $0x03020100
DATA ·neonErfcTab+216(SB)/4, $0x3fb504f3
DATA ·neonErfcTab+220(SB)/4, $0x3f600000
DATA ·neonErfcTab+224(SB)/4, $0x38bf1c14
DATA ·neonErfcTab+228(SB)/4, $0xba59c7f0
DATA ·neonErfcTab+232(SB)/4, $0x3baadfb3
DATA ·neonErfcTab+236(SB)/4, $0xbcdc12fb
DATA ·neonErfcTab+240(SB)/4, $0x3de71782
DATA ·neonErfcTab+244(SB)/4, $0xbec093a3
DATA ·neonErfcTab+248(SB)/4, $0x3f906ebb
DATA ·neonErfcTab+252(SB)/4, $0x00000000
DATA ·neonErfcTab+256(SB)/4, $0x3500ded1
DATA ·neonErfcTab+260(SB)/4, $0xb71844b6
DATA ·neonErfcTab+264(SB)/4, $0x38f14cb2
DATA ·neonErfcTab+268(SB)/4, $0xba9b9981
DATA ·neonErfcTab+272(SB)/4, $0x3c2367ec
DATA ·neonErfcTab+276(SB)/4, $0xbd882c1b
DATA ·neonErfcTab+280(SB)/4, $0x3ecc422a
DATA ·neonErfcTab+284(SB)/4, $0x3f9e6455
DATA ·neonErfcTab+288(SB)/4, $0xb284359e
DATA ·neonErfcTab+292(SB)/4, $0x3145c02e
DATA ·neonErfcTab+296(SB)/4, $0x31c27391
DATA ·neonErfcTab+300(SB)/4, $0x2f637a4d
GLOBL ·neonErfcTab(SB), RODATA|NOPTR, $304

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
	MOVD   $·neonErfcTab(SB), R5                             \
	VLD1.P 16(R5), [V2.S4]                               \
	TBL16B(3, 2, 31); FSUB4S(4, 0, 3)                    \
	VLD1.P 16(R5), [V2.S4]                               \
	TBL16B(5, 2, 31)                                     \
	HSTEP(6, 5); HSTEP(5, 6); HSTEP(6, 5); HSTEP(5, 6)   \
	HSTEP(6, 5); HSTEP(5, 6); HSTEP(6, 5); HSTEP(5, 6)   \
	HSTEP(6, 5)                                          \
	VLD1.P 16(R5), [V2.S4]; TBL16B(5, 2, 31)             \
	MOVD   $·neonErfcTab+288(SB), R6                         \
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
	MOVD $·neonErfcTab+192(SB), R6                           \
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
	MOVD $·neonErfcTab+256(SB), R6
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
	MOVD $·neonErfcTab+272(SB), R6
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
	MOVD $·neonErfcTab+224(SB), R6
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
