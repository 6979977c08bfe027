//go:build !purego

package asm

// dwRows9NEON is DepthwiseRows9 with the geometry checked
// (conv_dw_arm64.s): per row, 8 then 4 outputs per step and single
// outputs for the last 0-3 columns, fused multiply-adds in tap order.
//
//go:noescape
func dwRows9NEON(dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32)

// dwRows9 runs impl's kernel.
func dwRows9(impl string, dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32) {
	if impl == NEON {
		dwRows9NEON(dst, ldd, src, lds, rows, cols, w, bias, lo, hi, zero)
		return
	}
	dwRows9Generic(dst, ldd, src, lds, rows, cols, w, bias, lo, hi, zero)
}

// splitEvenOddNEON splits the first len(even) rounded down to 4 columns;
// SplitEvenOdd does the rest.
//
//go:noescape
func splitEvenOddNEON(even, odd, src []float32)

// splitEvenOdd runs impl's split kernel and returns how many columns it
// did.
func splitEvenOdd(impl string, even, odd, src []float32) int {
	if impl == NEON {
		splitEvenOddNEON(even, odd, src)
		return len(even) &^ 3
	}
	return 0
}

// splitRows splits row by row with impl's SplitEvenOdd kernel.
func splitRows(impl string, even, odd []float32, ldo int, src []float32, lds, rows, n int) {
	splitRowsBySplit(impl, even, odd, ldo, src, lds, rows, n)
}

// dwPad1 has no NEON kernel: DepthwisePad1 reports false.
func dwPad1(string, []float32, int, []float32, int, int, int, int, int, int, int, []float32, []float32, float32, float32, float32) bool {
	return false
}
