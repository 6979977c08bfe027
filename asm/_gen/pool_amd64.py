#!/usr/bin/env python3
"""Generates asm/pool_amd64.s: 2x2 stride-2 max pooling of whole rows
(see asm/pool.go for the semantics).

Usage: python3 pool_amd64.py OUT.s
"""
import sys


def gen(out):
    # func maxPool2x2S2AVX512(dst []float32, ldd int, src []float32, lds, rows, cols int)
    # func maxPool2x2S2AVX2(dst []float32, ldd int, src []float32, lds, rows, cols int)
    # Output (r, j) = the first of the largest of src rows 2r and 2r+1,
    # columns 2j and 2j+1, in row-major order, from -MaxFloat32: VMAXPS
    # x, m returns x only when x > m (not for NaN x, nor for ties).
    # AVX-512: 16 outputs per step (two vectors of each row, even and odd
    # columns by VPERMI2PS), the last cols%16 under masks; AVX2: 8 per
    # step (VSHUFPS + VPERMPD), the last cols%8 left to the Go wrapper.
    for name, reg, step in (("maxPool2x2S2AVX512", "Z", 16), ("maxPool2x2S2AVX2", "Y", 8)):
        out.append(f"// func {name}(dst []float32, ldd int, src []float32, lds, rows, cols int)")
        out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-80")
        out.append("\tMOVQ dst_base+0(FP), DI")
        out.append("\tMOVQ ldd+24(FP), R8")
        out.append("\tMOVQ src_base+32(FP), SI")
        out.append("\tMOVQ lds+56(FP), R9")
        out.append("\tMOVQ rows+64(FP), R11")
        out.append("\tMOVQ cols+72(FP), CX")
        out.append("\tTESTQ R11, R11")
        out.append(f"\tJLE  {name}_done")
        out.append(f"\tVBROADCASTSS ·maxPoolStart(SB), {reg}15")
        if reg == "Z":
            out.append("\tVMOVUPS ·dwEvenIdx(SB), Z13")
            out.append("\tVMOVUPS ·dwOddIdx(SB), Z14")
            # K1: the last m = cols%16 outputs; K2, K3: their 2m inputs
            # in the low and high vector.
            out.append("\tMOVQ CX, R10")
            out.append("\tANDQ $15, R10")
            out.append("\tMOVQ $1, AX")
            out.append("\tSHLXQ R10, AX, AX")
            out.append("\tDECQ AX")
            out.append("\tKMOVW AX, K1")
            out.append("\tSHLQ $1, R10")
            out.append("\tCMPQ R10, $16")
            out.append(f"\tJGE  {name}_big")
            out.append("\tMOVQ $1, AX")
            out.append("\tSHLXQ R10, AX, AX")
            out.append("\tDECQ AX")
            out.append("\tKMOVW AX, K2")
            out.append("\tKXORW K3, K3, K3")
            out.append(f"\tJMP  {name}_row")
            out.append(f"{name}_big:")
            out.append("\tMOVQ $0xffff, AX")
            out.append("\tKMOVW AX, K2")
            out.append("\tSUBQ $16, R10")
            out.append("\tMOVQ $1, AX")
            out.append("\tSHLXQ R10, AX, AX")
            out.append("\tDECQ AX")
            out.append("\tKMOVW AX, K3")
        else:
            out.append("\tANDQ $-8, CX")
        out.append(f"{name}_row:")
        out.append("\tLEAQ (SI)(R9*4), DX")  # the window's second row
        out.append("\tXORQ AX, AX")

        def body(masked):
            regs = []
            for r, p in enumerate(("SI", "DX")):
                a, b = f"{reg}{4*r}", f"{reg}{4*r+1}"
                e, o = f"{reg}{4*r+2}", f"{reg}{4*r+3}"
                if reg == "Z":
                    if masked:
                        out.append(f"\tVMOVUPS.Z ({p})(AX*8), K2, {a}")
                        out.append(f"\tVMOVUPS.Z 64({p})(AX*8), K3, {b}")
                    else:
                        out.append(f"\tVMOVUPS ({p})(AX*8), {a}")
                        out.append(f"\tVMOVUPS 64({p})(AX*8), {b}")
                    out.append(f"\tVMOVAPS Z13, {e}")
                    out.append(f"\tVPERMI2PS {b}, {a}, {e}")
                    out.append(f"\tVMOVAPS Z14, {o}")
                    out.append(f"\tVPERMI2PS {b}, {a}, {o}")
                else:
                    out.append(f"\tVMOVUPS ({p})(AX*8), {a}")
                    out.append(f"\tVMOVUPS 32({p})(AX*8), {b}")
                    out.append(f"\tVSHUFPS $0x88, {b}, {a}, {e}")
                    out.append(f"\tVPERMPD $0xD8, {e}, {e}")
                    out.append(f"\tVSHUFPS $0xDD, {b}, {a}, {o}")
                    out.append(f"\tVPERMPD $0xD8, {o}, {o}")
                regs += [e, o]
            acc = f"{reg}12"
            # Row-major window order: (0,0), (0,1), (1,0), (1,1).
            out.append(f"\tVMAXPS {reg}15, {regs[0]}, {acc}")
            for v in regs[1:]:
                out.append(f"\tVMAXPS {acc}, {v}, {acc}")
            if masked:
                out.append(f"\tVMOVUPS {acc}, K1, (DI)(AX*4)")
            else:
                out.append(f"\tVMOVUPS {acc}, (DI)(AX*4)")

        out.append(f"{name}_loop:")
        out.append(f"\tLEAQ {step}(AX), R10")
        out.append("\tCMPQ R10, CX")
        out.append(f"\tJGT  {name}_tail")
        body(False)
        out.append("\tMOVQ R10, AX")
        out.append(f"\tJMP  {name}_loop")
        out.append(f"{name}_tail:")
        if reg == "Z":
            out.append("\tCMPQ AX, CX")
            out.append(f"\tJGE  {name}_next")
            body(True)
        out.append(f"{name}_next:")
        out.append("\tLEAQ (DI)(R8*4), DI")
        out.append("\tLEAQ (SI)(R9*8), SI")  # two input rows down
        out.append("\tDECQ R11")
        out.append(f"\tJNZ  {name}_row")
        out.append(f"{name}_done:")
        out.append("\tVZEROUPPER")
        out.append("\tRET")
        out.append("")


def main():
    out = [
        "// Code generated by asm/_gen/pool_amd64.py; DO NOT EDIT.",
        "",
        "//go:build !purego",
        "",
        '#include "textflag.h"',
        "",
        "// 2x2 stride-2 max pooling; see pool.go for the semantics and",
        "// pool_amd64.go for the declarations.",
        "",
        "DATA ·maxPoolStart+0(SB)/4, $0xff7fffff",
        "GLOBL ·maxPoolStart(SB), RODATA|NOPTR, $4",
        "",
    ]
    gen(out)
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
