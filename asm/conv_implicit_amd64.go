//go:build !purego

package asm

// convImplicitAVX2_<mr> (mr = 1..4 filter rows) and convImplicitAVX512_<mr>
// (mr = 1..8) are ConvImplicit for mr rows with the arguments checked
// (conv_implicit_amd64.s): 24 (AVX2) or 48 (AVX-512) positions per step in
// mr×3 vector accumulators, then a masked tail with the same order;
// convImplicitAVX512W_<mr> (mr = 1..6) take 64 positions per step in mr×4
// accumulators (fewer lanes past n when n is a multiple of 64).

//go:noescape
func convImplicitAVX2_1(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int)

//go:noescape
func convImplicitAVX2_2(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int)

//go:noescape
func convImplicitAVX2_3(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int)

//go:noescape
func convImplicitAVX2_4(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int)

//go:noescape
func convImplicitAVX512_1(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512_2(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512_3(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512_4(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512_5(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512_6(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512_7(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512_8(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512W_1(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512W_2(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512W_3(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512W_4(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512W_5(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

//go:noescape
func convImplicitAVX512W_6(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, bias *float32, relu int)

// convImplicit runs impl's kernel on rows of at most 8 (avx512) or 4
// (avx2) at a time.
func convImplicit(impl string, m, n int, w []float32, ldw int, b []float32, offs []int32, c []float32, ldc int, bias []float32, relu bool) {
	k := len(offs)
	var op *int32
	if k > 0 {
		op = &offs[0]
	}
	switch impl {
	case AVX512:
		// The kernels apply the epilogue in registers.
		cp, wp, bp := &c[0], &w[0], &b[0]
		var biasp *float32
		if bias != nil {
			biasp = &bias[0]
		}
		ri := 0
		if relu {
			ri = 1
		}
		if m <= 6 && ciWide(n) {
			switch m {
			case 1:
				convImplicitAVX512W_1(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
			case 2:
				convImplicitAVX512W_2(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
			case 3:
				convImplicitAVX512W_3(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
			case 4:
				convImplicitAVX512W_4(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
			case 5:
				convImplicitAVX512W_5(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
			case 6:
				convImplicitAVX512W_6(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
			}
			return
		}
		switch m {
		case 1:
			convImplicitAVX512_1(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
		case 2:
			convImplicitAVX512_2(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
		case 3:
			convImplicitAVX512_3(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
		case 4:
			convImplicitAVX512_4(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
		case 5:
			convImplicitAVX512_5(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
		case 6:
			convImplicitAVX512_6(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
		case 7:
			convImplicitAVX512_7(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
		case 8:
			convImplicitAVX512_8(cp, ldc, wp, ldw, bp, op, k, n, biasp, ri)
		}
		return
	case AVX2:
		for i := 0; i < m; i += 4 {
			cp, wp, bp := &c[i*ldc], &w[i*ldw], &b[0]
			switch min(4, m-i) {
			case 1:
				convImplicitAVX2_1(cp, ldc, wp, ldw, bp, op, k, n)
			case 2:
				convImplicitAVX2_2(cp, ldc, wp, ldw, bp, op, k, n)
			case 3:
				convImplicitAVX2_3(cp, ldc, wp, ldw, bp, op, k, n)
			case 4:
				convImplicitAVX2_4(cp, ldc, wp, ldw, bp, op, k, n)
			}
		}
	default:
		convImplicitGeneric(m, n, w, ldw, b, offs, c, ldc)
	}
	convEpilogueRows(m, n, c, ldc, bias, relu)
}

// convCopyRowsAVX2 and convCopyRowsAVX512 are ConvCopyRows with the
// arguments checked.
//
//go:noescape
func convCopyRowsAVX2(dst *float32, ldd int, src *float32, lds int, w int, rows int)

//go:noescape
func convCopyRowsAVX512(dst *float32, ldd int, src *float32, lds int, w int, rows int)

// convAddRowsAVX2 and convAddRowsAVX512 are ConvAddRows with the
// arguments checked.
//
//go:noescape
func convAddRowsAVX2(dst *float32, ldd int, src *float32, lds int, w int, rows int, s float32)

//go:noescape
func convAddRowsAVX512(dst *float32, ldd int, src *float32, lds int, w int, rows int, s float32)

// convCopyRows runs impl's row copy.
func convCopyRows(impl string, dst []float32, ldd int, src []float32, lds, w, rows int) {
	switch impl {
	case AVX512:
		convCopyRowsAVX512(&dst[0], ldd, &src[0], lds, w, rows)
	case AVX2:
		convCopyRowsAVX2(&dst[0], ldd, &src[0], lds, w, rows)
	default:
		convCopyRowsGeneric(dst, ldd, src, lds, w, rows)
	}
}

// convCopyRowsGapAVX512 is ConvCopyRowsGap with the arguments checked and
// gap ≤ 16.
//
//go:noescape
func convCopyRowsGapAVX512(dst *float32, ldd int, src *float32, lds int, w int, rows int, gap int)

// convCopyRowsGap runs impl's row copy with gap zeroing.
func convCopyRowsGap(impl string, dst []float32, ldd int, src []float32, lds, w, rows, gap int) {
	if impl == AVX512 && gap <= 16 {
		convCopyRowsGapAVX512(&dst[0], ldd, &src[0], lds, w, rows, gap)
		return
	}
	convCopyRowsGapGeneric(dst, ldd, src, lds, w, rows, gap)
}

// convShiftRowsAVX512 is ConvShiftRows with the arguments checked (count
// and n ≥ 1, |e| < w, n+16 and (top+rows)·w below 2³¹, the rows within a
// plane).
//
//go:noescape
func convShiftRowsAVX512(dst *float32, ldd, n int, src *float32, lds, count, w, top, rows, e int)

// convShiftRows runs impl's shifted-row fill.
func convShiftRows(impl string, dst []float32, ldd, n int, src []float32, lds, count, w, top, rows, e int) {
	if impl == AVX512 {
		convShiftRowsAVX512(&dst[0], ldd, n, &src[0], lds, count, w, top, rows, e)
		return
	}
	convShiftRowsPlanes(dst, ldd, n, src, lds, count, w, top, rows, e)
}

// convAddRows runs impl's row copy with an added scalar.
func convAddRows(impl string, dst []float32, ldd int, src []float32, lds, w, rows int, s float32) {
	switch impl {
	case AVX512:
		convAddRowsAVX512(&dst[0], ldd, &src[0], lds, w, rows, s)
	case AVX2:
		convAddRowsAVX2(&dst[0], ldd, &src[0], lds, w, rows, s)
	default:
		convAddRowsGeneric(dst, ldd, src, lds, w, rows, s)
	}
}

//go:noescape
func convAddRowsResReLUAVX2(dst *float32, ldd int, src *float32, lds int, w int, rows int, s float32, res *float32, ldr int)

//go:noescape
func convAddRowsResReLUAVX512(dst *float32, ldd int, src *float32, lds int, w int, rows int, s float32, res *float32, ldr int)

// convAddRowsResReLU runs impl's row copy with bias, residual and ReLU.
func convAddRowsResReLU(impl string, dst []float32, ldd int, src []float32, lds, w, rows int, s float32, res []float32, ldr int) {
	switch impl {
	case AVX512:
		convAddRowsResReLUAVX512(&dst[0], ldd, &src[0], lds, w, rows, s, &res[0], ldr)
	case AVX2:
		convAddRowsResReLUAVX2(&dst[0], ldd, &src[0], lds, w, rows, s, &res[0], ldr)
	default:
		convAddRowsResReLUGeneric(dst, ldd, src, lds, w, rows, s, res, ldr)
	}
}
