//go:build !purego

package asm

// dwRow9AVX2 and dwRow9AVX512 are DepthwiseRow9 with lengths checked
// (conv_dw_amd64.s): 16 (AVX2) or 32 (AVX-512) outputs per step in two
// accumulators, fused multiply-adds in tap order, then 8/16-lane and
// single-lane (AVX2) or masked (AVX-512) tails with the same order.
//
//go:noescape
func dwRow9AVX2(dst []float32, src *[9][]float32, w *[9]float32, bias float32)

//go:noescape
func dwRow9AVX512(dst []float32, src *[9][]float32, w *[9]float32, bias float32)

// dwRow9 runs impl's kernel.
func dwRow9(impl string, dst []float32, src *[9][]float32, w *[9]float32, bias float32) {
	switch impl {
	case AVX512:
		dwRow9AVX512(dst, src, w, bias)
	case AVX2:
		dwRow9AVX2(dst, src, w, bias)
	default:
		dwRow9Generic(dst, src, w, bias)
	}
}
