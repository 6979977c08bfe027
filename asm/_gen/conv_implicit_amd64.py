#!/usr/bin/env python3
"""Generates asm/conv_implicit_amd64.s: the implicit-GEMM convolution
kernels convImplicitAVX512_<mr> (mr = 1..8 filter rows, 3 zmm vectors =
48 positions per step), convImplicitAVX512W_<mr> (mr = 1..6, 4 zmm vectors
= 64 positions per step) and convImplicitAVX2_<mr> (mr = 1..4, 3 ymm vectors
= 24 positions per step). See asm/conv_implicit.go for the semantics.

Every output element is one chain of fused multiply-adds starting from
zero, over k = 0, 1, ..., K-1 in order, in both instruction sets, so the
AVX2 and AVX-512 kernels give identical bits and an element's value does
not depend on where its step starts.

Usage: python3 conv_implicit_amd64.py OUT.s
"""
import sys

NV = 3  # vectors per step

# Arguments (ABI0 frame offsets).
ARGS = "c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int"

# Register use:
#   DI  c at the current step           R8  ldc in bytes
#   SI  w at the current k               BX  ldw in bytes
#   R12 3*ldw in bytes                   R13 SI + 3*ldw bytes
#   DX  b at the current step            R9  offs at the current k
#   CX  K                                R10 positions left
#   AX  k counter                        R11 tap pointer / scratch
#   R14, R15 store rows and mask scratch


def w_addr(i):
    """Address of weight row i at the current k."""
    return {
        0: "(SI)",
        1: "(SI)(BX*1)",
        2: "(SI)(BX*2)",
        3: "(SI)(R12*1)",
        4: "(SI)(BX*4)",
        5: "(R13)(BX*2)",
        6: "(SI)(R12*2)",
        7: "(R13)(BX*4)",
    }[i]


def c_addr(i, off):
    """Address of output row i (R14 = DI + 3*ldc bytes, R15 = 3*ldc)."""
    o = f"{off}" if off else ""
    return {
        0: f"{o}(DI)",
        1: f"{o}(DI)(R8*1)",
        2: f"{o}(DI)(R8*2)",
        3: f"{o}(DI)(R15*1)",
        4: f"{o}(DI)(R8*4)",
        5: f"{o}(R14)(R8*2)",
        6: f"{o}(DI)(R15*2)",
        7: f"{o}(R14)(R8*4)",
    }[i]


# The AVX-512 kernels also take the epilogue: bias (nil: none), one value
# per row added after the chain, then relu (nonzero: max(0, x) + 0, as
# reluAVX512), so the bits match AddScalar and Relu passes over the rows.
ARGS512 = ARGS + ", bias *float32, relu int"


def prologue(out, name, args=ARGS):
    out.append(f"// func {name}({args})")
    out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-{64 if args == ARGS else 80}")
    out.append("\tMOVQ c+0(FP), DI")
    out.append("\tMOVQ ldc+8(FP), R8")
    out.append("\tSHLQ $2, R8")
    out.append("\tLEAQ (R8)(R8*2), R15")
    out.append("\tMOVQ ldw+24(FP), BX")
    out.append("\tSHLQ $2, BX")
    out.append("\tLEAQ (BX)(BX*2), R12")
    out.append("\tMOVQ b+32(FP), DX")
    out.append("\tMOVQ k+48(FP), CX")
    out.append("\tMOVQ n+56(FP), R10")


