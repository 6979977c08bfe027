package asm

import "math"

// Depthwise convolution kernels. A 3×3 depthwise convolution computes each
// output row as a sum of nine shifted input rows scaled by the nine
// weights; the ops package lays the taps out (a padded plane, or for
// stride 2 four phase planes of even/odd rows and columns) so that every
// tap of a whole output channel is one strided run of memory.

// dwImpl is the selected implementation of DepthwiseRows9 (a name, not a
// function variable, so that calls through dwRows9 let the caller's tap
// and weight arrays stay on its stack).
var dwImpl = Generic

func init() {
	onSelect(func(impl string) { dwImpl = impl })
}

// DepthwiseRows9 computes rows × cols outputs of a 3×3 depthwise
// convolution: for r < rows and i < cols,
//
//	a = bias + Σ_{t<9} w[t]·src[t][r·lds+i]
//	dst[r·ldd+i] = min(max(a, lo), hi) + zero
//
// adding the taps in order t = 0, 1, …, 8 (one fixed order per element,
// whatever rows, cols or the element's position, so results do not depend
// on how work is split). The SIMD kernels fuse each multiply-add; avx2 and
// avx512 give the same bits. lo = -Inf, hi = +Inf and zero = -0 leave a
// unchanged (no activation); lo = 0, hi = +Inf and zero = +0 is Relu (NaN
// stays NaN, -0 becomes +0); zero = -0 with finite bounds is Clip. dst
// elements between rows (columns cols..ldd-1) are not written.
//
// It panics when rows or cols is negative, ldd < cols, lds < 0, dst is
// shorter than (rows-1)·ldd+cols or a tap shorter than (rows-1)·lds+cols.
func DepthwiseRows9(dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32) {
	if rows < 0 || cols < 0 || ldd < cols || lds < 0 {
		panic("asm: DepthwiseRows9: bad geometry")
	}
	if rows == 0 || cols == 0 {
		return
	}
	_ = dst[(rows-1)*ldd+cols-1] // bounds checks: dst and every tap cover the rows
	n := (rows-1)*lds + cols
	for t := range src {
		_ = src[t][n-1]
	}
	dwRows9(dwImpl, dst, ldd, src, lds, rows, cols, w, bias, lo, hi, zero)
}

// DepthwiseRow9 sets dst[i] = bias + Σ_{t<9} w[t]·src[t][i] for every
// i < len(dst): DepthwiseRows9 for one row, no activation. It panics when
// a tap is shorter than dst.
func DepthwiseRow9(dst []float32, src *[9][]float32, w *[9]float32, bias float32) {
	n := len(dst)
	DepthwiseRows9(dst, n, src, 0, 1, n, w, bias, float32(math.Inf(-1)), float32(math.Inf(1)), negZero)
}

// negZero is -0, the zero DepthwiseRows9 adds without changing a value.
var negZero = float32(math.Copysign(0, -1))

