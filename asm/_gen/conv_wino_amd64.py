#!/usr/bin/env python3
"""Generates asm/conv_wino_amd64.s: the input and output transforms of the
Winograd F(2x2, 3x3) convolution (see asm/conv_wino.go for the semantics),
for AVX-512 (16 tiles per step) and AVX2 (8 tiles per step).

Every value is one IEEE single add or subtract of two others, in the order
asm/conv_wino.go's Go twins use, so both instruction sets and the Go code
give identical bits.

Usage: python3 conv_wino_amd64.py OUT.s
"""
import sys

# The ISAs: name suffix, register prefix, lanes per vector.
ISAS = (("AVX512", "Z", 16), ("AVX2", "Y", 8))


def xi_addr(xi, off=""):
    """Address of transform value xi (0..15) at the current tile: group
    xi//4 based at DI, R13, R14 or R15 (4·stride apart), then xi%4 times
    the stride R10 (R11 = 3·R10)."""
    base = ["DI", "R13", "R14", "R15"][xi // 4]
    return [f"{off}({base})", f"{off}({base})(R10*1)", f"{off}({base})(R10*2)", f"{off}({base})(R11*1)"][xi % 4]


def loop_end(out, name):
    """The end of a step (CX steps left) and of a row (R12 the row), and
    the return."""
    out.append("\tDECQ CX")
    out.append(f"\tJNE  {name}_step")
    out.append("\tINCQ R12")
    out.append(f"\tJMP  {name}_row")
    out.append(f"{name}_done:")
    out.append("\tVZEROUPPER")
    out.append("\tRET")
    out.append("")


def xi_bases(out):
    out.append("\tLEAQ (DI)(R10*4), R13")
    out.append("\tLEAQ (R13)(R10*4), R14")
    out.append("\tLEAQ (R14)(R10*4), R15")


def gen_input(out, isa, reg, lanes):
    """winoInput<isa>(v *float32, vs int, e, o *float32, ld, th, tw int).

    Tile (ty, tx) of a channel: rows r = 2ty+i (i < 4) of the padded plane,
    whose even and odd columns are e[r·ld + t] and o[r·ld + t]; its
    columns 2tx+j are e[tx], o[tx], e[tx+1], o[tx+1]. Per row i the column
    transform w_i = (d_i0 - d_i2, d_i1 + d_i2, d_i2 - d_i1, d_i1 - d_i3),
    then per column j the row transform v_0j = w_0j - w_2j, v_1j = w_1j +
    w_2j, v_2j = w_2j - w_1j, v_3j = w_1j - w_3j, stored at
    v[(4i+j)·vs + ty·tw + tx]. Steps of `lanes` tiles along a row; a row's
    last step runs past tw (into the next row's tiles, rewritten next, or
    past the last tile)."""
    name = f"winoInput{isa}"
    vb = 4 * lanes
    out.append(f"// func {name}(v *float32, vs int, e, o *float32, ld, th, tw int)")
    out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-56")
    out.append("\tMOVQ vs+8(FP), R10")
    out.append("\tSHLQ $2, R10")
    out.append("\tLEAQ (R10)(R10*2), R11")
    out.append("\tMOVQ ld+32(FP), R8")
    out.append("\tSHLQ $2, R8")
    out.append("\tLEAQ (R8)(R8*2), R9")
    out.append("\tXORQ R12, R12")
    out.append(f"{name}_row:")
    out.append("\tCMPQ R12, th+40(FP)")
    out.append(f"\tJGE  {name}_done")
    # DI = v + ty·tw·4; SI, DX = e, o + 2·ty·ld·4; CX = steps per row.
    out.append("\tMOVQ tw+48(FP), AX")
    out.append("\tIMULQ R12, AX")
    out.append("\tMOVQ v+0(FP), DI")
    out.append("\tLEAQ (DI)(AX*4), DI")
    out.append("\tMOVQ R12, BX")
    out.append("\tIMULQ R8, BX")
    out.append("\tMOVQ e+16(FP), SI")
    out.append("\tLEAQ (SI)(BX*2), SI")
    out.append("\tMOVQ o+24(FP), DX")
    out.append("\tLEAQ (DX)(BX*2), DX")
    out.append("\tMOVQ tw+48(FP), CX")
    out.append(f"\tADDQ ${lanes - 1}, CX")
    out.append(f"\tSHRQ ${lanes.bit_length() - 1}, CX")
    out.append(f"{name}_step:")
    xi_bases(out)

    def row(base, i, off=""):
        return [f"{off}({base})", f"{off}({base})(R8*1)", f"{off}({base})(R8*2)", f"{off}({base})(R9*1)"][i]

    # d_i0 = e[t], d_i1 = o[t], d_i2 = e[t+1], d_i3 = o[t+1] of row i.
    d = {0: lambda i: row("SI", i), 1: lambda i: row("DX", i), 2: lambda i: row("SI", i, "4"), 3: lambda i: row("DX", i, "4")}
    if reg == "Z":
        # AVX-512: the 16 values of the step loaded once, into Z16..Z31.
        for k in range(4):
            for i in range(4):
                out.append(f"\tVMOVUPS {d[k](i)}, Z{16 + 4 * k + i}")
        d = {k: (lambda i, k=k: f"Z{16 + 4 * k + i}") for k in range(4)}
    # w_ij = a op b: (first, op, second) per column j.
    wdef = {0: (0, "VSUBPS", 2), 1: (1, "VADDPS", 2), 2: (2, "VSUBPS", 1), 3: (1, "VSUBPS", 3)}
    for j in range(4):
        a, op, b = wdef[j]
        for i in range(4):
            if reg == "Z":
                out.append(f"\t{op} {d[b](i)}, {d[a](i)}, {reg}{i}")
            else:
                out.append(f"\tVMOVUPS {d[a](i)}, {reg}4")
                out.append(f"\t{op} {d[b](i)}, {reg}4, {reg}{i}")
        # v_0j = w_0j - w_2j, v_1j = w_1j + w_2j, v_2j = w_2j - w_1j, v_3j = w_1j - w_3j.
        for i, (x, op, y) in enumerate(((0, "VSUBPS", 2), (1, "VADDPS", 2), (2, "VSUBPS", 1), (1, "VSUBPS", 3))):
            out.append(f"\t{op} {reg}{y}, {reg}{x}, {reg}5")
            out.append(f"\tVMOVUPS {reg}5, {xi_addr(4 * i + j)}")
    out.append(f"\tADDQ ${vb}, SI")
    out.append(f"\tADDQ ${vb}, DX")
    out.append(f"\tADDQ ${vb}, DI")
    loop_end(out, name)


def interleave(out, reg, a, b, o0, o1):
    """o0, o1 = the lanes of a and b interleaved (a0 b0 a1 b1 ...)."""
    if reg == "Z":
        # Z30, Z31: the index vectors of the low and high halves.
        out.append(f"\tVMOVAPS Z30, {reg}{o0}")
        out.append(f"\tVPERMI2PS {reg}{b}, {reg}{a}, {reg}{o0}")
        out.append(f"\tVMOVAPS Z31, {reg}{o1}")
        out.append(f"\tVPERMI2PS {reg}{b}, {reg}{a}, {reg}{o1}")
    else:
        out.append(f"\tVUNPCKLPS {reg}{b}, {reg}{a}, {reg}14")
        out.append(f"\tVUNPCKHPS {reg}{b}, {reg}{a}, {reg}15")
        out.append(f"\tVPERM2F128 $0x20, {reg}15, {reg}14, {reg}{o0}")
        out.append(f"\tVPERM2F128 $0x31, {reg}15, {reg}14, {reg}{o1}")


def gen_output(out, isa, reg, lanes):
    """winoOutput<isa>(wide *float32, ldw int, m *float32, ms, th, tw int).

    Tile (ty, tx) of a filter: m_ij = m[(4i+j)·ms + ty·tw + tx]. Per column j
    s_0j = (m_0j + m_1j) + m_2j and s_1j = (m_1j - m_2j) - m_3j, then per
    row a y_a0 = (s_a0 + s_a1) + s_a2 and y_a1 = (s_a1 - s_a2) - s_a3,
    stored at wide[(2ty+a)·ldw + 2tx + b]. Steps of `lanes` tiles; a row's
    last step reads past tw and writes past 2·tw."""
    name = f"winoOutput{isa}"
    vb = 4 * lanes
    out.append(f"// func {name}(wide *float32, ldw int, m *float32, ms, th, tw int)")
    out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-48")
    out.append("\tMOVQ ms+24(FP), R10")
    out.append("\tSHLQ $2, R10")
    out.append("\tLEAQ (R10)(R10*2), R11")
    out.append("\tMOVQ ldw+8(FP), R8")
    out.append("\tSHLQ $2, R8")
    if reg == "Z":
        out.append("\tVMOVUPS ·winoZipLo(SB), Z30")
        out.append("\tVMOVUPS ·winoZipHi(SB), Z31")
    out.append("\tXORQ R12, R12")
    out.append(f"{name}_row:")
    out.append("\tCMPQ R12, th+32(FP)")
    out.append(f"\tJGE  {name}_done")
    # SI = m + ty·tw·4; DX = wide + 2·ty·ldw·4; CX = steps per row.
    out.append("\tMOVQ tw+40(FP), AX")
    out.append("\tIMULQ R12, AX")
    out.append("\tMOVQ m+16(FP), SI")
    out.append("\tLEAQ (SI)(AX*4), SI")
    out.append("\tMOVQ R12, BX")
    out.append("\tIMULQ R8, BX")
    out.append("\tMOVQ wide+0(FP), DX")
    out.append("\tLEAQ (DX)(BX*2), DX")
    out.append("\tMOVQ tw+40(FP), CX")
    out.append(f"\tADDQ ${lanes - 1}, CX")
    out.append(f"\tSHRQ ${lanes.bit_length() - 1}, CX")
    out.append(f"{name}_step:")
    out.append("\tMOVQ SI, DI")
    xi_bases(out)
    # s_0j in regs j, s_1j in regs 4+j.
    mv = xi_addr
    if reg == "Z":
        # AVX-512: the 16 values of the step loaded once, into Z12..Z27.
        for xi in range(16):
            out.append(f"\tVMOVUPS {xi_addr(xi)}, Z{12 + xi}")
        mv = lambda xi: f"Z{12 + xi}"
    for j in range(4):
        if reg == "Z":
            out.append(f"\tVADDPS {mv(4 + j)}, {mv(j)}, {reg}{j}")
        else:
            out.append(f"\tVMOVUPS {mv(j)}, {reg}{j}")
            out.append(f"\tVADDPS {mv(4 + j)}, {reg}{j}, {reg}{j}")
        out.append(f"\tVADDPS {mv(8 + j)}, {reg}{j}, {reg}{j}")
        if reg == "Z":
            out.append(f"\tVSUBPS {mv(8 + j)}, {mv(4 + j)}, {reg}{4 + j}")
        else:
            out.append(f"\tVMOVUPS {mv(4 + j)}, {reg}{4 + j}")
            out.append(f"\tVSUBPS {mv(8 + j)}, {reg}{4 + j}, {reg}{4 + j}")
        out.append(f"\tVSUBPS {mv(12 + j)}, {reg}{4 + j}, {reg}{4 + j}")
    for a in range(2):
        s = 4 * a
        # y_a0 in 8, y_a1 in 9.
        out.append(f"\tVADDPS {reg}{s + 1}, {reg}{s}, {reg}8")
        out.append(f"\tVADDPS {reg}{s + 2}, {reg}8, {reg}8")
        out.append(f"\tVSUBPS {reg}{s + 2}, {reg}{s + 1}, {reg}9")
        out.append(f"\tVSUBPS {reg}{s + 3}, {reg}9, {reg}9")
        interleave(out, reg, 8, 9, 10, 11)
        dst = "(DX)" if a == 0 else "(DX)(R8*1)"
        out.append(f"\tVMOVUPS {reg}10, {dst}")
        out.append(f"\tVMOVUPS {reg}11, {vb}{dst}")
    out.append(f"\tADDQ ${vb}, SI")
    out.append(f"\tADDQ ${2 * vb}, DX")
    loop_end(out, name)


def main():
    out = ["// Code generated by asm/_gen/conv_wino_amd64.py; DO NOT EDIT.", "", "//go:build !purego", "",
           '#include "textflag.h"', ""]
    for isa, reg, lanes in ISAS:
        gen_input(out, isa, reg, lanes)
        gen_output(out, isa, reg, lanes)
    # The VPERMI2PS indices interleaving two vectors: lanes 0..7 of each
    # (low) and 8..15 (high); 16 + i selects the second vector's lane i.
    for name, base in (("winoZipLo", 0), ("winoZipHi", 8)):
        for q in range(16):
            out.append(f"DATA ·{name}+{4 * q}(SB)/4, ${base + q // 2 + (16 if q % 2 else 0)}")
        out.append(f"GLOBL ·{name}(SB), RODATA|NOPTR, $64")
        out.append("")
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out))


main()
