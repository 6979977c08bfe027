package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/internal/parallel"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// convDims is a convolution's geometry with 1-3 spatial dims padded to 3
// (leading unit dims), so one code path serves 1-D, 2-D and 3-D.
type convDims struct {
	n, c, f, groups int // batch, input channels, filters, groups
	in, out         [3]int
	k, s, p, d      [3]int // kernel, stride, pad, dilate
}

// inSize and outSize are the spatial element counts of one channel.
func (g *convDims) inSize() int  { return g.in[0] * g.in[1] * g.in[2] }
func (g *convDims) outSize() int { return g.out[0] * g.out[1] * g.out[2] }

// kSize is the kernel element count of one channel.
func (g *convDims) kSize() int { return g.k[0] * g.k[1] * g.k[2] }

// pointwise reports a 1x1 kernel with stride 1 and no padding, where the
// input channels already are the im2col matrix.
func (g *convDims) pointwise() bool {
	for i := range 3 {
		if g.k[i] != 1 || g.s[i] != 1 || g.p[i] != 0 {
			return false
		}
	}
	return true
}

// depthwise reports one input channel per group (num_group = C), which the
// direct loop handles better than a 1-row SGEMM.
func (g *convDims) depthwise() bool { return g.groups > 1 && g.c == g.groups }

// newConvDims fills convDims from the geometry and NC-ordered dims given by
// dim (no allocation). ndim is the data rank.
func newConvDims(geo *ConvGeometry, ndim int, dim func(int) int, outDim func(int) int) (convDims, error) {
	var g convDims
	ks := len(geo.Kernel)
	if ndim != ks+2 {
		return g, fmt.Errorf("data must be %d-D for a %d-D kernel, got %d-D", ks+2, ks, ndim)
	}
	g.n, g.c, g.f, g.groups = dim(0), dim(1), geo.NumFilter, geo.NumGroup
	for i := range 3 {
		g.in[i], g.out[i], g.k[i], g.s[i], g.p[i], g.d[i] = 1, 1, 1, 1, 0, 1
	}
	off := 3 - ks
	for i := range ks {
		g.in[off+i] = dim(2 + i)
		g.out[off+i] = outDim(2 + i)
		g.k[off+i], g.s[off+i], g.p[off+i], g.d[off+i] = geo.Kernel[i], geo.Stride[i], geo.Pad[i], geo.Dilate[i]
	}
	if g.groups < 1 || g.c%g.groups != 0 || g.f%g.groups != 0 {
		return g, fmt.Errorf("channels %d and num_filter %d not divisible by num_group %d", g.c, g.f, g.groups)
	}
	return g, nil
}

// convWorkspace is Convolution's scratch: the implicit path's planes and
// tile (conv_implicit.go), the depthwise path's planes, else one group's
// im2col matrix (C/num_group·kernel rows, output-spatial columns); none
// for pointwise and other depthwise convolutions.
func convWorkspace(params any, in []Shape) int {
	p := params.(*ConvolutionParam)
	if !ShapeKnown(in[0]) || p.Layout.Value.ChannelLast() {
		return 0
	}
	if p.winograd {
		return winoWorkspace(p, in)
	}
	g, ok := convDimsOf(p, in)
	if !ok || g.pointwise() {
		return 0
	}
	if g.dw3x3() {
		_, _, ws := g.dwPlanes()
		return ws
	}
	if g.depthwise() {
		return 0
	}
	if g.implicitGeom() {
		var ig implGeom
		g.implGeom(&ig)
		if !convImplicitOff {
			return ig.share(&g)
		}
		return max(ig.share(&g), g.colSize())
	}
	return g.colSize()
}

// convShares is how many scratch parts convolutionForward uses with
// threads goroutines: one per goroutine when it splits the batch, else one.
func convShares(params any, in []Shape, threads int) int {
	p := params.(*ConvolutionParam)
	if p.winograd {
		return winoShares(p, in, threads)
	}
	if threads <= 1 || !ShapeKnown(in[0]) || len(in[0]) < 1 {
		return 1
	}
	g, ok := convDimsOf(p, in)
	if !ok {
		return 1
	}
	if g.dw3x3() {
		return g.dwThreads(threads)
	}
	ws := convWorkspace(params, in)
	shares := 1
	if g.implicitGeom() {
		// The most goroutines the implicit path uses with any kernels
		// (the smallest filter blocks make the most work units).
		var ig implGeom
		g.implGeom(&ig)
		ig.setRows(4, &g)
		shares, _ = g.implSplit(&ig, threads)
	}
	if ws == 0 || convBatchParallel(g.n, g.f, g.c/g.groups*g.kSize()*g.outSize()) == 1 {
		return shares
	}
	return max(shares, min(threads, g.n))
}

