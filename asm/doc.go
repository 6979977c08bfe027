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
// AMD Zen 4 and Zen 5); elsewhere avx2 stays first and avx512 is listed
// after it.
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
//	n ≤ 16, alpha 1, A untransposed,     narrow path (sgemm_narrow.go):
//	  avx512                               12 rows of A in place against
//	                                       B's rows of 16 floats (its
//	                                       panels, or copied), masked
//	                                       stores into C
//	m ≤ 8, avx2/avx512                   small-M path (gemv_sliced.go): A
//	                                       read in place (copied when alpha
//	                                       ≠ 1 or transposed), op(B) read
//	                                       by rows (Bᵀ transposed per call
//	                                       in L2-sized blocks, each used
//	                                       while in cache, or once with
//	                                       PackB or by the executor);
//	                                       row-block kernels
//	                                       vectorised over n: avx512 8 and 4
//	                                       rows × 32 columns, pairs × 64, one
//	                                       row × 128/64 (n < 64: row blocks
//	                                       and avx2 pairs × 32); avx2 pairs
//	                                       × 32; one row against finite
//	                                       panels skips its zero inputs
//	m ≤ 8, or n ≥ 16, k ≤ 512 and        direct path (sgemm_direct.go): tile
//	  m·n·k ≤ 256³ (avx512 with Bᵀ:        kernels (avx2 6×16, avx512 4×64
//	  128³), when the implementation       with B's loads masked at the last
//	  has the kernel (amd64); avx512       column) on A (or a scaled copy)
//	  with B in PackPanels' panels:        and B in place, Bᵀ packed into
//	  m·k ≤ 2²², any k; avx512, alpha      panels once per call, PackPanels'
//	  1, A untransposed, k ≤ kc, m ≥       32-column panels read in pairs
//	  128, n ≥ 128, m·k ≤ 2²², k·n ≤       (large calls: B packed into that
//	  2²¹                                  layout per call, each goroutine
//	                                       its own columns);
//	                                       the epilogue in the tiles' store;
//	                                       goroutines split column groups,
//	                                       or row tiles when the groups do
//	                                       not share out; with finite
//	                                       panels and k one slice, a row
//	                                       tile skips the steps where its
//	                                       rows of A are all ±0 (after a
//	                                       ReLU)
//	n ≤ 16, m ≥ 32, alpha 1, beta 0      blocked path on Cᵀ = op(B)ᵀ·op(A)ᵀ
//	                                       (sgemmSwapped), transposed into C:
//	                                       fuller tiles, the same bits
//	otherwise                            blocked path (sgemm_block.go): packed
//	                                       A and B, micro-kernel tiles (avx2
//	                                       6×16, avx512 12×32, neon 8×12,
//	                                       generic 4×4); avx512 reads an
//	                                       untransposed A in place when
//	                                       alpha is 1 (the same sums); with
//	                                       several goroutines splitting the
//	                                       columns, A is packed once for all
//	                                       of k (shared, one barrier) and
//	                                       each goroutine packs its own B
//	                                       panels
//
// The SGEMM kernels live in one assembly file per instruction set, with
// their Go declarations beside it: sgemm_amd64.s/.go (AVX2: the 6×16
// micro-kernel, packing, the direct kernel and the small-M two-row kernel),
// sgemm_avx512_amd64.s/sgemm_avx512_amd64.go (AVX-512, generated by
// _gen/sgemm_avx512_amd64.py: the 12×32 and 14×32 micro-kernels, the
// 12×32 edge kernels for a partial last A panel of 1–11 rows, the 12×32
// kernels reading A in place, the 4×64 direct kernel and its listed-steps
// twin with the lister of a tile's nonzero steps, packing, the small-M
// row-block kernels) and sgemm_arm64.s/.go (the NEON 8×12
// micro-kernel); the per-architecture tables are sgemm_arch_*.go and the
// path choice is in sgemm.go.
//
// SgemmBiasReLU adds the FullyConnected epilogue (bias per column, then
// ReLU), run by each goroutine on the part of C it has just finished.
//
// # Batch invariance
//
// Every path rounds each element of C the same way, so a row of C is
// bit-identical whatever m is, where the row sits, how many goroutines run
// and which path is taken (a sample's outputs do not depend on the batch
// it is in): k is cut into near-equal kc slices of at most 1024 where
// avx512 is the default (for avx2 and avx512 alike), 256 elsewhere and on
// neon and generic (blockSize: they depend on k, the machine and the
// implementation only); each slice of an element is one FMA chain over p
// ascending, started from zero, with alpha applied to A first; the slices
// are added to C in order, C having been scaled by beta first (beta = 0
// stores the first slice). Goroutines split rows or columns of C, never k.
// The blocked path's edge tiles and the NEON kernel (which sums from C's
// values) go through a zeroed tile that is then added (avx512's partial
// row panels with all 32 columns run an edge kernel on C itself, with the
// full kernel's chains and stores); the direct path
// calls its kernel once per slice with alpha 1 and beta 0 or 1 (skipping
// a step whose products are all ±0 times a finite B leaves a chain started
// at +0 exactly as it was, so the skipping changes no bit); the
// small-M path's row-block kernels sum a slice from zero and add it to C
// (avx2's odd last row runs as a pair with itself into scratch rows). avx2 and
// avx512 use the same slices and chains, so they are bit-identical too;
// generic (no fused multiply-add on amd64) and neon round differently from
// them but are each invariant. SgemmBiasReLUPanels (B packed once by
// PackPanels, sgemm_panels.go, for constant weights) gives the same bits as
// SgemmBiasReLU on the unpacked operand.
//
// Convolution kernels (conv_dw*.go, generated conv_dw_amd64.s):
// DepthwiseRows9 sums nine strided tap planes (a 3×3 depthwise
// convolution laid out by ops) in tap order per element and clamps the
// sums (ReLU, clip), fused on avx2/avx512 and unfused in the generic twin
// (NEON twin on arm64); DepthwiseRow9 is its one-row form; SplitEvenOdd
// and SplitRows split rows into even and odd columns for stride 2.
// DepthwisePad1 (avx512, and avx2 on planes at most 32 wide; it reports
// false elsewhere) convolves whole planes with padding 1 in place, a run of
// channels per call, in strips of one or two vectors whose column taps are
// made in registers, with the bits of DepthwiseRows9.
//
// Implicit-GEMM convolution kernels (conv_implicit*.go, generated
// conv_implicit_amd64.s): ConvImplicit and ConvImplicitTaps multiply a
// block of filters with tap runs of an input's planes, one FMA chain per
// output in tap order (ConvImplicitTapsBiasReLU adds the epilogue, in
// registers on avx512); ConvCopyRows and ConvCopyRowsGap build padded
// planes (the latter zeroing the padding columns between rows in the same
// pass), ConvShiftRows the shifted-column planes of narrow outputs, and
// ConvAddRows and ConvAddRowsResReLU compact wide outputs with the bias
// (and a residual and ReLU).
//
// Winograd F(2×2, 3×3) transforms (conv_wino*.go, generated
// conv_wino_amd64.s): WinogradInput turns a channel's padded plane, split
// into even and odd columns, into the 16 values Bᵀ·d·B of each 2×2 output
// tile; WinogradOutput turns a filter's 16 products summed over the
// channels into its outputs (Aᵀ·m·A). Exact adds and subtracts in one
// order, so avx512, avx2 and the Go twins give the same bits; ops runs
// the products on ConvImplicitTaps.
package asm
