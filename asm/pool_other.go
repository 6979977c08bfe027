//go:build purego || !amd64

package asm

// maxPoolKernel: no pooling kernel off amd64 (MaxPool2x2S2 reports
// false; callers keep their MaxFirst passes, NEON ones on arm64).
func maxPoolKernel(string) bool { return false }

// maxPool2x2S2 is never called off amd64.
func maxPool2x2S2(_ string, dst []float32, ldd int, src []float32, lds, rows, cols int) {
	maxPool2x2S2Generic(dst, ldd, src, lds, rows, cols, 0)
}
