package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// storeGrad writes (GradWrite) or adds (GradAdd) src into dst.
func storeGrad(req GradReq, dst, src []float32) {
	switch req {
	case GradWrite:
		copy(dst, src)
	case GradAdd:
		for i, v := range src {
			dst[i] += v
		}
	}
}

// gradElems sets dst[i] (GradWrite) or adds to it (GradAdd) f(i) for
// every i.
func gradElems(req GradReq, dst []float32, f func(i int) float32) {
	switch req {
	case GradWrite:
		for i := range dst {
			dst[i] = f(i)
		}
	case GradAdd:
		for i := range dst {
			dst[i] += f(i)
		}
	}
}

// betaFor is the sgemm beta for req: 0 overwrites, 1 accumulates.
func betaFor(req GradReq) float32 {
	if req == GradAdd {
		return 1
	}
	return 0
}

// zeroGrad stores a zero gradient (label inputs of loss heads).
func zeroGrad(req GradReq, g *tensor.Tensor) {
	if req == GradWrite && g != nil {
		clear(g.Float32s())
	}
}

// float32Grads checks that every tensor a backward kernel touches is
// float32.
func float32Grads(op string, lists ...[]*tensor.Tensor) error {
	for _, l := range lists {
		for _, t := range l {
			if t != nil && t.DType() != tensor.Float32 {
				return fmt.Errorf("%s backward: %s tensors not supported, only float32", op, t.DType())
			}
		}
	}
	return nil
}

// copyBackward is the gradient of ops that copy their input's bytes
// (Reshape, Flatten, identity): the input gradient is the output's.
func copyBackward(_ *Ctx, _ any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("copy", outGrad, inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	if inGrad[0].Len() != outGrad[0].Len() {
		return fmt.Errorf("copy backward: input gradient has %d elements, output %d", inGrad[0].Len(), outGrad[0].Len())
	}
	storeGrad(req[0], inGrad[0].Float32s(), outGrad[0].Float32s())
	return nil
}