// convDimsOf returns the geometry for input shapes in (false when unknown
// or invalid).
func convDimsOf(p *ConvolutionParam, in []Shape) (convDims, bool) {
	out := make([]Shape, 1)
	shapes := make([]Shape, len(in))
	for i := range in {
		shapes[i] = cloneShape(in[i])
	}
	if err := convolutionShape(p, shapes, out); err != nil || !ShapeKnown(out[0]) {
		return convDims{}, false
	}
	d, o := in[0], out[0]
	g, err := newConvDims(&p.ConvGeometry, len(d), func(i int) int { return d[i] }, func(i int) int { return o[i] })
	return g, err == nil
}

// convBatchParallel reports how many goroutines share a batch of n samples
// (1: one sample at a time with a threaded SGEMM), given the FLOP estimate
// 2·n·f·ws, where ws is one share's im2col size.
func convBatchParallel(n, f, ws int) int {
	if n <= 1 || workspaceSize(2, n, f, ws) < convParallelFlops {
		return 1
	}
	return n
}

// convolutionForward computes Convolution for channel-first data. The
// paths, by geometry:
//
//   - 2-D 3×3 depthwise, stride 1 or 2, dilation 1: conv_depthwise.go
//     (padded or phase planes, asm.DepthwiseRows9 writing whole channels into y with the epilogue, split over
//     threads by channel plane even at batch 1);
//   - other 1-D and 2-D convolutions (any stride, padding, dilation,
//     groups), not depthwise: the implicit GEMM of conv_implicit.go
//     (asm.ConvImplicit on padded phase planes, no im2col; pointwise
//     stride-1 ones read the input itself as their planes);
//   - everything else (3-D): per-row im2col into ctx.Scratch and one
//     SGEMM, or the direct loop for other depthwise convolutions.
//
// The implicit path splits (filter block × row tile) units over the
// threads at batch 1; SGEMMs use the threads at batch 1; both take a share
// of the batch each otherwise. No path splits a reduction, so a sample's
// result does not depend on the batch or thread count. The bias and the fused epilogue
// (convEpilogue) are applied per output channel while it is in cache.
func convolutionForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*ConvolutionParam)
	if p.Layout.Value.ChannelLast() {
		return fmt.Errorf("layout %s not supported on CPU (use a channel-first layout)", p.Layout.Value)
	}
	for i, t := range in {
		if t.DType() != tensor.Float32 {
			return fmt.Errorf("input %d is %s, only float32 is supported", i, t.DType())
		}
	}
	x, y := in[0], out[0]
	g, err := newConvDims(&p.ConvGeometry, x.NDim(), x.Dim, y.Dim)
	if err != nil {
		return err
	}
	xd, wd, yd := x.Float32s(), in[1].Float32s(), y.Float32s()
	if p.winograd {
		return convWinogradForward(ctx, p, &g, in, xd, wd, yd)
	}
	cg := g.c / g.groups
	kk := cg * g.kSize()
	is, os := g.inSize(), g.outSize()
	if len(xd) != g.n*g.c*is || len(wd) != g.f*kk || len(yd) != g.n*g.f*os {
		return fmt.Errorf("tensor sizes %d, %d, %d do not match the geometry", len(xd), len(wd), len(yd))
	}
	var bias []float32
	if !p.NoBias {
		if bias = in[2].Float32s(); len(bias) != g.f {
			return fmt.Errorf("bias has %d elements, want %d", len(bias), g.f)
		}
	}
	ep, err := bindEpilogue(p, in, len(weightBiasInputs(p.NoBias)), g.f, len(yd))
	if err != nil {
		return err
	}
	threads := max(ctx.Threads, 1)
	if g.dw3x3() {
		_, _, ws := g.dwPlanes()
		if need := workspaceSize(ws, g.dwThreads(threads)); len(ctx.Scratch) < need {
			return fmt.Errorf("scratch has %d floats, need %d", len(ctx.Scratch), need)
		}
		return convDepthwise3x3Run(ctx, &g, xd, wd, bias, yd, &ep, ctx.Scratch, threads)
	}
	if g.implicit() {
		return convImplicitRun(ctx, &g, xd, wd, bias, yd, &ep, ctx.Scratch, threads)
	}
	pointwise, depthwise := g.pointwise(), g.depthwise()
	ws := 0
	if !pointwise && !depthwise {
		ws = g.colSize()
	}
	if threads == 1 || convBatchParallel(g.n, g.f, kk*os) == 1 {
		if len(ctx.Scratch) < ws {
			return fmt.Errorf("scratch has %d floats, need %d", len(ctx.Scratch), ws)
		}
		// One sample at a time; SGEMM itself uses the threads.
		return convSamples(ctx, &g, xd, wd, bias, yd, &ep, ctx.Scratch[:ws], 0, g.n, threads)
	}
	// Several samples: each goroutine takes a share of the batch with its
	// own im2col scratch and a single-threaded SGEMM.
	if len(ctx.Scratch) < workspaceSize(ws, min(threads, g.n)) {
		return fmt.Errorf("scratch has %d floats, need %d", len(ctx.Scratch), ws*min(threads, g.n))
	}
	job := convJobs.Get()
	*job = convJob{ctx: ctx, g: g, x: xd, w: wd, bias: bias, y: yd, ep: ep, scratch: ctx.Scratch, ws: ws, threads: min(threads, g.n)}
	parallel.Parallel(job.threads, job)
	*job = convJob{}
	convJobs.Put(job)
	return ctx.Err()
}

