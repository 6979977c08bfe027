package asm

// Pre-packed B. The blocked path copies every kc×nc block of B into
// nr-column panels on each call; for a constant B (a FullyConnected layer's
// weights) PackPanels does it once, in the same order, and
// SgemmBiasReLUPanels reads the panels in place (the blocked path, the
// small-M path's panel kernels, and avx512's direct path, two panels at a
// time). On an MLP's 784→512 layer at batch 128 (one thread, Zen 5) the
// copy was about a tenth of the time.
//
// The layout follows the blocking of the kernels selected when the panels
// were packed: nc blocks of columns, in each the kc slices of rows, in each
// the block's panels (kb rows of nr floats, zero past n). Block (jc, pc)
// therefore starts at jc·k + pc·np·nr, np the block's panel count. A
// header records nr, kc and nc; panels packed for other kernels (after
// SelectImpl) are ignored, not misread.

// panelsHeader is the number of floats before the panels: magic, k, n, nr,
// kc, nc, then 1 when every element of B is finite (else 0: the direct
// path then skips no zero steps of A, as 0·±Inf and 0·NaN are NaN), then
// zeros to 64 bytes, so that panels in a 64-byte aligned buffer are
// aligned too.
const panelsHeader = 16

// panelsKey is the part of the header that must match the kernels.
const panelsKey = 6

// panelsMagic marks packed panels.
const panelsMagic = 0x5041 // "PA"

// panelsLayout is the blocking the selected kernels use for a k×n B.
func panelsLayout(k, n int) (nr, kc, nc int) {
	kern := sgemmSel.kern
	kc0, _, nc0 := kern.blocks()
	return kern.nr, blockSize(k, kc0, 1), blockSize(n, nc0, kern.nr)
}

// PanelsLen returns the length of the buffer PackPanels fills for a k×n B
// with the kernels selected now.
func PanelsLen(k, n int) int {
	nr, _, _ := panelsLayout(k, n)
	return panelsHeader + k*((n+nr-1)/nr*nr)
}

// PanelsMaxLen is PanelsLen for the widest panels of any implementation
// (nr = 32), so a buffer of this length suits whichever is selected.
func PanelsMaxLen(k, n int) int {
	return max(PanelsLen(k, n), panelsHeader+k*((n+31)/32*32))
}

// PackPanels packs B, k×n with row stride ldb (untransposed), into dst
// (PanelsLen(k, n) floats) for SgemmBiasReLUPanels. It panics when dst or
// b is too short.
func PackPanels(dst []float32, k, n int, b []float32, ldb int) {
	nr, kc, nc := panelsLayout(k, n)
	if len(dst) < PanelsLen(k, n) {
		panic("asm.PackPanels: dst too short")
	}
	if k > 0 && n > 0 && (ldb < n || len(b) < (k-1)*ldb+n) {
		panic("asm.PackPanels: b too short for its dimensions")
	}
	finite := float32(1)
rows:
	for p := range k {
		for _, v := range b[p*ldb : p*ldb+n] {
			if v-v != 0 { // ±Inf or NaN
				finite = 0
				break rows
			}
		}
	}
	hdr := [panelsHeader]float32{panelsMagic, float32(k), float32(n), float32(nr), float32(kc), float32(nc), finite}
	copy(dst, hdr[:])
	kern := sgemmSel.kern
	full := kern.packB
	if full == nil && nr == 16 {
		full = packB16
	}
	off := panelsHeader
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		np := (nb + nr - 1) / nr
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			packB(dst[off:], b, ldb, false, pc, kb, jc, nb, nr, full, nil)
			off += np * nr * kb
		}
	}
}

// panelsFor returns the panels of a buffer PackPanels filled for a k×n B
// and the selected kernels' nr, kc and nc, or nil.
func panelsFor(buf []float32, k, n, nr, kc, nc int) []float32 {
	if len(buf) < panelsHeader {
		return nil
	}
	want := [panelsKey]float32{panelsMagic, float32(k), float32(n), float32(nr), float32(kc), float32(nc)}
	if [panelsKey]float32(buf[:panelsKey]) != want || len(buf)-panelsHeader < k*((n+nr-1)/nr*nr) {
		return nil
	}
	return buf[panelsHeader:]
}

// panelsFinite reports whether the B that buf's panels hold (panelsFor
// matched) is finite throughout.
func panelsFinite(buf []float32) bool {
	return buf[panelsKey] == 1
}

// SgemmBiasReLUPanels is SgemmBiasReLU for C = A·B (alpha 1, beta 0, no
// transposes) where panels holds B packed by PackPanels: the paths that can
// read them do instead of packing or reading b; the others, and panels
// packed for other kernels or another shape, read b. Results are the bits
// SgemmBiasReLU gives.
func SgemmBiasReLUPanels(threads, m, n, k int, a []float32, lda int, b []float32, ldb int, panels []float32, c []float32, ldc int, bias []float32, relu bool) {
	checkSgemm(false, false, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	epi := epilogue{relu: relu}
	if bias != nil {
		epi.bias = bias[:n]
	}
	sgemmImpl(threads, false, false, m, n, k, 1, a, lda, b, ldb, 0, c, ldc, epi, panels)
}
