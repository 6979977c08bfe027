//go:build !purego

#include "textflag.h"

// AVX2+FMA log, softrelu, erf, gelu and softmax kernels; see
// vec_math_amd64.go for the declarations and the methods. Every loop runs
// 8 lanes per step; the last 1-7 elements go through the same code with a
// masked load and store (Y15 holds the mask there, so no body touches Y15).

// Scalar constants, broadcast where used.
DATA vmc<>+0(SB)/4, $0x3f800000  // 1
DATA vmc<>+4(SB)/4, $0x3f000000  // 0.5
DATA vmc<>+8(SB)/4, $0x40000000  // 2
DATA vmc<>+12(SB)/4, $0x80000000 // sign bit
DATA vmc<>+16(SB)/4, $0x7fffffff // abs mask
DATA vmc<>+20(SB)/4, $0x42b20000 // exp: upper clamp 89
DATA vmc<>+24(SB)/4, $0xc2d00000 // exp: lower clamp -104
DATA vmc<>+28(SB)/4, $0x3fb8aa3b // log2(e)
DATA vmc<>+32(SB)/4, $0x3f318000 // ln2 part 1 (0.693359375)
DATA vmc<>+36(SB)/4, $0xb95e8083 // ln2 part 2 (-2.12194440e-4)
DATA vmc<>+40(SB)/4, $0x3950696f // exp P0 1.9875691500e-4
DATA vmc<>+44(SB)/4, $0x3ab743ce // exp P1 1.3981999507e-3
DATA vmc<>+48(SB)/4, $0x3c088908 // exp P2 8.3334519073e-3
DATA vmc<>+52(SB)/4, $0x3d2aa9c1 // exp P3 4.1665795894e-2
DATA vmc<>+56(SB)/4, $0x3e2aaaaa // exp P4 1.6666665459e-1
DATA vmc<>+60(SB)/4, $0x3f000000 // exp P5 0.5
DATA vmc<>+64(SB)/4, $127        // exponent bias (integer)
DATA vmc<>+68(SB)/4, $0x00800000 // smallest normal float32
DATA vmc<>+72(SB)/4, $0x4c000000 // 2^25
DATA vmc<>+76(SB)/4, $25         // (integer)
DATA vmc<>+80(SB)/4, $0x3f3504f3 // bits of sqrt(1/2)
DATA vmc<>+84(SB)/4, $0x007fffff // mantissa mask
DATA vmc<>+88(SB)/4, $0x3f317200 // ln2 high part
DATA vmc<>+92(SB)/4, $0x35bfbe8e // ln2 - ln2 high part
DATA vmc<>+96(SB)/4, $0x3e3a2e8c // 2/11
DATA vmc<>+100(SB)/4, $0x3e638e39 // 2/9
DATA vmc<>+104(SB)/4, $0x3e924925 // 2/7
DATA vmc<>+108(SB)/4, $0x3ecccccd // 2/5
DATA vmc<>+112(SB)/4, $0x3f2aaaab // 2/3
DATA vmc<>+116(SB)/4, $0x7fc00000 // NaN
DATA vmc<>+120(SB)/4, $0x7f800000 // +Inf
DATA vmc<>+124(SB)/4, $0xff800000 // -Inf
DATA vmc<>+128(SB)/4, $0x41a00000 // 20
GLOBL vmc<>(SB), RODATA|NOPTR, $132

