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

// dwPad1S1N1AVX512, dwPad1S1AVX512 and dwPad1S2AVX512 are DepthwisePad1
// on avx512 for stride 1 and w ≤ 16, stride 1, and stride 2, with the
// arguments checked: is and os in floats, bias advancing bstride bytes
// per channel (0: one zero for every channel), zeros a zero row with 16
// floats before it and w+48 from it; output rows [r0, r0+rows) of each
// plane.
//
//go:noescape
func dwPad1S1N1AVX512(y *float32, os int, x *float32, is, planes, h, w, r0, rows, ow int, wts, bias *float32, bstride int, zeros *float32, lo, hi, zero float32)

//go:noescape
func dwPad1S1AVX512(y *float32, os int, x *float32, is, planes, h, w, r0, rows, ow int, wts, bias *float32, bstride int, zeros *float32, lo, hi, zero float32)

//go:noescape
func dwPad1S2AVX512(y *float32, os int, x *float32, is, planes, h, w, r0, rows, ow int, wts, bias *float32, bstride int, zeros *float32, lo, hi, zero float32)

// dwPad1S1AVX2 and dwPad1S2AVX2 are DepthwisePad1 on avx2 for stride 1
// and 2, the arguments as dwPad1S1AVX512's and pend = oh·ow: a row's last
// strip stores 8 floats, past the row's end, except where that would
// pass the plane's end (there under a mask).
//
//go:noescape
func dwPad1S1AVX2(y *float32, os int, x *float32, is, planes, h, w, r0, rows, ow int, wts, bias *float32, bstride int, zeros *float32, pend int, lo, hi, zero float32)

//go:noescape
func dwPad1S2AVX2(y *float32, os int, x *float32, is, planes, h, w, r0, rows, ow int, wts, bias *float32, bstride int, zeros *float32, pend int, lo, hi, zero float32)

// dwPad1 runs impl's pad-1 kernel (avx512's, or avx2's on planes at most
// dwPad1AVX2MaxWidth wide).
func dwPad1(impl string, y []float32, os int, x []float32, is, planes, h, w, s, oh, ow int, wts, bias []float32, lo, hi, zero float32) bool {
	if impl != AVX512 && (impl != AVX2 || w > dwPad1AVX2MaxWidth) {
		return false
	}
	zeros := &dwPad1Zeros[16]
	b, bs := zeros, 0
	if bias != nil {
		b, bs = &bias[0], 4
	}
	// A large plane goes a band of rows at a time, all planes' bands
	// before the next: a band's input rows (about dwPad1BandFloats) stay
	// in cache while its strips go down them.
	band := max(4, dwPad1BandFloats/(s*w))
	for r0 := 0; r0 < oh; r0 += band {
		rows := min(band, oh-r0)
		if impl == AVX2 {
			k := dwPad1S2AVX2
			if s == 1 {
				k = dwPad1S1AVX2
			}
			k(&y[0], os, &x[0], is, planes, h, w, r0, rows, ow, &wts[0], b, bs, zeros, oh*ow, lo, hi, zero)
			continue
		}
		k := dwPad1S2AVX512
		if s == 1 {
			k = dwPad1S1AVX512
			if w <= 16 {
				k = dwPad1S1N1AVX512
			}
		}
		k(&y[0], os, &x[0], is, planes, h, w, r0, rows, ow, &wts[0], b, bs, zeros, lo, hi, zero)
	}
	return true
}

// dwPad1BandFloats is about how many input floats a band of a plane
// reads.
const dwPad1BandFloats = 16384
