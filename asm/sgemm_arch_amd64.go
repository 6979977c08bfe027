//go:build !purego

package asm

import "github.com/klauspost/cpuid/v2"

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
// on L1-resident panels run at 0.97–0.99 of the peak. Later, with A read
// in place and the epilogue in the kernels, kc 1024 and nc 128 measured
// better still (amd64KC below).
//
// The direct path (AVX2 kernel, no packing) stays for the smallest calls:
// against the AVX-512 blocked path, same machine and method (GFLOP/s,
// direct vs blocked): 6×16×16 32 vs 7, 16³ 52 vs 15, 32³ 81 vs 57,
// 8×64×27 59 vs 35, 32×64×27 84 vs 83, 16×256×144 93 vs 84; but 64³ 98 vs
// 110, 96³ 100 vs 133, 12×1024×64 60 vs 92, 128×64×512 106 vs 165, 256³
// 108 vs 186. So m·n·k ≤ 48³ goes direct.
//
// The kc slices of amd64 (avx2 and avx512 share them: they are the
// reduction order, see the package doc) are up to 1024 long, not the
// package's 256: each micro-kernel call then runs a longer FMA chain, so
// its fixed cost (the call, the C tile's load, add and store, the chains'
// start and drain) is spread over more k steps. Zen 5, avx512 blocked
// path, one thread, median of 100–300 alternating calls (kc 256 nc 768 →
// kc 1024 nc 128): 1024³ 11.0 → 10.65 ms, FullyConnected shapes with
// packed weights, bias and ReLU (m×n×k) 256×512×784 1049 → 1013 µs,
// 256×512×512 663 → 648–656 µs, 128×512×784 528 → 509 µs, 256×512×1568
// 2149 → 2068 µs; kc 392 or 512 (two slices of 784) gained nothing, so it
// is the chain length, not the slice count. nc 128 keeps the kc×nc block
// of B (512 KiB) in L2 (nc 256: 1024³ 11.05 ms). The avx2 blocked path is
// within ±1.5% of kc 256 on the same shapes (1024³ 21.3 → 21.5 ms, 256×
// 512×784 2094 → 2068 µs), with mc 96 so the mc×kc block of packed A (384
// KiB) fits a 512 KiB L2. But the avx2 small-M path lost at batch 1: MLP
// 784-512-512-10 in avx2 mode, one thread, the same binary but for kc,
// five of six alternating pairs 45.2–48.2 → 49.5–53.0 µs (batch 8 141–146
// → 144–150 µs), while avx512 gained at every batch (batch 1 30.1–39.9 →
// 29.3–38.6 µs, 8 54.3–62.0 → 53.3–56.4 µs, 256 1721–1955 → 1657–1837 µs).
// So kc 1024 is used only where avx512 is the default (amd64KC); where
// avx2 is (every other amd64 CPU, AVX-512 or not), both implementations
// keep kc 256 with the blocking they had (avx2 mc 144, avx512 nc 768): the
// two stay bit-identical on every machine.
const avx512MR = 12

// amd64KC, avx2MC and avx512NC are this machine's blocking of the amd64
// kernels: kc 1024 (avx2 mc 96, avx512 nc 128) where avx512 is the
// default implementation, else kc 256 (mc 144, nc 768).
var amd64KC, avx2MC, avx512NC = func() (int, int, int) {
	if impls, _ := platformImpls(); len(impls) > 0 && impls[0] == AVX512 {
		return 1024, 96, 128
	}
	return sgemmKC, sgemmMC, 768
}()

// archSgemmKernels lists the amd64 SGEMM micro-kernels.
func archSgemmKernels() map[string]sgemmKernel {
	avx2 := sgemmKernel{mr: 6, nr: 16, kc: amd64KC, mc: avx2MC, fn: sgemmKernelAVX2, store: sgemmKernelAVX2Store, packA: packA6AVX2,
		packB: packB16AVX2, packBT: packBT16AVX2,
		direct: directKernel{fn: directAVX2, mr: 6, nr: 16, packT16: packBT16StrideAVX2}}
	return map[string]sgemmKernel{
		AVX2:   avx2,
		AVX512: avx512Kernel(avx2, avx512MR),
	}
}

