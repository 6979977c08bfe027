//go:build purego || !amd64

package asm

// dwRow9 has only the Go kernel off amd64 (arm64 runs it too: no NEON
// twin yet).
func dwRow9(_ string, dst []float32, src *[9][]float32, w *[9]float32, bias float32) {
	dwRow9Generic(dst, src, w, bias)
}

// splitEvenOdd leaves every column to SplitEvenOdd's Go loop.
func splitEvenOdd(string, []float32, []float32, []float32) int { return 0 }
