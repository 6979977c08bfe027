package ops

import (
	"fmt"
	"sync"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/internal/parallel"
)

// The implicit-GEMM path for 1-D and 2-D convolutions (every one that is
// not depthwise). Pointwise stride-1 ones need no planes: the input's
// channels are read in place (1.1–2x the SGEMM on packed panels they
// used before, BenchmarkConvPointwiseOldNew). Otherwise each input channel is copied
// once into zero-padded planes; for stride s the padded plane is split
// into s×s phase planes (padded row r goes to phase row r%s, row r/s; the
// same for columns), each hq×wq with hq = ⌈hp/s⌉, wq = ⌈wp/s⌉, and only the
// phases some tap reads are built. Kernel tap (kh, kw) of output (oy, ox)
// reads padded position (oy·s + kh·d, ox·s + kw·d) = phase ((kh·d)%s,
// (kw·d)%s) at (oy + (kh·d)/s, ox + (kw·d)/s), so with a "wide" output of
// rows of stride wq, tap k of a run of outputs is one contiguous run of
// the planes starting at offs[k] — asm.ConvImplicit multiplies the
// weights with those runs in place, no im2col matrix. Column stride 2
// (any width) splits each input row into the two column phases with
// asm.SplitRows, an odd width's last column stored apart. The columns
// past ow of each wide row read across the padding and are discarded when the
// wide output is compacted into y, with the bias and the epilogue applied
// while hot. Two layouts cut those junk columns: at stride 1 a row's
// right padding is the next row's left padding (wq = w + pw); on narrow
// outputs (ow ≤ implShiftMaxW, stride 1 or column stride 2) each channel
// is copied into a plane per kernel column, shifted so that the wide
// output is the output itself (wq = ow).
//
// Work units are (output row tile, group, filter block), filter blocks
// innermost: the planes a tile reads are reused by every filter block
// while they are in cache (the whole planes of a large input, 10 MB for
// LFFD's 32×239×319, are not). The phase layout (the planes of strides
// above 1 and of full padded rows) is built a row tile at a time, just
// before the tile's first unit, into a window of the rows the tile reads
// (rt + rext per plane) that every tile reuses: the window stays in
// cache, so the planes are neither read back nor written to memory (a
// whole sample's planes were written out and read back per filter
// block); the other layouts build a sample's planes at once. At
// batch 1 the units of a sample are split over the threads (each building
// the planes it reads in its own share, so no thread waits on another);
// larger batches split samples when there is enough work. An output
// element is always one asm.ConvImplicit chain over k in order, so
// results do not depend on the batch, the element's position, the thread
// count or the tiling.

// implMaxStride bounds the strides of the implicit path (phase tables are
// fixed arrays); larger strides keep the im2col path.
const implMaxStride = 16

// implTileN is the target length of a wide output row tile (a 32×32
// output, 1055 wide positions with shared padding, is one tile).
const implTileN = 1152

// implParallelFlops is the smallest sample (in FLOPs) whose work units
// are split over goroutines.
const implParallelFlops = 1 << 20

// convImplicitOff, set only by tests and benchmarks, sends every
// convolution to the previous paths.
var convImplicitOff bool

// implSharedOff, set only by tests and benchmarks, keeps stride-1 planes
// at the full padded width (no shared padding columns).
var implSharedOff bool

// implShift selects the shifted-column layout of stride-1 convolutions:
// 0 by geometry (implShiftMaxW), 1 never, 2 always (tests and benchmarks).
var implShift int

// implRows selects in-place output rows for wide rows with junk
// columns (implGeom.rows): 0 by geometry, 1 never, 2 always (tests and
// benchmarks).
var implRows int

// implRowsMinW is the narrowest output row written in place: narrower
// rows are one or two vectors per kernel call, whose steps broadcast a
// weight per one or two FMAs (ResNet-20's 16-wide rows ran at 2/3 the
// speed of a wide tile and its copy).
const implRowsMinW = 64

// implRowsWindow bounds the phase-plane window (floats) of the row tiles
// of in-place output rows: 256 KB, a quarter of the L2 cache.
const implRowsWindow = 1 << 16

// implPointwiseOff, set only by tests and benchmarks, sends pointwise
// stride-1 convolutions to one SGEMM per sample and group.
var implPointwiseOff bool

// pointwisePacked reports a pointwise convolution better done as one
// SGEMM on packed panels than read in place: at least 256 input channels
// per group over at least 1 MiB of input. In place, the k loop of a
// filter block steps from one input channel plane to the next (a page or
// more apart, often the same L1 sets), so the block's columns do not stay
// in L1 across filter blocks. BenchmarkConvPointwiseOldNew (Zen 5, one
// thread, GFLOP/s of thread CPU time, in place → packed): 512→512 on
// 32×32 133 → 197 (SSD MobileNet's conv_8–conv_12), 31×31 152 → 191,
// 256→256 on 64×64 157 → 187, on 32×32 189 → 198; below the bounds in
// place wins or ties: 256 on 28×28 201 → 194, 16×16 220 → 207, 128 on
// 128×128 190 → 171, 1024 on 16×16 185 → 183, 512 on 16×16 207 → 207.
func (g *convDims) pointwisePacked() bool {
	cg := g.c / g.groups
	return cg >= 256 && cg*g.inSize() >= 1<<18
}

