package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// axisSplit returns the outer size (dims before axis) and the inner size
// (dims after it) of t, with axis possibly negative.
func axisSplit(t *tensor.Tensor, axis int) (outer, inner, ax int, err error) {
	nd := t.NDim()
	if axis < 0 {
		axis += nd
	}
	if axis < 0 || axis >= nd {
		return 0, 0, 0, fmt.Errorf("axis %d out of range for %d-D data", axis, nd)
	}
	outer, inner = 1, 1
	for d := range axis {
		outer *= t.Dim(d)
	}
	for d := axis + 1; d < nd; d++ {
		inner *= t.Dim(d)
	}
	return outer, inner, axis, nil
}

// concatBackward is Concat's gradient: each input receives its slab of
// the output gradient along dim.
func concatBackward(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*ConcatParam)
	if err := float32Grads("Concat", outGrad, inGrad); err != nil {
		return err
	}
	dy := outGrad[0]
	outer, inner, ax, err := axisSplit(dy, p.Dim)
	if err != nil {
		return fmt.Errorf("Concat backward: %w", err)
	}
	g := dy.Float32s()
	total := dy.Dim(ax) * inner
	off := 0
	for i, t := range in {
		w := t.Dim(ax) * inner
		if gi := inGrad[i]; gi != nil {
			d := gi.Float32s()
			for o := range outer {
				storeGrad(req[i], d[o*w:(o+1)*w], g[o*total+off:o*total+off+w])
			}
		}
		off += w
	}
	return nil
}

