//go:build !purego

package asm

// archSgemmKernels lists the amd64 SGEMM micro-kernels.
func archSgemmKernels() map[string]sgemmKernel {
	return map[string]sgemmKernel{
		AVX2: {mr: 6, nr: 16, fn: sgemmKernelAVX2, store: sgemmKernelAVX2Store, packA6: packA6AVX2,
			packB16: packB16AVX2, packBT16: packBT16AVX2, dot2x5: sgemmDot2x5AVX2,
			direct: sgemmDirectAVX2},
	}
}

// archGemvKernels lists the amd64 small-M kernels.
func archGemvKernels() map[string]gemvPair {
	return map[string]gemvPair{
		AVX2: {nt: gemvNTAVX2, nn: gemvNNAVX2},
	}
}
