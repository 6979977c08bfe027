//go:build !purego

package asm

// archSgemmKernels lists the arm64 SGEMM micro-kernels: the NEON 8×12
// kernel.
func archSgemmKernels() map[string]sgemmKernel {
	return map[string]sgemmKernel{NEON: {mr: neonMR, nr: neonNR, fn: sgemmKernelNEON, accFromC: true}}
}

// archSlicedKernels: arm64 has no small-M kernels (small m takes the
// blocked path).
func archSlicedKernels() map[string]slicedNN { return nil }