def kloop(out, label, mr, reg, load, nv=NV, nvf=NV):
    """The reduction over k for one step: accumulators reg(i*nvf+v) for
    rows i < mr and vectors v < nv (nvf: vectors of a full step), the B
    vectors (loaded by load) in BREG, the broadcast weight in BCAST (or
    BCAST4 when nvf is 4)."""
    bc = BCAST4 if nvf == 4 else BCAST[reg]
    out.append("\tMOVQ w+16(FP), SI")
    out.append("\tLEAQ (SI)(R12*1), R13")
    out.append("\tMOVQ offs+40(FP), R9")
    out.append("\tMOVQ CX, AX")
    out.append("\tTESTQ AX, AX")
    out.append(f"\tJEQ  {label}_store")
    out.append(f"{label}_k:")
    out.append("\tMOVLQSX (R9), R11")
    out.append("\tLEAQ (DX)(R11*4), R11")
    load(out)
    for i in range(mr):
        out.append(f"\tVBROADCASTSS {w_addr(i)}, {reg}{bc}")
        for v in range(nv):
            out.append(f"\tVFMADD231PS {reg}{BREG[reg][v]}, {reg}{bc}, {reg}{i*nvf+v}")
    out.append("\tADDQ $4, SI")
    out.append("\tADDQ $4, R13")
    out.append("\tADDQ $4, R9")
    out.append("\tDECQ AX")
    out.append(f"\tJNE  {label}_k")
    out.append(f"{label}_store:")
    out.append("\tLEAQ (DI)(R15*1), R14")


BREG = {"Z": [24, 25, 26, 27], "Y": [12, 13, 14]}
BCAST = {"Z": 27, "Y": 15}
BCAST4 = 28  # the broadcast of the 4-vector AVX-512 kernels


def epilogue512(out, label, mr, nv, nvf):
    """Bias and ReLU on accumulators Z(i*nvf+v), i < mr, v < nv (Z30 the
    broadcast bias, Z31 zero; R11 is free once the k loop ends)."""
    out.append("\tMOVQ bias+64(FP), R11")
    out.append("\tTESTQ R11, R11")
    out.append(f"\tJEQ  {label}_nobias")
    for i in range(mr):
        out.append(f"\tVBROADCASTSS {4*i}(R11), Z30")
        for v in range(nv):
            out.append(f"\tVADDPS Z30, Z{i*nvf+v}, Z{i*nvf+v}")
    out.append(f"{label}_nobias:")
    out.append("\tMOVQ relu+72(FP), R11")
    out.append("\tTESTQ R11, R11")
    out.append(f"\tJEQ  {label}_norelu")
    out.append("\tVPXORD Z31, Z31, Z31")
    for i in range(mr):
        for v in range(nv):
            a = i * nvf + v
            out.append(f"\tVMAXPS Z{a}, Z31, Z{a}")
            out.append(f"\tVADDPS Z31, Z{a}, Z{a}")
    out.append(f"{label}_norelu:")


def zero(out, mr, reg, nv=NV, nvf=NV):
    for i in range(mr):
        for v in range(nv):
            a = i * nvf + v
            out.append(f"\tVXORPS {reg}{a}, {reg}{a}, {reg}{a}")


def gen_avx512(out, mr, nvf=NV):
    """convImplicitAVX512_<mr> (nvf 3) or convImplicitAVX512W_<mr> (nvf 4)."""
    name = f"convImplicitAVX512{'W' if nvf == 4 else ''}_{mr}"
    step = 16 * nvf
    prologue(out, name, ARGS512)
    out.append(f"{name}_loop:")
    out.append(f"\tCMPQ R10, ${step}")
    out.append(f"\tJLT  {name}_tail")
    zero(out, mr, "Z", nvf, nvf)

    def load_full(o):
        for v in range(nvf):
            o.append(f"\tVMOVUPS {64*v}(R11), Z{BREG['Z'][v]}")

    kloop(out, f"{name}_full", mr, "Z", load_full, nvf, nvf)
    epilogue512(out, f"{name}_full", mr, nvf, nvf)
    for i in range(mr):
        for v in range(nvf):
            out.append(f"\tVMOVUPS Z{i*nvf+v}, {c_addr(i, 64*v)}")
    out.append(f"\tADDQ ${4*step}, DI")
    out.append(f"\tADDQ ${4*step}, DX")
    out.append(f"\tSUBQ ${step}, R10")
    out.append(f"\tJMP  {name}_loop")
    out.append(f"{name}_tail:")
    out.append("\tTESTQ R10, R10")
    out.append(f"\tJEQ  {name}_done")
    # Masks K1..K<nvf>: lanes of the remaining R10 (< step) positions.
    out.append("\tMOVQ R10, R11")
    out.append("\tMOVQ $16, R14")
    for v in range(nvf):
        out.append("\tMOVQ R11, AX")
        out.append("\tCMPQ AX, R14")
        out.append("\tCMOVQGT R14, AX")
        out.append("\tSUBQ AX, R11")
        out.append("\tMOVQ $1, R13")
        out.append("\tSHLXQ AX, R13, R13")
        out.append("\tDECQ R13")
        out.append(f"\tKMOVW R13, K{v+1}")
    # Only the vectors the tail reaches: 1 .. nvf.
    for nv in range(1, nvf):
        out.append(f"\tCMPQ R10, ${16*nv}")
        out.append(f"\tJLE  {name}_tail{nv}")
    for nv in range(nvf, 0, -1):
        out.append(f"{name}_tail{nv}:")
        zero(out, mr, "Z", nv, nvf)

        def load_tail(o, nv=nv):
            # Masked-off lanes are neither loaded (no fault) nor stored.
            for v in range(nv):
                o.append(f"\tVMOVUPS.Z {64*v}(R11), K{v+1}, Z{BREG['Z'][v]}")

        kloop(out, f"{name}_tail{nv}", mr, "Z", load_tail, nv, nvf)
        epilogue512(out, f"{name}_tail{nv}", mr, nv, nvf)
        for i in range(mr):
            for v in range(nv):
                out.append(f"\tVMOVUPS Z{i*nvf+v}, K{v+1}, {c_addr(i, 64*v)}")
        out.append(f"\tJMP  {name}_done")
    out.append(f"{name}_done:")
    out.append("\tVZEROUPPER")
    out.append("\tRET")


