//go:build !purego

package asm

import "unsafe"

// dwRows9AVX2 and dwRows9AVX512 are DepthwiseRows9 with the geometry
// checked (conv_dw_amd64.s): per row, 16 (AVX2) or 32 (AVX-512) outputs
// per step in two accumulators, fused multiply-adds in tap order, then
// one 8 (16) step and the last cols%8 (cols%16) columns under a mask,
// with the same order.
//
//go:noescape
func dwRows9AVX2(dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32)

//go:noescape
func dwRows9AVX512(dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32)

// dwRows9ShiftAVX512 is dwRows9AVX512 for taps that are rows of one plane
// (tap t+3 starts lds floats after tap t, as a stride-1 padded plane's
// are): each four output rows load the six input rows' three shifts once
// instead of thirty-six times (then pairs: four rows' shifts once for two
// output rows). Same instructions per element, same bits.
//
//go:noescape
func dwRows9ShiftAVX512(dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32)

// rowShifted reports whether tap t+3 starts lds floats after tap t for
// t < 6.
func rowShifted(src *[9][]float32, lds int) bool {
	for t := range 6 {
		a, b := unsafe.SliceData(src[t]), unsafe.SliceData(src[t+3])
		if uintptr(unsafe.Pointer(b))-uintptr(unsafe.Pointer(a)) != uintptr(4*lds) {
			return false
		}
	}
	return true
}