// implShiftMaxW is the widest output the shifted-column layout is used
// for: its planes are k[2] times larger, but its rows have no padding
// columns, which matters most on narrow rows.
const implShiftMaxW = 8

// implicit reports a convolution for the implicit-GEMM path (every
// implementation has a ConvImplicit kernel; generic's Go kernel is
// 1.1-1.6× the generic im2col and SGEMM on ResNet-20's layers).
func (g *convDims) implicit() bool {
	return !convImplicitOff && g.implicitGeom()
}

// implicitGeom reports a geometry the implicit path handles.
func (g *convDims) implicitGeom() bool {
	if g.in[0] != 1 || g.k[0] != 1 || g.p[0] != 0 || g.out[0] != 1 || g.pointwise() && (implPointwiseOff || g.pointwisePacked()) || g.depthwise() {
		return false
	}
	if g.s[1] > implMaxStride || g.s[2] > implMaxStride || g.out[1] < 1 || g.out[2] < 1 {
		return false
	}
	var ig implGeom
	g.implGeom(&ig)
	// Offsets are int32.
	return workspaceSize(g.c, ig.cs) < 1<<31-1
}

// implGeom is the implicit path's layout of one sample.
type implGeom struct {
	hq, wq     int // phase plane height and width
	nr, nc     int // phase rows and columns used
	rowIdx     [implMaxStride]int8
	colIdx     [implMaxStride]int8
	cs         int  // floats per input channel (nr·nc phase planes of hb rows)
	nw         int  // wide output length (oh-1)·wq + ow
	rt, ntiles int  // output rows per tile, tiles
	tileN      int  // wide length of a full tile
	rext       int  // phase rows a tile reads past its last output row
	split      bool // column stride 2: columns split by asm.SplitRows
	hb         int  // rows of a plane in the buffer: hq, or with window rt+rext at most
	window     bool // the phase layout: planes built a tile's rows at a time into hb-row windows
	shared     bool // stride 1: rows share their padding columns
	shift      bool // stride 1: a plane per kernel column, no padding columns
	rows       bool // junk columns, but the kernel writes each output row in place
	mr, fb     int  // most filter rows per block, blocks per group
	// direct: pointwise stride 1, where the input channels are the planes
	// (wq = w, no copy, no scratch).
	direct bool
}

// implGeom fills ig for g.
func (g *convDims) implGeom(ig *implGeom) {
	if g.pointwise() {
		*ig = implGeom{direct: true, hq: g.in[1], wq: g.in[2], nr: 1, nc: 1}
		for i := 1; i < implMaxStride; i++ {
			ig.rowIdx[i], ig.colIdx[i] = -1, -1
		}
		ig.cs = workspaceSize(ig.hq, ig.wq)
		ig.tiles(g)
		return
	}
	sh, sw := g.s[1], g.s[2]
	hp, wp := g.in[1]+2*g.p[1], g.in[2]+2*g.p[2]
	ig.hq, ig.wq = ceilDiv(hp, sh), ceilDiv(wp, sw)
	// Stride 1: a row's right padding columns are the next row's left
	// ones (wq = w + pw). A wide output row reads padded columns up to
	// wp-1 = wq+pw-1, so what it reads past its own row is the next row's
	// first pw columns, which are zero; the planes end pw floats past
	// the last padded row for the last row's reads. The wide rows must
	// not overlap: ow ≤ wq.
	ig.shared = sh == 1 && sw == 1 && g.out[2] <= g.in[2]+g.p[2] && !implSharedOff
	if ig.shared {
		ig.wq = g.in[2] + g.p[2]
	}
	// Stride 1, shifted columns: each input channel is copied into k[2]
	// planes of hp rows of ow columns, plane kw holding at (r, ox) the
	// padded input at (r, ox + kw·dw) (zero in the padding). Tap (kh, kw)
	// of output (oy, ox) reads plane kw at (oy + kh·dh, ox): the wide
	// output is the output itself (wq = ow), with no junk columns.
	// For column stride 2 the planes are shifted copies of the even or
	// odd input columns, and row strides take row phases.
	ig.shift = (sw == 1 || sw == 2) && (implShift == 2 || implShift == 0 && g.out[2] <= implShiftMaxW)
	if ig.shift {
		ig.shared = false
		ig.wq = g.out[2]
	}
	for i := range implMaxStride {
		ig.rowIdx[i], ig.colIdx[i] = -1, -1
	}
	ig.nr, ig.nc = 0, 0
	for kh := range g.k[1] {
		if a := kh * g.d[1] % sh; ig.rowIdx[a] < 0 {
			ig.rowIdx[a] = 0
		}
	}
	for kw := range g.k[2] {
		if b := kw * g.d[2] % sw; ig.colIdx[b] < 0 {
			ig.colIdx[b] = 0
		}
	}
	for a := range sh {
		if ig.rowIdx[a] == 0 {
			ig.rowIdx[a] = int8(ig.nr)
			ig.nr++
		}
	}
	for b := range sw {
		if ig.colIdx[b] == 0 {
			ig.colIdx[b] = int8(ig.nc)
			ig.nc++
		}
	}
	ig.split = sw == 2
	ig.window = !ig.shared && !ig.shift
	ig.rext = (g.k[1] - 1) * g.d[1] / sh
	ig.tiles(g)
	// A tile's rows, and the rext rows past them its taps (and the junk
	// columns of its wide rows, wrapping into the next row) read.
	ig.hb = ig.hq
	if ig.window {
		ig.hb = min(ig.rt+ig.rext, ig.hq)
	}
	ig.cs = workspaceSize(ig.nr, ig.nc, ig.hb, ig.wq)
	if ig.shared {
		ig.cs += g.p[2]
	}
	if ig.shift {
		ig.cs = workspaceSize(ig.nr, g.k[2], ig.hq, ig.wq)
	}
}