def gen_avx2(out, mr):
    name = f"convImplicitAVX2_{mr}"
    step = 8 * NV
    prologue(out, name)
    out.append(f"{name}_loop:")
    out.append(f"\tCMPQ R10, ${step}")
    out.append(f"\tJLT  {name}_tail")
    zero(out, mr, "Y")

    def load_full(o):
        for v in range(NV):
            o.append(f"\tVMOVUPS {32*v}(R11), Y{BREG['Y'][v]}")

    kloop(out, f"{name}_full", mr, "Y", load_full)
    for i in range(mr):
        for v in range(NV):
            out.append(f"\tVMOVUPS Y{i*NV+v}, {c_addr(i, 32*v)}")
    out.append(f"\tADDQ ${4*step}, DI")
    out.append(f"\tADDQ ${4*step}, DX")
    out.append(f"\tSUBQ ${step}, R10")
    out.append(f"\tJMP  {name}_loop")
    # Tail (< 24 positions): 16 in two unmasked vectors if there are as
    # many, then 9..15 in two vectors (the second masked with Y14), or
    # up to 8 in one masked vector.
    out.append(f"{name}_tail:")
    out.append("\tCMPQ R10, $16")
    out.append(f"\tJLT  {name}_tail2m")
    zero(out, mr, "Y", 2)

    def load_two(o):
        for v in range(2):
            o.append(f"\tVMOVUPS {32*v}(R11), Y{BREG['Y'][v]}")

    kloop(out, f"{name}_t16", mr, "Y", load_two, 2)
    for i in range(mr):
        for v in range(2):
            out.append(f"\tVMOVUPS Y{i*NV+v}, {c_addr(i, 32*v)}")
    out.append("\tADDQ $64, DI")
    out.append("\tADDQ $64, DX")
    out.append("\tSUBQ $16, R10")
    out.append(f"{name}_tail2m:")
    out.append("\tCMPQ R10, $8")
    out.append(f"\tJLE  {name}_tail1")
    out.append("\tMOVQ R10, AX")
    out.append("\tSUBQ $8, AX")
    out.append("\tLEAQ ·convMask8(SB), R11")
    out.append("\tNEGQ AX")
    out.append("\tVMOVUPS 32(R11)(AX*4), Y14")
    zero(out, mr, "Y", 2)

    def load_two_masked(o):
        o.append(f"\tVMOVUPS (R11), Y{BREG['Y'][0]}")
        o.append(f"\tVMASKMOVPS 32(R11), Y14, Y{BREG['Y'][1]}")

    kloop(out, f"{name}_t2m", mr, "Y", load_two_masked, 2)
    for i in range(mr):
        out.append(f"\tVMOVUPS Y{i*NV}, {c_addr(i, 0)}")
        out.append(f"\tVMASKMOVPS Y{i*NV+1}, Y14, {c_addr(i, 32)}")
    out.append(f"\tJMP  {name}_done")
    # Up to 8 positions in one vector, masked with the row of convMask8
    # that has min(R10, 8) leading ones; accumulators Y0..Y(mr-1), B in
    # Y12, mask in Y13, broadcast in Y15.
    out.append(f"{name}_tail1:")
    out.append("\tTESTQ R10, R10")
    out.append(f"\tJLE  {name}_done")
    out.append("\tMOVQ R10, AX")
    out.append("\tMOVQ $8, R11")
    out.append("\tCMPQ AX, R11")
    out.append("\tCMOVQGT R11, AX")
    out.append("\tLEAQ ·convMask8(SB), R11")
    out.append("\tNEGQ AX")
    out.append("\tVMOVUPS 32(R11)(AX*4), Y13")
    for i in range(mr):
        out.append(f"\tVXORPS Y{i}, Y{i}, Y{i}")
    out.append("\tMOVQ w+16(FP), SI")
    out.append("\tLEAQ (SI)(R12*1), R13")
    out.append("\tMOVQ offs+40(FP), R9")
    out.append("\tMOVQ CX, AX")
    out.append("\tTESTQ AX, AX")
    out.append(f"\tJEQ  {name}_tstore")
    out.append(f"{name}_tk:")
    out.append("\tMOVLQSX (R9), R11")
    out.append("\tLEAQ (DX)(R11*4), R11")
    out.append("\tVMASKMOVPS (R11), Y13, Y12")
    for i in range(mr):
        out.append(f"\tVBROADCASTSS {w_addr(i)}, Y15")
        out.append(f"\tVFMADD231PS Y12, Y15, Y{i}")
    out.append("\tADDQ $4, SI")
    out.append("\tADDQ $4, R13")
    out.append("\tADDQ $4, R9")
    out.append("\tDECQ AX")
    out.append(f"\tJNE  {name}_tk")
    out.append(f"{name}_tstore:")
    out.append("\tLEAQ (DI)(R15*1), R14")
    for i in range(mr):
        out.append(f"\tVMASKMOVPS Y{i}, Y13, {c_addr(i, 0)}")
    out.append("\tADDQ $32, DI")
    out.append("\tADDQ $32, DX")
    out.append("\tSUBQ $8, R10")
    out.append(f"\tJMP  {name}_tail1")
    out.append(f"{name}_done:")
    out.append("\tVZEROUPPER")
    out.append("\tRET")


