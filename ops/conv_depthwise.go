package ops

import (
	"math"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/internal/parallel"
)

// The 3×3 depthwise path. With padding 1 and one output channel per input
// channel (MobileNet's layers) asm.DepthwisePad1 convolves runs of channel
// planes in place where the kernels have it (dwPad1). Otherwise each input
// channel is copied once into a padded plane (for stride 2 split into the
// plane's even and odd columns), laid out so that each of the nine taps of
// a whole output channel is one strided run (stride 2 steps over the odd
// or even rows), which one asm.DepthwiseRows9 call sums straight into the
// output (no wide scratch, no junk outputs). Both apply a ReLU or clip
// epilogue in the same pass and give the same bits. Work is split over
// threads by channel plane (sample × channel), so batch 1 uses every
// thread; each output element is computed the same way (taps in a fixed
// order) whatever the split.

// dw3x3 reports a 2-D 3×3 depthwise convolution, dilation 1, stride 1 or
// 2 in both spatial dims.
func (g *convDims) dw3x3() bool {
	return g.depthwise() && g.in[0] == 1 && g.k[0] == 1 && g.k[1] == 3 && g.k[2] == 3 &&
		g.d[1] == 1 && g.d[2] == 1 && g.s[1] == g.s[2] && (g.s[1] == 1 || g.s[1] == 2)
}

// dwPlanes returns the tap planes' height and row stride and the scratch
// one goroutine needs. Stride 1: the padded plane, hp × wp. Stride 2: the
// padded plane's even and odd columns (hp × wq each, wq = ⌈wp/2⌉), split
// straight from the input channel; tap (kh, kw) of output row r is row
// 2r+kh of the even columns (kw = 0, 2, at column offset kw>>1) or of the
// odd ones (kw = 1), so with a tap row stride of 2·wq every output is
// computed once.
func (g *convDims) dwPlanes() (hp, wq, ws int) {
	hp, wq = g.in[1]+2*g.p[1], g.in[2]+2*g.p[2]
	if g.s[1] == 1 {
		return hp, wq, workspaceSize(hp, wq)
	}
	wq = (wq + 1) / 2
	return hp, wq, workspaceSize(2, hp, wq)
}

// dwPad1 reports whether asm.DepthwisePad1 can take g's planes: one
// output channel per input channel, padding 1, rows of at most
// asm.DepthwisePad1MaxWidth (it does on avx512 and, for planes at most 32
// wide, avx2; elsewhere the planes go the row path). It reads the planes
// in place, each input row once per strip of columns, its taps made in
// registers. Batch 1, one thread,
// Zen 5 (BenchmarkDepthwiseLayers, GFLOP/s of thread CPU time, the row
// path — for rows of at most 8, a path with 16 channels in the lanes of
// a vector, transposed there and back — → pad1, alternating runs):
// stride 1: 8×112² 94 → 127, 32×56² 84 → 118, 64×28² 77 → 111, 128×14²
// 58 → 115, 256×7² 32 → 50, 8×240×320 74 → 106–113, 32×120×160 76 → 113,
// 32×256² 51 → 61–89; stride 2: 16×112² 36 → 55–61, 32×56² 42 → 51–53,
// 64×28² 35 → 43–47, 128×14² 18–21 → 23, 16×240×320 29 → 51–56,
// 32×120×160 33 → 51–54, 128×128² 29 → 42–52, 64×256² 18 → 17–22 (its
// 16.8 MB input streams from memory either way).
func (g *convDims) dwPad1() bool {
	return !dwPad1Off && g.f == g.c && g.p[1] == 1 && g.p[2] == 1 && g.in[2] <= asm.DepthwisePad1MaxWidth
}

// dwPad1Off, set only by tests, sends every plane the row path.
var dwPad1Off bool

// dwPad1ChunkFloats bounds the input one asm.DepthwisePad1 call reads (a
// cancellation check between calls): up to 64 planes, at least one.
const dwPad1ChunkFloats = 1 << 16