#define C_ONE vmc<>+0(SB)
#define C_HALF vmc<>+4(SB)
#define C_TWO vmc<>+8(SB)
#define C_SIGN vmc<>+12(SB)
#define C_ABS vmc<>+16(SB)
#define C_EXPHI vmc<>+20(SB)
#define C_EXPLO vmc<>+24(SB)
#define C_LOG2E vmc<>+28(SB)
#define C_LN2A vmc<>+32(SB)
#define C_LN2B vmc<>+36(SB)
#define C_P0 vmc<>+40(SB)
#define C_P1 vmc<>+44(SB)
#define C_P2 vmc<>+48(SB)
#define C_P3 vmc<>+52(SB)
#define C_P4 vmc<>+56(SB)
#define C_P5 vmc<>+60(SB)
#define C_BIAS vmc<>+64(SB)
#define C_MINNORM vmc<>+68(SB)
#define C_TWO25 vmc<>+72(SB)
#define C_INT25 vmc<>+76(SB)
#define C_SQRTHALF vmc<>+80(SB)
#define C_MANT vmc<>+84(SB)
#define C_LN2HI vmc<>+88(SB)
#define C_LN2LO vmc<>+92(SB)
#define C_R5 vmc<>+96(SB)
#define C_R4 vmc<>+100(SB)
#define C_R3 vmc<>+104(SB)
#define C_R2 vmc<>+108(SB)
#define C_R1 vmc<>+112(SB)
#define C_NAN vmc<>+116(SB)
#define C_INF vmc<>+120(SB)
#define C_NEGINF vmc<>+124(SB)
#define C_TWENTY vmc<>+128(SB)

// tailMask: eight all-ones lanes then eight zero lanes; the 8 lanes at
// tailMask+32-4r enable the first r.
DATA tailMask<>+0(SB)/8, $-1
DATA tailMask<>+8(SB)/8, $-1
DATA tailMask<>+16(SB)/8, $-1
DATA tailMask<>+24(SB)/8, $-1
DATA tailMask<>+32(SB)/8, $0
DATA tailMask<>+40(SB)/8, $0
DATA tailMask<>+48(SB)/8, $0
DATA tailMask<>+56(SB)/8, $0
GLOBL tailMask<>(SB), RODATA|NOPTR, $64