// tiles sets the output row tiles and the filter block size.
func (ig *implGeom) tiles(g *convDims) {
	oh, ow := g.out[1], g.out[2]
	ig.nw = (oh-1)*ig.wq + ow
	// Wide rows with junk columns whose output rows are no shorter in
	// 16-lane vectors than the wide rows (ow a multiple of 16, or
	// ⌈ow/16⌉·16 - ow at most the wq - ow junk columns) and at least
	// implRowsMinW long: the kernel writes each output row in place,
	// with the bias and epilogue, rather than a wide tile copied into y
	// (that copy was a third of LFFD conv1's time, its 9.7 MB output
	// written twice).
	ig.rows = ig.wq != ow && (implRows == 2 || implRows == 0 && ow >= implRowsMinW && (ow+15)/16*16-ow <= ig.wq-ow)
	rt := max(1, implTileN/ig.wq)
	if ig.rows && ig.window {
		// No wide tile to keep in cache: taller row tiles, as long as
		// the phase-plane window stays within implRowsWindow floats,
		// rebuild fewer of the rext rows each tile shares with the next
		// (few input channels: a third of the planes' rows were built
		// twice at 3-row tiles, and building them is a large part of
		// a K = 27 convolution).
		rt = max(rt, implRowsWindow/(g.c*ig.nr*ig.nc*ig.wq)-ig.rext)
	}
	ig.ntiles = ceilDiv(oh, min(rt, oh))
	ig.rt = ceilDiv(oh, ig.ntiles)
	ig.tileN = (ig.rt-1)*ig.wq + ow
	if ig.rows {
		// A group's filters that fit one block of the 3-vector kernel
		// but not of the 4-vector one (RetinaFace conv0's 8) go in one
		// block: each row's planes are read once, not twice.
		mr, mr3 := asm.ConvImplicitRows(ow), asm.ConvImplicitRows(48)
		if fg := g.f / g.groups; fg > mr && fg <= mr3 {
			mr = mr3
		}
		ig.setRows(mr, g)
		return
	}
	ig.setRows(asm.ConvImplicitRows(ig.tileN), g)
}

// setRows sets the filter block size.
func (ig *implGeom) setRows(mr int, g *convDims) {
	ig.mr = mr
	ig.fb = ceilDiv(g.f/g.groups, mr)
}

// share is the scratch of one goroutine: a sample's planes (with
// ig.window, a row tile's window of them), a wide tile of the largest
// filter block and, with ig.split, the planes' tmp.
func (ig *implGeom) share(g *convDims) int {
	if ig.direct {
		return 0
	}
	n := workspaceSize(g.c, ig.cs)
	if !ig.rows {
		n += workspaceSize(asm.ConvImplicitMaxM, ig.tileN)
	}
	if ig.split {
		// planes' tmp: the split rows of a column phase no tap reads
		// (fewer than h rows of wq), or shiftPlanes' even and odd columns
		// (h rows of ⌈w/2⌉ each).
		n += workspaceSize(g.in[1], max(2*ceilDiv(g.in[2], 2), ig.wq))
	}
	return n
}

// tileLen is the length of a share's wide tile (none with ig.rows).
func (ig *implGeom) tileLen() int {
	if ig.rows {
		return 0
	}
	return asm.ConvImplicitMaxM * ig.tileN
}