// convDepthwisePad1 convolves channel planes [lo, hi) with
// asm.DepthwisePad1, a run of one sample's channels per call; it
// reports false, doing nothing, when that has no kernel here.
func convDepthwisePad1(ctx *Ctx, g *convDims, x, w, bias, y []float32, ep *convEpi, lo, hi int) bool {
	h, wd, s := g.in[1], g.in[2], g.s[1]
	is, os := g.inSize(), g.outSize()
	clo, chi, zero, fused := dwClamp(ep)
	for u := lo; u < hi; {
		if ctx.Err() != nil {
			return true
		}
		c := u % g.c
		k := min(hi-u, g.c-c, max(1, min(64, dwPad1ChunkFloats/max(1, is))))
		var b []float32
		if bias != nil {
			b = bias[c : c+k]
		}
		// One output channel per input channel: plane u of x and of y.
		if !asm.DepthwisePad1(y[u*os:(u+k)*os], os, x[u*is:(u+k)*is], is, k, h, wd, s, w[c*9:(c+k)*9], b, clo, chi, zero) {
			return false
		}
		if !fused {
			for l := range k {
				o := (u + l) * os
				ep.apply(y[o:o+os], c+l, o)
			}
		}
		u += k
	}
	return true
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
	if nt == 1 && !ctx.Crew.Idle() {
		convDepthwise3x3(ctx, g, x, w, bias, y, ep, scratch[:ws], 0, g.n*g.c)
		return ctx.Err()
	}
	job := dwJobs.Get()
	*job = dwJob{ctx: ctx, g: *g, x: x, w: w, bias: bias, y: y, ep: *ep, scratch: scratch, ws: ws, nthreads: nt}
	if nt == 1 {
		// A batch split's goroutine is free to help: blocks of planes go
		// to whichever claims them.
		ctx.Crew.Share((g.n*g.c+dwHelpBlock-1)/dwHelpBlock, job, scratch[:ws])
	} else {
		parallel.Parallel(nt, job)
	}
	*job = dwJob{}
	dwJobs.Put(job)
	return ctx.Err()
}

// dwHelpBlock is the channel planes per unit a crew shares.
const dwHelpBlock = 16

// Help convolves the blocks of dwHelpBlock channel planes o hands out,
// with scratch (one goroutine's workspace).
func (j *dwJob) Help(o *parallel.Offer, scratch []float32) {
	units := j.g.n * j.g.c
	for {
		b, ok := o.Claim()
		if !ok || j.ctx.Err() != nil {
			return
		}
		convDepthwise3x3(j.ctx, &j.g, j.x, j.w, j.bias, j.y, &j.ep, scratch[:j.ws], b*dwHelpBlock, min((b+1)*dwHelpBlock, units))
	}
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
	if g.dwPad1() && convDepthwisePad1(ctx, g, x, w, bias, y, ep, lo, hi) {
		return
	}
	h, wd := g.in[1], g.in[2]
	oh, ow := g.out[1], g.out[2]
	ph, pw := g.p[1], g.p[2]
	hp, wq, ws := g.dwPlanes()
	is, os := g.inSize(), g.outSize()
	mult := g.f / g.c
	// The padding is zero and no channel writes it: clear it once.
	clear(scratch[:ws])
	var src [9][]float32
	var even, odd []float32
	lds := wq // the taps' row stride
	// Stride 2: input column c is padded column c+pw, so the even input
	// columns go to plane xe at column offset pw>>1 and the odd ones to
	// plane xo at offset (pw+1)>>1 (xe is the even plane when pw is even).
	var xe, xo []float32
	if g.s[1] == 1 {
		for kh := range 3 {
			for kw := range 3 {
				src[kh*3+kw] = scratch[kh*wq+kw : hp*wq]
			}
		}
	} else {
		lds = 2 * wq
		even, odd = scratch[:hp*wq], scratch[hp*wq:ws]
		for kh := range 3 {
			src[kh*3], src[kh*3+1], src[kh*3+2] = even[kh*wq:], odd[kh*wq:], even[kh*wq+1:]
		}
		xe, xo = even[ph*wq+pw>>1:], odd[ph*wq+(pw+1)>>1:]
		if pw&1 == 1 {
			xe, xo = odd[ph*wq+pw>>1:], even[ph*wq+(pw+1)>>1:]
		}
	}
	clo, chi, zero, fused := dwClamp(ep)
	for u := lo; u < hi; u++ {
		if ctx.Err() != nil { // a check per channel plane
			return
		}
		n, c := u/g.c, u%g.c
		xc := x[u*is : (u+1)*is]
		if g.s[1] == 1 {
			asm.ConvCopyRows(scratch[ph*wq+pw:], wq, xc, wd, wd, h)
		} else {
			asm.SplitRows(xe, xo, wq, xc, wd, h, wd/2)
			if wd%2 == 1 { // the last column is even
				for r := range h {
					xe[r*wq+wd/2] = xc[r*wd+wd-1]
				}
			}
		}
		for m := range mult {
			f := c*mult + m
			wt := (*[9]float32)(w[f*9 : f*9+9]) // no copy
			var b float32
			if bias != nil {
				b = bias[f]
			}
			off := (n*g.f + f) * os
			yc := y[off : off+os]
			asm.DepthwiseRows9(yc, ow, &src, lds, oh, ow, wt, b, clo, chi, zero)
			if !fused {
				ep.apply(yc, f, off)
			}
		}
	}
}
