package ops

import (
	"math"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/internal/parallel"
)

// The 3×3 depthwise path. Each input channel is copied once into a padded
// plane (stride 1) or split into four phase planes (stride 2: even/odd
// rows × even/odd columns of the padded input), laid out so that each of
// the nine taps of a whole output channel is one strided run, which one
// asm.DepthwiseRows9 call sums straight into the output (no wide scratch,
// no junk outputs), applying a ReLU or clip epilogue in the same pass.
// Work is split over threads by channel plane (sample × channel), so
// batch 1 uses every thread; each output element is computed the same way
// (taps in a fixed order) whatever the split.

// dw3x3 reports a 2-D 3×3 depthwise convolution, dilation 1, stride 1 or
// 2 in both spatial dims.
func (g *convDims) dw3x3() bool {
	return g.depthwise() && g.in[0] == 1 && g.k[0] == 1 && g.k[1] == 3 && g.k[2] == 3 &&
		g.d[1] == 1 && g.d[2] == 1 && g.s[1] == g.s[2] && (g.s[1] == 1 || g.s[1] == 2)
}

// dwPlanes returns the tap planes' height and row stride and the scratch
// one goroutine needs. Stride 1: the padded plane, hp × wp. Stride 2: four
// phase planes of ⌈hp/2⌉ × ⌈wp/2⌉ (phase (a, b) holds the padded input's
// rows ≡ a and columns ≡ b mod 2), so tap (kh, kw) is phase
// (kh&1, kw&1) at row offset kh>>1 and column offset kw>>1, and a padded
// row of 2·⌈wp/2⌉ that each input row is split from.
func (g *convDims) dwPlanes() (hq, wq, ws int) {
	hp, wp := g.in[1]+2*g.p[1], g.in[2]+2*g.p[2]
	if g.s[1] == 1 {
		return hp, wp, workspaceSize(hp, wp)
	}
	hq, wq = (hp+1)/2, (wp+1)/2
	return hq, wq, workspaceSize(4*hq+2, wq)
}

// dwParallelFlops is the smallest depthwise convolution (in FLOPs) split
// over goroutines.
const dwParallelFlops = 1 << 18

// dwThreads is how many goroutines run a 3×3 depthwise convolution.
func (g *convDims) dwThreads(threads int) int {
	units := g.n * g.c
	if threads <= 1 || units <= 1 || workspaceSize(18, g.n, g.f, g.outSize()) < dwParallelFlops {
		return 1
	}
	return min(threads, units)
}

// dwJob is a 3×3 depthwise convolution split over goroutines by channel
// plane.
type dwJob struct {
	ctx          *Ctx
	g            convDims
	x, w, bias   []float32
	y            []float32
	ep           convEpi
	scratch      []float32
	ws, nthreads int
}

var dwJobs parallel.FreeList[dwJob]

// Run convolves goroutine tid's share of the channel planes.
func (j *dwJob) Run(tid int) {
	units := j.g.n * j.g.c
	lo, hi := units*tid/j.nthreads, units*(tid+1)/j.nthreads
	convDepthwise3x3(j.ctx, &j.g, j.x, j.w, j.bias, j.y, &j.ep, j.scratch[tid*j.ws:(tid+1)*j.ws], lo, hi)
}

// convDepthwise3x3Run runs the 3×3 depthwise path over the whole batch with
// up to threads goroutines, each with its own ws-float part of scratch.
func convDepthwise3x3Run(ctx *Ctx, g *convDims, x, w, bias, y []float32, ep *convEpi, scratch []float32, threads int) error {
	_, _, ws := g.dwPlanes()
	nt := g.dwThreads(threads)
	if nt == 1 {
		convDepthwise3x3(ctx, g, x, w, bias, y, ep, scratch[:ws], 0, g.n*g.c)
		return ctx.Err()
	}
	job := dwJobs.Get()
	*job = dwJob{ctx: ctx, g: *g, x: x, w: w, bias: bias, y: y, ep: *ep, scratch: scratch, ws: ws, nthreads: nt}
	parallel.Parallel(nt, job)
	*job = dwJob{}
	dwJobs.Put(job)
	return ctx.Err()
}

// dwClamp returns the bounds and zero that make asm.DepthwiseRows9 apply
// ep's activation, and whether that is all of ep (else the kernel leaves
// its sums as they are and ep.apply runs after).
func dwClamp(ep *convEpi) (lo, hi, zero float32, done bool) {
	lo, hi, zero = float32(math.Inf(-1)), float32(math.Inf(1)), float32(math.Copysign(0, -1))
	e := ep.e
	if e == nil {
		return lo, hi, zero, true
	}
	if e.ScaleShift || e.Residual {
		return lo, hi, zero, false
	}
	switch e.Act {
	case epiNone:
		return lo, hi, zero, true
	case epiReLU: // asm.Relu: max(x, 0) + 0
		return 0, hi, 0, true
	case epiClip: // asm.Clip: min(max(x, Lo), Hi)
		return e.Lo, e.Hi, zero, true
	}
	return lo, hi, zero, false
}

// convDepthwise3x3 convolves channel planes [lo, hi) (plane u is sample
// u/C, input channel u%C, and its F/C output channels).
func convDepthwise3x3(ctx *Ctx, g *convDims, x, w, bias, y []float32, ep *convEpi, scratch []float32, lo, hi int) {
	h, wd := g.in[1], g.in[2]
	oh, ow := g.out[1], g.out[2]
	ph, pw := g.p[1], g.p[2]
	hq, wq, ws := g.dwPlanes()
	is, os := g.inSize(), g.outSize()
	mult := g.f / g.c
	// The padding is zero and no channel writes it: clear it once.
	clear(scratch[:ws])
	var src [9][]float32
	var planes, prow []float32
	if g.s[1] == 1 {
		for kh := range 3 {
			for kw := range 3 {
				src[kh*3+kw] = scratch[kh*wq+kw : hq*wq]
			}
		}
	} else {
		planes, prow = scratch[:4*hq*wq], scratch[4*hq*wq:ws]
		for kh := range 3 {
			for kw := range 3 {
				p := planes[((kh&1)*2+kw&1)*hq*wq:]
				src[kh*3+kw] = p[(kh>>1)*wq+kw>>1 : hq*wq]
			}
		}
	}
	clo, chi, zero, fused := dwClamp(ep)
	var wt [9]float32
	for u := lo; u < hi; u++ {
		if ctx.Err() != nil { // a check per channel plane
			return
		}
		n, c := u/g.c, u%g.c
		xc := x[u*is : (u+1)*is]
		if g.s[1] == 1 {
			for r := range h {
				copy(scratch[(ph+r)*wq+pw:(ph+r)*wq+pw+wd], xc[r*wd:(r+1)*wd])
			}
		} else {
			// Padded row R = ph+r is row R>>1 of the phase planes (R&1, 0)
			// and (R&1, 1).
			for r := range h {
				copy(prow[pw:pw+wd], xc[r*wd:(r+1)*wd])
				R := ph + r
				pe := planes[(R&1)*2*hq*wq+(R>>1)*wq:]
				asm.SplitEvenOdd(pe[:wq], pe[hq*wq:hq*wq+wq], prow)
			}
		}
		for m := range mult {
			f := c*mult + m
			copy(wt[:], w[f*9:f*9+9])
			var b float32
			if bias != nil {
				b = bias[f]
			}
			off := (n*g.f + f) * os
			yc := y[off : off+os]
			asm.DepthwiseRows9(yc, ow, &src, wq, oh, ow, &wt, b, clo, chi, zero)
			if !fused {
				ep.apply(yc, f, off)
			}
		}
	}
}
