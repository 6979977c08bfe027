package ops

import (
	"unsafe"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// dimArray holds per-dimension values without allocating.
type dimArray = [tensor.MaxNDim]int

// contiguousStrides fills st with t's row-major element strides.
func contiguousStrides(t *tensor.Tensor, st *dimArray) {
	s := 1
	for d := t.NDim() - 1; d >= 0; d-- {
		st[d] = s
		s *= t.Dim(d)
	}
}

// stridedCopy fills dst (contiguous, shape dims[:nd]) from src elements at
// off + Σ idx[d]·st[d] (strides may be negative), es bytes per element.
func stridedCopy(dst, src []byte, es, nd int, dims, st *dimArray, off int) {
	if nd == 0 {
		copy(dst[:es], src[off*es:])
		return
	}
	n := dims[nd-1]
	if n == 0 || len(dst) == 0 {
		return
	}
	rows := len(dst) / (n * es)
	var idx dimArray
	inner := st[nd-1]
	for r := range rows {
		row := dst[r*n*es : (r+1)*n*es]
		switch {
		case inner == 1:
			copy(row, src[off*es:(off+n)*es])
		case es == 4:
			d, s := words(row), words(src)
			for j := range d {
				d[j] = s[off+j*inner]
			}
		case es == 8:
			d, s := wordView[uint64](row), wordView[uint64](src)
			for j := range d {
				d[j] = s[off+j*inner]
			}
		case es == 2:
			d, s := wordView[uint16](row), wordView[uint16](src)
			for j := range d {
				d[j] = s[off+j*inner]
			}
		case es == 1:
			for j := range row {
				row[j] = src[off+j*inner]
			}
		default:
			for j := range n {
				o := (off + j*inner) * es
				copy(row[j*es:(j+1)*es], src[o:o+es])
			}
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

// words views b as 4-byte elements (tensor storage is word-aligned).
func words(b []byte) []uint32 {
	return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/4)
}

// wordView views b as 2- or 8-byte elements (tensor storage is aligned).
func wordView[T uint16 | uint64](b []byte) []T {
	var z T
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/int(unsafe.Sizeof(z)))
}

// outDims copies t's shape into a dimArray.
func outDims(t *tensor.Tensor) (d dimArray) {
	for i := range t.NDim() {
		d[i] = t.Dim(i)
	}
	return d
}

// transposeForward permutes the axes (any dtype).
func transposeForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	x, y := in[0], out[0]
	nd := x.NDim()
	axes := params.(*TransposeParam).Axes
	var st, perm dimArray
	contiguousStrides(x, &st)
	for k := range nd {
		if len(axes) == 0 {
			perm[k] = nd - 1 - k
		} else if perm[k] = axes[k]; perm[k] < 0 {
			perm[k] += nd
		}
	}
	var src dimArray
	for k := range nd {
		src[k] = st[perm[k]]
	}
	dims := outDims(y)
	stridedCopy(y.Bytes(), x.Bytes(), x.DType().Size(), nd, &dims, &src, 0)
	return nil
}

// sliceForward copies the begin:end:step box (any dtype).
func sliceForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*SliceParam)
	x, y := in[0], out[0]
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
			return err
		}
		off += b * st[i]
		st[i] *= s
	}
	dims := outDims(y)
	stridedCopy(y.Bytes(), x.Bytes(), x.DType().Size(), x.NDim(), &dims, &st, off)
	return nil
}

// sliceAxisForward copies [begin, end) along one axis (any dtype).
func sliceAxisForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*SliceAxisParam)
	x, y := in[0], out[0]
	a := p.Axis
	if a < 0 {
		a += x.NDim()
	}
	b, _, err := sliceAxisRange(p, x.Dim(a))
	if err != nil {
		return err
	}
	var st dimArray
	contiguousStrides(x, &st)
	dims := outDims(y)
	stridedCopy(y.Bytes(), x.Bytes(), x.DType().Size(), x.NDim(), &dims, &st, b*st[a])
	return nil
}

// splitAt returns the element counts before, at and after axis a of t.
func splitAt(t *tensor.Tensor, a int) (outer, n, inner int) {
	outer, inner = 1, 1
	for d := range a {
		outer *= t.Dim(d)
	}
	for d := a + 1; d < t.NDim(); d++ {
		inner *= t.Dim(d)
	}
	return outer, t.Dim(a), inner
}

// concatForward joins the inputs along dim (any dtype).
func concatForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	y := out[0]
	a := params.(*ConcatParam).Dim
	if a < 0 {
		a += y.NDim()
	}
	outer, total, inner := splitAt(y, a)
	es := y.DType().Size()
	dst := y.Bytes()
	at := 0
	for _, x := range in {
		n := x.Dim(a) * inner * es
		src := x.Bytes()
		for o := range outer {
			copy(dst[(o*total*inner+at)*es:], src[o*n:(o+1)*n])
		}
		at += x.Dim(a) * inner
	}
	return nil
}

// sliceChannelForward splits the input into equal parts along axis (any
// dtype); squeeze_axis only changes the output shapes.
func sliceChannelForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*SliceChannelParam)
	x := in[0]
	a := p.Axis
	if a < 0 {
		a += x.NDim()
	}
	outer, total, inner := splitAt(x, a)
	part := total / p.NumOutputs
	es := x.DType().Size()
	src := x.Bytes()
	n := part * inner * es
	for i, y := range out {
		dst := y.Bytes()
		for o := range outer {
			copy(dst[o*n:(o+1)*n], src[(o*total*inner+i*part*inner)*es:])
		}
	}
	return nil
}

// clipForward bounds every element to [a_min, a_max] (NaN stays NaN). Like
// MXNet it tests the upper bound first, which matters when a_min > a_max.
func clipForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	if err := float32Only("clip", in, out); err != nil {
		return err
	}
	p := params.(*ClipParam)
	x, y := in[0].Float32s(), out[0].Float32s()
	if p.AMin <= p.AMax {
		asm.Clip(y, x, p.AMin, p.AMax)
		return nil
	}
	for i, v := range x {
		switch {
		case v > p.AMax:
			v = p.AMax
		case v < p.AMin:
			v = p.AMin
		}
		y[i] = v
	}
	return nil
}