// erfTab rows of four lanes (16 bytes), one lane per erfc interval
// [0,1.5), [1.5,3.5), [3.5,7), [7,14.5]; the same values as the NEON table
// (vec_erf_arm64.s): 0 interval centres; 1..11 coefficients of
// R(a) = erfc(a/sqrt2)·e^(a²/2) in a-centre, highest degree first; 12 the
// bounds 1.5, 3.5, 7 and the clamp 14.5; 13 (unused, unused, sqrt2, the
// erf threshold 0.875); 14..15 the six coefficients of erf's Q (highest
// first) then c0 = 2/sqrtπ; 16..17 the seven coefficients of gelu's K
// (highest first) then its threshold 0.875·sqrt2; 18 the rounding errors of
// row 11. 16 bytes of padding let VPERMPS read 32 bytes at row 18.
DATA erfTab<>+0(SB)/4, $0x3f400000
DATA erfTab<>+4(SB)/4, $0x40200000
DATA erfTab<>+8(SB)/4, $0x40a80000
DATA erfTab<>+12(SB)/4, $0x412c0000
DATA erfTab<>+16(SB)/4, $0x37f318dc
DATA erfTab<>+20(SB)/4, $0x34b306a3
DATA erfTab<>+24(SB)/4, $0x3107e99d
DATA erfTab<>+28(SB)/4, $0x2c49136b
DATA erfTab<>+32(SB)/4, $0xb8df8524
DATA erfTab<>+36(SB)/4, $0xb5d5fa11
DATA erfTab<>+40(SB)/4, $0xb2698c26
DATA erfTab<>+44(SB)/4, $0xae136de6
DATA erfTab<>+48(SB)/4, $0x39ad85a8
DATA erfTab<>+52(SB)/4, $0x36d967aa
DATA erfTab<>+56(SB)/4, $0x33a179f5
DATA erfTab<>+60(SB)/4, $0x2f9a0083
DATA erfTab<>+64(SB)/4, $0xba9037b4
DATA erfTab<>+68(SB)/4, $0xb7f1ea4e
DATA erfTab<>+72(SB)/4, $0xb504e487
DATA erfTab<>+76(SB)/4, $0xb15d9c72
DATA erfTab<>+80(SB)/4, $0x3b64cf44
DATA erfTab<>+84(SB)/4, $0x3902c092
DATA erfTab<>+88(SB)/4, $0x3659ed09
DATA erfTab<>+92(SB)/4, $0x3324fd53
DATA erfTab<>+96(SB)/4, $0xbc29dbcb
DATA erfTab<>+100(SB)/4, $0xba06fc81
DATA erfTab<>+104(SB)/4, $0xb7ac85da
DATA erfTab<>+108(SB)/4, $0xb4ea5699
DATA erfTab<>+112(SB)/4, $0x3ceb4621
DATA erfTab<>+116(SB)/4, $0x3b0560f7
DATA erfTab<>+120(SB)/4, $0x39059606
DATA erfTab<>+124(SB)/4, $0x36a4dfb2
DATA erfTab<>+128(SB)/4, $0xbd964239
DATA erfTab<>+132(SB)/4, $0xbbfb138f
DATA erfTab<>+136(SB)/4, $0xba4a467b
DATA erfTab<>+140(SB)/4, $0xb866af80
DATA erfTab<>+144(SB)/4, $0x3e2dfbf9
DATA erfTab<>+148(SB)/4, $0x3cdf9ccf
DATA erfTab<>+152(SB)/4, $0x3b957145
DATA erfTab<>+156(SB)/4, $0x3a20266b
DATA erfTab<>+160(SB)/4, $0xbeb1f039
DATA erfTab<>+164(SB)/4, $0xbdbad5b2
DATA erfTab<>+168(SB)/4, $0xbcd71b4e
DATA erfTab<>+172(SB)/4, $0xbbdc9bca
DATA erfTab<>+176(SB)/4, $0x3f19b812
DATA erfTab<>+180(SB)/4, $0x3e90b929
DATA erfTab<>+184(SB)/4, $0x3e1680ff
DATA erfTab<>+188(SB)/4, $0x3d96b943
DATA erfTab<>+192(SB)/4, $0x3fc00000
DATA erfTab<>+196(SB)/4, $0x40600000
DATA erfTab<>+200(SB)/4, $0x40e00000
DATA erfTab<>+204(SB)/4, $0x41680000
DATA erfTab<>+208(SB)/4, $0x04040404
DATA erfTab<>+212(SB)/4, $0x03020100
DATA erfTab<>+216(SB)/4, $0x3fb504f3
DATA erfTab<>+220(SB)/4, $0x3f600000
DATA erfTab<>+224(SB)/4, $0x38bf1c14
DATA erfTab<>+228(SB)/4, $0xba59c7f0
DATA erfTab<>+232(SB)/4, $0x3baadfb3
DATA erfTab<>+236(SB)/4, $0xbcdc12fb
DATA erfTab<>+240(SB)/4, $0x3de71782
DATA erfTab<>+244(SB)/4, $0xbec093a3
DATA erfTab<>+248(SB)/4, $0x3f906ebb
DATA erfTab<>+252(SB)/4, $0x00000000
DATA erfTab<>+256(SB)/4, $0x3500ded1
DATA erfTab<>+260(SB)/4, $0xb71844b6
DATA erfTab<>+264(SB)/4, $0x38f14cb2
DATA erfTab<>+268(SB)/4, $0xba9b9981
DATA erfTab<>+272(SB)/4, $0x3c2367ec
DATA erfTab<>+276(SB)/4, $0xbd882c1b
DATA erfTab<>+280(SB)/4, $0x3ecc422a
DATA erfTab<>+284(SB)/4, $0x3f9e6455
DATA erfTab<>+288(SB)/4, $0xb284359e
DATA erfTab<>+292(SB)/4, $0x3145c02e
DATA erfTab<>+296(SB)/4, $0x31c27391
DATA erfTab<>+300(SB)/4, $0x2f637a4d
DATA erfTab<>+304(SB)/8, $0
DATA erfTab<>+312(SB)/8, $0
GLOBL erfTab<>(SB), RODATA|NOPTR, $320

