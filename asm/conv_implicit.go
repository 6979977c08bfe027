package asm

// Implicit-GEMM convolution kernel. A convolution's output channel is a
// sum over taps k = (input channel, kernel row, kernel column) of a weight
// times a shifted input plane; when the ops package lays every input
// channel out as padded (and for strides, phase-split) planes, tap k of
// all the outputs of a wide output row block is one contiguous run of the
// planes starting at offs[k]. ConvImplicit multiplies the weights with
// those runs directly, without materialising the im2col matrix.

// ciImpl is the selected implementation of ConvImplicit.
var ciImpl = Generic

func init() {
	onSelect(func(impl string) { ciImpl = impl })
}

// ConvImplicitMaxM is the most filter rows one ConvImplicit call takes.
const ConvImplicitMaxM = 8

// ConvImplicitRows returns how many filter rows a ConvImplicit call over n
// positions of the selected implementation computes at once with its full
// register tile (for avx512 8 in 3-vector steps, or 6 in 4-vector steps
// when those compute fewer lanes past n; 4 for avx2 and generic): callers
// block filters by it.
func ConvImplicitRows(n int) int {
	if ciImpl == AVX512 {
		if ciWide(n) {
			return 6
		}
		return 8
	}
	return 4
}

// ciWide reports n positions for the avx512 kernels of 4-vector (64
// position) steps: those computing fewer lanes than 3-vector steps (at
// equal lanes the 8-row tile blocks filters better).
func ciWide(n int) bool {
	return (n+63)/64*64 < (n+47)/48*48
}

// ConvImplicit sets, for i < m and j < n,
//
//	c[i·ldc+j] = Σ_{k<len(offs)} w[i·ldw+k]·b[offs[k]+j]
//
// adding the terms in order k = 0, 1, … (one chain per element, from zero,
// whatever m, n or the element's position: results do not depend on how
// the callers tile or split the outputs; the SIMD kernels fuse each
// multiply-add, so avx2 and avx512 give identical bits). m must be at
// most ConvImplicitMaxM. The weights are read in place (row i, stride
// ldw). It panics when a slice is too short or an offset out of range.
func ConvImplicit(m, n int, w []float32, ldw int, b []float32, offs []int32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if m > ConvImplicitMaxM {
		panic("asm: ConvImplicit: more than ConvImplicitMaxM rows")
	}
	k := len(offs)
	if ldw < k || ldc < n {
		panic("asm: ConvImplicit: stride shorter than a row")
	}
	_ = c[(m-1)*ldc+n-1]
	if k == 0 {
		for i := range m {
			clear(c[i*ldc : i*ldc+n])
		}
		return
	}
	_ = w[(m-1)*ldw+k-1]
	lim := len(b) - n
	for _, o := range offs {
		if o < 0 || int(o) > lim {
			panic("asm: ConvImplicit: tap offset out of range")
		}
	}
	convImplicit(ciImpl, m, n, w, ldw, b, offs, c, ldc, nil, false)
}

// ConvTaps is a tap offset table for ConvImplicitTaps, checked once when
// it is set rather than on every call. The zero value is an empty table.
type ConvTaps struct {
	offs []int32
	max  int
}

// Set copies offs into the table (reusing its storage) and records its
// largest offset. It panics on a negative offset.
func (t *ConvTaps) Set(offs []int32) {
	t.offs = append(t.offs[:0], offs...)
	t.max = 0
	for _, o := range offs {
		if o < 0 {
			panic("asm: ConvTaps: negative tap offset")
		}
		t.max = max(t.max, int(o))
	}
}

// Len is the number of taps (the reduction length K).
func (t *ConvTaps) Len() int { return len(t.offs) }

// ConvImplicitTaps is ConvImplicit with the offsets of a checked table.
func ConvImplicitTaps(m, n int, w []float32, ldw int, b []float32, t *ConvTaps, c []float32, ldc int) {
	ConvImplicitTapsBiasReLU(m, n, w, ldw, b, t, c, ldc, nil, false)
}

// ConvImplicitTapsBiasReLU is ConvImplicitTaps followed, on each row i,
// by c[i·ldc+j] += bias[i] (bias nil: none; else at least m values) and
// then, when relu, c[i·ldc+j] = max(0, c[i·ldc+j]): the same bits as
// AddScalar and Relu over the rows, which the AVX-512 kernels apply in
// registers before storing (a convolution's bias and ReLU without two
// more passes over its output).
func ConvImplicitTapsBiasReLU(m, n int, w []float32, ldw int, b []float32, t *ConvTaps, c []float32, ldc int, bias []float32, relu bool) {
	if m <= 0 || n <= 0 {
		return
	}
	if bias != nil && len(bias) < m {
		panic("asm: ConvImplicit: fewer bias values than rows")
	}
	if m > ConvImplicitMaxM {
		panic("asm: ConvImplicit: more than ConvImplicitMaxM rows")
	}
	k := len(t.offs)
	if ldw < k || ldc < n {
		panic("asm: ConvImplicit: stride shorter than a row")
	}
	_ = c[(m-1)*ldc+n-1]
	if k == 0 {
		for i := range m {
			clear(c[i*ldc : i*ldc+n])
		}
		convEpilogueRows(m, n, c, ldc, bias, relu)
		return
	}
	_ = w[(m-1)*ldw+k-1]
	if t.max > len(b)-n {
		panic("asm: ConvImplicit: tap offset out of range")
	}
	convImplicit(ciImpl, m, n, w, ldw, b, t.offs, c, ldc, bias, relu)
}

