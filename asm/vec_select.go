package asm

import "math"

// vecKernels is one implementation of the vector kernels. The public
// functions in vec.go check lengths and call the selected table.
type vecKernels struct {
	relu, exp, log, sigmoid, tanh, softRelu, erf, gelu func(dst, x []float32)
	leakyRelu, scale, axpy, addScalar                  func(dst, x []float32, a float32)
	clip, affine                                       func(dst, x []float32, a, b float32)
	softmax, logSoftmax                                func(dst, x []float32, t float32)
	add, sub, mul, div                                 func(dst, x, y []float32)
	sum, max                                           func(x []float32) float32
	dot                                                func(x, y []float32) float32
	f16ToF32                                           func(dst []float32, src []uint16)
	f32ToF16                                           func(dst []uint16, src []float32)
}

// vk is the selected implementation.
var vk = &genericVec

func init() {
	onSelect(func(impl string) { vk = vecFor(impl) })
}

// vecFor returns the table for impl: a copy of the generic table with the
// entries the architecture has kernels for (archVec) replaced. Softmax rows
// the architecture does not provide are composed from its other kernels.
func vecFor(impl string) *vecKernels {
	t := genericVec
	if impl != Generic {
		t.softmax, t.logSoftmax = nil, nil
		archVec(impl, &t)
		if t.softmax == nil {
			t.softmax = softmaxWith(&t)
		}
		if t.logSoftmax == nil {
			t.logSoftmax = logSoftmaxWith(&t)
		}
	}
	return &t
}

// softmaxWith composes a row softmax from k's max, addScalar, scale, exp
// and sum kernels (dst serves as the buffer).
func softmaxWith(k *vecKernels) func(dst, x []float32, t float32) {
	return func(dst, x []float32, t float32) {
		if len(x) == 0 {
			return
		}
		k.addScalar(dst, x, -k.max(x))
		if t != 1 {
			k.scale(dst, dst, 1/t)
		}
		k.exp(dst, dst)
		k.scale(dst, dst, 1/k.sum(dst))
	}
}

// logSoftmaxWith composes a row log-softmax from k's kernels, using dst as
// the buffer for the exponentials; in place (dst is x) it falls back to the
// generic kernel, which needs no buffer.
func logSoftmaxWith(k *vecKernels) func(dst, x []float32, t float32) {
	return func(dst, x []float32, t float32) {
		if len(x) == 0 {
			return
		}
		if &dst[0] == &x[0] {
			genericVec.logSoftmax(dst, x, t)
			return
		}
		m := k.max(x)
		k.addScalar(dst, x, -m)
		if t != 1 {
			k.scale(dst, dst, 1/t)
		}
		k.exp(dst, dst)
		ls := float32(math.Log(float64(k.sum(dst))))
		k.addScalar(dst, x, -m)
		if t != 1 {
			k.scale(dst, dst, 1/t)
		}
		k.addScalar(dst, dst, -ls)
	}
}
