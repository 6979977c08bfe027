//go:build !purego

package asm

// convImplicitNEON is ConvImplicit for m <= 4 rows with the arguments
// checked (conv_implicit_arm64.s): 16, then 4, then 1 positions per step,
// each output one fused chain over k in order.
//
//go:noescape
func convImplicitNEON(c *float32, ldc int, w *float32, ldw int, b *float32, offs *int32, k int, n int, m int)

// convImplicit runs impl's kernel (NEON: 4 rows at a time).
func convImplicit(impl string, m, n int, w []float32, ldw int, b []float32, offs []int32, c []float32, ldc int, bias []float32, relu bool) {
	if impl != NEON {
		convImplicitGeneric(m, n, w, ldw, b, offs, c, ldc)
	} else {
		for i := 0; i < m; i += 4 {
			convImplicitNEON(&c[i*ldc], ldc, &w[i*ldw], ldw, &b[0], &offs[0], len(offs), n, min(4, m-i))
		}
	}
	convEpilogueRows(m, n, c, ldc, bias, relu)
}

// convCopyRows has only the Go loop on arm64.
func convCopyRows(_ string, dst []float32, ldd int, src []float32, lds, w, rows int) {
	convCopyRowsGeneric(dst, ldd, src, lds, w, rows)
}

// convAddRows has only the Go loop on arm64.
func convAddRows(_ string, dst []float32, ldd int, src []float32, lds, w, rows int, s float32) {
	convAddRowsGeneric(dst, ldd, src, lds, w, rows, s)
}

// convAddRowsResReLU has only the Go loop on arm64.
func convAddRowsResReLU(_ string, dst []float32, ldd int, src []float32, lds, w, rows int, s float32, res []float32, ldr int) {
	convAddRowsResReLUGeneric(dst, ldd, src, lds, w, rows, s, res, ldr)
}

// convShiftRows has only the Go loop on arm64.
func convShiftRows(_ string, dst []float32, ldd, n int, src []float32, lds, count, w, top, rows, e int) {
	convShiftRowsPlanes(dst, ldd, n, src, lds, count, w, top, rows, e)
}

// convCopyRowsGap has only the Go loop on arm64.
func convCopyRowsGap(_ string, dst []float32, ldd int, src []float32, lds, w, rows, gap int) {
	convCopyRowsGapGeneric(dst, ldd, src, lds, w, rows, gap)
}