// convEpilogueRows adds bias[i] to row i of the m×n c and then applies
// ReLU, as ConvImplicitTapsBiasReLU's kernels without it do.
func convEpilogueRows(m, n int, c []float32, ldc int, bias []float32, relu bool) {
	if bias == nil && !relu {
		return
	}
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if bias != nil {
			AddScalar(row, row, bias[i])
		}
		if relu {
			Relu(row, row)
		}
	}
}

// convImplicitGeneric is ConvImplicit in Go, one unfused multiply and add
// per term (the explicit float32 conversions keep arm64 from fusing
// them), four rows at a time.
func convImplicitGeneric(m, n int, w []float32, ldw int, b []float32, offs []int32, c []float32, ldc int) {
	k := len(offs)
	for i := 0; i < m; i += 4 {
		mr := min(4, m-i)
		for j := range n {
			var a0, a1, a2, a3 float32
			switch mr {
			case 4:
				w0, w1, w2, w3 := w[i*ldw:i*ldw+k], w[(i+1)*ldw:(i+1)*ldw+k], w[(i+2)*ldw:(i+2)*ldw+k], w[(i+3)*ldw:(i+3)*ldw+k]
				for t, o := range offs {
					x := b[int(o)+j]
					a0 = float32(a0) + float32(w0[t]*x)
					a1 = float32(a1) + float32(w1[t]*x)
					a2 = float32(a2) + float32(w2[t]*x)
					a3 = float32(a3) + float32(w3[t]*x)
				}
				c[i*ldc+j], c[(i+1)*ldc+j], c[(i+2)*ldc+j], c[(i+3)*ldc+j] = a0, a1, a2, a3
			default:
				for r := range mr {
					wr := w[(i+r)*ldw : (i+r)*ldw+k]
					a0 = 0
					for t, o := range offs {
						a0 = float32(a0) + float32(wr[t]*b[int(o)+j])
					}
					c[(i+r)*ldc+j] = a0
				}
			}
		}
	}
}

// ConvCopyRows copies rows rows of w floats from src, row stride lds, to
// dst, row stride ldd (an input channel into a padded plane: one call
// instead of a copy per row). It panics when a slice is too short.
func ConvCopyRows(dst []float32, ldd int, src []float32, lds, w, rows int) {
	if w <= 0 || rows <= 0 {
		return
	}
	if ldd < w || lds < w {
		panic("asm: ConvCopyRows: stride shorter than a row")
	}
	_ = dst[(rows-1)*ldd+w-1]
	_ = src[(rows-1)*lds+w-1]
	convCopyRows(ciImpl, dst, ldd, src, lds, w, rows)
}

// convCopyRowsGeneric is ConvCopyRows in Go.
func convCopyRowsGeneric(dst []float32, ldd int, src []float32, lds, w, rows int) {
	for r := range rows {
		copy(dst[r*ldd:r*ldd+w], src[r*lds:r*lds+w])
	}
}

// ConvShiftRows fills count planes of n floats, rows of w, with rows of
// src shifted by e columns (a convolution's shifted-column planes, their
// padding rows included): plane q is dst[q·ldd : q·ldd+n], made from
// src[q·lds:], and for i < n, with row r = i/w and column c = i%w,
//
//	plane[i] = src[q·lds + (r-top)·w + c + e]  if top ≤ r < top+rows and 0 ≤ c+e < w
//	plane[i] = 0                               otherwise
//
// It panics when w < 1, a count, size or row count is negative, ldd < n,
// or a slice is too short.
func ConvShiftRows(dst []float32, ldd, n int, src []float32, lds, count, w, top, rows, e int) {
	if w < 1 || top < 0 || rows < 0 || n < 0 || count < 0 || ldd < n || lds < 0 {
		panic("asm: ConvShiftRows: bad geometry")
	}
	if count == 0 || n == 0 {
		return
	}
	_ = dst[(count-1)*ldd+n-1]
	if e <= -w || e >= w || rows == 0 || top >= (n+w-1)/w {
		for q := range count {
			clear(dst[q*ldd : q*ldd+n])
		}
		return
	}
	rows = min(rows, (n+w-1)/w-top) // rows past a plane are not read
	_ = src[(count-1)*lds+rows*w-1]
	if n+16 >= 1<<31 || (top+rows)*w >= 1<<31 {
		convShiftRowsPlanes(dst, ldd, n, src, lds, count, w, top, rows, e)
		return
	}
	convShiftRows(ciImpl, dst, ldd, n, src, lds, count, w, top, rows, e)
}