// TAILMASK sets R8 to the tail mask for the CX-AX (1..7) last elements and
// loads it into Y15.
#define TAILMASK \
	MOVQ CX, R9 \
	SUBQ AX, R9 \
	SHLQ $2, R9 \
	LEAQ tailMask<>+32(SB), R8 \
	SUBQ R9, R8 \
	VMOVDQU (R8), Y15

// EXP(x, n, r, p, t): x = e^x (NaN stays NaN, overflow gives +Inf, results
// below the float32 range round correctly through two scalings by 2^(k/2)).
// Cody-Waite reduction r = x - k·ln2 in two parts, e^r = 1 + r + r²·P(r).
#define EXP(x, n, r, p, t) \
	VBROADCASTSS C_EXPHI, t \
	VMINPS       x, t, r \
	VBROADCASTSS C_EXPLO, t \
	VMAXPS       r, t, r \
	VBROADCASTSS C_LOG2E, t \
	VMULPS       t, r, n \
	VROUNDPS     $0, n, n \
	VBROADCASTSS C_LN2A, t \
	VFNMADD231PS t, n, r \
	VBROADCASTSS C_LN2B, t \
	VFNMADD231PS t, n, r \
	VBROADCASTSS C_P0, p \
	VBROADCASTSS C_P1, t \
	VFMADD213PS  t, r, p \
	VBROADCASTSS C_P2, t \
	VFMADD213PS  t, r, p \
	VBROADCASTSS C_P3, t \
	VFMADD213PS  t, r, p \
	VBROADCASTSS C_P4, t \
	VFMADD213PS  t, r, p \
	VBROADCASTSS C_P5, t \
	VFMADD213PS  t, r, p \
	VMULPS       r, r, t \
	VFMADD213PS  r, t, p \
	VBROADCASTSS C_ONE, t \
	VADDPS       t, p, p \
	VCVTPS2DQ    n, n \
	VPSRAD       $1, n, t \
	VPSUBD       t, n, n \
	VPBROADCASTD C_BIAS, r \
	VPADDD       r, t, t \
	VPADDD       r, n, n \
	VPSLLD       $23, t, t \
	VPSLLD       $23, n, n \
	VMULPS       t, p, p \
	VMULPS       n, p, x

// LOG(x, a, b, c, d, e, g): x = ln x; a..g are scratch.
#define LOG(x, a, b, c, d, e, g) \
	VBROADCASTSS C_MINNORM, a \
	VCMPPS       $1, a, x, a \
	VBROADCASTSS C_TWO25, b \
	VMULPS       b, x, b \
	VBLENDVPS    a, b, x, b \
	VPBROADCASTD C_INT25, c \
	VANDPS       c, a, c \
	VPBROADCASTD C_SQRTHALF, d \
	VPSUBD       d, b, b \
	VPSRAD       $23, b, e \
	VPSUBD       c, e, e \
	VCVTDQ2PS    e, e \
	VPBROADCASTD C_MANT, c \
	VPAND        c, b, b \
	VPADDD       d, b, b \
	VBROADCASTSS C_ONE, c \
	VSUBPS       c, b, b \
	VBROADCASTSS C_TWO, a \
	VADDPS       a, b, a \
	VDIVPS       a, b, a \
	VMULPS       a, a, c \
	VBROADCASTSS C_R5, d \
	VBROADCASTSS C_R4, g \
	VFMADD213PS  g, c, d \
	VBROADCASTSS C_R3, g \
	VFMADD213PS  g, c, d \
	VBROADCASTSS C_R2, g \
	VFMADD213PS  g, c, d \
	VBROADCASTSS C_R1, g \
	VFMADD213PS  g, c, d \
	VMULPS       c, d, d \
	VMULPS       b, b, c \
	VBROADCASTSS C_HALF, g \
	VMULPS       g, c, c \
	VADDPS       c, d, d \
	VMULPS       a, d, d \
	VBROADCASTSS C_LN2LO, g \
	VFMADD231PS  g, e, d \
	VSUBPS       d, c, c \
	VSUBPS       b, c, c \
	VBROADCASTSS C_LN2HI, g \
	VMULPS       g, e, a \
	VSUBPS       c, a, a \
	VXORPS       b, b, b \
	VCMPPS       $0x0e, b, x, c \
	VBROADCASTSS C_NAN, g \
	VBLENDVPS    c, a, g, a \
	VBROADCASTSS C_INF, g \
	VCMPPS       $0, g, x, c \
	VBLENDVPS    c, g, a, a \
	VCMPPS       $0, b, x, c \
	VBROADCASTSS C_NEGINF, g \
	VBLENDVPS    c, g, a, x

