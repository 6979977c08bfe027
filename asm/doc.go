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
//	m ≤ 8, avx2/avx512                   small-M path (gemv_sliced.go): A
//	                                       copied (alpha applied), op(B) read
//	                                       by rows (Bᵀ transposed per call,
//	                                       or once with PackB or by the
//	                                       executor); row-block kernels
//	                                       vectorised over n: avx512 8 and 4
//	                                       rows × 32 columns, pairs × 64, one
//	                                       row × 128/64; avx2 pairs × 32
//	m ≤ 8, or n ≥ 16, k ≤ 512 and        direct path (sgemm_direct.go): 6×16
//	  m·n·k ≤ 256³ (avx512: 48³), when     kernel on A (or a scaled copy) in
//	  the implementation has the           place, Bᵀ packed into 16-column
//	  kernel (amd64)                       panels once per call
//	otherwise                            blocked path (sgemm_block.go): packed
//	                                       A and B, micro-kernel tiles (avx2
//	                                       6×16, avx512 12×32, neon 8×12,
//	                                       generic 4×4); with several
//	                                       goroutines splitting the columns,
//	                                       A is packed once for all of k
//	                                       (shared, one barrier) and each
//	                                       goroutine packs its own B panels
//
// SgemmBiasReLU adds the FullyConnected epilogue (bias per column, then
// ReLU), run by each goroutine on the part of C it has just finished.
//
// # Batch invariance
//
// Every path rounds each element of C the same way, so a row of C is
// bit-identical whatever m is, where the row sits, how many goroutines run
// and which path is taken (a sample's outputs do not depend on the batch
// it is in): k is cut into near-equal kc slices of at most 256 (blockSize:
// they depend on k only); each slice of an element is one FMA chain over p
// ascending, started from zero, with alpha applied to A first; the slices
// are added to C in order, C having been scaled by beta first (beta = 0
// stores the first slice). Goroutines split rows or columns of C, never k.
// The blocked path's edge tiles and the NEON kernel (which sums from C's
// values) go through a zeroed tile that is then added; the direct path
// calls its kernel once per slice with alpha 1 and beta 0 or 1; the
// small-M path's row-block kernels sum a slice from zero and add it to C
// (avx2's odd last row runs as a pair with itself into scratch rows). avx2 and
// avx512 use the same slices and chains, so they are bit-identical too;
// generic (no fused multiply-add on amd64) and neon round differently from
// them but are each invariant. PackB and SgemmPacked give the same bits as
// Sgemm on the unpacked operand.
//
// Convolution kernels (conv_dw*.go, generated conv_dw_amd64.s):
// DepthwiseRow9 sums nine tap rows (a 3×3 depthwise convolution laid out
// by ops) in tap order per element, fused on avx2/avx512 and unfused in the
// generic twin (also used on arm64); SplitEvenOdd splits a row into even
// and odd columns for stride 2.
package asm