// convParallelFlops is the smallest batch (in FLOPs) worth splitting over
// goroutines: below it, waking the workers costs more than it saves.
const convParallelFlops = 8 << 20

// convJob is one batched convolution split over goroutines by sample.
type convJob struct {
	ctx           *Ctx
	g             convDims
	x, w, bias, y []float32
	ep            convEpi
	scratch       []float32
	ws, threads   int
}

var convJobs parallel.FreeList[convJob]

// Run convolves goroutine tid's share of the samples.
func (j *convJob) Run(tid int) {
	lo, hi := j.g.n*tid/j.threads, j.g.n*(tid+1)/j.threads
	// An error here can only be the context's, which convolutionForward
	// returns after the join.
	_ = convSamples(j.ctx, &j.g, j.x, j.w, j.bias, j.y, &j.ep, j.scratch[tid*j.ws:(tid+1)*j.ws], lo, hi, 1)
}

// colSize is the scratch one goroutine of the im2col path needs: one
// group's im2col matrix.
func (g *convDims) colSize() int {
	return workspaceSize(g.c/g.groups, g.kSize(), g.outSize())
}

// convSamples convolves samples [lo, hi): depthwise directly, otherwise per
// group one SGEMM of the weights with the im2col matrix in col (or the input
// itself for a pointwise kernel, when implPointwiseOff), then the bias.
func convSamples(ctx *Ctx, g *convDims, xd, wd, bias, yd []float32, ep *convEpi, col []float32, lo, hi, threads int) error {
	if g.depthwise() {
		os := g.outSize()
		for n := lo; n < hi; n++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			convDepthwise(g, xd, wd, bias, yd, n, n+1)
			ep.applySample(yd, n, g.f, os)
		}
		return nil
	}
	cg, fg := g.c/g.groups, g.f/g.groups
	kk := cg * g.kSize()
	is, os := g.inSize(), g.outSize()
	for n := lo; n < hi; n++ {
		for gi := range g.groups {
			xg := xd[(n*g.c+gi*cg)*is : (n*g.c+(gi+1)*cg)*is]
			b := xg
			if !g.pointwise() {
				if err := convIm2col(ctx, g, cg, xg, col[:kk*os]); err != nil {
					return err
				}
				b = col
			}
			yg := yd[(n*g.f+gi*fg)*os : (n*g.f+(gi+1)*fg)*os]
			if err := sgemmCtx(ctx, threads, false, false, fg, os, kk, 1, wd[gi*fg*kk:(gi+1)*fg*kk], kk, b, os, 0, yg, os); err != nil {
				return err
			}
		}
		if bias != nil {
			convAddBias(yd[n*g.f*os:(n+1)*g.f*os], bias, os)
		}
		ep.applySample(yd, n, g.f, os)
	}
	return nil
}

// convAddBias adds bias[f] to row f (length os) of y.
func convAddBias(y, bias []float32, os int) {
	for f, b := range bias {
		row := y[f*os : (f+1)*os]
		asm.AddScalar(row, row, b)
	}
}

// convRange returns the output positions [lo, hi) of one spatial dim whose
// input position o*s - p + off lies in [0, n).
func convRange(n, outN, s, p, off int) (lo, hi int) {
	// o*s >= p - off  and  o*s < n + p - off.
	lo = ceilDiv(p-off, s)
	hi = ceilDiv(n+p-off, s)
	return max(lo, 0), min(hi, outN)
}

// ceilDiv is ⌈a/b⌉ for b > 0 and any sign of a.
func ceilDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}

