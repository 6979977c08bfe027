//go:build !purego

package asm

import "github.com/klauspost/cpuid/v2"

// archVec replaces the entries of t that have AVX2 kernels when impl is
// AVX2 or AVX512 (the float16 conversions also need F16C, which every AVX2
// CPU has in practice but is checked anyway), then, for AVX512, those that
// have AVX-512 kernels.
func archVec(impl string, t *vecKernels) {
	if impl != AVX2 && impl != AVX512 {
		return
	}
	t.add, t.sub, t.mul, t.div, t.maxFirst = addAVX2, subAVX2, mulAVX2, divAVX2, maxFirstAVX2
	t.relu, t.leakyRelu, t.clip = reluAVX2, leakyReluAVX2, clipAVX2
	t.scale, t.addScalar, t.affine, t.axpy = scaleAVX2, addScalarAVX2, affineAVX2, axpyAVX2
	t.exp, t.sigmoid, t.tanh = expAVX2, sigmoidAVX2, tanhAVX2
	t.log, t.softRelu, t.erf, t.gelu = logAVX2, softReluAVX2, erfAVX2, geluAVX2
	t.softmax, t.logSoftmax = softmaxAVX2, logSoftmaxAVX2
	t.sum, t.dot, t.max = sumAVX2, dotAVX2, maxAVX2
	if cpuid.CPU.Supports(cpuid.F16C) {
		t.f16ToF32, t.f32ToF16 = f16ToF32AVX2, f32ToF16AVX2
	}
	if impl != AVX512 {
		return
	}
	// The AVX-512 twins (BenchmarkVecAVX512, Zen 5, one thread, speed over
	// AVX2 on 4096 L1-resident floats / 1 MiB operands): arithmetic and
	// piecewise-linear kernels 1.5–2.3× / 0.96–1.2× (memory-bound), exp,
	// sigmoid, tanh 1.7–2.0× / 1.9–2.0×, softmax 1.8–2.2×, log-softmax
	// 1.6–1.8×, sum and dot 3.1× / 1.0–1.3×, max 4.5× / 2.5×. log,
	// softrelu, erf, gelu and the float16 conversions keep their AVX2
	// kernels.
	t.add, t.sub, t.mul, t.div, t.maxFirst = addAVX512, subAVX512, mulAVX512, divAVX512, maxFirstAVX512
	t.relu, t.leakyRelu, t.clip = reluAVX512, leakyReluAVX512, clipAVX512
	t.scale, t.addScalar, t.affine, t.axpy = scaleAVX512, addScalarAVX512, affineAVX512, axpyAVX512
	t.exp, t.sigmoid, t.tanh = expAVX512, sigmoidAVX512, tanhAVX512
	t.softmax, t.logSoftmax, t.softmaxRows = softmaxAVX512, logSoftmaxAVX512, softmaxRowsAVX512
	t.sum, t.dot, t.max = sumAVX512, dotAVX512, maxAVX512
}
