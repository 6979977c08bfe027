//go:build !purego

package asm

// gemvDotNT4AVX512 is gemvDotNT4AVX2 with 16-float steps
// (gemv_avx512_amd64.s):
//
//	for r := range 4 {
//		for p := range k {
//			c[r] += a[p] * w[r*ldw+p]
//		}
//	}
//
//go:noescape
func gemvDotNT4AVX512(k int, a, w *float32, ldw int, c *float32)

// gemvNTAVX512 is gemvNTAVX2 with the AVX-512 four-row dot kernel.
func gemvNTAVX512(m, n, k int, a, w []float32, ldw int, c []float32, ldc int) {
	gemvNTDot4(gemvDotNT4AVX512, m, n, k, a, w, ldw, c, ldc)
}

// gemvNNChunk2AVX512 is gemvNNChunk2AVX2 with 64-column strips (n64 of
// them), for m2 row pairs:
//
//	for i := range 2 * m2 {
//		for p := range kc {
//			for j := range 64 * n64 {
//				c[i*ldc+j] += a[i*lda+p] * b[p*ldb+j]
//			}
//		}
//	}
//
//go:noescape
func gemvNNChunk2AVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, n64, m2 int)

// gemvNNChunk1AVX512 is gemvNNChunk2AVX512 for one row:
//
//	for p := range kc {
//		for j := range 64 * n64 {
//			c[j] += a[p] * b[p*ldb+j]
//		}
//	}
//
//go:noescape
func gemvNNChunk1AVX512(kc int, a, b *float32, ldb int, c *float32, n64 int)

// gemvNNAVX512 is gemvNNAVX2 with 64-column strips for the first n/64·64
// columns; the rest go through gemvNNAVX2.
func gemvNNAVX512(m, n, k int, a, b []float32, ldb int, c []float32, ldc int) {
	n64 := n / 64
	for jb := 0; jb < n64*64; jb += gemvNNNB {
		nb64 := min(gemvNNNB, n64*64-jb) / 64
		_ = c[(m-1)*ldc+jb+nb64*64-1]
		for p0 := 0; p0 < k; p0 += gemvNNKC {
			kc := min(gemvNNKC, k-p0)
			_ = b[(p0+kc-1)*ldb+jb+nb64*64-1]
			_ = a[(m-1)*k+p0+kc-1]
			bp := &b[p0*ldb+jb]
			for i := 0; i+2 <= m; i += 2 {
				gemvNNChunk2AVX512(kc, &a[i*k+p0], k, bp, ldb, &c[i*ldc+jb], ldc, nb64, 1)
			}
			if m%2 == 1 {
				gemvNNChunk1AVX512(kc, &a[(m-1)*k+p0], bp, ldb, &c[(m-1)*ldc+jb], nb64)
			}
		}
	}
	if j := n64 * 64; j < n {
		gemvNNAVX2(m, n-j, k, a, b[j:], ldb, c[j:], ldc)
	}
}
