//go:build !purego

package asm

// archSgemmKernels lists the arm64 SGEMM micro-kernels. The NEON kernel
// (sgemmKernelNEON, neonMR×neonNR, on the neon branch) plugs in here as
//
//	NEON: {mr: neonMR, nr: neonNR, fn: sgemmKernelNEON}
//
// until then NEON uses the generic kernel inside the same blocking.
func archSgemmKernels() map[string]sgemmKernel { return nil }

// archGemvKernels lists the arm64 small-M kernels (none yet: generic).
func archGemvKernels() map[string]gemvPair { return nil }
