//go:build !purego

package asm

// archVec replaces the entries of t that have amd64 kernels when impl is
// AVX2.
func archVec(impl string, t *vecKernels) {
	if impl != AVX2 {
		return
	}
}
