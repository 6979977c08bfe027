//go:build !purego

package asm

import "github.com/mxgo/mxgo/internal/parallel"

// gemvDotNT4AVX2 adds four dot products to c[0..3]:
//
//	for r := range 4 {
//		for p := range k {
//			c[r] += a[p] * w[r*ldw+p]
//		}
//	}
//
//go:noescape
func gemvDotNT4AVX2(k int, a, w *float32, ldw int, c *float32)

// gemvNN2x32AVX2 adds two rows of a times a k×32 strip of b to two rows of c:
//
//	for i := range 2 {
//		for p := range k {
//			for j := range 32 {
//				c[i*ldc+j] += a[i*lda+p] * b[p*ldb+j]
//			}
//		}
//	}
//
//go:noescape
func gemvNN2x32AVX2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int)

// gemvNN1x32AVX2 is gemvNN2x32AVX2 for one row:
//
//	for p := range k {
//		for j := range 32 {
//			c[j] += a[p] * b[p*ldb+j]
//		}
//	}
//
//go:noescape
func gemvNN1x32AVX2(k int, a, b *float32, ldb int, c *float32)

// gemvNTAVX2 is the AVX2 gemvNTFunc: four rows of w at a time (in L1 while
// every row of a is dotted with them).
func gemvNTAVX2(m, n, k int, a, w []float32, ldw int, c []float32, ldc int) {
	gemvNTDot4(gemvDotNT4AVX2, m, n, k, a, w, ldw, c, ldc)
}

// gemvNTDot4 is a gemvNTFunc built on a four-row dot kernel (gemvDotNT4AVX2
// or gemvDotNT4AVX512).
func gemvNTDot4(dot4 func(k int, a, w *float32, ldw int, c *float32), m, n, k int, a, w []float32, ldw int, c []float32, ldc int) {
	j := 0
	for ; j+4 <= n; j += 4 {
		_ = w[(j+3)*ldw+k-1]
		for i := range m {
			_ = a[i*k+k-1]
			_ = c[i*ldc+j+3]
			dot4(k, &a[i*k], &w[j*ldw], ldw, &c[i*ldc+j])
		}
	}
	for ; j < n; j++ {
		wj := w[j*ldw : j*ldw+k]
		for i := range m {
			c[i*ldc+j] += dotGeneric(a[i*k:i*k+k], wj)
		}
	}
}

// gemvStrips holds zero-padded copies of the last (narrower than 32) column
// strip of b for gemvNNAVX2.
var gemvStrips parallel.FreeList[[]float32]

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

// gemvNNChunk1AVX2 is gemvNNChunk2AVX2 for one row:
//
//	for p := range kc {
//		for j := range 32 * n32 {
//			c[j] += a[p] * b[p*ldb+j]
//		}
//	}
//
//go:noescape
func gemvNNChunk1AVX2(kc int, a, b *float32, ldb int, c *float32, n32 int)

// Blocking of the small-M NN path: gemvNNKC rows of b are streamed at a
// time, each over gemvNNNB columns, so b is read row by row in long
// contiguous runs (few streams, prefetcher-friendly) while the kc×gemvNNNB
// chunk of b and the m×gemvNNNB block of C stay in L2.
const (
	gemvNNKC = 8
	gemvNNNB = 4096
)

// gemvNNAVX2 is the AVX2 gemvNNFunc: for each block of columns, chunks of
// gemvNNKC rows of b, each walked across the block in 32-column strips for
// each row pair of a; a last strip narrower than 32 goes through a
// zero-padded copy.
func gemvNNAVX2(m, n, k int, a, b []float32, ldb int, c []float32, ldc int) {
	n32 := n / 32
	for jb := 0; jb < n32*32; jb += gemvNNNB {
		nb32 := min(gemvNNNB, n32*32-jb) / 32
		_ = c[(m-1)*ldc+jb+nb32*32-1]
		for p0 := 0; p0 < k; p0 += gemvNNKC {
			kc := min(gemvNNKC, k-p0)
			_ = b[(p0+kc-1)*ldb+jb+nb32*32-1]
			_ = a[(m-1)*k+p0+kc-1]
			bp := &b[p0*ldb+jb]
			// One row pair per call (the chunk is re-read from L2): with
			// all pairs per strip, rows of b and c whose stride is a
			// multiple of 4 KiB share L1 sets and evict each other.
			for i := 0; i+2 <= m; i += 2 {
				gemvNNChunk2AVX2(kc, &a[i*k+p0], k, bp, ldb, &c[i*ldc+jb], ldc, nb32, 1)
			}
			if m%2 == 1 {
				gemvNNChunk1AVX2(kc, &a[(m-1)*k+p0], bp, ldb, &c[(m-1)*ldc+jb], nb32)
			}
		}
	}
	j := n32 * 32
	if j == n {
		return
	}
	// Tail: copy the strip into a zero-padded k×32 buffer and compute a
	// 32-wide result into a temporary.
	w := n - j
	bufp := gemvStrips.Get()
	if cap(*bufp) < k*32+gemvMaxM*32 {
		*bufp = make([]float32, k*32+gemvMaxM*32)
	}
	buf := (*bufp)[:k*32]
	for p := range k {
		d := buf[p*32 : p*32+32]
		copy(d, b[p*ldb+j:p*ldb+j+w])
		clear(d[w:])
	}
	tmp := (*bufp)[k*32 : k*32+m*32]
	clear(tmp)
	gemvNNStrip(m, k, a, &buf[0], 32, tmp, 32)
	for i := range m {
		ci := c[i*ldc+j : i*ldc+j+w]
		for x, v := range tmp[i*32 : i*32+w] {
			ci[x] += v
		}
	}
	gemvStrips.Put(bufp)
}

// gemvNNStrip runs the NN kernels over all m rows for one 32-column strip
// (bounds already checked by the caller).
func gemvNNStrip(m, k int, a []float32, b *float32, ldb int, c []float32, ldc int) {
	i := 0
	for ; i+2 <= m; i += 2 {
		_ = c[(i+1)*ldc+31]
		_ = a[(i+1)*k+k-1]
		gemvNN2x32AVX2(k, &a[i*k], k, b, ldb, &c[i*ldc], ldc)
	}
	if i < m {
		_ = c[i*ldc+31]
		_ = a[i*k+k-1]
		gemvNN1x32AVX2(k, &a[i*k], b, ldb, &c[i*ldc])
	}
}