// convIm2col writes the im2col matrix of cg channels of x: row
// ((c·KD+kd)·KH+kh)·KW+kw, column (od·OH+oh)·OW+ow, zero where the window
// reads padding.
func convIm2col(ctx *Ctx, g *convDims, cg int, x, col []float32) error {
	is, os := g.inSize(), g.outSize()
	r := 0
	for c := range cg {
		if err := ctx.Err(); err != nil { // a check per input channel
			return err
		}
		xc := x[c*is : (c+1)*is]
		for kd := range g.k[0] {
			dlo, dhi := convRange(g.in[0], g.out[0], g.s[0], g.p[0], kd*g.d[0])
			for kh := range g.k[1] {
				hlo, hhi := convRange(g.in[1], g.out[1], g.s[1], g.p[1], kh*g.d[1])
				for kw := range g.k[2] {
					wlo, whi := convRange(g.in[2], g.out[2], g.s[2], g.p[2], kw*g.d[2])
					row := col[r*os : (r+1)*os]
					r++
					if dlo >= dhi || hlo >= hhi || wlo >= whi {
						clear(row)
						continue
					}
					clear(row[:(dlo*g.out[1])*g.out[2]])
					clear(row[(dhi*g.out[1])*g.out[2]:])
					for od := dlo; od < dhi; od++ {
						id := od*g.s[0] - g.p[0] + kd*g.d[0]
						plane := row[od*g.out[1]*g.out[2] : (od+1)*g.out[1]*g.out[2]]
						clear(plane[:hlo*g.out[2]])
						clear(plane[hhi*g.out[2]:])
						for oh := hlo; oh < hhi; oh++ {
							ih := oh*g.s[1] - g.p[1] + kh*g.d[1]
							dst := plane[oh*g.out[2] : (oh+1)*g.out[2]]
							src := xc[(id*g.in[1]+ih)*g.in[2]:]
							if wlo > 0 {
								clear(dst[:wlo])
							}
							if whi < len(dst) {
								clear(dst[whi:])
							}
							iw := wlo*g.s[2] - g.p[2] + kw*g.d[2]
							if g.s[2] == 1 {
								copy(dst[wlo:whi], src[iw:iw+whi-wlo])
								continue
							}
							for ow := wlo; ow < whi; ow++ {
								dst[ow] = src[iw]
								iw += g.s[2]
							}
						}
					}
				}
			}
		}
	}
	return nil
}

// convDepthwise is the direct loop for one input channel per group: output
// channel f reads input channel f/(F/C) of every sample.
func convDepthwise(g *convDims, x, w, bias, y []float32, lo, hi int) {
	is, os, ks := g.inSize(), g.outSize(), g.kSize()
	mult := g.f / g.c
	for n := lo; n < hi; n++ {
		for f := range g.f {
			xc := x[(n*g.c+f/mult)*is : (n*g.c+f/mult+1)*is]
			yc := y[(n*g.f+f)*os : (n*g.f+f+1)*os]
			var b float32
			if bias != nil {
				b = bias[f]
			}
			for i := range yc {
				yc[i] = b
			}
			wf := w[f*ks : (f+1)*ks]
			wi := 0
			for kd := range g.k[0] {
				dlo, dhi := convRange(g.in[0], g.out[0], g.s[0], g.p[0], kd*g.d[0])
				for kh := range g.k[1] {
					hlo, hhi := convRange(g.in[1], g.out[1], g.s[1], g.p[1], kh*g.d[1])
					for kw := range g.k[2] {
						wlo, whi := convRange(g.in[2], g.out[2], g.s[2], g.p[2], kw*g.d[2])
						wv := wf[wi]
						wi++
						for od := dlo; od < dhi; od++ {
							id := od*g.s[0] - g.p[0] + kd*g.d[0]
							for oh := hlo; oh < hhi; oh++ {
								ih := oh*g.s[1] - g.p[1] + kh*g.d[1]
								dst := yc[(od*g.out[1]+oh)*g.out[2] : (od*g.out[1]+oh+1)*g.out[2]]
								src := xc[(id*g.in[1]+ih)*g.in[2]:]
								iw := wlo*g.s[2] - g.p[2] + kw*g.d[2]
								if g.s[2] == 1 {
									asm.Axpy(dst[wlo:whi], src[iw:iw+whi-wlo], wv)
									continue
								}
								for ow := wlo; ow < whi; ow++ {
									dst[ow] += wv * src[iw]
									iw += g.s[2]
								}
							}
						}
					}
				}
			}
		}
	}
}
