//go:build purego || !(amd64 || arm64)

package asm

// convImplicit has only the Go kernel off amd64.
func convImplicit(_ string, m, n int, w []float32, ldw int, b []float32, offs []int32, c []float32, ldc int, bias []float32, relu bool) {
	convImplicitGeneric(m, n, w, ldw, b, offs, c, ldc)
	convEpilogueRows(m, n, c, ldc, bias, relu)
}

// convCopyRows has only the Go loop off amd64.
func convCopyRows(_ string, dst []float32, ldd int, src []float32, lds, w, rows int) {
	convCopyRowsGeneric(dst, ldd, src, lds, w, rows)
}

// convAddRows has only the Go loop off amd64.
func convAddRows(_ string, dst []float32, ldd int, src []float32, lds, w, rows int, s float32) {
	convAddRowsGeneric(dst, ldd, src, lds, w, rows, s)
}

// convAddRowsResReLU has only the Go loop off amd64.
func convAddRowsResReLU(_ string, dst []float32, ldd int, src []float32, lds, w, rows int, s float32, res []float32, ldr int) {
	convAddRowsResReLUGeneric(dst, ldd, src, lds, w, rows, s, res, ldr)
}

// convShiftRows has only the Go loop off amd64.
func convShiftRows(_ string, dst []float32, ldd, n int, src []float32, lds, count, w, top, rows, e int) {
	convShiftRowsPlanes(dst, ldd, n, src, lds, count, w, top, rows, e)
}

// convCopyRowsGap has only the Go loop off amd64.
func convCopyRowsGap(_ string, dst []float32, ldd int, src []float32, lds, w, rows, gap int) {
	convCopyRowsGapGeneric(dst, ldd, src, lds, w, rows, gap)
}