def gen_copy_rows(out, isa, bias=False, res=False, gap=False):
    """convCopyRows<isa>(dst *float32, ldd int, src *float32, lds int, w int, rows int):
    rows rows of w floats from src (stride lds) to dst (stride ldd);
    convCopyRowsGap<isa>(..., gap int) (AVX-512) also zeroes the gap
    (≤ 16) floats after each row (a padded plane's padding columns);
    convAddRows<isa>(..., s float32) adds s to each;
    convAddRowsResReLU<isa>(..., s float32, res *float32, ldr int) then adds
    res (stride ldr) and applies ReLU as the vec kernels do (max(0, x) + 0),
    each step rounding as AddScalar, Add and Relu passes would."""
    name = f"convAddRows{isa}" if bias else f"convCopyRows{isa}"
    if res:
        name = f"convAddRowsResReLU{isa}"
    if gap:
        name = f"convCopyRowsGap{isa}"
    reg, lanes = ("Z", 16) if isa == "AVX512" else ("Y", 8)
    if res:
        out.append(f"// func {name}(dst *float32, ldd int, src *float32, lds int, w int, rows int, s float32, res *float32, ldr int)")
        out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-72")
        out.append(f"\tVBROADCASTSS s+48(FP), {reg}1")
        out.append("\tMOVQ res+56(FP), BX")
        out.append("\tMOVQ ldr+64(FP), R12")
        out.append("\tSHLQ $2, R12")
        out.append(f"\tVXORPS {reg}15, {reg}15, {reg}15")
    elif bias:
        out.append(f"// func {name}(dst *float32, ldd int, src *float32, lds int, w int, rows int, s float32)")
        out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-52")
        out.append(f"\tVBROADCASTSS s+48(FP), {reg}1")
    elif gap:
        out.append(f"// func {name}(dst *float32, ldd int, src *float32, lds int, w int, rows int, gap int)")
        out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-56")
        # K3: the gap's lanes; Z14: zeros.
        out.append("\tMOVQ gap+48(FP), AX")
        out.append("\tMOVQ $1, R11")
        out.append("\tSHLXQ AX, R11, R11")
        out.append("\tDECQ R11")
        out.append("\tKMOVW R11, K3")
        out.append("\tVPXORD Z14, Z14, Z14")
    else:
        out.append(f"// func {name}(dst *float32, ldd int, src *float32, lds int, w int, rows int)")
        out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-48")
    out.append("\tMOVQ dst+0(FP), DI")
    out.append("\tMOVQ ldd+8(FP), R8")
    out.append("\tSHLQ $2, R8")
    out.append("\tMOVQ src+16(FP), SI")
    out.append("\tMOVQ lds+24(FP), R9")
    out.append("\tSHLQ $2, R9")
    out.append("\tMOVQ w+32(FP), CX")
    out.append("\tMOVQ rows+40(FP), DX")
    if isa == "AVX512":
        # K1: the lanes of the last w%16 floats of a row.
        out.append("\tMOVQ CX, AX")
        out.append("\tANDQ $15, AX")
        out.append("\tMOVQ $1, R11")
        out.append("\tSHLXQ AX, R11, R11")
        out.append("\tDECQ R11")
        out.append("\tKMOVW R11, K1")
    out.append("\tMOVQ CX, R10")
    out.append(f"\tANDQ ${-lanes}, R10")
    out.append(f"{name}_row:")
    out.append("\tTESTQ DX, DX")
    out.append(f"\tJEQ  {name}_done")
    out.append("\tXORQ AX, AX")
    out.append(f"{name}_vec:")
    out.append("\tCMPQ AX, R10")
    out.append(f"\tJGE  {name}_tail")
    out.append(f"\tVMOVUPS (SI)(AX*4), {reg}0")
    if bias or res:
        out.append(f"\tVADDPS {reg}1, {reg}0, {reg}0")
    if res:
        out.append(f"\tVMOVUPS (BX)(AX*4), {reg}2")
        out.append(f"\tVADDPS {reg}2, {reg}0, {reg}0")
        out.append(f"\tVMAXPS {reg}0, {reg}15, {reg}0")
        out.append(f"\tVADDPS {reg}15, {reg}0, {reg}0")
    out.append(f"\tVMOVUPS {reg}0, (DI)(AX*4)")
    out.append(f"\tADDQ ${lanes}, AX")
    out.append(f"\tJMP  {name}_vec")
    out.append(f"{name}_tail:")
    if isa == "AVX512":
        out.append("\tCMPQ AX, CX")
        out.append(f"\tJGE  {name}_next")
        out.append("\tVMOVUPS.Z (SI)(AX*4), K1, Z0")
        if bias or res:
            out.append("\tVADDPS Z1, Z0, Z0")
        if res:
            out.append("\tVMOVUPS.Z (BX)(AX*4), K1, Z2")
            out.append("\tVADDPS Z2, Z0, Z0")
            out.append("\tVMAXPS Z0, Z15, Z0")
            out.append("\tVADDPS Z15, Z0, Z0")
        out.append("\tVMOVUPS Z0, K1, (DI)(AX*4)")
    else:
        out.append("\tCMPQ AX, CX")
        out.append(f"\tJGE  {name}_next")
        out.append("\tVMOVSS (SI)(AX*4), X0")
        if bias or res:
            out.append("\tVADDSS X1, X0, X0")
        if res:
            out.append("\tVMOVSS (BX)(AX*4), X2")
            out.append("\tVADDSS X2, X0, X0")
            out.append("\tVMAXPS X0, X15, X0")
            out.append("\tVADDPS X15, X0, X0")
        out.append("\tVMOVSS X0, (DI)(AX*4)")
        out.append("\tINCQ AX")
        out.append(f"\tJMP  {name}_tail")
    out.append(f"{name}_next:")
    if gap:
        out.append("\tVMOVUPS Z14, K3, (DI)(CX*4)")
    out.append("\tADDQ R8, DI")
    out.append("\tADDQ R9, SI")
    if res:
        out.append("\tADDQ R12, BX")
    out.append("\tDECQ DX")
    out.append(f"\tJMP  {name}_row")
    out.append(f"{name}_done:")
    out.append("\tVZEROUPPER")
    out.append("\tRET")


