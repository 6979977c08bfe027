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

func dwRow9For(impl string) func([]float32, *[9][]float32, *[9]float32, float32) {
	switch impl {
	case AVX512:
		return dwRow9AVX512
	case AVX2:
		return dwRow9AVX2
	}
	return dwRow9Generic
}
