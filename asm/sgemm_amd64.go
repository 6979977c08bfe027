//go:build !purego

package asm

import "unsafe"

// sgemmKernelAVX2 is the 6×16 AVX2+FMA micro-kernel: twelve 8-float
// accumulators hold the tile. It computes, for a full tile of C at c with
// row stride ldc,
//
//	for p := range k {
//		for i := range 6 {
//			for j := range 16 {
//				c[i*ldc+j] += a[p*6+i] * b[p*16+j]
//			}
//		}
//	}
//
// (the sums are formed in registers and added to C once).
//
//go:noescape
func sgemmKernelAVX2(k int, a, b, c *float32, ldc int)

// sgemmKernelAVX2Store is sgemmKernelAVX2 with "=" for "+=": it overwrites
// the tile without reading C (for beta = 0 on the first kc slice).
//
//go:noescape
func sgemmKernelAVX2Store(k int, a, b, c *float32, ldc int)

// sgemmPackA6AVX2 packs 4·kb4 columns of a full 6-row panel of row-major A:
//
//	for p := range 4 * kb4 {
//		for r := range 6 {
//			d[p*6+r] = alpha * a[r*lda+p]
//		}
//	}
//
//go:noescape
func sgemmPackA6AVX2(d, a *float32, lda, kb4 int, alpha float32)

// packA6AVX2 is packA6 with the assembly doing all but the last kb%4
// columns.
func packA6AVX2(d, a []float32, lda, kb int, alpha float32) {
	kb4 := kb / 4
	if kb4 > 0 {
		_ = d[6*kb-1]
		_ = a[5*lda+kb-1]
		sgemmPackA6AVX2(&d[0], &a[0], lda, kb4, alpha)
	}
	if done := 4 * kb4; done < kb {
		packA6(d[6*done:], a[done:], lda, kb-done, alpha)
	}
}

// sgemmPackB16AVX2 copies a 16-column panel of row-major B:
//
//	for p := range kb {
//		copy(d[p*16:p*16+16], b[p*ldb:p*ldb+16])
//	}
//
//go:noescape
func sgemmPackB16AVX2(d, b *float32, ldb, kb int)

// packB16AVX2 is packB16 in assembly.
func packB16AVX2(d, b []float32, ldb, kb int) {
	if kb > 0 {
		_ = d[16*kb-1]
		_ = b[(kb-1)*ldb+15]
		sgemmPackB16AVX2(&d[0], &b[0], ldb, kb)
	}
}

// sgemmPackBT16AVX2 packs 8·kb8 columns of 16 rows of B transposed into
// rows of d ldd floats apart:
//
//	for p := range 8 * kb8 {
//		for r := range 16 {
//			d[p*ldd+r] = b[r*ldb+p]
//		}
//	}
//
//go:noescape
func sgemmPackBT16AVX2(d *float32, ldd int, b *float32, ldb, kb8 int)

// packBT16AVX2 is packBT16 (16-column panels, ldd 16) in assembly.
func packBT16AVX2(d, b []float32, ldb, kb int) {
	packBT16StrideAVX2(d, 16, b, ldb, kb)
}

// packBT16StrideAVX2 sets d[p*ldd+r] = b[r*ldb+p] for r < 16 and p < kb,
// the assembly doing all but the last kb%8 columns.
func packBT16StrideAVX2(d []float32, ldd int, b []float32, ldb, kb int) {
	if kb <= 0 {
		return
	}
	_ = d[(kb-1)*ldd+15]
	_ = b[15*ldb+kb-1]
	kb8 := kb / 8
	if kb8 > 0 {
		sgemmPackBT16AVX2(&d[0], ldd, &b[0], ldb, kb8)
	}
	for p := 8 * kb8; p < kb; p++ {
		dp := d[p*ldd : p*ldd+16]
		for r := range dp {
			dp[r] = b[r*ldb+p]
		}
	}
}

// sgemmDirectAVX2 is one tile of the AVX2 directFunc (directAVX2): the
// 6×16 tile in twelve accumulators, A broadcast from its six rows and B
// read in place.
//
//go:noescape
func sgemmDirectAVX2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd int)

// directAVX2 is the AVX2 directFunc: sgemmDirectAVX2 on each tile (16
// columns, so bhi is not used), then the epilogue in Go.
func directAVX2(k int, a *float32, lda int, b *float32, ldb, bhi int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd, tiles int, bias *float32, flags int) {
	for t := range tiles {
		if t > 0 {
			a = (*float32)(unsafe.Add(unsafe.Pointer(a), 4*6*lda))
			c = (*float32)(unsafe.Add(unsafe.Pointer(c), 4*6*ldc))
		}
		sgemmDirectAVX2(k, a, lda, b, ldb, c, ldc, alpha, beta, rowSkip, colSkip, colEnd)
		if flags == 0 {
			continue
		}
		var bs []float32
		if bias != nil {
			bs = unsafe.Slice(bias, colEnd)[colSkip:]
		}
		for i := rowSkip; i < 6; i++ {
			row := unsafe.Slice((*float32)(unsafe.Add(unsafe.Pointer(c), 4*i*ldc)), colEnd)[colSkip:]
			if bs != nil {
				Add(row, row, bs)
			}
			if flags&epiReLU != 0 {
				Relu(row, row)
			}
		}
	}
}

// gemvNNChunk2AVX2 adds, for each of n32 32-column strips and m2 row pairs,
//
//	for i := range 2 * m2 {
//		for p := range kc {
//			for j := range 32 * n32 {
//				c[i*ldc+j] += a[i*lda+p] * b[p*ldb+j]
//			}
//		}
//	}
//
// strip by strip, so each kc×32 strip of b is in L1 for all row pairs.
//
//go:noescape
func gemvNNChunk2AVX2(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, n32, m2 int)
