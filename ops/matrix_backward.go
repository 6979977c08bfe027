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