// implSplit returns how many goroutines run the convolution and whether
// they split the batch (else the units of each sample).
func (g *convDims) implSplit(ig *implGeom, threads int) (nt int, batch bool) {
	if threads <= 1 {
		return 1, false
	}
	kk := g.c / g.groups * g.kSize()
	if convBatchParallel(g.n, g.f, kk*g.outSize()) > 1 {
		return min(threads, g.n), true
	}
	units := g.groups * ig.fb * ig.ntiles
	if units <= 1 || workspaceSize(2, g.f, kk, g.outSize()) < implParallelFlops {
		return 1, false
	}
	return min(threads, units), false
}

// implJob is one implicit-GEMM convolution split over goroutines.
type implJob struct {
	ctx           *Ctx
	g             convDims
	ig            implGeom
	x, w, bias, y []float32
	ep            convEpi
	scratch       []float32
	ws, nt        int
	batch         bool
	taps          *asm.ConvTaps
}

var implJobs parallel.FreeList[implJob]

// convImplicitRun runs the implicit path over the whole batch with up to
// threads goroutines (scratch holds implSplit's count of shares).
func convImplicitRun(ctx *Ctx, g *convDims, x, w, bias, y []float32, ep *convEpi, scratch []float32, threads int) error {
	j := implJobs.Get()
	*j = implJob{ctx: ctx, g: *g, x: x, w: w, bias: bias, y: y, ep: *ep, scratch: scratch}
	g.implGeom(&j.ig)
	j.ws = j.ig.share(g)
	j.nt, j.batch = g.implSplit(&j.ig, threads)
	j.taps = j.tapTable()
	var err error
	if len(scratch) < workspaceSize(j.ws, j.nt) {
		err = fmt.Errorf("scratch has %d floats, need %d", len(scratch), workspaceSize(j.ws, j.nt))
	} else if j.nt == 1 && ctx.Crew.Idle() {
		// One goroutine, and a batch split's goroutine free to help: its
		// units go to whichever claims them.
		g := &j.g
		ctx.Crew.Share(g.n*g.groups*j.ig.fb*j.ig.ntiles, j, scratch[:j.ws])
		err = ctx.Err()
	} else {
		parallel.Parallel(j.nt, j)
		err = ctx.Err()
	}
	*j = implJob{}
	implJobs.Put(j)
	return err
}

// Help runs the units o hands out (unit u is sample u/units, unit u%units
// of it), building a sample's planes in scratch (one share) before the
// first of its units this goroutine claims: Run's work, split at run time.
func (j *implJob) Help(o *parallel.Offer, scratch []float32) {
	g, ig := &j.g, &j.ig
	units := g.groups * ig.fb * ig.ntiles
	is := g.c * g.inSize()
	if ig.direct { // the input read in place, no planes
		for {
			u, ok := o.Claim()
			if !ok || j.ctx.Err() != nil {
				return
			}
			n := u / units
			j.unit(j.x[n*is:(n+1)*is], nil, n, u%units)
		}
	}
	planesLen := g.c * ig.cs
	tileLen := ig.tileLen()
	planes, tile, tmp := scratch[:planesLen], scratch[planesLen:planesLen+tileLen], scratch[planesLen+tileLen:]
	built := implBuilt{n: -1}
	for {
		u, ok := o.Claim()
		if !ok || j.ctx.Err() != nil {
			return
		}
		n := u / units
		j.prepare(planes, tmp, &built, n, u%units)
		j.unit(planes, tile, n, u%units)
	}
}

// implBuilt is what one goroutine's planes hold: sample n's planes, or
// with ig.window tile t's window of them.
type implBuilt struct{ n, t int }

// prepare builds in planes what unit u of sample n reads unless b says
// they hold it: with ig.window u's tile's window, else the sample's
// planes.
func (j *implJob) prepare(planes, tmp []float32, b *implBuilt, n, u int) {
	g, ig := &j.g, &j.ig
	if !ig.window {
		if b.n != n {
			j.planes(planes, tmp, n)
			b.n = n
		}
		return
	}
	t := u / (g.groups * ig.fb)
	if b.n == n && b.t == t {
		return
	}
	r0 := t * ig.rt
	r1 := min(r0+ig.rt, g.out[1])
	j.phaseRows(planes, tmp, n, r0, min(r1+ig.rext, ig.hq))
	b.n, b.t = n, t
}

// tapKey identifies a tap table: the geometry (any batch) and the
// layout switches tests set.
type tapKey struct {
	g                       convDims
	sharedOff, pointwiseOff bool
	shift, rows             int
}

// tapTables caches the tap tables of the geometries seen (a model has a
// few dozen), so a call does not recompute and copy K offsets. Tables are
// never changed once stored.
var tapTables struct {
	mu sync.RWMutex
	m  map[tapKey]*asm.ConvTaps
}

