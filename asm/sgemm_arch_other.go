//go:build purego || !(amd64 || arm64)

package asm

// archSgemmKernels: no assembly kernels in this build.
func archSgemmKernels() map[string]sgemmKernel { return nil }

// archSlicedKernels: no assembly kernels in this build.
func archSlicedKernels() map[string]slicedNN { return nil }
