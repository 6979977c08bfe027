#!/usr/bin/env python3
"""Generates asm/conv_dw_amd64.s: the 3x3 depthwise row kernels
dwRow9AVX2 and dwRow9AVX512 (see asm/conv_dw.go for the semantics).

Usage: python3 conv_dw_amd64.py OUT.s
"""
import sys

PTRS = ["SI", "DX", "R8", "R9", "R10", "R11", "R12", "R13", "BX"]


def prologue(out, name, reg):
    out.append(f"// func {name}(dst []float32, src *[9][]float32, w *[9]float32, bias float32)")
    out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-44")
    out.append("\tMOVQ dst_base+0(FP), DI")
    out.append("\tMOVQ dst_len+8(FP), CX")
    out.append("\tMOVQ w+32(FP), AX")
    for t in range(9):
        out.append(f"\tVBROADCASTSS {4*t}(AX), {reg}{t}")
    out.append(f"\tVBROADCASTSS bias+40(FP), {reg}9")
    out.append("\tMOVQ src+24(FP), AX")
    # BX is the array pointer until the last load replaces it.
    out.append("\tMOVQ AX, BX")
    for t, r in enumerate(PTRS):
        out.append(f"\tMOVQ {24*t}(BX), {r}")
    out.append("\tXORQ AX, AX")


def fmas(out, reg, acc, off, mask=""):
    for t, r in enumerate(PTRS):
        out.append(f"\tVFMADD231PS {off}({r})(AX*4), {reg}{t}, {mask}{reg}{acc}")


def gen_avx512(out):
    name = "dwRow9AVX512"
    prologue(out, name, "Z")
    out.append(f"{name}_loop32:")
    out.append("\tLEAQ 32(AX), R15")
    out.append("\tCMPQ R15, CX")
    out.append(f"\tJGT  {name}_loop16")
    out.append("\tVMOVAPS Z9, Z10")
    out.append("\tVMOVAPS Z9, Z11")
    for t, r in enumerate(PTRS):
        out.append(f"\tVFMADD231PS ({r})(AX*4), Z{t}, Z10")
        out.append(f"\tVFMADD231PS 64({r})(AX*4), Z{t}, Z11")
    out.append("\tVMOVUPS Z10, (DI)(AX*4)")
    out.append("\tVMOVUPS Z11, 64(DI)(AX*4)")
    out.append("\tMOVQ R15, AX")
    out.append(f"\tJMP  {name}_loop32")
    out.append(f"{name}_loop16:")
    out.append("\tLEAQ 16(AX), R15")
    out.append("\tCMPQ R15, CX")
    out.append(f"\tJGT  {name}_tail")
    out.append("\tVMOVAPS Z9, Z10")
    fmas(out, "Z", 10, "")
    out.append("\tVMOVUPS Z10, (DI)(AX*4)")
    out.append("\tMOVQ R15, AX")
    out.append(f"\tJMP  {name}_loop16")
    out.append(f"{name}_tail:")
    out.append("\tCMPQ AX, CX")
    out.append(f"\tJGE  {name}_done")
    out.append("\tMOVQ CX, R15")
    out.append("\tSUBQ AX, R15")
    out.append("\tMOVQ $1, R14")
    out.append("\tSHLXQ R15, R14, R14")
    out.append("\tDECQ R14")
    out.append("\tKMOVW R14, K1")
    out.append("\tVMOVAPS Z9, Z10")
    # Masked-off lanes neither load (fault suppression) nor change Z10.
    fmas(out, "Z", 10, "", "K1, ")
    out.append("\tVMOVUPS Z10, K1, (DI)(AX*4)")
    out.append(f"{name}_done:")
    out.append("\tVZEROUPPER")
    out.append("\tRET")


