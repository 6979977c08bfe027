package ops

import (
	"errors"
	"fmt"
	"sync"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/internal/parallel"
	"github.com/mxgo/mxgo/tensor"
)

// The Winograd F(2×2, 3×3) path for 3×3 stride-1 convolutions (Lavin and
// Gray): each 2×2 tile of outputs is Aᵀ[U ⊙ V]A, where U = G·g·Gᵀ is a
// filter's 4×4 transform (computed once, by the executor at Bind, from
// the weight or its BatchNorm fold: ConvWinogradWeights) and V = Bᵀ·d·B
// the transform of the tile's 4×4 input window; summed over the input
// channels the 16 products are 16 matrix products of (F×C)·(C×T), T the
// tiles, done by asm.ConvImplicit (one FMA chain over the channels in
// order per element), 2.25× fewer multiplies than the direct
// convolution's 9 per output. A sample:
//
//  1. its channels copied into zero-padded planes of 2th+2 rows of 2tw+2
//     (th×tw tiles), split into even and odd columns (asm.SplitRows) and
//     transformed into V[c][ξ][tile] (asm.WinogradInput);
//  2. M[f][ξ][tile] = Σ_c U[ξ][f][c]·V[c][ξ][tile] (asm.ConvImplicitTaps;
//     a channel's or filter's 16 rows together: their rows far apart made
//     the transforms' loads wait on 4 KiB-aliased stores);
//  3. each filter's M transformed into 2th×2tw outputs (asm.WinogradOutput)
//     and copied into y with the bias and the epilogue.
//
// Steps 1 (but the planes), 2 and 3 run on bands of tile rows whose V and
// M stay in the L2. Goroutines split the channels in 1, the (ξ, filter
// block) products in 2 and the filters in 3, with barriers between. The transforms are exact
// adds and subtracts in a fixed order and the products one chain per
// element, so results do not depend on the batch, the thread count or
// the SIMD instruction set (avx2, avx512); they differ from the direct
// path's by rounding (within 1e-5 of the sum of magnitudes in the tests).

// Winograd applies to 3×3, stride 1, dilation 1, ungrouped 2-D
// convolutions with at least winoMinC input channels and winoMinF
// filters: with fewer, the transforms cost more than the products save.
const (
	winoMinC = 16
	winoMinF = 16
)

// winoCheck reports whether a convolution with params p and weight shape
// w (F, C, 3, 3) takes the Winograd path.
func winoCheck(p *ConvolutionParam, w Shape) bool {
	k, s, d := p.Kernel, p.Stride, p.Dilate
	if len(k) != 2 || len(w) != 4 || p.NumGroup > 1 || p.Layout.Value.ChannelLast() {
		return false
	}
	for i := range 2 {
		if k[i] != 3 || i < len(s) && s[i] != 1 || i < len(d) && d[i] != 1 {
			return false
		}
	}
	return w[0] >= winoMinF && w[1] >= winoMinC && w[2] == 3 && w[3] == 3
}

// ConvWinograd reports whether the Convolution with params p (a
// *ConvolutionParam or a fused convolution's *FusedParam) and weight shape
// w runs best on Winograd weights: the executor then derives them with
// ConvWinogradWeights and switches the step to WithWinogradWeight.
func ConvWinograd(p any, w Shape) bool {
	if fp, ok := p.(*FusedParam); ok {
		p = fp.Base
	}
	cp, ok := p.(*ConvolutionParam)
	return ok && !cp.winograd && winoCheck(cp, w)
}

// WithWinogradWeight returns a copy of p whose weight input is the
// Winograd transform of its (F, C, 3, 3) weight, shape (16, F, C), as
// ConvWinogradWeights computes it (the executor's bind-time
// optimisation). p must be a convolution ConvWinograd accepts.
func (p ConvolutionParam) WithWinogradWeight() *ConvolutionParam {
	p.winograd = true
	return &p
}

