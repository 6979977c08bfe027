//go:build !purego

package asm

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