def gen_shift_rows(out):
    """convShiftRowsAVX512(dst *float32, ldd, n int, src *float32, lds, count, w, top, rows, e int):
    for each plane q < count (dst at q·ldd, src at q·lds floats) and
    i < n, row r = i/w, column c = i%w: dst[i] = src[(r-top)*w+c+e] when
    top ≤ r < top+rows and 0 ≤ c+e < w, else 0 (shifted-column planes,
    padding rows included). 16 floats per step: a lane's column is kept
    in Z2 (+16 mod w per step, wrapped), its flat index in Z3; the valid
    lanes are one masked, zeroing load; the store is full but for the
    last n%16 floats. The caller checks count ≥ 1, n ≥ 1, n + 16 < 2³¹
    and |e| < w."""
    name = "convShiftRowsAVX512"
    out.append(f"// func {name}(dst *float32, ldd, n int, src *float32, lds, count, w, top, rows, e int)")
    out.append(f"TEXT ·{name}(SB), NOSPLIT, $0-80")
    out.append("\tMOVQ dst+0(FP), DI")
    out.append("\tMOVQ ldd+8(FP), R13")
    out.append("\tSHLQ $2, R13")
    out.append("\tMOVQ n+16(FP), CX")
    out.append("\tMOVQ src+24(FP), SI")
    out.append("\tMOVQ lds+32(FP), R14")
    out.append("\tSHLQ $2, R14")
    out.append("\tMOVQ w+48(FP), R8")
    out.append("\tMOVQ top+56(FP), R9")
    out.append("\tIMULQ R8, R9")  # R9 = top*w: first flat index of the rows
    out.append("\tMOVQ rows+64(FP), R10")
    out.append("\tIMULQ R8, R10")
    out.append("\tADDQ R9, R10")  # R10 = (top+rows)*w
    out.append("\tMOVQ e+72(FP), R11")
    # BX = src + 4·(e − top·w): lane i reads (BX)(i*4).
    out.append("\tMOVQ R11, AX")
    out.append("\tSUBQ R9, AX")
    out.append("\tLEAQ (SI)(AX*4), BX")
    out.append("\tVPBROADCASTD R8, Z10")  # w
    out.append("\tMOVQ R11, AX")
    out.append("\tNEGQ AX")
    out.append("\tVPBROADCASTD AX, Z11")  # lowest valid column −e
    out.append("\tMOVQ R8, AX")
    out.append("\tSUBQ R11, AX")
    out.append("\tVPBROADCASTD AX, Z12")  # first invalid column w − e
    out.append("\tVPBROADCASTD R9, Z13")
    out.append("\tVPBROADCASTD R10, Z14")
    out.append("\tMOVQ $16, AX")
    out.append("\tVPBROADCASTD AX, Z15")
    # Z5 = the lanes, Z4 = lane mod w (each plane's start); AX = 16 mod w.
    out.append("\tVMOVDQU32 ·convLanes(SB), Z5")
    out.append("\tVMOVDQA32 Z5, Z4")
    out.append(f"{name}_mod:")
    out.append("\tVPCMPD $5, Z10, Z4, K1")
    out.append("\tKORTESTW K1, K1")
    out.append(f"\tJEQ  {name}_step")
    out.append("\tVPSUBD Z10, Z4, K1, Z4")
    out.append(f"\tJMP  {name}_mod")
    out.append(f"{name}_step:")
    out.append("\tMOVQ $16, AX")
    out.append(f"{name}_stepmod:")
    out.append("\tCMPQ AX, R8")
    out.append(f"\tJLT  {name}_go")
    out.append("\tSUBQ R8, AX")
    out.append(f"\tJMP  {name}_stepmod")
    out.append(f"{name}_go:")
    out.append("\tVPBROADCASTD AX, Z9")  # column step
    # K2: the last n%16 lanes of a plane (all 16 when n%16 = 0).
    out.append("\tMOVQ CX, AX")
    out.append("\tANDQ $15, AX")
    out.append("\tMOVQ $1, R12")
    out.append("\tSHLXQ AX, R12, R12")
    out.append("\tDECQ R12")
    out.append("\tKMOVW R12, K2")
    out.append("\tMOVQ count+40(FP), R12")
    out.append(f"{name}_plane:")
    out.append("\tVMOVDQA32 Z4, Z2")
    out.append("\tVMOVDQA32 Z5, Z3")
    out.append("\tXORQ AX, AX")  # i
    out.append(f"{name}_loop:")
    out.append("\tMOVQ CX, DX")
    out.append("\tSUBQ AX, DX")
    out.append(f"\tJLE  {name}_next")
    out.append("\tVPCMPD $5, Z11, Z2, K1")
    out.append("\tVPCMPD $1, Z12, Z2, K1, K1")
    out.append("\tVPCMPD $5, Z13, Z3, K1, K1")
    out.append("\tVPCMPD $1, Z14, Z3, K1, K1")
    out.append("\tVMOVUPS.Z (BX)(AX*4), K1, Z0")
    out.append("\tCMPQ DX, $16")
    out.append(f"\tJLT  {name}_tail")
    out.append("\tVMOVUPS Z0, (DI)(AX*4)")
    out.append("\tVPADDD Z9, Z2, Z2")
    out.append("\tVPCMPD $5, Z10, Z2, K3")
    out.append("\tVPSUBD Z10, Z2, K3, Z2")
    out.append("\tVPADDD Z15, Z3, Z3")
    out.append("\tADDQ $16, AX")
    out.append(f"\tJMP  {name}_loop")
    out.append(f"{name}_tail:")
    out.append("\tVMOVUPS Z0, K2, (DI)(AX*4)")
    out.append(f"{name}_next:")
    out.append("\tADDQ R13, DI")
    out.append("\tADDQ R14, BX")
    out.append("\tDECQ R12")
    out.append(f"\tJNE  {name}_plane")
    out.append("\tVZEROUPPER")
    out.append("\tRET")