// ConvWinogradWeights sets u, (16, f, c), to the Winograd transform of
// the weight w, (f, c, 3, 3): u[(ξ·f + i)·c + j] = (G·w[i][j]·Gᵀ)[ξ/4][ξ%4]
// with G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]], in float64 rounded once.
// It panics when a slice is too short.
func ConvWinogradWeights(u, w []float32, f, c int) {
	_ = u[16*f*c-1]
	_ = w[9*f*c-1]
	gm := [4][3]float64{{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}}
	for i := range f {
		for j := range c {
			g := w[(i*c+j)*9 : (i*c+j)*9+9]
			var t [4][3]float64 // G·g
			for a := range 4 {
				for b := range 3 {
					for q := range 3 {
						t[a][b] += gm[a][q] * float64(g[q*3+b])
					}
				}
			}
			for a := range 4 {
				for b := range 4 {
					s := 0.0
					for q := range 3 {
						s += t[a][q] * gm[b][q]
					}
					u[((4*a+b)*f+i)*c+j] = float32(s)
				}
			}
		}
	}
}

// winoBandFloats bounds V and M of a band of tile rows (floats): 512 KiB,
// half the L2. MTCNN det1's 16→32 layer on 117×157 (58 tile rows) took
// 1.84 ms as one band (15 MB of V and M), 1.59 ms on the direct path.
const winoBandFloats = 1 << 17

// winoBandTiles is the fewest tiles of a band (a layer of many channels
// still needs rows long enough for the products' kernels).
const winoBandTiles = 64

// winoGeom is the Winograd layout of one sample.
type winoGeom struct {
	th, tw, tb int // tile rows, tile columns, tile rows per band
	tp         int // floats per row of V and M (a band's tiles and a step past)
	hp, wp     int // padded plane height and width (planes have a row more)
	ld         int // row stride of the even/odd column planes
	ldw        int // row stride of a filter's transformed output
	planes     int // floats of one channel's padded plane
	eo         int // floats of one channel's even (or odd) plane
	mr, fb     int // filter rows per product block, blocks
	p, e, o    int // offsets in the scratch: padded planes, even, odd,
	v, m, wide int // V, M and the filters' outputs
	size       int // scratch floats
}

// winoGeomOf fills wg for g.
func (g *convDims) winoGeomOf(wg *winoGeom) {
	oh, ow := g.out[1], g.out[2]
	wg.th, wg.tw = (oh+1)/2, (ow+1)/2
	span := asm.WinogradRowSpan(wg.tw)
	// Bands of tile rows whose V and M stay in the L2, but of at least
	// winoBandTiles tiles (the products' rows).
	tb := (winoBandFloats/(16*(g.c+g.f))-span)/wg.tw + 1
	wg.tb = min(max(tb, ceilDiv(winoBandTiles, wg.tw)), wg.th)
	wg.tp = (wg.tb-1)*wg.tw + span
	wg.hp, wg.wp = 2*wg.th+2, 2*wg.tw+2
	wg.ld = span + 1
	wg.ldw = 2 * span
	wg.planes = (wg.hp + 1) * wg.wp
	wg.eo = wg.hp * wg.ld
	wg.mr = asm.ConvImplicitRows(wg.tb * wg.tw)
	wg.fb = ceilDiv(g.f, wg.mr)
	wg.p = 0
	wg.e = wg.p + g.c*wg.planes
	wg.o = wg.e + g.c*wg.eo + 1
	wg.v = wg.o + g.c*wg.eo + 1
	wg.m = wg.v + 16*g.c*wg.tp
	wg.wide = wg.m + 16*g.f*wg.tp
	wg.size = wg.wide + g.f*2*wg.tb*wg.ldw
}

// winoDims returns the geometry of a Winograd convolution whose weight
// input has shape w (16, F, C): the convolution's with the weight
// (F, C, 3, 3).
func winoDims(p *ConvolutionParam, in []Shape) (convDims, bool) {
	if len(in) < 2 || len(in[1]) != 3 || in[1][0] != 16 {
		return convDims{}, false
	}
	shapes := append([]Shape(nil), in...)
	shapes[1] = Shape{in[1][1], in[1][2], 3, 3}
	q := *p
	q.winograd = false
	return convDimsOf(&q, shapes)
}

// winoWorkspace is the scratch of a Winograd convolution (one share for
// all its goroutines).
func winoWorkspace(p *ConvolutionParam, in []Shape) int {
	g, ok := winoDims(p, in)
	if !ok {
		return 0
	}
	var wg winoGeom
	g.winoGeomOf(&wg)
	return wg.size
}

