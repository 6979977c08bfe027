//go:build purego || !(amd64 || arm64)

package asm

// dwRows9 has only the Go kernel off amd64 and arm64.
func dwRows9(_ string, dst []float32, ldd int, src *[9][]float32, lds, rows, cols int, w *[9]float32, bias, lo, hi, zero float32) {
	dwRows9Generic(dst, ldd, src, lds, rows, cols, w, bias, lo, hi, zero)
}

// splitEvenOdd leaves every column to SplitEvenOdd's Go loop.
func splitEvenOdd(string, []float32, []float32, []float32) int { return 0 }

// splitRows splits row by row with impl's SplitEvenOdd kernel.
func splitRows(impl string, even, odd []float32, ldo int, src []float32, lds, rows, n int) {
	splitRowsBySplit(impl, even, odd, ldo, src, lds, rows, n)
}

// dwPad1 has no Go kernel: DepthwisePad1 reports false.
func dwPad1(string, []float32, int, []float32, int, int, int, int, int, int, int, []float32, []float32, float32, float32, float32) bool {
	return false
}
