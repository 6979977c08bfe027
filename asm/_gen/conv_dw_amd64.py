#!/usr/bin/env python3
"""Generates asm/conv_dw_amd64.s: the 3x3 depthwise kernels dwRows9AVX2
and dwRows9AVX512 and the stride-2 column split (see asm/conv_dw.go for
the semantics).

Usage: python3 conv_dw_amd64.py OUT.s
"""
import sys

PTRS = ["SI", "DX", "R8", "R9", "R10", "R11", "R12", "R13", "BX"]

# func NAME(dst []float32, ldd int, src *[9][]float32, lds, rows, cols int,
#     w *[9]float32, bias, lo, hi, zero float32)
SIG = "(dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32)"
FRAME = 88


def prologue(out, name, reg):
    out.append(f"// func {name}{SIG}")
    out.append(f"TEXT ·{name}(SB), NOSPLIT, ${0}-{FRAME}")
    out.append("\tMOVQ rows+48(FP), CX")
    out.append("\tTESTQ CX, CX")
    out.append(f"\tJLE  {name}_done")
    out.append("\tMOVQ cols+56(FP), CX")
    out.append("\tTESTQ CX, CX")
    out.append(f"\tJLE  {name}_done")
    out.append("\tMOVQ dst_base+0(FP), DI")
    out.append("\tMOVQ lds+40(FP), R14")
    out.append("\tMOVQ w+64(FP), AX")
    for t in range(9):
        out.append(f"\tVBROADCASTSS {4*t}(AX), {reg}{t}")
    out.append(f"\tVBROADCASTSS bias+72(FP), {reg}9")
    out.append(f"\tVBROADCASTSS lo+76(FP), {reg}12")
    out.append(f"\tVBROADCASTSS hi+80(FP), {reg}13")
    out.append(f"\tVBROADCASTSS zero+84(FP), {reg}14")
    out.append("\tMOVQ src+32(FP), AX")
    # BX is the array pointer until the last load replaces it.
    out.append("\tMOVQ AX, BX")
    for t, r in enumerate(PTRS):
        out.append(f"\tMOVQ {24*t}(BX), {r}")


def finish(out, reg, acc, mask=""):
    # min(max(acc, lo), hi) + zero; NaN stays NaN (the second source).
    out.append(f"\tVMAXPS {reg}{acc}, {reg}12, {mask}{reg}{acc}")
    out.append(f"\tVMINPS {reg}{acc}, {reg}13, {mask}{reg}{acc}")
    out.append(f"\tVADDPS {reg}{acc}, {reg}14, {mask}{reg}{acc}")


def next_row(out, name):
    for r in PTRS:
        out.append(f"\tLEAQ ({r})(R14*4), {r}")
    out.append("\tMOVQ ldd+24(FP), R15")
    out.append("\tLEAQ (DI)(R15*4), DI")
    out.append("\tDECQ rows+48(FP)")
    out.append(f"\tJNZ  {name}_row")
    out.append(f"{name}_done:")
    out.append("\tVZEROUPPER")
    out.append("\tRET")


def wide_steps(out, name, reg, width):
    """The two-accumulator loop over 2*width columns, then one width step."""
    out.append(f"{name}_loop2:")
    out.append(f"\tLEAQ {2*width}(AX), R15")
    out.append("\tCMPQ R15, CX")
    out.append(f"\tJGT  {name}_one")
    out.append(f"\tVMOVAPS {reg}9, {reg}10")
    out.append(f"\tVMOVAPS {reg}9, {reg}11")
    for t, r in enumerate(PTRS):
        out.append(f"\tVFMADD231PS ({r})(AX*4), {reg}{t}, {reg}10")
        out.append(f"\tVFMADD231PS {4*width}({r})(AX*4), {reg}{t}, {reg}11")
    finish(out, reg, 10)
    finish(out, reg, 11)
    out.append(f"\tVMOVUPS {reg}10, (DI)(AX*4)")
    out.append(f"\tVMOVUPS {reg}11, {4*width}(DI)(AX*4)")
    out.append("\tMOVQ R15, AX")
    out.append(f"\tJMP  {name}_loop2")
    out.append(f"{name}_one:")
    out.append(f"\tLEAQ {width}(AX), R15")
    out.append("\tCMPQ R15, CX")
    out.append(f"\tJGT  {name}_tail")
    out.append(f"\tVMOVAPS {reg}9, {reg}10")
    for t, r in enumerate(PTRS):
        out.append(f"\tVFMADD231PS ({r})(AX*4), {reg}{t}, {reg}10")
    finish(out, reg, 10)
    out.append(f"\tVMOVUPS {reg}10, (DI)(AX*4)")
    out.append("\tMOVQ R15, AX")
    out.append(f"{name}_tail:")
    out.append("\tCMPQ AX, CX")
    out.append(f"\tJGE  {name}_next")