// winoTaps caches the product's tap tables (offsets c·stride) by (c, stride).
var winoTaps struct {
	mu sync.RWMutex
	m  map[[2]int]*asm.ConvTaps
}

// winoTapTable returns the tap table of c channels stride floats apart.
func winoTapTable(c, stride int) *asm.ConvTaps {
	key := [2]int{c, stride}
	winoTaps.mu.RLock()
	t := winoTaps.m[key]
	winoTaps.mu.RUnlock()
	if t != nil {
		return t
	}
	offs := make([]int32, c)
	for i := range offs {
		offs[i] = int32(i * stride)
	}
	t = new(asm.ConvTaps)
	t.Set(offs)
	winoTaps.mu.Lock()
	if winoTaps.m == nil || len(winoTaps.m) >= tapTableMax {
		winoTaps.m = map[[2]int]*asm.ConvTaps{}
	}
	winoTaps.m[key] = t
	winoTaps.mu.Unlock()
	return t
}

// winoJob is one Winograd convolution split over goroutines.
type winoJob struct {
	ctx           *Ctx
	g             convDims
	wg            winoGeom
	x, u, bias, y []float32
	ep            convEpi
	s             []float32
	taps          *asm.ConvTaps
	nt, n         int // goroutines, the sample
	bar           parallel.Barrier
	join          parallel.Join
}

var winoJobs parallel.FreeList[winoJob]

// convWinogradForward is convolutionForward for a Winograd weight u.
func convWinogradForward(ctx *Ctx, p *ConvolutionParam, g *convDims, in []*tensor.Tensor, x, u, y []float32) error {
	if g.in[0] != 1 || g.k[0] != 1 || !winoCheck(p, Shape{g.f, g.c, 3, 3}) {
		return errors.New("winograd weight for a convolution that is not 3×3, stride 1, 2-D and ungrouped")
	}
	if len(x) != g.n*g.c*g.inSize() || len(y) != g.n*g.f*g.outSize() {
		return fmt.Errorf("tensor sizes %d, %d do not match the geometry", len(x), len(y))
	}
	var bias []float32
	if !p.NoBias {
		if bias = in[2].Float32s(); len(bias) != g.f {
			return fmt.Errorf("bias has %d elements, want %d", len(bias), g.f)
		}
	}
	ep, err := bindEpilogue(p, in, len(weightBiasInputs(p.NoBias)), g.f, len(y))
	if err != nil {
		return err
	}
	return convWinogradRun(ctx, g, x, u, bias, y, &ep, ctx.Scratch, max(ctx.Threads, 1))
}

// convWinogradRun runs the Winograd path over the batch with up to
// threads goroutines (u the transformed weight, (16, F, C)).
func convWinogradRun(ctx *Ctx, g *convDims, x, u, bias, y []float32, ep *convEpi, scratch []float32, threads int) error {
	if len(u) != 16*g.f*g.c {
		return fmt.Errorf("winograd weight has %d elements, want %d", len(u), 16*g.f*g.c)
	}
	j := winoJobs.Get()
	*j = winoJob{ctx: ctx, g: *g, x: x, u: u, bias: bias, y: y, ep: *ep}
	g.winoGeomOf(&j.wg)
	if len(scratch) < j.wg.size {
		winoJobs.Put(j)
		return fmt.Errorf("scratch has %d floats, need %d", len(scratch), j.wg.size)
	}
	j.s = scratch[:j.wg.size]
	j.taps = winoTapTable(g.c, 16*j.wg.tp)
	j.nt = 1
	if threads > 1 && workspaceSize(2, 9, g.c, g.f, g.outSize()) >= implParallelFlops {
		j.nt = min(threads, g.f)
	}
	j.bar.Reset(j.nt)
	var err error
	for n := range g.n {
		if err = ctx.Err(); err != nil {
			break
		}
		j.n = n
		parallel.RunWG(j.nt, j, &j.join)
	}
	*j = winoJob{}
	winoJobs.Put(j)
	if err != nil {
		return err
	}
	return ctx.Err()
}

