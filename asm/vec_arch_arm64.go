//go:build !purego

package asm

// archVec replaces the entries of t that have NEON kernels when impl is
// NEON (all of them).
func archVec(impl string, t *vecKernels) {
	if impl != NEON {
		return
	}
	t.add, t.sub, t.mul, t.div, t.maxFirst = addNEON, subNEON, mulNEON, divNEON, maxFirstNEON
	t.relu, t.leakyRelu, t.clip = reluNEON, leakyReluNEON, clipNEON
	t.scale, t.addScalar, t.affine, t.axpy = scaleNEON, addScalarNEON, affineNEON, axpyNEON
	t.exp, t.log, t.sigmoid, t.tanh, t.softRelu = expNEON, logNEON, sigmoidNEON, tanhNEON, softReluNEON
	t.erf, t.gelu = erfNEON, geluNEON
	t.softmax, t.logSoftmax = softmaxNEON, logSoftmaxNEON
	t.sum, t.dot, t.max = sumNEON, dotNEON, maxNEON
	t.f16ToF32, t.f32ToF16 = f16ToF32NEON, f32ToF16NEON
}
