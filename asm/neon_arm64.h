// NEON vector-float instructions that Go's arm64 assembler does not have,
// as WORD encodings. Operands are register numbers in ARM order
// (destination first); every macro works on all four float32 lanes (.4S).

// FADD Vd.4S, Vn.4S, Vm.4S
#define FADD4S(d, n, m) WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d))
// FSUB Vd.4S, Vn.4S, Vm.4S
#define FSUB4S(d, n, m) WORD $(0x4EA0D400 | ((m)<<16) | ((n)<<5) | (d))
// FMUL Vd.4S, Vn.4S, Vm.4S
#define FMUL4S(d, n, m) WORD $(0x6E20DC00 | ((m)<<16) | ((n)<<5) | (d))
// FDIV Vd.4S, Vn.4S, Vm.4S
#define FDIV4S(d, n, m) WORD $(0x6E20FC00 | ((m)<<16) | ((n)<<5) | (d))
// FMAX Vd.4S, Vn.4S, Vm.4S (NaN if either operand is NaN)
#define FMAX4S(d, n, m) WORD $(0x4E20F400 | ((m)<<16) | ((n)<<5) | (d))
// FMIN Vd.4S, Vn.4S, Vm.4S (NaN if either operand is NaN)
#define FMIN4S(d, n, m) WORD $(0x4EA0F400 | ((m)<<16) | ((n)<<5) | (d))
// FMLA Vd.4S, Vn.4S, Vm.4S: Vd += Vn*Vm, fused
#define FMLA4S(d, n, m) WORD $(0x4E20CC00 | ((m)<<16) | ((n)<<5) | (d))
// FMLS Vd.4S, Vn.4S, Vm.4S: Vd -= Vn*Vm, fused
#define FMLS4S(d, n, m) WORD $(0x4EA0CC00 | ((m)<<16) | ((n)<<5) | (d))
// FADDP Vd.4S, Vn.4S, Vm.4S (pairwise)
#define FADDP4S(d, n, m) WORD $(0x6E20D400 | ((m)<<16) | ((n)<<5) | (d))
// FCMGT Vd.4S, Vn.4S, Vm.4S: all-ones where Vn > Vm
#define FCMGT4S(d, n, m) WORD $(0x6EA0E400 | ((m)<<16) | ((n)<<5) | (d))
// FCMLT Vd.4S, Vn.4S, #0.0: all-ones where Vn < 0
#define FCMLTZ4S(d, n) WORD $(0x4EA0E800 | ((n)<<5) | (d))
// FABS Vd.4S, Vn.4S
#define FABS4S(d, n) WORD $(0x4EA0F800 | ((n)<<5) | (d))
// FNEG Vd.4S, Vn.4S
#define FNEG4S(d, n) WORD $(0x6EA0F800 | ((n)<<5) | (d))
// FRINTN Vd.4S, Vn.4S: round to nearest, ties to even
#define FRINTN4S(d, n) WORD $(0x4E218800 | ((n)<<5) | (d))
// FRINTM Vd.4S, Vn.4S: round toward minus infinity
#define FRINTM4S(d, n) WORD $(0x4E219800 | ((n)<<5) | (d))
// FCVTZS Vd.4S, Vn.4S: float to int32, toward zero
#define FCVTZS4S(d, n) WORD $(0x4EA1B800 | ((n)<<5) | (d))
// FADDP Sd, Vn.2S: sum of the two low lanes
#define FADDPS(d, n) WORD $(0x7E30D800 | ((n)<<5) | (d))
// FMAXV Sd, Vn.4S: maximum across lanes (NaN if any lane is NaN)
#define FMAXV4S(d, n) WORD $(0x6E30F800 | ((n)<<5) | (d))
// FMUL Vd.4S, Vn.4S, Vm.S[i] (by element)
#define FMULE4S(d, n, m, i) WORD $(0x4F809000 | ((m)<<16) | (((i)&1)<<21) | (((i)>>1)<<11) | ((n)<<5) | (d))
// FMLA Vd.4S, Vn.4S, Vm.S[i] (by element)
#define FMLAE4S(d, n, m, i) WORD $(0x4F801000 | ((m)<<16) | (((i)&1)<<21) | (((i)>>1)<<11) | ((n)<<5) | (d))
// FCMGT Vd.4S, Vn.4S, #0.0: all-ones where Vn > 0
#define FCMGTZ4S(d, n) WORD $(0x4EA0C800 | ((n)<<5) | (d))
// FMAXNM Vd.4S, Vn.4S, Vm.4S (the number if one operand is NaN)
#define FMAXNM4S(d, n, m) WORD $(0x4E20C400 | ((m)<<16) | ((n)<<5) | (d))