// dwRows9 runs impl's kernel.
func dwRows9(impl string, dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32) {
	switch impl {
	case AVX512:
		if rows >= 2 && rowShifted(src, lds) {
			dwRows9ShiftAVX512(dst, ldd, src, lds, rows, cols, w, bias, lo, hi, zero)
			return
		}
		dwRows9AVX512(dst, ldd, src, lds, rows, cols, w, bias, lo, hi, zero)
	case AVX2:
		dwRows9AVX2(dst, ldd, src, lds, rows, cols, w, bias, lo, hi, zero)
	default:
		dwRows9Generic(dst, ldd, src, lds, rows, cols, w, bias, lo, hi, zero)
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

// splitRowsAVX2 and splitRowsAVX512 are SplitRows with the geometry
// checked and rows, n > 0.
//
//go:noescape
func splitRowsAVX2(even, odd []float32, ldo int, src []float32, lds, rows, n int)

//go:noescape
func splitRowsAVX512(even, odd []float32, ldo int, src []float32, lds, rows, n int)

// splitRows runs impl's row-split kernel.
func splitRows(impl string, even, odd []float32, ldo int, src []float32, lds, rows, n int) {
	switch impl {
	case AVX512:
		splitRowsAVX512(even, odd, ldo, src, lds, rows, n)
	case AVX2:
		splitRowsAVX2(even, odd, ldo, src, lds, rows, n)
	default:
		splitRowsBySplit(impl, even, odd, ldo, src, lds, rows, n)
	}
}

// dwLanes9AVX512 convolves 16 channels held in lanes (DepthwiseLanes9): p
// is the padded plane of 16-float vectors (wp per row), o receives oh·ow
// vectors, w the taps' lane vectors (w[t*16+l]), bias one vector; output
// (r, c) sums taps (r·s+kh)·wp + c·s+kw in order, then is clamped.
//
//go:noescape
func dwLanes9AVX512(o, p *float32, wp, oh, ow, s int, w, bias *float32, lo, hi, zero float32)

// dwLanes9 is DepthwiseLanes9 with its arguments checked: on avx512,
// transpose the planes (16×16 blocks, a gather for the last h·w%16
// positions) into a zero-padded plane of lane vectors, convolve, and
// transpose the outputs back (16×16 blocks, moves for the last oh·ow%16).
func dwLanes9(impl string, y []float32, os int, x []float32, is, h, w, ph, pw, s, oh, ow int, wts, bias []float32, lo, hi, zero float32, scratch []float32) bool {
	if impl != AVX512 || !gatherFits(16, is) {
		return false
	}
	hp, wp := h+2*ph, w+2*pw
	p := scratch[:16*hp*wp]
	t := scratch[len(p) : len(p)+16*max(h*w, oh*ow)]
	wl := scratch[len(p)+len(t) : len(p)+len(t)+9*16]
	bl := scratch[len(p)+len(t)+9*16 : len(p)+len(t)+10*16]
	// The taps lane by lane (gathers cost more than these moves).
	wa, la := (*[144]float32)(wts), (*[144]float32)(wl)
	for l := range 16 {
		for k := range 9 {
			la[k*16+l] = wa[l*9+k]
		}
	}
	if bias != nil {
		copy(bl, bias[:16])
	} else {
		clear(bl)
	}
	// x's planes into t, position-major, then t's rows into p.
	n := h * w
	full := n / 16
	if full > 0 {
		sgemmPackT16AVX512(&t[0], 16, &x[0], is, full, 1)
	}
	if rem := n - 16*full; rem > 0 {
		sgemmPackGatherAVX512(&t[16*16*full], 16, &x[16*full], is, rem, 16, 1)
	}
	for r := range h {
		copy(p[16*((r+ph)*wp+pw):16*((r+ph)*wp+pw+w)], t[16*r*w:16*(r+1)*w])
	}
	dwLanes9AVX512(&t[0], &p[0], wp, oh, ow, s, &wl[0], &bl[0], lo, hi, zero)
	// t's output vectors back into the 16 planes of y.
	m := oh * ow
	full = m / 16
	for g := range full {
		sgemmPackT16AVX512(&y[16*g], os, &t[256*g], 16, 1, 1)
	}
	if rem := m - 16*full; rem > 0 {
		ta := t[256*full : 256*full+16*rem]
		for l := range 16 {
			yl := y[l*os+16*full : l*os+16*full+rem]
			for r := range yl {
				yl[r] = ta[r*16+l]
			}
		}
	}
	return true
}

// dwSmallS1N1AVX512, dwSmallS1N2AVX512 and dwSmallS2AVX512 are
// DepthwiseSmall on avx512 for stride 1 and w ≤ 16, stride 1 and
// 16 < w ≤ 32, and stride 2 and w ≤ 32, with the arguments checked: is
// and os in floats, bias advancing bstride bytes per channel (0: one
// zero for every channel), zeros a zero row of 32 floats, masks the
// lanes inside the row of the two input vectors (bits 0–15, 16–31) and
// of the two output vectors (32–47, 48–63).
//
//go:noescape
func dwSmallS1N1AVX512(y *float32, os int, x *float32, is, planes, h, w, oh, ow int, wts, bias *float32, bstride int, zeros *float32, masks int, lo, hi, zero float32)

//go:noescape
func dwSmallS1N2AVX512(y *float32, os int, x *float32, is, planes, h, w, oh, ow int, wts, bias *float32, bstride int, zeros *float32, masks int, lo, hi, zero float32)

//go:noescape
func dwSmallS2AVX512(y *float32, os int, x *float32, is, planes, h, w, oh, ow int, wts, bias *float32, bstride int, zeros *float32, masks int, lo, hi, zero float32)

// dwLanesMask is the mask of the first n (clamped to 0..16) lanes.
func dwLanesMask(n int) int {
	return 1<<min(max(n, 0), 16) - 1
}

// dwSmall runs impl's small-plane kernel (none but avx512's).
func dwSmall(impl string, y []float32, os int, x []float32, is, planes, h, w, s, oh, ow int, wts, bias []float32, lo, hi, zero float32) bool {
	if impl != AVX512 {
		return false
	}
	masks := dwLanesMask(w) | dwLanesMask(w-16)<<16 | dwLanesMask(ow)<<32 | dwLanesMask(ow-16)<<48
	b, bs := &dwSmallZeros[0], 0
	if bias != nil {
		b, bs = &bias[0], 4
	}
	k := dwSmallS2AVX512
	if s == 1 {
		k = dwSmallS1N2AVX512
		if w <= 16 {
			k = dwSmallS1N1AVX512
		}
	}
	k(&y[0], os, &x[0], is, planes, h, w, oh, ow, &wts[0], b, bs, &dwSmallZeros[0], masks, lo, hi, zero)
	return true
}
