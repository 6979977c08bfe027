package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/internal/parallel"

	"github.com/mxgo/mxgo/tensor"
)

// poolDims is a pooling's geometry with 1-3 spatial dims padded to 3
// (leading unit dims), plus the element stride of a spatial position
// (channel-first: 1; channel-last: C).
type poolDims struct {
	n, c              int
	in, out           [3]int
	k, s, p           [3]int
	spStride          int
	channelLast       bool
	inBatch, outBatch int // elements per sample
	inPlane, outPlane int // spatial elements per channel
}

// newPoolDims builds poolDims from params and the data/output tensors.
func newPoolDims(p *PoolingParam, x, y *tensor.Tensor) (poolDims, error) {
	var g poolDims
	nd := x.NDim()
	if nd < 3 || nd > 5 || y.NDim() != nd {
		return g, fmt.Errorf("data must be 3-D, 4-D or 5-D, got %d-D", nd)
	}
	l := poolingLayout(p, nd)
	ks := nd - 2
	if l.SpatialDims() != ks {
		return g, fmt.Errorf("layout %s does not match %d-D data", l, nd)
	}
	sp0, ch := 2, 1
	if l.ChannelLast() {
		sp0, ch = 1, nd-1
	}
	g.n, g.c = x.Dim(0), x.Dim(ch)
	if !p.GlobalPool && len(p.Kernel) != ks {
		return g, fmt.Errorf("%d-D kernel for %d-D data", len(p.Kernel), nd)
	}
	for i := range 3 {
		g.in[i], g.out[i], g.k[i], g.s[i], g.p[i] = 1, 1, 1, 1, 0
	}
	off := 3 - ks
	for i := range ks {
		g.in[off+i], g.out[off+i] = x.Dim(sp0+i), y.Dim(sp0+i)
		if p.GlobalPool {
			g.k[off+i] = g.in[off+i]
		} else {
			g.k[off+i], g.s[off+i], g.p[off+i] = p.Kernel[i], p.Stride[i], p.Pad[i]
		}
	}
	g.inPlane = g.in[0] * g.in[1] * g.in[2]
	g.outPlane = g.out[0] * g.out[1] * g.out[2]
	g.inBatch, g.outBatch = g.c*g.inPlane, g.c*g.outPlane
	g.spStride = 1
	if l.ChannelLast() {
		g.spStride, g.channelLast = g.c, true
	}
	return g, nil
}

// poolWindow returns the window [lo, hi) of output position o in one dim
// clipped to the input, and its unclipped extent (clipped only to in+pad,
// as MXNet's count_include_pad divisor).
func poolWindow(o, in, k, s, p int) (lo, hi, padded int) {
	lo = o*s - p
	hi = min(lo+k, in+p)
	padded = hi - lo
	return max(lo, 0), min(hi, in), padded
}