// tapTableMax bounds tapTables: past it the cache starts over.
const tapTableMax = 512

// tapTable returns j's tap table, cached by geometry.
func (j *implJob) tapTable() *asm.ConvTaps {
	key := tapKey{g: j.g, sharedOff: implSharedOff, pointwiseOff: implPointwiseOff, shift: implShift, rows: implRows}
	key.g.n = 0
	tapTables.mu.RLock()
	t := tapTables.m[key]
	tapTables.mu.RUnlock()
	if t != nil {
		return t
	}
	t = new(asm.ConvTaps)
	t.Set(j.tapOffsets(nil))
	tapTables.mu.Lock()
	if tapTables.m == nil || len(tapTables.m) >= tapTableMax {
		tapTables.m = map[tapKey]*asm.ConvTaps{}
	}
	tapTables.m[key] = t
	tapTables.mu.Unlock()
	return t
}

// tapOffsets fills offs (grown if needed) with the start of each tap
// (c, kh, kw) of a group in its planes, in the weights' order.
func (j *implJob) tapOffsets(offs []int32) []int32 {
	g, ig := &j.g, &j.ig
	kk := g.c / g.groups * g.kSize()
	if cap(offs) < kk {
		offs = make([]int32, kk)
	}
	offs = offs[:kk]
	sh, sw := g.s[1], g.s[2]
	pq := ig.hb * ig.wq
	// Channel 0's taps, then every other channel's shifted by c·cs.
	ks := g.k[1] * g.k[2]
	i := 0
	for kh := range g.k[1] {
		if ig.shift {
			// Plane (row phase, kw), at row oy + dh/sh.
			dh := kh * g.d[1]
			for kw := range g.k[2] {
				offs[i] = int32(((int(ig.rowIdx[dh%sh])*g.k[2]+kw)*ig.hb + dh/sh) * ig.wq)
				i++
			}
			continue
		}
		dh := kh * g.d[1]
		rowBase := int(ig.rowIdx[dh%sh])*ig.nc*pq + dh/sh*ig.wq
		for kw := range g.k[2] {
			dw := kw * g.d[2]
			offs[i] = int32(rowBase + int(ig.colIdx[dw%sw])*pq + dw/sw)
			i++
		}
	}
	for c := 1; c < g.c/g.groups; c++ {
		d := int32(c * ig.cs)
		for t, o := range offs[:ks] {
			offs[c*ks+t] = o + d
		}
	}
	return offs
}

// Run is goroutine tid's part: whole samples when the batch is split,
// else its share of each sample's planes and work units.
func (j *implJob) Run(tid int) {
	g, ig := &j.g, &j.ig
	if ig.direct {
		j.runDirect(tid)
		return
	}
	share := j.scratch[tid*j.ws : (tid+1)*j.ws]
	planesLen := g.c * ig.cs
	tileLen := ig.tileLen()
	tile := share[planesLen : planesLen+tileLen]
	tmp := share[planesLen+tileLen:]
	planes := share[:planesLen]
	units := g.groups * ig.fb * ig.ntiles
	built := implBuilt{n: -1}
	if j.batch {
		lo, hi := g.n*tid/j.nt, g.n*(tid+1)/j.nt
		for n := lo; n < hi; n++ {
			for u := range units {
				if j.ctx.Err() != nil {
					return
				}
				j.prepare(planes, tmp, &built, n, u)
				j.unit(planes, tile, n, u)
			}
		}
		return
	}
	// Each goroutine builds the planes its share of a sample's units
	// reads in its own share (a small part of the work): no goroutine
	// waits on another within the convolution.
	for n := range g.n {
		for u := units * tid / j.nt; u < units*(tid+1)/j.nt; u++ {
			if j.ctx.Err() != nil {
				return
			}
			j.prepare(planes, tmp, &built, n, u)
			j.unit(planes, tile, n, u)
		}
	}
}

// runDirect is Run for the direct (pointwise) layout: the units of a
// goroutine's samples, or of each sample, read the input in place.
func (j *implJob) runDirect(tid int) {
	g, ig := &j.g, &j.ig
	is := g.c * g.inSize()
	units := g.groups * ig.fb * ig.ntiles
	lo, hi, ulo, uhi := 0, g.n, units*tid/j.nt, units*(tid+1)/j.nt
	if j.batch {
		lo, hi, ulo, uhi = g.n*tid/j.nt, g.n*(tid+1)/j.nt, 0, units
	}
	for n := lo; n < hi; n++ {
		for u := ulo; u < uhi; u++ {
			if j.ctx.Err() != nil {
				return
			}
			j.unit(j.x[n*is:(n+1)*is], nil, n, u)
		}
	}
}

