//go:build purego || !(amd64 || arm64)

package asm

// archSgemmKernels: no assembly kernels in this build.
func archSgemmKernels() map[string]sgemmKernel { return nil }

// archGemvKernels: no assembly kernels in this build.
func archGemvKernels() map[string]gemvPair { return nil }
