//go:build !purego

package asm

// archVec replaces the entries of t that have AVX2 kernels when impl is
// AVX2.
func archVec(impl string, t *vecKernels) {
	if impl != AVX2 {
		return
	}
	t.add, t.sub, t.mul, t.div = addAVX2, subAVX2, mulAVX2, divAVX2
	t.relu, t.leakyRelu, t.clip = reluAVX2, leakyReluAVX2, clipAVX2
	t.scale, t.addScalar, t.affine, t.axpy = scaleAVX2, addScalarAVX2, affineAVX2, axpyAVX2
	t.exp, t.sigmoid, t.tanh = expAVX2, sigmoidAVX2, tanhAVX2
	t.sum, t.dot, t.max = sumAVX2, dotAVX2, maxAVX2
}
