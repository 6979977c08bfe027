package ops

import "github.com/mxgo/mxgo/tensor"

// npReduceForward runs the legacy reduction kernel on the NumPy reduction's
// axes; axis=() and a 0-d input (whose axis may be 0 or -1) reduce nothing
// and copy.
func npReduceForward(name string, kind reduceKind) Kernel {
	reduce := reduceForward(name, kind)
	return func(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
		p := params.(*NumpyReduceParam)
		if (p.Axis.Set && len(p.Axis.Value) == 0) || in[0].NDim() == 0 {
			return copyForward(ctx, nil, in, out)
		}
		return reduce(ctx, &p.legacy, in, out)
	}
}

// npConcatenateForward joins along the axis, or with axis None appends the
// inputs' elements in row-major order (any dtype).
func npConcatenateForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*NumpyConcatenateParam)
	if p.Axis.Set {
		return concatForward(ctx, &p.concat, in, out)
	}
	dst := out[0].Bytes()
	for _, x := range in {
		dst = dst[copy(dst, x.Bytes()):]
	}
	return nil
}
