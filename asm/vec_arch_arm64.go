//go:build !purego

package asm

// archVec replaces the entries of t that have arm64 kernels when impl is
// NEON.
func archVec(impl string, t *vecKernels) {
	if impl != NEON {
		return
	}
}
