//go:build !purego

package asm

// archSgemmKernels lists the arm64 SGEMM micro-kernels: the NEON 8×12
// kernel.
func archSgemmKernels() map[string]sgemmKernel {
	return map[string]sgemmKernel{NEON: {mr: neonMR, nr: neonNR, fn: sgemmKernelNEON}}
}

// archGemvKernels lists the arm64 small-M kernels: the generic loops with
// the NEON dot and axpy vector kernels inside.
func archGemvKernels() map[string]gemvPair {
	return map[string]gemvPair{NEON: {nt: gemvNTNEON, nn: gemvNNNEON}}
}

// gemvNTNEON is gemvNTGeneric with NEON dot products.
func gemvNTNEON(m, n, k int, a, w []float32, ldw int, c []float32, ldc int) {
	for j := range n {
		wj := w[j*ldw : j*ldw+k]
		for i := range m {
			c[i*ldc+j] += dotNEON(a[i*k:i*k+k], wj)
		}
	}
}

// gemvNNNEON is gemvNNGeneric with NEON axpy rows.
func gemvNNNEON(m, n, k int, a, b []float32, ldb int, c []float32, ldc int) {
	const strip = 256
	for j0 := 0; j0 < n; j0 += strip {
		w := min(strip, n-j0)
		for p := range k {
			bp := b[p*ldb+j0 : p*ldb+j0+w]
			for i := range m {
				axpyNEON(c[i*ldc+j0:i*ldc+j0+w], bp, a[i*k+p])
			}
		}
	}
}
