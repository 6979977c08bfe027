//go:build !purego

package asm

// archSgemmKernels lists the arm64 SGEMM micro-kernels: the NEON 8×12
// kernel.
func archSgemmKernels() map[string]sgemmKernel {
	return map[string]sgemmKernel{NEON: {mr: neonMR, nr: neonNR, fn: sgemmKernelNEON, accFromC: true}}
}

// archGemvKernels lists the arm64 small-M kernels: the generic loops with
// the NEON dot and axpy vector kernels inside.
func archGemvKernels() map[string]gemvPair {
	return map[string]gemvPair{NEON: {nt: gemvNTWith(dotNEON), nn: gemvNNWith(axpyNEON)}}
}
