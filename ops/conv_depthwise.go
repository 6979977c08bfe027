package ops

import (
	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/internal/parallel"
)

// The 3×3 depthwise path: each input channel is copied once into a padded
// plane (and, for stride 2, split into even and odd columns) so that every
// output row is nine contiguous tap rows, which asm.DepthwiseRow9 sums with
// the whole row in vector registers. Work is split over threads by channel
// plane (sample × channel), so batch 1 uses every thread; each output
// element is computed the same way whatever the split.

// dw3x3 reports a 2-D 3×3 depthwise convolution, dilation 1, stride 1 or
// 2 in both spatial dims.
func (g *convDims) dw3x3() bool {
	return g.depthwise() && g.in[0] == 1 && g.k[0] == 1 && g.k[1] == 3 && g.k[2] == 3 &&
		g.d[1] == 1 && g.d[2] == 1 && g.s[1] == g.s[2] && (g.s[1] == 1 || g.s[1] == 2)
}

// dwPlanes returns the padded plane's height and row stride and the
// scratch one goroutine needs. Stride 1: the padded plane (hp rows of wp)
// and a wide output of oh rows of wp. Stride 2: the padded plane with its
// width rounded up to even (a zero column), its even and odd columns (hp
// rows of we = wp/2 each), and a wide output of oh rows of 2·we. In both,
// the taps of all output rows are one contiguous run with the output's
// row stride, so one DepthwiseRow9 call computes a whole channel (the
// columns past ow are discarded; stride 2 computes about twice the
// outputs it keeps, which costs less than a call per row).
func (g *convDims) dwPlanes() (hp, wp, ws int) {
	hp, wp = g.in[1]+2*g.p[1], g.in[2]+2*g.p[2]
	oh := g.out[1]
	if g.s[1] == 1 {
		return hp, wp, workspaceSize(hp+oh, wp)
	}
	wp += wp % 2
	return hp, wp, workspaceSize(2*hp+oh, wp)
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

// convDepthwise3x3 convolves channel planes [lo, hi) (plane u is sample
// u/C, input channel u%C, and its F/C output channels).
func convDepthwise3x3(ctx *Ctx, g *convDims, x, w, bias, y []float32, ep *convEpi, scratch []float32, lo, hi int) {
	h, wd := g.in[1], g.in[2]
	oh, ow := g.out[1], g.out[2]
	ph, pw := g.p[1], g.p[2]
	hp, wp, _ := g.dwPlanes()
	is, os := g.inSize(), g.outSize()
	mult := g.f / g.c
	plane := scratch[:hp*wp]
	rest := scratch[hp*wp:]
	// The wide output: oh rows of stride wp (for stride 2, wp = 2·we).
	wide := rest[:oh*wp]
	rest = rest[oh*wp:]
	var src [9][]float32
	var even, odd []float32
	if g.s[1] == 1 {
		n := (oh-1)*wp + ow
		for kh := range 3 {
			for kw := range 3 {
				src[kh*3+kw] = plane[kh*wp+kw : kh*wp+kw+n]
			}
		}
	} else {
		we := wp / 2
		n := (oh-1)*wp + ow
		even, odd = rest[:hp*we], rest[hp*we:2*hp*we]
		for kh := range 3 {
			src[kh*3], src[kh*3+1], src[kh*3+2] = even[kh*we:kh*we+n], odd[kh*we:kh*we+n], even[kh*we+1:kh*we+1+n]
		}
	}
	var wt [9]float32
	for u := lo; u < hi; u++ {
		if ctx.Err() != nil { // a check per channel plane
			return
		}
		n, c := u/g.c, u%g.c
		xc := x[u*is : (u+1)*is]
		// The padded plane: zero borders, the channel inside.
		clear(plane[:ph*wp])
		clear(plane[(ph+h)*wp:])
		for r := range h {
			row := plane[(ph+r)*wp : (ph+r+1)*wp]
			clear(row[:pw])
			copy(row[pw:pw+wd], xc[r*wd:(r+1)*wd])
			clear(row[pw+wd:])
		}
		if g.s[1] == 2 {
			asm.SplitEvenOdd(even, odd, plane)
		}
		for m := range mult {
			f := c*mult + m
			copy(wt[:], w[f*9:f*9+9])
			var b float32
			if bias != nil {
				b = bias[f]
			}
			asm.DepthwiseRow9(wide[:len(src[0])], &src, &wt, b)
			off := (n*g.f + f) * os
			yc := y[off : off+os]
			for r := range oh {
				copy(yc[r*ow:(r+1)*ow], wide[r*wp:r*wp+ow])
			}
			ep.apply(yc, f, off)
		}
	}
}
