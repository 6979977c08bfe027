package asm

import "unsafe"

// sgemmKernel is one implementation's micro-kernel and its tile size: fn
// adds A·B to the full mr×nr tile of C at c (row stride ldc), from a packed A
// panel (k groups of mr floats) and a packed B panel (k groups of nr
// floats).
type sgemmKernel struct {
	mr, nr int
	// kc, mc and nc, when set, replace the package's cache blocking
	// (sgemmKC, sgemmMC, sgemmNC) for this kernel.
	kc, mc, nc int
	// bInner selects the loop order that keeps one packed A panel in L1
	// while the kernels walk along the nc block's B panels (from L2),
	// instead of keeping a B panel in L1 and walking down mc rows of A.
	bInner bool
	fn     func(k int, a, b, c *float32, ldc int)
	// accFromC: fn starts its sums from C's values (loads C into its
	// accumulators) instead of adding a chain started at zero to C; the
	// blocked path then runs it on a zeroed tile and adds the tile, so
	// every kc slice rounds as one chain from zero (batch invariance).
	accFromC bool
	// store, when set, is fn overwriting the tile instead of adding to it
	// (used when beta = 0, saving a pass that zeroes C).
	store func(k int, a, b, c *float32, ldc int)
	// edge and edgeStore, when set, are fn and store for the first rows
	// rows (1 ≤ rows < mr) of a tile with all nr columns, reading a full
	// mr-row A panel: the last, partial panel of A is computed in place
	// instead of in an edge tile (same sums, same bits).
	edge, edgeStore func(k, rows int, a, b, c *float32, ldc int)
	// rows, when its fn is set, is the kernels reading A in place (row
	// stride lda) instead of packed panels, with the same sums: the
	// blocked path uses them, and packs no A, for untransposed A and
	// alpha = 1; they apply the epilogue to the tiles they complete.
	rows rowKernels
	// packAliased, when set, replaces the in-place A rows and bInner
	// order, for A rows 4 KiB apart (lda a multiple of 1024 floats) and no
	// pre-packed B, with packed A and the B-panel-in-L1 order (nc sgemmNC,
	// mc packAliased): the mr rows then share one set of an L1 of fewer
	// ways than rows (sgemm_arch_amd64.go).
	packAliased int
	// narrow, when its fn is set, is the narrow path's kernels (C of at
	// most narrowMaxN columns, sgemm_narrow.go).
	narrow narrowKernels
	// packA, when set, packs a full mr-row panel of untransposed A (else
	// packA6 for mr = 6, or the generic loop).
	packA func(d, a []float32, lda, kb int, alpha float32)
	// packAPart and packAT, when set, are the packers of a partial panel
	// of A and of a panel of transposed A (aPackers; else the generic
	// loops).
	packAPart, packAT func(d, a []float32, lda, kb, rows int, alpha float32)
	// packB, when set, packs a full nr-column panel of untransposed B (else
	// packB16 for nr = 16, or the generic loop).
	packB func(d, b []float32, ldb, kb int)
	// packBT, when set, packs a full nr-column panel of transposed B (else
	// packBT16 for nr = 16, or the generic loop).
	packBT func(d, b []float32, ldb, kb int)
	// direct, when its fn is set, enables the direct path for small
	// calls and for B in PackPanels' panels (see sgemm_direct.go).
	direct directKernel
}

// rowKernels are a micro-kernel's variants that read A in place (see
// sgemmKernel.rows): fn and store on full tiles, edge and edgeStore on the
// first rows rows (1 ≤ rows < mr) of one. With flags ≠ 0 they apply the
// epilogue to the finished tile: bias (nil: none) from bias[0], then ReLU
// when flags&epiReLU ≠ 0.
type rowKernels struct {
	fn, store       func(k int, a *float32, lda int, b, c *float32, ldc int, bias *float32, flags int)
	edge, edgeStore func(k, rows int, a *float32, lda int, b, c *float32, ldc int, bias *float32, flags int)
}

// The rowKernels' flags.
const (
	epiOn   = 1
	epiReLU = 2
)

// genericSgemmKernel is sgemmKernelGeneric behind the assembly kernels'
// pointer contract.
var genericSgemmKernel = sgemmKernel{mr: genericMR, nr: genericNR, fn: func(k int, a, b, c *float32, ldc int) {
	sgemmKernelGeneric(genericMR, genericNR, k,
		unsafe.Slice(a, k*genericMR), unsafe.Slice(b, k*genericNR),
		unsafe.Slice(c, (genericMR-1)*ldc+genericNR), ldc)
}}

// sgemmKernels maps implementation names to their micro-kernels; it is
// filled per architecture (sgemm_arch_*.go). Implementations without an
// entry use the generic kernel.
var sgemmKernels = archSgemmKernels()

// slicedKernels maps implementation names to their small-M kernels
// (implementations without one take the other paths for small m too).
var slicedKernels = archSlicedKernels()

// sgemmFuncs is the selected implementation's Sgemm pieces.
type sgemmFuncs struct {
	kern sgemmKernel
	// sliced is the small-M path's kernels (chunk2 nil: none).
	sliced slicedNN
}

// sgemmSel is the selected implementation's kernels (set by onSelect).
var sgemmSel sgemmFuncs

func init() {
	onSelect(func(impl string) {
		sel := sgemmFuncs{kern: genericSgemmKernel}
		if k, ok := sgemmKernels[impl]; ok {
			sel.kern = k
		}
		sel.sliced = slicedKernels[impl]
		sgemmSel = sel
	})
}