def gen_avx512(out, name="dwRows9AVX512", shared=False):
    prologue(out, name, "Z")
    # K1 masks the last cols%16 columns of every row.
    out.append("\tMOVQ CX, R15")
    out.append("\tANDQ $15, R15")
    out.append("\tMOVQ $1, AX")
    out.append("\tSHLXQ R15, AX, AX")
    out.append("\tDECQ AX")
    out.append("\tKMOVW AX, K1")
    if shared:
        gen_avx512_quads(out, name)
    gen_avx512_pairs(out, name, shared)
    out.append(f"{name}_row:")
    out.append("\tXORQ AX, AX")
    wide_steps(out, name, "Z", 16)
    out.append("\tVMOVAPS Z9, Z10")
    # Masked-off lanes neither load (fault suppression) nor change Z10.
    for t, r in enumerate(PTRS):
        out.append(f"\tVFMADD231PS ({r})(AX*4), Z{t}, K1, Z10")
    finish(out, "Z", 10)
    out.append("\tVMOVUPS Z10, K1, (DI)(AX*4)")
    out.append(f"{name}_next:")
    next_row(out, name)


def row_blocks(out, name, rows, label, p, body):
    """The loop over blocks of rows output rows (2 or 4) shared by the pair
    and quad kernels: per block, body(2) on 32 columns at a time, body(1)
    on 16, body(1, mask) on the last cols%16 (masked-off lanes neither load,
    with fault suppression, nor change the accumulators); then every tap
    pointer and dst move down rows rows. Ends at {name}_{label}sdone."""
    out.append(f"{name}_{label}:")
    out.append(f"\tCMPQ rows+48(FP), ${rows}")
    out.append(f"\tJLT  {name}_{label}sdone")
    out.append("\tXORQ AX, AX")
    out.append(f"{name}_{p}loop2:")
    out.append("\tLEAQ 32(AX), R15")
    out.append("\tCMPQ R15, CX")
    out.append(f"\tJGT  {name}_{p}one")
    body(2)
    out.append("\tADDQ $32, AX")
    out.append(f"\tJMP  {name}_{p}loop2")
    out.append(f"{name}_{p}one:")
    out.append("\tLEAQ 16(AX), R15")
    out.append("\tCMPQ R15, CX")
    out.append(f"\tJGT  {name}_{p}tail")
    body(1)
    out.append("\tADDQ $16, AX")
    out.append(f"{name}_{p}tail:")
    out.append("\tCMPQ AX, CX")
    out.append(f"\tJGE  {name}_{p}next")
    body(1, "K1, ")
    out.append(f"{name}_{p}next:")
    for r in PTRS:
        for _ in range(rows // 2):
            out.append(f"\tLEAQ ({r})(R14*8), {r}")
    out.append("\tMOVQ ldd+24(FP), R15")
    for _ in range(rows // 2):
        out.append("\tLEAQ (DI)(R15*8), DI")
    out.append(f"\tSUBQ ${rows}, rows+48(FP)")
    out.append(f"\tJMP  {name}_{label}")


def load_tap(out, i, kw, v, tmp, mask):
    """Loads vector v of input row i's kernel column kw into Z{tmp} (masked
    and zeroing with mask): rows 0-2 from their tap pointers at AX, later
    rows from the third row's pointers at R15."""
    r, idx = (PTRS[i*3+kw], "AX") if i < 3 else (PTRS[6+kw], "R15")
    if mask:
        out.append(f"\tVMOVUPS.Z {64*v}({r})({idx}*4), {mask}Z{tmp}")
    else:
        out.append(f"\tVMOVUPS {64*v}({r})({idx}*4), Z{tmp}")


def gen_avx512_pairs(out, name, shared):
    """Two rows at a time (independent accumulators for the out-of-order
    core to overlap, which matters for planes one or two vectors wide),
    then the one-row loop does the last odd row. R15 indexes the second
    row: AX + lds for the taps, AX + ldd for dst. shared: the taps are
    rows of one plane (tap t+3 is tap t one row down, lds apart), so the
    second row's taps 0-5 are the first row's taps 3-8: each of the four
    input rows' three shifts is loaded once and feeds both rows."""
    acc = {(0, 0): 10, (0, 1): 11, (1, 0): 15, (1, 1): 16}

    def body(nvec, mask=""):
        for row in range(2):
            for v in range(nvec):
                out.append(f"\tVMOVAPS Z9, Z{acc[row, v]}")
        out.append("\tLEAQ (AX)(R14*1), R15")
        if shared:
            for i in range(4):  # input rows of the pair
                for kw in range(3):
                    for v in range(nvec):
                        tmp = 17 + v
                        load_tap(out, i, kw, v, tmp, mask)
                        if i < 3:
                            out.append(f"\tVFMADD231PS Z{tmp}, Z{i*3+kw}, Z{acc[0, v]}")
                        if i >= 1:
                            out.append(f"\tVFMADD231PS Z{tmp}, Z{(i-1)*3+kw}, Z{acc[1, v]}")
        else:
            for t, r in enumerate(PTRS):
                for row, idx in ((0, "AX"), (1, "R15")):
                    for v in range(nvec):
                        out.append(f"\tVFMADD231PS {64*v}({r})({idx}*4), Z{t}, {mask}Z{acc[row, v]}")
        for row in range(2):
            for v in range(nvec):
                finish(out, "Z", acc[row, v])
        out.append("\tMOVQ ldd+24(FP), R15")
        out.append("\tADDQ AX, R15")
        for row, idx in ((0, "AX"), (1, "R15")):
            for v in range(nvec):
                out.append(f"\tVMOVUPS Z{acc[row, v]}, {mask}{64*v}(DI)({idx}*4)")

    row_blocks(out, name, 2, "pair", "p", body)
    out.append(f"{name}_pairsdone:")
    out.append("\tCMPQ rows+48(FP), $0")
    out.append(f"\tJEQ  {name}_done")


def gen_avx512_quads(out, name):
    """Four rows at a time for taps that are rows of one plane (shared):
    the six input rows' three shifts are each loaded once and feed the up
    to three output rows they are a tap of, in tap order per output (the
    bits of the pair and row loops). R15 walks the input rows below the
    third (AX + lds, + 2·lds, + 3·lds), then the output rows (AX + ldd…)."""
    accs = [[10, 11], [15, 16], [20, 21], [22, 23]]

    def body(nvec, mask=""):
        for r in range(4):
            for v in range(nvec):
                out.append(f"\tVMOVAPS Z9, Z{accs[r][v]}")
        for i in range(6):  # input rows of the quad
            if i == 3:
                out.append("\tLEAQ (AX)(R14*1), R15")
            elif i > 3:
                out.append("\tLEAQ (R15)(R14*1), R15")
            for kw in range(3):
                for v in range(nvec):
                    tmp = 24 + v
                    load_tap(out, i, kw, v, tmp, mask)
                    for r in range(max(0, i - 2), min(i, 3) + 1):
                        out.append(f"\tVFMADD231PS Z{tmp}, Z{(i-r)*3+kw}, Z{accs[r][v]}")
        for r in range(4):
            for v in range(nvec):
                finish(out, "Z", accs[r][v])
        out.append("\tMOVQ AX, R15")
        for r in range(4):
            if r > 0:
                out.append("\tADDQ ldd+24(FP), R15")
            for v in range(nvec):
                out.append(f"\tVMOVUPS Z{accs[r][v]}, {mask}{64*v}(DI)(R15*4)")

    row_blocks(out, name, 4, "quad", "q", body)
    out.append(f"{name}_quadsdone:")


def gen_avx2(out):
    name = "dwRows9AVX2"
    prologue(out, name, "Y")
    # Y15 masks the last cols%8 columns of every row (VMASKMOVPS loads
    # nothing, and stores nothing, in masked-off lanes).
    out.append("\tMOVQ CX, R15")
    out.append("\tANDQ $7, R15")
    out.append("\tNEGQ R15")
    out.append("\tADDQ $8, R15")
    out.append("\tLEAQ ·dwTailMask(SB), AX")
    out.append("\tVMOVDQU (AX)(R15*4), Y15")
    out.append(f"{name}_row:")
    out.append("\tXORQ AX, AX")
    wide_steps(out, name, "Y", 8)
    out.append("\tVMOVAPS Y9, Y10")
    for t, r in enumerate(PTRS):
        out.append(f"\tVMASKMOVPS ({r})(AX*4), Y15, Y11")
        out.append(f"\tVFMADD231PS Y11, Y{t}, Y10")
    finish(out, "Y", 10)
    out.append("\tVMASKMOVPS Y10, Y15, (DI)(AX*4)")
    out.append(f"{name}_next:")
    next_row(out, name)


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


def gen_split_rows(out):
    # even[r*ldo+j] = src[r*lds+2j], odd[r*ldo+j] = src[r*lds+2j+1] for
    # r < rows, j < n (rows, n > 0, checked by the Go wrapper): 16 (8)
    # pairs per step, then the last n%16 pairs under masks (AVX-512) or one
    # pair at a time (AVX2).
    for name, step, reg in (("splitRowsAVX2", 8, "Y"), ("splitRowsAVX512", 16, "Z")):
        out.append(f"// func {name}(even, odd []float32, ldo int, src []float32, lds, rows, n int)")
        out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-104")
        out.append("\tMOVQ even_base+0(FP), DI")
        out.append("\tMOVQ odd_base+24(FP), DX")
        out.append("\tMOVQ ldo+48(FP), R8")
        out.append("\tMOVQ src_base+56(FP), SI")
        out.append("\tMOVQ lds+80(FP), R9")
        out.append("\tMOVQ rows+88(FP), R11")
        out.append("\tMOVQ n+96(FP), CX")
        if reg == "Z":
            out.append("\tVMOVUPS ·dwEvenIdx(SB), Z4")
            out.append("\tVMOVUPS ·dwOddIdx(SB), Z5")
            # K1: the tail's m = n%16 outputs; K2, K3: its 2m inputs in
            # the low and high vector.
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
        out.append(f"{name}_row:")
        out.append("\tXORQ AX, AX")
        out.append(f"{name}_loop:")
        out.append(f"\tLEAQ {step}(AX), R10")
        out.append("\tCMPQ R10, CX")
        out.append(f"\tJGT  {name}_tail")
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
        out.append("\tMOVQ R10, AX")
        out.append(f"\tJMP  {name}_loop")
        out.append(f"{name}_tail:")
        out.append("\tCMPQ AX, CX")
        out.append(f"\tJGE  {name}_next")
        if reg == "Z":
            out.append("\tVMOVUPS.Z (SI)(AX*8), K2, Z0")
            out.append("\tVMOVUPS.Z 64(SI)(AX*8), K3, Z1")
            out.append("\tVMOVAPS Z4, Z2")
            out.append("\tVPERMI2PS Z1, Z0, Z2")
            out.append("\tVMOVAPS Z5, Z3")
            out.append("\tVPERMI2PS Z1, Z0, Z3")
            out.append("\tVMOVUPS Z2, K1, (DI)(AX*4)")
            out.append("\tVMOVUPS Z3, K1, (DX)(AX*4)")
        else:
            out.append("\tMOVL (SI)(AX*8), R10")
            out.append("\tMOVL R10, (DI)(AX*4)")
            out.append("\tMOVL 4(SI)(AX*8), R10")
            out.append("\tMOVL R10, (DX)(AX*4)")
            out.append("\tINCQ AX")
            out.append(f"\tJMP  {name}_tail")
        out.append(f"{name}_next:")
        out.append("\tLEAQ (DI)(R8*4), DI")
        out.append("\tLEAQ (DX)(R8*4), DX")
        out.append("\tLEAQ (SI)(R9*4), SI")
        out.append("\tDECQ R11")
        out.append(f"\tJNZ  {name}_row")
        out.append("\tVZEROUPPER")
        out.append("\tRET")
        out.append("")


def pad1_row(out):
    """AX = input row R14 of the plane at SI (row stride DX bytes), or the
    zero row R15 outside [0, h); R14 advances (the pad-1 kernels)."""
    out.append("\tMOVQ R14, AX")
    out.append("\tIMULQ DX, AX")
    out.append("\tADDQ SI, AX")
    out.append("\tCMPQ R14, h+40(FP)")
    out.append("\tCMOVQCC R15, AX")
    out.append("\tINCQ R14")


def pad1_next_plane(out, name):
    """The pad-1 kernels' step to the next channel (weights, bias, input
    and output planes) and their return."""
    out.append("\tADDQ $36, R8")
    out.append("\tADDQ bstride+96(FP), R9")
    out.append("\tMOVQ is+24(FP), AX")
    out.append("\tLEAQ (SI)(AX*4), SI")
    out.append("\tMOVQ os+8(FP), AX")
    out.append("\tLEAQ (DI)(AX*4), DI")
    out.append("\tDECQ BX")
    out.append(f"\tJNZ  {name}_plane")
    out.append(f"{name}_done:")
    out.append("\tVZEROUPPER")
    out.append("\tRET")
    out.append("")


def gen_pad1(out):
    """dwPad1S1N1AVX512, dwPad1S1AVX512, dwPad1S2AVX512: 3x3 depthwise
    convolutions with padding 1 of whole planes read in place, planes
    channels per call (DepthwisePad1). A plane goes in column strips (N1:
    one vector, the whole row of a plane at most 16 wide; S1: two vectors
    of outputs and inputs; S2: one vector of outputs, two of inputs),
    each strip top to bottom. Per input row a strip loads its vectors
    (masked: lanes past w read as zeros; rows outside the plane are a
    zero row), the vector before it (for the column on its left: none in
    the first strip) and for S1 the one after it, and makes its three
    column taps: lane shifts (VALIGND) at stride 1; at stride 2 the even
    and odd columns (VPERMI2PS) and the odd ones shifted a lane. A row's
    taps are made once and kept in registers for every output row that
    reads them (slots: stride 1 keeps three rows, unrolled by three;
    stride 2 keeps the odd row the next output row shares, unrolled by
    two). Each output adds its taps in order 0..8 to the bias with fused
    multiply-adds and is clamped: the bits of the row kernels on a padded
    plane. R11 is the strip's input offset in bytes, R12 the input
    columns from it to the row's end, R13 the offset of the vector before
    it (0 in the first strip, whose K6 is empty), R14 the next input row
    to bring in, DX the row stride in bytes, R15 the zero row; S1 reads
    its weights as broadcast memory operands (R8), N1 and S2 from
    Z0-Z8. A call computes output rows [r0, r0+rows) of each plane (a
    band of a large plane, whose rows then stay in cache)."""
    sig = "(y *float32, os int, x *float32, is, planes, h, w, r0, rows, ow int, wts, bias *float32, bstride int, zeros *float32, lo, hi, zero float32)"
    for name, s, nv in (("dwPad1S1N1AVX512", 1, 1), ("dwPad1S1AVX512", 1, 2), ("dwPad1S2AVX512", 2, 2)):
        bcst = s == 1 and nv == 2
        strips = not (s == 1 and nv == 1)
        out.append(f"// func {name}{sig}")
        out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-124")
        out.append("\tMOVQ planes+32(FP), BX")
        out.append("\tTESTQ BX, BX")
        out.append(f"\tJLE  {name}_done")
        out.append("\tMOVQ y+0(FP), DI")
        out.append("\tMOVQ x+16(FP), SI")
        out.append("\tMOVQ wts+80(FP), R8")
        out.append("\tMOVQ bias+88(FP), R9")
        out.append("\tMOVQ zeros+104(FP), R15")
        out.append("\tMOVQ w+48(FP), DX")
        out.append("\tSHLQ $2, DX")
        out.append("\tVBROADCASTSS lo+112(FP), Z12")
        out.append("\tVBROADCASTSS hi+116(FP), Z13")
        out.append("\tVBROADCASTSS zero+120(FP), Z14")
        out.append("\tVPXORD Z15, Z15, Z15")
        if s == 2:
            out.append("\tVMOVUPS ·dwEvenIdx(SB), Z16")
            out.append("\tVMOVUPS ·dwOddIdx(SB), Z17")

        def mask(k):
            # k = the first min(max(AX, 0), 16) lanes (R13 a temporary).
            out.append("\tMOVQ $16, R13")
            out.append("\tCMPQ AX, R13")
            out.append("\tCMOVQGT R13, AX")
            out.append("\tXORL R13, R13")
            out.append("\tTESTQ AX, AX")
            out.append("\tCMOVQLT R13, AX")
            out.append("\tMOVQ $1, R13")
            out.append("\tSHLXQ AX, R13, R13")
            out.append("\tDECQ R13")
            out.append(f"\tKMOVW R13, {k}")

        def fma(v, t, acc):
            if bcst:
                out.append(f"\tVFMADD231PS.BCST {4*t}(R8), {v}, {acc}")
            else:
                out.append(f"\tVFMADD231PS {v}, Z{t}, {acc}")

        def prefetch_next():
            # The next strip's two new lines of this row, so that it
            # reads them from cache: a strip goes down the rows, and a
            # large plane's rows would otherwise come from memory a few
            # lines at a time, a row stride apart.
            out.append("\tPREFETCHT0 128(AX)(R11*4)")
            out.append("\tPREFETCHT0 192(AX)(R11*4)")

        def bring(regs):
            # The taps of input row R14 (or the zero row outside [0, h))
            # into regs; R14 advances.
            pad1_row(out)
            if not strips:
                l, v, r = regs
                out.append(f"\tVMOVUPS.Z (AX), K1, {v}")
                out.append(f"\tVALIGND $15, Z15, {v}, {l}")
                out.append(f"\tVALIGND $1, {v}, Z15, {r}")
            elif s == 1:
                l0, v0, r0, l1, v1, r1 = regs
                prefetch_next()
                out.append("\tVMOVUPS.Z (AX)(R13*1), K6, Z16")
                out.append(f"\tVMOVUPS.Z (AX)(R11*1), K1, {v0}")
                out.append(f"\tVMOVUPS.Z 64(AX)(R11*1), K2, {v1}")
                out.append("\tVMOVUPS.Z 128(AX)(R11*1), K5, Z17")
                out.append(f"\tVALIGND $15, Z16, {v0}, {l0}")
                out.append(f"\tVALIGND $15, {v0}, {v1}, {l1}")
                out.append(f"\tVALIGND $1, {v0}, {v1}, {r0}")
                out.append(f"\tVALIGND $1, {v1}, Z17, {r1}")
            else:
                l, e, o = regs
                prefetch_next()
                out.append("\tVMOVUPS.Z (AX)(R13*1), K6, Z30")
                out.append(f"\tVMOVUPS.Z (AX)(R11*1), K1, {l}")
                out.append("\tVMOVUPS.Z 64(AX)(R11*1), K2, Z31")
                out.append(f"\tVMOVAPS Z16, {e}")
                out.append(f"\tVPERMI2PS Z31, {l}, {e}")
                out.append(f"\tVMOVAPS Z17, {o}")
                out.append(f"\tVPERMI2PS Z31, {l}, {o}")
                out.append(f"\tVALIGND $15, Z30, {o}, {l}")

        nslot = 3 if s == 1 else 2
        width = 3 * (nv if s == 1 else 1)
        # Slot registers: Z18 on (S1: also Z0-Z8, its weights being
        # memory operands); S2's row 2r (used once) in Z27-Z29.
        pool = [f"Z{i}" for i in range(18, 27)]
        if bcst:
            pool = [f"Z{i}" for i in list(range(9)) + list(range(18, 27))]
        slots = [pool[width*k:width*(k+1)] for k in range(nslot)]
        once = ["Z27", "Z28", "Z29"]
        accs = ["Z10", "Z11"][: (nv if s == 1 else 1)]
        omasks = ["K1", "K2"] if s == 1 else ["K3"]
        after = f"{name}_stripdone" if strips else f"{name}_planedone"

        def compute(rows):
            # rows: the three tap slots, kh = 0, 1, 2; then clamp, store,
            # next output row.
            for a in accs:
                out.append(f"\tVMOVAPS Z9, {a}")
            for kh, regs in enumerate(rows):
                for i, a in enumerate(accs):
                    for kw in range(3):
                        fma(regs[3*i + kw], 3*kh + kw, a)
            # The output lines four rows down, in cache before their stores
            # (stores that wait for lines from memory hold up the loads
            # of input rows that alias them modulo 4 KiB).
            out.append("\tMOVQ ow+72(FP), AX")
            out.append("\tSHLQ $4, AX")
            for i in range(len(accs)):
                out.append(f"\tPREFETCHT0 {64*i}(R10)(AX*1)")
            for i, a in enumerate(accs):
                finish(out, "Z", a[1:])
                out.append(f"\tVMOVUPS {a}, {omasks[i]}, {64*i}(R10)")
            out.append("\tMOVQ ow+72(FP), AX")
            out.append("\tLEAQ (R10)(AX*4), R10")
            out.append("\tDECQ CX")
            out.append(f"\tJZ   {after}")

        if not strips:
            out.append("\tMOVQ w+48(FP), AX")
            mask("K1")
        out.append(f"{name}_plane:")
        if not bcst:
            for t in range(9):
                out.append(f"\tVBROADCASTSS {4*t}(R8), Z{t}")
        out.append("\tVBROADCASTSS (R9), Z9")
        if strips:
            out.append("\tXORQ R11, R11")
            out.append("\tMOVQ w+48(FP), R12")
            out.append(f"{name}_strip:")
            # Input lanes of the strip's vectors (and, S1, the next one;
            # S1's outputs are its inputs); S2's output lanes.
            out.append("\tMOVQ R12, AX")
            mask("K1")
            out.append("\tLEAQ -16(R12), AX")
            mask("K2")
            if s == 1:
                out.append("\tLEAQ -32(R12), AX")
                mask("K5")
                out.append("\tLEAQ (DI)(R11*1), R10")
            else:
                out.append("\tMOVQ R11, AX")
                out.append("\tSHRQ $3, AX")
                out.append("\tNEGQ AX")
                out.append("\tADDQ ow+72(FP), AX")
                mask("K3")
                out.append("\tMOVQ R11, AX")
                out.append("\tSHRQ $1, AX")
                out.append("\tLEAQ (DI)(AX*1), R10")
            # The vector before the strip: none in the first.
            out.append("\tKXNORW K6, K6, K6")
            out.append("\tLEAQ -64(R11), R13")
            out.append("\tTESTQ R11, R11")
            out.append(f"\tJNZ  {name}_before")
            out.append("\tKXORW K6, K6, K6")
            out.append("\tXORQ R13, R13")
            out.append(f"{name}_before:")
        else:
            out.append("\tMOVQ DI, R10")
        # Output rows r0 .. r0+rows-1: R10 at row r0, R14 at input row
        # s·r0 − 1.
        out.append("\tMOVQ r0+56(FP), AX")
        out.append("\tIMULQ ow+72(FP), AX")
        out.append("\tLEAQ (R10)(AX*4), R10")
        out.append("\tMOVQ rows+64(FP), CX")
        out.append("\tMOVQ r0+56(FP), R14")
        if s == 2:
            out.append("\tSHLQ $1, R14")
        out.append("\tDECQ R14")
        if s == 1:
            # Slot (k+1)%3 holds row k: rows -1 and 0 first.
            bring(slots[0])
            bring(slots[1])
            out.append(f"{name}_rows:")
            for j in range(3):
                bring(slots[(j + 2) % 3])
                compute([slots[j % 3], slots[(j + 1) % 3], slots[(j + 2) % 3]])
            out.append(f"\tJMP  {name}_rows")
        else:
            # Output row r: row 2r-1 (kept from the last output row), 2r,
            # 2r+1 (kept for the next).
            bring(slots[0])
            out.append(f"{name}_rows:")
            for j in range(2):
                bring(once)
                bring(slots[(j + 1) % 2])
                compute([slots[j % 2], once, slots[(j + 1) % 2]])
            out.append(f"\tJMP  {name}_rows")
        if strips:
            out.append(f"{name}_stripdone:")
            out.append("\tADDQ $128, R11")
            out.append("\tSUBQ $32, R12")
            out.append(f"\tJGT  {name}_strip")
        out.append(f"{name}_planedone:")
        pad1_next_plane(out, name)


def gen_pad1_avx2(out):
    """dwPad1S1AVX2 and dwPad1S2AVX2: DepthwisePad1 on AVX2, in strips of
    8 outputs, each strip top to bottom with its rows' taps kept in
    registers (stride 1: three rows, unrolled by three; stride 2: the odd
    row the next output row shares, unrolled by two). Stride 1 loads a
    row's taps as three overlapping vectors (columns c-1, c, c+1);
    stride 2 splits two pairs of vectors into even and odd columns
    (VSHUFPS + VPERMPD: columns 2i-1, 2i and 2i+1 of the strip). Strips
    whose loads all fall inside the row load plainly; the others (the
    first, the last) load under masks kept in the frame (from dwMaskTab:
    lanes from -q to w-q of a load at column q), so padding reads as
    zero. The strips go right to left: the last strip of a row stores
    all 8 lanes, past the row's end into the next rows' first columns,
    which the first strip (later) or the next rows (after) overwrite;
    only a store that would pass the plane's end goes under a mask (AVX2
    masked stores are slow on AMD). The weights are broadcast from memory for each
    multiply-add (Y10), the bias at each row; Y14 and Y15 hold lo and
    hi, the frame zero. Each output adds its taps in order 0..8 to the
    bias with fused multiply-adds and is clamped: the bits of
    dwRows9AVX2 on a padded plane."""
    for j in range(24):
        out.append(f"DATA ·dwMaskTab+{4*j}(SB)/4, ${'0xffffffff' if 8 <= j < 16 else '0'}")
    out.append("GLOBL ·dwMaskTab(SB), RODATA|NOPTR, $96")
    out.append("")
    sig = "(y *float32, os int, x *float32, is, planes, h, w, r0, rows, ow int, wts, bias *float32, bstride int, zeros *float32, pend int, lo, hi, zero float32)"
    # Frame: 0 zero vector, 32.. masks (s1: L, V, R; s2: A, B, A', B';
    # then the store's).
    for name, s in (("dwPad1S1AVX2", 1), ("dwPad1S2AVX2", 2)):
        out.append(f"// func {name}{sig}")
        out.append(f"TEXT ·{name}(SB), NOSPLIT, $224-132")
        out.append("\tMOVQ planes+32(FP), BX")
        out.append("\tTESTQ BX, BX")
        out.append(f"\tJLE  {name}_done")
        out.append("\tMOVQ y+0(FP), DI")
        out.append("\tMOVQ x+16(FP), SI")
        out.append("\tMOVQ wts+80(FP), R8")
        out.append("\tMOVQ bias+88(FP), R9")
        out.append("\tMOVQ zeros+104(FP), R15")
        out.append("\tMOVQ w+48(FP), DX")
        out.append("\tSHLQ $2, DX")
        out.append("\tVBROADCASTSS lo+120(FP), Y14")
        out.append("\tVBROADCASTSS hi+124(FP), Y15")
        out.append("\tVBROADCASTSS zero+128(FP), Y9")
        out.append("\tVMOVUPS Y9, 0(SP)")
        loads = ["L", "V", "R"] if s == 1 else ["A", "B", "A2", "B2"]
        # column of each load relative to the strip's first input column
        qoff = {"L": -1, "V": 0, "R": 1, "A": 0, "B": 8, "A2": -1, "B2": 7}
        moff = {k: 32 + 32 * i for i, k in enumerate(loads)}
        smask = 32 + 32 * len(loads)

        def mask_for(q_expr_reg, slot, bound="w+48(FP)"):
            # frame[slot] = lanes i with 0 <= q+i < bound, q in q_expr_reg
            # (dwMaskTab from 8+clamp(q,-8,0) AND from
            # 16-clamp(bound-q,0,8)).
            out.append(f"\tMOVQ {q_expr_reg}, AX")
            out.append("\tMOVQ $-8, R13")
            out.append("\tCMPQ AX, R13")
            out.append("\tCMOVQLT R13, AX")
            out.append("\tXORL R13, R13")
            out.append("\tCMPQ AX, R13")
            out.append("\tCMOVQGT R13, AX")
            out.append("\tLEAQ ·dwMaskTab+32(SB), R13")
            out.append("\tVMOVDQU (R13)(AX*4), Y10")
            out.append(f"\tMOVQ {bound}, AX")
            out.append(f"\tSUBQ {q_expr_reg}, AX")
            out.append("\tMOVQ $8, R13")
            out.append("\tCMPQ AX, R13")
            out.append("\tCMOVQGT R13, AX")
            out.append("\tXORL R13, R13")
            out.append("\tCMPQ AX, R13")
            out.append("\tCMOVQLT R13, AX")
            out.append("\tNEGQ AX")
            out.append("\tLEAQ ·dwMaskTab+64(SB), R13")
            out.append("\tVPAND (R13)(AX*4), Y10, Y10")
            out.append(f"\tVMOVDQU Y10, {slot}(SP)")

        def bring(regs, masked):
            # The taps of input row R14 (or the zero row outside [0, h))
            # into regs; R14 advances. AX: the row; R11: the strip's
            # first input column.
            pad1_row(out)

            def load(k, dst):
                off = 4 * qoff[k]
                if masked:
                    out.append(f"\tVMOVDQU {moff[k]}(SP), Y13")
                    out.append(f"\tVMASKMOVPS {off}(AX)(R11*4), Y13, {dst}")
                else:
                    out.append(f"\tVMOVUPS {off}(AX)(R11*4), {dst}")

            if s == 1:
                for k, r in zip(loads, regs):
                    load(k, r)
            else:
                l, e, o = regs
                load("A", "Y10")
                load("B", "Y11")
                out.append(f"\tVSHUFPS $0x88, Y11, Y10, {e}")
                out.append(f"\tVSHUFPS $0xDD, Y11, Y10, {o}")
                load("A2", "Y10")
                load("B2", "Y11")
                out.append(f"\tVSHUFPS $0x88, Y11, Y10, {l}")
                for r in (l, e, o):
                    out.append(f"\tVPERMPD $0xD8, {r}, {r}")

        slots = [[f"Y{3*k + i}" for i in range(3)] for k in range(3)]
        ocol = "(R10)(R11*4)" if s == 1 else "(R10)(R11*2)"

        def compute(rows, masked, lbl):
            out.append("\tVBROADCASTSS (R9), Y9")
            for kh, regs in enumerate(rows):
                for kw in range(3):
                    out.append(f"\tVBROADCASTSS {4*(3*kh + kw)}(R8), Y10")
                    out.append(f"\tVFMADD231PS {regs[kw]}, Y10, Y9")
            out.append("\tVMAXPS Y9, Y14, Y9")
            out.append("\tVMINPS Y9, Y15, Y9")
            out.append("\tVADDPS 0(SP), Y9, Y9")
            if masked:
                # Under the mask where 8 floats would pass the plane's end
                # (R12).
                lea = "LEAQ 32(R10)(R11*4), AX" if s == 1 else "LEAQ 32(R10)(R11*2), AX"
                out.append(f"\t{lea}")
                out.append("\tCMPQ AX, R12")
                out.append(f"\tJLS  {lbl}_full")
                out.append(f"\tVMOVDQU {smask}(SP), Y13")
                out.append(f"\tVMASKMOVPS Y9, Y13, {ocol}")
                out.append(f"\tJMP  {lbl}_stored")
                out.append(f"{lbl}_full:")
                out.append(f"\tVMOVUPS Y9, {ocol}")
                out.append(f"{lbl}_stored:")
            else:
                out.append(f"\tVMOVUPS Y9, {ocol}")
            out.append("\tMOVQ ow+72(FP), AX")
            out.append("\tLEAQ (R10)(AX*4), R10")
            out.append("\tDECQ CX")

        def rows_loop(masked):
            p = f"{name}_{'m' if masked else 'p'}"
            # Output rows r0 .. r0+rows-1: R10 at row r0, R14 at input
            # row s·r0 − 1.
            out.append("\tMOVQ r0+56(FP), AX")
            out.append("\tIMULQ ow+72(FP), AX")
            out.append("\tLEAQ (DI)(AX*4), R10")
            out.append("\tMOVQ rows+64(FP), CX")
            out.append("\tMOVQ r0+56(FP), R14")
            if s == 2:
                out.append("\tSHLQ $1, R14")
            out.append("\tDECQ R14")
            if s == 1:
                bring(slots[0], masked)
                bring(slots[1], masked)
                out.append(f"{p}rows:")
                for j in range(3):
                    bring(slots[(j + 2) % 3], masked)
                    compute([slots[j % 3], slots[(j + 1) % 3], slots[(j + 2) % 3]], masked, f"{p}{j}")
                    out.append(f"\tJZ   {name}_stripdone")
            else:
                once = slots[2]
                bring(slots[0], masked)
                out.append(f"{p}rows:")
                for j in range(2):
                    bring(once, masked)
                    bring(slots[(j + 1) % 2], masked)
                    compute([slots[j % 2], once, slots[(j + 1) % 2]], masked, f"{p}{j}")
                    out.append(f"\tJZ   {name}_stripdone")
            out.append(f"\tJMP  {p}rows")

        out.append(f"{name}_plane:")
        # R11: the last strip's first input column (8 outputs per strip).
        out.append("\tMOVQ ow+72(FP), R11")
        out.append("\tDECQ R11")
        out.append("\tSHRQ $3, R11")
        out.append(f"\tSHLQ ${3 + (s - 1)}, R11")
        out.append(f"{name}_strip:")
        # Interior: every load inside the row (s1: c >= 1, c+9 <= w; s2:
        # c >= 1, c+16 <= w).
        out.append("\tTESTQ R11, R11")
        out.append(f"\tJEQ  {name}_edge")
        out.append(f"\tLEAQ {9 if s == 1 else 16}(R11), AX")
        out.append("\tCMPQ AX, w+48(FP)")
        out.append(f"\tJGT  {name}_edge")
        rows_loop(False)
        out.append(f"{name}_edge:")
        for k in loads:
            out.append(f"\tLEAQ {qoff[k]}(R11), R12")
            mask_for("R12", moff[k])
        # The store's lanes: outputs below ow (as a load of ow floats at
        # the strip's first output column).
        out.append("\tMOVQ R11, R12")
        if s == 2:
            out.append("\tSHRQ $1, R12")
        mask_for("R12", smask, "ow+72(FP)")
        # R12: the plane's end in y.
        out.append("\tMOVQ pend+112(FP), AX")
        out.append("\tLEAQ (DI)(AX*4), R12")
        rows_loop(True)
        out.append(f"{name}_stripdone:")
        out.append(f"\tSUBQ ${8 * s}, R11")
        out.append(f"\tJGE  {name}_strip")
        pad1_next_plane(out, name)


def main():
    out = [
        "// Code generated by asm/_gen/conv_dw_amd64.py; DO NOT EDIT.",
        "",
        "//go:build !purego",
        "",
        '#include "textflag.h"',
        "",
        "// 3x3 depthwise kernels; see conv_dw.go for the semantics and",
        "// conv_dw_amd64.go for the declarations. Z0-Z8 (Y0-Y8) hold the",
        "// broadcast weights, Z9 the bias, Z12/Z13/Z14 lo, hi and zero; SI,",
        "// DX, R8-R13, BX point at the nine taps of the current row, DI at",
        "// its output, R14 is the tap row stride in bytes; each output",
        "// accumulates its taps in order 0..8, then is clamped.",
        "",
    ]
    for j in range(16):
        out.append(f"DATA ·dwTailMask+{4*j}(SB)/4, ${'0xffffffff' if j < 8 else '0'}")
    out.append("GLOBL ·dwTailMask(SB), RODATA|NOPTR, $64")
    out.append("")
    gen_avx2(out)
    out.append("")
    gen_avx512(out)
    out.append("")
    gen_avx512(out, "dwRows9ShiftAVX512", shared=True)
    out.append("")
    gen_split(out)
    gen_split_rows(out)
    gen_pad1(out)
    gen_pad1_avx2(out)
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