// ERFC(a, m, t, idx, w, p, rr, ee): for a in [0, 14.5] (or NaN), rr = R(a)
// and ee = e^(-a²/2), so that erfc(a/sqrt2) = rr·ee. The interval index
// (number of bounds <= a) selects each lane's centre and coefficients with
// VPERMPS; a² = h + l exactly (FMA) and e^(-h/2-l/2) = e^(-h/2)·(1-l/2).
#define ERFC(a, m, t, idx, w, p, rr, ee) \
	VBROADCASTSS erfTab<>+192(SB), t \
	VCMPPS       $0x0d, t, a, m \
	VBROADCASTSS erfTab<>+196(SB), t \
	VCMPPS       $0x0d, t, a, t \
	VPADDD       t, m, m \
	VBROADCASTSS erfTab<>+200(SB), t \
	VCMPPS       $0x0d, t, a, t \
	VPADDD       t, m, m \
	VPXOR        idx, idx, idx \
	VPSUBD       m, idx, idx \
	LEAQ         erfTab<>(SB), R10 \
	VPERMPS      (R10), idx, t \
	VSUBPS       t, a, w \
	VPERMPS      16(R10), idx, p \
	VPERMPS      32(R10), idx, t \
	VFMADD213PS  t, w, p \
	VPERMPS      48(R10), idx, t \
	VFMADD213PS  t, w, p \
	VPERMPS      64(R10), idx, t \
	VFMADD213PS  t, w, p \
	VPERMPS      80(R10), idx, t \
	VFMADD213PS  t, w, p \
	VPERMPS      96(R10), idx, t \
	VFMADD213PS  t, w, p \
	VPERMPS      112(R10), idx, t \
	VFMADD213PS  t, w, p \
	VPERMPS      128(R10), idx, t \
	VFMADD213PS  t, w, p \
	VPERMPS      144(R10), idx, t \
	VFMADD213PS  t, w, p \
	VPERMPS      160(R10), idx, t \
	VFMADD213PS  t, w, p \
	VPERMPS      176(R10), idx, rr \
	VPERMPS      288(R10), idx, t \
	VFMADD231PS  p, w, t \
	VADDPS       t, rr, rr \
	VMULPS       a, a, ee \
	VMOVAPS      a, t \
	VFMSUB213PS  ee, a, t \
	VBROADCASTSS C_HALF, w \
	VMULPS       w, t, t \
	VMULPS       w, ee, ee \
	VBROADCASTSS C_SIGN, w \
	VXORPS       w, ee, ee \
	EXP(ee, idx, w, p, m) \
	VFNMADD231PS t, ee, ee

// SOFTRELU: Y0 = Y0 > 20 ? Y0 : max(Y0,0) + log1p(e^-|Y0|);
// uses Y1..Y10.
#define SOFTRELU \
	VBROADCASTSS C_ABS, Y1 \
	VANDPS       Y1, Y0, Y1 \
	VBROADCASTSS C_SIGN, Y2 \
	VXORPS       Y2, Y1, Y1 \
	EXP(Y1, Y2, Y3, Y4, Y5) \
	VBROADCASTSS C_ONE, Y2 \
	VADDPS       Y2, Y1, Y6 \
	VSUBPS       Y2, Y6, Y7 \
	VSUBPS       Y7, Y1, Y7 \
	VDIVPS       Y6, Y7, Y7 \
	LOG(Y6, Y1, Y2, Y3, Y4, Y5, Y8) \
	VADDPS       Y7, Y6, Y6 \
	VXORPS       Y2, Y2, Y2 \
	VMAXPS       Y0, Y2, Y3 \
	VADDPS       Y6, Y3, Y3 \
	VBROADCASTSS C_TWENTY, Y2 \
	VCMPPS       $0x0e, Y2, Y0, Y2 \
	VBLENDVPS    Y2, Y0, Y3, Y0