// planes builds the planes of sample n in the shared-padding or
// shifted-column layout (tmp: the scratch implGeom.share adds when
// ig.split).
func (j *implJob) planes(planes, tmp []float32, n int) {
	g, ig := &j.g, &j.ig
	h, w := g.in[1], g.in[2]
	ph, pw := g.p[1], g.p[2]
	is, pq := g.inSize(), ig.hq*ig.wq
	if ig.shift && g.s[1] == 1 && g.s[2] == 1 && ig.wq == w {
		// Stride 1 at the input's width: each kernel column's planes of
		// all the channels are one ConvShiftRows call.
		rq0 := min(ph, ig.hq)
		rows := min(h, ig.hq-rq0)
		for kw := range g.k[2] {
			asm.ConvShiftRows(planes[kw*pq:], ig.cs, pq, j.x[n*g.c*is:], is, g.c, w, rq0, rows, kw*g.d[2]-pw)
		}
		return
	}
	for c := range g.c {
		if j.ctx.Err() != nil { // a check per channel
			return
		}
		xc := j.x[(n*g.c+c)*is : (n*g.c+c+1)*is]
		pc := planes[c*ig.cs : (c+1)*ig.cs]
		if ig.shift {
			j.shiftPlanes(pc, xc, tmp)
			continue
		}
		// Shared padding: zero only the padding, the rows above with the
		// first row's left columns, the pw columns after each row (the
		// next row's left ones), and from the row after the last on.
		top := ph*ig.wq + pw
		clear(pc[:top])
		asm.ConvCopyRowsGap(pc[top:], ig.wq, xc, w, w, h, pw)
		clear(pc[top+h*ig.wq:])
	}
}

// phaseRows builds rows [q0, q1) of every phase plane (the phase layout,
// ig.window) of every input channel of sample n into the windows' rows
// [0, q1-q0): phase row q of row phase a is padded row q·sh + a, and
// column cq of column phase b padded column cq·sw + b; what lies in the
// padding is zero (tmp: the scratch implGeom.share adds when ig.split).
func (j *implJob) phaseRows(planes, tmp []float32, n, q0, q1 int) {
	g, ig := &j.g, &j.ig
	h, w := g.in[1], g.in[2]
	ph, pw := g.p[1], g.p[2]
	sh, sw := g.s[1], g.s[2]
	is, wq, pq := g.inSize(), ig.wq, ig.hb*ig.wq
	// Columns cq of column phase b with input column cq·sw + b - pw in
	// [0, w).
	var cqlo, cqhi [implMaxStride]int
	for b := range sw {
		cqlo[b] = max(0, ceilDiv(pw-b, sw))
		cqhi[b] = min(wq, ceilDiv(w+pw-b, sw))
	}
	// Column stride 2: each row phase's rows are split into even and odd
	// columns straight into the column phases (asm.SplitRows): input
	// column 2i goes to phase be = pw%2 at column i + pw/2, column 2i+1
	// to the other at i + ⌈pw/2⌉; an odd width's last column (even) is
	// stored apart.
	be := pw % 2
	qe, qo := pw/2, (pw+1)/2
	hw := w / 2
	nq := q1 - q0
	for c := range g.c {
		if j.ctx.Err() != nil { // a check per channel
			return
		}
		xc := j.x[(n*g.c+c)*is : (n*g.c+c+1)*is]
		pc := planes[c*ig.cs : (c+1)*ig.cs]
		if wq < implRowsMinW {
			for p := range ig.nr * ig.nc {
				clear(pc[p*pq : p*pq+nq*wq])
			}
		}
		for a := range sh {
			ri := int(ig.rowIdx[a])
			if ri < 0 {
				continue
			}
			// Phase rows [lo, hi) hold input rows y0, y0+sh, …
			lo := max(q0, ceilDiv(ph-a, sh))
			hi := min(q1, ceilDiv(h+ph-a, sh))
			if lo >= hi {
				lo, hi = q1, q1
			}
			// Zero only the padding: the rows with no input row, and in
			// the others each column phase's columns outside [cqlo,
			// cqhi), the ones the input is not written to below
			// (zeroing whole windows first was 9% of RetinaFace conv0).
			// Narrow rows are zeroed whole, above: per-row stores cost
			// more than the rows (ResNet-20's 16-wide stride-2 layer
			// ran 10% slower).
			for b := range sw {
				ci := int(ig.colIdx[b])
				if ci < 0 || wq < implRowsMinW {
					continue
				}
				d := pc[(ri*ig.nc+ci)*pq : (ri*ig.nc+ci)*pq+nq*wq]
				clear(d[:(lo-q0)*wq])
				clear(d[(hi-q0)*wq:])
				clo, chi := cqlo[b], max(cqlo[b], cqhi[b])
				if clo == 0 && chi == wq {
					continue
				}
				// A few columns a row: stores, not calls.
				for r := (lo - q0) * wq; r < (hi-q0)*wq; r += wq {
					zeroFloats(d[r : r+clo])
					zeroFloats(d[r+chi : r+wq])
				}
			}
			if lo >= hi {
				continue
			}
			rows, y0 := hi-lo, lo*sh+a-ph
			src := xc[y0*w:]
			pr := pc[ri*ig.nc*pq+(lo-q0)*wq : (ri+1)*ig.nc*pq]
			if ig.split {
				// A column phase no tap reads goes to tmp.
				ce, co := int(ig.colIdx[be]), int(ig.colIdx[1-be])
				even, odd := tmp, tmp
				if ce >= 0 {
					even = pr[ce*pq+qe:]
				}
				if co >= 0 {
					odd = pr[co*pq+qo:]
				}
				asm.SplitRows(even, odd, wq, src, sh*w, rows, hw)
				if w%2 == 1 && ce >= 0 {
					for r := range rows {
						even[r*wq+hw] = src[r*sh*w+w-1]
					}
				}
				continue
			}
			for b := range sw {
				ci := int(ig.colIdx[b])
				clo, chi := cqlo[b], cqhi[b]
				if ci < 0 || clo >= chi {
					continue
				}
				d := pr[ci*pq:]
				x0 := clo*sw + b - pw
				if sw == 1 {
					asm.ConvCopyRows(d[clo:], wq, src[x0:], sh*w, chi-clo, rows)
					continue
				}
				for r := range rows {
					row := d[r*wq : (r+1)*wq]
					s := src[r*sh*w:]
					x := x0
					for cq := clo; cq < chi; cq++ {
						row[cq] = s[x]
						x += sw
					}
				}
			}
		}
	}
}

