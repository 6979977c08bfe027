package asm

// packA copies rows [i0, i0+mb) and columns [p0, p0+kb) of op(A) into dst as
// ceil(mb/mr) panels of kb groups of mr floats, multiplied by alpha. Panel q
// starts at dst[q*mr*kb]; element (row r, column p) of a panel is at
// p*mr + r. Rows past mb in the last panel are zero, so the kernels can
// always work on full tiles. The packers in pk that are set replace the
// generic loops.
// aPackers are the A panel packers of a kernel; nil ones fall back to
// packA's generic loops.
type aPackers struct {
	// full packs a full mr-row panel of untransposed A (a at the panel's
	// first element).
	full func(d, a []float32, lda, kb int, alpha float32)
	// part packs the last, partial panel of untransposed A: rows (< mr)
	// rows, the panel's other rows zeroed.
	part func(d, a []float32, lda, kb, rows int, alpha float32)
	// trans packs a panel of transposed A (rows ≤ mr rows, contiguous in
	// memory; the other rows zeroed).
	trans func(d, a []float32, lda, kb, rows int, alpha float32)
}

func packA(dst, a []float32, lda int, transA bool, i0, mb, p0, kb, mr int, alpha float32, pk aPackers) {
	for q := 0; q*mr < mb; q++ {
		rows := min(mr, mb-q*mr)
		d := dst[q*mr*kb : (q+1)*mr*kb]
		i := i0 + q*mr
		if transA && pk.trans != nil {
			pk.trans(d, a[p0*lda+i:], lda, kb, rows, alpha)
			continue
		}
		if transA {
			// op(A)[i][p] = a[p*lda+i]: rows of the panel are contiguous.
			for p := range kb {
				src := a[(p0+p)*lda+i : (p0+p)*lda+i+rows]
				dp := d[p*mr : p*mr+mr]
				for r, v := range src {
					dp[r] = alpha * v
				}
				clear(dp[rows:])
			}
			continue
		}
		if rows == mr && pk.full != nil {
			pk.full(d, a[i*lda+p0:], lda, kb, alpha)
			continue
		}
		if rows < mr && pk.part != nil {
			pk.part(d, a[i*lda+p0:], lda, kb, rows, alpha)
			continue
		}
		for r := range rows {
			src := a[(i+r)*lda+p0 : (i+r)*lda+p0+kb]
			for p, v := range src {
				d[p*mr+r] = alpha * v
			}
		}
		if rows < mr {
			for p := range kb {
				clear(d[p*mr+rows : p*mr+mr])
			}
		}
	}
}

// packA6 packs one full 6-row panel of row-major A (a starts at the panel's
// first element): six read streams, one sequential write stream.
func packA6(d, a []float32, lda, kb int, alpha float32) {
	r0 := a[:kb]
	r1 := a[lda : lda+kb]
	r2 := a[2*lda : 2*lda+kb]
	r3 := a[3*lda : 3*lda+kb]
	r4 := a[4*lda : 4*lda+kb]
	r5 := a[5*lda : 5*lda+kb]
	d = d[:6*kb]
	for p := range r0 {
		dp := (*[6]float32)(d[p*6 : p*6+6])
		dp[0] = alpha * r0[p]
		dp[1] = alpha * r1[p]
		dp[2] = alpha * r2[p]
		dp[3] = alpha * r3[p]
		dp[4] = alpha * r4[p]
		dp[5] = alpha * r5[p]
	}
}

// packB copies rows [p0, p0+kb) and columns [j0, j0+nb) of op(B) into dst as
// ceil(nb/nr) panels of kb groups of nr floats. Panel q starts at
// dst[q*nr*kb]; element (row p, column j) of a panel is at p*nr + j.
// Columns past nb in the last panel are zero. full, when not nil, packs
// full nr-column panels of untransposed B (packB16 or an assembly version),
// fullT those of transposed B (packBT16 or an assembly version).
func packB(dst, b []float32, ldb int, transB bool, p0, kb, j0, nb, nr int, full, fullT func(d, b []float32, ldb, kb int)) {
	for q := 0; q*nr < nb; q++ {
		cols := min(nr, nb-q*nr)
		d := dst[q*nr*kb : (q+1)*nr*kb]
		j := j0 + q*nr
		if !transB {
			// op(B)[p][j] = b[p*ldb+j]: each group is a contiguous run.
			if cols == nr && full != nil {
				full(d, b[p0*ldb+j:], ldb, kb)
				continue
			}
			for p := range kb {
				dp := d[p*nr : p*nr+nr]
				copy(dp, b[(p0+p)*ldb+j:(p0+p)*ldb+j+cols])
				clear(dp[cols:])
			}
			continue
		}
		if cols == nr && fullT != nil {
			fullT(d, b[j*ldb+p0:], ldb, kb)
			continue
		}
		packBTransPanel(d, b, ldb, p0, kb, j, cols, nr)
	}
}

// packBT16 packs one full 16-column panel of op(B) = Bᵀ (b starts at the
// panel's first element, row j of B at column p0): d[p*16+r] = b[r*ldb+p].
func packBT16(d, b []float32, ldb, kb int) {
	packBTransPanel(d, b, ldb, 0, kb, 0, 16, 16)
}

// packB16 packs one full 16-column panel of row-major B (b starts at the
// panel's first element).
func packB16(d, b []float32, ldb, kb int) {
	for p := range kb {
		*(*[16]float32)(d[p*16 : p*16+16]) = [16]float32(b[p*ldb:])
	}
}

// packBTransPanel packs one panel of op(B) = Bᵀ: column j+c of op(B) is row
// j+c of b, read contiguously and scattered with stride nr.
func packBTransPanel(d, b []float32, ldb, p0, kb, j, cols, nr int) {
	c := 0
	// Four source rows at a time keep four read streams and write nearby
	// destination floats together.
	for ; c+4 <= cols; c += 4 {
		r0 := b[(j+c)*ldb+p0 : (j+c)*ldb+p0+kb]
		r1 := b[(j+c+1)*ldb+p0 : (j+c+1)*ldb+p0+kb]
		r2 := b[(j+c+2)*ldb+p0 : (j+c+2)*ldb+p0+kb]
		r3 := b[(j+c+3)*ldb+p0 : (j+c+3)*ldb+p0+kb]
		for p := range r0 {
			dp := d[p*nr+c : p*nr+c+4]
			dp[0], dp[1], dp[2], dp[3] = r0[p], r1[p], r2[p], r3[p]
		}
	}
	for ; c < cols; c++ {
		src := b[(j+c)*ldb+p0 : (j+c)*ldb+p0+kb]
		for p, v := range src {
			d[p*nr+c] = v
		}
	}
	if cols < nr {
		for p := range kb {
			clear(d[p*nr+cols : p*nr+nr])
		}
	}
}

// packAGeneric packs one full mr-row panel of row-major A (a starts at the
// panel's first element): d[p*mr+r] = alpha * a[r*lda+p].
func packAGeneric(d, a []float32, lda, kb, mr int, alpha float32) {
	for r := range mr {
		for p, v := range a[r*lda : r*lda+kb] {
			d[p*mr+r] = alpha * v
		}
	}
}
