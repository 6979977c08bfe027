package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// indexAt reads element i of an index tensor as MXNet's
// static_cast<int64_t> does: integers exactly, floating values truncated
// toward zero.
func indexAt(t *tensor.Tensor, i int) int64 {
	switch t.DType() {
	case tensor.Int32:
		return int64(int32(words(t.Bytes())[i]))
	case tensor.Int64:
		return int64(wordView[uint64](t.Bytes())[i])
	case tensor.Float32:
		return int64(t.Float32s()[i])
	}
	return int64(t.Float64At(i))
}

// copyElem copies element s of src to element d of dst (es bytes each).
func copyElem(dst, src []byte, d, s, es int) {
	copy(dst[d*es:(d+1)*es], src[s*es:(s+1)*es])
}

// whereForward picks x where the condition is non-zero, else y; a 1-D
// condition selects whole rows.
func whereForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	c, x, y, o := in[0], in[1], in[2], out[0]
	if x.DType() != o.DType() || y.DType() != o.DType() || x.Len() != o.Len() || y.Len() != o.Len() {
		return fmt.Errorf("where: x %s, y %s and output %s differ", x, y, o)
	}
	n := o.Len()
	if n == 0 {
		return nil
	}
	row := 1
	if c.Len() != n {
		if c.NDim() != 1 || o.Dim(0) != c.Len() {
			return fmt.Errorf("where: condition %s does not fit output %s", c, o)
		}
		row = n / c.Len()
	}
	if o.DType() == tensor.Float32 && c.DType() == tensor.Float32 {
		cd, xd, yd, od := c.Float32s(), x.Float32s(), y.Float32s(), o.Float32s()
		for i := range od {
			if cd[i/row] != 0 {
				od[i] = xd[i]
			} else {
				od[i] = yd[i]
			}
		}
		return nil
	}
	es := o.DType().Size()
	xb, yb, ob := x.Bytes(), y.Bytes(), o.Bytes()
	for r := range c.Len() {
		src := yb
		if c.Float64At(r) != 0 {
			src = xb
		}
		copy(ob[r*row*es:(r+1)*row*es], src[r*row*es:(r+1)*row*es])
	}
	return nil
}

// resolveIndex maps index j into [0, n) for the clip or wrap modes.
func resolveIndex(j int64, n int, clip bool) int {
	if clip {
		return int(max(0, min(j, int64(n)-1)))
	}
	j %= int64(n)
	if j < 0 {
		j += int64(n)
	}
	return int(j)
}

// takeForward is TakeOpForward<cpu>: mode raise first checks every index
// lies in [0, n-1] (comparing in the index dtype, so a fractional index
// below n passes) and then indexes like wrap.
func takeForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*TakeParam)
	a, idx, y := in[0], in[1], out[0]
	if a.DType() != y.DType() {
		return fmt.Errorf("take: output dtype %s differs from data %s", y.DType(), a.DType())
	}
	ni := idx.Len()
	if ni == 0 {
		return nil
	}
	ax := p.Axis
	if ax < 0 {
		ax += a.NDim()
	}
	outer, n, inner := splitAt(a, ax)
	if n == 0 {
		return fmt.Errorf("take: axis %d of %s is empty", ax, a)
	}
	if y.Len() != outer*ni*inner {
		return fmt.Errorf("take: output %s does not match data %s and %d indices", y, a, ni)
	}
	if p.Mode == TakeRaise {
		for i := range ni {
			if v := idx.Float64At(i); v < 0 || v > float64(n-1) {
				return fmt.Errorf("take: index %v at %d out of bounds for axis %d of size %d", v, i, ax, n)
			}
		}
	}
	clip := p.Mode == TakeClip
	es := a.DType().Size()
	src, dst := a.Bytes(), y.Bytes()
	row := inner * es
	for o := range outer {
		for i := range ni {
			j := resolveIndex(indexAt(idx, i), n, clip)
			d := (o*ni + i) * row
			s := (o*n + j) * row
			copy(dst[d:d+row], src[s:s+row])
		}
	}
	return nil
}

// pickForward picks one element along the axis per index (clip or wrap).
func pickForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*PickParam)
	x, idx, y := in[0], in[1], out[0]
	if x.DType() != y.DType() {
		return fmt.Errorf("pick: output dtype %s differs from data %s", y.DType(), x.DType())
	}
	ax, err := normAxis(p.Axis.Value, x.NDim(), "axis")
	if err != nil {
		return fmt.Errorf("pick: %w", err)
	}
	outer, n, inner := splitAt(x, ax)
	if y.Len() != outer*inner || idx.Len() != outer*inner {
		return fmt.Errorf("pick: output %s or index %s does not match data %s", y, idx, x)
	}
	if y.Len() == 0 {
		return nil
	}
	if n == 0 {
		return fmt.Errorf("pick: axis %d of %s is empty", ax, x)
	}
	clip := p.Mode == TakeClip
	es := x.DType().Size()
	src, dst := x.Bytes(), y.Bytes()
	for i := range y.Len() {
		o, r := i/inner, i%inner
		j := resolveIndex(indexAt(idx, i), n, clip)
		copyElem(dst, src, i, (o*n+j)*inner+r, es)
	}
	return nil
}

// gatherNDForward is GatherNDForwardCPU: each index in [-size, size-1]
// (else an error), negative ones counted from the end.
func gatherNDForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	d, idx, y := in[0], in[1], out[0]
	if d.DType() != y.DType() {
		return fmt.Errorf("gather_nd: output dtype %s differs from data %s", y.DType(), d.DType())
	}
	m := idx.Dim(0)
	if m == 0 || m > d.NDim() || m > maxGatherDims {
		return fmt.Errorf("gather_nd: %d index rows for %s", m, d)
	}
	n := idx.Len() / m
	k := 1
	for i := m; i < d.NDim(); i++ {
		k *= d.Dim(i)
	}
	if y.Len() != n*k {
		return fmt.Errorf("gather_nd: output %s does not match data %s and indices %s", y, d, idx)
	}
	var strides [maxGatherDims]int
	for i, s := m-1, k; i >= 0; i-- {
		strides[i] = s
		s *= d.Dim(i)
	}
	// MXNet reports, per indexed axis, the last offending index.
	for j := range m {
		size := float64(d.Dim(j))
		for i := n - 1; i >= 0; i-- {
			// (NaN fails too: MXNet would index with its undefined cast.)
			if v := idx.Float64At(j*n + i); !(v >= -size && v <= size-1) {
				return fmt.Errorf("gather_nd: index %v is out of bounds for axis %d with size %d", v, j, d.Dim(j))
			}
		}
	}
	es := d.DType().Size()
	src, dst := d.Bytes(), y.Bytes()
	row := k * es
	for i := range n {
		off := 0
		for j := range m {
			size := int64(d.Dim(j))
			var v int64
			if idx.DType().IsFloat() {
				v = int64(idx.Float64At(j*n+i) + float64(size))
			} else {
				v = indexAt(idx, j*n+i) + size
			}
			off += strides[j] * int(v%size)
		}
		copy(dst[i*row:(i+1)*row], src[off*es:off*es+row])
	}
	return nil
}
