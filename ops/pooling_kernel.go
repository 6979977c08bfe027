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
	if mask == nil && poolMaxVector && g.max2x2() {
		done := true
		for plane := lo; plane < hi && done; plane++ {
			xp := xd[plane*g.inPlane : (plane+1)*g.inPlane]
			yp := yd[plane*g.outPlane : (plane+1)*g.outPlane]
			done = asm.MaxPool2x2S2(yp[r0*OW:], OW, xp[2*r0*W:], W, r1-r0, OW)
		}
		if done {
			return
		}
	}
	if mask == nil && poolMaxVector {
		if v, ok := newPoolMaxVec(g); ok {
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

// max2x2 reports 2×2 windows at stride 2 that all lie inside the input (no
// padding, no clipped last window): asm.MaxPool2x2S2 pools such planes in
// one pass straight from the input rows where the kernels have it (avx512,
// avx2), the bits of the loop. MTCNN det1's 10×238×318 (Zen 5, one
// thread, the pooling alone, poolMaxVec → it): 119–122 → 41 µs; in the
// model's profile 142 → 50 µs.
func (g *poolDims) max2x2() bool {
	return g.k[1] == 2 && g.k[2] == 2 && g.s[1] == 2 && g.s[2] == 2 && g.p[1] == 0 && g.p[2] == 0 &&
		2*g.out[1] <= g.in[1] && 2*g.out[2] <= g.in[2]
}

// poolMaxVec is 2-D max pooling (inference: no argmax) with vector
// kernels, for column strides 1 and 2. The input is read as if padded with
// −MaxFloat32 on every side (padding, and the "full" convention's last
// windows): the loop starts each window at −MaxFloat32 and takes an element
// only when it is larger, so padding elements never win and the padded
// windows give the clipped windows' bits. Output rows go a block at a
// time: each padded input row the block reads is copied (column stride 2:
// split into its even and odd columns, asm.SplitRows straight from the
// input) into one of s_h row classes (row r into class r mod s_h, so that
// window row i of consecutive output rows is one run of class i mod s_h's
// rows); each class's rows are folded across the window's columns with
// asm.MaxFirst into partial maxima (from −MaxFloat32, columns in order),
// all the block's rows in one call per window column, and the window's
// rows are folded into the output the same way, in order. A window's
// result is therefore the first of its largest values in row-major order
// with NaNs skipped and −MaxFloat32 when it has none — poolMax2D's loop,
// bit for bit — at a few vector passes per output row instead of a
// data-dependent branch per element (BenchmarkPoolMax2D). Against the
// previous vector path (per-row calls, clipped columns through the loop;
// Zen 5, one thread, alternating runs): MTCNN det1's 2×2/2 183–191 → 143
// µs, det4's 3×3/2 12.5–14.7 → 8.4–9.0 µs, a ResNet stem's 64×112×112
// 3×3/2 pad 1 282–284 → 191–201 µs, 32×56×56 3×3/1 pad 1 100 → 65–67 µs.
type poolMaxVec struct {
	g       poolDims // a copy: a pointer would make the caller's escape
	classes int      // row classes used: min(s_h, k_h)
	wp, rw  int      // padded row width; a class row's width (wp, or its column phases' (wp+1)/2)
	nb      int      // output rows per block
	buf     *[]float32
	// Per class: rows (column stride 1: padded rows; 2: their even
	// columns, odd their odd columns) and the rows' partial maxima hf,
	// rows rw floats apart; neg holds −MaxFloat32 (the folds' start),
	// vf the fold of a block's window rows but the last (k_h ≥ 3).
	rows, odd, hf [poolMaxClasses][]float32
	neg, vf       []float32
}

// poolMaxClasses bounds the row stride of the vector path.
const poolMaxClasses = 4

// poolMaxVector enables poolMaxVec (benchmarks turn it off to time the
// loop).
var poolMaxVector = true

// poolMaxMinCols is the fewest output columns worth the vector path;
// narrower planes keep the loop.
const poolMaxMinCols = 8

// poolMaxBlockFloats bounds a block's scratch (32 KiB, in L1; tests
// shrink it). On Zen 5, one thread, MTCNN det1's 10×238×318 2×2/2 pooling
// took 143 µs with it, 167 µs with 256 KiB blocks, 210 µs with 8 KiB.
var poolMaxBlockFloats = 1 << 13

var poolMaxBufs parallel.FreeList[[]float32]

// newPoolMaxVec returns the vector path for g's planes, or false when g's
// strides or width do not suit it.
func newPoolMaxVec(g *poolDims) (poolMaxVec, bool) {
	OH, OW := g.out[1], g.out[2]
	kh, kw, sh, sw := g.k[1], g.k[2], g.s[1], g.s[2]
	if sw != 1 && sw != 2 || sh < 1 || sh > poolMaxClasses || kh < 1 || kw < 1 || OW < poolMaxMinCols || OH < 1 {
		return poolMaxVec{}, false
	}
	v := poolMaxVec{g: *g, classes: min(sh, kh), wp: (OW-1)*sw + kw}
	v.rw = v.wp
	bufs := 2 // rows and partial maxima
	if sw == 2 {
		v.rw = (v.wp + 1) / 2
		bufs = 3 // even, odd, partial maxima
	}
	perRow := (v.classes*bufs + 2) * v.rw
	v.nb = min(OH, max(1, poolMaxBlockFloats/perRow))
	cnt0 := v.nb + (kh-1)/sh
	total := cnt0*v.rw + v.nb*v.rw
	for q := range v.classes {
		total += bufs * (v.nb + (kh-1-q)/sh) * v.rw
	}
	b, buf := poolMaxScratch(total)
	v.buf = buf
	for i := range b {
		b[i] = -math.MaxFloat32
	}
	v.neg, b = b[:cnt0*v.rw], b[cnt0*v.rw:]
	v.vf, b = b[:v.nb*v.rw], b[v.nb*v.rw:]
	for q := range v.classes {
		n := (v.nb + (kh-1-q)/sh) * v.rw
		v.rows[q], b = b[:n], b[n:]
		if sw == 2 {
			v.odd[q], b = b[:n], b[n:]
		}
		v.hf[q], b = b[:n], b[n:]
	}
	return v, true
}

// fill copies the padded rows rp0, rp0+s_h, … (cnt of them) into row
// class q: input rows copied (column stride 2: split into their column
// phases, straight from the input) at their padded columns, rows outside
// the input all −MaxFloat32. Columns outside the input are never written:
// newPoolMaxVec set them to −MaxFloat32.
func (v *poolMaxVec) fill(q int, xp []float32, rp0, cnt int) {
	g := &v.g
	H, W, sh, pt, pl := g.in[1], g.in[2], g.s[1], g.p[1], g.p[2]
	rw, rows, odd := v.rw, v.rows[q], v.odd[q]
	wuse := min(W, v.wp-pl) // the input columns some window reads
	tlo, thi := 0, cnt      // the rows inside the input: [tlo, thi)
	for tlo < cnt && rp0+tlo*sh < pt {
		tlo++
	}
	for thi > tlo && rp0+(thi-1)*sh-pt >= H {
		thi--
	}
	for t := range cnt {
		if t >= tlo && t < thi {
			continue
		}
		copy(rows[t*rw:(t+1)*rw], v.neg)
		if g.s[2] == 2 {
			copy(odd[t*rw:(t+1)*rw], v.neg)
		}
	}
	if thi <= tlo || wuse <= 0 {
		return
	}
	ih0 := rp0 + tlo*sh - pt
	if g.s[2] == 1 {
		for t := tlo; t < thi; t++ {
			ih := ih0 + (t-tlo)*sh
			copy(rows[t*rw+pl:t*rw+pl+wuse], xp[ih*W:ih*W+wuse])
		}
		return
	}
	// Input column c is padded column c+pl: phase (c+pl)%2, index (c+pl)/2.
	n, pairs := thi-tlo, wuse/2
	if pairs > 0 {
		src := xp[ih0*W:]
		if pl%2 == 0 {
			asm.SplitRows(rows[tlo*rw+pl/2:], odd[tlo*rw+pl/2:], rw, src, sh*W, n, pairs)
		} else {
			asm.SplitRows(odd[tlo*rw+(pl-1)/2:], rows[tlo*rw+(pl+1)/2:], rw, src, sh*W, n, pairs)
		}
	}
	if wuse%2 == 1 {
		c := wuse - 1 + pl
		dst := rows
		if c%2 == 1 {
			dst = odd
		}
		for t := tlo; t < thi; t++ {
			dst[t*rw+c/2] = xp[(ih0+(t-tlo)*sh)*W+wuse-1]
		}
	}
}

// poolMaxScratch returns n floats of scratch and the buffer to release.
func poolMaxScratch(n int) ([]float32, *[]float32) {
	buf := poolMaxBufs.Get()
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	return (*buf)[:n], buf
}

// release returns v's scratch.
func (v *poolMaxVec) release() {
	poolMaxBufs.Put(v.buf)
	*v = poolMaxVec{}
}

// run pools output rows [r0, r1) of planes [lo, hi).
func (v *poolMaxVec) run(xd, yd []float32, lo, hi, r0, r1 int) {
	g := &v.g
	OW, rw := g.out[2], v.rw
	kh, kw, sh, sw := g.k[1], g.k[2], g.s[1], g.s[2]
	for plane := lo; plane < hi; plane++ {
		xp := xd[plane*g.inPlane : (plane+1)*g.inPlane]
		yp := yd[plane*g.outPlane : (plane+1)*g.outPlane]
		for ob := r0; ob < r1; ob += v.nb {
			nb := min(v.nb, r1-ob)
			// Each class's rows, folded across the window's columns.
			for q := range v.classes {
				cnt := nb + (kh-1-q)/sh
				v.fill(q, xp, ob*sh+q, cnt)
				L := (cnt-1)*rw + OW
				hf := v.hf[q][:L]
				for j := range kw {
					src, off := v.rows[q], j
					if sw == 2 {
						off = j / 2
						if j%2 == 1 {
							src = v.odd[q]
						}
					}
					prev := hf
					if j == 0 {
						prev = v.neg[:L]
					}
					asm.MaxFirst(hf, src[off:off+L], prev)
				}
			}
			// The window's rows, in order: all but the last over the
			// block, the last into each output row.
			row := func(i, t int) []float32 {
				r := t + i/sh
				return v.hf[i%sh][r*rw : r*rw+OW]
			}
			vf := v.hf[0]
			if kh >= 3 {
				L := (nb-1)*rw + OW
				span := func(i int) []float32 {
					o := (i / sh) * rw
					return v.hf[i%sh][o : o+L]
				}
				vf = v.vf[:L]
				asm.MaxFirst(vf, span(1), span(0))
				for i := 2; i < kh-1; i++ {
					asm.MaxFirst(vf, span(i), vf)
				}
			}
			for t := range nb {
				out := yp[(ob+t)*OW : (ob+t+1)*OW]
				if kh == 1 {
					copy(out, row(0, t))
					continue
				}
				asm.MaxFirst(out, row(kh-1, t), vf[t*rw:t*rw+OW])
			}
		}
	}
}