// dwRows9Generic is DepthwiseRows9 in Go, one unfused multiply and add per
// tap (the explicit float32 conversions keep arm64 from fusing them).
func dwRows9Generic(dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32) {
	w0, w1, w2, w3, w4, w5, w6, w7, w8 := w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]
	for r := range rows {
		o := r * lds
		d := dst[r*ldd : r*ldd+cols]
		s0, s1, s2 := src[0][o:o+cols], src[1][o:o+cols], src[2][o:o+cols]
		s3, s4, s5 := src[3][o:o+cols], src[4][o:o+cols], src[5][o:o+cols]
		s6, s7, s8 := src[6][o:o+cols], src[7][o:o+cols], src[8][o:o+cols]
		for i := range d {
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
			if a < lo {
				a = lo
			}
			if a > hi {
				a = hi
			}
			d[i] = a + zero
		}
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

// SplitRows splits rows of src into even and odd columns: for r < rows and
// j < n, even[r·ldo+j] = src[r·lds+2j] and odd[r·ldo+j] = src[r·lds+2j+1]
// (a stride-2 convolution's column split, straight from the input channel
// into the even/odd planes; the elements between rows are not touched).
// It panics when rows or n is negative, ldo < n, lds < 2n, or a slice is
// shorter than the rows it covers.
func SplitRows(even, odd []float32, ldo int, src []float32, lds, rows, n int) {
	if rows < 0 || n < 0 || ldo < n || lds < 2*n {
		panic("asm: SplitRows: bad geometry")
	}
	if rows == 0 || n == 0 {
		return
	}
	_ = even[(rows-1)*ldo+n-1]
	_ = odd[(rows-1)*ldo+n-1]
	_ = src[(rows-1)*lds+2*n-1]
	splitRows(dwImpl, even, odd, ldo, src, lds, rows, n)
}

// splitRowsBySplit is SplitRows as a SplitEvenOdd per row (with impl's
// kernel).
func splitRowsBySplit(impl string, even, odd []float32, ldo int, src []float32, lds, rows, n int) {
	for r := range rows {
		e, o, s := even[r*ldo:r*ldo+n], odd[r*ldo:r*ldo+n], src[r*lds:r*lds+2*n]
		for j := splitEvenOdd(impl, e, o, s); j < n; j++ {
			e[j], o[j] = s[2*j], s[2*j+1]
		}
	}
}

// DepthwisePad1MaxWidth is the widest plane DepthwisePad1 takes.
const DepthwisePad1MaxWidth = 8000

// dwPad1AVX2MaxWidth is the widest plane the avx2 kernels take. Their
// strips are 8 outputs wide with the weights broadcast from memory, so
// each row of a strip costs more than the row path's padded copy saves
// on wide planes: Zen 5 with MXGO_KERNELS=avx2, one thread
// (BenchmarkDepthwiseLayers, GFLOP/s, row path → avx2 pad-1):
// 256×7×7 stride 1 8.5 → 21.7, 128×14×14 stride 1 19 → 28, stride 2 5.4
// → 14.1, 64×28×28 stride 1 29.5 → 35, stride 2 11.3 → 16.7; 32×56×56
// stride 1 43.5 → 41.2, stride 2 20.3 → 20.8, 8×112×112 46.4 → 41.8,
// 32×256×256 37.7 → 28.6.
const dwPad1AVX2MaxWidth = 32

// dwPad1Zeros holds the zero row DepthwisePad1's kernels read for rows in
// the padding, from float 16 on (never written).
var dwPad1Zeros [DepthwisePad1MaxWidth + 64]float32

// DepthwisePad1 is a 3×3 depthwise convolution with padding 1 and stride
// s (1 or 2) of planes consecutive channels of h×w planes (w at most
// DepthwisePad1MaxWidth), read in place: channel l reads x[l·is:] (h rows
// of w), writes y[l·os:] (oh×ow, oh = (h−1)/s+1, ow likewise), with taps
// wts[9l:9l+9] (t = kh·3+kw) and bias bias[l] (nil: 0). Each output is
//
//	a = bias + Σ_{t<9} w[t]·x(s·r−1+t/3, s·i−1+t%3)   (0 outside the plane)
//	y = min(max(a, lo), hi) + zero
//
// adding the taps in order with the multiply-adds fused: the bits
// DepthwiseRows9 gives with the same implementation on a zero-padded
// copy of the plane. The plane goes in strips of one or two vectors of
// columns, each row of a strip loaded once and its column taps made in
// registers (lane shifts or overlapping loads, and at stride 2 an
// even/odd split), so a plane costs no padded copy and no call per
// channel. It reports false, doing nothing, when the selected
// implementation has no such kernel (avx512 has; avx2 for planes at most
// 32 wide, where it beats the padded copy) or the geometry is outside
// it; it panics when a slice is shorter than the geometry says. The
// avx2 kernels write floats past an output row's end (later overwritten,
// never past a plane's end): the y planes must not be shared with
// another goroutine's.
func DepthwisePad1(y []float32, os int, x []float32, is, planes, h, w, s int, wts, bias []float32, lo, hi, zero float32) bool {
	if planes < 1 || h < 1 || w < 1 || w > DepthwisePad1MaxWidth || (s != 1 && s != 2) {
		return false
	}
	oh, ow := (h-1)/s+1, (w-1)/s+1
	if is < h*w || os < oh*ow {
		return false
	}
	_ = x[(planes-1)*is+h*w-1]
	_ = y[(planes-1)*os+oh*ow-1]
	_ = wts[9*planes-1]
	if bias != nil {
		_ = bias[planes-1]
	}
	return dwPad1(dwImpl, y, os, x, is, planes, h, w, s, oh, ow, wts, bias, lo, hi, zero)
}