// avx512Kernel is base (the AVX2 kernels; the direct path keeps them) with
// the blocked path's micro-kernel and packing replaced by the AVX-512 mr×32
// ones (mr = 12 or 14).
func avx512Kernel(base sgemmKernel, mr int) sgemmKernel {
	k := base
	k.mr, k.nr = mr, 32
	k.nc, k.bInner = avx512NC, true
	if l1 := cpuid.CPU.Cache.L1D; l1 > 0 && l1 <= 32<<10 {
		// An 8-way L1 (32 KiB): the 12 rows of A read in place at a
		// 4 KiB stride share one set. Zen 4 (EPYC family 25 model 17),
		// one thread, GFLOP/s of the blocked path, in place with B
		// panels walked from L2 → packed A with B panels in L1: 1024³
		// 101.9–103.5 → 108.1–109.8, 2048³ 103.5 → 110.6; rows not 4 KiB
		// apart keep the in-place order, which wins there (1100³ 108.8
		// vs 104.7–105.9, 2000³ 109.6 vs 107.6–109.0, 512³ 112.2 vs
		// 111.4, the MLP's 256×512×784 113.3 vs 111.3).
		k.packAliased = avx2MC
	}
	switch mr {
	case 12:
		k.fn, k.store = sgemmKernel12x32AVX512, sgemmKernel12x32AVX512Store
		k.edge, k.edgeStore = sgemmKernel12x32EdgeAVX512, sgemmKernel12x32EdgeAVX512Store
		k.rows = rowKernels{fn: sgemmKernel12x32RowsAVX512, store: sgemmKernel12x32RowsAVX512Store,
			edge: sgemmKernel12x32RowsEdgeAVX512, edgeStore: sgemmKernel12x32RowsEdgeAVX512Store}
		k.narrow = narrowKernels{fn: sgemmNarrowRowsAVX512, store: sgemmNarrowRowsAVX512Store, mr: 12, packT16: packBT16AVX2}
	case 14:
		k.fn, k.store = sgemmKernel14x32AVX512, sgemmKernel14x32AVX512Store
	default:
		panic("asm: no AVX-512 kernel with that many rows")
	}
	k.packA = packAAVX512(mr)
	k.packAPart, k.packAT = packAPartAVX512(mr), packATAVX512(mr)
	k.packB = packB32AVX512
	k.packBT = packBT32AVX512
	// The direct path's 4×64 tiles (16 accumulators) with A and B in
	// place. Zen 4, one thread, GFLOP/s, direct → blocked: 64³ 113 vs
	// 102 (no B packing, 16 tiles in one call: 99% of the FMA peak in the
	// kernel), 128³ 114 vs 109, 256³ 114.5 vs 109–112, 32×512×512 115 vs
	// 99.5; with Bᵀ (transposed into panels first) 64³ 104 vs 98–100,
	// 128³ 105–110 vs 102–109 but 32×512×512 89 vs 98 and 128×512×512
	// 106 vs 108, hence the lower bound for Bᵀ. The 6×64 tile (24
	// accumulators) reached 94% of the peak per tile at k = 64, 4×64
	// 97.6%. With the weights in PackPanels' panels (read in pairs, any
	// k) FullyConnected 256×512×512 with bias and ReLU runs at 114.2 vs
	// 111.7–112.1 blocked, and the MLP 784-512-512-10 at batch 256 in
	// 2984 vs 3022 µs (one thread), 1494 vs 1506 µs (two).
	k.direct = directKernel{fn: sgemmDirect4x64AVX512, mr: 4, nr: 64, masked: true, panels: true, packT16: packBT16StrideAVX2,
		steps: sgemmDirectSteps4x64AVX512, nonzero: nonzeroSteps4AVX512,
		pack32: packB32AVX512, packT32: packBT32AVX512,
		maxWork: 256 * 256 * 256, maxWorkT: 128 * 128 * 128}
	return k
}

// archSlicedKernels lists the amd64 small-M kernels: the two-row chunk
// kernels (AVX2 on 32-column strips, AVX-512 on 64), and for AVX-512 the
// 8- and 4-row and one-row block kernels, which read each row of B once
// for the whole block (batch 8, FullyConnected 784→512, one thread on Zen 5,
// thread CPU time: 1.2–1.4× the pair kernels alone). All sum each element
// the same way, so avx2 and avx512 stay bit-identical.
func archSlicedKernels() map[string]slicedNN {
	avx2 := slicedNN{chunk2: gemvNNChunk2AVX2, width: 32, packT16: packBT16StrideAVX2}
	// n < 64 on avx512: 32-column strips, the AVX-512 row blocks and the
	// AVX2 pairs (batch 8, FullyConnected 512→10: 1 pass over B, not 4).
	narrow := avx2
	narrow.rows8, narrow.rows4 = gemvNNRows8AVX512, gemvNNRows4AVX512
	return map[string]slicedNN{
		AVX2: avx2,
		AVX512: {chunk2: gemvNNChunk2AVX512, rows8: gemvNNRows8AVX512, rows4: gemvNNRows4AVX512,
			row128: gemvNNRows1x128AVX512, row64: gemvNNRows1x64AVX512,
			panels1: [4]panelsFunc{gemvPanels1x32AVX512, gemvPanels1x64AVX512, gemvPanels1x96AVX512, gemvPanels1x128AVX512},
			panelsSteps: [4]panelsStepsFunc{gemvPanelsSteps1x32AVX512, gemvPanelsSteps1x64AVX512,
				gemvPanelsSteps1x96AVX512, gemvPanelsSteps1x128AVX512},
			nonzero: nonzeroSteps4AVX512,
			width:   64, packT16: packBT16StrideAVX2, narrow: &narrow},
	}
}
