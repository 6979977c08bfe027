package asm

// Depthwise convolution row kernel. A 3×3 depthwise convolution computes
// each output row as a sum of nine shifted input rows scaled by the nine
// weights; the ops package lays the taps out (padded, and for stride 2
// split into even and odd columns) so every tap is a contiguous slice.

// dwImpl is the selected implementation of DepthwiseRow9 (a name, not a
// function variable, so that calls through dwRow9 let the caller's tap and
// weight arrays stay on its stack).
var dwImpl = Generic

func init() {
	onSelect(func(impl string) { dwImpl = impl })
}

// DepthwiseRow9 sets dst[i] = bias + Σ_{t<9} w[t]·src[t][i] for every
// i < len(dst), adding the taps in order t = 0, 1, …, 8 (one fixed order
// per element, whatever the row length or position, so results do not
// depend on how rows are split over threads). The SIMD kernels fuse each
// multiply-add. It panics when a tap is shorter than dst.
func DepthwiseRow9(dst []float32, src *[9][]float32, w *[9]float32, bias float32) {
	n := len(dst)
	if n == 0 {
		return
	}
	for t := range src {
		_ = src[t][n-1] // bounds check: every tap covers dst
	}
	dwRow9(dwImpl, dst, src, w, bias)
}

// dwRow9Generic is DepthwiseRow9 in Go, one unfused multiply and add per
// tap (the explicit float32 conversions keep arm64 from fusing them).
func dwRow9Generic(dst []float32, src *[9][]float32, w *[9]float32, bias float32) {
	s0, s1, s2 := src[0][:len(dst)], src[1][:len(dst)], src[2][:len(dst)]
	s3, s4, s5 := src[3][:len(dst)], src[4][:len(dst)], src[5][:len(dst)]
	s6, s7, s8 := src[6][:len(dst)], src[7][:len(dst)], src[8][:len(dst)]
	w0, w1, w2, w3, w4, w5, w6, w7, w8 := w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]
	for i := range dst {
		a := bias
		a = float32(a) + float32(w0*s0[i])
		a = float32(a) + float32(w1*s1[i])
		a = float32(a) + float32(w2*s2[i])
		a = float32(a) + float32(w3*s3[i])
		a = float32(a) + float32(w4*s4[i])
		a = float32(a) + float32(w5*s5[i])
		a = float32(a) + float32(w6*s6[i])
		a = float32(a) + float32(w7*s7[i])
		a = float32(a) + float32(w8*s8[i])
		dst[i] = a
	}
}

// SplitEvenOdd sets even[j] = src[2j] and odd[j] = src[2j+1] for
// j < len(even) (a stride-2 convolution's column split). It panics when
// odd is shorter than even or src shorter than 2·len(even).
func SplitEvenOdd(even, odd, src []float32) {
	n := len(even)
	odd, src = odd[:n], src[:2*n]
	done := splitEvenOdd(dwImpl, even, odd, src)
	for j := done; j < n; j++ {
		even[j], odd[j] = src[2*j], src[2*j+1]
	}
}