// poolingForward computes Pooling (max, avg, sum, lp; global or windowed;
// any pooling convention since the output shape carries it). Windows are
// clipped to the input; avg divides the window sum by the window size
// including padding (count_include_pad, the default) or by the clipped
// size. Max ignores padding; a window that sees no element bigger than the
// lowest float32 (empty, or all -Inf/NaN) gives -MaxFloat32, as MXNet's CPU
// kernel. NaNs are skipped by max (comparisons with NaN are false).
//
// The oneDNN build's hidden second output of max pooling (an opaque
// workspace in MXNet, read only by the backward pass) is filled when
// training (Ctx.Train) with the argmax: the flat spatial index
// (d·H+h)·W+w within the sample's channel, or -1 when no element won. At
// inference it is left as it is. 2-D channel-first max pooling splits its
// planes over Ctx.Threads.
func poolingForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*PoolingParam)
	x, y := in[0], out[0]
	if x.DType() != tensor.Float32 || y.DType() != tensor.Float32 {
		return fmt.Errorf("data is %s, only float32 is supported", x.DType())
	}
	if p.OutputSize.Set {
		return fmt.Errorf("adaptive pooling (output_size) not supported")
	}
	g, err := newPoolDims(p, x, y)
	if err != nil {
		return err
	}
	xd, yd := x.Float32s(), y.Float32s()
	if len(xd) != g.n*g.inBatch || len(yd) != g.n*g.outBatch {
		return fmt.Errorf("tensor sizes %d, %d do not match the geometry", len(xd), len(yd))
	}
	var mask []int32
	if len(out) > 1 && ctx.Train {
		m, err := tensor.Data[int32](out[1])
		if err != nil || len(m) != len(yd) {
			return fmt.Errorf("workspace output must be int32 of the output's size")
		}
		mask = m
	}
	pv := 1
	if p.PoolType == PoolLp {
		if pv = p.PValue.Get(0); pv < 1 || pv > 3 {
			return fmt.Errorf("lp pooling supports p_value 1, 2 or 3, got %d", pv)
		}
	}
	if p.PoolType == PoolMax && !g.channelLast && g.in[0] == 1 && g.out[0] == 1 {
		planes := g.n * g.c
		// Below ~64k input elements one goroutine is faster than waking another.
		if threads := min(max(ctx.Threads, 1), planes); threads > 1 && planes*g.inPlane >= 1<<16 {
			job := poolJobs.Get()
			*job = poolJob{ctx: ctx, g: g, x: xd, y: yd, mask: mask, threads: threads}
			parallel.Parallel(threads, job)
			*job = poolJob{}
			poolJobs.Put(job)
			return ctx.Err()
		}
		poolMax2DCtx(ctx, &g, xd, yd, mask, 0, planes)
		return ctx.Err()
	}
	if (p.PoolType == PoolAvg || p.PoolType == PoolSum) && !g.channelLast && g.wholePlane() {
		// Global average/sum pooling (a classifier head): one sum per plane.
		for i := range g.n * g.c {
			if i%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			s := poolSum(xd[i*g.inPlane : (i+1)*g.inPlane])
			if p.PoolType == PoolAvg {
				s /= float32(g.inPlane)
			}
			yd[i] = s
		}
		return nil
	}
	includePad := p.CountIncludePad.Get(true)
	// A plane whose windows read more than poolCheckElems elements is
	// checked every output row as well.
	rowCheck := ctx.cancellable() && g.poolRowCost()*g.out[1]*g.out[0] > poolCheckElems
	for n := range g.n {
		for c := range g.c {
			if err := ctx.Err(); err != nil {
				return err
			}
			xb, yb := n*g.inBatch+c, n*g.outBatch+c
			if !g.channelLast {
				xb, yb = n*g.inBatch+c*g.inPlane, n*g.outBatch+c*g.outPlane
			}
			ys := g.spStride
			oi := 0
			for od := range g.out[0] {
				d0, d1, dn := poolWindow(od, g.in[0], g.k[0], g.s[0], g.p[0])
				for oh := range g.out[1] {
					if rowCheck && ctx.Err() != nil {
						return ctx.Err()
					}
					h0, h1, hn := poolWindow(oh, g.in[1], g.k[1], g.s[1], g.p[1])
					for ow := range g.out[2] {
						w0, w1, wn := poolWindow(ow, g.in[2], g.k[2], g.s[2], g.p[2])
						yi := yb + oi*ys
						oi++
						switch p.PoolType {
						case PoolMax:
							m, arg := float32(-math.MaxFloat32), int32(-1)
							for id := d0; id < d1; id++ {
								for ih := h0; ih < h1; ih++ {
									s := (id*g.in[1] + ih) * g.in[2]
									for iw := w0; iw < w1; iw++ {
										if v := xd[xb+(s+iw)*g.spStride]; v > m {
											m, arg = v, int32(s+iw)
										}
									}
								}
							}
							yd[yi] = m
							if mask != nil {
								mask[yi] = arg
							}
						default:
							var sum float32
							for id := d0; id < d1; id++ {
								for ih := h0; ih < h1; ih++ {
									s := (id*g.in[1] + ih) * g.in[2]
									for iw := w0; iw < w1; iw++ {
										v := xd[xb+(s+iw)*g.spStride]
										switch pv {
										case 2:
											v *= v
										case 3:
											v = v * v * v
										}
										sum += v
									}
								}
							}
							switch p.PoolType {
							case PoolAvg:
								size := dn * hn * wn
								if !includePad {
									size = max(d1-d0, 0) * max(h1-h0, 0) * max(w1-w0, 0)
								}
								sum /= float32(size)
							case PoolLp:
								sum = poolRoot(sum, pv)
							}
							yd[yi] = sum
						}
					}
				}
			}
		}
	}
	return nil
}

