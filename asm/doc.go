// Package asm holds mxgo's float32 compute kernels: a packed, cache-blocked,
// multi-threaded SGEMM, a small-M GEMV path, and the vector kernels the
// operators use (activations, softmax rows, reductions, elementwise
// arithmetic, float16 conversion).
//
// Each kernel family has Go assembly for amd64 (AVX2+FMA, and AVX-512 for
// SGEMM) and arm64 (NEON) and an always-compiled pure-Go twin that is the
// reference in tests. One implementation is selected at start-up from the
// CPU features reported by github.com/klauspost/cpuid/v2:
//
//	avx512   amd64 with AVX-512 F/BW/DQ/VL: AVX-512 SGEMM micro-kernel,
//	         packing, dot and gemv kernels, and vector kernels (arithmetic,
//	         relu/leaky/clip, scale/affine/axpy, exp/sigmoid/tanh, softmax
//	         rows, sum, dot, max); the AVX2 ones for the rest
//	avx2     amd64 with AVX2 and FMA3
//	neon     arm64 (ASIMD is mandatory there)
//	generic  pure Go, everywhere
//
// Where the CPU has AVX-512, avx512 is the default only on the
// microarchitectures where it measured faster (the table in avx512Default:
// AMD Zen 5); elsewhere avx2 stays first and avx512 is listed after it.
// ImplReason says why the selected implementation was chosen.
//
// The environment variable MXGO_KERNELS=avx512|avx2|generic (or the name of
// another available implementation) overrides the choice at start-up, and
// the purego build tag compiles the generic path only. Impls lists what
// this machine can run and SetImpl switches implementation, e.g. in tests
// and benchmarks that compare implementations side by side.
//
// # SGEMM paths
//
// Sgemm picks one path per call (sgemmImpl in sgemm.go), first match:
//
//	k = 0                                C = beta·C
//	A·Bᵀ (FullyConnected), n < 16 or     dot path (sgemm_dot.go): 2 rows of A
//	  2 ≤ m ≤ 8                            against 5 rows of W, no packing
//	A untransposed, m ≥ 6, n ≥ 16,       direct path (sgemm_direct.go): 6×16
//	  k ≤ 512, m·n·k ≤ 256³ (avx512:       kernel on A in place, Bᵀ packed once
//	  m·n·k ≤ 48³)
//	m ≤ 8                                small-M path (gemv.go): A copied,
//	                                       B streamed once
//	otherwise                            blocked path (sgemm_block.go): packed
//	                                       A and B, micro-kernel tiles (avx2
//	                                       6×16, avx512 12×32, generic 4×4)
//
// Reduction order per element of C: the blocked path sums each kc slice
// (k in near-equal slices of at most 256) in one chain over p ascending,
// then adds the slice to C in slice order; threads split rows or columns of
// C, never k, so the result does not depend on the thread count, the tile
// edges or the kernel (avx2 and avx512 are bit-identical). The direct path
// is one chain over all of k. The small-M C = A·B kernels sum each chunk of
// 8 rows of B in one chain (an odd last row of A: even and odd p in two
// chains) and add it to C (avx2 and avx512 bit-identical). The dot and
// small-M C = A·Bᵀ kernels keep lane-strided partial sums (8 lanes per
// vector with avx2, 16 with avx512) folded by a horizontal-add tree, so
// they round differently from each other and from the blocked path. Which
// path runs depends on m, so a row of A can round differently in batches
// of different sizes.
//
// Convolution kernels (conv_dw*.go, generated conv_dw_amd64.s):
// DepthwiseRow9 sums nine tap rows (a 3×3 depthwise convolution laid out
// by ops) in tap order per element, fused on avx2/avx512 and unfused in the
// generic twin (also used on arm64); SplitEvenOdd splits a row into even
// and odd columns for stride 2.
package asm