// shiftPlanes builds the shifted-column planes of one input channel xc
// into pc (ig.shift; tmp: g.inSize() floats for column stride 2). Plane
// (row phase a, kw) holds at (r, ox) the padded input at (r·sh + a,
// ox·sw + kw·dw). The planes are small (narrow rows): the padding is
// zeroed with stores rather than calls.
func (j *implJob) shiftPlanes(pc, xc, tmp []float32) {
	g, ig := &j.g, &j.ig
	h, w := g.in[1], g.in[2]
	ph, sh, sw, ow := g.p[1], g.s[1], g.s[2], ig.wq
	pq := ig.hq * ow
	// The source columns: the input itself (sw 1), or its even and odd
	// columns (sw 2), rows of ws floats. An odd width has one more even
	// column than odd ones: the odd rows end with a zero, input column w,
	// which is padding wherever a tap reads it.
	srcs, ws := [2][]float32{xc, xc}, w
	if sw == 2 {
		ws = ceilDiv(w, 2)
		srcs = [2][]float32{tmp[:ws*h], tmp[ws*h : 2*ws*h]}
		if w%2 == 0 {
			asm.SplitEvenOdd(srcs[0], srcs[1], xc)
		} else {
			asm.SplitRows(srcs[0], srcs[1], ws, xc, w, h, w/2)
			for r := range h {
				srcs[0][r*ws+ws-1], srcs[1][r*ws+ws-1] = xc[r*w+w-1], 0
			}
		}
	}
	for a := range sh {
		ri := int(ig.rowIdx[a])
		if ri < 0 {
			continue
		}
		// Input rows y0, y0+sh, … go to the phase's rows from rq0.
		y0 := ((a-ph)%sh + sh) % sh
		rq0, rows := min((y0+ph)/sh, ig.hq), 0
		if y0 < h {
			rows = min(ceilDiv(h-y0, sh), ig.hq-rq0)
		}
		for kw := range g.k[2] {
			p := pc[(ri*g.k[2]+kw)*pq : (ri*g.k[2]+kw+1)*pq]
			// Padded column ox·sw + kw·dw is input column ox·sw + t:
			// source column ox + e of parity par.
			t := kw*g.d[2] - g.p[2]
			e := t
			par := 0
			if sw == 2 {
				e = t >> 1 // floor
				par = t - 2*e
			}
			src := srcs[par]
			if sh == 1 && ow == ws {
				// The whole plane, padding rows included, in one call.
				asm.ConvShiftRows(p, pq, pq, src[y0*ws:], 0, 1, ow, rq0, rows, e)
				continue
			}
			lo, hi := min(max(0, -e), ow), max(0, min(ow, ws-e))
			if lo >= hi || rows == 0 {
				zeroFloats(p)
				continue
			}
			top := rq0 * ow
			zeroFloats(p[:top])
			d := p[top : top+rows*ow]
			asm.ConvCopyRows(d[lo:], ow, src[y0*ws+lo+e:], sh*ws, hi-lo, rows)
			if lo > 0 || hi < ow {
				for r := 0; r < len(d); r += ow {
					row := d[r : r+ow]
					for c := 0; c < lo; c++ {
						row[c] = 0
					}
					for c := hi; c < ow; c++ {
						row[c] = 0
					}
				}
			}
			zeroFloats(p[top+rows*ow:])
		}
	}
}