// wholePlane reports a window that is the whole unpadded input plane with
// one output per plane (global pooling, or a kernel the size of the input).
func (g *poolDims) wholePlane() bool {
	for i := range 3 {
		if g.out[i] != 1 || g.k[i] != g.in[i] || g.p[i] != 0 {
			return false
		}
	}
	return true
}

// poolSum sums x in four interleaved partial sums (element i goes to sum
// i%4), added as (s0+s1)+(s2+s3): a fixed order whatever the kernel
// implementation, with four independent addition chains.
func poolSum(x []float32) float32 {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i]
		s1 += x[i+1]
		s2 += x[i+2]
		s3 += x[i+3]
	}
	switch len(x) - i {
	case 3:
		s2 += x[i+2]
		fallthrough
	case 2:
		s1 += x[i+1]
		fallthrough
	case 1:
		s0 += x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// poolRoot is lp pooling's p-th root for p = 1, 2, 3 (the cube root keeps
// the sign, as MXNet's a_root_p).
func poolRoot(v float32, p int) float32 {
	switch p {
	case 2:
		return float32(math.Sqrt(float64(v)))
	case 3:
		return float32(math.Cbrt(float64(v)))
	}
	return v
}

// poolJob is 2-D max pooling split over goroutines by plane.
type poolJob struct {
	ctx     *Ctx
	g       poolDims
	x, y    []float32
	mask    []int32
	threads int
}

var poolJobs parallel.FreeList[poolJob]

// Run pools goroutine tid's share of the planes.
func (j *poolJob) Run(tid int) {
	planes := j.g.n * j.g.c
	poolMax2DCtx(j.ctx, &j.g, j.x, j.y, j.mask, planes*tid/j.threads, planes*(tid+1)/j.threads)
}

// poolCheckElems is how many input elements pooling reads (window reads,
// so a big kernel counts its area per output) between two cancellation
// checks.
const poolCheckElems = 1 << 16

// poolRowCost is the number of input elements one output row of one plane
// reads (its windows' area), at least 1.
func (g *poolDims) poolRowCost() int {
	return max(1, g.out[2]*g.k[0]*g.k[1]*g.k[2])
}

// poolMax2DCtx is poolMax2D with a cancellation check every
// poolCheckElems window reads: blocks of planes when a plane is cheaper
// than that, blocks of output rows of one plane otherwise (no checks when
// the call cannot be cancelled); the caller reports ctx.Err().
func poolMax2DCtx(ctx *Ctx, g *poolDims, x, y []float32, mask []int32, lo, hi int) {
	oh := g.out[1]
	if !ctx.cancellable() {
		poolMax2D(g, x, y, mask, lo, hi, 0, oh)
		return
	}
	rows := max(1, poolCheckElems/g.poolRowCost())
	if rows < oh {
		for plane := lo; plane < hi; plane++ {
			for r := 0; r < oh; r += rows {
				if ctx.Err() != nil {
					return
				}
				poolMax2D(g, x, y, mask, plane, plane+1, r, min(r+rows, oh))
			}
		}
		return
	}
	step := max(1, poolCheckElems/(g.poolRowCost()*oh))
	for b := lo; b < hi; b += step {
		if ctx.Err() != nil {
			return
		}
		poolMax2D(g, x, y, mask, b, min(b+step, hi), 0, oh)
	}
}

// poolMax2D is poolingForward's max pooling for output rows [r0, r1) of
// planes [lo, hi) of 2-D channel-first data (the common CNN case), with
// the same semantics, walking each plane's rows directly; mask, when not
// nil, gets the argmax.
func poolMax2D(g *poolDims, xd, yd []float32, mask []int32, lo, hi, r0, r1 int) {
	H, W, OW := g.in[1], g.in[2], g.out[2]
	if mask == nil && poolMaxVector {
		if r0 == 0 && r1 == g.out[1] {
			if v, ok := newPoolMaxPlanes(g); ok {
				v.planes(xd, yd, lo, hi)
				v.release()
				return
			}
		}
		if v, ok := newPoolMaxRows(g); ok {
			v.run(xd, yd, lo, hi, r0, r1)
			v.release()
			return
		}
	}
	for plane := lo; plane < hi; plane++ {
		xp := xd[plane*g.inPlane : (plane+1)*g.inPlane]
		yp := yd[plane*g.outPlane : (plane+1)*g.outPlane]
		var mp []int32
		if mask != nil {
			mp = mask[plane*g.outPlane : (plane+1)*g.outPlane]
		}
		for oh := r0; oh < r1; oh++ {
			h0, h1, _ := poolWindow(oh, H, g.k[1], g.s[1], g.p[1])
			for ow := range OW {
				w0, w1, _ := poolWindow(ow, W, g.k[2], g.s[2], g.p[2])
				m := float32(-math.MaxFloat32)
				if mp == nil {
					for ih := h0; ih < h1 && w0 < w1; ih++ {
						for _, v := range xp[ih*W+w0 : ih*W+w1] {
							if v > m {
								m = v
							}
						}
					}
					yp[oh*OW+ow] = m
					continue
				}
				arg := int32(-1)
				for ih := h0; ih < h1; ih++ {
					row := xp[ih*W : ih*W+W]
					for iw := w0; iw < w1; iw++ {
						if v := row[iw]; v > m {
							m, arg = v, int32(ih*W+iw)
						}
					}
				}
				yp[oh*OW+ow] = m
				mp[oh*OW+ow] = arg
			}
		}
	}
}

// poolMaxRows is 2-D max pooling (inference: no argmax) with vector
// kernels, for column strides 1 and 2: each window row is folded across
// its columns with asm.MaxFirst into a row of partial maxima (stride 2:
// from the row's even and odd columns, split once per row), and the
// window's rows are folded into the output row the same way, in order. A
// window's result is therefore the first of its largest values in
// row-major order with NaNs skipped and −MaxFloat32 when it has none —
// poolMax2D's loop, bit for bit — at about one vector operation per
// window column instead of a data-dependent branch per element (MTCNN's
// 2×2 pooling of 238×318 planes: 3.7 ms → see BenchmarkPoolMax2D). Output
// columns whose windows the input clips (padding, the "full" convention's
// last window) go through poolMax2D's loop.
type poolMaxRows struct {
	g      poolDims // a copy: a pointer would make the caller's escape
	lo, hi int      // output columns whose windows lie inside the input
	base   int      // input column of column lo's window
	buf    *[]float32
	// neg holds −MaxFloat32 (the fold's start), tmp a window row's
	// partial maxima, even and odd a row's column phases (stride 2).
	neg, tmp, even, odd []float32
	// planes: group planes at a time, their rows hw floats apart in the
	// scratch.
	group, hw int
}

// poolMaxVector enables poolMaxRows (benchmarks turn it off to time the
// loop).
var poolMaxVector = true

// poolMaxMinCols is the fewest interior output columns worth the vector
// path; narrower planes keep the loop.
const poolMaxMinCols = 8

var poolMaxBufs parallel.FreeList[[]float32]

// newPoolMaxRows returns the vector path for g's planes, or false when g's
// column stride or width does not suit it.
func newPoolMaxRows(g *poolDims) (poolMaxRows, bool) {
	lo, hi, ok := poolMaxCols(g)
	if !ok || hi-lo < poolMaxMinCols {
		return poolMaxRows{}, false
	}
	W, sw := g.in[2], g.s[2]
	n := hi - lo
	b, buf := poolMaxScratch(2*n + 2*((W+1)/2))
	v := poolMaxRows{g: *g, lo: lo, hi: hi, base: lo*sw - g.p[2], buf: buf,
		neg: b[:n], tmp: b[n : 2*n]}
	if sw == 2 {
		h := (W + 1) / 2
		v.even, v.odd = b[2*n:2*n+h], b[2*n+h:2*n+2*h]
	}
	for i := range v.neg {
		v.neg[i] = -math.MaxFloat32
	}
	return v, true
}

// poolMaxCols returns the output columns [lo, hi) whose windows lie
// inside the input, or false when the column stride does not suit the
// vector paths.
func poolMaxCols(g *poolDims) (lo, hi int, ok bool) {
	W, OW, kw, sw, pw := g.in[2], g.out[2], g.k[2], g.s[2], g.p[2]
	if sw != 1 && sw != 2 || kw < 1 || W+pw-kw < 0 {
		return 0, 0, false
	}
	lo = (pw + sw - 1) / sw
	hi = min(OW, (W+pw-kw)/sw+1)
	return lo, hi, hi > lo
}

// poolMaxScratch returns n floats of scratch and the buffer to release.
func poolMaxScratch(n int) ([]float32, *[]float32) {
	buf := poolMaxBufs.Get()
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	return (*buf)[:n], buf
}

// poolMaxPlaneFloats bounds the scratch of poolMaxRows.planes (four
// floats per input element of a group of planes: 256 KiB).
const poolMaxPlaneFloats = 1 << 16

// newPoolMaxPlanes returns the vector path for whole planes a group at a
// time (planes small enough that a group's scratch stays in L2), or false.
func newPoolMaxPlanes(g *poolDims) (poolMaxRows, bool) {
	lo, hi, ok := poolMaxCols(g)
	H, W, sw := g.in[1], g.in[2], g.s[2]
	hw := W
	if sw == 2 {
		hw = (W + 1) / 2
	}
	per := 4 * H * hw
	if !ok || per == 0 || per > poolMaxPlaneFloats {
		return poolMaxRows{}, false
	}
	group := max(poolMaxPlaneFloats/per, 1)
	rows := group * H * hw
	b, buf := poolMaxScratch(4 * rows)
	v := poolMaxRows{g: *g, lo: lo, hi: hi, base: lo*sw - g.p[2], buf: buf, group: group, hw: hw,
		neg: b[:rows], tmp: b[rows : 2*rows], even: b[2*rows : 3*rows], odd: b[3*rows:]}
	for i := range v.neg {
		v.neg[i] = -math.MaxFloat32
	}
	return v, true
}

// planes pools whole planes [lo, hi), group planes at a time: their rows
// one after another as one long row, so each fold step is one MaxFirst
// call over the group instead of one per row. The window rows' partial
// maxima (tmp, row stride hw) hold, at each row, the fold of every
// interior output column's window in that row; the rows' fold (into
// even, no longer needed) holds at row r the fold of the kh rows from r,
// which the interior output rows copy. Rows whose windows the input clips
// fold their rows one by one; clipped columns go through the loop.
func (v *poolMaxRows) planes(xd, yd []float32, lo, hi int) {
	g := &v.g
	H, W, OH, OW := g.in[1], g.in[2], g.out[1], g.out[2]
	kh, kw, sh, ph := g.k[1], g.k[2], g.s[1], g.p[1]
	n, hw := v.hi-v.lo, v.hw
	ohLo, ohHi := (ph+sh-1)/sh, OH
	if H+ph-kh < 0 {
		ohHi = 0
	} else {
		ohHi = min(OH, (H+ph-kh)/sh+1)
	}
	for p0 := lo; p0 < hi; p0 += v.group {
		np := min(v.group, hi-p0)
		rows := np * H
		xs := xd[p0*g.inPlane : (p0+np)*g.inPlane]
		L := (rows-1)*hw + n
		hf := v.tmp[:L]
		if g.s[2] == 2 {
			asm.SplitRows(v.even, v.odd, hw, xs, W, rows, W/2)
			if W%2 == 1 {
				for r := range rows {
					v.even[r*hw+W/2] = xs[r*W+W-1]
				}
			}
		}
		for j := range kw {
			q := v.base + j
			var src []float32
			switch {
			case g.s[2] == 1:
				src = xs[q : q+L]
			case q%2 == 0:
				src = v.even[q/2 : q/2+L]
			default:
				src = v.odd[q/2 : q/2+L]
			}
			prev := hf
			if j == 0 {
				prev = v.neg[:L]
			}
			asm.MaxFirst(hf, src, prev)
		}
		var vf []float32
		if ohLo < ohHi && rows >= kh {
			lv := (rows-kh)*hw + n
			vf = v.even[:lv]
			copy(vf, v.tmp[:lv])
			for i := 1; i < kh; i++ {
				asm.MaxFirst(vf, v.tmp[i*hw:i*hw+lv], vf)
			}
		}
		for p := range np {
			xp := xs[p*g.inPlane : (p+1)*g.inPlane]
			yp := yd[(p0+p)*g.outPlane : (p0+p+1)*g.outPlane]
			for oh := range OH {
				h0, h1, _ := poolWindow(oh, H, kh, sh, ph)
				out := yp[oh*OW+v.lo : oh*OW+v.hi]
				switch {
				case oh >= ohLo && oh < ohHi:
					r := p*H + oh*sh - ph
					copy(out, vf[r*hw:r*hw+n])
				case h0 >= h1:
					copy(out, v.neg[:n])
				default:
					r := p*H + h0
					copy(out, v.tmp[r*hw:r*hw+n])
					for ih := h0 + 1; ih < h1; ih++ {
						r := p*H + ih
						asm.MaxFirst(out, v.tmp[r*hw:r*hw+n], out)
					}
				}
				v.edges(xp, yp, oh, h0, h1)
			}
		}
	}
}

// release returns v's scratch.
func (v *poolMaxRows) release() {
	poolMaxBufs.Put(v.buf)
	*v = poolMaxRows{}
}

// run pools output rows [r0, r1) of planes [lo, hi).
func (v *poolMaxRows) run(xd, yd []float32, lo, hi, r0, r1 int) {
	g := &v.g
	H, W, OW := g.in[1], g.in[2], g.out[2]
	n := v.hi - v.lo
	for plane := lo; plane < hi; plane++ {
		xp := xd[plane*g.inPlane : (plane+1)*g.inPlane]
		yp := yd[plane*g.outPlane : (plane+1)*g.outPlane]
		for oh := r0; oh < r1; oh++ {
			h0, h1, _ := poolWindow(oh, H, g.k[1], g.s[1], g.p[1])
			out := yp[oh*OW+v.lo : oh*OW+v.hi]
			if h0 >= h1 {
				copy(out, v.neg)
			}
			for ih := h0; ih < h1; ih++ {
				dst := v.tmp
				if ih == h0 {
					dst = out
				}
				v.foldRow(dst, xp[ih*W:ih*W+W], n)
				if ih > h0 {
					asm.MaxFirst(out, dst, out)
				}
			}
			v.edges(xp, yp, oh, h0, h1)
		}
	}
}

// foldRow sets dst[t] to the fold of the window row of output column
// lo+t: −MaxFloat32, then the window's columns in order.
func (v *poolMaxRows) foldRow(dst, row []float32, n int) {
	kw := v.g.k[2]
	if v.g.s[2] == 1 {
		asm.MaxFirst(dst, row[v.base:v.base+n], v.neg)
		for j := 1; j < kw; j++ {
			asm.MaxFirst(dst, row[v.base+j:v.base+j+n], dst)
		}
		return
	}
	half := len(row) / 2
	asm.SplitEvenOdd(v.even[:half], v.odd[:half], row)
	if len(row)%2 == 1 {
		v.even[half] = row[len(row)-1]
	}
	for j := range kw {
		q := v.base + j
		src := v.even
		if q%2 == 1 {
			src = v.odd
		}
		src = src[q/2 : q/2+n]
		if j == 0 {
			asm.MaxFirst(dst, src, v.neg)
			continue
		}
		asm.MaxFirst(dst, src, dst)
	}
}

// edges computes output row oh's columns outside [lo, hi) (clipped
// windows) as poolMax2D's loop does.
func (v *poolMaxRows) edges(xp, yp []float32, oh, h0, h1 int) {
	g := &v.g
	W, OW := g.in[2], g.out[2]
	col := func(ow int) {
		w0, w1, _ := poolWindow(ow, W, g.k[2], g.s[2], g.p[2])
		m := float32(-math.MaxFloat32)
		for ih := h0; ih < h1 && w0 < w1; ih++ {
			for _, x := range xp[ih*W+w0 : ih*W+w1] {
				if x > m {
					m = x
				}
			}
		}
		yp[oh*OW+ow] = m
	}
	for ow := range v.lo {
		col(ow)
	}
	for ow := v.hi; ow < OW; ow++ {
		col(ow)
	}
}
