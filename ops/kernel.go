package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// Helpers shared by the forward kernels.

// float32Only returns an error naming op unless every input and output is
// float32 (the dtype mxgo computes in).
func float32Only(op string, in, out []*tensor.Tensor) error {
	for i, t := range in {
		if t.DType() != tensor.Float32 {
			return fmt.Errorf("%s: input %d is %s, only float32 is supported", op, i, t.DType())
		}
	}
	for i, t := range out {
		if t.DType() != tensor.Float32 {
			return fmt.Errorf("%s: output %d is %s, only float32 is supported", op, i, t.DType())
		}
	}
	return nil
}

// copyForward copies input 0 to output 0 byte for byte (any dtype); when
// the executor ran the op in place there is nothing to do. It serves every
// op whose output is its input's data under another shape or name
// (Reshape, Flatten, expand_dims, _copy, BlockGrad, ...).
func copyForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	src, dst := in[0].Bytes(), out[0].Bytes()
	if len(src) != len(dst) {
		return fmt.Errorf("copy: input has %d bytes, output %d", len(src), len(dst))
	}
	if len(dst) > 0 && &src[0] != &dst[0] {
		copy(dst, src)
	}
	return nil
}
