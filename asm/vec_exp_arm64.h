// Shared macros of the exp-based NEON kernels (vec_math_arm64.s,
// vec_erf_arm64.s). Include after neon_arm64.h.

// exp(x): clamp x to [-110, 89] (outside, the float32 result is 0 or +Inf;
// NaN passes through the clamp), n = round(x*log2(e)),
// r = x - n*ln2 (Cody-Waite: ln2hi*n is exact for |n| < 512), |r| <= ln2/2,
// exp(r) by its degree-7 Taylor polynomial (truncation error < 0.1 ulp)
// evaluated with fused multiply-adds, then scaled by 2^n as 2^n1 * 2^n2 with
// n1 = floor(n/2), n2 = n-n1, so both factors are normal floats and only the
// final product rounds (this also gives correctly rounded subnormals).

// Constants, loaded once per call into V16..V30.
#define LOADCONSTS \
	MOVW $0xc2dc0000, R4; VDUP R4, V16.S4 /* -110, lower clamp */ \
	MOVW $0x42b20000, R4; VDUP R4, V17.S4 /* 89, upper clamp */   \
	MOVW $0x3fb8aa3b, R4; VDUP R4, V18.S4 /* log2(e) */           \
	MOVW $0x3f317200, R4; VDUP R4, V19.S4 /* ln2 high bits */     \
	MOVW $0x35bfbe8e, R4; VDUP R4, V20.S4 /* ln2 - ln2hi */       \
	MOVW $0x39500d01, R4; VDUP R4, V21.S4 /* 1/7! */              \
	MOVW $0x3ab60b61, R4; VDUP R4, V22.S4 /* 1/6! */              \
	MOVW $0x3c088889, R4; VDUP R4, V23.S4 /* 1/5! */              \
	MOVW $0x3d2aaaab, R4; VDUP R4, V24.S4 /* 1/4! */              \
	MOVW $0x3e2aaaab, R4; VDUP R4, V25.S4 /* 1/3! */              \
	MOVW $0x3f000000, R4; VDUP R4, V26.S4 /* 1/2 */               \
	MOVW $0x3f800000, R4; VDUP R4, V27.S4 /* 1 */                 \
	MOVW $127, R4; VDUP R4, V28.S4        /* exponent bias */     \
	MOVW $0x40000000, R4; VDUP R4, V29.S4 /* 2 */                 \
	MOVW $0x80000000, R4; VDUP R4, V30.S4 /* sign bit */

// REDUCE(y, n, r): n = round(y*log2(e)), r = y - n*ln2.
#define REDUCE(y, n, r) \
	FMUL4S(n, y, 18); FRINTN4S(n, n)                     \
	VORR16B(r, y, y); FMLS4S(r, n, 19); FMLS4S(r, n, 20)

// POLY(r, p, s): s = 1 + r/2! + r^2/3! + ... + r^6/7! by Horner's rule with
// fused steps: the degree-6 Taylor polynomial of (exp(r)-1)/r. p is scratch.
#define POLY(r, p, s) \
	VORR16B(p, 22, 22); FMLA4S(p, r, 21)                 \
	VORR16B(s, 23, 23); FMLA4S(s, r, p)                  \
	VORR16B(p, 24, 24); FMLA4S(p, r, s)                  \
	VORR16B(s, 25, 25); FMLA4S(s, r, p)                  \
	VORR16B(p, 26, 26); FMLA4S(p, r, s)                  \
	VORR16B(s, 27, 27); FMLA4S(s, r, p)

// SCALES(n, t): from n (integral floats, -160 < n < 130) make t = 2^floor(n/2)
// and n = 2^(n - floor(n/2)), as float bit patterns.
#define SCALES(n, t) \
	FMUL4S(t, n, 26); FRINTM4S(t, t); FSUB4S(n, n, t)    \
	FCVTZS4S(t, t); FCVTZS4S(n, n)                       \
	VADD4S(t, t, 28); VADD4S(n, n, 28)                   \
	VSHL4S(t, t, 23); VSHL4S(n, n, 23)

// EXP(x, n, r, p, s): x = exp(x); n, r, p, s are scratch.
#define EXP(x, n, r, p, s) \
	FMAX4S(x, x, 16); FMIN4S(x, x, 17)                   \
	REDUCE(x, n, r)                                      \
	POLY(r, p, s)                                        \
	VORR16B(p, 27, 27); FMLA4S(p, r, s)                  \
	SCALES(n, r)                                         \
	FMUL4S(x, p, r); FMUL4S(x, x, n)