// zeroFloats zeroes a short slice with stores (no call).
func zeroFloats(s []float32) {
	for i := 0; i < len(s); i++ {
		s[i] = 0
	}
}

// unit computes work unit u of sample n (row tile, group, filter block;
// the filter block varies fastest) into tile and compacts it into y with
// the bias and epilogue.
func (j *implJob) unit(planes, tile []float32, n, u int) {
	g, ig := &j.g, &j.ig
	fbi := u % ig.fb
	gi := u / ig.fb % g.groups
	ti := u / (ig.fb * g.groups)
	cg, fg := g.c/g.groups, g.f/g.groups
	kk := cg * g.kSize()
	oh, ow := g.out[1], g.out[2]
	r0 := ti * ig.rt
	r1 := min(r0+ig.rt, oh)
	if r0 >= r1 {
		return
	}
	// Blocks of balanced sizes (at most mr rows each): 64 filters in
	// blocks of at most 6 are 5 or 6 rows rather than ten of 6 and a 4.
	f0 := fbi * fg / ig.fb
	m := (fbi+1)*fg/ig.fb - f0
	nt := (r1-r0-1)*ig.wq + ow
	f := gi*fg + f0
	b := planes[gi*cg*ig.cs : (gi+1)*cg*ig.cs] // a window from row r0
	if !ig.window {
		b = b[r0*ig.wq:]
	}
	os := g.outSize()
	w := j.w[f*kk : (f+m)*kk]
	if ig.wq == ow {
		// No junk columns: the kernel writes the output rows in place,
		// with the bias and a plain ReLU epilogue applied in registers.
		j.inPlace(m, nt, w, kk, b, (n*g.f+f)*os+r0*ow, f)
		return
	}
	if ig.rows {
		// An output row at a time, each in place.
		for r := range r1 - r0 {
			j.inPlace(m, ow, w, kk, b[r*ig.wq:], (n*g.f+f)*os+(r0+r)*ow, f)
		}
		return
	}
	asm.ConvImplicitTaps(m, nt, w, kk, b, j.taps, tile[:m*nt], nt)
	for i := range m {
		convCompact(j.y, (n*g.f+f+i)*os+r0*ow, r1-r0, ow, tile[i*nt:], ig.wq, j.bias, f+i, &j.ep)
	}
}

// inPlace computes filters [f, f+m) (weights w, row stride kk) over nt
// contiguous positions of planes b straight into y at off (filter rows
// g.outSize() apart), with the bias and a plain ReLU epilogue applied in
// registers, else the bias and epilogue applied to each row while hot.
func (j *implJob) inPlace(m, nt int, w []float32, kk int, b []float32, off, f int) {
	os := j.g.outSize()
	y := j.y[off : off+(m-1)*os+nt]
	if relu, ok := j.ep.reluOnly(); ok {
		var bias []float32
		if j.bias != nil {
			bias = j.bias[f : f+m]
		}
		asm.ConvImplicitTapsBiasReLU(m, nt, w, kk, b, j.taps, y, os, bias, relu)
		return
	}
	asm.ConvImplicitTaps(m, nt, w, kk, b, j.taps, y, os)
	if j.bias != nil && j.ep.residualReLU() {
		for i := range m {
			o := off + i*os
			asm.ConvAddRowsResReLU(j.y[o:o+nt], nt, j.y[o:o+nt], nt, nt, 1, j.bias[f+i], j.ep.res[o:o+nt], nt)
		}
		return
	}
	for i := range m {
		seg := j.y[off+i*os : off+i*os+nt]
		if j.bias != nil {
			asm.AddScalar(seg, seg, j.bias[f+i])
		}
		j.ep.apply(seg, f+i, off+i*os)
	}
}

// convCompact writes output channel f's rows×ow outputs at y[off:] from
// src (rows ldw floats apart), adding bias[f] (bias nil: none) and
// applying the epilogue while each channel is in cache.
func convCompact(y []float32, off, rows, ow int, src []float32, lds int, bias []float32, f int, ep *convEpi) {
	seg := y[off : off+rows*ow]
	if bias != nil && ep.residualReLU() {
		asm.ConvAddRowsResReLU(seg, ow, src, lds, ow, rows, bias[f], ep.res[off:off+rows*ow], ow)
		return
	}
	if bias != nil {
		asm.ConvAddRows(seg, ow, src, lds, ow, rows, bias[f])
	} else {
		asm.ConvCopyRows(seg, ow, src, lds, ow, rows)
	}
	ep.apply(seg, f, off)
}