def main():
    out = [
        "// Code generated by asm/_gen/conv_implicit_amd64.py; DO NOT EDIT.",
        "",
        "//go:build !purego",
        "",
        '#include "textflag.h"',
        "",
        "// Implicit-GEMM convolution kernels; see conv_implicit.go for the",
        "// semantics and conv_implicit_amd64.go for the declarations. Each",
        "// output is one FMA chain from zero over k in increasing order.",
        "",
        "// convMask8: 8 all-ones lanes then 8 zero lanes; the 8 lanes at",
        "// 4*(8-r) bytes have r leading ones.",
    ]
    for j in range(16):
        out.append(f"DATA ·convMask8+{4*j}(SB)/4, ${-1 if j < 8 else 0}")
    out.append("GLOBL ·convMask8(SB), RODATA|NOPTR, $64")
    out.append("")
    out.append("// convLanes: the lane numbers 0..15 (int32).")
    for j in range(16):
        out.append(f"DATA ·convLanes+{4*j}(SB)/4, ${j}")
    out.append("GLOBL ·convLanes(SB), RODATA|NOPTR, $64")
    out.append("")
    for mr in range(1, 5):
        gen_avx2(out, mr)
        out.append("")
    for mr in range(1, 9):
        gen_avx512(out, mr)
        out.append("")
    for mr in range(1, 7):
        gen_avx512(out, mr, 4)
        out.append("")
    for bias in (False, True):
        for isa in ("AVX2", "AVX512"):
            gen_copy_rows(out, isa, bias)
            out.append("")
    for isa in ("AVX2", "AVX512"):
        gen_copy_rows(out, isa, True, True)
        out.append("")
    gen_copy_rows(out, "AVX512", gap=True)
    out.append("")
    gen_shift_rows(out)
    out.append("")
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