// convShiftRowsGeneric is one plane of ConvShiftRows in Go (arguments
// checked, |e| < w, the rows within dst).
func convShiftRowsGeneric(dst, src []float32, w, top, rows, e int) {
	lo, hi := max(0, -e), min(w, w-e)
	clear(dst[:min(top*w, len(dst))])
	for r := range rows {
		d := dst[(top+r)*w : min((top+r+1)*w, len(dst))]
		clear(d[:min(lo, len(d))])
		if lo < len(d) {
			copy(d[lo:min(hi, len(d))], src[r*w+lo+e:r*w+hi+e])
		}
		if hi < len(d) {
			clear(d[hi:])
		}
	}
	clear(dst[min((top+rows)*w, len(dst)):])
}

// convShiftRowsPlanes is ConvShiftRows plane by plane in Go.
func convShiftRowsPlanes(dst []float32, ldd, n int, src []float32, lds, count, w, top, rows, e int) {
	for q := range count {
		convShiftRowsGeneric(dst[q*ldd:q*ldd+n], src[q*lds:], w, top, rows, e)
	}
}

// ConvCopyRowsGap is ConvCopyRows that also zeroes the gap floats after
// each row, dst[r·ldd+w : r·ldd+w+gap] (a padded plane's padding columns
// between rows, written with the rows). It panics when gap is negative,
// ldd < w+gap, or a slice is too short.
func ConvCopyRowsGap(dst []float32, ldd int, src []float32, lds, w, rows, gap int) {
	if w <= 0 || rows <= 0 {
		return
	}
	if gap < 0 || ldd < w+gap || lds < w {
		panic("asm: ConvCopyRowsGap: bad geometry")
	}
	_ = dst[(rows-1)*ldd+w+gap-1]
	_ = src[(rows-1)*lds+w-1]
	convCopyRowsGap(ciImpl, dst, ldd, src, lds, w, rows, gap)
}

// convCopyRowsGapGeneric is ConvCopyRowsGap in Go.
func convCopyRowsGapGeneric(dst []float32, ldd int, src []float32, lds, w, rows, gap int) {
	for r := range rows {
		d := dst[r*ldd : r*ldd+w+gap]
		copy(d, src[r*lds:r*lds+w])
		for i := w; i < len(d); i++ { // a few floats: stores, no call
			d[i] = 0
		}
	}
}

// ConvAddRows is ConvCopyRows adding s to every float copied (a wide
// convolution output compacted into the output with the bias).
func ConvAddRows(dst []float32, ldd int, src []float32, lds, w, rows int, s float32) {
	if w <= 0 || rows <= 0 {
		return
	}
	if ldd < w || lds < w {
		panic("asm: ConvAddRows: stride shorter than a row")
	}
	_ = dst[(rows-1)*ldd+w-1]
	_ = src[(rows-1)*lds+w-1]
	convAddRows(ciImpl, dst, ldd, src, lds, w, rows, s)
}

// convAddRowsGeneric is ConvAddRows in Go.
// ConvAddRowsResReLU is ConvAddRows followed, on each row, by adding row
// r of res (stride ldr) and a ReLU: dst = relu(src + s + res), rounding
// each step as AddScalar, Add and Relu would (the same bits), in one pass
// (a residual block's convolution output). dst may be src.
func ConvAddRowsResReLU(dst []float32, ldd int, src []float32, lds, w, rows int, s float32, res []float32, ldr int) {
	if w <= 0 || rows <= 0 {
		return
	}
	if ldd < w || lds < w || ldr < w {
		panic("asm: ConvAddRowsResReLU: stride shorter than a row")
	}
	_ = dst[(rows-1)*ldd+w-1]
	_ = src[(rows-1)*lds+w-1]
	_ = res[(rows-1)*ldr+w-1]
	convAddRowsResReLU(ciImpl, dst, ldd, src, lds, w, rows, s, res, ldr)
}

// convAddRowsResReLUGeneric is ConvAddRowsResReLU as the three passes.
func convAddRowsResReLUGeneric(dst []float32, ldd int, src []float32, lds, w, rows int, s float32, res []float32, ldr int) {
	for r := range rows {
		d := dst[r*ldd : r*ldd+w]
		convAddRowsGeneric(d, w, src[r*lds:], lds, w, 1, s)
		Add(d, d, res[r*ldr:r*ldr+w])
		Relu(d, d)
	}
}

func convAddRowsGeneric(dst []float32, ldd int, src []float32, lds, w, rows int, s float32) {
	for r := range rows {
		d, x := dst[r*ldd:r*ldd+w], src[r*lds:r*lds+w]
		for i := range d {
			d[i] = x[i] + s
		}
	}
}