// Bitwise forms, encoded so that register numbers can be computed in
// macros (Go's V-register syntax cannot take an expression).

// AND Vd.16B, Vn.16B, Vm.16B
#define VAND16B(d, n, m) WORD $(0x4E201C00 | ((m)<<16) | ((n)<<5) | (d))
// ORR Vd.16B, Vn.16B, Vm.16B (MOV Vd, Vn when n == m)
#define VORR16B(d, n, m) WORD $(0x4EA01C00 | ((m)<<16) | ((n)<<5) | (d))
// BSL Vd.16B, Vn.16B, Vm.16B: Vd = Vd ? Vn : Vm, bitwise
#define VBSL16B(d, n, m) WORD $(0x6E601C00 | ((m)<<16) | ((n)<<5) | (d))
// BIF Vd.16B, Vn.16B, Vm.16B: Vd = Vm ? Vd : Vn, bitwise
#define VBIF16B(d, n, m) WORD $(0x6EE01C00 | ((m)<<16) | ((n)<<5) | (d))
// ADD Vd.4S, Vn.4S, Vm.4S (integer)
#define VADD4S(d, n, m) WORD $(0x4EA08400 | ((m)<<16) | ((n)<<5) | (d))
// SUB Vd.4S, Vn.4S, Vm.4S (integer)
#define VSUB4S(d, n, m) WORD $(0x6EA08400 | ((m)<<16) | ((n)<<5) | (d))
// SHL Vd.4S, Vn.4S, #s (integer)
#define VSHL4S(d, n, s) WORD $(0x4F005400 | ((32+(s))<<16) | ((n)<<5) | (d))
// SSHR Vd.4S, Vn.4S, #s (arithmetic shift right)
#define VSSHR4S(d, n, s) WORD $(0x4F000400 | ((64-(s))<<16) | ((n)<<5) | (d))
// SCVTF Vd.4S, Vn.4S: int32 to float
#define SCVTF4S(d, n) WORD $(0x4E21D800 | ((n)<<5) | (d))
// FCMEQ Vd.4S, Vn.4S, Vm.4S: all-ones where Vn == Vm
#define FCMEQ4S(d, n, m) WORD $(0x4E20E400 | ((m)<<16) | ((n)<<5) | (d))
// FCMEQ Vd.4S, Vn.4S, #0.0: all-ones where Vn == 0 (either sign)
#define FCMEQZ4S(d, n) WORD $(0x4EA0D800 | ((n)<<5) | (d))
// FCVTL Vd.4S, Vn.4H: the low four halves to float32, exact
#define FCVTL4S(d, n) WORD $(0x0E217800 | ((n)<<5) | (d))
// FCVTL2 Vd.4S, Vn.8H: the high four halves to float32, exact
#define FCVTL24S(d, n) WORD $(0x4E217800 | ((n)<<5) | (d))
// FCVTN Vd.4H, Vn.4S: float32 to half (current rounding mode), low half of Vd
#define FCVTN4H(d, n) WORD $(0x0E216800 | ((n)<<5) | (d))
// FCVTN2 Vd.8H, Vn.4S: float32 to half into the high half of Vd
#define FCVTN28H(d, n) WORD $(0x4E216800 | ((n)<<5) | (d))
// USHLL Vd.4S, Vn.4H, #0 (UXTL): zero-extend the low four halfwords
#define UXTL4S(d, n) WORD $(0x2F10A400 | ((n)<<5) | (d))
// USHLL2 Vd.4S, Vn.8H, #0 (UXTL2): zero-extend the high four halfwords
#define UXTL24S(d, n) WORD $(0x6F10A400 | ((n)<<5) | (d))
// CMEQ Vd.4S, Vn.4S, Vm.4S (integer)
#define CMEQ4S(d, n, m) WORD $(0x6EA08C00 | ((m)<<16) | ((n)<<5) | (d))
// CMTST Vd.4S, Vn.4S, Vm.4S: all-ones where (Vn & Vm) != 0
#define CMTST4S(d, n, m) WORD $(0x4EA08C00 | ((m)<<16) | ((n)<<5) | (d))
// FCMGE Vd.4S, Vn.4S, Vm.4S: all-ones where Vn >= Vm
#define FCMGE4S(d, n, m) WORD $(0x6E20E400 | ((m)<<16) | ((n)<<5) | (d))
// DUP Vd.4S, Vn.S[i]: broadcast one lane
#define DUPE4S(d, n, i) WORD $(0x4E040400 | ((i)<<19) | ((n)<<5) | (d))
// TBL Vd.16B, {Vn.16B}, Vm.16B: byte table lookup (0 for indices >= 16)
#define TBL16B(d, n, m) WORD $(0x4E000000 | ((m)<<16) | ((n)<<5) | (d))
