package asm

// vecKernels is one implementation of the vector kernels. The public
// functions in vec.go check lengths and call the selected table.
type vecKernels struct {
	relu, exp, log, sigmoid, tanh, softRelu, erf, gelu func(dst, x []float32)
	leakyRelu, scale, axpy, addScalar                  func(dst, x []float32, a float32)
	clip, affine                                       func(dst, x []float32, a, b float32)
	softmax, logSoftmax                                func(dst, x []float32, t float32)
	softmaxRows                                        func(dst, x []float32, n int, t float32) // nil: softmax per row
	add, sub, mul, div                                 func(dst, x, y []float32)
	maxFirst                                           func(dst, x, y []float32)
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
// entries the architecture has kernels for (archVec) replaced.
func vecFor(impl string) *vecKernels {
	t := genericVec
	if impl != Generic {
		archVec(impl, &t)
	}
	return &t
}
