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

// splitEvenOddAVX2 and splitEvenOddAVX512 split the first len(even)
// rounded down to 8 (16) columns; SplitEvenOdd does the rest.
//
//go:noescape
func splitEvenOddAVX2(even, odd, src []float32)

//go:noescape
func splitEvenOddAVX512(even, odd, src []float32)

// splitEvenOdd runs impl's split kernel and returns how many columns it
// did.
func splitEvenOdd(impl string, even, odd, src []float32) int {
	switch impl {
	case AVX512:
		splitEvenOddAVX512(even, odd, src)
		return len(even) &^ 15
	case AVX2:
		splitEvenOddAVX2(even, odd, src)
		return len(even) &^ 7
	}
	return 0
}
