//go:build !purego

package asm

// The AVX-512 blocked path's tile and cache blocking, chosen on Zen 5
// (family 26, model 2), 1024³ single thread (BenchmarkSgemmVsFMAPeak and
// BenchmarkSgemmImplsCPU: thread CPU time, best of alternating rounds in one
// run, as a fraction of the AVX-512 register-only FMA peak measured in the
// same rounds, 203–233 GFLOP/s): 12×32 tile, kc 256, nc 768 (two
// 512-column blocks at n = 1024), each A panel kept in L1 while the
// kernels walk the nc block's B panels from L2 (bInner): 0.80–0.82 of the
// peak; 14×32 with the same blocking 0.77–0.79; either tile with the AVX2
// path's loop order and blocking (B panel in L1, nc 4080) 0.75–0.77; kc
// 384 or 512 no better; the AVX2 6×16 kernel 0.41–0.47. The kernels alone
// on L1-resident panels run at 0.97–0.99 of the peak.
//
// The direct path (AVX2 kernel, no packing) stays for the smallest calls:
// against the AVX-512 blocked path, same machine and method (GFLOP/s,
// direct vs blocked): 6×16×16 32 vs 7, 16³ 52 vs 15, 32³ 81 vs 57,
// 8×64×27 59 vs 35, 32×64×27 84 vs 83, 16×256×144 93 vs 84; but 64³ 98 vs
// 110, 96³ 100 vs 133, 12×1024×64 60 vs 92, 128×64×512 106 vs 165, 256³
// 108 vs 186. So m·n·k ≤ 48³ goes direct.
const (
	avx512MR            = 12
	avx512NC            = 768
	avx512DirectMaxWork = 48 * 48 * 48
)

// archSgemmKernels lists the amd64 SGEMM micro-kernels.
func archSgemmKernels() map[string]sgemmKernel {
	avx2 := sgemmKernel{mr: 6, nr: 16, fn: sgemmKernelAVX2, store: sgemmKernelAVX2Store, packA: packA6AVX2,
		packB: packB16AVX2, packBT: packBT16AVX2, packBT16: packBT16AVX2, dot2x5: sgemmDot2x5AVX2,
		direct: sgemmDirectAVX2}
	return map[string]sgemmKernel{
		AVX2:   avx2,
		AVX512: avx512Kernel(avx2, avx512MR),
	}
}

// avx512Kernel is base (the AVX2 kernels; the direct path keeps them) with
// the blocked path's micro-kernel and packing replaced by the AVX-512 mr×32
// ones (mr = 12 or 14) and the dot path's kernel by the AVX-512 one.
func avx512Kernel(base sgemmKernel, mr int) sgemmKernel {
	k := base
	k.mr, k.nr = mr, 32
	k.nc, k.bInner = avx512NC, true
	switch mr {
	case 12:
		k.fn, k.store = sgemmKernel12x32AVX512, sgemmKernel12x32AVX512Store
	case 14:
		k.fn, k.store = sgemmKernel14x32AVX512, sgemmKernel14x32AVX512Store
	default:
		panic("asm: no AVX-512 kernel with that many rows")
	}
	k.packA = packAAVX512(mr)
	k.packB = packB32AVX512
	k.packBT = packBT32AVX512
	k.dot2x5 = sgemmDot2x5AVX512
	k.directMaxWork = avx512DirectMaxWork
	return k
}

// archGemvKernels lists the amd64 small-M kernels. The AVX-512 ones, one
// thread on Zen 5 (BenchmarkFCAVX512, batch m = 1..8): 1.0–1.2× avx2 for
// A·Wᵀ with m = 1 (memory-bound on W), 1.1–1.6× for A·W.
func archGemvKernels() map[string]gemvPair {
	sliced2 := slicedNN{chunk2: gemvNNChunk2AVX2, width: 32, packT16: packBT16AVX2}
	avx2 := gemvPair{nt: gemvNTAVX2, nn: gemvNNAVX2, sliced: sliced2}
	return map[string]gemvPair{
		AVX2: avx2,
		AVX512: {nt: gemvNTAVX512, nn: gemvNNAVX512, sliced: slicedNN{chunk2: gemvNNChunk2AVX512, rows8: gemvNNRows8AVX512, rows4: gemvNNRows4AVX512,
			row128: gemvNNRows1x128AVX512, row64: gemvNNRows1x64AVX512,
			width: 64, packT16: packBT16AVX2, narrow: &sliced2}},
	}
}