def gen_avx2(out):
    name = "dwRow9AVX2"
    prologue(out, name, "Y")
    out.append(f"{name}_loop16:")
    out.append("\tLEAQ 16(AX), R15")
    out.append("\tCMPQ R15, CX")
    out.append(f"\tJGT  {name}_loop8")
    out.append("\tVMOVAPS Y9, Y10")
    out.append("\tVMOVAPS Y9, Y11")
    for t, r in enumerate(PTRS):
        out.append(f"\tVFMADD231PS ({r})(AX*4), Y{t}, Y10")
        out.append(f"\tVFMADD231PS 32({r})(AX*4), Y{t}, Y11")
    out.append("\tVMOVUPS Y10, (DI)(AX*4)")
    out.append("\tVMOVUPS Y11, 32(DI)(AX*4)")
    out.append("\tMOVQ R15, AX")
    out.append(f"\tJMP  {name}_loop16")
    out.append(f"{name}_loop8:")
    out.append("\tLEAQ 8(AX), R15")
    out.append("\tCMPQ R15, CX")
    out.append(f"\tJGT  {name}_tail")
    out.append("\tVMOVAPS Y9, Y10")
    fmas(out, "Y", 10, "")
    out.append("\tVMOVUPS Y10, (DI)(AX*4)")
    out.append("\tMOVQ R15, AX")
    out.append(f"\tJMP  {name}_loop8")
    out.append(f"{name}_tail:")
    out.append("\tCMPQ AX, CX")
    out.append(f"\tJGE  {name}_done")
    # One lane at a time: X0-X8 hold the weights in lane 0.
    out.append("\tVMOVAPS X9, X10")
    for t, r in enumerate(PTRS):
        out.append(f"\tVFMADD231SS ({r})(AX*4), X{t}, X10")
    out.append("\tVMOVSS X10, (DI)(AX*4)")
    out.append("\tINCQ AX")
    out.append(f"\tJMP  {name}_tail")
    out.append(f"{name}_done:")
    out.append("\tVZEROUPPER")
    out.append("\tRET")


def gen_split(out):
    # Even/odd column split: even[j] = src[2j], odd[j] = src[2j+1] for
    # j < len(even) rounded down to the step (the Go wrapper does the rest).
    for t, name in ((0, "dwEvenIdx"), (1, "dwOddIdx")):
        for j in range(16):
            out.append(f"DATA ·{name}+{4*j}(SB)/4, ${2*j+t}")
        out.append(f"GLOBL ·{name}(SB), RODATA|NOPTR, $64")
    out.append("")
    for name, step, reg in (("splitEvenOddAVX2", 8, "Y"), ("splitEvenOddAVX512", 16, "Z")):
        out.append(f"// func {name}(even, odd, src []float32)")
        out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-72")
        out.append("\tMOVQ even_base+0(FP), DI")
        out.append("\tMOVQ even_len+8(FP), CX")
        out.append("\tMOVQ odd_base+24(FP), DX")
        out.append("\tMOVQ src_base+48(FP), SI")
        out.append(f"\tANDQ ${-step}, CX")
        if reg == "Z":
            out.append("\tVMOVUPS ·dwEvenIdx(SB), Z4")
            out.append("\tVMOVUPS ·dwOddIdx(SB), Z5")
        out.append("\tXORQ AX, AX")
        out.append(f"{name}_loop:")
        out.append("\tCMPQ AX, CX")
        out.append(f"\tJGE  {name}_done")
        out.append(f"\tVMOVUPS (SI)(AX*8), {reg}0")
        out.append(f"\tVMOVUPS {step*4}(SI)(AX*8), {reg}1")
        if reg == "Z":
            out.append("\tVMOVAPS Z4, Z2")
            out.append("\tVPERMI2PS Z1, Z0, Z2")
            out.append("\tVMOVAPS Z5, Z3")
            out.append("\tVPERMI2PS Z1, Z0, Z3")
        else:
            out.append("\tVSHUFPS $0x88, Y1, Y0, Y2")
            out.append("\tVPERMPD $0xD8, Y2, Y2")
            out.append("\tVSHUFPS $0xDD, Y1, Y0, Y3")
            out.append("\tVPERMPD $0xD8, Y3, Y3")
        out.append(f"\tVMOVUPS {reg}2, (DI)(AX*4)")
        out.append(f"\tVMOVUPS {reg}3, (DX)(AX*4)")
        out.append(f"\tADDQ ${step}, AX")
        out.append(f"\tJMP  {name}_loop")
        out.append(f"{name}_done:")
        out.append("\tVZEROUPPER")
        out.append("\tRET")
        out.append("")


def main():
    out = [
        "// Code generated by asm/_gen/conv_dw_amd64.py; DO NOT EDIT.",
        "",
        "//go:build !purego",
        "",
        '#include "textflag.h"',
        "",
        "// 3x3 depthwise row kernels; see conv_dw.go for the semantics and",
        "// conv_dw_amd64.go for the declarations. Z0-Z8 (Y0-Y8) hold the",
        "// broadcast weights, Z9 (Y9) the bias; SI, DX, R8-R13, BX the nine",
        "// tap rows; each output accumulates its taps in order 0..8.",
        "",
    ]
    gen_avx2(out)
    out.append("")
    gen_avx512(out)
    out.append("")
    gen_split(out)
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
