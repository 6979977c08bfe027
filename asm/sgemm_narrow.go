package asm

import "github.com/mxgo/mxgo/internal/parallel"

// The narrow path: C = op(A)·op(B) with at most narrowMaxN columns and A
// untransposed, alpha 1 (a FullyConnected classifier layer: 512→10 at
// batch 256), where an implementation has the kernel (avx512). Each
// group of up to mr rows of A is read in place against B's rows of 16
// floats (the k×32 panels PackPanels made, else B copied once per call
// into k×16 with zero columns past n; transposed B, as gonum's callers
// pass a FullyConnected weight, through the assembly transposer: Sgemm
// 1×10×512 with B transposed and no panels 3.4 → 1.5 µs, 64×10×512 8.3 →
// 6.3 µs, 1×16×512 3.0 → 1.0 µs on Zen 5), one FMA chain per element over
// each kc slice, stored (the first slice at beta 0) or added to C, the
// epilogue on the last: the sums and order of every other path, so the
// same bits. It comes first for such products, before the small-M, direct
// and swapped blocked (Cᵀ = Bᵀ·Aᵀ, which packs Aᵀ, reads no panels and
// transposes the result) paths. The MLP's 512→10 layer at batch 1 and 8
// (`mxgo bench model -profile`, fastest call, two alternating runs): 1.2 →
// 1.0–1.1 µs and 1.6 → 1.0–1.1 µs against the small-M path. Zen 5,
// one thread, three alternating runs: the MLP's 512→10 layer (bias,
// panels) at batch 256 in `mxgo bench model -profile`, fastest call
// 27.2–33.5 → 25.8–27.7 µs and mean 62–84 → 83–93 GFLOP/s; the same
// product through Sgemm without panels (BenchmarkSgemmMLPCPU) 109–114 →
// 107–109 GFLOP/s, no change.
//
// narrowMaxN is the widest C the path takes (one vector of floats).
const narrowMaxN = 16

// narrowFunc is a narrow kernel (sgemmNarrowRowsAVX512): rows rows of C's
// first n columns from rows of A (stride lda) and k rows of B (stride ldb,
// 16 floats each readable), with the epilogue (bias, flags) as rowKernels.
type narrowFunc func(k, rows int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, bias *float32, flags, n int)

// narrowKernels is an implementation's narrow kernels: fn adds to C, store
// overwrites it, on up to mr rows (fn nil: no narrow path); packT16, when
// set, transposes 16 rows of B into k×16 (packBT16AVX2).
type narrowKernels struct {
	fn, store narrowFunc
	mr        int
	packT16   func(d, b []float32, ldb, kb int)
}

// narrowJob is one narrow product, its row groups split over goroutines.
type narrowJob struct {
	nk                   narrowKernels
	threads, m, n, k, kc int
	a, b, c              []float32
	lda, ldb, ldc        int
	beta                 float32
	epi                  epilogue
	bbuf                 []float32 // B copied into k×16 (no panels)
	rbuf                 []float32 // B's n rows and zero rows, 16×k (transposed B, n < 16)
	join                 parallel.Join
}

var narrowJobs parallel.FreeList[narrowJob]

// sgemmNarrow runs the narrow path (arguments checked, n ≤ narrowMaxN,
// alpha 1, A untransposed), then the epilogue, reading B from panels when
// PackPanels made them for this B and the selected kernels.
func sgemmNarrow(nk narrowKernels, kc, threads int, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, epi epilogue, panels []float32) {
	g := narrowJobs.Get()
	*g = narrowJob{nk: nk, m: m, n: n, k: k, kc: blockSize(k, kc, 1), a: a, lda: lda, c: c, ldc: ldc,
		beta: beta, epi: epi, bbuf: g.bbuf, rbuf: g.rbuf}
	if nr, pkc, nc := panelsLayout(k, n); !transB && panels != nil && nr == 32 {
		// One nc block of one 32-column panel, whatever kc: its rows
		// follow each other, 32 floats apart, zero past n.
		g.b, g.ldb = panelsFor(panels, k, n, nr, pkc, nc), 32
	}
	if g.b == nil {
		if cap(g.bbuf) < k*16 {
			g.bbuf = make([]float32, k*16)
		}
		g.b, g.ldb = g.bbuf[:k*16], 16
		switch {
		case !transB || nk.packT16 == nil:
			packB(g.b, b, ldb, transB, 0, k, 0, n, 16, nil, nil)
		case n == 16:
			nk.packT16(g.b, b, ldb, k)
		default:
			// The transposer reads 16 rows: B's n rows, then zero rows
			// that become the zero columns past n.
			if cap(g.rbuf) < 16*k {
				g.rbuf = make([]float32, 16*k)
			}
			r := g.rbuf[:16*k]
			for j := range n {
				copy(r[j*k:(j+1)*k], b[j*ldb:j*ldb+k])
			}
			clear(r[n*k:])
			nk.packT16(g.b, r, k, k)
		}
	}
	groups := (m + nk.mr - 1) / nk.mr
	g.threads = max(min(threads, groups/2), 1)
	if m*n*k < 1<<18 {
		g.threads = 1
	}
	parallel.RunWG(g.threads, g, &g.join)
	g.a, g.b, g.c, g.epi = nil, nil, nil, epilogue{}
	narrowJobs.Put(g)
}

// Run computes goroutine tid's share of the row groups.
func (g *narrowJob) Run(tid int) {
	mr := g.nk.mr
	lo, hi := share((g.m+mr-1)/mr, tid, g.threads)
	var bias *float32
	flags := 0
	if g.epi.on() {
		flags = epiOn
		if g.epi.relu {
			flags |= epiReLU
		}
		if g.epi.bias != nil {
			bias = &g.epi.bias[0]
		}
	}
	for grp := lo; grp < hi; grp++ {
		i := grp * mr
		rows := min(mr, g.m-i)
		c := &g.c[i*g.ldc]
		if g.beta != 0 && g.beta != 1 {
			scaleC(g.c[i*g.ldc:], g.ldc, rows, g.n, g.beta)
		}
		for pc := 0; pc < g.k; pc += g.kc {
			kb := min(g.kc, g.k-pc)
			f, fl := g.nk.fn, 0
			if pc == 0 && g.beta == 0 {
				f = g.nk.store
			}
			if pc+kb == g.k {
				fl = flags
			}
			f(kb, rows, &g.a[i*g.lda+pc], g.lda, &g.b[pc*g.ldb], g.ldb, c, g.ldc, bias, fl, g.n)
		}
	}
}