// Run is goroutine tid's share of the sample: its channels' planes, then
// per band of tile rows its share of each of the three steps. (A band's
// input transform only writes V, which the previous band's outputs do not
// read; its products wait for every goroutine's outputs.)
func (j *winoJob) Run(tid int) {
	g, wg := &j.g, &j.wg
	part := func(n int) (int, int) { return n * tid / j.nt, n * (tid + 1) / j.nt }
	lo, hi := part(g.c)
	j.planes(j.n, lo, hi)
	j.bar.Wait()
	for ty0 := 0; ty0 < wg.th; ty0 += wg.tb {
		tb := min(wg.tb, wg.th-ty0)
		lo, hi = part(g.c)
		j.input(lo, hi, ty0, tb)
		j.bar.Wait()
		lo, hi = part(16 * wg.fb)
		j.products(lo, hi, tb)
		j.bar.Wait()
		lo, hi = part(g.f)
		j.output(j.n, lo, hi, ty0, tb)
	}
}

// planes builds channels [lo, hi) of sample n as padded planes split into
// even and odd columns.
func (j *winoJob) planes(n, lo, hi int) {
	g, wg := &j.g, &j.wg
	h, w, ph, pw := g.in[1], g.in[2], g.p[1], g.p[2]
	is := g.inSize()
	for c := lo; c < hi; c++ {
		pl := j.s[wg.p+c*wg.planes : wg.p+(c+1)*wg.planes]
		// Rows of the input at (ph, pw), each followed by zeros up to the
		// next row's first column; zeros above and below.
		top := ph*wg.wp + pw
		clear(pl[:top])
		asm.ConvCopyRowsGap(pl[top:], wg.wp, j.x[(n*g.c+c)*is:], w, w, h, wg.wp-w)
		clear(pl[(ph+h)*wg.wp+pw:])
		e := j.s[wg.e+c*wg.eo : wg.e+(c+1)*wg.eo+1]
		o := j.s[wg.o+c*wg.eo : wg.o+(c+1)*wg.eo+1]
		asm.SplitRows(e, o, wg.ld, pl, wg.wp, wg.hp, wg.tw+1)
	}
}

// input transforms tile rows [ty0, ty0+tb) of channels [lo, hi) into V.
func (j *winoJob) input(lo, hi, ty0, tb int) {
	wg := &j.wg
	for c := lo; c < hi; c++ {
		q := 2 * ty0 * wg.ld
		e := j.s[wg.e+c*wg.eo+q : wg.e+(c+1)*wg.eo+1]
		o := j.s[wg.o+c*wg.eo+q : wg.o+(c+1)*wg.eo+1]
		asm.WinogradInput(j.s[wg.v+16*c*wg.tp:wg.m], wg.tp, e, o, wg.ld, tb, wg.tw)
	}
}

// products computes the (ξ, filter block) products [lo, hi) of M for a
// band of tb tile rows.
func (j *winoJob) products(lo, hi, tb int) {
	g, wg := &j.g, &j.wg
	for q := lo; q < hi; q++ {
		xi, fbi := q/wg.fb, q%wg.fb
		// Balanced blocks of at most mr filters.
		f0 := fbi * g.f / wg.fb
		m := (fbi+1)*g.f/wg.fb - f0
		asm.ConvImplicitTaps(m, tb*wg.tw, j.u[(xi*g.f+f0)*g.c:], g.c, j.s[wg.v+xi*wg.tp:wg.m], j.taps, j.s[wg.m+(16*f0+xi)*wg.tp:wg.wide], 16*wg.tp)
	}
}

// output transforms the band at tile row ty0 (tb rows) of filters
// [lo, hi) of sample n into y.
func (j *winoJob) output(n, lo, hi, ty0, tb int) {
	g, wg := &j.g, &j.wg
	ow, os := g.out[2], g.outSize()
	r0 := 2 * ty0
	rows := min(2*tb, g.out[1]-r0)
	for f := lo; f < hi; f++ {
		wide := j.s[wg.wide+f*2*wg.tb*wg.ldw : wg.wide+(f+1)*2*wg.tb*wg.ldw]
		asm.WinogradOutput(wide, wg.ldw, j.s[wg.m+16*f*wg.tp:wg.wide], wg.tp, tb, wg.tw)
		convCompact(j.y, (n*g.f+f)*os+r0*ow, rows, ow, wide, wg.ldw, j.bias, f, &j.ep)
	}
}
