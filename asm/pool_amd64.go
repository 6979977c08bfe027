//go:build !purego

package asm

// maxPool2x2S2AVX512 and maxPool2x2S2AVX2 are MaxPool2x2S2 with the
// geometry checked and rows, cols > 0 (pool_amd64.s): avx512 all the
// columns (the last cols%16 under masks), avx2 cols rounded down to 8.
//
//go:noescape
func maxPool2x2S2AVX512(dst []float32, ldd int, src []float32, lds, rows, cols int)

//go:noescape
func maxPool2x2S2AVX2(dst []float32, ldd int, src []float32, lds, rows, cols int)

// maxPoolKernel reports whether impl has the pooling kernels.
func maxPoolKernel(impl string) bool { return impl == AVX512 || impl == AVX2 }

// maxPool2x2S2 runs impl's kernel (and Go for avx2's last columns).
func maxPool2x2S2(impl string, dst []float32, ldd int, src []float32, lds, rows, cols int) {
	if impl == AVX512 {
		maxPool2x2S2AVX512(dst, ldd, src, lds, rows, cols)
		return
	}
	maxPool2x2S2AVX2(dst, ldd, src, lds, rows, cols)
	if done := cols &^ 7; done < cols {
		maxPool2x2S2Generic(dst, ldd, src, lds, rows, cols, done)
	}
}
