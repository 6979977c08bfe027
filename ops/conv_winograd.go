package ops

import (
	"errors"
	"fmt"
	"math"
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
//  1. the input rows of a band of tile rows copied into zero-padded
//     planes 2tw+2 wide (th×tw tiles in all), split into even and odd
//     columns (asm.SplitRows) and transformed into V[c][ξ][tile]
//     (asm.WinogradInput);
//  2. M[f][ξ][tile] = Σ_c U[ξ][f][c]·V[c][ξ][tile] (asm.ConvImplicitTaps);
//  3. each filter's M transformed into 2 rows per tile row
//     (asm.WinogradOutput) and copied into y with the bias and the
//     epilogue.
//
// A channel's (filter's) 16 rows of V (M) are together: far apart, the
// transforms' loads waited on 4 KiB-aliased stores. Bands are sized so
// that V and M stay in the L2. Goroutines take the tile rows, or, with
// fewer than winoBandTiles tiles each, the filters (each then transforms
// the whole input), every one in its own share of the scratch: a split
// that made them read each other's V and M (channels, then products, then
// filters, with barriers) ran ResNet-20 at batch 1 on two threads 2.3×
// slower than on one, every line crossing between the cores' caches.
// The transforms are exact adds and subtracts in a fixed order and the
// products one FMA chain per element, so results do not depend on the
// batch, the thread count or the SIMD instruction set (avx2, avx512);
// they differ from the direct path's by rounding (within 1e-5 of the sum
// of magnitudes in the tests).

// Winograd applies to 3×3, stride 1, dilation 1, ungrouped 2-D
// convolutions with at least winoMinC input channels and winoMinF
// filters: with fewer, the transforms cost more than the products save.
// BenchmarkConvWinograd on Zen 4 (1 thread, direct → Winograd, one layer
// alone): (C, F) = (4, 16) 0.95×, (16, 4) 0.92×, (8, 8) 0.99×, (8, 12)
// 1.12×, (10, 16) 1.18×, (16, 8) 1.18×, (12, 12) 1.22×, (16, 16)
// 1.25–1.37×, up to 1.6× with 64 and more. But in the models, with 8 and
// 8 (and at least 96 pairs) MTCNN det1 gained 3% while det4 and RetinaFace
// lost 2–3% (their small layers' transforms evict the next layers' data),
// so 16 and 16 stay.
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

// winoGeom is the Winograd layout of one goroutine's share of a sample:
// bands of tile rows, each built from its own rows of padded planes.
type winoGeom struct {
	th, tw, tb int // tile rows, tile columns, tile rows per band
	tp         int // floats per row of V and M (a band's tiles and a step past)
	hb, wp     int // rows of a band's padded planes (and one more), width
	ld         int // row stride of the even/odd column planes
	ldw        int // row stride of a filter's transformed output
	mr         int // filter rows per product block
	p, e, o    int // offsets in a share: padded planes, even, odd,
	v, m, wide int // V, M and the filters' outputs
	size       int // floats of a share
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
	wg.hb, wg.wp = 2*wg.tb+3, 2*wg.tw+2
	wg.ld = span + 1
	wg.ldw = 2 * span
	wg.mr = asm.ConvImplicitRows(wg.tb * wg.tw)
	wg.p = 0
	wg.e = wg.p + g.c*wg.hb*wg.wp
	wg.o = wg.e + g.c*wg.hb*wg.ld
	wg.v = wg.o + g.c*wg.hb*wg.ld
	wg.m = wg.v + 16*g.c*wg.tp
	wg.wide = wg.m + 16*g.f*wg.tp
	wg.size = wg.wide + g.f*2*wg.tb*wg.ldw
	if workspaceSize(16, g.c, wg.tp) >= 1<<31 || workspaceSize(16, g.f, wg.tp) >= 1<<31 || wg.size < 0 {
		// The products' tap offsets are int32: no scratch is enough.
		wg.size = math.MaxInt
	}
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

// winoJob is one Winograd convolution split over goroutines, each with
// its own share of the scratch: they never read what another wrote.
type winoJob struct {
	ctx           *Ctx
	g             convDims
	wg            winoGeom
	x, u, bias, y []float32
	ep            convEpi
	scratch       []float32
	taps          *asm.ConvTaps
	nt            int
	byRows        bool // goroutines split the tile rows (else the filters)
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
	if len(u) != 16*g.f*g.c {
		return fmt.Errorf("winograd weight has %d elements, want %d", len(u), 16*g.f*g.c)
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
	j := winoJobs.Get()
	*j = winoJob{ctx: ctx, g: *g, x: x, u: u, bias: bias, y: y, ep: ep}
	g.winoGeomOf(&j.wg)
	if j.wg.size == math.MaxInt {
		winoJobs.Put(j)
		return errors.New("winograd: too many channels or filters for 32-bit tap offsets")
	}
	if len(ctx.Scratch) < j.wg.size {
		winoJobs.Put(j)
		return fmt.Errorf("scratch has %d floats, need %d", len(ctx.Scratch), j.wg.size)
	}
	j.scratch = ctx.Scratch
	j.taps = winoTapTable(g.c, 16*j.wg.tp)
	j.nt = min(winoThreads(g, ctx.Threads), len(ctx.Scratch)/j.wg.size)
	// Tile rows when each goroutine gets winoBandTiles tiles, else
	// filters (each transforming the whole input).
	j.byRows = j.wg.th >= j.nt && j.wg.th*j.wg.tw >= j.nt*winoBandTiles
	parallel.RunWG(j.nt, j, &j.join)
	*j = winoJob{}
	winoJobs.Put(j)
	return ctx.Err()
}

// winoMaxThreads bounds the goroutines (and scratch shares) of one
// Winograd convolution: each needs its own V and M.
const winoMaxThreads = 8

// winoThreads is how many goroutines (each with a scratch share) the
// Winograd path runs g on with threads available: one below
// implParallelFlops, else up to winoMaxThreads with at least 8 filters
// each.
func winoThreads(g *convDims, threads int) int {
	if threads <= 1 || workspaceSize(2, 9, g.c, g.f, g.outSize()) < implParallelFlops {
		return 1
	}
	return max(1, min(threads, winoMaxThreads, g.f/8))
}

// winoShares is convShares for a Winograd weight.
func winoShares(p *ConvolutionParam, in []Shape, threads int) int {
	g, ok := winoDims(p, in)
	if !ok {
		return 1
	}
	return winoThreads(&g, threads)
}

// Run is goroutine tid's share of every sample: its tile rows of all the
// filters, or all the tile rows of its filters, in bands.
func (j *winoJob) Run(tid int) {
	g, wg := &j.g, &j.wg
	s := j.scratch[tid*wg.size : (tid+1)*wg.size]
	t0, t1, f0, f1 := 0, wg.th, 0, g.f
	if j.byRows {
		t0, t1 = wg.th*tid/j.nt, wg.th*(tid+1)/j.nt
	} else {
		f0, f1 = g.f*tid/j.nt, g.f*(tid+1)/j.nt
	}
	for n := range g.n {
		if j.ctx.Err() != nil {
			return
		}
		for ty0 := t0; ty0 < t1; ty0 += wg.tb {
			tb := min(wg.tb, t1-ty0)
			j.input(s, n, ty0, tb)
			j.products(s, tb, f0, f1)
			j.output(s, n, ty0, tb, f0, f1)
		}
	}
}

// input builds the padded planes of tile rows [ty0, ty0+tb) of sample n
// (input rows 2·ty0-ph .. 2·(ty0+tb)+1-ph, zero outside the input), splits
// them into even and odd columns and transforms them into V.
func (j *winoJob) input(s []float32, n, ty0, tb int) {
	g, wg := &j.g, &j.wg
	h, w, ph, pw := g.in[1], g.in[2], g.p[1], g.p[2]
	is := g.inSize()
	first := 2*ty0 - ph // input row of the band's first plane row
	rlo, rhi := max(first, 0), min(first+2*tb+2, h)
	for c := range g.c {
		pl := s[wg.p+c*wg.hb*wg.wp : wg.p+(c+1)*wg.hb*wg.wp]
		if rlo >= rhi {
			clear(pl)
			continue
		}
		// Rows at (rlo-first, pw), each followed by zeros up to the
		// next row's first column; zeros above and below.
		top := (rlo-first)*wg.wp + pw
		clear(pl[:top])
		asm.ConvCopyRowsGap(pl[top:], wg.wp, j.x[(n*g.c+c)*is+rlo*w:], w, w, rhi-rlo, wg.wp-w)
		clear(pl[top+(rhi-rlo)*wg.wp:])
	}
	e, o := s[wg.e:wg.o], s[wg.o:wg.v]
	asm.SplitRows(e, o, wg.ld, s[wg.p:wg.e], wg.wp, g.c*wg.hb, wg.tw+1)
	for c := range g.c {
		q := c * wg.hb * wg.ld
		asm.WinogradInput(s[wg.v+16*c*wg.tp:wg.m], wg.tp, e[q:], o[q:], wg.ld, tb, wg.tw)
	}
}

// products computes M's rows of filters [f0, f1) for a band of tb tile
// rows: per ξ, blocks of at most mr filters of balanced sizes.
func (j *winoJob) products(s []float32, tb, f0, f1 int) {
	g, wg := &j.g, &j.wg
	nf := f1 - f0
	fb := ceilDiv(nf, wg.mr)
	for xi := range 16 {
		for b := range fb {
			lo := f0 + b*nf/fb
			m := f0 + (b+1)*nf/fb - lo
			asm.ConvImplicitTaps(m, tb*wg.tw, j.u[(xi*g.f+lo)*g.c:], g.c, s[wg.v+xi*wg.tp:wg.m], j.taps, s[wg.m+(16*lo+xi)*wg.tp:wg.wide], 16*wg.tp)
		}
	}
}

// output transforms filters [f0, f1) of the band at tile row ty0 (tb rows)
// into y.
func (j *winoJob) output(s []float32, n, ty0, tb, f0, f1 int) {
	g, wg := &j.g, &j.wg
	ow, os := g.out[2], g.outSize()
	r0 := 2 * ty0
	rows := min(2*tb, g.out[1]-r0)
	for f := f0; f < f1; f++ {
		wide := s[wg.wide+f*2*wg.tb*wg.ldw : wg.wide+(f+1)*2*wg.tb*wg.ldw]
		asm.WinogradOutput(wide, wg.ldw, s[wg.m+16*f*wg.tp:wg.wide], wg.tp, tb, wg.tw)
		convCompact(j.y, (n*g.f+f)*os+r0*ow, rows, ow, wide, wg.ldw, j.bias, f, &j.ep)
	}
}
