//go:build purego || !(amd64 || arm64)

package asm

// archVec has no SIMD kernels to offer here.
func archVec(string, *vecKernels) {}