// sliceChannelBackward is SliceChannel's (split's) gradient: the output
// gradients concatenated along axis (squeeze_axis only drops a unit dim).
func sliceChannelBackward(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	p := params.(*SliceChannelParam)
	if err := float32Grads("SliceChannel", outGrad, inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	outer, inner, ax, err := axisSplit(in[0], p.Axis)
	if err != nil {
		return fmt.Errorf("SliceChannel backward: %w", err)
	}
	d := inGrad[0].Float32s()
	total := in[0].Dim(ax) * inner
	w := total / p.NumOutputs
	for j, g := range outGrad {
		if g == nil {
			if req[0] == GradWrite {
				for o := range outer {
					clear(d[o*total+j*w : o*total+(j+1)*w])
				}
			}
			continue
		}
		gd := g.Float32s()
		for o := range outer {
			storeGrad(req[0], d[o*total+j*w:o*total+(j+1)*w], gd[o*w:(o+1)*w])
		}
	}
	return nil
}

// transposeBackward is transpose's gradient: dy scattered back through the
// forward's permutation, dx[perm⁻¹(j)] = dy[j].
func transposeBackward(_ *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("transpose", outGrad, inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	x, y := in[0], out[0]
	nd := x.NDim()
	axes := params.(*TransposeParam).Axes
	var st, src, idx dimArray
	contiguousStrides(x, &st)
	for k := range nd {
		pk := nd - 1 - k
		if len(axes) != 0 {
			if pk = axes[k]; pk < 0 {
				pk += nd
			}
		}
		src[k] = st[pk]
	}
	dx, dy := inGrad[0].Float32s(), outGrad[0].Float32s()
	if req[0] == GradWrite {
		clear(dx)
	}
	xi := 0
	for j, g := range dy {
		dx[xi] += g
		if j == len(dy)-1 {
			break
		}
		for d := nd - 1; d >= 0; d-- {
			idx[d]++
			xi += src[d]
			if idx[d] < y.Dim(d) {
				break
			}
			xi -= src[d] * idx[d]
			idx[d] = 0
		}
	}
	return nil
}

// stridedAdd adds src (contiguous over the index space dims[:nd]) into dst
// at off + Σ idx[d]·st[d]: the adjoint of stridedCopy for float32.
func stridedAdd(dst, src []float32, nd int, dims, st *dimArray, off int) {
	if nd == 0 {
		if len(src) > 0 {
			dst[off] += src[0]
		}
		return
	}
	n := dims[nd-1]
	if n == 0 || len(src) == 0 {
		return
	}
	var idx dimArray
	inner := st[nd-1]
	for r := range len(src) / n {
		row := src[r*n : (r+1)*n]
		for j, v := range row {
			dst[off+j*inner] += v
		}
		for d := nd - 2; d >= 0; d-- {
			idx[d]++
			off += st[d]
			if idx[d] < dims[d] {
				break
			}
			off -= st[d] * dims[d]
			idx[d] = 0
		}
	}
}

// sliceGradInto stores dy into the box of dx that the forward read
// (stridedCopy's dims, strides and offset): with GradWrite the rest of dx
// is zeroed first, as MXNet's slice backward fills 0 then assigns.
func sliceGradInto(req GradReq, dx, dy *tensor.Tensor, st *dimArray, off int) {
	d := dx.Float32s()
	if req == GradWrite {
		clear(d)
	}
	dims := outDims(dy)
	stridedAdd(d, dy.Float32s(), dy.NDim(), &dims, st, off)
}

// sliceBackward is slice's (crop's) gradient [matrix_op-inl.h
// SliceOpBackward]: dy lands in the begin:end:step box of a zero dx.
func sliceBackward(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("slice", outGrad, inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	p := params.(*SliceParam)
	x := in[0]
	var st dimArray
	contiguousStrides(x, &st)
	off := 0
	for i := range p.Begin {
		var step Optional[int]
		if len(p.Step) > 0 {
			step = p.Step[i]
		}
		b, _, s, err := sliceRange(p.Begin[i], p.End[i], step, x.Dim(i))
		if err != nil {
			return fmt.Errorf("slice backward: %w", err)
		}
		off += b * st[i]
		st[i] *= s
	}
	sliceGradInto(req[0], inGrad[0], outGrad[0], &st, off)
	return nil
}

// sliceAxisBackward is slice_axis's gradient: dy lands in [begin, end)
// along axis of a zero dx.
func sliceAxisBackward(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("slice_axis", outGrad, inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	p := params.(*SliceAxisParam)
	x := in[0]
	a := p.Axis
	if a < 0 {
		a += x.NDim()
	}
	if a < 0 || a >= x.NDim() {
		return fmt.Errorf("slice_axis backward: axis %d out of range for %d-D data", p.Axis, x.NDim())
	}
	b, _, err := sliceAxisRange(p, x.Dim(a))
	if err != nil {
		return fmt.Errorf("slice_axis backward: %w", err)
	}
	var st dimArray
	contiguousStrides(x, &st)
	sliceGradInto(req[0], inGrad[0], outGrad[0], &st, b*st[a])
	return nil
}

// sliceLikeBackward is slice_like's gradient [matrix_op-inl.h
// SliceLikeBackward]: dy lands in the leading box of a zero dx; the
// shape_like input gets a zero gradient.
func sliceLikeBackward(_ *Ctx, _ any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("slice_like", outGrad, inGrad[:1]); err != nil {
		return err
	}
	if len(inGrad) > 1 && inGrad[1] != nil && req[1] == GradWrite {
		clear(inGrad[1].Bytes())
	}
	if inGrad[0] == nil {
		return nil
	}
	var st dimArray
	contiguousStrides(in[0], &st)
	sliceGradInto(req[0], inGrad[0], outGrad[0], &st, 0)
	return nil
}

// clipBackward is clip's gradient [matrix_op-inl.h clip_grad]: dy where
// a_min ≤ x ≤ a_max (tested as x > a_max, then x < a_min), else 0.
func clipBackward(_ *Ctx, params any, in, _, outGrad, inGrad []*tensor.Tensor, req []GradReq) error {
	if err := float32Grads("clip", in, outGrad, inGrad); err != nil {
		return err
	}
	if inGrad[0] == nil {
		return nil
	}
	p := params.(*ClipParam)
	x, dy := in[0].Float32s(), outGrad[0].Float32s()
	gradElems(req[0], inGrad[0].Float32s(), func(i int) float32 {
		if v := x[i]; v > p.AMax || v < p.AMin {
			return 0
		}
		return dy[i]
	})
	return nil
}