// ERF: Y0 = erf(Y0); uses Y1..Y10.
#define ERF \
	VMULPS       Y0, Y0, Y1 \
	VBROADCASTSS erfTab<>+224(SB), Y2 \
	VBROADCASTSS erfTab<>+228(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS erfTab<>+232(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS erfTab<>+236(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS erfTab<>+240(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS erfTab<>+244(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VMULPS       Y1, Y0, Y1 \
	VMULPS       Y2, Y1, Y1 \
	VBROADCASTSS erfTab<>+248(SB), Y3 \
	VFMADD231PS  Y3, Y0, Y1 \
	VBROADCASTSS C_ABS, Y2 \
	VANDPS       Y2, Y0, Y2 \
	VBROADCASTSS erfTab<>+216(SB), Y3 \
	VMULPS       Y3, Y2, Y3 \
	VBROADCASTSS erfTab<>+204(SB), Y4 \
	VMINPS       Y3, Y4, Y3 \
	ERFC(Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10) \
	VMULPS       Y9, Y10, Y9 \
	VBROADCASTSS C_ONE, Y4 \
	VSUBPS       Y9, Y4, Y9 \
	VBROADCASTSS erfTab<>+220(SB), Y4 \
	VCMPPS       $1, Y4, Y2, Y4 \
	VBLENDVPS    Y4, Y1, Y9, Y1 \
	VBROADCASTSS C_SIGN, Y4 \
	VANDPS       Y4, Y0, Y4 \
	VORPS        Y4, Y1, Y0

// GELU: Y0 = gelu(Y0); uses Y1..Y12.
#define GELU \
	VMULPS       Y0, Y0, Y1 \
	VBROADCASTSS erfTab<>+256(SB), Y2 \
	VBROADCASTSS erfTab<>+260(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS erfTab<>+264(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS erfTab<>+268(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS erfTab<>+272(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS erfTab<>+276(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS erfTab<>+280(SB), Y3 \
	VFMADD213PS  Y3, Y1, Y2 \
	VBROADCASTSS C_HALF, Y3 \
	VMULPS       Y3, Y0, Y11 \
	VFMADD213PS  Y11, Y1, Y2 \
	VBROADCASTSS C_SIGN, Y3 \
	VANDPS       Y3, Y0, Y3 \
	VORPS        Y3, Y2, Y12 \
	VBROADCASTSS C_ABS, Y2 \
	VANDPS       Y2, Y0, Y3 \
	VBROADCASTSS erfTab<>+204(SB), Y4 \
	VMINPS       Y3, Y4, Y3 \
	ERFC(Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10) \
	VMULPS       Y9, Y11, Y1 \
	VMULPS       Y10, Y1, Y1 \
	VMULPS       Y10, Y9, Y9 \
	VBROADCASTSS C_TWO, Y4 \
	VSUBPS       Y9, Y4, Y9 \
	VMULPS       Y9, Y11, Y9 \
	VBROADCASTSS erfTab<>+284(SB), Y4 \
	VCMPPS       $1, Y4, Y0, Y4 \
	VBLENDVPS    Y4, Y12, Y9, Y9 \
	VXORPS       Y4, Y4, Y4 \
	VCMPPS       $1, Y4, Y0, Y4 \
	VBLENDVPS    Y4, Y1, Y9, Y0

#define LOGBODY LOG(Y0, Y1, Y2, Y3, Y4, Y5, Y6)

// func logAVX2(dst, x []float32)
TEXT ·logAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ CX, BX
	ANDQ $-8, BX
	XORQ AX, AX
logAVX2_loop:
	CMPQ AX, BX
	JGE  logAVX2_tail
	VMOVUPS (SI)(AX*4), Y0
	LOG(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP  logAVX2_loop
logAVX2_tail:
	CMPQ AX, CX
	JGE  logAVX2_done
	TAILMASK
	VMASKMOVPS (SI)(AX*4), Y15, Y0
	LOG(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VMASKMOVPS Y0, Y15, (DI)(AX*4)
logAVX2_done:
	VZEROUPPER
	RET

// func softReluAVX2(dst, x []float32)
TEXT ·softReluAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ CX, BX
	ANDQ $-8, BX
	XORQ AX, AX
softReluAVX2_loop:
	CMPQ AX, BX
	JGE  softReluAVX2_tail
	VMOVUPS (SI)(AX*4), Y0
	SOFTRELU
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP  softReluAVX2_loop
softReluAVX2_tail:
	CMPQ AX, CX
	JGE  softReluAVX2_done
	TAILMASK
	VMASKMOVPS (SI)(AX*4), Y15, Y0
	SOFTRELU
	VMASKMOVPS Y0, Y15, (DI)(AX*4)
softReluAVX2_done:
	VZEROUPPER
	RET

// func erfAVX2(dst, x []float32)
TEXT ·erfAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ CX, BX
	ANDQ $-8, BX
	XORQ AX, AX
erfAVX2_loop:
	CMPQ AX, BX
	JGE  erfAVX2_tail
	VMOVUPS (SI)(AX*4), Y0
	ERF
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP  erfAVX2_loop
erfAVX2_tail:
	CMPQ AX, CX
	JGE  erfAVX2_done
	TAILMASK
	VMASKMOVPS (SI)(AX*4), Y15, Y0
	ERF
	VMASKMOVPS Y0, Y15, (DI)(AX*4)
erfAVX2_done:
	VZEROUPPER
	RET

// func geluAVX2(dst, x []float32)
TEXT ·geluAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	MOVQ CX, BX
	ANDQ $-8, BX
	XORQ AX, AX
geluAVX2_loop:
	CMPQ AX, BX
	JGE  geluAVX2_tail
	VMOVUPS (SI)(AX*4), Y0
	GELU
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP  geluAVX2_loop
geluAVX2_tail:
	CMPQ AX, CX
	JGE  geluAVX2_done
	TAILMASK
	VMASKMOVPS (SI)(AX*4), Y15, Y0
	GELU
	VMASKMOVPS Y0, Y15, (DI)(AX*4)
geluAVX2_done:
	VZEROUPPER
	RET

// func softmaxExpAVX2(dst, x []float32, m, s float32) float64
TEXT ·softmaxExpAVX2(SB), NOSPLIT, $0-64
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	VBROADCASTSS m+48(FP), Y11
	VBROADCASTSS s+52(FP), Y12
	VXORPD Y13, Y13, Y13
	VXORPD Y14, Y14, Y14
	MOVQ CX, BX
	ANDQ $-8, BX
	XORQ AX, AX
smx_loop:
	CMPQ AX, BX
	JGE  smx_tail
	VMOVUPS (SI)(AX*4), Y0
	VSUBPS Y11, Y0, Y0
	VMULPS Y12, Y0, Y0
	EXP(Y0, Y1, Y2, Y3, Y4)
	VMOVUPS Y0, (DI)(AX*4)
	VCVTPS2PD X0, Y1
	VADDPD Y1, Y13, Y13
	VEXTRACTF128 $1, Y0, X1
	VCVTPS2PD X1, Y1
	VADDPD Y1, Y14, Y14
	ADDQ $8, AX
	JMP  smx_loop
smx_tail:
	CMPQ AX, CX
	JGE  smx_done
	TAILMASK
	VMASKMOVPS (SI)(AX*4), Y15, Y0
	VSUBPS Y11, Y0, Y0
	VMULPS Y12, Y0, Y0
	EXP(Y0, Y1, Y2, Y3, Y4)
	VANDPS Y15, Y0, Y0
	VMASKMOVPS Y0, Y15, (DI)(AX*4)
	VCVTPS2PD X0, Y1
	VADDPD Y1, Y13, Y13
	VEXTRACTF128 $1, Y0, X1
	VCVTPS2PD X1, Y1
	VADDPD Y1, Y14, Y14
smx_done:
	VADDPD Y14, Y13, Y13
	VEXTRACTF128 $1, Y13, X1
	VADDPD X1, X13, X13
	VUNPCKHPD X13, X13, X1
	VADDSD X1, X13, X13
	VMOVSD X13, ret+56(FP)
	VZEROUPPER
	RET

// func expSumAVX2(x []float32, m, s float32) float64
TEXT ·expSumAVX2(SB), NOSPLIT, $0-40
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	VBROADCASTSS m+24(FP), Y11
	VBROADCASTSS s+28(FP), Y12
	VXORPD Y13, Y13, Y13
	VXORPD Y14, Y14, Y14
	MOVQ CX, BX
	ANDQ $-8, BX
	XORQ AX, AX
esum_loop:
	CMPQ AX, BX
	JGE  esum_tail
	VMOVUPS (SI)(AX*4), Y0
	VSUBPS Y11, Y0, Y0
	VMULPS Y12, Y0, Y0
	EXP(Y0, Y1, Y2, Y3, Y4)
	VCVTPS2PD X0, Y1
	VADDPD Y1, Y13, Y13
	VEXTRACTF128 $1, Y0, X1
	VCVTPS2PD X1, Y1
	VADDPD Y1, Y14, Y14
	ADDQ $8, AX
	JMP  esum_loop
esum_tail:
	CMPQ AX, CX
	JGE  esum_done
	TAILMASK
	VMASKMOVPS (SI)(AX*4), Y15, Y0
	VSUBPS Y11, Y0, Y0
	VMULPS Y12, Y0, Y0
	EXP(Y0, Y1, Y2, Y3, Y4)
	VANDPS Y15, Y0, Y0
	VCVTPS2PD X0, Y1
	VADDPD Y1, Y13, Y13
	VEXTRACTF128 $1, Y0, X1
	VCVTPS2PD X1, Y1
	VADDPD Y1, Y14, Y14
esum_done:
	VADDPD Y14, Y13, Y13
	VEXTRACTF128 $1, Y13, X1
	VADDPD X1, X13, X13
	VUNPCKHPD X13, X13, X1
	VADDSD X1, X13, X13
	VMOVSD X13, ret+32(FP)
	VZEROUPPER
	RET

// func shiftScaleAVX2(dst, x []float32, m, s, c float64)
TEXT ·shiftScaleAVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	VBROADCASTSD m+48(FP), Y11
	VBROADCASTSD s+56(FP), Y12
	VBROADCASTSD c+64(FP), Y13
	MOVQ CX, BX
	ANDQ $-8, BX
	XORQ AX, AX
ss_loop:
	CMPQ AX, BX
	JGE  ss_tail
	VCVTPS2PD (SI)(AX*4), Y0
	VCVTPS2PD 16(SI)(AX*4), Y1
	VSUBPD Y11, Y0, Y0
	VSUBPD Y11, Y1, Y1
	VFMADD213PD Y13, Y12, Y0
	VFMADD213PD Y13, Y12, Y1
	VCVTPD2PSY Y0, X0
	VCVTPD2PSY Y1, X1
	VINSERTF128 $1, X1, Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP  ss_loop
ss_tail:
	CMPQ AX, CX
	JGE  ss_done
	VMOVSS (SI)(AX*4), X0
	VCVTSS2SD X0, X0, X0
	VSUBSD X11, X0, X0
	VFMADD213SD X13, X12, X0
	VCVTSD2SS X0, X0, X0
	VMOVSS X0, (DI)(AX*4)
	INCQ AX
	JMP  ss_tail
ss_done:
	VZEROUPPER
	RET
